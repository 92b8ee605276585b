"""Lecture 4: can momentum roll a ball out of a dip? A tilted double well from gdcore's DoubleWell, and runs
that differ in β from the same start. Beats: question, landscape, rule, runs with their energy, verdict."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Rectangle,
    VGroup,
    Write,
)

from gdcore import Comparison, Problem

from ..kit import style
from ..kit.lecture import Comparing, Lecture
from ..kit.pieces import axis_names, curve, following, keep_inside, label, math, written_ticks
from ..words import story
from ..words.captions import fmt_param

# Layout, in frame coordinates (the frame is 14.2 × 8 units, origin at its centre).
X_VIEW = (-3.1, 3.3)  # the plot's x range
PLOT_AT, PLOT_SIZE = (-2.85, 0.5), (7.2, 5.0)
FORMULA_AT = (style.RIGHT_COLUMN_X, 3.3)
RULE_AT, RULE_WIDTH = (style.RIGHT_COLUMN_X, 1.85), 5.0
ENERGY_AT, ENERGY_SIZE = (style.RIGHT_COLUMN_X - 0.4, 1.35), (3.2, 2.9)  # the barrier's name right of it
INSET_X, INSET_WIDTH, INSET_HEIGHT = style.RIGHT_COLUMN_X - 0.2, 3.2, 1.1  # its bottom on the caption band


def plot_axes(problem: Problem) -> Axes:
    """Axes over X_VIEW, from just below the global minimum to the loss at the view's edges."""
    f = curve(problem)
    low = np.floor(problem.lowest_loss - 0.3)
    top = np.ceil(max(f(X_VIEW[0]), f(X_VIEW[1])))
    axes = Axes(
        x_range=[*X_VIEW, 1],
        y_range=[low, top, 1],
        x_length=PLOT_SIZE[0],
        y_length=PLOT_SIZE[1],
        tips=False,
        axis_config={"color": style.MUTED, "font_size": style.TICK_SIZE},
        x_axis_config={"numbers_to_include": range(-3, 4)},
        # no number where the curve crosses the y axis: the curve would run through it
        y_axis_config={
            "numbers_to_include": [n for n in range(int(low) + 1, int(top) + 1) if abs(n - f(0.0)) > 0.4]
        },
    )
    return axes.move_to([*PLOT_AT, 0])


class EnergyBars(VGroup):
    """One bar per run, in its colour (`colours`): its height f(x_k) (solid, from the global minimum's level) with its "kinetic" share
    v²/(2α) stacked on top (pale), and the barrier's height as a dashed line across. Bars are cut at the top
    of the panel."""

    WIDTH = 0.42

    def __init__(
        self,
        losses: list[np.ndarray],
        kinetic: list[np.ndarray],
        names: list[str],
        floor: float,
        barrier: float,
        barrier_name: str,
        symbol: str,
        colours: Sequence[str],
    ):
        self.losses, self.kinetic, self.floor, self.colours = losses, kinetic, floor, colours
        self.top = floor + 1.25 * max(max(float(v[0]) for v in losses) - floor, barrier - floor)
        self.unit = ENERGY_SIZE[1] / (self.top - floor)  # scene units per unit of f
        n = len(losses)
        pitch = min(1.3, ENERGY_SIZE[0] / n)  # room for each bar's name under it
        self.base = ENERGY_AT[1] - ENERGY_SIZE[1] / 2
        self.xs = [ENERGY_AT[0] + (i - (n - 1) / 2) * pitch for i in range(n)]
        self.potential = VGroup(*(self.bar(i, 0.9, 0) for i in range(n)))  # solid: f(x_k)
        self.motion = VGroup(*(self.bar(i, 0.3, 2) for i in range(n)))  # pale, outlined: v²/(2α)
        name = label(barrier_name, style.SMALL_SIZE, style.TEXT)
        line, ground = self.levels(self.base + (barrier - floor) * self.unit, name.width)
        tags = VGroup(
            *(
                label(name, style.SMALL_SIZE, colours[i]).next_to([x, self.base, 0], DOWN, buff=0.12)
                for i, (x, name) in enumerate(zip(self.xs, names))
            )
        )
        tags.add(label(symbol, style.SMALL_SIZE, style.MUTED).next_to(tags, LEFT, buff=0.25))
        self.still = VGroup(ground, line, name.next_to(line, RIGHT, buff=0.1), tags)
        self.moving = VGroup(self.potential, self.motion)
        super().__init__(self.still, self.moving)

    def bar(self, i: int, opacity: float, stroke: float) -> Rectangle:
        """Run i's bar (its height set at each step), in its colour."""
        return Rectangle(
            width=self.WIDTH,
            height=0.01,
            fill_color=self.colours[i],
            fill_opacity=opacity,
            stroke_color=self.colours[i],
            stroke_width=stroke,
        )

    def levels(self, y: float, name_width: float) -> tuple[DashedLine, DashedLine]:
        """The barrier's dashed line at height y and the ground's; they end where the barrier's name still
        fits inside the safe margin (a longer word, a shorter line)."""
        left = ENERGY_AT[0] - ENERGY_SIZE[0] / 2
        right = max(
            min(ENERGY_AT[0] + ENERGY_SIZE[0] / 2, style.SAFE_RIGHT - name_width - 0.1),
            self.xs[-1] + self.WIDTH / 2 + 0.05,
        )
        line = DashedLine([left, y, 0], [right, y, 0], color=style.TEXT, stroke_width=3)
        ground = DashedLine([left, self.base, 0], [right, self.base, 0], color=style.MUTED, stroke_width=2)
        return line, ground

    def set_step(self, k: int, s: float = 0.0) -> None:
        for i, (rest, moving) in enumerate(zip(self.potential, self.motion)):
            j = min(k, len(self.losses[i]) - 1)
            height = max(min(self.losses[i][j] - self.floor, self.top - self.floor) * self.unit, 0.005)
            extra = max(min(self.kinetic[i][j], self.top - self.losses[i][j]) * self.unit, 0.005)
            rest.stretch_to_fit_height(height).move_to([self.xs[i], self.base + height / 2, 0])
            moving.stretch_to_fit_height(extra).move_to([self.xs[i], self.base + height + extra / 2, 0])


class ValleysLecture(Comparing, Lecture):
    TEACHES = Comparison
    BEATS = ("intro", "show_landscape", "show_rule", "predict", "run_balls", "verdict")
    TITLE, QUESTION = "val_title", "val_question"

    # 2 — the landscape: two minima and the barrier between them, found by gdcore
    def show_landscape(self) -> None:
        p = self.subject.problem
        self.axes = axes = written_ticks(plot_axes(p), self.sign)
        self.plot = plot = axes.plot(curve(p), x_range=list(X_VIEW), color=style.CURVE, stroke_width=4)
        names = axis_names(axes, p.param_tex, p.loss_tex)
        self.formulas = math(self.number(rf"{p.loss_tex} = {p.formula.tex}", True)).move_to([*FORMULA_AT, 0])
        self.marks = marks = VGroup()
        for x, fx, kind in p.minima():
            name = label(self.words(f"val_{kind}"), style.SMALL_SIZE, style.TEXT).next_to(
                axes.c2p(x, fx), DOWN, buff=0.45
            )
            axis_y = axes.x_axis.get_y()
            if (
                name.get_bottom()[1] < axis_y + 0.15 and name.get_top()[1] > axis_y - 0.45
            ):  # on the axis: below it
                name.next_to([name.get_x(), axis_y - 0.45, 0], DOWN, buff=0)
            marks.add(Dot(axes.c2p(x, fx), color=style.TEXT, radius=0.07), keep_inside(name))
        bx, bf = p.barrier()
        marks.add(
            Dot(axes.c2p(bx, bf), color=style.TEXT, radius=0.07),
            label(self.words("val_barrier"), style.SMALL_SIZE, style.TEXT).next_to(
                axes.c2p(bx, bf), UR, buff=0.15
            ),
        )
        self.play(Create(axes), FadeIn(names), run_time=1.2)
        self.play(Create(plot), Write(self.formulas), run_time=1.5)
        (lx, lf), (gx, gf) = (
            [(x, fx) for x, fx, kind in p.minima() if kind == "local"][0],
            [(x, fx) for x, fx, kind in p.minima() if kind == "global"][0],
        )
        with self.caption(
            "val_landscape",
            local_x=fmt_param(lx, 3),
            local_f=fmt_param(lf, 3),
            barrier_x=fmt_param(bx, 3),
            barrier_f=fmt_param(bf, 3),
            global_x=fmt_param(gx, 3),
            global_f=fmt_param(gf, 3),
        ):
            self.play(FadeIn(marks), run_time=1.0)

    def show_rule(self) -> None:
        self.write_rule(at=RULE_AT, width=RULE_WIDTH)

    # 4 — the runs together: balls on the curve, their energy, their losses
    def run_balls(self) -> None:
        c, p = self.subject, self.subject.problem
        runs = [one.run for one in c.lessons]
        f, floor = curve(p), p.lowest_loss
        balls = self.balls(self.axes, f)
        energy = EnergyBars(
            [run.losses for run in runs],
            [one.kinetic for one in c.lessons],
            [self.number(fmt_param(v)) for v in c.values],
            floor,
            p.barrier()[1],
            self.words("val_barrier"),
            "β =",
            list(map(self.colour, range(len(runs)))),
        )
        losses = [(run.losses - floor, self.colour(i)) for i, run in enumerate(runs)]
        inset = self.loss_inset(INSET_X, losses, "val_loss_axis", INSET_WIDTH, INSET_HEIGHT)
        self.play(FadeOut(self.rule), run_time=0.5)
        cues = [("val_legend", {"x0": fmt_param(c.params["x0"])}), ("val_energy", {}), ("val_analogy", {})]
        # a ball that leaves the view: the plot follows it; the minima's names are where they are unzoomed
        follow = following(balls[0].window, f, self.plot, balls, avoid=[f(0.0)], marks=self.marks)
        self.drive([*follow, energy, inset, *balls], cues)
        self.energy = energy

    # 5 — where each run ended, and what it takes
    def verdict(self) -> None:

        def basin(one) -> str:
            # on two lines: the table stays narrow enough to be read at its full size
            return self.words(f"val_{one.verdict.basin}").replace(" ", "\n", 1) if one.verdict.basin else "—"

        # where each ball ended and when; its final loss is on the inset (a fourth column would not fit at a
        # readable size)
        columns = [("val_basin", basin), ("settled_at", self.settled_cell)]
        table = self.verdict_table(width=2 * (style.SAFE_RIGHT - style.RIGHT_COLUMN_X), columns=columns)
        table.move_to([style.RIGHT_COLUMN_X, 0, 0]).align_to(
            [0, style.SAFE_TOP - 0.1, 0], UP
        )  # the formula's place
        self.play(FadeOut(self.formulas), FadeOut(self.energy), FadeIn(table), run_time=0.8)
        self.say(story.valleys_verdict(self.subject), at_least=1.0)
