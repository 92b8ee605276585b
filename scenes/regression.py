"""Lecture 2: a plane fitted to a 3-D point cloud by momentum. Beats: question, data, run, verdict."""
from __future__ import annotations

import numpy as np
from manim import (DEGREES, DOWN, LEFT, OUT, Axes, Create, Dot, FadeIn, FadeOut, Rectangle, Rotating,
                   Surface, Text, ThreeDAxes, ThreeDScene, VGroup, VMobject, Write, smooth)

from gdcore import Trajectory

from . import style
from .captions import fmt, linear
from .components import LossInset, Readout, StepArrow, Traces, label, math
from .lecture import Lecture
from .pacing import Schedule

MAX_POINTS = 150  # points drawn; more would only blur the cloud
MAX_RESIDUALS = 40  # residual segments drawn, for a readable subset
PLANE_RESOLUTION = 6  # faces per side: enough to read the tilt, cheap to move
PHI = 65 * DEGREES  # the camera's angle from the vertical
FACING = 50 * DEGREES  # the camera looks this far aside from the true plane's downhill direction
TURN = 45 * DEGREES  # the cloud turns this much while the data is introduced, to show depth
CLOUD_AT = (-3.6, 0.15)  # where the 3-D cloud sits on screen (frame coordinates)


def clipped_range(values: np.ndarray, pad: float, cap: float) -> tuple[float, float]:
    """A range around `values`, padded, never wider than `cap` on either side of their median."""
    mid = float(np.median(values))
    low, high = float(values.min()) - pad, float(values.max()) + pad
    return max(low, mid - cap), min(high, mid + cap)


def verdict_rows(traj: Trajectory) -> list[tuple[str, list[str]]]:
    """The verdict table: fitted, true and least-squares (w1, w2, b), formatted from the run's numbers."""
    p = traj.problem
    return [("fitted", [fmt(v) for v in traj.positions[-1]]),
            ("true", [fmt(v) for v in p.true_params]),
            ("least_squares", [fmt(v) for v in p.minimizer()])]


class RegressionLecture(Lecture, ThreeDScene):
    BEATS = ("intro", "show_data", "show_rule", "run_fit", "verdict")

    def setup(self) -> None:
        # Face the true plane's downhill direction, a little aside: the plane is seen, not edge-on, and
        # the residuals keep their depth.
        w1, w2, _ = self.traj.problem.true_params
        self.set_camera_orientation(phi=PHI, theta=np.arctan2(-w2, -w1) - FACING, zoom=0.8)
        self.renderer.camera.should_apply_shading = False  # flat colours: the plane's checkerboard shows its tilt

    # 1 — the question
    def intro(self) -> None:
        title = Text(self.words("reg_title"), font=style.FONT, font_size=style.TITLE_SIZE, color=style.TEXT)
        self.pin(title)
        self.play(Write(title), run_time=1.2)
        self.say("reg_question")
        self.hold()
        self.play(FadeOut(title), run_time=0.5)

    # 2 — the data in 3-D, turning slowly; the model and the loss
    def show_data(self) -> None:
        p = self.traj.problem
        x = p.features
        shown = np.random.default_rng(0).permutation(len(x))[:MAX_POINTS]
        self.shown = shown
        reach = float(np.ceil(2 * np.quantile(np.abs(x[shown]), 0.98)) / 2)  # the cloud, in steps of 0.5
        # the box holds the data (and the first plane, y = 0); a plane outside it is clipped to its walls
        self.z_range = (np.floor(min(p.targets[shown].min(), 0) - 0.5), np.ceil(max(p.targets[shown].max(), 0) + 0.5))
        axes = ThreeDAxes(x_range=[-reach, reach, 1], y_range=[-reach, reach, 1],
                          z_range=[*self.z_range, max(1, np.ceil(np.ptp(self.z_range) / 6))],
                          x_length=5.0, y_length=5.0, z_length=4.0, tips=False, num_axis_pieces=1,
                          axis_config={"color": style.MUTED, "stroke_width": 2})
        names = VGroup(math("x_1", style.LABEL_SIZE).move_to(axes.c2p(reach + 0.5, 0, 0)),
                       math("x_2", style.LABEL_SIZE).move_to(axes.c2p(0, reach + 0.5, 0)),
                       math("y", style.LABEL_SIZE).move_to(axes.c2p(0, 0, self.z_range[1] + 0.4)))
        # flat discs that keep facing the camera: one shape a point instead of a 16-face sphere
        dots = VGroup(*(Dot(axes.c2p(*x[i], p.targets[i]), radius=0.055, color=style.POINTS) for i in shown))
        self.axes, self.cloud = axes, VGroup(axes, dots, names)
        self.cloud.shift(self.screen_to_world(*CLOUD_AT))
        self.cloud.rotate(TURN, axis=OUT, about_point=axes.c2p(0, 0, 0))
        self.add_fixed_orientation_mobjects(*names, *dots)
        self.play(Create(axes), FadeIn(names), run_time=1.5)
        self.play(FadeIn(dots, lag_ratio=0.02), run_time=1.5)
        t = p.true_params
        self.say("reg_data", model=linear(*t))
        self.play(Rotating(self.cloud, angle=-TURN, axis=OUT, about_point=axes.c2p(0, 0, 0)),
                  run_time=6, rate_func=smooth)
        model = math(r"\hat y = w_1 x_1 + w_2 x_2 + b", style.PANEL_SIZE)
        loss = math(r"L = \frac{1}{n}\sum_{i=1}^{n} (\hat y_i - y_i)^2", style.PANEL_SIZE)
        self.formulas = VGroup(model, loss).arrange(DOWN, buff=0.15).move_to([2.3, 3.2, 0])
        self.pin(self.formulas)
        self.play(Write(self.formulas), run_time=1.5)
        self.say("reg_model")
        self.hold()

    def screen_to_world(self, x: float, y: float) -> np.ndarray:
        """The world vector that the fixed camera shows as the frame offset (x, y)."""
        return self.camera.generate_rotation_matrix().T @ np.array([x, y, 0.0]) / self.camera.get_zoom()

    # 3 — the rule that is run
    def show_rule(self) -> None:
        self.write_rule(at=(2.3, 1.75), width=3.4, size=style.PANEL_SIZE - 2, param="\\theta", loss="L")

    # 4 — the run: plane, residuals, (w1, w2) panel with velocity, readout, loss inset
    def run_fit(self) -> None:
        t, p, axes = self.traj, self.traj.problem, self.axes
        n = t.last_step
        schedule = Schedule.for_steps(max(n, 1))
        theta, states = t.positions, t.states
        ghost = self.ghost

        # the plane is drawn over the data only: a rectangle along the features' principal axes (correlated
        # features fill a narrow diagonal band). Each face's (x1, x2) is kept; per frame only heights change.
        x = p.features[self.shown]
        centre = x.mean(axis=0)
        _, axes_of_x = np.linalg.eigh(np.cov(x.T))
        half = np.quantile(np.abs((x - centre) @ axes_of_x), 0.95, axis=0) + 0.3
        plane = Surface(lambda u, v: axes.c2p(*(centre + u * axes_of_x[:, 0] + v * axes_of_x[:, 1]), 0),
                        u_range=[-half[0], half[0]], v_range=[-half[1], half[1]],
                        resolution=(PLANE_RESOLUTION, PLANE_RESOLUTION), fill_opacity=0.45, stroke_width=0.6,
                        checkerboard_colors=[style.PLANE, style.PLANE_DARK], stroke_color=style.PLANE)
        grid = np.array([axes.p2c(point) for point in plane.get_all_points()])[:, :2]
        sizes = [len(face.points) for face in plane]
        residual_ids = self.shown[:MAX_RESIDUALS]
        residuals = VMobject(stroke_color=style.RESIDUAL, stroke_width=2)
        features = p.features[residual_ids]
        targets = p.targets[residual_ids]

        def to_scene(x1x2: np.ndarray, z: np.ndarray) -> np.ndarray:
            origin = axes.c2p(0, 0, 0)
            basis = np.array([axes.c2p(1, 0, 0), axes.c2p(0, 1, 0), axes.c2p(0, 0, 1)]) - origin
            return origin + np.column_stack([x1x2, z]) @ basis

        # right-hand panels, fixed in the frame
        rows = [("\\text{%s}" % self.words("step"), style.TEXT), ("w_1", style.BALL), ("w_2", style.BALL),
                ("b", style.BALL), ("L", style.TEXT)]
        readout = Readout(rows).move_to([1.5, -0.3, 0])
        best = p.minimizer()
        floor = p.loss(best)
        runs = [(t.losses - floor, style.BALL)] + ([(ghost.losses - floor, style.GHOST)] if ghost else [])
        inset = LossInset(runs, n, self.words("excess_loss"), self.words("step"), width=1.8, height=1.2)
        inset.move_to([5.3, -1.95, 0])
        paths = [theta] + ([ghost.positions] if ghost else [])
        every = np.vstack([path[:, :2] for path in paths] + [best[None, :2]])
        w1_range = clipped_range(every[:, 0], 0.4, 4.0)
        w2_range = clipped_range(every[:, 1], 0.4, 4.0)
        panel = Axes(x_range=[*w1_range, 10], y_range=[*w2_range, 10], x_length=2.7, y_length=2.2, tips=False,
                     axis_config={"color": style.MUTED, "stroke_width": 1.5, "stroke_opacity": 0.5})
        panel.move_to([5.3, 1.75, 0])
        border = Rectangle(width=panel.x_length, height=panel.y_length, color=style.MUTED, stroke_width=1.5)
        border.move_to(panel.c2p(np.mean(w1_range), np.mean(w2_range)))
        contours = self.contours(panel, best, t.losses[0] - p.loss(best))
        panel_names = VGroup(math("w_1", style.SMALL_SIZE, style.MUTED).next_to(border, DOWN, buff=0.06),
                             math("w_2", style.SMALL_SIZE, style.MUTED).next_to(border, LEFT, buff=0.06))
        optimum = Dot(panel.c2p(*best[:2]), radius=0.05, color=style.GOOD)
        clip = np.array([w1_range, w2_range])
        traces = Traces(panel, [(*np.clip(path[:, :2], clip[:, 0], clip[:, 1]).T, color)
                                for path, color in zip(paths, [style.BALL, style.GHOST])], width=2.5)
        here = Dot(radius=0.06, color=style.BALL)
        velocity = StepArrow("v", style.VELOCITY, width=4)
        panel_unit = np.array([panel.x_length / np.ptp(w1_range), panel.y_length / np.ptp(w2_range), 0])

        def frame(k: int, s: float) -> None:
            nxt = min(k + 1, n)
            w = theta[k] + s * (theta[nxt] - theta[k])
            heights = grid @ w[:2] + w[2]
            # a plane far outside the box (a divergent run) is hidden rather than drawn across the frame
            low, high = self.z_range
            inside = low - 0.5 * (high - low) <= heights.min() and heights.max() <= high + 0.5 * (high - low)
            for face, chunk in zip(plane, np.split(to_scene(grid, heights), np.cumsum(sizes)[:-1])):
                face.points = chunk
            starts = to_scene(features, targets)
            ends = to_scene(features, features @ w[:2] + w[2]) if inside else starts
            residuals.set_points(np.stack([starts + (ends - starts) * f for f in (0, 1 / 3, 2 / 3, 1)],
                                          axis=1).reshape(-1, 3))
            plane.set_opacity(0.45 if inside else 0.0)
            readout.show_numbers([*theta[k], t.losses[k]], k)
            traces.reveal(k + s)
            inset.reveal(k + s)
            in_panel = np.all((clip[:, 0] <= w[:2]) & (w[:2] <= clip[:, 1]))
            at = panel.c2p(*np.clip(w[:2], clip[:, 0], clip[:, 1]))
            here.move_to(at)
            move = states[k, :2] if t.variant != "ema" else -t.lr * states[k, :2]
            velocity.show(at, np.clip(np.append(move, 0) * panel_unit, -0.9, 0.9))
            if not in_panel:
                velocity.set_opacity(0)
            # numbers and arrows rebuilt this frame are new mobjects: register them as flat too (camera only:
            # adding them to the scene would pull them out of the moving layer)
            self.camera.add_fixed_in_frame_mobjects(flat)

        still = VGroup(readout.still, inset.still, panel, border, contours, panel_names, optimum)
        flat = VGroup(readout.moving, inset.moving, traces, here, velocity)
        self.pin(still)
        layer = VGroup(flat, plane, residuals)
        captions = [("reg_legend", {}), ("reg_panel" if ghost else "reg_panel_plain", {})]
        self.drive(still, layer, schedule, frame, captions)
        self.readout = readout

    def contours(self, panel: Axes, best: np.ndarray, start_gap: float) -> VGroup:
        """Level sets of L(w1, w2, b*) around the least-squares point, from the exact Hessian, at loss gaps
        spread geometrically below the starting one; clipped to the panel."""
        block = self.traj.problem.hessian()[:2, :2] / 2  # L − L* = dᵀ·(H/2)·d on this slice
        vals, vecs = np.linalg.eigh(block)
        angles = np.linspace(0, 2 * np.pi, 80)
        circle = np.stack([np.cos(angles), np.sin(angles)])
        box = np.array([panel.x_range[:2], panel.y_range[:2]])
        rings = VGroup()
        for level in max(start_gap, 1e-6) * np.geomspace(0.01, 1.5, 7):
            ring = best[:2, None] + vecs @ (np.sqrt(level / vals)[:, None] * circle)
            ring = np.clip(ring, box[:, :1], box[:, 1:])
            rings.add(VMobject(stroke_color=style.MUTED, stroke_width=1.5, stroke_opacity=0.7)
                      .set_points_as_corners([panel.c2p(a, b) for a, b in ring.T]))
        return rings

    # 5 — the verdict: fitted vs true vs least squares
    def verdict(self) -> None:
        t = self.traj
        size = style.PANEL_SIZE - 4
        cells = [math(r"\;"), *(math(c, size + 6) for c in ("w_1", "w_2", "b"))]
        for key, values in verdict_rows(t):
            cells += [label(self.words(key), size), *(label(v, size, style.BALL if key == "fitted" else style.TEXT)
                                                      for v in values)]
        table = VGroup(*cells).arrange_in_grid(rows=4, cols=4, buff=(0.22, 0.16), col_alignments="lrrr")
        panel = VGroup(self.verdict_head(), table).arrange(DOWN, buff=0.25, aligned_edge=LEFT)
        panel.scale_to_fit_width(min(panel.width, 3.8)).move_to([1.9, 0.3, 0])
        self.pin(panel)
        self.play(FadeOut(self.rule), FadeOut(self.readout), FadeIn(panel), run_time=0.8)
        self.say_verdict()
        if not t.diverged:
            self.say("reg_gap", gap=fmt(np.linalg.norm(t.positions[-1] - t.problem.minimizer())))
        self.hold(1.0)
