"""The ravine lecture rendered at low quality with few steps: the balls where gdcore's runs put them (decoded
pixels, mapped through the plot's axes), the captions' claims against gdcore, a diverging run, a comparison."""

import numpy as np
import pytest
from videos import frame_at, hex_rgb, pixel, render

from gdcore import compare, lesson
from scenes.kit import style
from scenes.lectures.ravine import DirectionPlanes, ValleyPlot, reach, runs_of
from scenes.words import story

STEPS = 8
ARGS = ["--scene", "ravine", "--steps", str(STEPS)]


@pytest.fixture(scope="module")
def ravine(media):
    return render(media, *ARGS)


def claims_of(meta, kind: str) -> list[dict]:
    return [claim for c in meta["captions"] for claim in c["claims"] if claim["claim"] == kind]


@pytest.mark.parametrize("k", [2, 5])
def test_both_balls_are_drawn_where_the_runs_say(ravine, k):
    video, meta, _ = ravine
    taught = lesson("ravine", **meta["params"])
    axes = ValleyPlot(taught.problem, reach(taught.run.positions[0]), "x", "y").axes
    frame = frame_at(video, meta["steps"][k])
    orange, violet = hex_rgb(style.BALL), hex_rgb(style.GHOST)
    momentum, plain = taught.run.positions[k], taught.baseline.positions[k]
    assert np.linalg.norm(momentum - plain) > 0.5  # apart: each ball is seen by itself
    row, col = pixel(axes.c2p(*momentum), frame.shape)
    assert np.abs(frame[row, col].astype(int) - orange).max() < 45, frame[row, col]
    # plain gradient descent's ball: violet at 55 % over the background (or its violet path, which ends there)
    ghost = 0.55 * violet + 0.45 * hex_rgb(style.BACKGROUND)
    # (the pixels within 2 of its centre: a label drawn beside the ball may touch its centre's)
    row, col = pixel(axes.c2p(*plain), frame.shape)
    here = frame[row - 2 : row + 3, col - 2 : col + 3].reshape(-1, 3).astype(int)
    off = np.minimum(np.abs(here - ghost).max(axis=1), np.abs(here - violet).max(axis=1))
    assert (off < 45).sum() >= 12, (here, ghost)
    # and the momentum ball is not yet where its next step takes it
    row, col = pixel(axes.c2p(*taught.run.positions[k + 1]), frame.shape)
    assert np.abs(frame[row, col].astype(int) - orange).max() > 60


def test_the_captions_claims_are_gdcores(ravine):
    _, meta, _ = ravine
    taught = lesson("ravine", **meta["params"])
    facts = taught.facts()
    for kind in ("outcome", "plain_outcome", "faster"):
        said = claims_of(meta, kind)
        assert said and all(claim == facts[kind] for claim in said), kind
    rates = claims_of(meta, "direction_rates")
    p = meta["params"]
    truth = taught.problem.direction_rates(p["variant"], p["lr"], p["beta"], taught.run.positions[0])
    assert rates == [truth]
    line = next(c["text"] for c in meta["captions"] if c["claims"] == rates)
    assert f"slow direction is {truth['plain_slowest']}" in line
    # each direction's motion is said from that direction's own claim, the steep one first
    rows = [claim["name"] for claim in claims_of(meta, "direction")]
    assert rows == ["y", "y", "x", "x"] and all(
        c in truth["directions"] for c in claims_of(meta, "direction")
    )


def pace_line(one) -> story.Line:
    """The verdict's line on the direction that sets the pace (its claim: direction_rates)."""
    return next(
        s for s in story.ravine_verdict(one) if s.claims and s.claims[0]["claim"] == "direction_rates"
    )


@pytest.mark.parametrize(
    ("lr", "beta", "kappa"), [(0.07, 0.7, 25.0), (0.07, 0.0, 25.0), (0.07, 0.7, 1.0), (0.079, 0.1, 25.0)]
)
def test_the_slow_direction_said_is_the_one_with_the_larger_rho(lr, beta, kappa):
    said = pace_line(lesson("ravine", lr=lr, beta=beta, kappa=kappa))
    rows = {row["name"]: row for row in said.claims[0]["directions"]}

    def slower(key: str) -> str:
        x, y = rows["x"][key], rows["y"][key]
        return "both" if np.isclose(x, y, rtol=1e-4) else "x" if x > y else "y"

    plain = "rho" if beta == 0 else "plain_rho"  # β = 0: the run is plain gradient descent
    if said.key in ("rav_slow", "rav_slow_even", "rav_slow_plain"):
        assert said.values["slow"] == slower(plain) != "both"
    if said.key in ("rav_slow", "rav_slow_momentum"):
        assert said.values["mslow"] == slower("rho") != "both"
    if said.key in ("rav_alike", "rav_slow_momentum", "rav_alike_plain"):
        assert slower(plain) == "both"
    if said.key in ("rav_alike", "rav_slow_even"):
        assert slower("rho") == "both"
    assert float(said.values["rho"]) == pytest.approx(max(r["rho"] for r in rows.values()), rel=1e-3)


def test_the_verdict_draws_each_directions_eigenvalues_as_it_names_them(ravine):
    """While the direction that sets the pace is said, each direction's plane shows its eigenvalues at the
    run's β: the run's colour at the points of the eigenvalues of that direction's 2×2 iteration matrix
    (NumPy), placed through the plane the lecture draws."""
    video, meta, _ = ravine
    taught = lesson("ravine", **meta["params"])
    rows = [row for row in story.directions(taught)["directions"] if row["moves"]]
    planes = DirectionPlanes(taught, rows, style.BALL)
    cue = next(c for c in meta["captions"] if c["claims"] and c["claims"][0]["claim"] == "direction_rates")
    frame = frame_at(video, cue["end"] - 0.3)
    lr, beta = meta["params"]["lr"], meta["params"]["beta"]
    for plane, row in zip(planes.planes, rows):
        lam = row["curvature"]
        matrix = np.array([[1 + beta - lr * lam, -beta], [1.0, 0.0]])  # heavy ball on (x_k, x_k-1)
        for z in np.linalg.eigvals(matrix):
            r, c = pixel(plane.point(z), frame.shape)
            assert np.abs(frame[r, c].astype(int) - hex_rgb(style.BALL)).max() < 45, (lam, z, frame[r, c])


def test_a_diverging_run_renders_and_says_so(media):
    video, meta, _ = render(media, "--scene", "ravine", "--lr", "0.14", "--steps", "12")
    truth = lesson("ravine", lr=0.14, steps=12)
    assert truth.verdict.outcome.value == "diverged" and truth.baseline.diverged
    outcome = claims_of(meta, "outcome")
    assert outcome and outcome[0]["outcome"] == "diverged" and outcome[0]["step"] == truth.run.diverged_at
    assert any(c["text"].startswith(f"Diverged from step {truth.run.diverged_at}") for c in meta["captions"])
    # the balls have left the box: their markers say where they are, in their colours, above the caption band
    last = frame_at(video, meta["beats"]["verdict"] - 0.2)
    box = ValleyPlot(truth.problem, reach(truth.run.positions[0]), "x", "y").border
    low = pixel(box.get_corner([1, -1, 0]), last.shape)
    corner = last[low[0] - 45 : low[0], low[1] - 200 : low[1]].reshape(-1, 3).astype(int)
    for colour in (style.BALL, style.GHOST):
        assert (np.abs(corner - hex_rgb(colour)).max(axis=1) < 40).sum() > 20, colour


def test_a_comparison_of_betas_renders_one_ball_per_run(media):
    video, meta, _ = render(media, "--scene", "ravine", "--beta", "0.3,0.9", "--steps", str(STEPS))
    c = compare("ravine", "beta", (0.3, 0.9), steps=STEPS)
    assert meta["runs"] and [r["params"]["beta"] for r in meta["runs"]] == [0.3, 0.9]
    axes = ValleyPlot(c.problem, reach(c.lessons[0].run.positions[0]), "x", "y").axes
    k = 4
    frame = frame_at(video, meta["steps"][k])
    for i, one in enumerate(c.lessons):
        row, col = pixel(axes.c2p(*one.run.positions[k]), frame.shape)
        assert np.abs(frame[row, col].astype(int) - hex_rgb(style.RUNS[i])).max() < 45, (i, frame[row, col])


def test_contour_lines_are_the_level_curves_inside_the_box():
    """Each drawn stretch of a contour line lies inside the plot's box and on one level of f (mapped back
    through the axes), and a curve cut by the box keeps every stretch inside it, the one across its start too."""
    one = lesson("ravine", kappa=9.0, x0=-4.0, y0=3.0)
    plot = ValleyPlot(one.problem, reach(one.run.positions[0]), "x", "y")
    levels = set()
    for line in plot.contours:
        xy = np.array([plot.axes.p2c(point)[:2] for point in line.get_anchors()])
        assert np.all(np.abs(xy) <= plot.half + 1e-9)
        values = [one.problem.loss(q) for q in xy]
        assert np.ptp(values) <= 1e-6 * max(values)
        levels.add(round(values[0], 6))
    assert len(levels) == 8
    angles = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    circle = np.column_stack([np.cos(angles), np.sin(angles)])
    inside = np.abs(circle[:, 1]) < 0.6  # points 0, 1, 5, 6, 7, 11: two stretches, one across the start
    assert sorted(map(len, runs_of(circle, inside))) == [3, 3]


def test_a_diverging_directions_plane_keeps_its_beta_axis_readable():
    """α over the steep direction's limit: y's eigenvalues reach far past the unit circle (its circle drawn
    smaller), yet its β axis is as long as x's, under the whole plane, and β_c's name clear of the ends'."""
    one = lesson("ravine", lr=0.14)
    rows = [row for row in story.directions(one)["directions"] if row["moves"]]
    x, y = DirectionPlanes(one, rows, style.BALL).planes
    assert np.abs(y.eigs).max() > 2 > np.abs(x.eigs).max()
    assert y.line.width == pytest.approx(x.line.width)
    assert y.line.get_top()[1] < y.point(-np.abs(y.eigs).max() * 1j)[1]
    crit, ends = y.critical[1], y.axis[2]
    for end in ends:
        assert abs(crit.get_x() - end.get_x()) > (crit.width + end.width) / 2
