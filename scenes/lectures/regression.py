"""Lecture 2: a plane fitted to a 3-D point cloud by momentum. Beats: the title and the cloud, the question
over a preview of the fit, the fit with the model, the loss and the rule drawn onto it as they are said, then
a verdict whose every sentence lights up what it says."""

from __future__ import annotations

from typing import NamedTuple

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
    Indicate,
    Rectangle,
    Surface,
    ThreeDAxes,
    ThreeDScene,
    VGroup,
    VMobject,
    Write,
)

from gdcore import DISPLACEMENT_TEX, Comparison, Lesson, Regression

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
from ..words import story
from ..words.captions import fmt, fmt_param, linear

MAX_POINTS = 150  # points drawn; more would only blur the cloud
MAX_RESIDUALS = 40  # residual segments drawn, for a readable subset
PLANE_RESOLUTION = 6  # faces per side: enough to read the tilt, cheap to move
PHI = 65 * DEGREES  # the camera's angle from the vertical
FACING = 50 * DEGREES  # the camera looks this far aside from the true plane's downhill direction

# Layout, in frame coordinates (the frame is 14.2 × 8 units, origin at its centre).
CLOUD_AT = (-3.6, 0.15)  # the 3-D cloud
FORMULAS_AT = (1.9, 2.95)
RULE_AT, RULE_WIDTH = (1.6, 1.2), 4.05
READOUT_AT = (1.35, -0.85)  # clear of the inset's title on its right
PANEL_AT, PANEL_SIZE = (4.85, 1.45), (2.2, 1.9)  # the (w1, w2) panel; its w2 values on its right
INSET_X, INSET_SIZE = 5.1, (1.6, 1.1)  # its bottom on the caption band (its title moves aside in the verdict)
VERDICT_AT, VERDICT_WIDTH, VERDICT_RIGHT = (1.6, 0.6), 6.2, 3.55  # where the formulas and the rule were
PLANE_AT = (1.6, 0.35)  # the eigenvalues' plane of the verdict, where the rule was, at the lowest


def panel_range(ends: np.ndarray, values: np.ndarray) -> tuple[float, float]:
    """A range that holds `ends` (the starts and the least-squares value), padded, and the paths' `values` as
    far as one more span of the ends on either side (beyond, the panel follows them: PlaneView)."""
    low, high = float(ends.min()), float(ends.max())
    span, pad = high - low, 0.2 * (high - low) + 0.4
    near = values[(values >= low - span) & (values <= high + span)]
    return min(low, *near) - pad, max(high, *near) + pad


def plane_rectangle(problem: Regression, shown: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rectangle the fitted plane covers (correlated features fill a narrow diagonal band): its centre
    in (x1, x2), its axes (columns: the data's principal axes) and its half sides along them."""
    x = problem.features[shown]
    centre, (_, axes_of_x) = x.mean(axis=0), np.linalg.eigh(np.cov(x.T))
    return centre, axes_of_x, np.quantile(np.abs((x - centre) @ axes_of_x), 0.95, axis=0) + 0.3


def plane_heights(problem: Regression, shown: np.ndarray, thetas: np.ndarray) -> np.ndarray:
    """The heights of the planes `thetas` (rows w1, w2, b) over the corners of the fitted plane's rectangle."""
    centre, axes_of_x, half = plane_rectangle(problem, shown)
    corners = centre + (np.array([[u, v] for u in (-1, 1) for v in (-1, 1)]) * half) @ axes_of_x.T
    return corners @ thetas[:, :2].T + thetas[:, 2]


def box_heights(problem: Regression, shown: np.ndarray, starts: list) -> tuple[float, float]:
    """The 3-D box's range of heights: the points' targets and the planes at the `starts` and at the
    least-squares solution over the fitted plane's rectangle (a plane outside it is hidden: FittedPlane)."""
    thetas = np.array([*starts, problem.minimizer()])
    heights = np.concatenate([problem.targets[shown], plane_heights(problem, shown, thetas).ravel()])
    low, high, _ = cloud_range(heights)
    return min(low, float(heights.min())), max(high, float(heights.max()))


def verdict_rows(lesson: Lesson) -> list[tuple[str, list[str]]]:
    """The verdict table: fitted, true and least-squares (w1, w2, b), formatted from the lesson's numbers."""
    p = lesson.problem
    true = [] if p.true_params is None else [("true", [fmt(v) for v in p.true_params])]
    return [
        ("fitted", [fmt(v) for v in lesson.run.positions[-1]]),
        *true,
        ("least_squares", [fmt(v) for v in p.minimizer()]),
    ]


def verdict_table(lesson: Lesson, words, sign: str = ".", colour: str = style.BALL) -> VGroup:
    """Columns fitted (in the run's colour), true (synthetic data only), least squares; rows w1, w2, b.
    `words(key)`: the language file's text for a column's title; `sign`: its decimal sign; `colour`: the
    run's."""
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
                    colour if key == "fitted" else style.TEXT,
                )
                for key, values in rows
            ),
        ]
    columns = len(rows) + 1
    return VGroup(*cells).arrange_in_grid(
        rows=4, cols=columns, buff=(0.25, 0.16), col_alignments="l" + "r" * len(rows)
    )


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
        centre, axes_of_x, half = plane_rectangle(problem, shown)
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
        ends = np.vstack([path[:1, :2] for path, _ in paths] + [best[None, :2]])
        every = np.vstack([path[:, :2] for path, _ in paths])
        w1_range, w2_range = (panel_range(ends[:, i], every[:, i]) for i in (0, 1))
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
        self.arrow, self.arrows_on = arrow, True  # arrows_on: a lecture may show the arrow later
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
        self.arrow_shown = bool(self.arrow) and self.arrows_on and self.inside(self.at(0, k, s))
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


def cloud_range(values: np.ndarray) -> tuple[float, float, float]:
    """(low, high, step) of a 3-D axis for `values`: about their median, wide enough for 98 % of them, in
    two significant digits (a file's columns may be in thousands or thousandths)."""
    middle = float(np.median(values))
    reach = float(np.quantile(np.abs(values - middle), 0.98)) * 1.1 or 1.0
    reach = float(f"{reach:.2g}")
    middle = round(middle / (reach / 2)) * (reach / 2)
    return middle - reach, middle + reach, reach


class RegressionLecture(Lecture, ThreeDScene):
    """The plane fitted to the point cloud by momentum (and plain gradient descent's path beside it): the
    question over a preview of the fit; the fit, with the data, the model, the loss and the rule drawn onto
    it as they are said; then a verdict whose every sentence lights up what it says (the fitted, true and
    least-squares coefficients, the residuals, the loss plot's marks and envelopes, the eigenvalues)."""

    TEACHES = Lesson
    BEATS = ("intro", "predict", "run_fit", "verdict")
    TITLE = "reg_title"
    PREVIEW = 6  # steps the question's preview plays, at most

    def setup(self) -> None:
        # Face the plane's downhill direction, a little aside: the plane is seen, not edge-on, and the
        # residuals keep their depth.
        p = self.lesson.problem
        w1, w2, _ = p.minimizer() if p.true_params is None else p.true_params
        self.set_camera_orientation(phi=PHI, theta=np.arctan2(-w2, -w1) - FACING, zoom=0.8)
        self.renderer.camera.should_apply_shading = False  # flat colours: the checkerboard shows the tilt
        self.space: list = []  # the 3-D mobjects: anything else added is flat, fixed in the frame
        self.flat = VGroup()  # the run's flat moving parts, fixed in the frame again at every step

    def add(self, *mobjects):
        """Scene.add; a flat mobject (no part of the 3-D cloud) is fixed in the frame as it is added (the
        verdict's marks, envelopes and eigenvalues' plane are made by the kit)."""
        space = {id(m) for one in self.space for m in one.get_family()}
        flat = [m for m in mobjects if not any(id(part) in space for part in m.get_family())]
        self.camera.add_fixed_in_frame_mobjects(*flat)
        return super().add(*mobjects)

    def intro(self) -> None:
        self.show_title()
        self.set_stage()

    def set_stage(self) -> None:
        """The cloud in its 3-D box; the plane at the start and the (w1, w2) panel appear with the question."""
        p = self.lesson.problem
        drawn = np.random.default_rng(0).permutation(len(p.features))[:MAX_POINTS]
        self.ranges = [cloud_range(p.features[drawn, i]) for i in (0, 1)]
        inside = [
            all(low <= v <= high for v, (low, high, _) in zip(p.features[i], self.ranges)) for i in drawn
        ]
        self.shown = shown = drawn[inside]  # a point beyond the box would stick out of it, and of the frame
        self.z_range = box_heights(p, shown, [one.run.positions[0] for one in self.subject.lessons])
        axes, names = self.data_axes(p)
        dots = VGroup(
            *(Dot(axes.c2p(*p.features[i], p.targets[i]), radius=0.055, color=style.POINTS) for i in shown)
        )
        self.axes, self.dots, self.cloud = axes, dots, VGroup(axes, dots, names)
        self.space = [self.cloud]
        self.cloud.shift(self.screen_to_world(*CLOUD_AT))
        self.add_fixed_orientation_mobjects(*names, *dots)
        self.play(Create(axes), FadeIn(names), FadeIn(dots, lag_ratio=0.01), run_time=1.2)
        self.racers = self.stage_pieces()
        self.space.append(self.racers[-1])

    def data_axes(self, p: Regression) -> tuple[ThreeDAxes, VGroup]:
        """The 3-D axes of the two features and the target (self.z_range), and their names: x₁, x₂, y, or a
        file's column names (as plain text: a file's words are never TeX)."""
        x_range, y_range = self.ranges
        axes = ThreeDAxes(
            x_range=list(x_range),
            y_range=list(y_range),
            z_range=[*self.z_range, max(1, np.ceil(np.ptp(self.z_range) / 6))],
            x_length=5.0,
            y_length=5.0,
            z_length=4.0,
            tips=False,
            num_axis_pieces=1,
            axis_config={"color": style.MUTED, "stroke_width": 2},
        )
        if p.true_params is None:
            shown = [label(name, style.LABEL_SIZE) for name in p.names]
        else:
            shown = [math(name, style.LABEL_SIZE) for name in ("x_1", "x_2", "y")]
        # each name at its axis's far end; the axes cross at 0, or at the end of a range without 0
        cross = [min(max(0.0, low), high) for low, high in (x_range[:2], y_range[:2], self.z_range)]
        shown[0].move_to(axes.c2p(x_range[1], *cross[1:]) + 0.5 * RIGHT)
        shown[1].move_to(axes.c2p(cross[0], y_range[1], cross[2]) + 0.5 * UP)
        shown[2].move_to(axes.c2p(*cross[:2], self.z_range[1]) + 0.4 * OUT)
        return axes, VGroup(*shown)

    def stage_pieces(self) -> list:
        """The (w1, w2) panel (the run's path and velocity, plain gradient descent's path) and the plane at
        the start: what the question's preview moves."""
        lesson, p = self.lesson, self.lesson.problem
        ghost = [] if lesson.baseline is None else [(lesson.baseline.positions, style.GHOST)]
        panel = ParameterPanel(
            p,
            [(lesson.run.positions, self.run_colour()), *ghost],
            lesson.run.losses[0] - p.lowest_loss,
            arrow=(lesson.moves, DISPLACEMENT_TEX[lesson.params["variant"]]),
            sign=self.sign,
        )
        panel.arrows_on = False  # the velocity arrow appears with the rule that makes it
        return [panel, FittedPlane(self.axes, p, self.shown, lesson.run.positions, self.z_range)]

    def screen_to_world(self, x: float, y: float) -> np.ndarray:
        """The world vector that the fixed camera shows as the frame offset (x, y)."""
        return self.camera.generate_rotation_matrix().T @ np.array([x, y, 0.0]) / self.camera.get_zoom()

    def predict(self) -> None:
        """The question, with this run's values, over the fit's first steps (then back to the start)."""
        said = story.predict_fit(self.subject)
        panel, plane = self.racers
        self.flat = VGroup(panel.moving)
        with self.caption(said.key, claims=said.claims, **said.values):
            self.play(FadeIn(panel), FadeIn(plane), run_time=0.6)
            steps = min(self.PREVIEW, max(one.run.last_step for one in self.subject.lessons))
            if steps and self.lesson.verdict.still is None:
                self.sweep(self.racers, (0, steps), 3.0)
                self.sweep(self.racers, (steps, 0), 0.8)
            self.play(Indicate(panel.dots, scale_factor=1.6), Indicate(plane.plane), run_time=1.0)

    def data_cue(self) -> tuple:
        """How the data was made (or whose it is), the cloud's points lighting up as it is read."""
        p = self.lesson.problem
        if p.true_params is None:
            key, values = "reg_data_file", dict(zip(("x1", "x2", "y"), p.names))
        else:
            key, values = "reg_data", {"truth": linear(*p.true_params)}
        return key, values, lambda: self.play(Indicate(self.dots, scale_factor=1.3), run_time=2.0)

    def model_cue(self) -> tuple:
        """The model and the loss, written as they are read; the plane (the model) and its residuals (the
        gaps the loss squares) light up."""
        p = self.lesson.problem
        self.formulas = VGroup(
            math(self.number(p.model.tex, tex=True), style.PANEL_SIZE),
            math(self.number(f"{p.loss_tex} = {p.formula.tex}", tex=True), style.PANEL_SIZE),
        )
        self.formulas.arrange(DOWN, buff=0.15).move_to([*FORMULAS_AT, 0])
        self.pin(self.formulas)
        plane = self.racers[1]

        def show() -> None:
            self.play(Write(self.formulas[0]), Indicate(plane.plane), run_time=1.5)
            self.play(Write(self.formulas[1]), Indicate(plane.residuals), run_time=1.5)

        return "reg_model", {}, show

    def run_cues(self) -> list[tuple]:
        """What is said (and drawn) as the fit starts: the data, the model and loss, the rule and its velocity
        arrow, plain gradient descent's path."""
        panel = self.racers[0]
        rule = self.rule_group(RULE_AT, RULE_WIDTH)

        def arrows() -> None:
            panel.arrows_on = True
            self.play(Write(rule), run_time=2.0)
            self.play(Indicate(panel.velocity, scale_factor=1.5), Indicate(rule[-1]), run_time=2.0)

        key, values = self.rule_caption()
        cues = [self.data_cue(), self.model_cue(), (key, values, arrows)]
        if self.lesson.baseline is not None:
            ghost = lambda: self.play(  # noqa: E731
                Indicate(panel.dots[1], scale_factor=2.0), Indicate(panel.traces[1]), run_time=2.5
            )
            cues.append(("reg_ghost", {"lr": fmt_param(self.lesson.params["lr"])}, ghost))
        return cues

    def run_fit(self) -> None:
        """The fit: plane and residuals, the (w1, w2) panel, the readout and the loss plot on one clock."""
        lesson, p = self.lesson, self.lesson.problem
        run, colour = lesson.run, self.run_colour()
        rows = [
            (self.tex_words("step"), style.TEXT),
            *((name, colour) for name in ("w_1", "w_2", "b")),
            (p.loss_symbol, style.TEXT),
        ]
        series = [*run.positions.T, run.losses]
        readout = Readout(rows, series, self.sign).move_to([*READOUT_AT, 0])
        losses = [(run.losses - p.lowest_loss, colour)]
        if lesson.baseline is not None:
            losses.append((lesson.baseline.losses - p.lowest_loss, style.GHOST))
        self.inset = self.loss_inset(INSET_X, losses, "excess_loss", *INSET_SIZE)
        clear_of(readout, series, self.inset)
        self.go([readout, self.inset], readout)

    def go(self, flat: list, readout) -> None:
        """Drive the run with the stage's pieces and the `flat` ones (their moving parts fixed in the frame)."""
        self.flat = VGroup(self.racers[0].moving, *(piece.moving for piece in flat))
        self.pin(*(piece.still for piece in flat))
        self.drive([*flat, *self.racers], self.run_cues(), shown=self.racers)
        self.readout = readout

    def set_step(self, pieces, k: int, s: float) -> None:
        super().set_step(pieces, k, s)
        # numbers and arrows rebuilt this frame are new mobjects: register them as flat too (camera only:
        # adding them to the scene would pull them out of the moving layer)
        self.camera.add_fixed_in_frame_mobjects(self.flat)

    def verdict(self) -> None:
        """The verdict's head and the coefficients' table where the formulas were; each sentence lights up
        what it says (picture)."""
        head = self.verdict_head()
        table = verdict_table(self.lesson, self.words, self.sign, self.run_colour())
        self.table = table
        self.show_verdict(VGroup(head, table))
        self.say_drawn(story.regression_verdict(self.lesson))

    def show_verdict(self, panel: VGroup) -> None:
        """`panel` (arranged downwards) in the left column, where the formulas, the rule and the readout were;
        the eigenvalues' plane goes under it."""
        panel.arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        # as wide as it needs (its numbers stay readable), its right edge clear of the (w1, w2) panel
        panel.scale_to_fit_width(min(panel.width, VERDICT_WIDTH)).align_to([VERDICT_RIGHT, 0, 0], RIGHT)
        panel.align_to([0, style.SAFE_TOP - 0.1, 0], UP)
        self.pin(panel)
        self.plane_at = (VERDICT_AT[0], min(panel.get_bottom()[1] - 1.1, PLANE_AT[1]))
        # the loss plot's title goes to its left, where the readout was: the ρ names take its top
        title = self.inset.still[1][0]
        self.play(
            FadeOut(self.formulas),
            FadeOut(self.rule),
            FadeOut(self.readout),
            FadeIn(panel),
            title.animate.next_to(self.inset.axes, LEFT, buff=0.25).align_to(self.inset.axes, DOWN),
            run_time=0.8,
        )

    def column(self, key: str) -> VGroup:
        """The verdict table's column `key` (fitted, true, least_squares): its title and its three values."""
        keys = [name for name, _ in verdict_rows(self.lesson)]
        width, i = len(keys) + 1, keys.index(key) + 1
        return VGroup(*(self.table[row * width + i] for row in range(4)))

    def picture(self, said: story.Line) -> None:
        """The fit's sentences light up the columns they compare (and the least-squares ring, or the
        residuals the loss squares); a run that never moved lights up its dots; the rest is the kit's."""
        key = said.key
        panel, plane = self.racers
        shown = {
            "reg_gap_settled": ["fitted", "least_squares"],
            "reg_gap_floor": ["fitted", "least_squares"],
            "reg_truth": ["true", "least_squares"],
            "reg_truth_exact": ["true", "least_squares"],
        }
        if key in shown:
            ring = [Indicate(panel.drawn[2], scale_factor=2.0)] if "gap" in key else []
            columns = [Indicate(self.column(name), scale_factor=1.1) for name in shown[key]]
            self.play(*columns, *ring, run_time=self.draw_time)
        elif key.startswith("reg_residual"):
            self.play(
                Indicate(plane.residuals), Indicate(self.column("least_squares")), run_time=self.draw_time
            )
        elif any(claim["claim"] == "still" for claim in said.claims):
            self.play(Indicate(panel.dots, scale_factor=1.6), run_time=self.draw_time)
        else:
            super().picture(said)


class RegressionComparison(Comparing, RegressionLecture):
    """The regression lecture for 2 to 5 runs that differ in one hyperparameter: one path per run on the
    (w1, w2) panel, each run's loss on the plot and in the readout; the 3-D plane follows the first run."""

    TEACHES = Comparison

    def stage_pieces(self) -> list:
        c, p = self.subject, self.subject.problem
        runs = [one.run for one in c.lessons]
        paths = [(run.positions, self.colour(i)) for i, run in enumerate(runs)]
        panel = ParameterPanel(p, paths, runs[0].losses[0] - p.lowest_loss, sign=self.sign)
        return [panel, FittedPlane(self.axes, p, self.shown, runs[0].positions, self.z_range)]

    def run_cues(self) -> list[tuple]:
        """The data, the model and loss, the rule(s), and whose path the plane follows."""
        panel, plane = self.racers
        key, values = self.rule_caption()
        rule = lambda: self.play(Write(self.rule_group(RULE_AT, RULE_WIDTH)), run_time=2.0)  # noqa: E731
        paths = lambda: self.play(Indicate(panel.traces), Indicate(plane.plane), run_time=1.5)  # noqa: E731
        return [self.data_cue(), self.model_cue(), (key, values, rule), ("cmp_reg_legend", {}, paths)]

    def run_fit(self) -> None:
        c, p = self.subject, self.subject.problem
        runs = [one.run for one in c.lessons]
        rows = [
            (self.tex_words("step"), style.TEXT),
            *((rf"{p.loss_symbol}\ ({self.run_tex(i)})", self.colour(i)) for i in range(len(runs))),
        ]
        readout = Readout(rows, [run.losses for run in runs], self.sign).move_to([*READOUT_AT, 0])
        readout.shift(DOWN * 0.3)  # one row fewer than a single run's: clear of a comparison's longer rule
        losses = [(run.losses - p.lowest_loss, self.colour(i)) for i, run in enumerate(runs)]
        self.inset = self.loss_inset(INSET_X, losses, "excess_loss", *INSET_SIZE)
        clear_of(readout, [run.losses for run in runs], self.inset)
        self.go([readout, self.inset], readout)

    def verdict(self) -> None:
        """The runs' table where the formulas were; each sentence lights up the runs it names (their rows,
        their dots on the panel, their marks on the loss plot: Comparing.picture)."""
        self.table = self.verdict_table(width=VERDICT_WIDTH)
        self.show_verdict(VGroup(self.table))
        self.racers = [Pointer(dot) for dot in self.racers[0].dots]  # what Comparing.picture lights up
        self.say_drawn(story.compare_verdict(self.subject))


class Pointer(NamedTuple):
    """A run's dot on the panel, as the kit's comparison pictures name a run's ball."""

    ball: Dot
