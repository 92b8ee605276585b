"""Lecture 5: momentum in a ravine, the long narrow valley f(x, y) = ½(x² + κ·y²) of gdcore's Ravine. The
question over the contour plot and the two balls (momentum's and plain gradient descent's) set off; the
race, with the formula, the rule and its arrows drawn onto it as they are said; then a verdict told direction
by direction: which one sets the pace and how each moves, seen in each direction's eigenvalues' plane (x with
curvature 1, y with κ) and its ρ envelope on the loss plot."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Circumscribe,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    Rectangle,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
    Write,
)

from gdcore import DISPLACEMENT_TEX, Comparison, Lesson

from ..kit import style
from ..kit.eigenplane import EigenPlane
from ..kit.lecture import Comparing, Lecture
from ..kit.pieces import (
    AxisValues,
    Marker,
    PlaneView,
    Readout,
    StepArrow,
    Traces,
    ball,
    keep_inside,
    label,
    math,
    near,
    tick_value,
)
from ..words import story
from ..words.captions import fmt, fmt_param, tex_sign

# Layout, in frame coordinates (the frame is 14.2 × 8 units, origin at its centre).
PLOT_AT, PLOT_SIZE = (-2.4, 0.68), (7.5, 5.2)  # the contour plot's box: equal scales on x and y
REACH = 1.25  # the box reaches this many times the start's distance from the minimum, on either axis
LEVELS = 8  # contour lines
FORMULA_AT = (style.RIGHT_COLUMN_X, 3.2)
RULE_AT, RULE_WIDTH = (style.RIGHT_COLUMN_X, 1.95), 4.8
READOUT_AT = (1.75, 0.4)  # its left edge and centre height: long numbers grow rightwards
INSET_X, INSET_WIDTH, INSET_HEIGHT = style.RIGHT_COLUMN_X + 0.2, 3.6, 1.25  # its bottom on the caption band
PLANES_Y, PLANE_UNIT, PLANE_GAP = 2.0, 0.78, 2.5  # the directions' eigenvalue planes of the verdict
BALL_RADIUS, GHOST_RADIUS = 0.13, 0.22  # plain GD's ball is larger and drawn first: it rings the other
PREVIEW = 6  # steps the question's preview plays, at most


def reach(start: np.ndarray) -> tuple[float, float]:
    """The half-width and half-height of the plot in (x, y) units: the start well inside, equal scales."""
    aspect = PLOT_SIZE[0] / PLOT_SIZE[1]
    half = REACH * max(abs(start[0]), abs(start[1]) * aspect, 0.8)
    return half, half / aspect


def runs_of(points: np.ndarray, inside: np.ndarray) -> list[np.ndarray]:
    """The stretches of a closed curve's points (k, 2) that lie inside (consecutive True of `inside`)."""
    if inside.all():
        return [np.vstack([points, points[:1]])]
    shift = int(np.argmin(inside))  # start at a point outside: no stretch wraps around the end
    points, inside = np.roll(points, -shift, axis=0), np.roll(inside, -shift)
    edges = np.flatnonzero(np.diff(np.append(inside, False).astype(int)))  # a stretch may end at the end
    return [points[a + 1 : b + 1] for a, b in zip(edges[::2], edges[1::2]) if b - a > 1]


class ValleyPlot(VGroup):
    """The ravine seen from above: a box with equal scales on x and y, the contour lines of f clipped to it,
    the axes x = 0 and y = 0, tick values outside the box (x below, y on its left), the steep direction named
    above it and the flat one below, and the minimum as a white ring."""

    def __init__(self, problem, half: tuple[float, float], flat: str, steep: str, sign: str = "."):
        (hx, hy), (w, h) = half, PLOT_SIZE
        self.sign = sign  # the decimal sign of its numbers and of the walkers' markers
        self.half = np.array(half)
        self.axes = Axes(
            x_range=[-hx, hx, hx],
            y_range=[-hy, hy, hy],
            x_length=w,
            y_length=h,
            tips=False,
            axis_config={
                "color": style.MUTED,
                "stroke_width": 1.5,
                "stroke_opacity": 0.5,
                "include_ticks": False,
            },
        ).move_to([*PLOT_AT, 0])
        self.border = Rectangle(width=w, height=h, color=style.MUTED, stroke_width=1.5).move_to([*PLOT_AT, 0])
        self.levels = self.level_points(problem)
        self.contours = VGroup(
            *(VMobject(stroke_color=style.CURVE, stroke_width=2, stroke_opacity=0.55) for _ in self.levels)
        )
        self.draw_levels(self.contours, PlaneView(self.axes, sign=sign))
        self.numbers = self.values(PlaneView(self.axes, sign=sign))
        self.flat = label(flat, style.SMALL_SIZE, style.MUTED).next_to(
            VGroup(*self.numbers.on(0)), DOWN, buff=0.1
        )
        self.steep = label(steep, style.SMALL_SIZE, style.MUTED).next_to(self.border, UP, buff=0.1)
        self.steep.align_to(self.border, LEFT)
        self.optimum = Circle(radius=0.07, color=style.TEXT, stroke_width=2.5).move_to(self.axes.c2p(0, 0))
        self.unit = w / (2 * hx)  # scene units per unit of x (and of y), unzoomed
        super().__init__(
            self.axes, self.border, self.contours, self.numbers, self.flat, self.steep, self.optimum
        )

    def level_points(self, problem) -> list[np.ndarray]:
        """LEVELS contour lines as (x, y) points, from one whose ellipse spans a seventh of the box to half the
        loss at its corner: closed ellipses near the minimum, the ravine's near-parallel walls further out."""
        hx, hy = self.half
        low, high = (hx / 7) ** 2 / 2, problem.loss(np.array([hx, hy])) / 2
        return [problem.level(value, 240) for value in np.geomspace(low, max(high, 2 * low), LEVELS)]

    def draw_levels(self, lines: VGroup, view: PlaneView) -> None:
        """The contour lines as `view` shows them now, one a level: its stretches inside the box it shows."""
        half = self.half * view.zoom
        for points, line in zip(self.levels, lines):
            stretches = runs_of(points, np.all(np.abs(points) <= half, axis=1))
            line.points = np.zeros((0, 3))
            for stretch in stretches:
                scene = view.window.c2p(*stretch.T)
                line.start_new_path(scene[0])
                line.add_points_as_corners(scene[1:])

    def values(self, view: PlaneView) -> AxisValues:
        """Round tick values of what `view` shows (every zoom of its plan): x's below the box, y's on its left,
        in TeX with the plot's decimal sign."""
        return AxisValues(
            view, lambda text: tick_value(text.replace(self.sign, tex_sign(self.sign))), LEFT, 0.1
        )

    def inside(self, point: np.ndarray) -> bool:
        return bool(np.all(np.abs(point) <= self.half))


class Walker:
    """One run on the plot: its ball, its path revealed step by step (cut where it leaves the box shown), and
    where it went once it is beyond it (a marker in the colour given, on row `row` of the plot's lower corner).
    `view`: what the plot shows, set by the RavineRuns that drives it."""

    def __init__(
        self, plot: ValleyPlot, positions: np.ndarray, colour: str, radius: float, opacity: float, row: int
    ):
        self.plot, self.positions = plot, np.asarray(positions, dtype=float)
        self.view = PlaneView(plot.axes, sign=plot.sign)
        self.trace = Traces(plot.axes, [(*self.positions.T, colour)], 2.5, self.view.frame)
        self.ball = ball(colour, radius, opacity)
        self.row, self.ball_opacity = row, opacity
        self.marker = Marker(colour)
        self.back = self.marker.back

    @property
    def marked(self) -> str | None:
        return self.marker.shown

    def at(self, k: int, s: float) -> np.ndarray:
        last = len(self.positions) - 1
        a, b = self.positions[min(k, last)], self.positions[min(k + 1, last)]
        return a + s * (b - a)

    def set_step(self, k: int, s: float) -> None:
        self.trace.reveal(k + s)
        self.view.place(self.ball, self.at(k, s), self.ball_opacity)
        self.mark(self.positions[min(k, len(self.positions) - 1)])

    def mark(self, point: np.ndarray) -> None:
        """Say where the ball is while it is beyond the view, in the corner away from the start."""
        if self.view.inside(point):
            self.marker.hide()
            return
        sign = self.plot.sign
        words = ("; " if sign == "," else ", ").join(fmt(v).replace(".", sign) for v in point[:2])
        if self.marker.say(f"({words})"):  # "(0,5; 1,2)": a comma between them would read as a decimal sign
            side = LEFT if self.positions[0, 0] > 0 else RIGHT
            corner = self.plot.border.get_corner(DOWN + side) + UP * (0.3 + 0.4 * self.row) - side * 0.15
            self.marker.move_to(corner, aligned_edge=side)
            self.marker.fit()


class RavineRuns(VGroup):
    """The runs on the plot, driven by one clock: walkers (drawn first: below the others), and for the first
    run its velocity and its push as arrows from the ball, to scale, kept inside the box, and (Nesterov) the
    look-ahead point x + βv where its gradient is measured, as a ring. When a ball leaves the box the plot
    follows it (a PlaneView, as the regression's panel: one zoom for x and y about the minimum, contours, tick
    values, paths and arrows redrawn for what it shows, then back); its marker says where it went."""

    def __init__(self, plot: ValleyPlot, walkers: list[Walker], arrows=(), ahead: np.ndarray | None = None):
        self.plot, self.walkers, self.ahead = plot, walkers, ahead
        self.view = PlaneView(plot.axes, [w.positions for w in walkers], plot.sign)
        for walker in walkers:
            walker.view = self.view
        self.ring = Circle(radius=BALL_RADIUS + 0.06, color=style.GRADIENT, stroke_width=3)
        self.arrows = [
            (np.asarray(values, dtype=float), StepArrow(tex, colour)) for values, tex, colour in arrows
        ]
        drawn = self.redrawn() if self.view.follows else []
        super().__init__(
            *drawn,
            *(w.trace for w in walkers),
            *(arrow for _, arrow in self.arrows),
            *(w.ball for w in walkers),
            *([self.ring] if ahead is not None else []),
            *(m for w in walkers for m in (w.back, w.marker)),
        )
        self.balls = [w.ball for w in walkers]  # what the layout audit checks for a ball hiding another
        self.panel = plot.border  # what it shows stays inside (the layout audit checks it)
        self.ball = VGroup(*self.balls)  # the balls, lit up or marked together (Lecture.picture)
        self.still, self.moving = VGroup(), self
        self.arrows_on = False  # its arrows are drawn once the rule that makes them is said (show_arrows)

    def must_show(self) -> dict:
        """What the layout audit checks is seen inside the plot: contour lines, the minimum, the start, and
        each run's path while the run is in view (beyond it, its marker says where it went)."""
        drawn = self if self.view.follows else self.plot
        paths = {f"path {i + 1}": w.trace for i, w in enumerate(self.walkers) if w.marked is None}
        start = self.view.window.c2p(*self.walkers[0].positions[0, :2])
        return {"contours": drawn.contours, "minimum": drawn.optimum, "start": start, **paths}

    def redrawn(self) -> list:
        """The plot's pieces that change as it follows (its own are removed once the run shows): contour
        lines, tick values (every one a zoom shows) and the minimum's ring."""
        plot = self.plot
        self.contours, self.optimum = plot.contours.copy(), plot.optimum.copy()
        self.numbers = plot.values(self.view)
        self.replaces = [plot.contours, plot.numbers, plot.optimum]
        return [self.contours, self.numbers, self.optimum]

    def follow(self, t: float) -> None:
        """The zoom at step t; what depends on it redrawn when it changed."""
        if not self.view.follow(t):
            return
        self.plot.draw_levels(self.contours, self.view)
        self.numbers.show()
        self.optimum.move_to(self.view.window.c2p(0.0, 0.0))
        for walker in self.walkers:
            self.view.retrace(walker.trace, [walker.positions])

    def set_step(self, k: int, s: float = 0.0) -> None:
        self.follow(k + s)
        for walker in self.walkers:
            walker.set_step(k, s)
        lead = self.walkers[-1]
        here = lead.at(k, s)
        for values, arrow in self.arrows:
            if not self.arrows_on:
                arrow.set_opacity(0)
                continue
            vector = np.append(values[min(k, len(values) - 1)], 0.0) * self.view.unit
            origin = lead.ball.get_center()
            arrow.show(origin, self.fit(origin, vector))
            if not self.view.inside(here):
                arrow.set_opacity(0)
        self.part_labels()
        if self.ahead is not None:
            last = len(self.ahead) - 1
            a, b = self.ahead[min(k, last)], self.ahead[min(k + 1, last)]
            where = a + s * (b - a)
            self.ring.move_to(self.view.point(where))
            self.ring.set_stroke(opacity=1.0 if self.view.inside(where) else 0.0)

    def show_arrows(self) -> None:
        """Draw the velocity and the push from the next set_step on (redrawn, not only moved)."""
        self.arrows_on = True
        for _, arrow in self.arrows:
            arrow.vector = None

    def part_labels(self) -> None:
        """When the two arrows' labels would touch (arrows alike in direction and length), the second's goes
        beside its arrow's end, across it, instead of beyond it."""
        if len(self.arrows) < 2 or not self.arrows_on:
            return
        (_, first), (_, second) = self.arrows[:2]
        if near(first.text, second.text, 0.1):
            across = np.array([-second.direction[1], second.direction[0], 0.0])
            second.text.next_to(second.arrow.get_end(), across, buff=0.12)
            second.back.move_to(second.text)

    def fit(self, origin: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """The vector shortened (its direction kept) so that its end and label stay inside the box."""
        box, room = self.plot.border, 0.45
        low = box.get_corner(DOWN + LEFT)[:2] + room
        high = box.get_corner(UP + RIGHT)[:2] - room
        scale = 1.0
        for i in range(2):
            if vector[i] > 1e-12:
                scale = min(scale, max(high[i] - origin[i], 0.0) / vector[i])
            elif vector[i] < -1e-12:
                scale = min(scale, max(origin[i] - low[i], 0.0) / -vector[i])
        return vector * scale


class DirectionPlanes(VGroup):
    """The eigenvalues' plane of each direction the run moves in (EigenPlane), side by side in the right
    column, each named by its direction and curvature: x (1) and y (κ), or one for both when they are alike
    (κ = 1). Each follows β from 0 to the run's (set_beta) and shows its ρ as a dashed circle (show_rho)."""

    def __init__(self, lesson: Lesson, rows: list[dict], colour: str, sign: str = "."):
        alike = len(rows) == 2 and rows[0]["curvature"] == rows[1]["curvature"]
        rows = rows[:1] if alike else rows
        self.names = [r"x,\ y" if alike else row["name"] for row in rows]
        self.planes, self.beta = [], lesson.params["beta"]
        for i, row in enumerate(rows):
            x = style.RIGHT_COLUMN_X + PLANE_GAP * (i - (len(rows) - 1) / 2)
            betas, eigs = lesson.eigen_sweep(curvature=row["curvature"])
            at = np.array([x, PLANES_Y, 0.0])
            self.planes.append(
                EigenPlane(betas, eigs, row["critical_beta"], colour, unit=PLANE_UNIT, at=at, sign=sign)
            )
        self.titles = VGroup(
            *(
                math(self.title(name, row["curvature"], sign), style.LABEL_SIZE).next_to(plane, UP, buff=0.1)
                for name, row, plane in zip(self.names, rows, self.planes)
            )
        )
        super().__init__(*self.planes, self.titles)

    @staticmethod
    def title(name: str, curvature: float, sign: str) -> str:
        """'x: λ = 1', in TeX with the language's decimal sign."""
        shown = fmt_param(curvature, tex=True).replace(".", tex_sign(sign))
        return rf"{name}:\ \lambda = {shown}"

    def of(self, name: str) -> list[EigenPlane]:
        """The plane of direction `name` ("x", "y", or "both": every plane)."""
        if name == "both" or len(self.planes) == 1:
            return self.planes
        return [plane for plane, named in zip(self.planes, self.names) if named == name]

    def set_beta(self, beta: float) -> DirectionPlanes:
        for plane in self.planes:
            plane.set_beta(beta)
        return self

    def show_rho(self) -> None:
        for plane in self.planes:
            plane.show_rho()


class RavineLecture(Lecture):
    """The two balls in the ravine seen from above: the question over their first steps; the race, with the
    formula, the rule and its arrows drawn onto it as they are said; then a verdict told direction by
    direction (story.ravine_verdict), each sentence drawn as it is read: the settling steps and the ρ
    envelopes on the loss plot (Lecture.picture), and each direction's eigenvalues' plane, β swept from 0 to
    the run's, for the direction that sets the pace and how each direction moves."""

    TEACHES = Lesson
    BEATS = ("intro", "predict", "run_balls", "verdict")
    TITLE = "rav_title"

    def intro(self) -> None:
        self.show_title()
        self.set_stage()

    def set_stage(self) -> None:
        """The contour plot, and the runs at their start (their balls appear with the question)."""
        p = self.subject.problem
        start = np.max(np.abs([one.run.positions[0] for one in self.subject.lessons]), axis=0)
        round_ = "_round" if p.kappa == 1 else ""  # κ = 1: a round bowl, no steep direction
        names = self.words(f"rav_flat{round_}"), self.words(f"rav_steep{round_}", kappa=fmt_param(p.kappa))
        self.plot = plot = ValleyPlot(p, reach(start), *names, self.sign)
        self.play(
            Create(plot.border),
            FadeIn(plot.axes),
            Create(plot.contours),
            FadeIn(VGroup(*plot[3:])),
            run_time=1.0,
        )
        self.runs = self.runs_of(self.walkers())
        self.racers = self.racers_of()
        self.set_step([self.runs], 0, 0.0)

    def walkers(self) -> list[Walker]:
        """Plain gradient descent's walker (when it runs beside) first, then the run's."""
        lesson, out = self.lesson, []
        if lesson.baseline is not None:
            out.append(Walker(self.plot, lesson.baseline.positions, style.GHOST, GHOST_RADIUS, 0.55, 1))
        return out + [Walker(self.plot, lesson.run.positions, self.run_colour(), BALL_RADIUS, 1.0, 0)]

    def runs_of(self, walkers: list[Walker]) -> RavineRuns:
        """The runs on the plot, the lesson's with its velocity and push (and Nesterov's look-ahead)."""
        lesson = self.lesson
        arrows = [
            (lesson.moves, DISPLACEMENT_TEX[lesson.params["variant"]], style.VELOCITY),
            (lesson.pushes, rf"-\alpha \nabla {lesson.problem.loss_symbol}", style.GRADIENT),
        ]
        return RavineRuns(self.plot, walkers, arrows, lesson.lookahead)

    def racers_of(self) -> list:
        """What Lecture.picture replays and lights up: the runs (their `ball`: both balls)."""
        return [self.runs]

    def predict(self) -> None:
        """The question, with this valley's and run's values, over the first steps (then back to the start)."""
        said = story.ravine_predict(self.subject)
        with self.caption(said.key, claims=said.claims, **said.values):
            self.play(FadeIn(self.runs), run_time=0.5)
            self.remove(*getattr(self.runs, "replaces", ()))  # a plot that follows its balls draws its own
            steps = min(PREVIEW, max(one.run.last_step for one in self.subject.lessons))
            if steps and self.lesson.verdict.still is None:
                self.sweep([self.runs], (0, steps), 3.0)
                self.sweep([self.runs], (steps, 0), 0.8)
            self.play(*(Indicate(b, scale_factor=1.5) for b in self.runs.balls), run_time=1.0)

    def formula_cue(self) -> tuple:
        """The valley's caption, its formula and gradient written as it is read."""
        p = self.subject.problem
        lines = [rf"{p.loss_tex} = {p.formula.tex}", rf"{p.grad_tex} = {p.derivative.tex}"]
        self.formulas = VGroup(*(math(self.number(t, tex=True), style.PANEL_SIZE) for t in lines))
        self.formulas.arrange(DOWN, buff=0.15).move_to([*FORMULA_AT, 0])
        key = "rav_valley_round" if p.kappa == 1 else "rav_valley"
        return key, {"kappa": fmt_param(p.kappa)}, lambda: self.play(Write(self.formulas), run_time=2.0)

    def run_cues(self) -> list[tuple]:
        """What is said (and drawn) as the race starts: the formula, the rule and its arrows, the look-ahead
        ring, plain gradient descent's ball."""
        lesson, formula = self.lesson, self.formula_cue()
        rule = self.rule_group(RULE_AT, RULE_WIDTH)

        def arrows() -> None:
            self.runs.show_arrows()
            self.step_shown = None  # drawn at the next frame, even while the clock rests
            self.play(Write(rule), run_time=2.0)

        key, values = self.rule_caption()
        cues = [formula, (key, values, arrows)]
        if lesson.lookahead is not None and lesson.run.diverged_at is None:  # a diverging ball soon leaves
            cues.append(("lookahead", {}, lambda: self.play(self.ringed(self.runs.ring))))
        if lesson.baseline is not None:
            ghost = self.runs.walkers[0].ball
            values = {"lr": fmt_param(lesson.params["lr"])}
            cues.append(("ghost", values, lambda: self.play(self.ringed(ghost), run_time=1.5)))
        return cues

    @staticmethod
    def ringed(moving: VMobject) -> Circumscribe:
        """A ring drawn around a piece the run's clock moves (Indicate would hold it still meanwhile)."""
        return Circumscribe(moving, Circle, color=style.TEXT, buff=0.08)

    def run_balls(self) -> None:
        """The race: the balls and their paths on the plot, where each is (readout), their losses below."""
        self.inset = self.loss_inset(INSET_X, self.losses(), "loss_axis", INSET_WIDTH, INSET_HEIGHT)
        self.readout = self.readout_of()
        shown = [self.readout] if self.readout is not None else []
        self.drive([*shown, self.inset, self.runs], self.run_cues(), shown=[self.runs])

    def readout_of(self) -> Readout | None:
        """The step, and x and y of the run and of plain gradient descent beside it: the slow creep along x is
        read there when the balls are too near the minimum to be seen moving."""
        lesson = self.lesson
        rows = [(self.tex_words("step"), style.TEXT), ("x", self.run_colour()), ("y", self.run_colour())]
        series = [lesson.run.positions[:, 0], lesson.run.positions[:, 1]]
        if lesson.baseline is not None:
            rows += [(r"x_{\mathrm{GD}}", style.GHOST), (r"y_{\mathrm{GD}}", style.GHOST)]
            series += [lesson.baseline.positions[:, 0], lesson.baseline.positions[:, 1]]
        readout = Readout(rows, series, self.sign).move_to([0, READOUT_AT[1], 0])
        return readout.align_to([READOUT_AT[0], 0, 0], LEFT)

    def losses(self) -> list[tuple]:
        lesson = self.lesson
        plain = [(lesson.baseline.losses, style.GHOST)] if lesson.baseline is not None else []
        return [(lesson.run.losses, self.run_colour()), *plain]

    def verdict(self) -> None:
        head = self.verdict_head().move_to([style.RIGHT_COLUMN_X, style.SAFE_TOP - 0.25, 0])
        keep_inside(head)
        self.play(
            FadeOut(self.formulas), FadeOut(self.rule), FadeOut(self.readout), FadeIn(head), run_time=0.8
        )
        self.planes = None
        self.say_drawn(story.ravine_verdict(self.lesson))

    def picture(self, said: story.Line) -> None:
        """Lecture.picture, and the ravine's own claims: the direction that sets the pace (pace), how the run
        moves along one direction (motion)."""
        kinds = {claim["claim"]: claim for claim in said.claims}
        if "direction" in kinds:
            self.motion(kinds["direction"], plain=said.key.startswith("rav_gd"))
        elif "direction_rates" in kinds:
            self.pace(kinds["direction_rates"])
        else:
            super().picture(said)

    def sweep_plane(self, replay: bool) -> None:
        """The eigenvalues' plane of each direction the run moves in appears, β sweeps from 0 to the run's in
        all of them, their ρ circles show; then (`replay`) the run is replayed."""
        if self.planes is None:
            rows = [row for row in story.directions(self.lesson)["directions"] if row["moves"]]
            self.planes = DirectionPlanes(self.lesson, rows, self.run_colour(), self.sign)
            self.play(FadeIn(self.planes), run_time=0.6)
        planes = self.planes
        if planes.beta:  # else plain gradient descent's dot is all there is: nothing to sweep
            self.play(UpdateFromAlphaFunc(planes, lambda m, a: m.set_beta(a * planes.beta)), run_time=2.5)
        planes.show_rho()
        if replay:
            self.replay(self.lesson.run.last_step)

    def replay(self, last: int) -> None:
        """The run replayed from its start to step `last` (at most 4 past where it settled)."""
        end = min(last, (self.lesson.verdict.step or self.lesson.run.last_step) + 4)
        self.sweep([self.runs], (0, end), 3.0)

    def pace(self, rates: dict) -> None:
        """The direction that sets the pace: every plane swept to the run's β, the slow one's ρ circle lit
        up, and plain gradient descent's ρ envelope on the loss plot (when it ran beside and did not diverge)."""
        if self.planes is None:
            self.sweep_plane(replay=False)
        slow = self.planes.of(rates["slowest"])
        shown = [Indicate(VGroup(*(plane.rho_circle for plane in slow)), scale_factor=1.15)]
        plain = self.lesson.baseline
        if plain is not None and not plain.diverged:
            rho = self.lesson.verdict.plain_rho
            shown += self.once("plain envelope", lambda: self.envelope(1, rho, style.GHOST))
        self.play(*shown, run_time=1.5)

    def motion(self, row: dict, plain: bool) -> None:
        """How the run moves along one direction, in its plane: without momentum (`plain`) β goes back to 0,
        the dots onto plain gradient descent's violet one, which lights up; with momentum β sweeps from 0 to the
        run's. Then the run is replayed: the steep direction's first steps, where its zig-zag is, or to where
        it settled."""
        planes, beta = self.planes.of(row["name"]), self.planes.beta
        ends = (beta, 0.0) if plain else (0.0, beta)

        def at(_, a: float) -> None:
            for plane in planes:
                plane.set_beta(ends[0] + a * (ends[1] - ends[0]))

        shown = [Indicate(VGroup(*(plane.plain for plane in planes)), scale_factor=1.6)] if plain else []
        self.play(UpdateFromAlphaFunc(VGroup(*planes), at), *shown, run_time=2.0)
        steep = row["curvature"] > 1 and row["curvature"] == self.subject.problem.kappa
        self.replay(min(12, self.lesson.run.last_step) if steep else self.lesson.run.last_step)


class RavineComparison(Comparing, RavineLecture):
    """The ravine for 2 to 5 runs that differ in one hyperparameter: one ball and path per run on the same
    contour plot (the first the largest, so balls at the same place stay visible), all loss curves on one
    plot, and a verdict table, in the place of the formula and the rule, whose rows each sentence points at."""

    TEACHES = Comparison

    def walkers(self) -> list[Walker]:
        c = self.subject
        last = len(c.lessons) - 1
        return [
            Walker(self.plot, one.run.positions, self.colour(i), 0.12 + 0.06 * (last - i), 1.0, i)
            for i, one in enumerate(c.lessons)
        ]

    def runs_of(self, walkers: list[Walker]) -> RavineRuns:
        return RavineRuns(self.plot, walkers)

    def racers_of(self) -> list:
        """One per run, each with its `ball` (Comparing.picture lights up the runs a sentence names)."""
        return self.runs.walkers

    def run_cues(self) -> list[tuple]:
        formula = self.formula_cue()
        rule = self.rule_group(RULE_AT, RULE_WIDTH)
        key, values = self.rule_caption()
        return [formula, (key, values, lambda: self.play(Write(rule), run_time=2.0))]

    def losses(self) -> list[tuple]:
        return [(one.run.losses, self.colour(i)) for i, one in enumerate(self.subject.lessons)]

    def readout_of(self) -> None:
        """No readout: up to five runs' numbers would crowd the rule; the verdict's table gives them."""
        return None

    def verdict(self) -> None:
        self.table = self.verdict_table(width=2 * (style.SAFE_RIGHT - style.RIGHT_COLUMN_X))
        self.table.move_to([style.RIGHT_COLUMN_X, 0, 0]).align_to([0, style.SAFE_TOP - 0.1, 0], UP)
        self.play(FadeOut(self.formulas), FadeOut(self.rule), FadeIn(self.table), run_time=0.8)
        self.say_drawn(story.compare_verdict(self.subject))
