"""The plot follows a ball that leaves it: in-process, the ball's x read back off the axis numbers the plot
shows is gdcore's; in a rendered video, the ball is drawn inside the plot at a step where the unzoomed view
had lost it."""

import numpy as np
import pytest
from videos import frame_at, hex_rgb, pixel, render

from gdcore import lesson
from scenes import style
from scenes.components import BallOnCurve, Follow, Window
from scenes.pacing import Schedule
from scenes.parabola import X_VIEW, curve, plot_axes


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
    t = meta["beats"]["clock"] + Schedule.for_steps(taught.run.last_step).rest_time(k)
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
