"""The batched runs (iterate_many, teach_grid, the problems' losses/grads on a batch) against the single runs and
against independent truth: plain gradient descent's closed form, the data's mean squared error, np.linalg."""

import math
from dataclasses import astuple

import numpy as np
import pytest

import gdcore
from gdcore import LECTURES, VARIANTS, compare, theory
from gdcore.compare import gather
from gdcore.lesson import checked, teach, teach_grid
from gdcore.trajectory import iterate, iterate_many

SCENES = ("parabola", "regression", "valleys")
FIELDS = ("positions", "states", "gradients", "losses")


def problem_of(scene: str, **given):
    params = checked(scene, given)
    return LECTURES[scene].from_params(params), params


def same_run(a, b) -> bool:
    """Two Trajectories hold the same numbers, step for step, and the same verdict on them."""
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in FIELDS) and (
        a.variant,
        a.lr,
        a.beta,
        a.diverged_at,
        a.converged_at,
    ) == (b.variant, b.lr, b.beta, b.diverged_at, b.converged_at)


@pytest.mark.parametrize("scene", SCENES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_iterate_many_equals_iterate_number_for_number(scene, variant):
    problem, params = problem_of(scene)
    rng = np.random.default_rng(3 * SCENES.index(scene) + VARIANTS.index(variant))
    top = 40.0 / float(problem.curvatures[-1])  # past the widest stable α (ema's too): some runs diverge
    lrs = np.exp(rng.uniform(math.log(0.01), math.log(top), 60))
    betas = np.where(rng.random(60) < 0.2, 0.0, rng.uniform(0.0, 0.995, 60))
    many = iterate_many(problem, variant, lrs, betas, 40, problem.start(params))
    one = [
        iterate(problem, variant, float(a), float(b), 40, problem.start(params)) for a, b in zip(lrs, betas)
    ]
    assert all(same_run(m, o) for m, o in zip(many, one))
    assert any(o.diverged for o in one) and any(o.converged_at is not None for o in one)
    assert any(not o.diverged and o.converged_at is None for o in one) or scene == "parabola"


def test_a_run_that_diverges_only_beyond_the_steps_shown_is_not_diverged_in_both():
    """The ravine's steep mode slightly unstable (1 − 25α = −1.02) from a tiny part of the start: the flat
    mode's shrinking distance (0.9192ᵏ·5) hides the steep one's growth (1.02ᵏ·10⁻¹⁰) until step 245 or so."""
    problem = LECTURES["ravine"].from_params({"kappa": 25.0})
    lr, start = 2.02 / 25, np.array([5.0, 1e-10])
    k = np.arange(400)
    closest = int(np.argmin(np.hypot(5 * (1 - lr) ** k, 1e-10 * 1.02**k)))  # the closed form's nearest
    for steps, seen in ((200, False), (300, True)):
        one = iterate(problem, "classic", lr, 0.0, steps, start)
        many = iterate_many(problem, "classic", [lr], [0.0], steps, start)[0]
        assert same_run(one, many) and one.converged_at is None and one.rate == pytest.approx(1.02)
        assert (one.diverged_at is not None) == seen
    assert one.diverged_at == closest + 1


@pytest.mark.parametrize("scene", SCENES)
def test_batched_losses_and_gradients_are_the_single_ones_and_the_truth(scene):
    problem, params = problem_of(scene)
    xs = np.random.default_rng(4).normal(0, 3, (25, len(problem.param_names)))
    assert np.array_equal(problem.losses(xs), [problem.loss(x) for x in xs])
    assert np.array_equal(problem.grads(xs), [problem.grad(x) for x in xs])
    if scene == "regression":  # the mean squared error over the data, and its gradient (2/n)·Xᵀ(Xθ − y)
        residuals = xs @ problem.design.T - problem.targets
        truth = np.mean(residuals**2, axis=1), 2 * residuals @ problem.design / len(problem.targets)
    elif scene == "parabola":
        truth = xs[:, 0] ** 2 / 6, xs / 3
    else:
        truth = (xs[:, 0] ** 2 - 4) ** 2 / 16 + 0.3 * xs[:, 0], xs * (xs**2 - 4) / 4 + 0.3
    assert np.allclose(problem.losses(xs), truth[0], rtol=1e-12) and np.allclose(problem.grads(xs), truth[1])
    assert problem.basins(xs) == [problem.basin(x) for x in xs]


@pytest.mark.parametrize("scene", SCENES)
def test_plain_gradient_descent_is_one_run_for_every_rule(scene):
    """β = 0: classic and nesterov take v = −α·∇f, ema m = ∇f: the same steps, the same gradients and losses,
    the same momentum step (displacement); on the parabola, x_t = (1 − α/3)^t·x0."""
    problem, params = problem_of(scene)
    lr, x0 = 0.7, problem.start(params)
    runs = {v: iterate(problem, v, lr, 0.0, 30, x0) for v in VARIANTS}
    for v in ("ema", "nesterov"):
        assert all(
            np.array_equal(getattr(runs[v], f), getattr(runs["classic"], f))
            for f in ("positions", "gradients", "losses")
        )
        assert np.array_equal(gdcore.displacement(v, runs[v].states, lr), runs["classic"].states)
    assert np.array_equal(runs["nesterov"].states, runs["classic"].states)
    assert np.array_equal(runs["ema"].states[1:], runs["classic"].gradients[:-1])
    if scene == "parabola":
        assert np.allclose(runs["classic"].positions[:, 0], (1 - lr / 3) ** np.arange(31) * x0[0], rtol=1e-12)


def same_lesson(a, b) -> bool:
    va, vb = (
        tuple(None if isinstance(x, float) and math.isnan(x) else x for x in astuple(v))
        for v in (a.verdict, b.verdict)
    )
    baselines = (a.baseline is None and b.baseline is None) or same_run(a.baseline, b.baseline)
    return (
        same_run(a.run, b.run)
        and baselines
        and va == vb
        and dict(a.params) == dict(b.params)
        and all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("moves", "pushes", "kinetic"))
        and a.facts() == b.facts()
        and a.facts("β = 0") == b.facts("β = 0")
    )


GIVEN = {"parabola": {"steps": 30}, "regression": {"steps": 20, "samples": 30}, "valleys": {"steps": 80}}


@pytest.mark.parametrize("scene", SCENES)
@pytest.mark.parametrize("variant", VARIANTS)
def test_teach_grid_equals_teach_at_every_point_and_runs_plain_gd_once_per_alpha(scene, variant):
    params = checked(scene, {**GIVEN[scene], "variant": variant})
    lrs, betas = (0.02, 0.3, 1.9, 7.0, 25.0), (0.0, 0.3, 0.6, 0.9, 0.99)
    grid = teach_grid(scene, params, lrs, betas)
    outcomes = set()
    for i, lr in enumerate(lrs):
        for j, beta in enumerate(betas):
            want = teach(scene, {**params, "lr": lr, "beta": beta})
            assert same_lesson(grid[i][j], want)
            outcomes.add(want.verdict.outcome)
        assert all(one.baseline is grid[i][0].run for one in grid[i][1:])  # one plain run per α
    assert gdcore.Outcome.DIVERGED in outcomes and len(outcomes) >= 2


def test_a_valleys_comparison_gathered_from_the_grid_is_compare():
    params = checked("valleys", {"steps": 120})
    row = teach_grid("valleys", params, (0.2,), (0.0, 0.8, 0.95))[0]
    gathered, truth = gather("beta", row), compare("valleys", "beta", (0.0, 0.8, 0.95), steps=120)
    assert dict(gathered.params) == dict(truth.params) and gathered.values == truth.values
    assert (gathered.fastest, gathered.at_critical, gathered.lowest_rho) == (
        truth.fastest,
        truth.at_critical,
        truth.lowest_rho,
    )
    assert gathered.facts() == truth.facts()


@pytest.mark.parametrize("scene", ("parabola", "regression"))
@pytest.mark.parametrize("variant", VARIANTS)
def test_convergence_factor_many_is_convergence_factor_and_the_closed_form(scene, variant):
    problem, _ = problem_of(scene)
    rng = np.random.default_rng(9)
    lrs, betas = rng.uniform(0.01, 8.0, 50), rng.uniform(0.0, 0.99, 50)
    many = theory.convergence_factor_many(variant, lrs, betas, problem.hessian())
    assert np.array_equal(
        many, [theory.convergence_factor(variant, a, b, problem.hessian()) for a, b in zip(lrs, betas)]
    )
    closed = theory.convergence_factors(variant, lrs, betas, problem.curvatures)
    assert np.allclose(many, closed, rtol=1e-6, atol=1e-7)


def test_facts_are_worked_out_once_per_label_and_name_it():
    one = teach("parabola", checked("parabola", {}))
    first = one.facts("β = 0.6")
    assert one.facts("β = 0.6") == first and first["outcome"]["run"] == "β = 0.6"
    assert one.facts()["outcome"]["run"] == "momentum" and one.facts("β = 0.6") is not first
