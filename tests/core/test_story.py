"""The story follows the outcome: for any rule, α and β (divergent ones included), every claim a caption
rests on agrees with the runs themselves, and no caption asserts what its claims do not."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdcore import compare, landscape, lesson, run
from gdcore.trajectory import SETTLE_TOL
from scenes.words import locales, story
from scenes.words.captions import fmt_param, text

VARIANTS = st.sampled_from(["classic", "ema", "nesterov"])
LR = st.floats(1e-3, 14.0)  # the parabola's stable limits lie between 2 and 12 for these β
BETA = st.floats(0.0, 0.999)


def settled_at(positions: np.ndarray, target: np.ndarray) -> int | None:
    """The first step after which the run stays within SETTLE_TOL of its start's distance (shown steps)."""
    dist = np.linalg.norm(positions - target, axis=1)
    inside = dist <= SETTLE_TOL * max(dist[0], 1e-12)
    if not inside[-1]:
        return None
    outside = np.flatnonzero(~inside)
    return int(outside[-1] + 1) if len(outside) else 0


def settled_within(one) -> int | None:
    """When a run settled, judged as the lectures do on a run twice as long as the one shown (None: it did
    not settle within the steps shown, or diverged)."""
    p = one.params
    longer = run(one.problem, p["variant"], p["lr"], p["beta"], 2 * p["steps"], one.run.positions[0])
    if longer.diverged_at is not None and longer.diverged_at <= p["steps"]:
        return None
    k = settled_at(longer.positions, one.problem.minimizer()) if not longer.diverged else None
    return k if k is not None and k <= p["steps"] else None


def limit(variant: str, beta: float, lam: float) -> float:
    """The largest stable α, in closed form (Jury's criterion on the 2×2 iteration matrix)."""
    return {
        "classic": 2 * (1 + beta),
        "ema": 2 * (1 + beta) / (1 - beta),
        "nesterov": 2 * (1 + beta) / (1 + 2 * beta),
    }[variant] / lam


def check_outcome(claim: dict, traj, target, asked: int) -> None:
    if claim["outcome"] == "diverged":  # from step k on, never as near the minimum as at step k − 1
        k, distance = claim["step"], np.linalg.norm(traj.positions - target, axis=1)
        assert 1 <= k <= traj.last_step and distance[k - 1] == distance.min()
        assert np.all(distance[k:] > distance[k - 1])
    elif claim["outcome"] == "settled":
        k = claim["step"]
        assert k <= traj.last_step and settled_at(traj.positions[: traj.last_step + 1], target) == k
    else:
        assert claim["step"] is None and traj.last_step == asked


def check_lesson(one, ask=story.predict, tell=story.verdict) -> None:
    """Every claim of a single lesson's story (`ask`, `tell`: its question and verdict) against its runs;
    every line's assertion against its claims."""
    p, params = one.problem, one.params
    target = p.settle_target(one.run.positions[-1])
    said = [ask(one), *tell(one)]
    for line in said:
        by_kind = {claim["claim"]: claim for claim in line.claims}
        assert line.key not in story.ASSERTS or story.ASSERTS[line.key](by_kind), line
        for lang in locales.available():  # every sentence fills in, in every language
            assert "{" not in text(lang, line.key, **{**p.formulas, **line.values})
        for claim in line.claims:
            kind = claim["claim"]
            if kind == "outcome":
                check_outcome(claim, one.run, target, params["steps"])
            elif kind == "plain_outcome":
                check_outcome(
                    claim, one.baseline, p.settle_target(one.baseline.positions[-1]), params["steps"]
                )
            elif kind == "faster":
                km, kp = claim["steps"]
                expect = (
                    "neither"
                    if km is None and kp is None
                    else "momentum"
                    if kp is None
                    else "plain"
                    if km is None
                    else "tie"
                    if km == kp
                    else "momentum"
                    if km < kp
                    else "plain"
                )
                assert claim["winner"] == expect
            elif kind == "stable_limit":
                lam = float(np.linalg.eigvalsh(p.hessian())[-1])
                assert claim["plain"] == pytest.approx(2 / lam)
                assert claim["momentum"] == pytest.approx(limit(params["variant"], params["beta"], lam))
            elif kind == "events":
                side = np.sign((one.run.positions - target)[:, 0]) if p.param_names == ("x",) else None
                if side is not None:
                    passes = [k for k in range(1, len(side)) if side[k] * side[k - 1] < 0]
                    assert claim["first_overshoot"] == (passes[0] if passes else None)
                    assert claim["swings"] == len(passes)


@settings(max_examples=60, deadline=None)
@given(variant=VARIANTS, lr=LR, beta=BETA, steps=st.integers(1, 120), x0=st.floats(-50, 50))
def test_parabola_story_holds_for_any_hyperparameters(variant, lr, beta, steps, x0):
    check_lesson(lesson("parabola", variant=variant, lr=lr, beta=beta, steps=steps, x0=x0))


@settings(max_examples=25, deadline=None)
@given(variant=VARIANTS, lr=st.floats(1e-3, 1.5), beta=BETA, steps=st.integers(1, 80))
def test_regression_story_holds_for_any_hyperparameters(variant, lr, beta, steps):
    check_lesson(lesson("regression", variant=variant, lr=lr, beta=beta, steps=steps, samples=40))


@settings(max_examples=40, deadline=None)
@given(
    variant=VARIANTS,
    lr=st.floats(1e-4, 0.5),
    beta=BETA,
    steps=st.integers(1, 150),
    kappa=st.floats(1, 1000),
    x0=st.floats(-50, 50),
    y0=st.floats(-50, 50),
)
def test_ravine_story_holds_for_any_hyperparameters(variant, lr, beta, steps, kappa, x0, y0):
    one = lesson("ravine", variant=variant, lr=lr, beta=beta, steps=steps, kappa=kappa, x0=x0, y0=y0)
    check_lesson(one, story.ravine_predict, story.ravine_verdict)


@settings(max_examples=30, deadline=None)
@given(variant=VARIANTS, lrs=st.lists(LR, min_size=2, max_size=4, unique=True), beta=BETA)
def test_comparison_story_names_the_real_winner(variant, lrs, beta):
    c = compare("parabola", "lr", lrs, variant=variant, beta=beta, steps=60)
    steps = {c.label(i): settled_within(one) for i, one in enumerate(c.lessons)}
    done = [k for k in steps.values() if k is not None]
    winners = [label for label, k in steps.items() if done and k == min(done)]
    said = story.compare_verdict(c)
    first = said[0]
    expected = ("cmp_none", "cmp_none_even") if not winners else ("cmp_tie", "cmp_tie_same_rho")
    assert first.key in (expected if not winners or len(winners) > 1 else (first.key,))
    if len(winners) == 1:
        assert first.values["label"] == winners[0] and first.values.get(
            "count", first.values.get("k")
        ) == min(done)
    rhos = [one.verdict.rho for one in c.lessons]
    if first.key == "cmp_fastest_rho":  # "the smallest ρ" is said only when no other run shares it
        low = min(r for r, one in zip(rhos, c.lessons) if not one.run.diverged)
        assert (
            sum(math.isclose(r, low, rel_tol=1e-4) for r, one in zip(rhos, c.lessons) if not one.run.diverged)
            == 1
        )
    diverged = [c.label(i) for i, one in enumerate(c.lessons) if one.run.diverged]
    assert [line.values["label"] for line in said if line.key == "cmp_diverged"] == diverged
    named = [line.values.get("label") for line in said] + [
        label
        for line in said
        if line.key in ("cmp_tie", "cmp_tie_same_rho", "cmp_none_even")
        for label in line.values["labels"]
    ]
    assert set(named) >= {c.label(i) for i in range(len(c.values))}  # every run's fate is told


@settings(max_examples=25, deadline=None)
@given(
    betas=st.lists(BETA, min_size=1, max_size=3, unique=True),
    lr=st.floats(0.01, 0.5),
    x0=st.floats(-3.0, 3.2),
)
def test_valleys_story_says_crossings_and_a_moral_that_fits_the_start(betas, lr, x0):
    c = compare("valleys", "beta", betas, lr=lr, x0=x0, steps=150)
    said = story.valleys_verdict(c)
    p = c.problem
    for line, one in zip(said, c.lessons):
        basins = [p.basin(x) for x in one.run.positions]
        crossed = sum(a != b for a, b in zip(basins, basins[1:]))
        if line.key.startswith(("val_stayed", "val_crossed", "val_not_settled")):
            assert ("crossed" in line.key) == (crossed > 0) == ("times" in line.values)
            if crossed:
                assert (
                    text("en", "times", count=crossed) in text("en", line.key, **line.values) or crossed == 2
                )
        if line.key.startswith(("val_stayed", "val_crossed")):
            assert line.key.endswith(p.basin(one.run.positions[-1]))
    start = p.basin(np.array([x0]))
    assert said[-1].key == ("val_moral_deep" if start == "global" else said[-1].key)
    assert start == "global" or said[-1].key in ("val_moral", "val_moral_stuck")


@pytest.mark.parametrize(
    "args,key",
    [
        (dict(beta=0.95), "race_neither_plain"),
        (dict(variant="nesterov", lr=0.5, beta=0.9), "race_plain"),
        (dict(steps=10000, beta=0.99, lr=0.05), "race_plain"),
        (dict(), "race_momentum_alone"),
    ],
)
def test_the_issues_runs_get_the_answer_their_numbers_give(args, key):
    keys = [line.key for line in story.verdict(lesson("parabola", **args))]
    assert key in keys


def test_plain_gd_diverging_is_said_with_the_widened_limit():
    said = {line.key: line for line in story.verdict(lesson("parabola", lr=9.8))}
    line = said["plain_diverged_widened"]
    assert line.values["plain_limit"] == "6" and line.values["limit"] == "9.6"


@pytest.mark.parametrize("variant", ["classic", "ema", "nesterov"])
@pytest.mark.parametrize("problem", ["parabola", "regression"])
def test_the_map_says_whether_beta_widens_or_narrows_the_stable_alpha(variant, problem):
    land = landscape(problem, variant=variant)
    said = story.map_limit(land)
    lam = float(np.linalg.eigvalsh(land.problem.hessian())[-1])
    beta = land.lesson.params["beta"] or 0.9
    wider = limit(variant, beta, lam) > 2 / lam  # closed forms: with momentum against without
    assert said.key == ("ls_gd" if wider else "ls_gd_narrowed")
    assert said.values["limit"] == fmt_param(limit(variant, beta, lam))


def heavy_ball_eigenvalues(lr: float, beta: float, lam: float) -> np.ndarray:
    """The heavy ball's iteration on one curvature, (x, x_prev) → (x_next, x), by numpy: written out here."""
    return np.linalg.eigvals(np.array([[1 + beta - lr * lam, -beta], [1.0, 0.0]]))


@pytest.mark.parametrize(
    "problem, given, critical",
    [
        ("parabola", {}, "ls_critical"),
        ("ravine", {"kappa": 100.0}, "ls_critical_ravine"),
        ("ravine", {"kappa": 1.0}, "ls_critical"),
        ("regression", {}, "ls_critical_slowest"),
    ],
)
def test_the_maps_pink_curve_is_said_to_be_the_slowest_directions_and_the_steep_one_told(
    problem, given, critical
):
    """With several curvatures the pink curve is the slowest direction's alone (issue 32, item 5): said so;
    at a stop where that direction creeps (real positive eigenvalues) while the steepest swings (complex
    ones) or flips (a negative one), numpy's eigenvalues and the caption agree; one curvature: neither."""
    land = landscape(problem, steps=20, **given)
    assert story.map_critical(land).key == critical
    lams = np.linalg.eigvalsh(land.problem.hessian())
    for region, one in land.tour:
        lr, beta = one.params["lr"], one.params["beta"]
        slow, steep = (heavy_ball_eigenvalues(lr, beta, lam) for lam in (lams[0], lams[-1]))
        crept = np.all(np.abs(slow.imag) < 1e-12) and max(slow, key=abs).real > 0
        top = max(steep, key=abs)
        said = story.map_steep(land, one)
        if lams[-1] - lams[0] < 1e-9 or one.run.diverged or not crept:
            assert said is None, (region, said)
            continue
        move = "under-damped" if abs(top.imag) > 1e-12 else "flipping" if top.real < 0 else None
        assert (said and said.key) == (
            move and f"ls_steep_{'ravine' if problem == 'ravine' else 'regression'}_{move}"
        )
    over = dict(land.tour)["over-damped"]
    if critical != "ls_critical":  # the defaults' over-damped stop: the steep direction swings there
        assert story.map_steep(land, over) is not None


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
@pytest.mark.parametrize("variant", ["classic", "ema", "nesterov"])
@pytest.mark.parametrize(
    "problem, given", [("parabola", {}), ("ravine", {"kappa": 1000.0}), ("regression", {})]
)
def test_the_maps_captions_fit_in_two_lines(problem, given, variant, lang):
    """The map's captions wrap at CAPTION_CHARS into two lines at most (a 3-line French one spilled out of
    its band, issue 32 item 6): the map's own, the pink curve's and each steep direction's."""
    from scenes.kit import style
    from scenes.words.captions import wrap

    land = landscape(problem, variant=variant, steps=20, **given)  # the ravine's widest formula
    lines = [story.map_intro(land), story.map_critical(land), story.map_limit(land)]
    lines += [said for _, one in land.tour if (said := story.map_steep(land, one))]
    for said in lines:
        shown = text(lang, said.key, **land.problem.formulas, **said.values)
        assert len(wrap(shown, style.CAPTION_CHARS).split("\n")) <= 2, shown
