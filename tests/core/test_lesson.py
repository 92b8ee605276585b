"""The Lesson (one lecture's numbers, computed once) and the problems as objects, against independent truth:
roots of characteristic polynomials, closed forms of plain gradient descent, eigenvalues of XᵀX, finite
differences, the displayed formula evaluated."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore
from gdcore import LECTURES, Damping, Outcome, Quadratic, lesson
from gdcore.validation import HYPERPARAMETERS, Hyperparameter


def characteristic_rho(variant, lr, beta, curvature):
    """The spectral radius from the roots of each rule's characteristic polynomial, written out here."""
    a = lr * curvature
    poly = {
        "classic": [1, -(1 + beta - a), beta],
        "ema": [1, -(1 + beta - a * (1 - beta)), beta],
        "nesterov": [1, -(1 + beta) * (1 - a), beta * (1 - a)],
    }[variant]
    return max(abs(np.roots(poly)))


@settings(max_examples=60, deadline=None)
@given(variant=st.sampled_from(gdcore.VARIANTS), lr=st.floats(0.05, 12.0), beta=st.floats(0.0, 0.95))
def test_verdict_rate_is_the_root_of_the_characteristic_polynomial(variant, lr, beta):
    v = lesson("parabola", variant=variant, lr=lr, beta=beta, steps=5).verdict
    assert v.rho == pytest.approx(characteristic_rho(variant, lr, beta, 1 / 3), rel=1e-6)


@pytest.mark.parametrize("variant", gdcore.VARIANTS)
def test_regression_verdict_uses_the_curvatures_of_its_data(variant):
    taught = lesson("regression", variant=variant, lr=0.3, beta=0.7, samples=40, seed=5)
    x = np.column_stack([taught.problem.features, np.ones(40)])
    curvatures = np.linalg.eigvalsh(2 * x.T @ x / 40)  # the MSE's Hessian, built here
    v = taught.verdict
    assert v.rho == pytest.approx(max(characteristic_rho(variant, 0.3, 0.7, c) for c in curvatures), rel=1e-6)
    limit = {"classic": 2 * 1.7, "ema": 2 * 1.7 / 0.3, "nesterov": 2 * 1.7 / 2.4}[variant] / curvatures.max()
    assert v.lr_limit == pytest.approx(limit)
    if variant == "classic":  # critical damping of the slowest mode: (1 − √(αλ_min))²
        assert v.critical_beta == pytest.approx((1 - math.sqrt(0.3 * curvatures.min())) ** 2)
    lstsq = np.linalg.lstsq(x, taught.problem.targets, rcond=None)[0]
    assert v.distance == pytest.approx(np.linalg.norm(taught.run.positions[-1] - lstsq), abs=1e-12)


@pytest.mark.parametrize("lr", [0.3, 1.0, 2.5, 4.0])
def test_plain_gd_steps_follow_the_closed_form(lr):
    # plain GD on x²/6: x_t = x0·(1 − α/3)^t settles once |1 − α/3|^t <= 1e-3
    v = lesson("parabola", lr=lr, beta=0.5, steps=200).verdict
    factor = abs(1 - lr / 3)
    assert v.gd_steps == math.ceil(math.log(1e-3) / math.log(factor) - 1e-9)


def test_baseline_is_plain_gradient_descent_from_the_same_start():
    taught = lesson("regression", lr=0.4, beta=0.8, steps=30, samples=20, seed=2)
    x = np.column_stack([taught.problem.features, np.ones(20)])
    y = taught.problem.targets
    theta = np.zeros(3)
    for t in range(31):
        np.testing.assert_allclose(taught.baseline.positions[t], theta, atol=1e-12)
        theta = theta - 0.4 * 2 * x.T @ (x @ theta - y) / 20
    assert lesson("regression", beta=0.0).baseline is None


@pytest.mark.parametrize("variant", gdcore.VARIANTS)
def test_arrows_are_the_momentum_step_and_the_push(variant):
    taught = lesson("parabola", variant=variant, lr=0.7, beta=0.8, steps=12, x0=-3)
    xs = taught.run.positions[:, 0]
    # the momentum step carries x_t to x_{t+1} together with the push (at the look-ahead point for nesterov)
    moves, pushes = taught.moves[:, 0], taught.pushes[:, 0]
    for t in range(12):
        numeric = (
            taught.problem.loss(np.array([xs[t] + 1e-6])) - taught.problem.loss(np.array([xs[t] - 1e-6]))
        ) / 2e-6
        assert pushes[t] == pytest.approx(-0.7 * numeric, rel=1e-6, abs=1e-9)
        if variant == "classic":
            assert xs[t + 1] == pytest.approx(xs[t] + 0.8 * moves[t] + pushes[t])
        elif variant == "ema":  # −α·m_{t+1} = β·(−α·m_t) + (1 − β)·(−α·∇f)
            assert xs[t + 1] == pytest.approx(xs[t] + 0.8 * moves[t] + 0.2 * pushes[t])
    assert moves[0] == 0 and not moves.flags.writeable and not pushes.flags.writeable


def test_outcomes_and_regimes():
    assert lesson("parabola").verdict.outcome is Outcome.CONVERGED
    assert lesson("parabola").verdict.regime is Damping.UNDER  # β = 0.6 > (1 − √0.1)² ≈ 0.468
    assert lesson("parabola", beta=0.2).verdict.regime is Damping.OVER
    slow = lesson("parabola", beta=0.95, steps=150).verdict
    assert slow.outcome is Outcome.NOT_SETTLED and slow.step == 150
    wild = lesson("parabola", lr=13, steps=30).verdict  # x1 = 5 − 13·5/3 is already farther than x0
    assert wild.outcome is Outcome.DIVERGED and wild.step == 1 and 13 > wild.lr_limit == pytest.approx(9.6)
    flips = lesson("parabola", lr=4, beta=0.0).verdict  # x ← (1 − 4/3)·x: the other side at every step
    assert flips.regime is Damping.FLIP and flips.eigenvalues[0] == pytest.approx(-1 / 3)


def test_divergence_is_decided_by_rho_not_by_a_loss_threshold():
    """Regression, α 5 % above plain gradient descent's stable limit 2/λ_max: plain gradient descent's loss
    dips, then grows for good (ρ > 1) well within the steps shown, and it diverged from the step after its
    closest approach; momentum's wider limit 2(1 + β)/λ_max keeps its own run stable."""
    problem = lesson("regression").problem
    lr = 1.05 * 2 / float(problem.curvatures[-1])
    taught = lesson("regression", lr=lr, beta=0.5)
    plain = taught.baseline
    distance = np.linalg.norm(plain.positions - problem.minimizer(), axis=1)
    k = plain.diverged_at
    assert plain.rate > 1 and k is not None and 1 < k <= taught.params["steps"]
    assert distance[k - 1] == distance.min() and np.all(distance[k:] > distance[k - 1])
    assert taught.verdict.outcome is not Outcome.DIVERGED and taught.verdict.rho < 1


def test_a_start_at_the_minimum_or_on_a_stationary_point_is_still():
    assert lesson("parabola", x0=0.0).verdict.still == "minimum"
    assert lesson("parabola", x0=0.0).verdict.rho == 0.0  # no mode moves: nothing to shrink
    assert lesson("parabola", x0=1e-9).verdict.still is None
    top = float(gdcore.lesson("valleys").problem.barrier()[0])
    valley = gdcore.compare("valleys", "beta", (0.0, 0.8), x0=top).lessons[0]
    assert np.all(valley.run.positions == valley.run.positions[0]) == (valley.verdict.still == "stationary")


def test_every_value_is_checked_once(monkeypatch):
    seen = []
    original = Hyperparameter.check

    def counting(self, value):
        seen.append(self.name)
        return original(self, value)

    monkeypatch.setattr(Hyperparameter, "check", counting)
    for scene, cls in LECTURES.items():
        seen.clear()
        given = {n: v[0] if isinstance(v, tuple) else v for n, v in cls.DEFAULTS.items() if v is not None}
        lesson(scene, **given)
        assert {name: seen.count(name) for name in given} == dict.fromkeys(given, 1), scene


def test_bad_and_unknown_parameters():
    with pytest.raises(gdcore.ParameterError, match="beta=1.0"):
        lesson("parabola", beta=1.0)
    with pytest.raises(TypeError, match="x0"):
        lesson("regression", x0=1.0)


def test_summary_is_plain_json():
    import json

    s = json.loads(
        json.dumps(lesson("parabola", variant="ema", beta=0.999, lr=0.01, steps=3).summary(), allow_nan=False)
    )
    assert s["outcome"] == "not settled" and s["damping"] in {d.value for d in Damping}


def test_every_lecture_default_is_a_valid_row_of_the_table():
    for cls in LECTURES.values():
        for name, value in cls.DEFAULTS.items():
            if value is None:  # an option that is not used by default (batch_size: all the samples)
                assert name in cls.OPTIONAL
                continue
            for one in (
                value if isinstance(value, tuple) else [value]
            ):  # a tuple: the values compared by design
                assert HYPERPARAMETERS[name].check(one) == one


def evaluate(text: str, x: float) -> float:
    """A caption formula such as 'x²/6' or '0.3·x²' evaluated at x."""
    return eval(text.replace("x²", "(x**2)").replace("·", "*"), {"x": x})


@pytest.mark.parametrize("a", [1 / 6, 0.25, 0.5, 0.3, 2.0, 1 / 12])
def test_the_formula_on_screen_is_the_loss_that_is_run(a):
    p = Quadratic(a)
    for x in (-2.5, 0.7, 3.0):
        assert evaluate(p.formula.text, x) == pytest.approx(p.loss(np.array([x])))
        assert evaluate(p.derivative.text, x) == pytest.approx(p.grad(np.array([x]))[0])
    assert p.formula.tex.count("x^2") == 1 and p.formula.say.startswith(
        "say_"
    )  # its words: the language files


def test_regression_level_curve_has_the_stated_loss_gap():
    p = lesson("regression", samples=50, seed=4).problem
    b = p.minimizer()[2]
    floor = p.loss(p.minimizer())
    x = np.column_stack([p.features, np.ones(50)])
    lstsq = np.linalg.lstsq(x, p.targets, rcond=None)[0]
    assert p.lowest_loss == pytest.approx(np.mean((x @ lstsq - p.targets) ** 2), rel=1e-12)
    for gap in (0.01, 0.5, 3.0):
        for w1, w2 in p.level_curve(gap, points=12):
            assert p.loss(np.array([w1, w2, b])) - floor == pytest.approx(gap, rel=1e-9)


def test_an_optional_option_at_its_default_leaves_the_params_as_they_were(monkeypatch):
    """A lecture option added later (OPTIONAL) is not in the params at its default, given or not: a video made
    before it existed keeps its parameters (and so its name); any other value is a parameter like the rest."""
    cls = LECTURES["parabola"]
    before = gdcore.lesson("parabola").params
    monkeypatch.setitem(HYPERPARAMETERS, "tilt", Hyperparameter("tilt", HYPERPARAMETERS["x0"].valid, "test"))
    monkeypatch.setattr(cls, "DEFAULTS", {**cls.DEFAULTS, "tilt": 0.0})
    monkeypatch.setattr(cls, "OPTIONAL", ("tilt",))
    assert dict(gdcore.lesson("parabola").params) == dict(before)
    assert dict(gdcore.lesson("parabola", tilt=0).params) == dict(before)
    assert gdcore.lesson("parabola", tilt=2.0).params == {**before, "tilt": 2.0}
