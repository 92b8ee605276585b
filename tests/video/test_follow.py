"""The plot follows a ball that leaves it: in-process, the ball's x read back off the axis numbers the plot
shows is gdcore's; in a rendered video, the ball is drawn inside the plot at a step where the unzoomed view
had lost it."""

import numpy as np
import pytest
from manim import DL, DR, UL, UR
from videos import frame_at, hex_rgb, pixel, render

from gdcore import compare, lesson
from scenes.kit import style
from scenes.kit.pieces import BallOnCurve, Follow, Window, curve
from scenes.lectures import scene_class
from scenes.lectures.parabola import X_VIEW, plot_axes
from scenes.words.captions import fmt, fmt_param


def followed(**given):
    """The momentum ball, plain GD's and the Follow of a parabola lesson, as the lecture builds them."""
    taught = lesson("parabola", **given)
    axes, f = plot_axes(taught.problem), curve(taught.problem)
    window = Window(axes)
    plot = axes.plot(f, x_range=[-X_VIEW, X_VIEW])
    ball = BallOnCurve(axes, f, taught.run.positions[:, 0], window=window)
    ghost = BallOnCurve(axes, f, taught.baseline.positions[:, 0], style.GHOST, window=window)
    return taught, axes, ball, ghost, Follow(window, f, plot, [ghost, ball])


@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_ball_out_of_the_view_is_drawn_where_the_axis_numbers_say(k):
    taught, axes, ball, ghost, follow = followed(lr=9.8)
    x = taught.run.positions[k, 0]
    assert abs(x) > X_VIEW  # the unzoomed plot has lost it
    for piece in (follow, ghost, ball):
        piece.set_step(k)
    assert ball.ball.get_fill_opacity() > 0
    left, right = axes.x_axis.get_left()[0], axes.x_axis.get_right()[0]
    assert left < ball.ball.get_x() < right
    # the numbers under the axis: value against where it is drawn (positive ones: centred on their tick)
    shown = [
        (n.get_value(), n.get_x()) for n in follow.numbers if n.get_fill_opacity() > 0 and n.get_value() > 0
    ]
    assert len(shown) >= 2 and all(v > X_VIEW for v, _ in shown[-1:])  # numbers beyond the unzoomed view
    values, xs = np.array(shown).T
    (slope, offset), *_ = np.linalg.lstsq(np.column_stack([values, np.ones_like(values)]), xs, rcond=None)
    assert np.allclose(slope * values + offset, xs, atol=1e-6)  # one linear scale
    assert (ball.ball.get_x() - offset) / slope == pytest.approx(x, rel=1e-6)
    # and on the curve as drawn now
    drawn = follow.curve.points
    nearest = drawn[np.argmin(np.abs(drawn[:, 0] - ball.ball.get_x()))]
    assert abs(nearest[1] - ball.ball.get_y()) < 0.05


def test_the_view_goes_back_and_the_markers_keep_the_values():
    taught, axes, ball, ghost, follow = followed(lr=9.8)
    last = taught.run.last_step
    for piece in (follow, ghost, ball):
        piece.set_step(last)
    assert follow.window.zoom == (1.0, 1.0)
    assert ball.ball.get_fill_opacity() == 0 and ball.escape is None  # no marker asked for here
    numbers = sorted(n.get_value() for n in follow.numbers if n.get_fill_opacity() > 0)
    assert numbers == [n.get_value() for n in axes.x_axis.numbers]  # the plot's own numbers again


def test_a_run_that_stays_in_view_is_not_followed():
    taught, axes, ball, ghost, follow = followed()
    for k in range(taught.run.last_step + 1):
        follow.set_step(k, 0.5)
        assert follow.window.zoom == (1.0, 1.0)


def test_the_video_shows_the_ball_while_the_plot_follows_it(tmp_path):
    video, meta, _ = render(tmp_path, "--lr", "9.8", "--steps", "8")
    taught = lesson("parabola", **meta["params"])
    k = 2
    x = taught.run.positions[k, 0]
    assert abs(x) > X_VIEW
    t = meta["steps"][k]
    frame = frame_at(video, t)
    axes = plot_axes(taught.problem)
    near = np.abs(frame.astype(int) - hex_rgb(style.BALL)).max(axis=2) < 40
    rows, cols = np.nonzero(near)
    # the ball-coloured pixels inside the plot (the readout's numbers are right of it)
    left, right = (
        pixel(axes.x_axis.get_left(), frame.shape)[1],
        pixel(axes.x_axis.get_right(), frame.shape)[1],
    )
    inside = (cols > left) & (cols < right)
    assert inside.sum() > 50
    # the view is as wide as the farthest ball so far needs to sit at EDGE of its half-width (plain GD's
    # here): the ball is drawn where x / zoom is on the unzoomed plot (the parabola is the same shape zoomed)
    farthest = max(
        np.abs(taught.run.positions[: k + 1, 0]).max(), np.abs(taught.baseline.positions[: k + 1, 0]).max()
    )
    shown = x / (farthest / (Follow.EDGE * X_VIEW))
    row, col = pixel(axes.c2p(shown, curve(taught.problem)(shown)), frame.shape)
    radius = 0.25 * frame.shape[0] / 8.0
    close = inside & ((rows - row) ** 2 + (cols - col) ** 2 < radius**2)
    assert close.sum() > 50, (row, col, rows[inside].mean(), cols[inside].mean())


# The regression's (w1, w2) panel: the same follow in 2-D.
DIVERGENT = {"lr": 0.9, "beta": 0.9, "samples": 500, "noise": 3}


def panel_of(taught):
    """The panel as RegressionLecture.run_fit builds it (plain GD's path cut at the run's last step)."""
    from scenes.lectures.regression import ParameterPanel

    ghost = taught.baseline.positions[: taught.run.last_step + 1]
    paths = [(taught.run.positions, style.BALL), (ghost, style.GHOST)]
    return ParameterPanel(taught.problem, paths, taught.run.losses[0] - taught.problem.lowest_loss)


def scale_of(panel, axis: int) -> tuple[float, float]:
    """(slope, offset) of scene coordinate against value, fitted to the panel's shown axis values (w1's
    below it, w2's right of it); the fit must be exact: one linear scale."""
    bottom, right = panel.axes.get_bottom()[1], panel.axes.get_right()[0]
    marks = [
        (t.value, t.get_x() if axis == 0 else t.get_y())
        for t in panel.drawn[1]
        if t.get_fill_opacity() > 0
        and (t.get_y() < bottom) == (axis == 0)
        and (t.get_x() > right) == (axis == 1)
    ]
    values, at = np.array(marks).T
    assert len(values) >= 2
    (slope, offset), *_ = np.linalg.lstsq(np.column_stack([values, np.ones_like(values)]), at, rcond=None)
    assert np.allclose(slope * values + offset, at, atol=1e-6)
    return slope, offset


def first_out(panel, path) -> int:
    box = panel.box
    return next(k for k, w in enumerate(path[:, :2]) if not np.all((box[:, 0] <= w) & (w <= box[:, 1])))


def test_the_panel_follows_a_path_out_of_it_and_its_values_say_where_the_dot_is():
    taught = lesson("regression", **DIVERGENT)
    panel = panel_of(taught)
    path = panel.paths[1]
    out = first_out(panel, path)
    for k in (out, out + 1):  # beyond the unzoomed panel, still followed
        panel.set_step(k)
        assert panel.window.zoom[0] > 1.0 and panel.window.zoom[0] == panel.window.zoom[1]
        dot = panel.dots[1]
        assert dot.get_fill_opacity() > 0 and panel.markers[1].get_fill_opacity() == 0
        for axis in (0, 1):
            slope, offset = scale_of(panel, axis)
            assert (dot.get_center()[axis] - offset) / slope == pytest.approx(path[k, axis], rel=1e-6)
            best = taught.problem.minimizer()[axis]  # the white ring of the least-squares point moves too
            assert (panel.drawn[2].get_center()[axis] - offset) / slope == pytest.approx(best, abs=1e-6)
            low, high = panel.axes.get_corner(DL)[axis], panel.axes.get_corner(UR)[axis]
            assert low < dot.get_center()[axis] < high  # drawn inside the panel
    # the ranges shown grew as the path went out
    spans = []
    for k in range(out - 1, out + 2):
        panel.set_step(k)
        spans.append(np.ptp(panel.shown_box(), axis=1))
    assert np.all(np.diff(np.array(spans), axis=0) >= 0) and np.all(spans[-1] > spans[0])


def test_the_panel_comes_back_and_a_marker_keeps_the_values():
    taught = lesson("regression", **DIVERGENT)
    panel = panel_of(taught)
    last = taught.run.last_step
    panel.set_step(last)
    assert panel.window.zoom == (1.0, 1.0)
    np.testing.assert_allclose(panel.shown_box(), panel.box)
    assert panel.dots[1].get_fill_opacity() == 0 and panel.markers[1].get_fill_opacity() > 0
    w1, w2 = panel.paths[1][-1, :2]  # plain GD's path, cut at the run's last step
    assert panel.marked[1] == f"({fmt_param(w1, 3)},\n {fmt_param(w2, 3)})"
    assert panel.dots[0].get_fill_opacity() > 0 and panel.markers[0].get_fill_opacity() == 0


def test_a_panel_whose_paths_stay_in_it_is_not_followed():
    taught = lesson("regression", steps=12, samples=30)
    panel = panel_of(taught)
    assert panel.zooms.max() == 1.0
    assert panel.drawn in panel.still.submobjects  # nothing redrawn: it stays pinned


def test_the_video_shows_the_panel_following_plain_gd(tmp_path):
    video, meta, _ = render(
        tmp_path, "--scene", "regression", *(f"--{k}={v}" for k, v in DIVERGENT.items()), "--steps", "10"
    )
    taught = lesson("regression", **meta["params"])
    panel = panel_of(taught)
    k = first_out(panel, panel.paths[1]) + 1
    panel.set_step(k)
    assert panel.window.zoom[0] > 1.0
    frame = frame_at(video, meta["steps"][k])
    near = np.abs(frame.astype(int) - hex_rgb(style.GHOST)).max(axis=2) < 40
    rows, cols = np.nonzero(near)
    # where the zoom puts plain GD's dot: its value on the panel's scale now, not the unzoomed one's
    (row, col), (row0, col0) = (
        pixel(panel.window.c2p(*panel.paths[1][k, :2]), frame.shape),
        pixel(panel.axes.c2p(*panel.paths[1][k, :2]), frame.shape),
    )
    radius = 0.1 * frame.shape[0] / 8.0
    close = (rows - row) ** 2 + (cols - col) ** 2 < radius**2
    assert close.sum() > 5, (row, col, row0, col0)
    top, left = pixel(panel.axes.get_corner(UL), frame.shape)
    bottom, right = pixel(panel.axes.get_corner(DR), frame.shape)
    assert top < row < bottom and left < col < right


@pytest.mark.parametrize(
    "scene, given",
    [
        ("parabola", dict(lr=5, beta=0.95, variant="nesterov")),
        ("regression", dict(lr=0.5, beta=0.9, variant="nesterov")),
        ("ravine", dict(lr=0.07, beta=0.9, variant="nesterov")),
    ],
)
def test_plain_gradient_descent_is_shown_to_its_end_past_a_run_that_diverged(scene, given):
    taught = lesson(scene, **given)
    plain = taught.baseline
    assert taught.run.diverged_at < plain.converged_at  # the case: momentum leaves, plain GD settles later
    schedule = scene_class(taught)(taught).schedule()
    assert len(schedule.durations) == plain.last_step  # the clock runs over every step plain GD took
    assert (
        schedule.fast_from is None or schedule.fast_from >= plain.converged_at
    )  # its steps to settling in full


# The ravine's contour plot: the same follow as the regression's panel, x and y on one scale.
RAVINE = {"lr": 0.14, "steps": 40}  # the divergent render of test_ravine_video: made once a session


def ravine_runs(subject):
    """The plot and its runs as the ravine lectures build them: for a lesson plain GD's walker, then the
    momentum run's with its arrows; for a comparison one walker per run, the first the largest."""
    from scenes.lectures.ravine import BALL_RADIUS, GHOST_RADIUS, RavineRuns, ValleyPlot, Walker, reach

    lessons = getattr(subject, "lessons", [subject])
    start = np.max(np.abs([one.run.positions[0] for one in lessons]), axis=0)
    plot = ValleyPlot(subject.problem, reach(start), "x", "y")
    if len(lessons) > 1:
        walkers = [
            Walker(plot, one.run.positions, style.RUNS[i], 0.12 + 0.06 * (len(lessons) - 1 - i), 1.0, i)
            for i, one in enumerate(lessons)
        ]
        return plot, RavineRuns(plot, walkers), [one.run.positions for one in lessons]
    walkers = [
        Walker(plot, subject.baseline.positions, style.GHOST, GHOST_RADIUS, 0.55, 1),
        Walker(plot, subject.run.positions, style.BALL, BALL_RADIUS, 1.0, 0),
    ]
    arrows = [(subject.moves, "v", style.VELOCITY), (subject.pushes, "g", style.GRADIENT)]
    runs = RavineRuns(plot, walkers, arrows, subject.lookahead)
    return plot, runs, [subject.baseline.positions, subject.run.positions]


def ravine_scale(plot, numbers, axis: int) -> tuple[float, float]:
    """(slope, offset) of scene coordinate against value, fitted to the tick values shown (x's below the
    box, y's left of it, read from their TeX); the fit must be exact: one linear scale."""
    border = plot.border
    marks = [
        (float(mark.get_tex_string()), mark.get_center()[axis])
        for mark in numbers
        if mark.get_fill_opacity() > 0
        and (
            mark.get_top()[1] < border.get_bottom()[1]
            if axis == 0
            else mark.get_right()[0] < border.get_left()[0]
        )
    ]
    values, at = np.array(marks).T
    assert len(values) >= 2
    (slope, offset), *_ = np.linalg.lstsq(np.column_stack([values, np.ones_like(values)]), at, rcond=None)
    assert np.allclose(slope * values + offset, at, atol=1e-6)
    return slope, offset


def at_step(path, k):
    return path[min(k, len(path) - 1)]


@pytest.mark.parametrize(("compared", "k"), [(False, 2), (False, 3), (True, 3)])
def test_the_ravine_follows_its_balls_and_its_values_say_where_they_are(compared, k):
    subject = compare("ravine", "lr", (0.05, 0.14), steps=20) if compared else lesson("ravine", **RAVINE)
    plot, runs, paths = ravine_runs(subject)
    runs.arrows_on = True  # as once the rule that makes them has been said
    runs.set_step(k)
    assert runs.view.zoom > 1.0 and any(not plot.inside(at_step(path, k)) for path in paths)
    (sx, ox), (sy, oy) = ravine_scale(plot, runs.numbers, 0), ravine_scale(plot, runs.numbers, 1)
    assert sx == pytest.approx(sy, rel=1e-9)  # one scale for x and y: the valley keeps its shape
    low, high = plot.border.get_corner(DL), plot.border.get_corner(UR)
    for walker, path in zip(runs.walkers, paths):
        centre = walker.ball.get_center()
        assert walker.ball.get_fill_opacity() > 0 and walker.marker.get_fill_opacity() == 0
        assert np.all(low[:2] < centre[:2]) and np.all(centre[:2] < high[:2])  # drawn inside the box
        read = np.array([(centre[0] - ox) / sx, (centre[1] - oy) / sy])
        np.testing.assert_allclose(read, at_step(path, k), rtol=1e-6)
        # its path ends at the ball, on the same scale
        end = walker.trace[0].get_end()
        np.testing.assert_allclose([(end[0] - ox) / sx, (end[1] - oy) / sy], at_step(path, k), rtol=1e-6)
    # the contour lines, read back through the same scale, lie each on its level of f
    for line, level in zip(runs.contours, plot.levels):
        xy = (np.array(line.get_anchors())[:, :2] - [ox, oy]) / [sx, sy]
        assert len(xy)
        np.testing.assert_allclose(subject.problem.losses(xy), subject.problem.loss(level[0]), rtol=1e-6)
    centre = runs.optimum.get_center()  # the minimum's ring at (0, 0)
    assert abs((centre[0] - ox) / sx) < 1e-6 and abs((centre[1] - oy) / sy) < 1e-6
    # the arrows to scale, or shortened along their direction (kept inside the box), never longer
    for values, arrow in runs.arrows:
        drawn = (arrow.arrow.get_end() - arrow.arrow.get_start())[:2] / sx
        want = at_step(values, k)
        share = np.linalg.norm(drawn) / np.linalg.norm(want)
        assert 0 < share <= 1 + 1e-6 and np.allclose(drawn, share * want, atol=1e-6)
        assert k != 3 or share == pytest.approx(1.0)


def test_the_ravine_comes_back_and_the_markers_keep_the_values():
    taught = lesson("ravine", **RAVINE)
    plot, runs, paths = ravine_runs(taught)
    last = taught.run.last_step
    runs.set_step(last)
    assert runs.view.zoom == 1.0

    def shown(numbers):
        return sorted(
            (m.get_tex_string(), *np.round(m.get_center(), 6)) for m in numbers if m.get_fill_opacity() > 0
        )

    assert shown(runs.numbers) == shown(plot.numbers)  # the plot's own values, where they were
    for line, own in zip(runs.contours, plot.contours):
        np.testing.assert_allclose(line.points, own.points, atol=1e-9)
    for walker, path in zip(runs.walkers, paths):
        x, y = at_step(path, last)
        assert not plot.inside(np.array([x, y]))
        assert walker.ball.get_fill_opacity() == 0 and walker.marker.get_fill_opacity() > 0
        assert walker.marker.shown == f"({fmt(x)}, {fmt(y)})"


def test_a_ravine_run_that_stays_in_view_is_not_followed():
    taught = lesson("ravine", steps=20)
    plot, runs, paths = ravine_runs(taught)
    assert all(plot.inside(point) for path in paths for point in path)
    assert not hasattr(runs, "replaces")  # the plot is drawn once, nothing of it redrawn
    for k in range(taught.run.last_step + 1):
        runs.set_step(k, 0.5)
        assert runs.view.zoom == 1.0


@pytest.fixture(scope="module")
def ravine_followed(media):
    return render(media, "--scene", "ravine", "--lr", "0.14", "--steps", "40")


def test_the_video_shows_the_ravine_following_its_ball(ravine_followed):
    video, meta, _ = ravine_followed
    taught = lesson("ravine", **meta["params"])
    plot, runs, _ = ravine_runs(taught)
    k = 2
    momentum = taught.run.positions[k]
    assert not plot.inside(momentum)  # the unzoomed plot has lost it
    runs.set_step(k)
    frame = frame_at(video, meta["steps"][k])
    near = np.abs(frame.astype(int) - hex_rgb(style.BALL)).max(axis=2) < 40
    rows, cols = np.nonzero(near)
    top, left = pixel(plot.border.get_corner(UL), frame.shape)
    bottom, right = pixel(plot.border.get_corner(DR), frame.shape)
    inside = (rows > top) & (rows < bottom) & (cols > left) & (cols < right)
    row, col = pixel(runs.view.window.c2p(*momentum), frame.shape)  # where the zoom puts it
    assert top < row < bottom and left < col < right
    radius = 0.2 * frame.shape[0] / 8.0
    close = inside & ((rows - row) ** 2 + (cols - col) ** 2 < radius**2)
    assert close.sum() > 30, (row, col, rows[inside].mean(), cols[inside].mean())
