"""Lecture 1: a ball with momentum on the parabola of gdcore's Quadratic. Beats: question, parabola, rule,
run, verdict."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, UP, Axes, Create, FadeIn, FadeOut, Write

from gdcore import DISPLACEMENT_TEX, Comparison, Lesson, Problem

from ..kit import style
from ..kit.lecture import Comparing, Lecture
from ..kit.pieces import (
    BallOnCurve,
    Readout,
    Window,
    axis_names,
    curve,
    following,
    keep_inside,
    math,
    written_ticks,
)
from ..words import story
from ..words.captions import fmt_param

# Layout, in frame coordinates (the frame is 14.2 × 8 units, origin at its centre).
X_VIEW = 6.5  # the plot shows x in [−6.5, 6.5]; a ball beyond it has left the view
PLOT_AT, PLOT_WIDTH = (-2.75, 0.45), 7.6
FORMULA_AT = (style.RIGHT_COLUMN_X, 3.3)
RULE_AT, RULE_WIDTH = (style.RIGHT_COLUMN_X, 2.1), 5.0
READOUT_AT = (1.6, 0.32)  # its left edge and centre height: long numbers grow rightwards
INSET_X, INSET_WIDTH, INSET_HEIGHT = style.RIGHT_COLUMN_X - 0.2, 3.2, 1.1  # its bottom on the caption band
TRAIL = 8  # past positions kept in the fading trail
GHOST_RADIUS = 0.26  # plain GD's ball; the momentum ball's is 0.16


def plot_axes(problem: Problem) -> Axes:
    """Axes for x in [−X_VIEW, X_VIEW], tall enough for the loss at the view's edges (rounded up to 0.2)."""
    top = np.ceil(max(curve(problem)(-X_VIEW), curve(problem)(X_VIEW)) * 5) / 5
    axes = Axes(
        x_range=[-X_VIEW, X_VIEW, 1],
        y_range=[0, top, 1],
        x_length=PLOT_WIDTH,
        y_length=5.0,
        tips=False,
        axis_config={"color": style.MUTED, "font_size": style.TICK_SIZE},
        x_axis_config={"numbers_to_include": range(-6, 7, 2)},
        y_axis_config={"numbers_to_include": []},
    )  # f is in the readout: no numbers for labels to meet
    return axes.move_to([*PLOT_AT, 0])


LEGEND_STEPS = 6  # the legend is up while about the first six steps play
SEEN = 0.02 * 14.222  # scene units: an arrow shorter than 2 % of the frame's width cannot be seen


def legend(ball: BallOnCurve) -> str:
    """The legend that names only the arrows the class can see while it is up: the velocity and the push
    (legend), one of them, or neither (the ball leaves the view at once, or the steps are tiny)."""

    def seen(values, k: int) -> bool:
        k = min(k, len(values) - 1, len(ball.xs) - 1)
        return abs(values[k]) * ball.unit >= SEEN and ball.inside(ball.xs[k])

    shown = [any(seen(values, k) for k in range(LEGEND_STEPS)) for values, _ in ball.arrows]
    return {
        (True, True): "legend",
        (True, False): "legend_velocity",
        (False, True): "legend_push",
        (False, False): "legend_ball",
    }[tuple(shown)]


class ParabolaLecture(Lecture):
    TEACHES = Lesson
    BEATS = ("intro", "show_parabola", "show_rule", "predict", "run_balls", "verdict")

    # 2 — the parabola, its formula and derivative
    def show_parabola(self) -> None:
        p = self.lesson.problem
        self.axes = written_ticks(plot_axes(p), self.sign)
        self.plot = plot = self.axes.plot(
            curve(p), x_range=[-X_VIEW, X_VIEW], color=style.CURVE, stroke_width=4
        )
        names = axis_names(self.axes, p.param_tex, p.loss_tex)
        self.formulas = math(
            self.number(rf"{p.loss_tex} = {p.formula.tex} \qquad {p.grad_tex} = {p.derivative.tex}", tex=True)
        )
        self.formulas.move_to([*FORMULA_AT, 0])
        self.play(Create(self.axes), FadeIn(names), run_time=1.2)
        self.play(Create(plot), Write(self.formulas), run_time=1.5)
        self.tell("parabola")

    # 3 — the update rule that is actually run, with α and β as values
    def show_rule(self) -> None:
        self.write_rule(at=RULE_AT, width=RULE_WIDTH)

    # 4 — the run: ball, plain-GD ghost, arrows, trail, readout, loss inset, all driven by one clock
    def run_balls(self) -> None:
        lesson, p = self.lesson, self.lesson.problem
        run = lesson.run
        ghost = lesson.baseline.positions[:, 0] if lesson.baseline else None
        state_tex = DISPLACEMENT_TEX[lesson.params["variant"]]

        rows = [
            (rf"\text{{{self.words('step')}}}", style.TEXT),
            (p.param_tex, style.BALL),
            (state_tex, style.VELOCITY),
            (p.loss_tex, style.TEXT),
        ]
        series = [run.positions[:, 0], lesson.moves[:, 0], run.losses]
        losses = [(run.losses, style.BALL)]
        if ghost is not None:
            rows.append((p.param_tex + r"_{\mathrm{GD}}", style.GHOST))
            series.append(ghost)
            losses.append((lesson.baseline.losses, style.GHOST))
        readout = (
            Readout(rows, series, self.sign)
            .move_to([0, READOUT_AT[1], 0])
            .align_to([READOUT_AT[0], 0, 0], LEFT)
        )
        inset = self.loss_inset(INSET_X, losses, "loss_axis", INSET_WIDTH, INSET_HEIGHT)
        f = curve(p)
        ahead = lesson.lookahead[:, 0] if lesson.lookahead is not None else None
        ball, balls = self.run_balls_of(f, state_tex, ahead, ghost)
        cues = [(legend(ball), {"state": self.state_text()})]
        if ahead is not None and lesson.run.diverged_at is None:  # a diverging ball is soon out of view
            cues.append(("lookahead", {}))
        if ghost is not None:
            cues.append(("ghost", {"lr": fmt_param(lesson.params["lr"])}))
        self.drive(
            [*following(ball.window, f, self.plot, [*balls, ball]), readout, inset, *balls, ball], cues
        )
        self.readout, self.inset, self.ball = readout, inset, ball

    def run_balls_of(self, f, state_tex: str, ahead, ghost) -> tuple[BallOnCurve, list[BallOnCurve]]:
        """The momentum ball with its arrows and trail, and plain GD's ball (if any), sharing one window."""
        lesson, window = self.lesson, Window(self.axes, self.sign)
        arrows = [
            (lesson.moves[:, 0], state_tex, style.VELOCITY),
            (lesson.pushes[:, 0], rf"-\alpha \nabla {lesson.problem.loss_symbol}", style.GRADIENT),
        ]
        ball = BallOnCurve(
            self.axes,
            f,
            lesson.run.positions[:, 0],
            arrows=arrows,
            trail=TRAIL,
            escape=style.BAD,
            ahead=ahead,
        )
        ball.window = window
        if ghost is None:
            return ball, []
        # plain GD's ball is larger and drawn first: where the balls meet, it rings the momentum ball; it says
        # where it went too, on a marker row of its own
        plain = BallOnCurve(
            self.axes,
            f,
            ghost,
            style.GHOST,
            opacity=0.55,
            radius=GHOST_RADIUS,
            escape=style.GHOST,
            escape_row=1,
        )
        plain.window = window
        return ball, [plain]

    # 5 — the verdict from the theory
    def verdict(self) -> None:
        panel = self.verdict_panel()
        # in the place of the formula and the rule, above the readout
        panel.arrange(DOWN, buff=0.12).move_to(
            [RULE_AT[0], (style.SAFE_TOP + self.readout.get_top()[1]) / 2, 0]
        )
        keep_inside(panel)  # a long line (a language's words) moves it left, clear of the margin
        self.play(FadeOut(self.formulas), FadeOut(self.rule), FadeIn(panel), run_time=0.8)
        self.say(story.verdict(self.lesson), at_least=1.0)


class ParabolaComparison(Comparing, ParabolaLecture):
    """The parabola lecture for 2 to 5 runs that differ in one hyperparameter: one ball per run on the same
    curve (concentric, the first the largest, so balls at the same place stay visible), a readout of each
    ball's x, all loss curves on one inset, and a verdict table."""

    TEACHES = Comparison

    def run_balls(self) -> None:
        c, p = self.subject, self.subject.problem
        runs = [one.run for one in c.lessons]
        f = curve(p)
        rows = [
            (rf"\text{{{self.words('step')}}}", style.TEXT),
            *((rf"{p.param_tex}\ ({self.run_tex(i)})", style.RUNS[i]) for i in range(len(runs))),
        ]
        readout = (
            Readout(rows, [run.positions[:, 0] for run in runs], self.sign)
            .move_to([0, READOUT_AT[1], 0])
            .align_to([READOUT_AT[0], 0, 0], LEFT)
        )
        losses = [(run.losses, style.RUNS[i]) for i, run in enumerate(runs)]
        inset = self.loss_inset(INSET_X, losses, "loss_axis", INSET_WIDTH, INSET_HEIGHT)
        balls = self.balls(self.axes, f)
        self.drive(
            [*following(balls[0].window, f, self.plot, balls), readout, inset, *balls], [("cmp_legend", {})]
        )
        self.readout = readout

    def verdict(self) -> None:
        table = self.verdict_table(width=2 * (style.SAFE_RIGHT - style.RIGHT_COLUMN_X))
        table.move_to([style.RIGHT_COLUMN_X, 0, 0]).align_to([0, style.SAFE_TOP - 0.1, 0], UP)
        self.play(
            FadeOut(self.formulas), FadeOut(self.rule), FadeOut(self.readout), FadeIn(table), run_time=0.8
        )
        self.say_verdict()
