"""Lecture 5: momentum in a ravine, the long narrow valley f(x, y) = ½(x² + κ·y²) of gdcore's Ravine. Plain
gradient descent zig-zags from wall to wall while momentum rolls along the floor. Beats: question, the
ravine (its contour lines, the flat and the steep direction), rule, predict, run (both balls with their
paths, the velocity and the push in 2-D, ρ per direction), verdict."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    Rectangle,
    VGroup,
    VMobject,
    Write,
)

from gdcore import DISPLACEMENT_TEX, Comparison, Lesson

from ..kit import style
from ..kit.lecture import Comparing, Lecture
from ..kit.pieces import (
    AxisValues,
    Marker,
    PlaneView,
    Readout,
    StepArrow,
    Traces,
    ball,
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
FORMULA_AT = (style.RIGHT_COLUMN_X, 3.3)
RULE_AT, RULE_WIDTH = (style.RIGHT_COLUMN_X, 1.9), 4.8
TABLE_TOP = style.SAFE_TOP - 0.05  # the table of ρ per direction, in the formula's place during the run
READOUT_AT = (2.3, 0.75)  # its left edge and centre height
INSET_X, INSET_WIDTH, INSET_HEIGHT = style.RIGHT_COLUMN_X - 0.2, 3.2, 1.1  # its bottom on the caption band
BALL_RADIUS, GHOST_RADIUS = 0.13, 0.22  # plain GD's ball is larger and drawn first: it rings the other
SEEN = 0.02 * 14.222  # scene units: an arrow shorter than 2 % of the frame's width cannot be seen
LEGEND_STEPS = 6  # the legend is up while about the first six steps play


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
        self.still, self.moving = VGroup(), self

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

    def part_labels(self) -> None:
        """When the two arrows' labels would touch (arrows alike in direction and length), the second's goes
        beside its arrow's end, across it, instead of beyond it."""
        if len(self.arrows) < 2:
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

    def seen(self, i: int, steps: int) -> bool:
        """Whether arrow i is long enough to be seen at one of the first `steps` steps with the ball in view
        (at the zoom the plan has then)."""
        values = self.arrows[i][0]
        lead = self.walkers[-1]
        return any(
            np.linalg.norm(values[min(k, len(values) - 1)]) * self.plot.unit / (zoom := self.view.zoom_at(k))
            >= SEEN
            and self.view.inside(lead.positions[min(k, len(lead.positions) - 1)], zoom)
            for k in range(steps)
        )


def slow_line(lesson: Lesson) -> story.Line:
    """The slow direction, from the claim direction_rates: the direction with the larger ρ, without momentum
    and with it (or both alike)."""
    claim = lesson.problem.direction_rates(
        lesson.params["variant"], lesson.params["lr"], lesson.params["beta"]
    )
    rho = max(row["rho"] for row in claim["directions"])
    plain_rho = max(row["plain_rho"] for row in claim["directions"])
    slow, mslow = claim["plain_slowest"], claim["slowest"]
    values = dict(rho=fmt(rho), plain_rho=fmt(plain_rho), slow=slow, mslow=mslow)
    if slow is None:  # β = 0: the run is plain gradient descent
        key = "rav_alike_plain" if mslow == "both" else "rav_slow_plain"
        values["slow"] = mslow
    elif slow == "both":
        key = "rav_alike" if mslow == "both" else "rav_slow_momentum"
    else:
        key = "rav_slow_even" if mslow == "both" else "rav_slow"
    return story.Line(key, values, [claim])


class RavineLecture(Lecture):
    TEACHES = Lesson
    BEATS = ("intro", "show_ravine", "show_rule", "predict", "run_balls", "verdict")
    TITLE, QUESTION = "rav_title", "rav_question"

    # 2 — the ravine from above: contour lines, the flat and the steep direction, the formula and gradient
    def show_ravine(self) -> None:
        p = self.subject.problem
        start = np.max(np.abs([one.run.positions[0] for one in self.subject.lessons]), axis=0)
        kappa = fmt_param(p.kappa)
        round_ = "_round" if p.kappa == 1 else ""  # κ = 1: a round bowl, no steep direction
        names = self.words(f"rav_flat{round_}"), self.words(f"rav_steep{round_}", kappa=kappa)
        self.plot = ValleyPlot(p, reach(start), *names, self.sign)
        self.formulas = math(self.number(rf"{p.loss_tex} = {p.formula.tex}", tex=True), style.PANEL_SIZE)
        self.formulas.scale_to_fit_width(min(self.formulas.width, RULE_WIDTH)).move_to([*FORMULA_AT, 0])
        plot = self.plot
        self.play(Create(plot.border), FadeIn(plot.axes), run_time=0.8)
        self.play(Create(plot.contours), FadeIn(VGroup(*plot[3:])), Write(self.formulas), run_time=1.5)
        with self.caption(f"rav_valley{round_}", kappa=kappa):
            pass
        limit = self.lesson.facts()["stable_limit"]
        key = "rav_limit_round" if p.kappa == 1 else "rav_limit"
        with self.caption(key, claims=[limit], limit=fmt_param(limit["plain"])):
            pass

    # 3 — the update rule that is run, with α and β as values
    def show_rule(self) -> None:
        self.write_rule(at=RULE_AT, width=RULE_WIDTH)

    def walkers(self) -> list[Walker]:
        """Plain gradient descent's walker (when it runs beside) first, then the momentum run's."""
        lesson = self.lesson
        out = []
        if lesson.baseline is not None:
            out.append(Walker(self.plot, lesson.baseline.positions, style.GHOST, GHOST_RADIUS, 0.55, 1))
        return out + [Walker(self.plot, lesson.run.positions, self.colour(), BALL_RADIUS, 1.0, 0)]

    # 4 — the run: both balls and their paths, the arrows, ρ per direction, readout and loss inset
    def run_balls(self) -> None:
        lesson, p = self.lesson, self.lesson.problem
        state_tex = DISPLACEMENT_TEX[lesson.params["variant"]]
        arrows = [
            (lesson.moves, state_tex, style.VELOCITY),
            (lesson.pushes, rf"-\alpha \nabla {p.loss_symbol}", style.GRADIENT),
        ]
        runs = RavineRuns(self.plot, self.walkers(), arrows, lesson.lookahead)
        readout = self.readout_of([lesson.run.positions[:, 0], lesson.run.positions[:, 1], lesson.run.losses])
        losses = [(lesson.run.losses, self.colour())]
        losses += [(lesson.baseline.losses, style.GHOST)] if lesson.baseline else []
        inset = self.inset_of(losses)
        self.table = self.rates_table().align_to([0, TABLE_TOP, 0], UP)
        self.play(FadeOut(self.formulas), FadeOut(self.rule), FadeIn(self.table), run_time=0.8)
        cues = [(self.legend(runs), {"state": self.state_text()})]
        if lesson.lookahead is not None:
            cues.append(("lookahead", {}))
        if lesson.baseline is not None:
            cues.append(("ghost", {"lr": fmt_param(lesson.params["lr"])}))
        said = slow_line(lesson)
        self.cue_claims = {said.key: said.claims}  # drive() shows its cues without claims: recorded here
        cues.append((said.key, said.values))
        self.drive([readout, inset, runs], cues)
        self.readout, self.inset = readout, inset

    def caption(self, key: str, at_least: float = 0.0, claims=(), hold: bool = True, **values):
        """Lecture.caption, with the claims of a run cue (drive() passes none) recorded beside it."""
        claims = claims or getattr(self, "cue_claims", {}).get(key, ())
        return super().caption(key, at_least, claims, hold, **values)

    def legend(self, runs: RavineRuns) -> str:
        """The legend that names only the arrows the class can see while it is up."""
        shown = tuple(runs.seen(i, LEGEND_STEPS) for i in range(len(runs.arrows)))
        return {
            (True, True): "legend",
            (True, False): "legend_velocity",
            (False, True): "legend_push",
            (False, False): "legend_ball",
        }[shown]

    def readout_of(self, series: list[np.ndarray]) -> Readout:
        rows = [(self.tex_words("step"), style.TEXT), ("x", self.colour()), ("y", self.colour())]
        rows += [("f", style.TEXT)] if len(series) == 3 else []
        readout = Readout(rows, series, self.sign)
        return readout.move_to([0, READOUT_AT[1], 0]).align_to([READOUT_AT[0], 0, 0], LEFT)

    def inset_of(self, losses) -> VGroup:
        return self.loss_inset(INSET_X, losses, "loss_axis", INSET_WIDTH, INSET_HEIGHT)

    def rates_table(self) -> VGroup:
        """ρ per step along x and y, for the run (and plain gradient descent beside it), and the slowest
        direction of each: the numbers of the claim direction_rates."""
        lesson = self.lesson
        claim = lesson.problem.direction_rates(
            lesson.params["variant"], lesson.params["lr"], lesson.params["beta"]
        )
        beta = self.number(rf"\beta = {fmt_param(lesson.params['beta'], tex=True)}", tex=True)
        cols = [("rho", claim["slowest"], math(beta, style.SMALL_SIZE, self.colour()))]
        if lesson.baseline is not None:
            cols.append(
                (
                    "plain_rho",
                    claim["plain_slowest"],
                    label(self.words("rav_plain"), style.SMALL_SIZE, style.GHOST),
                )
            )
        cells = [
            label(self.words("rav_rho_head"), style.SMALL_SIZE, style.MUTED),
            *(head for *_, head in cols),
        ]
        for row in claim["directions"]:
            cells += [
                math(row["name"], style.SMALL_SIZE),
                *(label(self.number(fmt(row[key])), style.SMALL_SIZE) for key, *_ in cols),
            ]
        cells.append(label(self.words("rav_slowest"), style.SMALL_SIZE, style.MUTED))
        cells += [label(self.words("rav_both") if s == "both" else s, style.SMALL_SIZE) for _, s, _ in cols]
        table = VGroup(*cells).arrange_in_grid(
            rows=4, cols=len(cols) + 1, buff=(0.3, 0.14), col_alignments="l" + "r" * len(cols)
        )
        width = 2 * (style.SAFE_RIGHT - style.RIGHT_COLUMN_X)  # the right column, to the safe margin
        return table.scale_to_fit_width(min(table.width, width)).move_to([style.RIGHT_COLUMN_X, 0, 0])

    # 5 — the verdict from the theory, in the readout's place
    def verdict(self) -> None:
        panel = self.verdict_panel()
        panel.arrange(DOWN, buff=0.12).scale_to_fit_width(min(panel.width, RULE_WIDTH))
        top = self.table.get_bottom()[1] - 0.2
        panel.move_to([style.RIGHT_COLUMN_X, 0, 0]).align_to([0, top, 0], UP)
        self.play(FadeOut(self.readout), FadeIn(panel), run_time=0.8)
        self.say(story.verdict(self.lesson), at_least=1.0)


class RavineComparison(Comparing, RavineLecture):
    """The ravine for 2 to 5 runs that differ in one hyperparameter: one ball and path per run on the same
    contour plot (the first the largest, so balls at the same place stay visible), all loss curves on one
    inset, and a verdict table in the place of the formula and the rule."""

    TEACHES = Comparison

    def walkers(self) -> list[Walker]:
        c = self.subject
        last = len(c.lessons) - 1
        return [
            Walker(self.plot, one.run.positions, self.colour(i), 0.12 + 0.06 * (last - i), 1.0, i)
            for i, one in enumerate(c.lessons)
        ]

    def run_balls(self) -> None:
        c = self.subject
        runs = RavineRuns(self.plot, self.walkers())
        inset = self.inset_of([(one.run.losses, self.colour(i)) for i, one in enumerate(c.lessons)])
        self.drive([inset, runs], [("rav_cmp_legend", {})])
        self.inset = inset

    def verdict(self) -> None:
        table = self.verdict_table(width=2 * (style.SAFE_RIGHT - style.RIGHT_COLUMN_X))
        table.move_to([style.RIGHT_COLUMN_X, 0, 0]).align_to([0, style.SAFE_TOP - 0.1, 0], UP)
        self.play(FadeOut(self.formulas), FadeOut(self.rule), FadeIn(table), run_time=0.8)
        self.say_verdict()
