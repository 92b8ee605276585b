"""Lecture 4: can momentum roll a ball out of a dip? A tilted double well from gdcore's DoubleWell, and runs
that differ in β from the same start. Beats: the question over the balls' first steps; the run, with the
formula, the rule and the energy analogy drawn onto it as they are said; a verdict that replays each ball
(where it ended, each crossing of the barrier counted over it, its energy bar) and points at the barrier."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Axes,
    Circle,
    Circumscribe,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    Rectangle,
    UpdateFromAlphaFunc,
    VGroup,
    Write,
    linear,
)

from gdcore import Comparison, Problem

from ..kit import style
from ..kit.lecture import Comparing, Lecture
from ..kit.pacing import Schedule, nice_ceiling
from ..kit.pieces import axis_names, curve, following, keep_inside, label, math, written_ticks
from ..words import story
from ..words.captions import fmt_param

# Layout, in frame coordinates (the frame is 14.2 × 8 units, origin at its centre).
X_VIEW = (-3.1, 3.3)  # the plot's x range
PLOT_AT, PLOT_SIZE = (-2.85, 0.5), (7.2, 5.0)
FORMULA_AT = (style.RIGHT_COLUMN_X, 3.3)
RULE_AT, RULE_WIDTH = (style.RIGHT_COLUMN_X, 1.85), 5.0  # where the energy bars come in after it
ENERGY_AT, ENERGY_SIZE = (style.RIGHT_COLUMN_X - 0.4, 1.35), (3.2, 2.9)  # the barrier's name right of it
INSET_X, INSET_WIDTH, INSET_HEIGHT = style.RIGHT_COLUMN_X - 0.2, 3.2, 1.1  # its bottom on the caption band
QUIET = 0.01  # of the view's width: a ball that stays this near where it ends no longer moves to the eye
TALLY, TALLY_GAP = 10, 0.15  # crossings drawn as dots over the barrier, at most; scene units between them
REPLAY = 4.0  # seconds a verdict sentence replays its ball


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


def quiet_step(xs: np.ndarray, width: float) -> int:
    """The first step from which a ball at positions `xs` stays within QUIET·width of where it ends: after
    it, nothing of its run can be seen to move."""
    moving = np.flatnonzero(np.abs(xs - xs[-1]) > QUIET * width)
    return int(moving[-1] + 1) if len(moving) else 0


def log_time(alpha: float, last: int) -> float:
    """The step a replay of `last` steps shows at `alpha` ∈ [0, 1]: evenly in log(1 + k), so that the first
    steps (where the crossings are) take as long as the hundreds after them."""
    return (last + 1) ** alpha - 1.0


class EnergyBars(VGroup):
    """One bar per run: its height f(x_k) (solid, from the global minimum's level) with its "kinetic" share
    v²/(2α) stacked on top (pale), and the barrier's height as a dashed line across (`line`). Bars are cut at
    the top of the panel. `appear(a)` fades the whole panel in (it comes in while the run plays)."""

    WIDTH = 0.42
    OPACITY = (0.9, 0.3)  # the bars' fill: f(x_k) solid, v²/(2α) pale

    def __init__(
        self,
        losses: list[np.ndarray],
        kinetic: list[np.ndarray],
        names: list[str],
        colours: list[str],
        levels: tuple[float, float],
        barrier_name: str,
        symbol: str,
    ):
        floor, barrier = levels  # the global minimum's f and the barrier's
        self.losses, self.kinetic, self.floor = losses, kinetic, floor
        self.top = floor + 1.25 * max(max(float(v[0]) for v in losses) - floor, barrier - floor)
        self.unit = ENERGY_SIZE[1] / (self.top - floor)  # scene units per unit of f
        n = len(losses)
        pitch = min(1.3, ENERGY_SIZE[0] / n)  # room for each bar's name under it
        self.base = ENERGY_AT[1] - ENERGY_SIZE[1] / 2
        self.xs = [ENERGY_AT[0] + (i - (n - 1) / 2) * pitch for i in range(n)]
        self.potential = VGroup(*(self.bar(c, self.OPACITY[0], 0) for c in colours))  # solid: f(x_k)
        self.motion = VGroup(*(self.bar(c, self.OPACITY[1], 2) for c in colours))  # pale, outlined: v²/(2α)
        name = label(barrier_name, style.SMALL_SIZE, style.TEXT)
        self.line, ground = self.levels(self.base + (barrier - floor) * self.unit, name.width)
        tags = VGroup(
            *(
                label(name, style.SMALL_SIZE, colour).next_to([x, self.base, 0], DOWN, buff=0.12)
                for x, name, colour in zip(self.xs, names, colours)
            )
        )
        tags.add(label(symbol, style.SMALL_SIZE, style.MUTED).next_to(tags, LEFT, buff=0.25))
        self.still = VGroup(ground, self.line, name.next_to(self.line, RIGHT, buff=0.1), tags)
        self.moving = VGroup(self.potential, self.motion)
        super().__init__(self.still, self.moving)

    def bar(self, colour: str, opacity: float, stroke: float) -> Rectangle:
        """A run's bar (its height set at each step), in its colour."""
        return Rectangle(
            width=self.WIDTH,
            height=0.01,
            fill_color=colour,
            fill_opacity=opacity,
            stroke_color=colour,
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
        for i in range(len(self.losses)):
            self.place(i, k)

    def place(self, i: int, k: int) -> None:
        """Run i's bar at step k: f(x_k) above the floor, v²/(2α) on top, both cut at the panel's top."""
        j = min(k, len(self.losses[i]) - 1)
        height = max(min(self.losses[i][j] - self.floor, self.top - self.floor) * self.unit, 0.005)
        extra = max(min(self.kinetic[i][j], self.top - self.losses[i][j]) * self.unit, 0.005)
        rest, moving = self.potential[i], self.motion[i]
        rest.stretch_to_fit_height(height).move_to([self.xs[i], self.base + height / 2, 0])
        moving.stretch_to_fit_height(extra).move_to([self.xs[i], self.base + height + extra / 2, 0])

    def appear(self, alpha: float) -> None:
        """The panel at `alpha` of its full opacity (0: hidden)."""
        self.still.set_opacity(alpha)
        for bars, fill in zip((self.potential, self.motion), self.OPACITY):
            bars.set_fill(opacity=fill * alpha).set_stroke(opacity=alpha)


class ValleysLecture(Comparing, Lecture):
    """The balls of every β on the double well: the question over their first steps; the run, with the
    formula and the minima named, the rule, then the energy panel and its analogy drawn onto it as they are
    said; a verdict whose every sentence replays its ball, counts its crossings over the barrier and marks
    where it settled on the loss plot."""

    TEACHES = Comparison
    BEATS = ("intro", "predict", "run_balls", "verdict")
    TITLE = "val_title"
    PREVIEW = 6  # steps the question's preview plays, at most (never up to a crossing: that is the answer)

    def intro(self) -> None:
        self.show_title()
        self.set_stage()

    def set_stage(self) -> None:
        """The double well, its minima and barrier named (the question is about them), the balls at the
        start."""
        p = self.subject.problem
        self.axes = axes = written_ticks(plot_axes(p), self.sign)
        self.plot = axes.plot(curve(p), x_range=list(X_VIEW), color=style.CURVE, stroke_width=4)
        self.spots = self.well_marks()
        names = axis_names(axes, p.param_tex, p.loss_tex)
        self.play(Create(axes), Create(self.plot), FadeIn(names), run_time=1.0)
        self.racers = self.balls(axes, curve(p))
        self.set_step(self.racers, 0, 0.0)
        self.play(FadeIn(self.spots), *(FadeIn(b) for b in self.racers), run_time=0.6)

    def well_marks(self) -> VGroup:
        """A dot and a name for each minimum and for the barrier, by kind (`self.kinds`)."""
        p, axes = self.subject.problem, self.axes
        marks, self.kinds = VGroup(), []
        for x, fx, kind in p.minima():
            name = label(self.words(f"val_{kind}"), style.SMALL_SIZE, style.TEXT)
            name.next_to(axes.c2p(x, fx), DOWN, buff=0.45)
            axis_y = axes.x_axis.get_y()
            if name.get_bottom()[1] < axis_y + 0.15 and name.get_top()[1] > axis_y - 0.45:  # on the axis
                name.next_to([name.get_x(), axis_y - 0.45, 0], DOWN, buff=0)
            marks.add(VGroup(Dot(axes.c2p(x, fx), color=style.TEXT, radius=0.07), keep_inside(name)))
            self.kinds.append(kind)
        bx, bf = p.barrier()
        top = axes.c2p(bx, bf)
        name = label(self.words("val_barrier"), style.SMALL_SIZE, style.TEXT).next_to(top, UR, buff=0.15)
        marks.add(VGroup(Dot(top, color=style.TEXT, radius=0.07), name))
        self.kinds.append("barrier")
        return marks

    def spot(self, kind: str) -> VGroup:
        """The dot and name of a minimum ("local", "global") or of the barrier as the plot shows them now
        (a plot that follows a ball draws copies of them)."""
        shown = self.follow[0].marks_shown if getattr(self, "follow", None) else self.spots
        return shown[self.kinds.index(kind)]

    def predict(self) -> None:
        """The question, with this run's values, over the balls' first steps (back to the start before any
        crosses the barrier), the balls and the deep valley lit up."""
        said = story.predict(self.subject)
        lessons = self.subject.lessons
        steps = min(
            [self.PREVIEW, max(one.run.last_step for one in lessons)] + [k - 1 for k in self.crossings()]
        )
        with self.caption(said.key, claims=said.claims, **said.values):
            if steps > 0:
                self.sweep(self.racers, (0, steps), 3.0)
                self.sweep(self.racers, (steps, 0), 0.8)
            lit = [Indicate(b.ball, scale_factor=1.5) for b in self.racers]
            self.play(*lit, Indicate(self.spot("global"), scale_factor=1.3), run_time=1.0)

    def crossings(self, i: int | None = None) -> list[int]:
        """The steps at which run i (every run: None) crossed the barrier (gdcore's events claim)."""
        c = self.subject
        runs = range(len(c.lessons)) if i is None else [i]
        return [k for j in runs for k in c.lessons[j].facts(c.label(j))["events"]["crossings"]]

    def colours(self) -> list[str]:
        """Each run's colour, in order."""
        return [self.colour(i) for i in range(len(self.subject.lessons))]

    # the run: the balls, their energy and losses; what each caption names is drawn as it is read
    def run_balls(self) -> None:
        c, p = self.subject, self.subject.problem
        runs = [one.run for one in c.lessons]
        f, floor = curve(p), p.lowest_loss
        self.energy = EnergyBars(
            [run.losses for run in runs],
            [one.kinetic for one in c.lessons],
            [self.number(fmt_param(v)) for v in c.values],
            self.colours(),
            (floor, p.barrier()[1]),
            self.words("val_barrier"),
            "β =",
        )
        self.energy.appear(0.0)  # it comes in as the caption that names it is read
        losses = [(run.losses - floor, colour) for run, colour in zip(runs, self.colours())]
        self.inset = self.loss_inset(INSET_X, losses, "val_loss_axis", INSET_WIDTH, INSET_HEIGHT)
        # a ball that leaves the view: the plot follows it; the minima's names are where they are unzoomed
        self.follow = following(
            self.racers[0].window, f, self.plot, self.racers, avoid=[f(0.0)], marks=self.spots
        )
        pieces = [*self.follow, self.energy, self.inset, *self.racers]
        self.drive(pieces, self.run_cues(), shown=[*self.racers, self.energy])
        self.tallies = self.tally_marks()

    def run_cues(self) -> list[tuple]:
        """What is said (and drawn) as the balls roll: the well (its formula written, its minima and
        barrier lit up in the order named), the rule, the energy panel, the barrier's line on it, the
        kinetic share."""
        p = self.subject.problem
        self.formulas = math(self.number(rf"{p.loss_tex} = {p.formula.tex}", True)).move_to([*FORMULA_AT, 0])
        rule = self.rule_group(RULE_AT, RULE_WIDTH)
        energy = self.energy

        def well() -> None:
            self.play(Write(self.formulas), run_time=1.2)
            for kind in ("local", "barrier", "global"):  # one by one (a LaggedStart's group would be added)
                self.play(Indicate(self.spot(kind), scale_factor=1.3), run_time=0.8)

        def bars() -> None:
            # its parts, each already in the scene: a new group would be split out of the run's clocked layer
            shown = [UpdateFromAlphaFunc(part, lambda _, a: energy.appear(a)) for part in energy]
            self.play(FadeOut(rule), *shown, run_time=1.2)

        def barrier() -> None:
            self.play(Indicate(energy.line, scale_factor=1.05), Indicate(self.spot("barrier")), run_time=1.5)

        key, values = self.rule_caption()
        return [
            ("val_landscape", self.well_values(), well),
            (key, values, lambda: self.play(Write(rule), run_time=1.5)),
            ("val_legend", {"x0": fmt_param(self.subject.params["x0"])}, bars),
            ("val_energy", {}, barrier),
            ("val_analogy", {}, lambda: self.play(Indicate(energy.motion, scale_factor=1.2), run_time=1.5)),
        ]

    def well_values(self) -> dict:
        """The minima's and the barrier's x and f, as the landscape's caption names them."""
        p = self.subject.problem
        found = {kind: (x, fx) for x, fx, kind in p.minima()}
        found["barrier"] = p.barrier()
        return {
            f"{kind}_{axis}": fmt_param(value, 3)
            for kind, point in found.items()
            for axis, value in zip("xf", point)
        }

    def schedule(self) -> Schedule:
        """The run's clock: every step until no ball moves to the eye any more (or each diverging one has
        left), then a time-lapse of the rest (said by val_timelapse: not every ball has settled by then)."""
        lessons, width = self.subject.lessons, X_VIEW[1] - X_VIEW[0]
        n = max(one.run.last_step for one in lessons)
        ends = [
            one.run.diverged_at if one.run.diverged else quiet_step(one.run.positions[:, 0], width)
            for one in lessons
        ]
        return Schedule.for_steps(max(n, 1), max(ends))

    def run_lines(self, schedule: Schedule) -> list[tuple[int, story.Line]]:
        """The run's events (Lecture.run_lines), the time-lapse said as what it is here: the balls no longer
        move to the eye."""
        return [
            (step, story.Line("val_timelapse", said.values, []) if said.key == "ev_timelapse" else said)
            for step, said in super().run_lines(schedule)
            if said.key != "ev_timelapse" or step > 0  # from step 0: no ball moves at all, nothing to hurry
        ]

    def event_shown(self, said: story.Line) -> list:
        """An event's picture (Lecture.event_shown); the time-lapse is about every ball: a ring round each."""
        if said.key != "val_timelapse":
            return super().event_shown(said)
        return [Circumscribe(b.ball, Circle, color=style.TEXT, buff=0.08) for b in self.racers]

    def inset_steps(self) -> int:
        """Steps on the loss plot: past every run's end (its settling or diverging step), rounded up."""
        n = max(one.run.last_step for one in self.subject.lessons)
        ends = [one.verdict.step or 0 for one in self.subject.lessons]
        fast = self.schedule().fast_from
        return n if fast is None else min(n, nice_ceiling(1.25 * max(fast, *ends, 1)))

    def tally_marks(self) -> VGroup:
        """One row of dots per run over the barrier's name, in its colour: a dot per crossing (at most
        TALLY), hidden until a replay crosses (`reveal_tally`)."""
        name = self.spot("barrier")[1]
        rows = VGroup()
        for i, colour in enumerate(self.colours()):
            count = min(len(self.crossings(i)), TALLY)
            dots = [Dot(radius=0.055, color=colour).set_opacity(0) for _ in range(count)]
            row = VGroup(*dots).arrange(RIGHT, buff=TALLY_GAP - 0.11) if dots else VGroup()
            at = name.get_corner(UP + LEFT) + UP * (0.22 + 0.2 * i)
            rows.add(row.move_to(at, aligned_edge=LEFT) if dots else row)
        self.add(rows)
        return rows

    def reveal_tally(self, i: int, step: float) -> None:
        """Run i's dots of the crossings a replay has reached by `step`."""
        for dot, k in zip(self.tallies[i], self.crossings(i)):
            dot.set_opacity(1.0 if step >= k else 0.0)

    # the verdict: each ball replayed as its sentence is read
    def verdict(self) -> None:
        self.say_drawn(story.valleys_verdict(self.subject))

    def picture(self, said: story.Line) -> None:
        """What a verdict sentence draws: a ball's sentence replays it (the crossings counted over the
        barrier, its energy bar moving) and marks where it settled or diverged on the loss plot; a ball that
        never moved pulses on the point where it sits; the moral points at the barrier (and the crossings)."""
        labels = [self.subject.label(i) for i in range(len(self.subject.lessons))]
        runs = [labels.index(c["run"]) for c in said.claims if c.get("run") in labels]
        if said.key.startswith("val_moral"):
            self.moral(said.key)
        elif any(c["claim"] == "still" for c in said.claims):
            self.play(*self.sitting(runs[0], said.claims[0]["where"]), run_time=self.draw_time)
        else:
            self.replay(runs[0])

    def sitting(self, i: int, where: str) -> list:
        """Indicates of ball i, which never moved, and of where it sits: the barrier's top or its minimum."""
        start = self.subject.lessons[i].run.positions[0]
        spot = self.spot("barrier" if where == "stationary" else self.subject.problem.basin(start))
        ball = self.racers[i].ball

        def flat() -> Line:  # the slope there: 0
            return Line(ball.get_center() + 0.6 * LEFT, ball.get_center() + 0.6 * RIGHT, color=style.TEXT)

        return [Indicate(ball, scale_factor=1.6), Indicate(spot), *self.once(f"flat {i}", flat)]

    def replay(self, i: int) -> None:
        """Run i again from its start, its energy bar with it, its crossings counted over the barrier; then
        where it settled (or diverged) marked on the loss plot."""
        one, ball, energy = self.subject.lessons[i], self.racers[i], self.energy
        last = one.run.last_step
        if not one.run.diverged:  # a ball that diverged leaves the view: its marker already says where

            def at(_, alpha: float) -> None:
                t = log_time(alpha, last)
                ball.set_step(int(t), t - int(t))
                energy.place(i, int(t))
                self.reveal_tally(i, t)

            group = VGroup(ball, energy.moving, self.tallies[i])
            self.play(UpdateFromAlphaFunc(group, at), run_time=REPLAY, rate_func=linear)
        self.play(
            Indicate(ball.ball, scale_factor=1.5), *self.mark(i, one.run, one.run.diverged), run_time=1.0
        )

    def moral(self, key: str) -> None:
        """The moral's picture: the barrier (on the curve and on the energy panel), the crossings counted
        over it, the deep valley for balls that started there, or every ball when none moved."""
        if key == "val_moral_still":
            self.play(*(Indicate(b.ball, scale_factor=1.6) for b in self.racers), run_time=1.2)
            return
        shown = [Indicate(self.spot("barrier")), Indicate(self.energy.line, scale_factor=1.05)]
        if key == "val_moral_deep":
            shown.append(Indicate(self.spot("global"), scale_factor=1.3))
        if key == "val_moral" and len(self.tallies.family_members_with_points()):
            shown.append(Indicate(self.tallies, scale_factor=1.4))
        self.play(*shown, run_time=1.5)
