"""Lecture 1: a ball with momentum on the parabola of gdcore's Quadratic. Beats: question, parabola, rule,
run, verdict."""

from __future__ import annotations

import numpy as np
from manim import LEFT, UP, Axes, Create, FadeIn, FadeOut, Indicate, Write

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
READOUT_AT = (1.6, 0.55)  # its left edge and centre height: long numbers grow rightwards
INSET_X, INSET_WIDTH, INSET_HEIGHT = style.RIGHT_COLUMN_X + 0.15, 3.7, 1.55  # its bottom on the caption band
PLANE_AT = (style.RIGHT_COLUMN_X, 2.15)  # the eigenvalues' plane of the verdict, where the rule was
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
    """The ball with momentum and plain gradient descent's on the parabola: the question over a preview of the
    race; the race, with the formula, the rule and its arrows drawn onto it as they are said; then a verdict
    whose every sentence draws what it says on the loss plot (settling steps, the ρ envelopes, ρ = 1) or in
    the eigenvalues' plane."""

    TEACHES = Lesson
    BEATS = ("intro", "predict", "run_balls", "verdict")
    PREVIEW = 6  # steps the question's preview plays, at most

    def intro(self) -> None:
        self.show_title()
        self.set_stage()

    def set_stage(self) -> None:
        """The parabola (and the balls, which appear with the question)."""
        self.draw_plot()
        lesson, p = self.lesson, self.lesson.problem
        ahead = lesson.lookahead[:, 0] if lesson.lookahead is not None else None
        ghost = lesson.baseline.positions[:, 0] if lesson.baseline else None
        state = DISPLACEMENT_TEX[lesson.params["variant"]]
        self.ball, self.others = self.run_balls_of(curve(p), state, ahead, ghost)
        self.ball.arrows_on = False
        self.bring_balls([*self.others, self.ball])

    def draw_plot(self) -> None:
        """The axes and the parabola."""
        p = self.subject.problem
        self.axes = written_ticks(plot_axes(p), self.sign)
        self.plot = self.axes.plot(curve(p), x_range=[-X_VIEW, X_VIEW], color=style.CURVE, stroke_width=4)
        self.names = axis_names(self.axes, p.param_tex, p.loss_tex)
        self.play(Create(self.axes), Create(self.plot), FadeIn(self.names), run_time=1.0)

    def bring_balls(self, balls: list) -> None:
        """The balls that race (self.racers), at their start: they appear with the question (the stage before
        it does not depend on the run, so a render with other values reuses it)."""
        self.racers = balls
        self.set_step(self.racers, 0, 0.0)

    def predict(self) -> None:
        """The question, with this run's values, over the race's first steps (then back to the start)."""
        said = story.predict(self.subject)
        with self.caption(said.key, claims=said.claims, **said.values):
            self.play(*(FadeIn(b) for b in self.racers), run_time=0.5)
            steps = min(self.PREVIEW, max(one.run.last_step for one in self.subject.lessons))
            if steps and self.lesson.verdict.still is None:
                self.sweep(self.racers, (0, steps), 3.0)
                self.sweep(self.racers, (steps, 0), 0.8)
            self.play(*(Indicate(b.ball, scale_factor=1.5) for b in self.racers), run_time=1.0)

    def formula_cue(self) -> tuple:
        """The parabola's caption, its formula and derivative written as it is read."""
        p = self.subject.problem
        self.formulas = math(
            self.number(rf"{p.loss_tex} = {p.formula.tex} \qquad {p.grad_tex} = {p.derivative.tex}", tex=True)
        ).move_to([*FORMULA_AT, 0])
        return "parabola", {}, lambda: self.play(Write(self.formulas), run_time=2.0)

    def run_cues(self) -> list[tuple]:
        """What is said (and drawn) as the race starts: the formula, the rule and its arrows, the look-ahead
        ring, plain gradient descent's ball."""
        lesson = self.lesson
        formula = self.formula_cue()
        rule = self.rule_group(RULE_AT, RULE_WIDTH)

        def arrows() -> None:
            self.ball.show_arrows()
            self.play(Write(rule), run_time=2.0)

        key, values = self.rule_caption()
        cues = [formula, (key, values, arrows)]
        if self.ball.ring is not None and lesson.run.diverged_at is None:  # a diverging ball soon leaves
            cues.append(("lookahead", {}, lambda: self.play(Indicate(self.ball.ring, scale_factor=1.5))))
        if self.others:
            ghost = self.others[0].ball
            cues.append(
                (
                    "ghost",
                    {"lr": fmt_param(lesson.params["lr"])},
                    lambda: self.play(Indicate(ghost), run_time=1.5),
                )
            )
        return cues

    # 4 — the run: ball, plain-GD ghost, arrows, trail, readout, loss plot, all driven by one clock
    def run_balls(self) -> None:
        lesson, p = self.lesson, self.lesson.problem
        run = lesson.run
        rows = [
            (self.tex_words("step"), style.TEXT),
            (p.param_tex, style.BALL),
            (DISPLACEMENT_TEX[lesson.params["variant"]], style.VELOCITY),
        ]
        series = [run.positions[:, 0], lesson.moves[:, 0]]
        losses = [(run.losses, style.BALL)]
        if lesson.baseline is not None:
            rows.append((p.param_tex + r"_{\mathrm{GD}}", style.GHOST))
            series.append(lesson.baseline.positions[:, 0])
            losses.append((lesson.baseline.losses, style.GHOST))
        readout = (
            Readout(rows, series, self.sign)
            .move_to([0, READOUT_AT[1], 0])
            .align_to([READOUT_AT[0], 0, 0], LEFT)
        )
        inset = self.loss_inset(INSET_X, losses, "loss_axis", INSET_WIDTH, INSET_HEIGHT)
        pieces = [
            *following(self.ball.window, curve(p), self.plot, self.racers),
            readout,
            inset,
            *self.racers,
        ]
        self.readout, self.inset = readout, inset  # the run's events mark the loss plot
        self.drive(pieces, self.run_cues(), shown=self.racers)

    def run_balls_of(self, f, state_tex: str, ahead, ghost) -> tuple[BallOnCurve, list[BallOnCurve]]:
        """The momentum ball with its arrows and trail, and plain GD's ball (if any), sharing one window."""
        lesson, window = self.lesson, Window(self.axes, self.sign)
        arrows = [
            (lesson.moves[:, 0], state_tex, style.VELOCITY),
            (lesson.pushes[:, 0], rf"-\alpha \nabla {lesson.problem.loss_symbol}", style.GRADIENT),
        ]
        colour = style.BALL if lesson.baseline is not None else style.GHOST  # β = 0: plain gradient descent
        ball = BallOnCurve(
            self.axes,
            f,
            lesson.run.positions[:, 0],
            colour,
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

    # 5 — the verdict: each sentence draws what it says (Lecture.picture)
    def verdict(self) -> None:
        head = self.verdict_head().move_to([RULE_AT[0], style.SAFE_TOP - 0.25, 0])
        keep_inside(head)
        self.play(
            FadeOut(self.formulas), FadeOut(self.rule), FadeOut(self.readout), FadeIn(head), run_time=0.8
        )
        self.plane_at = PLANE_AT
        self.say_drawn(story.verdict(self.lesson))


class ParabolaComparison(Comparing, ParabolaLecture):
    """The parabola lecture for 2 to 5 runs that differ in one hyperparameter: one ball per run on the same
    curve (concentric, the first the largest, so balls at the same place stay visible), a readout of each
    ball's x, all loss curves on one plot, and a verdict table whose rows each sentence points at."""

    TEACHES = Comparison

    def set_stage(self) -> None:
        self.draw_plot()
        self.bring_balls(self.balls(self.axes, curve(self.subject.problem)))

    def run_cues(self) -> list[tuple]:
        formula = self.formula_cue()
        rule = self.rule_group(RULE_AT, RULE_WIDTH)
        key, values = self.rule_caption()
        return [formula, (key, values, lambda: self.play(Write(rule), run_time=2.0))]

    def run_balls(self) -> None:
        """The race: every ball on the curve, every run's loss on the plot (no readout: up to five runs' numbers
        would crowd the rule; the verdict's table gives them)."""
        c, p = self.subject, self.subject.problem
        losses = [(one.run.losses, style.RUNS[i]) for i, one in enumerate(c.lessons)]
        self.inset = self.loss_inset(INSET_X, losses, "loss_axis", INSET_WIDTH, INSET_HEIGHT)
        balls = self.racers
        pieces = [*following(balls[0].window, curve(p), self.plot, balls), self.inset, *balls]
        self.drive(pieces, self.run_cues(), shown=balls)

    def verdict(self) -> None:
        self.table = self.verdict_table(width=2 * (style.SAFE_RIGHT - style.RIGHT_COLUMN_X))
        self.table.move_to([style.RIGHT_COLUMN_X, 0, 0]).align_to([0, style.SAFE_TOP - 0.1, 0], UP)
        self.play(
            FadeOut(self.formulas),
            FadeOut(self.rule),
            FadeIn(self.table),
            run_time=0.8,
        )
        self.say_drawn(story.compare_verdict(self.subject))
