"""Visual pieces in-process, no render: the readout's characters, the schedule, and the run pieces put at
step k and compared with the lesson's numbers mapped through the axes by hand."""

import functools

import numpy as np
import pytest

from gdcore import lesson
from scenes.kit import style
from scenes.kit.pacing import Schedule
from scenes.kit.pieces import BallOnCurve, Readout, curve
from scenes.lectures.parabola import plot_axes
from scenes.words.captions import fmt


@pytest.mark.parametrize("value", [0.0, 3.25, -0.00123, -5.584e-140, 1.976e-323, 9.99e307, -123456.7])
def test_readout_writes_every_character(value):
    readout = Readout([("x", "#FFFFFF"), ("v", "#FFFFFF")])
    readout.show_numbers([value, -value], 10_000)
    for row, text in zip(readout.values, ["10000", fmt(value), fmt(-value)]):
        drawn = [slot for slot in row if len(slot.points)]
        assert len(drawn) == len(text)
        # glyphs sit left to right, one advance apart
        xs = [slot.get_x() for slot in drawn]
        assert all(b > a for a, b in zip(xs, xs[1:]))


def test_schedule_is_bounded_slow_first_and_rests_at_each_step():
    for n in (1, 6, 60, 10_000):
        s = Schedule.for_steps(n)
        assert s.total <= 45 and np.all(np.diff(s.durations) <= 1e-12)
        for k in (0, n // 2, n):
            assert s.at(s.rest_time(k)) == (k, 0.0)
    assert Schedule.for_steps(60).durations[0] >= 0.9


def test_schedule_fast_forwards_once_nothing_moves():
    short, long = Schedule.for_steps(19), Schedule.for_steps(10_000, watched=19)
    # the watched steps are paced as a 19-step run; the other 9981 share 5 seconds
    assert np.array_equal(long.durations[:19], short.durations)
    assert long.durations[19:].sum() == pytest.approx(5.0) and np.ptp(long.durations[19:]) < 1e-12
    assert long.at(long.rest_time(10_000)) == (10_000, 0.0)
    # a short tail is left as it was
    assert np.array_equal(Schedule.for_steps(60, watched=28).durations, Schedule.for_steps(60).durations)


def test_a_step_slowed_for_its_captions_travels_longer_and_rests_no_longer():
    s = Schedule.for_steps(60).reaching(1, 25.0)  # step 1 must not come before 25 s: 3 captions first
    assert s.rest_time(1) >= 25.0
    moving = np.arange(0.1, s.rest_time(1) - 0.6, 0.05)
    progress = [s.at(t) for t in moving]
    assert all(k == 0 and 0 < p < 1 for k, p in progress)  # on its way until at most 0.6 s before it rests
    assert np.all(np.diff([p for _, p in progress]) > 0)


@pytest.fixture(scope="module")
def parabola_piece():
    taught = lesson("parabola", lr=2.0, beta=0.7, steps=20, x0=-4.0)
    axes = plot_axes(taught.problem)
    arrows = [(taught.moves[:, 0], "v", "#FFFF00"), (taught.pushes[:, 0], "p", "#00FFFF")]
    return (
        taught,
        axes,
        BallOnCurve(
            axes, curve(taught.problem), taught.run.positions[:, 0], arrows=arrows, trail=3, escape=style.BAD
        ),
    )


@pytest.mark.parametrize("k", [0, 1, 5, 12])
def test_ball_sits_on_the_curve_at_step_k_with_its_arrows_to_scale(parabola_piece, k):
    taught, axes, piece = parabola_piece
    x = taught.run.positions[k, 0]
    piece.set_step(k)
    np.testing.assert_allclose(piece.ball.get_center(), axes.c2p(x, x * x / 6), atol=1e-9)
    unit = axes.c2p(1, 0)[0] - axes.c2p(0, 0)[0]
    for (values, arrow), height in zip(piece.arrows, (0.42, 0.82)):
        start, end = arrow.arrow.get_start(), arrow.arrow.get_end()
        np.testing.assert_allclose(start, axes.c2p(x, x * x / 6) + [0, height, 0], atol=1e-6)
        if abs(values[k] * unit) >= 0.06:  # shorter arrows are hidden
            assert end[0] - start[0] == pytest.approx(values[k] * unit, rel=1e-3)
            assert end[1] == pytest.approx(start[1])
    # halfway to the next step the ball is between the two positions, on the curve
    piece.set_step(k, 0.5)
    middle = (x + taught.run.positions[k + 1, 0]) / 2
    np.testing.assert_allclose(piece.ball.get_center(), axes.c2p(middle, middle**2 / 6), atol=1e-9)


def test_a_ball_that_leaves_the_view_is_hidden_and_says_where_it_went():
    taught = lesson("parabola", lr=13, steps=30)
    axes = plot_axes(taught.problem)
    piece = BallOnCurve(axes, curve(taught.problem), taught.run.positions[:, 0], escape=style.BAD)
    k = taught.run.last_step
    piece.set_step(k)
    assert piece.ball.get_fill_opacity() == 0 and abs(taught.run.positions[k, 0]) > 6.5
    assert piece.escaped_text == (
        f"x = {fmt(taught.run.positions[k, 0])} →"
        if taught.run.positions[k, 0] > 0
        else f"← x = {fmt(taught.run.positions[k, 0])}"
    )


def test_readout_shows_the_lesson_numbers_at_step_k():
    taught = lesson("parabola", steps=9)
    readout = Readout(
        [("s", "#FFFFFF"), ("x", "#FFFFFF"), ("f", "#FFFFFF")],
        [taught.run.positions[:, 0], taught.run.losses],
    )
    for k in (0, 4, 9, 15):  # past the end: the last value stays
        readout.set_step(k)
        j = min(k, 9)
        assert readout.shown == [str(k), fmt(taught.run.positions[j, 0]), fmt(taught.run.losses[j])]


@pytest.mark.parametrize("k", [0, 3, 8])
def test_regression_pieces_follow_the_run(k):
    from manim import ThreeDAxes

    from scenes.lectures.regression import MAX_RESIDUALS, FittedPlane, ParameterPanel

    taught = lesson("regression", steps=8, samples=30, seed=4)
    p, theta = taught.problem, taught.run.positions
    axes = ThreeDAxes(x_range=[-3, 3, 1], y_range=[-3, 3, 1], z_range=[-8, 8, 2])
    shown = np.arange(30)
    plane = FittedPlane(axes, p, shown, theta, (-8, 8))
    plane.set_step(k)
    # every residual segment runs from a data point to the plane's height above it at step k
    segments = plane.residuals.points.reshape(-1, 4, 3)
    fitted = p.predict(theta[k])
    for i, segment in enumerate(segments[:MAX_RESIDUALS]):
        x1, x2 = p.features[i]
        np.testing.assert_allclose(segment[0], axes.c2p(x1, x2, p.targets[i]), atol=1e-9)
        np.testing.assert_allclose(segment[-1], axes.c2p(x1, x2, fitted[i]), atol=1e-9)
    panel = ParameterPanel(
        p,
        [(theta, "#FF8C42"), (taught.baseline.positions, "#9AA0A6")],
        taught.run.losses[0],
        arrow=(taught.moves, "v"),
    )
    panel.set_step(k)
    np.testing.assert_allclose(panel.dots[0].get_center(), panel.axes.c2p(*theta[k, :2]), atol=1e-9)
    np.testing.assert_allclose(
        panel.dots[1].get_center(), panel.axes.c2p(*taught.baseline.positions[k, :2]), atol=1e-9
    )
    np.testing.assert_allclose(panel.velocity.arrow.get_start(), panel.dots[0].get_center(), atol=1e-9)
    np.testing.assert_allclose(panel.traces[0].points[-1], panel.axes.c2p(*theta[k, :2]), atol=1e-9)


CAP = 0.02 * 8  # 2 % of the frame's height (8 units): readable from the back of a classroom


def tallest_glyph(mob) -> float:
    """The height of the tallest glyph in `mob` (for a number: its digits, about the cap height)."""
    return max(m.height for m in mob.family_members_with_points())


def numbers(cells) -> list:
    """The cells of a table that show a number (Text with a digit)."""
    from manim import Text

    return [c for c in cells if isinstance(c, Text) and any(ch.isdigit() for ch in c.text)]


def test_every_number_in_readouts_insets_and_tables_is_readable():
    from gdcore import compare
    from scenes.kit.lecture import Comparing
    from scenes.kit.pieces import LossInset
    from scenes.lectures.regression import VERDICT_WIDTH, verdict_table
    from scenes.words import captions, locales

    taught = lesson("regression")
    readout = Readout([("s", "#FFFFFF"), ("x", "#FFFFFF")], [taught.run.losses])
    readout.set_step(3)
    assert min(tallest_glyph(row) for row in readout.values if len(row.family_members_with_points())) >= CAP
    inset = LossInset([(taught.run.losses, "#FFFFFF")], 60, "f", "step", 1.8, 1.2)
    for tick in [*inset.axes.y_axis.labels, *inset.axes.x_axis.numbers]:
        assert tallest_glyph(tick) >= CAP * 0.99
    for lang in locales.available():
        words = functools.partial(captions.text, lang)
        table = verdict_table(taught, words)
        scale = min(1.0, VERDICT_WIDTH / table.width)
        assert len(numbers(table)) == 9 and min(map(tallest_glyph, numbers(table))) * scale >= CAP

        class Table(Comparing):
            subject = compare("parabola", "beta", [0, 0.5, 0.9, 0.95, 0.99], steps=10_000)
            lang_ = lang

            def number(self, shown, tex=False):
                return captions.decimals(self.lang_, shown, tex)

            def words(self, key, **v):
                return captions.text(self.lang_, key, **v)

        cells = Table().verdict_table(width=5.7)
        assert len(numbers(cells)) >= 10 and min(map(tallest_glyph, numbers(cells))) >= CAP
