"""The valleys problem against independent truth: its critical points by bisection on f′, each run's basin
against where a long run from the same start ends, the lecture's three default outcomes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdcore import compare, lesson, run
from gdcore.problems import DoubleWell


def f(x):
    return (x * x - 4) ** 2 / 16 + 0.3 * x  # written out here, not taken from gdcore


def fprime(x):
    return (f(x + 1e-6) - f(x - 1e-6)) / 2e-6


def roots_by_bisection():
    grid = np.linspace(-4, 4, 8001)
    signs = np.sign([fprime(x) for x in grid])
    found = []
    for i in np.flatnonzero(signs[:-1] != signs[1:]):
        lo, hi = grid[i], grid[i + 1]
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if np.sign(fprime(mid)) == signs[i] else (lo, mid)
        found.append((lo + hi) / 2)
    return found


def test_minima_and_barrier_are_the_roots_of_the_derivative():
    p = DoubleWell()
    left, top, right = roots_by_bisection()
    (gx, gf, gkind), (lx, lf, lkind) = p.minima()
    assert (gx, lx, p.barrier()[0]) == pytest.approx((left, right, top), abs=1e-6)
    assert (gf, lf, p.barrier()[1]) == pytest.approx((f(left), f(right), f(top)), abs=1e-9)
    assert (gkind, lkind) == ("global", "local") and f(left) < f(right) < f(top)
    assert p.lowest_loss == pytest.approx(f(left), abs=1e-9)
    for x in np.linspace(-3, 3, 13):  # the gradient and the second derivative, by finite differences
        assert p.grad(np.array([x]))[0] == pytest.approx(fprime(x), rel=1e-5, abs=1e-7)
        assert p.second(x) == pytest.approx((fprime(x + 1e-4) - fprime(x - 1e-4)) / 2e-4, rel=1e-3, abs=1e-4)


def test_the_formula_on_screen_is_the_loss():
    p = DoubleWell()
    shown = p.formula.text.replace("²", "**2").replace("·", "*").replace("−", "-")
    for x in (-2.5, 0.3, 1.7):
        assert eval(shown, {"x": x}) == pytest.approx(f(x))


def test_the_default_lecture_shows_the_three_outcomes():
    c = compare("valleys", "beta", DoubleWell.DEFAULTS["beta"])
    plain, escapes, too_much = (one.verdict for one in c.lessons)
    assert c.values[0] == 0.0
    assert plain.basin == "local" and plain.crossings == 0  # plain GD stays in the shallow dip
    assert escapes.basin == "global"  # momentum clears the barrier
    assert too_much.crossings >= 2 and too_much.basin in ("local", None)  # crosses, then swings back


@settings(max_examples=25, deadline=None)
@given(beta=st.floats(0.0, 0.97), lr=st.floats(0.05, 0.4), x0=st.floats(-3.0, 3.0))
def test_each_runs_basin_is_where_a_long_run_ends(beta, lr, x0):
    taught = lesson("valleys", beta=beta, lr=lr, x0=x0, steps=400)
    if taught.verdict.basin is None:
        return
    long = run(DoubleWell(), "classic", lr, beta, 10_000, [x0])
    end = long.positions[-1, 0]
    nearest = min(roots_by_bisection()[::2], key=lambda m: abs(m - end))
    assert taught.verdict.basin == ("global" if nearest < 0 else "local")
    assert abs(taught.run.positions[-1, 0] - nearest) < 0.01


def test_kinetic_share_is_the_momentum_step_squared_over_two_alpha():
    taught = lesson("valleys", beta=0.8)
    v = np.diff(taught.run.positions[:, 0])  # classic: x_{t+1} − x_t = v_{t+1}
    np.testing.assert_allclose(taught.kinetic[1:], v**2 / (2 * 0.2), rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("where", ["minimum", "stationary"])
def test_a_ball_started_at_a_minimum_or_on_the_barrier_never_moves_for_any_beta(where):
    """The minimum's and the barrier's x as floats: the slope there is a rounding error (about 1e-16), which
    moves the balls by less than 1e-9 in 40 steps. Every β's ball is still, and the verdict says so
    (val_still_*), whatever the rounding did."""
    from scenes.words import story

    left, top, right = roots_by_bisection()
    x0 = {"minimum": DoubleWell().minima()[1][0], "stationary": DoubleWell().barrier()[0]}[where]
    assert x0 == pytest.approx(right if where == "minimum" else top, abs=1e-6)
    c = compare("valleys", "beta", [0.0, 0.8, 0.95], x0=x0, steps=40)
    for one in c.lessons:
        assert np.abs(one.run.positions - x0).max() < 1e-9  # independent: none moves to any eye
        assert one.verdict.still == where
    said = [line.key for line in story.valleys_verdict(c)]
    assert said == [f"val_still_{where}"] * 3 + ["val_moral_still"]
