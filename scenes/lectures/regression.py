"""Lecture 2: a plane fitted to a 3-D point cloud by momentum. Beats: question, data, rule, run, verdict."""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    OUT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Rectangle,
    Rotating,
    Surface,
    ThreeDAxes,
    ThreeDScene,
    VGroup,
    VMobject,
    Write,
    smooth,
)

from gdcore import DISPLACEMENT_TEX, Comparison, Lesson, Outcome, Regression

from ..kit import style
from ..kit.lecture import Comparing, Lecture
from ..kit.pieces import (
    AxisValues,
    Marker,
    PlaneView,
    Readout,
    StepArrow,
    Traces,
    label,
    math,
)
from ..words import captions, story
from ..words.captions import fmt, fmt_param, linear

MAX_POINTS = 150  # points drawn; more would only blur the cloud
MAX_RESIDUALS = 40  # residual segments drawn, for a readable subset
PLANE_RESOLUTION = 6  # faces per side: enough to read the tilt, cheap to move
PHI = 65 * DEGREES  # the camera's angle from the vertical
FACING = 50 * DEGREES  # the camera looks this far aside from the true plane's downhill direction
TURN = 45 * DEGREES  # the cloud turns this much while the data is introduced, to show depth

# Layout, in frame coordinates (the frame is 14.2 × 8 units, origin at its centre).
CLOUD_AT = (-3.6, 0.15)  # the 3-D cloud
FORMULAS_AT = (1.9, 2.95)
RULE_AT, RULE_WIDTH = (1.6, 1.2), 4.05
RULES_AT, RULES_WIDTH = (3.3, 1.3), 5.6  # several rules: the right half, until the run's panels take it
READOUT_AT = (1.35, -0.85)  # clear of the inset's title on its right
PANEL_AT, PANEL_SIZE = (4.85, 1.45), (2.2, 1.9)  # the (w1, w2) panel; its w2 values on its right
INSET_X, INSET_SIZE = 5.1, (1.6, 1.1)  # its bottom on the caption band
VERDICT_AT, VERDICT_WIDTH = (3.0, 0.6), 6.6  # right of the cloud, in the place of the run's panels


def clipped_range(values: np.ndarray, pad: float, cap: float) -> tuple[float, float]:
    """A range around `values`, padded, never wider than `cap` on either side of their median."""
    mid = float(np.median(values))
    low, high = float(values.min()) - pad, float(values.max()) + pad
    return max(low, mid - cap), min(high, mid + cap)


def verdict_rows(lesson: Lesson) -> list[tuple[str, list[str]]]:
    """The verdict table: fitted, true and least-squares (w1, w2, b), formatted from the lesson's numbers."""
    p = lesson.problem
    return [
        ("fitted", [fmt(v) for v in lesson.run.positions[-1]]),
        ("true", [fmt(v) for v in p.true_params]),
        ("least_squares", [fmt(v) for v in p.minimizer()]),
    ]


def verdict_table(lesson: Lesson, words, sign: str = ".") -> VGroup:
    """Columns fitted (in the run's colour), true, least squares; rows w1, w2, b. `words(key)`: the
    language file's text for a column's title; `sign`: its decimal sign."""
    rows = verdict_rows(lesson)
    cells = [
        math(r"\;"),
        *(label(words(key).replace(" ", "\n", 1), style.SMALL_SIZE, style.MUTED) for key, _ in rows),
    ]
    for j, name in enumerate(("w_1", "w_2", "b")):
        cells += [
            math(name, style.PANEL_SIZE),
            *(
                label(
                    values[j].replace(".", sign),
                    style.PANEL_SIZE - 2,
                    style.BALL if key == "fitted" else style.TEXT,
                )
                for key, values in rows
            ),
        ]
    return VGroup(*cells).arrange_in_grid(rows=4, cols=4, buff=(0.25, 0.16), col_alignments="lrrr")


def clear_of(readout: Readout, series, inset) -> None:
    """Shift `readout` left, if need be, so that its longest value (of `series`, as fmt writes it) ends
    before the inset: longer run names (a comparison's) push the values right."""
    widest = max(len(fmt(v)) for values in series for v in values)
    right = readout.names.get_right()[0] + 0.35 + widest * readout.glyphs.advance
    low = readout.names.get_bottom()[1] - 0.1
    readout.shift(LEFT * max(right - (inset.get_left()[0] - 0.2), 0) * (low < inset.get_top()[1]))


class FittedPlane(VGroup):
    """The model plane over the data's (x1, x2) and the residual segments from the points to it, at the
    run's (w1, w2, b) of each step. The plane covers the data only (correlated features fill a narrow
    diagonal band): a rectangle along their principal axes whose faces keep their (x1, x2); per frame only
    the heights change. A plane far outside the box (a divergent run) is hidden instead of crossing the frame."""

    def __init__(
        self,
        axes: ThreeDAxes,
        problem: Regression,
        shown: np.ndarray,
        positions: np.ndarray,
        z_range: tuple[float, float],
    ):
        self.axes, self.positions, self.z_range = axes, positions, z_range
        x = problem.features[shown]
        centre = x.mean(axis=0)
        _, axes_of_x = np.linalg.eigh(np.cov(x.T))
        half = np.quantile(np.abs((x - centre) @ axes_of_x), 0.95, axis=0) + 0.3
        self.plane = Surface(
            lambda u, v: axes.c2p(*(centre + u * axes_of_x[:, 0] + v * axes_of_x[:, 1]), 0),
            u_range=[-half[0], half[0]],
            v_range=[-half[1], half[1]],
            resolution=(PLANE_RESOLUTION, PLANE_RESOLUTION),
            fill_opacity=0.45,
            stroke_width=0.6,
            checkerboard_colors=[style.PLANE, style.PLANE_DARK],
            stroke_color=style.PLANE,
        )
        self.grid = np.array([axes.p2c(point) for point in self.plane.get_all_points()])[:, :2]
        self.sizes = np.cumsum([len(face.points) for face in self.plane])[:-1]
        ids = shown[:MAX_RESIDUALS]
        self.features, self.targets = problem.features[ids], problem.targets[ids]
        self.residuals = VMobject(stroke_color=style.RESIDUAL, stroke_width=2)
        super().__init__(self.plane, self.residuals)
        self.still, self.moving = VGroup(), self

    def to_scene(self, x1x2: np.ndarray, z: np.ndarray) -> np.ndarray:
        origin = self.axes.c2p(0, 0, 0)
        basis = np.array([self.axes.c2p(1, 0, 0), self.axes.c2p(0, 1, 0), self.axes.c2p(0, 0, 1)]) - origin
        return origin + np.column_stack([x1x2, z]) @ basis

    def set_step(self, k: int, s: float = 0.0) -> None:
        theta, last = self.positions, len(self.positions) - 1
        w = theta[min(k, last)] + s * (theta[min(k + 1, last)] - theta[min(k, last)])
        heights = self.grid @ w[:2] + w[2]
        low, high = self.z_range
        inside = low - 0.5 * (high - low) <= heights.min() and heights.max() <= high + 0.5 * (high - low)
        for face, chunk in zip(self.plane, np.split(self.to_scene(self.grid, heights), self.sizes)):
            face.points = chunk
        starts = self.to_scene(self.features, self.targets)
        ends = self.to_scene(self.features, self.features @ w[:2] + w[2]) if inside else starts
        self.residuals.set_points(
            np.stack([starts + (ends - starts) * f for f in (0, 1 / 3, 2 / 3, 1)], axis=1).reshape(-1, 3)
        )
        self.plane.set_opacity(0.45 if inside else 0.0)

    def must_show(self) -> dict:
        """What the layout audit checks is seen: the model's plane."""
        return {"plane": self.plane}


def panel_axes(w1_range, w2_range) -> Axes:
    """The (w1, w2) panel's axes, in its place."""
    axes = Axes(
        x_range=[*w1_range, 10],
        y_range=[*w2_range, 10],
        x_length=PANEL_SIZE[0],
        y_length=PANEL_SIZE[1],
        tips=False,
        axis_config={"color": style.MUTED, "stroke_width": 1.5, "stroke_opacity": 0.5},
    )
    return axes.move_to([*PANEL_AT, 0])


class ParameterPanel(VGroup):
    """The loss over (w1, w2) with b at its optimum: level curves around the least-squares point (a white
    ring), axis values on its border, and each run's path revealed step by step with a dot at its current
    position (paths: (positions, colour)). `arrow` = (moves, TeX label): the first run's momentum step as an
    arrow. When a path leaves the panel, the panel follows it (a PlaneView: its ranges widen about their
    middle, contours, values and paths redrawn, then back); beyond what it shows, a marker above the panel
    gives the run's (w1, w2) and the path is cut at the border."""

    def __init__(
        self,
        problem: Regression,
        paths: list[tuple[np.ndarray, str]],
        start_gap: float,
        arrow: tuple[np.ndarray, str] | None = None,
        sign: str = ".",
    ):
        best = problem.minimizer()
        every = np.vstack([path[:, :2] for path, _ in paths] + [best[None, :2]])
        w1_range, w2_range = clipped_range(every[:, 0], 0.4, 4.0), clipped_range(every[:, 1], 0.4, 4.0)
        self.axes, self.best = panel_axes(w1_range, w2_range), best
        border = Rectangle(width=PANEL_SIZE[0], height=PANEL_SIZE[1], color=style.MUTED, stroke_width=1.5)
        border.move_to(self.axes.c2p(np.mean(w1_range), np.mean(w2_range)))
        self.panel = border  # what it shows stays inside (the layout audit checks it)
        self.paths = [path[:, :2] for path, _ in paths]
        self.view = PlaneView(self.axes, self.paths, sign)  # its numbers and markers with the decimal sign
        self.window, self.box, self.zooms = self.view.window, self.view.box, self.view.zooms
        self.level_lines = (problem, start_gap)
        contours = self.contours(problem, start_gap)
        ticks, names = self.ticks()
        optimum = Circle(radius=0.06, color=style.TEXT, stroke_width=2.5).move_to(self.axes.c2p(*best[:2]))
        self.traces = Traces(
            self.axes,
            [(*path.T, colour) for path, (_, colour) in zip(self.paths, paths)],
            2.5,
            self.view.frame,
        )
        self.dots = VGroup(*(Dot(radius=0.06, color=colour) for _, colour in paths))
        self.arrow = arrow
        self.velocity = StepArrow(arrow[1], style.VELOCITY, width=4, frame=border) if arrow else VGroup()
        self.markers = VGroup(*(Marker(colour) for _, colour in paths))  # hidden until beyond the view
        self.backs = VGroup(*(marker.back for marker in self.markers))
        self.drawn = VGroup(contours, ticks, optimum)
        follows = self.view.follows  # contours and values redrawn: they move with the paths
        self.still = VGroup(self.axes, border, names, *([] if follows else [self.drawn]))
        self.moving = VGroup(*([self.drawn] if follows else []), self.traces, self.dots, self.velocity)
        self.moving.add(self.backs, self.markers)
        super().__init__(self.still, self.moving)

    def must_show(self) -> dict:
        """What the layout audit checks is seen inside the panel: level curves, the minimum, the start, and
        each run's path while the run is in view (beyond it, its marker says where it went)."""
        paths = {
            f"path {i + 1}": t for i, (t, words) in enumerate(zip(self.traces, self.marked)) if words is None
        }
        start = self.window.c2p(*self.paths[0][0, :2])
        return {"contours": self.drawn[0], "minimum": self.drawn[2], "start": start, **paths}

    @property
    def marked(self) -> list[str | None]:
        """The words each run's marker shows (None: hidden)."""
        return [marker.shown for marker in self.markers]

    def contours(self, problem: Regression, start_gap: float) -> VGroup:
        """Level curves L = L* + gap for gaps from 1 % to 150 % of the start's, clipped to the panel."""
        return VGroup(
            *(
                VMobject(
                    stroke_color=style.MUTED, stroke_width=1.5, stroke_opacity=0.7
                ).set_points_as_corners(
                    self.window.c2p(*np.clip(problem.level_curve(gap), *self.shown_box().T).T)
                )
                for gap in max(start_gap, 1e-6) * np.geomspace(0.01, 1.5, 7)
            )
        )

    def ticks(self) -> tuple[AxisValues, VGroup]:
        """The axis values (w1's below the panel, w2's on its right: its left is the formulas' column; every
        one any zoom of the plan shows made once), and the axis names (no value is shown under w2's)."""
        numbers = AxisValues(self.view, lambda text: label(text, style.SMALL_SIZE, style.MUTED))
        names = VGroup(
            math("w_1", style.LABEL_SIZE, style.MUTED).next_to(VGroup(*numbers.on(0)), DOWN, buff=0.04),
            math("w_2", style.LABEL_SIZE, style.MUTED).next_to(VGroup(*numbers.on(1)), UP, buff=0.08),
        )
        numbers.keep_clear = [names[1]]
        self.names = names
        return numbers, names

    @property
    def balls(self) -> list:
        """The runs' dots: the layout audit checks that none hides another's."""
        return list(self.dots)

    def at(self, i: int, k: int, s: float) -> np.ndarray:
        """Run i's (w1, w2) at step k + s (its last one once it has ended)."""
        path, last = self.paths[i], len(self.paths[i]) - 1
        a, b = path[min(k, last), :2], path[min(k + 1, last), :2]
        return a + s * (b - a)

    def shown_box(self) -> np.ndarray:
        """The (w1, w2) ranges the panel shows now, rows [low, high]."""
        return self.view.shown_box()

    def inside(self, w: np.ndarray) -> bool:
        return self.view.inside(w)

    def follow(self, t: float) -> None:
        """The zoom at step t by the plan; contours, values and paths redrawn when it changes."""
        if not self.view.follow(t):
            return
        self.drawn[0].become(self.contours(*self.level_lines))
        self.drawn[2].move_to(self.window.c2p(*self.best[:2]))
        self.drawn[1].show()
        self.view.retrace(self.traces, self.paths)

    def mark(self, i: int, w: np.ndarray) -> None:
        """Run i's marker: its (w1, w2) while it is beyond the view."""
        if self.inside(w):
            self.markers[i].hide()
        else:  # on two lines: it fits the panel
            sign = self.window.sign
            w1, w2 = (fmt_param(v, 3).replace(".", sign) for v in w[:2])
            self.markers[i].say(f"({w1}{';' if sign == ',' else ','}\n {w2})")

    def place_marker(self, i: int) -> None:
        """Run i's marker above the panel, left-aligned on it (clear of its paths, dots and arrow); one row
        per marker shown, stacked upwards."""
        row = sum(words is not None for words in self.marked[:i])
        self.markers[i].next_to(
            self.axes.get_corner(UP + LEFT) + UP * 0.72 * row, UP, buff=0.1, aligned_edge=LEFT
        )
        self.markers[i].fit()

    def set_step(self, k: int, s: float = 0.0) -> None:
        self.follow(k + s)
        self.traces.reveal(k + s)
        for i, dot in enumerate(self.dots):
            self.view.place(dot, self.at(i, k, s))
        self.arrow_shown = bool(self.arrow) and self.inside(self.at(0, k, s))
        if self.arrow:
            moves = self.arrow[0]
            step = np.append(moves[min(k, len(moves) - 1), :2], 0) * self.view.unit
            self.velocity.show(self.dots[0].get_center(), np.clip(step, -0.9, 0.9))
            if not self.arrow_shown:
                self.velocity.set_opacity(0)
        for i, path in enumerate(self.paths):
            self.mark(i, path[min(k, len(path) - 1), :2])
            if self.marked[i] is not None:
                self.place_marker(i)


class RegressionLecture(Lecture, ThreeDScene):
    TEACHES = Lesson
    BEATS = ("intro", "show_data", "show_rule", "predict", "run_fit", "verdict")
    TITLE, QUESTION = "reg_title", "reg_question"

    def setup(self) -> None:
        # Face the true plane's downhill direction, a little aside: the plane is seen, not edge-on, and
        # the residuals keep their depth.
        w1, w2, _ = self.lesson.problem.true_params
        self.set_camera_orientation(phi=PHI, theta=np.arctan2(-w2, -w1) - FACING, zoom=0.8)
        self.renderer.camera.should_apply_shading = (
            False  # flat colours: the plane's checkerboard shows its tilt
        )

    # 2 — the data in 3-D, turning slowly; the model and the loss
    def show_data(self) -> None:
        p = self.lesson.problem
        x = p.features
        self.shown = shown = np.random.default_rng(0).permutation(len(x))[:MAX_POINTS]
        reach = float(np.ceil(2 * np.quantile(np.abs(x[shown]), 0.98)) / 2)  # the cloud, in steps of 0.5
        # the box holds the data (and the first plane, y = 0); a plane outside it is clipped to its walls
        self.z_range = (
            np.floor(min(p.targets[shown].min(), 0) - 0.5),
            np.ceil(max(p.targets[shown].max(), 0) + 0.5),
        )
        axes, names = self.data_axes(reach)
        # flat discs that keep facing the camera: one shape a point instead of a 16-face sphere
        dots = VGroup(*(Dot(axes.c2p(*x[i], p.targets[i]), radius=0.055, color=style.POINTS) for i in shown))
        self.axes, self.cloud = axes, VGroup(axes, dots, names)
        self.cloud.shift(self.screen_to_world(*CLOUD_AT))
        self.cloud.rotate(TURN, axis=OUT, about_point=axes.c2p(0, 0, 0))
        self.add_fixed_orientation_mobjects(*names, *dots)
        self.play(Create(axes), FadeIn(names), Write(card := self.data_card()), run_time=1.5)
        self.play(FadeIn(dots, lag_ratio=0.02), run_time=1.5)
        with self.caption("reg_data", truth=linear(*p.true_params)):
            self.play(
                Rotating(self.cloud, angle=-TURN, axis=OUT, about_point=axes.c2p(0, 0, 0)),
                run_time=6,
                rate_func=smooth,
            )
            formulas = VGroup(
                math(self.number(p.model.tex, tex=True), style.PANEL_SIZE),
                math(self.number(f"{p.loss_tex} = {p.formula.tex}", tex=True), style.PANEL_SIZE),
            )
            self.formulas = formulas.arrange(DOWN, buff=0.15).move_to([*FORMULAS_AT, 0])
            self.pin(self.formulas)
            self.play(FadeOut(card), Write(self.formulas), run_time=1.5)
        self.tell("reg_model")

    def data_axes(self, reach: float) -> tuple[ThreeDAxes, VGroup]:
        """The 3-D axes x1, x2 (±reach) and y (self.z_range), and their names."""
        axes = ThreeDAxes(
            x_range=[-reach, reach, 1],
            y_range=[-reach, reach, 1],
            z_range=[*self.z_range, max(1, np.ceil(np.ptp(self.z_range) / 6))],
            x_length=5.0,
            y_length=5.0,
            z_length=4.0,
            tips=False,
            num_axis_pieces=1,
            axis_config={"color": style.MUTED, "stroke_width": 2},
        )
        names = VGroup(
            math("x_1", style.LABEL_SIZE).move_to(axes.c2p(reach, 0, 0) + 0.5 * RIGHT),
            math("x_2", style.LABEL_SIZE).move_to(axes.c2p(0, reach, 0) + 0.5 * UP),
            math("y", style.LABEL_SIZE).move_to(axes.c2p(0, 0, self.z_range[1]) + 0.4 * OUT),
        )
        return axes, names

    def data_card(self) -> VGroup:
        """How the data was made, in the right half while the cloud turns: y from the true coefficients plus
        Gaussian noise, and how many points (the numbers gdcore generated them with)."""
        params = self.lesson.params
        w1, w2, b = self.lesson.problem.true_params
        terms = "".join(
            (
                f"{fmt_param(v, tex=True)}{name}"
                if i == 0
                else f" {'-' if v < 0 else '+'} {fmt_param(abs(v), tex=True)}{name}"
            )
            for i, (v, name) in enumerate(((w1, "x_1"), (w2, "x_2"), (b, "")))
        )
        sigma = rf"\sigma = {fmt_param(params['noise'], tex=True)}"
        spread = captions.listed(self.lang, ["0", r"\sigma^2"], tex=True)
        normal = rf"\varepsilon \sim \mathcal{{N}}({spread})"
        card = VGroup(
            math(self.number(rf"y = {terms} + \varepsilon", tex=True), style.PANEL_SIZE, style.POINTS),
            math(captions.listed(self.lang, [normal, sigma], tex=True), style.PANEL_SIZE),
            math(rf"n = {params['samples']}", style.PANEL_SIZE),
        )
        card.arrange(DOWN, buff=0.2).move_to([*FORMULAS_AT, 0]).align_to([0, style.SAFE_TOP - 0.1, 0], UP)
        self.pin(card)
        return card

    def screen_to_world(self, x: float, y: float) -> np.ndarray:
        """The world vector that the fixed camera shows as the frame offset (x, y)."""
        return self.camera.generate_rotation_matrix().T @ np.array([x, y, 0.0]) / self.camera.get_zoom()

    # 3 — the rule that is run
    def show_rule(self) -> None:
        self.write_rule(at=RULE_AT, width=RULE_WIDTH, size=style.PANEL_SIZE)

    # 4 — the run: plane, residuals, (w1, w2) panel with velocity, readout, loss inset
    def run_fit(self) -> None:
        lesson, p = self.lesson, self.lesson.problem
        run = lesson.run
        ghost = lesson.baseline.positions if lesson.baseline else None
        floor = p.lowest_loss

        rows = [
            (self.tex_words("step"), style.TEXT),
            *((name, self.colour()) for name in ("w_1", "w_2", "b")),
            (p.loss_symbol, style.TEXT),
        ]
        series = [*run.positions.T, run.losses]
        readout = Readout(rows, series, self.sign).move_to([*READOUT_AT, 0])
        losses = [(run.losses - floor, self.colour())] + (
            [(lesson.baseline.losses - floor, style.GHOST)] if ghost is not None else []
        )
        inset = self.loss_inset(INSET_X, losses, "excess_loss", *INSET_SIZE)
        clear_of(readout, series, inset)
        paths = [(run.positions, self.colour())] + ([(ghost, style.GHOST)] if ghost is not None else [])
        panel = ParameterPanel(
            p,
            paths,
            run.losses[0] - floor,
            arrow=(lesson.moves, DISPLACEMENT_TEX[lesson.params["variant"]]),
            sign=self.sign,
        )
        plane = FittedPlane(self.axes, p, self.shown, run.positions, self.z_range)
        self.flat = VGroup(readout.moving, inset.moving, panel.moving)
        self.pin(readout.still, inset.still, panel.still)

        cues = [("reg_legend", {}), ("reg_panel" if ghost is not None else "reg_panel_plain", {})]
        self.drive([readout, inset, panel, plane], cues)
        self.readout, self.panels = readout, VGroup(inset, panel)

    def set_step(self, pieces, k: int, s: float) -> None:
        super().set_step(pieces, k, s)
        # numbers and arrows rebuilt this frame are new mobjects: register them as flat too (camera only:
        # adding them to the scene would pull them out of the moving layer)
        self.camera.add_fixed_in_frame_mobjects(self.flat)

    # 5 — the verdict: fitted vs true vs least squares
    def verdict(self) -> None:
        v = self.lesson.verdict
        plain = [label(self.plain_line(), style.PANEL_SIZE, style.GHOST)] if self.lesson.baseline else []
        panel = VGroup(self.verdict_head(), *plain, verdict_table(self.lesson, self.words, self.sign))
        panel.arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        panel.scale_to_fit_width(min(panel.width, VERDICT_WIDTH)).move_to([*VERDICT_AT, 0])
        self.pin(panel)
        self.play(
            FadeOut(self.formulas),
            FadeOut(self.rule),
            FadeOut(self.readout),
            FadeOut(self.panels),
            FadeIn(panel),
            run_time=0.8,
        )
        self.say(story.verdict(self.lesson))
        if v.outcome is not Outcome.DIVERGED:
            self.tell("reg_gap", at_least=1.0, gap=fmt(v.distance))


class RegressionComparison(Comparing, RegressionLecture):
    """The regression lecture for 2 to 5 runs that differ in one hyperparameter: one path per run on the
    (w1, w2) panel, each run's loss on the inset and in the readout; the 3-D plane follows the first run."""

    TEACHES = Comparison

    def show_rule(self) -> None:
        """Several rules are written across the right half, as large as a rule is; the run's panels take
        their place (each run's name is in the readout)."""
        if self.subject.varied != "variant":
            return super().show_rule()
        self.write_rule(at=RULES_AT, width=RULES_WIDTH, size=style.PANEL_SIZE)

    def run_fit(self) -> None:
        c, p = self.subject, self.subject.problem
        runs = [one.run for one in c.lessons]
        floor = p.lowest_loss
        if c.varied == "variant":
            self.play(FadeOut(self.rule), run_time=0.5)
            self.rule = VGroup()
        rows = [
            (self.tex_words("step"), style.TEXT),
            *((rf"{p.loss_symbol}\ ({self.run_tex(i)})", self.colour(i)) for i in range(len(runs))),
        ]
        readout = Readout(rows, [run.losses for run in runs], self.sign).move_to([*READOUT_AT, 0])
        losses = [(run.losses - floor, self.colour(i)) for i, run in enumerate(runs)]
        inset = self.loss_inset(INSET_X, losses, "excess_loss", *INSET_SIZE)
        clear_of(readout, [run.losses for run in runs], inset)
        panel = ParameterPanel(
            p,
            [(run.positions, self.colour(i)) for i, run in enumerate(runs)],
            runs[0].losses[0] - floor,
            sign=self.sign,
        )
        plane = FittedPlane(self.axes, p, self.shown, runs[0].positions, self.z_range)
        self.flat = VGroup(readout.moving, inset.moving, panel.moving)
        self.pin(readout.still, inset.still, panel.still)
        self.drive([readout, inset, panel, plane], [("cmp_reg_legend", {})])
        self.readout, self.panels = readout, VGroup(inset, panel)

    def verdict(self) -> None:
        table = self.verdict_table(width=VERDICT_WIDTH).move_to([*VERDICT_AT, 0])
        self.pin(table)
        self.play(
            FadeOut(self.formulas),
            FadeOut(self.rule),
            FadeOut(self.readout),
            FadeOut(self.panels),
            FadeIn(table),
            run_time=0.8,
        )
        self.say_verdict()
