"""A ball (or one per run) rolling on a curve of one variable: what the parabola lecture and the function lecture
share. The question over a preview of the race; the race's cues (the formula, the rule and its arrows, the
look-ahead ring, plain gradient descent's ball) drawn onto the running picture as they are said. A lecture
gives its plot (set_stage, draw_plot), its formula (formula_cue), where its rule goes (RULE_AT, RULE_WIDTH),
its run and its verdict."""

from __future__ import annotations

from manim import FadeIn, Indicate, Write

from ..words import story
from ..words.captions import fmt_param
from . import style
from .lecture import Comparing, Lecture
from .pieces import BallOnCurve, Window

TRAIL = 8  # past positions kept in the fading trail
GHOST_RADIUS = 0.26  # plain GD's ball; the momentum ball's is 0.16


class RollingLecture(Lecture):
    """The ball with momentum and plain gradient descent's on a curve: intro, question, race, verdict."""

    BEATS = ("intro", "predict", "run_balls", "verdict")
    PREVIEW = 6  # steps the question's preview plays, at most
    RULE_AT, RULE_WIDTH = (style.RIGHT_COLUMN_X, 2.1), 5.0  # where the rule is written, and its width

    def intro(self) -> None:
        self.show_title()
        self.set_stage()

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

    def run_cues(self) -> list[tuple]:
        """What is said (and drawn) as the race starts: the formula, the rule and its arrows, the look-ahead
        ring, plain gradient descent's ball."""
        lesson = self.lesson
        formula = self.formula_cue()
        rule = self.rule_group(self.RULE_AT, self.RULE_WIDTH)

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

    def run_balls_of(self, f, state_tex: str, ahead, ghost) -> tuple[BallOnCurve, list[BallOnCurve]]:
        """The momentum ball with its arrows and trail, and plain GD's ball (if any), sharing one window."""
        lesson, window = self.lesson, Window(self.axes, self.sign)
        arrows = [
            (lesson.moves[:, 0], state_tex, style.VELOCITY),
            (lesson.pushes[:, 0], rf"-\alpha \nabla {lesson.problem.loss_symbol}", style.GRADIENT),
        ]
        colour = self.colour()  # β = 0: plain gradient descent's violet
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


class RollingComparison(Comparing, RollingLecture):
    """2 to 5 balls, one per run, on one curve: the race's cues are the formula and the rule."""

    def run_cues(self) -> list[tuple]:
        formula = self.formula_cue()
        rule = self.rule_group(self.RULE_AT, self.RULE_WIDTH)
        key, values = self.rule_caption()
        return [formula, (key, values, lambda: self.play(Write(rule), run_time=2.0))]
