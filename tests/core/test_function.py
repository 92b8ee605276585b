"""The function a teacher types (--scene function) against independent truth: its derivatives against central
finite differences of its values, its runs against NumPy runs written out here with derivatives worked by
hand, its stationary points against numpy.roots of f' and its basins against where a long run with tiny
steps ends; what it cannot be is refused in one line."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import gdcore
import render
from gdcore import expression, lesson
from gdcore.lesson import checked, teach, teach_grid
from gdcore.trajectory import iterate, iterate_many
from gdcore.typed import TypedFunction
from scenes.pipeline.request import videos

ROOT = Path(render.__file__).parent

# text, view, f' written by hand (not by SymPy), a start; polynomials, exp/log, trigonometry, kinks
# (their learning rates: LRS)
FUNCTIONS = {
    "x**2/2 - x": ((-10, 10), lambda x: x - 1, 4.0),
    "x**4/4 - x**2 + 0.3*x": ((-10, 10), lambda x: x**3 - 2 * x + 0.3, 2.5),
    "x^6/6 - 2.5*x^4 + 8*x^2 + 0.5*x": ((-4, 4), lambda x: x**5 - 10 * x**3 + 16 * x + 0.5, 3.5),
    "(x - 1)**2*(x + 2)**2/10": (
        (-5, 5),
        lambda x: (2 * (x - 1) * (x + 2) ** 2 + 2 * (x - 1) ** 2 * (x + 2)) / 10,
        3.0,
    ),
    "exp(x) + exp(-x)": ((-5, 5), lambda x: np.exp(x) - np.exp(-x), 2.0),
    "log(1 + x**2)": ((-10, 10), lambda x: 2 * x / (1 + x**2), 0.8),
    "x**2/2 + 2*exp(-x)": ((-5, 5), lambda x: x - 2 * np.exp(-x), -1.0),
    "x*log(x)": ((0.05, 5), lambda x: np.log(x) + 1, 3.0),
    "abs(x)**1.5": ((-10, 10), lambda x: 1.5 * np.sign(x) * np.abs(x) ** 0.5, 3.0),
    "abs(x - 1) + x**2/4": ((-5, 5), lambda x: np.sign(x - 1) + x / 2, -3.0),
    "x**2 + 10*sin(x)": ((-10, 10), lambda x: 2 * x + 10 * np.cos(x), 6.0),
    "sqrt(x**2 + 1) + tanh(x)/2": (
        (-10, 10),
        lambda x: x / np.sqrt(x**2 + 1) + (1 - np.tanh(x) ** 2) / 2,
        4.0,
    ),
    "cos(x) + x**2/20 + atan(x)/5": ((-10, 10), lambda x: -np.sin(x) + x / 10 + 0.2 / (1 + x**2), 7.0),
}
LRS = {
    "x**2/2 - x": 0.3,
    "x**4/4 - x**2 + 0.3*x": 0.1,
    "x^6/6 - 2.5*x^4 + 8*x^2 + 0.5*x": 0.002,
    "(x - 1)**2*(x + 2)**2/10": 0.05,
    "exp(x) + exp(-x)": 0.05,
    "log(1 + x**2)": 0.3,
    "x**2/2 + 2*exp(-x)": 0.05,
    "x*log(x)": 0.3,
    "abs(x)**1.5": 0.2,
    "abs(x - 1) + x**2/4": 0.3,
    "x**2 + 10*sin(x)": 0.05,
    "sqrt(x**2 + 1) + tanh(x)/2": 0.3,
    "cos(x) + x**2/20 + atan(x)/5": 0.3,
}


def problem(text):
    (low, high), _, _ = FUNCTIONS[text]
    return TypedFunction(text, float(low), float(high))


def smooth_points(p, count=25):
    """Points of the view away from its kinks (where f' jumps and no derivative exists)."""
    kinks = [s.x for s in p.stationary() if math.isnan(s.curvature) and s.kind != "flat"]
    xs = np.linspace(p.low, p.high, count + 2)[1:-1] + 0.0123
    return [x for x in xs if all(abs(x - k) > 1e-3 for k in kinks)]


@pytest.mark.parametrize("text", FUNCTIONS)
def test_sympys_derivatives_are_central_finite_differences_of_the_values(text):
    p = problem(text)
    for x in smooth_points(p):
        h = 1e-5 * max(1.0, abs(x))
        f = [p.loss(np.array([x + k * h])) for k in (-1, 1)]
        assert p.grad(np.array([x]))[0] == pytest.approx((f[1] - f[0]) / (2 * h), rel=1e-6, abs=1e-6)
        g = [p.grad(np.array([x + k * h]))[0] for k in (-1, 1)]
        assert p.second(x) == pytest.approx((g[1] - g[0]) / (2 * h), rel=1e-5, abs=1e-5)
        assert p.grad(np.array([x]))[0] == pytest.approx(FUNCTIONS[text][1](x), rel=1e-10, abs=1e-10)


def heavy_ball(slope, variant, lr, beta, steps, x0):
    """Each rule written out with plain floats: positions 0..steps (what gdcore's run must be)."""
    x, v, xs = x0, 0.0, [x0]
    for _ in range(steps):
        if variant == "classic":
            v = beta * v - lr * slope(x)
            x = x + v
        elif variant == "ema":
            v = beta * v + (1 - beta) * slope(x)
            x = x - lr * v
        else:
            v = beta * v - lr * slope(x + beta * v)
            x = x + v
        xs.append(x)
    return np.array(xs)


@pytest.mark.parametrize("text", FUNCTIONS)
@pytest.mark.parametrize("variant", ["classic", "ema", "nesterov"])
def test_the_run_is_an_independent_numpy_run(text, variant):
    (low, high), slope, x0 = FUNCTIONS[text]
    given = {"function": text, "x_min": low, "x_max": high, "x0": x0, "variant": variant}
    lr = LRS[text]
    one = lesson("function", lr=lr, beta=0.6, steps=40, **given)
    for run, beta in ((one.run, 0.6), (one.baseline, 0.0)):
        with np.errstate(all="ignore"):
            expected = heavy_ball(slope, variant, lr, beta, 40, x0)
        n = len(run.positions)
        np.testing.assert_allclose(run.positions[:, 0], expected[:n], rtol=1e-9, atol=1e-9)
        with np.errstate(all="ignore"):  # it stopped where f' is not a real number (x·log(x) at x < 0)
            assert n == 41 or (run.diverged_at == n and not np.isfinite(slope(expected[n])))


POLYNOMIALS = {  # text, view, f' coefficients for numpy.roots (highest power first)
    "x**2/2 - x": ((-10, 10), [1, -1]),
    "x**4/4 - x**2 + 0.3*x": ((-10, 10), [1, 0, -2, 0.3]),
    "x^6/6 - 2.5*x^4 + 8*x^2 + 0.5*x": ((-4, 4), [1, 0, -10, 0, 16, 0.5]),
    "x**3 - 3*x": ((-10, 10), [3, 0, -3]),
    "(x**2 - 1)**2": ((-3, 3), [4, 0, -4, 0]),
}


@pytest.mark.parametrize("text", POLYNOMIALS)
def test_stationary_points_are_numpy_roots_of_the_derivative(text):
    (low, high), coefficients = POLYNOMIALS[text]
    p = TypedFunction(text, float(low), float(high))
    roots = np.roots(coefficients)
    real = np.sort(roots[(np.abs(roots.imag) < 1e-9) & (roots.real > low) & (roots.real < high)].real)
    second = np.polyder(coefficients)
    kinds = ["minimum" if np.polyval(second, r) > 0 else "maximum" for r in real]
    assert [s.kind for s in p.stationary()] == kinds
    np.testing.assert_allclose([s.x for s in p.stationary()], real, atol=1e-9)
    np.testing.assert_allclose([s.curvature for s in p.stationary()], np.polyval(second, real), rtol=1e-6)


def test_three_minima_each_run_ends_in_the_basin_it_is_labelled_with():
    text = "x^6/6 - 2.5*x^4 + 8*x^2 + 0.5*x"
    p = problem(text)
    assert [label for _, _, label in p.minima()] == ["global", "local 1", "local 2"]
    assert len(p.barriers()) == 2
    slope = FUNCTIONS[text][1]
    starts = np.random.default_rng(5).uniform(-3.9, 3.9, 60)
    ends = heavy_ball(slope, "classic", 1e-3, 0.0, 20_000, starts)[-1]  # gradient flow: tiny plain steps
    labels = p.basins(starts[:, None])
    assert len(set(labels)) == 3
    for x0, end, label in zip(starts, ends, labels):
        nearest = min(p.minima(), key=lambda m: abs(m[0] - end))
        assert abs(nearest[0] - end) < 1e-6 and label == nearest[2], x0


def test_a_function_with_no_minimum_is_a_lesson_where_the_ball_runs_away():
    one = lesson("function", function="x**3", x0=2.0, steps=60)
    assert one.problem.minima() == () and [s.kind for s in one.problem.stationary()] == ["flat"]
    assert one.verdict.outcome is not gdcore.Outcome.CONVERGED and one.verdict.regime is gdcore.Damping.NONE
    assert one.run.positions[-1, 0] < -10 and math.isnan(one.verdict.rho)
    assert one.problem.left_view(one.run)["side"] == "left"
    json.dumps([one.summary(), one.facts(), one.problem.describe()], allow_nan=False)


def test_a_run_that_steps_where_the_function_is_not_defined_stops_there_and_says_so():
    one = lesson("function", function="x*log(x)", x_min=0.05, x_max=5, x0=3.0, lr=0.3, beta=0.6)
    after = heavy_ball(lambda x: np.log(x) + 1, "classic", 0.3, 0.6, one.run.diverged_at, 3.0)[-1]
    assert after < 0 and one.problem.left_view(one.run) == {
        "claim": "left_view",
        "step": one.run.diverged_at,
        "side": "left",
        "outside": True,
        "defined": False,
    }
    inside = lesson("function", function="x*log(x)", x_min=0.05, x_max=5, x0=3.0, lr=0.3, beta=0.0)
    assert inside.problem.left_view(inside.run)["step"] is None and inside.verdict.basin == "global"


def test_a_kink_has_no_quadratic_model_and_plain_descent_ends_in_its_two_cycle():
    """On |x|^1.5 plain gradient descent ends swinging between ±(0.75·α)² (x − 1.5α·√x = −x), never settling."""
    lr = 0.2
    one = lesson("function", function="abs(x)**1.5", lr=lr, beta=0.0, x0=3.0, steps=60)
    assert one.verdict.outcome is gdcore.Outcome.NOT_SETTLED and one.verdict.regime is gdcore.Damping.NONE
    np.testing.assert_allclose(np.abs(one.run.positions[-4:, 0]), (0.75 * lr) ** 2, rtol=1e-9)
    assert one.run.positions[-1, 0] * one.run.positions[-2, 0] < 0
    facts = one.facts()
    assert facts["rate"]["rho"] is None and facts["stable_limit"]["change"] is None
    assert facts["damping"]["regime"] == "no quadratic model"


@pytest.mark.parametrize("beta", [0.0, 0.7])
def test_the_theory_reads_the_curvature_at_the_minimum_nearest_the_runs_end(beta):
    one = lesson("function", beta=beta)  # plain descent stops in the shallow dip, momentum rolls over
    roots = np.roots([1, 0, -2, 0.3]).real
    end = one.run.positions[-1, 0]
    nearest = roots[np.argmin(np.abs(roots - end))]
    curvature = 3 * nearest**2 - 2
    lr = one.params["lr"]
    expected = abs(1 - lr * curvature) if beta == 0 else math.sqrt(beta)  # plain; under-damped heavy ball
    assert one.verdict.rho == pytest.approx(expected, rel=1e-9)
    assert one.verdict.basin == ("local" if beta == 0 else "global")


def test_a_grid_of_runs_is_the_single_runs_number_for_number():
    params = checked("function", {"function": "x**2 + 10*sin(x)", "x0": 6.0, "steps": 50})
    lrs, betas = (0.01, 0.05, 0.2), (0.0, 0.5, 0.9)
    grid = teach_grid("function", params, lrs, betas)
    for i, lr in enumerate(lrs):
        for j, beta in enumerate(betas):
            one, many = teach("function", {**params, "lr": lr, "beta": beta}), grid[i][j]
            assert np.array_equal(one.run.positions, many.run.positions)
            assert one.verdict == many.verdict or (
                math.isnan(one.verdict.rho) and math.isnan(many.verdict.rho)
            )
    p = gdcore.LECTURES["function"].from_params(params)
    many = iterate_many(p, "nesterov", [0.05, 0.3], [0.8, 0.0], 30, np.array([6.0]))
    for run, (lr, beta) in zip(many, [(0.05, 0.8), (0.3, 0.0)]):
        assert np.array_equal(run.positions, iterate(p, "nesterov", lr, beta, 30, np.array([6.0])).positions)


def plain(text: str) -> str:
    """A caption's formula back as Python: superscripts as powers, · as *, − as -."""
    powers = {c: f"**{d}" for c, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")}
    return "".join(powers.get(c, c) for c in text).replace("·", "*").replace("−", "-").replace("^", "**")


@pytest.mark.parametrize(
    "text", ["x**4/4 - x**2 + 0.3*x", "x^6/6 - 2.5*x^4 + 8*x^2 + 0.5*x", "exp(x) + exp(-x)"]
)
def test_the_formula_and_its_derivative_on_screen_are_the_ones_that_are_run(text):
    p = problem(text)
    names = {"x": 0.0, "exp": np.exp, "log": np.log, "e": math.e}
    for x in (-1.3, 0.4, 2.2):
        names["x"] = x
        assert eval(plain(p.formula.text), names) == pytest.approx(p.loss(np.array([x])), rel=1e-12)
        assert eval(plain(p.derivative.text), names) == pytest.approx(p.grad(np.array([x]))[0], rel=1e-12)
    assert p.formula.tex == expression.tex(expression.parse(text))


def invoke(*args):
    return CliRunner().invoke(render.main, [str(a) for a in args])


REFUSED = {  # the options, and what the line must say
    "syntax error": (["--function", "x**2 +* 3"], "syntax error at column 7"),
    "unfinished": (["--function", "x**2 +"], "syntax error at column 7"),
    "unknown name": (["--function", "y**2"], "unknown name 'y'"),
    "unknown function": (["--function", "max(x, 1)"], "unknown function 'max'"),
    "import": (["--function", "__import__('os')"], "unknown function '__import__'"),
    "attribute": (["--function", "x.real"], "attribute access"),
    "dunder attribute": (["--function", "().__class__"], "attribute access"),
    "lambda": (["--function", "(lambda: 1)()"], "unknown function"),
    "bare lambda": (["--function", "lambda: x"], "not allowed"),
    "subscript": (["--function", "x[0]"], "not allowed"),
    "string": (["--function", "'x'"], "not allowed"),
    "comparison": (["--function", "x < 1"], "not allowed"),
    "keyword": (["--function", "sin(x=1)"], "one argument"),
    "a comment": (["--function", "x**2 # <script>"], "'#' at column 6"),
    "hexadecimal": (["--function", "0x10*x"], "'0x10' at column 1 is not a plain decimal number"),
    "underscores": (["--function", "1_0*x"], "not a plain decimal number"),
    "two arguments": (["--function", "sin(x, 2)"], "one argument"),
    "not ASCII": (["--function", "x² + 1"], "column 2"),
    "empty": (["--function", "  "], "empty"),
    "too long": (["--function", "+".join(["x"] * 120)], "at most 200"),
    "constant": (["--function", "3"], "does not depend on x"),
    "division by zero": (["--function", "x + 1/0"], "not a finite number"),
    "complex constant": (["--function", "x + sqrt(-1)"], "not a real number"),
    "not real": (["--function", "log(x)"], "not real at x = -10"),
    "root not real": (["--function", "sqrt(x) + x"], "not real"),
    "pole": (["--function", "1/(x - 0.123456)"], "not finite at x = 0.12"),
    "pole between points": (["--function", "log(x**2)"], "not finite at x = 0"),
    "tangent": (["--function", "tan(x)", "--x-min", "-3", "--x-max", "3"], "not finite"),
    "overflow": (["--function", "exp(exp(exp(x)))"], "not a finite real number"),
    "wiggly": (["--function", "sin(50*x)"], "more than 40 stationary points"),
    "start outside the view": (["--x0", "50"], "--x0"),
    "empty view": (["--x-min", "3", "--x-max", "2"], "--x-max"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_refused_in_one_line_with_exit_2_and_nothing_written(tmp_path, name):
    args, said = REFUSED[name]
    for extra in (["--export-data", tmp_path / "data"], ["--output", tmp_path / "videos"]):
        result = invoke("--scene", "function", *args, *extra)
        lines = [line for line in result.output.splitlines() if line.startswith("Error")]
        assert result.exit_code == 2 and len(lines) == 1 and "Traceback" not in result.output, result.output
        assert said in lines[0], lines[0]
        assert not any(tmp_path.iterdir())


BOUNDED = {  # each is refused, or computed in bounded time and size: never a hang
    "x**x**x**x": (["--function", "x**x**x**x"], "not real at x = -10"),
    "x**x**x**x on a positive view": (
        ["--function", "x**x**x**x", "--x-min", "0.5", "--x-max", "3"],
        "not a finite",
    ),
    "9**9**9": (["--function", "9**9**9"], "too large"),
    "9**9**9 * x": (["--function", "9**9**9*x"], "too large"),
    "a huge power of x": (["--function", "(x + 1)**100000"], "too large"),
    "a huge constant": (["--function", "2**1000*x"], "too large"),
    "nested exponentials": (["--function", "exp(exp(exp(exp(9.0))))*x"], "too large"),
    "a long number": (["--function", "9" * 150 + "*x"], "too large"),
    "deep nesting": (["--function", "sin(" * 35 + "x" + ")" * 35], "nested too deeply"),
}


@pytest.mark.parametrize("name", BOUNDED)
def test_a_runaway_text_is_refused_within_seconds(tmp_path, name):
    args, said = BOUNDED[name]
    command = [
        sys.executable,
        str(ROOT / "render.py"),
        "--scene",
        "function",
        *args,
        "--export-data",
        tmp_path,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    lines = [line for line in done.stderr.splitlines() if line.startswith("Error")]
    assert done.returncode == 2 and len(lines) == 1 and said in lines[0], done.stderr
    assert not any(tmp_path.iterdir())


def test_the_default_lecture_and_its_export(tmp_path):
    result = invoke("--scene", "function", "--export-data", tmp_path, "--steps", 30)
    assert result.exit_code == 0, result.output
    rows = np.loadtxt(tmp_path / "trajectory.csv", delimiter=",", skiprows=1)
    x, loss, grad = rows[:, 1], rows[:, 4], rows[:, 3]
    np.testing.assert_allclose(loss, x**4 / 4 - x**2 + 0.3 * x, rtol=1e-12)
    np.testing.assert_allclose(grad, x**3 - 2 * x + 0.3, rtol=1e-12, atol=1e-12)
    assert "function" in render.SCENES and "function" in videos()  # it has its lecture (--scene all)


# The function lecture's story (scenes.words.story.function_verdict) against the runs: every line's claims are
# what an independent NumPy run and the roots of f' worked by hand say, in every language.


def minima_by_hand(slope, low: float, high: float) -> np.ndarray:
    """The minima of f in the view: where the hand-written f' goes from − to + on a fine grid, bisected."""
    xs = np.linspace(low, high, 200_001)
    with np.errstate(all="ignore"):
        d = slope(xs)
    found = []
    for i in np.flatnonzero((d[:-1] < 0) & (d[1:] >= 0)):
        a, b = xs[i], xs[i + 1]
        for _ in range(60):
            a, b = (a, (a + b) / 2) if slope((a + b) / 2) >= 0 else ((a + b) / 2, b)
        found.append((a + b) / 2)
    return np.array(found)


def check_story(one, slope) -> None:
    """Each line of the lecture's verdict and question holds on its claims, fills in every language, and each
    "end" claim names the minimum nearest where the independent run ended."""
    from scenes.words import locales, story
    from scenes.words.captions import text

    p, params = one.problem, one.params
    minima = minima_by_hand(slope, p.low, p.high)
    assert len(minima) == len(p.minima())
    runs = {"momentum": one.run, "plain": one.baseline or one.run}  # β = 0: the one run is plain
    said = [s for s in (story.function_predict(one), *story.function_verdict(one)) if s is not None]
    for line in said:
        by_kind = {claim["claim"]: claim for claim in line.claims}
        assert line.key not in story.ASSERTS or story.ASSERTS[line.key](by_kind), line
        for lang in locales.available():
            assert "{" not in text(lang, line.key, **{**p.formulas, **line.values})
        if line.key.startswith("fn_race_where_"):  # said only when the balls settled in different minima
            assert by_kind["end"]["minimum"]["x"] != by_kind["plain_end"]["minimum"]["x"], line
        for end in (c for c in line.claims if c["claim"] in ("end", "plain_end")):
            beta = params["beta"] if end["run"] == "momentum" else 0.0
            steps = len(runs[end["run"]].positions) - 1
            with np.errstate(all="ignore"):
                x = heavy_ball(slope, params["variant"], params["lr"], beta, steps, params["x0"])[-1]
            assert end["x"] == pytest.approx(x, rel=1e-9, abs=1e-9)
            if len(minima):
                assert end["minimum"]["x"] == pytest.approx(minima[np.argmin(np.abs(minima - x))], abs=1e-7)


@pytest.mark.parametrize("text", FUNCTIONS)
@pytest.mark.parametrize("beta", [0.0, 0.7])
def test_the_function_lectures_story_holds_on_the_runs(text, beta):
    (low, high), slope, x0 = FUNCTIONS[text]
    given = {"function": text, "x_min": low, "x_max": high, "x0": x0}
    check_story(lesson("function", lr=LRS[text], beta=beta, steps=120, **given), slope)


def test_the_default_function_says_where_each_ball_settled_not_only_who_was_first():
    """Plain descent settles first in the shallow dip; momentum rolls on into the deeper minimum: both are
    said, and that momentum ended lower (f at the roots of f' = x³ − 2x + 0.3)."""
    from scenes.words import story
    from scenes.words.captions import text

    one = lesson("function")
    roots = np.sort(np.roots([1, 0, -2, 0.3]).real)
    f = roots**4 / 4 - roots**2 + 0.3 * roots
    keys = [line.key for line in story.function_verdict(one)]
    assert keys[1:3] == ["fn_race_where_plain", "fn_lower_momentum"], keys
    race = story.function_verdict(one)[1]
    assert (race.values["k"], race.values["m"]) == (one.baseline.converged_at, one.run.converged_at)
    assert (
        abs(one.run.positions[-1, 0] - roots[0]) < 1e-3
        and abs(one.baseline.positions[-1, 0] - roots[2]) < 1e-3
    )
    words = text("en", race.key, **race.values)
    assert "local minimum" in words and "global" in words, words
    lower = story.function_verdict(one)[2]
    assert text("en", lower.key, **lower.values).endswith(
        f"f = {f[0]:.4g} against {f[2]:.4g} without momentum."
    )
    check_story(one, FUNCTIONS["x**4/4 - x**2 + 0.3*x"][1])


@pytest.mark.parametrize(
    "given, key",
    [
        ({"function": "x**3", "x0": 1.0}, "fn_no_minimum"),
        ({"function": "log(1 + exp(x))", "x0": 1.0}, "fn_no_minimum"),
        ({"function": "abs(x)**1.5", "x0": 2.0, "beta": 0.0, "lr": 0.2}, "fn_not_settled_no_rate"),
        ({"function": "x**4", "x0": 1.5}, "fn_shape_flat"),
        ({"function": "abs(x)", "x0": 2.0}, "fn_shape_kink"),
    ],
)
def test_a_function_without_a_rate_says_why(given, key):
    """No minimum: the ball runs away (a lesson); a minimum without a quadratic model: why no ρ is said."""
    from scenes.words import story

    one = lesson("function", steps=200, **given)
    keys = [line.key for line in story.function_verdict(one)]
    assert key in keys and not any("rho" in line.values for line in story.function_verdict(one)), keys
    if key == "fn_no_minimum":  # the moral of a ball that ran off downhill, only when it did
        ran = one.run.positions[-1, 0] < one.problem.low and one.run.losses[-1] < one.run.losses[0]
        assert ("fn_moral_runaway" in keys) == ran and (ran or given["function"] != "x**3")


def test_balls_settled_in_the_same_of_several_minima_are_raced_as_on_a_parabola():
    """x⁶ − 5x⁴ + 4x² has three minima; from x = 2.2 both balls settle in the one at √((10 + √52)/6)."""
    from scenes.words import story

    slope = lambda x: 6 * x**5 - 20 * x**3 + 8 * x  # noqa: E731
    one = lesson("function", function="x**6 - 5*x**4 + 4*x**2", x0=2.2, lr=0.005, beta=0.7, steps=200)
    x = math.sqrt((10 + math.sqrt(52)) / 6)
    assert len(one.problem.minima()) == 3
    assert abs(one.run.positions[-1, 0] - x) < 1e-3 and abs(one.baseline.positions[-1, 0] - x) < 1e-3
    keys = [line.key for line in story.function_verdict(one)]
    assert not any(key.startswith("fn_race_where_") for key in keys) and keys[1].startswith("race_"), keys
    check_story(one, slope)
