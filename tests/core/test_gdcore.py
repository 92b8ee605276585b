"""gdcore against independent truth: matrix powers, closed forms, lstsq, finite differences."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore
from gdcore import Quadratic, lesson, run, theory
from gdcore.trajectory import DIVERGENCE_GROWTH

lrs = st.floats(0.01, 5.0)
betas = st.floats(0.0, 0.98)
starts = st.floats(-50, 50).filter(lambda x: abs(x) > 0.1)
variants = st.sampled_from(gdcore.VARIANTS)


def run_parabola(**params):
    """The parabola lecture's run (f(x) = x²/6) with these hyperparameters, the others at their defaults."""
    return lesson("parabola", **params).run


def make_regression(**params):
    """The regression lecture's data with these parameters, the others at their defaults."""
    return lesson("regression", steps=1, **params).problem


@settings(max_examples=60, deadline=None)
@given(lr=lrs, beta=betas, x0=starts, a=st.floats(0.05, 2.0))
def test_classic_recurrence_is_powers_of_its_iteration_matrix(lr, beta, x0, a):
    traj = run(Quadratic(a), "classic", lr, beta, 12, [x0])
    m = np.array([[1 - 2 * a * lr, beta], [-2 * a * lr, beta]])  # written out here, not taken from gdcore
    for t in range(traj.last_step + 1):
        expected = np.linalg.matrix_power(m, t) @ np.array([x0, 0.0])
        np.testing.assert_allclose(
            [traj.positions[t, 0], traj.states[t, 0]],
            expected,
            rtol=1e-9,
            atol=1e-9 * abs(x0) * max(1, np.abs(expected).max()),
        )


@settings(max_examples=40, deadline=None)
@given(variant=variants, lr=lrs, beta=betas, a=st.floats(0.05, 2.0))
def test_every_variant_follows_its_stated_iteration_matrix(variant, lr, beta, a):
    traj = run(Quadratic(a), variant, lr, beta, 8, [3.0])
    m = theory.iteration_matrix(variant, lr, beta, 2 * a)
    for t in range(traj.last_step):
        np.testing.assert_allclose(
            m @ [traj.positions[t, 0], traj.states[t, 0]],
            [traj.positions[t + 1, 0], traj.states[t + 1, 0]],
            rtol=1e-9,
            atol=1e-9,
        )


@pytest.mark.parametrize("variant", gdcore.VARIANTS)
@settings(max_examples=30, deadline=None)
@given(lr=st.floats(0.01, 5.0), x0=starts)
def test_beta_zero_is_plain_gradient_descent_closed_form(variant, lr, x0):
    a = 1 / 6
    traj = run_parabola(lr=lr, beta=0.0, steps=20, variant=variant, x0=x0)
    t = np.arange(traj.last_step + 1)
    np.testing.assert_allclose(traj.positions[:, 0], x0 * (1 - 2 * a * lr) ** t, rtol=1e-9, atol=1e-12)


def test_unusual_hyperparameters_match_the_rules_by_hand():
    # classic, α = 2.5, β = 0.93 on x²/6: v1 = −2.5·(5/3), x1 = 5 + v1; v2 = 0.93·v1 − 2.5·x1/3
    t = run_parabola(lr=2.5, beta=0.93, steps=2, x0=5)
    v1 = -2.5 * 5 / 3
    x1 = 5 + v1
    v2 = 0.93 * v1 - 2.5 * x1 / 3
    np.testing.assert_allclose(t.positions[:, 0], [5, x1, x1 + v2])
    # ema: m1 = (1 − β)·g0, x1 = x0 − α·m1
    e = run_parabola(lr=0.7, beta=0.35, steps=1, variant="ema", x0=-4)
    assert e.positions[1, 0] == pytest.approx(-4 - 0.7 * 0.65 * (-4 / 3))
    # nesterov: gradient at the look-ahead point x + β·v
    n = run_parabola(lr=0.9, beta=0.8, steps=2, variant="nesterov", x0=2)
    v1 = -0.9 * 2 / 3
    x1 = 2 + v1
    v2 = 0.8 * v1 - 0.9 * (x1 + 0.8 * v1) / 3
    np.testing.assert_allclose(n.positions[:, 0], [2, x1, x1 + v2])


def test_rows_are_states_at_each_step():
    t = run_parabola()
    np.testing.assert_allclose(t.gradients[:, 0], t.positions[:, 0] / 3)
    np.testing.assert_allclose(t.losses, t.positions[:, 0] ** 2 / 6)
    assert t.states[0, 0] == 0 and len(t.losses) == gdcore.Quadratic.DEFAULTS["steps"] + 1
    with pytest.raises(ValueError):
        t.positions[0, 0] = 1.0  # read-only


@pytest.mark.parametrize("variant", gdcore.VARIANTS)
def test_long_regression_run_reaches_lstsq(variant):
    problem = make_regression(samples=200, noise=0.3, seed=3, true_w1=-1.5, true_w2=0.5, true_b=2.0)
    traj = run(problem, variant, lr=0.05, beta=0.9, steps=3000)
    x = np.column_stack([problem.features, np.ones(200)])
    solution = np.linalg.lstsq(x, problem.targets, rcond=None)[0]
    np.testing.assert_allclose(traj.positions[-1], solution, atol=1e-8)
    assert traj.converged_at is not None and not traj.diverged


def test_regression_data_is_seeded_and_follows_the_coefficients():
    p = make_regression(samples=5000, noise=0.0, seed=1, true_w1=3, true_w2=-2, true_b=0.5)
    np.testing.assert_allclose(p.targets, 3 * p.features[:, 0] - 2 * p.features[:, 1] + 0.5)
    q = make_regression(samples=5000, noise=0.0, seed=1, true_w1=3, true_w2=-2, true_b=0.5)
    np.testing.assert_array_equal(p.features, q.features)
    assert not np.array_equal(p.features, make_regression(samples=5000, seed=2).features)
    assert abs(np.corrcoef(p.features.T)[0, 1] - 0.8) < 0.03


@settings(max_examples=30, deadline=None)
@given(theta=st.lists(st.floats(-5, 5), min_size=3, max_size=3), seed=st.integers(0, 1000))
def test_regression_gradient_matches_finite_differences(theta, seed):
    p = make_regression(samples=30, seed=seed)
    theta = np.array(theta)
    h = 1e-6
    numeric = [(p.loss(theta + h * e) - p.loss(theta - h * e)) / (2 * h) for e in np.eye(3)]
    np.testing.assert_allclose(p.grad(theta), numeric, rtol=1e-5, atol=1e-6)
    residuals = p.features @ theta[:2] + theta[2] - p.targets
    assert p.loss(theta) == pytest.approx(np.mean(residuals**2), rel=1e-12)
    np.testing.assert_allclose(
        p.grad(theta),
        2 * np.column_stack([p.features, np.ones(30)]).T @ residuals / 30,
        rtol=1e-9,
        atol=1e-12,
    )


def test_quadratic_gradient_matches_finite_differences():
    q = Quadratic()
    for x in (-7.0, 0.3, 12.0):
        numeric = (q.loss(np.array([x + 1e-6])) - q.loss(np.array([x - 1e-6]))) / 2e-6
        assert q.grad(np.array([x]))[0] == pytest.approx(numeric, rel=1e-6)
        assert q.loss(np.array([x])) == pytest.approx(x * x / 6)


@pytest.mark.parametrize(
    "variant,lr,beta",
    [
        ("classic", 0.3, 0.6),
        ("classic", 1.0, 0.9),
        ("ema", 2.0, 0.7),
        ("nesterov", 0.5, 0.95),
        ("classic", 5.0, 0.2),
    ],
)
def test_stated_convergence_factor_matches_measured_decay(variant, lr, beta):
    taught = lesson("parabola", lr=lr, beta=beta, steps=600, variant=variant, x0=10)
    traj = taught.run
    err = np.abs(traj.positions[:, 0]) + np.abs(traj.states[:, 0])
    # The measured rate over a long window: (e_t / e_s)^(1/(t−s)), taken where e is still far above roundoff.
    s, t = 100, 100 + min(400, int(np.argmax(err < 1e-250)) - 100 if np.any(err < 1e-250) else 400)
    measured = (np.max(err[t - 5 : t + 1]) / np.max(err[s - 5 : s + 1])) ** (1 / (t - s))
    assert measured == pytest.approx(taught.verdict.rho, rel=0.02)


@settings(max_examples=80, deadline=None)
@given(variant=variants, lr=st.floats(0.05, 40.0), beta=st.floats(0.0, 0.95))
def test_divergence_is_flagged_exactly_when_theory_says_unstable(variant, lr, beta):
    rho = theory.convergence_factor(variant, lr, beta, 1 / 3)
    limit = theory.stable_lr_limit(variant, beta, 1 / 3)
    assert (rho < 1) == (lr < limit) or abs(lr / limit - 1) < 1e-6
    if abs(rho - 1) < 0.02:
        return  # too close to the boundary to tell in 10 000 steps
    traj = run_parabola(lr=lr, beta=beta, steps=10_000, variant=variant, x0=5)
    assert traj.diverged == (rho > 1)
    assert np.all(np.isfinite(traj.positions)) and np.all(np.isfinite(traj.losses))
    if traj.diverged:  # from diverged_at on, never as close to the minimum as one step before
        k, distance = traj.diverged_at, np.abs(traj.positions[:, 0])
        assert np.all(distance[k:] > distance[k - 1]) and distance[k - 1] == distance.min()
        assert traj.losses[-1] > DIVERGENCE_GROWTH * traj.losses[0]  # shown until it has grown a million-fold


def test_divergence_never_returns_non_finite_values():
    traj = run_parabola(lr=1e6, beta=0.99, steps=10_000)
    assert traj.diverged and traj.diverged_at <= 5
    assert np.all(np.isfinite(traj.positions)) and traj.converged_at is None


def test_critical_beta_closed_form_and_discriminant():
    for lr in (0.1, 0.3, 1.0, 3.0, 6.0, 10.0):
        crit = theory.critical_beta("classic", lr, 1 / 3)
        assert crit == pytest.approx((1 - math.sqrt(lr / 3)) ** 2)
        for variant in gdcore.VARIANTS:
            c = theory.critical_beta(variant, lr, 1 / 3)
            if math.isnan(c) or c == 0.0:
                continue
            # just below: real eigenvalues of different size; just above: a complex pair of equal size
            below = np.linalg.eigvals(theory.iteration_matrix(variant, lr, max(c - 1e-4, 0), 1 / 3))
            above = np.linalg.eigvals(theory.iteration_matrix(variant, lr, min(c + 1e-4, 0.9999), 1 / 3))
            assert np.all(np.isreal(below)) and not np.all(np.isreal(above))
    assert theory.damping("classic", 0.3, 0.6, 1 / 3) is theory.Damping.UNDER
    assert theory.damping("classic", 0.3, 0.1, 1 / 3) is theory.Damping.OVER
    assert theory.damping("classic", 3.0, 0.0, 1 / 3) is theory.Damping.CRITICAL  # αλ = 1: there in a step
    assert theory.damping("classic", 4.0, 0.0, 1 / 3) is theory.Damping.FLIP  # eigenvalue 1 − 4/3 = −1/3


@settings(max_examples=150, deadline=None)
@given(variant=variants, lr=st.floats(0.05, 14.0), beta=st.floats(0.0, 0.97))
def test_the_regime_is_how_the_run_moves(variant, lr, beta):
    """The regime from the eigenvalues against what the ball does, read off a run: a swinging ball changes
    side now and then (not at every step), a flipping one at every step, a creeping one never, once the
    faster mode has died out."""
    first, second = theory.eigenvalues(variant, lr, beta, 1 / 3)
    regime = theory.damping(variant, lr, beta, 1 / 3)
    gap = abs(abs(first) - abs(second)) / max(abs(first), 1e-300)
    if not 0.05 < abs(first) < 0.995 or (first.imag == 0 and gap < 0.3) or regime is theory.Damping.CRITICAL:
        return  # too slow, too fast or too close to a meeting point to read off 80 steps
    traj = run_parabola(lr=lr, beta=beta, steps=80, variant=variant, x0=5)
    late = traj.positions[40:, 0]
    late = late[np.abs(late) > 1e-280]
    changes = np.mean(np.sign(late[1:]) != np.sign(late[:-1]))
    period = 2 * math.pi / abs(np.angle(first)) if first.imag else math.inf
    expected = {"under-damped": 2 / period, "flipping": 1.0, "over-damped": 0.0}[regime.value]
    assert changes == pytest.approx(expected, abs=0.1 + 2 / len(late))


def test_critical_damping_is_the_fastest_beta_for_classic():
    lr = 0.3
    crit = theory.critical_beta("classic", lr, 1 / 3)
    grid = np.linspace(0, 0.99, 991)
    rates = [theory.convergence_factor("classic", lr, b, 1 / 3) for b in grid]
    assert grid[int(np.argmin(rates))] == pytest.approx(crit, abs=2e-3)


@pytest.mark.parametrize("kappa", [1.0, 4.0, 100.0])
def test_optimal_parameters_give_the_optimal_rate_on_both_extreme_curvatures(kappa):
    lr, beta, rate = theory.optimal_parameters(kappa, largest_curvature=2.0)
    for curvature in (2.0, 2.0 / kappa):
        assert theory.convergence_factor("classic", lr, beta, curvature) == pytest.approx(rate, abs=1e-6)


@pytest.mark.parametrize(
    "name,value",
    [
        ("lr", 0),
        ("lr", -1),
        ("lr", float("nan")),
        ("lr", float("inf")),
        ("beta", 1.0),
        ("beta", -0.1),
        ("beta", float("nan")),
        ("steps", 0),
        ("steps", 10_001),
        ("steps", 2.5),
        ("x0", 1000.5),
        ("x0", float("-inf")),
        ("samples", 2),
        ("samples", 100_001),
        ("noise", -0.1),
        ("seed", -1),
        ("true_w1", float("nan")),
        ("variant", "adam"),
        ("lr", "0.1"),
        ("steps", True),
    ],
)
def test_every_bad_value_names_the_parameter_value_and_range(name, value):
    with pytest.raises(gdcore.ParameterError) as err:
        gdcore.check(name, value)
    text = str(err.value)
    assert text.startswith(f"{name}=") and repr(value) in text and "expected" in text


def test_good_values_pass_validation_normalised():
    assert gdcore.check_all(lr=1, beta=0, steps=10_000.0, x0=-1000) == {
        "lr": 1.0,
        "beta": 0.0,
        "steps": 10_000,
        "x0": -1000.0,
    }


def test_every_rule_has_its_equation_with_the_lecture_symbols():
    assert set(gdcore.EQUATIONS) == set(gdcore.RULES) == set(gdcore.VARIANTS)
    assert "(1-\\beta)" in gdcore.equations("ema")[0] and "x_t + \\beta" in gdcore.equations("nesterov")[0]
    assert gdcore.equations("classic", "\\theta", "L")[0].endswith("\\nabla L(\\theta_t)")
