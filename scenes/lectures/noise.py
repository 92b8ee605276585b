"""Lecture: is momentum less erratic? Three runs on the regression's data, each step's gradient from the same
mini-batch (gdcore.noisy): their paths over the loss contours of (w1, w2), each run's exact jitter ellipse
appearing as it reaches its noise floor, and the loss per step beside the exact theory's E[L] − L*. Beats:
question over a preview, the runs (the batch gradient and the rule written onto them), verdict."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    Axes,
    Circle,
    Create,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Rectangle,
    VGroup,
    VMobject,
    Write,
)

from gdcore import Noise, NoiseComparison

from ..kit import style
from ..kit.lecture import Comparing, Lecture
from ..kit.pacing import Schedule
from ..kit.pieces import Traces, label, math
from ..words import captions, story
from ..words.captions import fmt_param

# Layout, in frame coordinates (the frame is 14.2 × 8 units, origin at its centre).
PANEL_AT, PANEL_SIZE = (-3.95, 0.55), (5.2, 5.0)  # the (w1, w2) panel, left
COLUMN_X = 2.9  # the right column's centre: the formulas, the rule, the loss plot, the verdict's table
FORMULA_AT = (COLUMN_X, 2.95)  # the batch gradient, then the rule below it
RULE_AT, RULE_WIDTH = (COLUMN_X, 1.35), 6.0
INSET_X, INSET_WIDTH, INSET_HEIGHT = COLUMN_X + 0.6, 5.0, 1.9  # its bottom on the caption band
TABLE_WIDTH = 2 * (style.SAFE_RIGHT - COLUMN_X) - 0.1
COLOURS = (style.GHOST, style.BALL, style.RUNS[1])  # plain SGD at α, momentum, plain SGD at α/(1 − β)
SIGMAS = 2.0  # the ellipse drawn: where the stationary density is 2 standard deviations from its centre
PREVIEW = 8  # steps the question's preview plays, at most
WATCH = 1.5  # the run is watched at full pace until 1.5 times the last floor step (the jitter is the point)


def ellipse_points(centre: np.ndarray, cov: np.ndarray, sigmas: float = SIGMAS, n: int = 60) -> np.ndarray:
    """(n, 2): the ellipse {centre + d : dᵀ cov⁻¹ d = sigmas²} of a (2, 2) covariance, closed."""
    vals, vecs = np.linalg.eigh(cov)
    t = np.linspace(0, 2 * np.pi, n)
    unit = np.stack([np.cos(t), np.sin(t)], axis=1)
    return centre + sigmas * (unit * np.sqrt(np.maximum(vals, 0))) @ vecs.T


def view_ranges(paths: list[np.ndarray], best: np.ndarray) -> tuple[tuple, tuple]:
    """(w1, w2) ranges that hold the start, the least-squares point and most of each path (a diverging
    path is cut at the border), padded, as a square box in data units scaled to the panel."""
    every = np.vstack([p[: max(2, int(0.98 * len(p)))] for p in paths] + [best[None, :2]])
    finite = every[np.all(np.isfinite(every), axis=1)]
    low = np.maximum(np.quantile(finite, 0.02, axis=0), best[:2] - 6.0)
    high = np.minimum(np.quantile(finite, 0.98, axis=0), best[:2] + 6.0)
    low, high = np.minimum(low, [0.0, 0.0]), np.maximum(high, [0.0, 0.0])  # the start, θ = 0
    pad = 0.12 * max(float(np.max(high - low)), 0.5)
    return (low[0] - pad, high[0] + pad), (low[1] - pad, high[1] + pad)


class NoisePanel(VGroup):
    """The loss over (w1, w2) (b at its optimum): level curves around the least-squares point (a white ring),
    each run's path revealed step by step with a dot at its position, and each run's exact jitter ellipse
    (SIGMAS of its stationary covariance; None: unbounded, none drawn), shown from the step it reached its
    floor (None: never). runs: (positions, colour, covariance, floor step)."""

    def __init__(self, problem, runs: list[tuple], sign: str = "."):
        best = problem.minimizer()
        self.paths = [np.asarray(positions)[:, :2] for positions, *_ in runs]
        w1, w2 = view_ranges(self.paths, best)
        self.axes = Axes(
            x_range=[*w1, 10],
            y_range=[*w2, 10],
            x_length=PANEL_SIZE[0],
            y_length=PANEL_SIZE[1],
            tips=False,
            axis_config={"stroke_opacity": 0},
        ).move_to([*PANEL_AT, 0])
        box = np.array([*self.axes.c2p(w1[0], w2[0])[:2], *self.axes.c2p(w1[1], w2[1])[:2]])
        border = Rectangle(width=PANEL_SIZE[0], height=PANEL_SIZE[1], color=style.MUTED, stroke_width=1.5)
        border.move_to([*PANEL_AT, 0])
        contours, ring, names = self.backdrop(problem, border)
        self.box = box
        self.traces = Traces(
            self.axes, [(*p.T, colour) for p, (_, colour, *_) in zip(self.paths, runs)], 2.0, box
        )
        self.dots = VGroup(*(Dot(radius=0.07, color=colour) for _, colour, *_ in runs))
        self.ellipses = VGroup(
            *(
                self.curve(ellipse_points(best[:2], np.asarray(cov)[:2, :2]), colour, 4)
                if cov is not None
                else VMobject()
                for _, colour, cov, _ in runs
            )
        )
        self.floors = [step for *_, step in runs]
        self.still = VGroup(border, contours, ring, names)
        self.moving = VGroup(
            self.traces, self.ellipses, self.dots
        )  # the band over the paths that jitter in it
        super().__init__(self.still, self.moving)

    def backdrop(self, problem, border: Rectangle) -> tuple[VGroup, Circle, VGroup]:
        """The level curves L = L* + gap (gaps from 0.3 % to 150 % of the start's), the least-squares point's
        ring and the axis names (outside the border: the contours run through its inside)."""
        gap = max(problem.loss(np.zeros(3)) - problem.lowest_loss, 1e-6)
        contours = VGroup(
            *(self.curve(problem.level_curve(g), style.MUTED, 1.5) for g in gap * np.geomspace(0.003, 1.5, 8))
        )
        contours.set_stroke(opacity=0.6)
        best = problem.minimizer()
        ring = Circle(radius=0.07, color=style.TEXT, stroke_width=2.5).move_to(self.axes.c2p(*best[:2]))
        names = VGroup(
            math("w_1", style.LABEL_SIZE, style.MUTED).next_to(border, DOWN, buff=0.08),
            math("w_2", style.LABEL_SIZE, style.MUTED).next_to(border, UP, buff=0.08).align_to(border, LEFT),
        )
        return contours, ring, names

    def curve(self, points: np.ndarray, colour: str, width: float) -> VMobject:
        """A closed polyline through (w1, w2) `points`, clipped to the panel."""
        clipped = np.clip(
            points, [self.axes.x_range[0], self.axes.y_range[0]], [self.axes.x_range[1], self.axes.y_range[1]]
        )
        drawn = VMobject(stroke_color=colour, stroke_width=width)
        return drawn.set_points_as_corners([self.axes.c2p(*p) for p in clipped])

    @property
    def balls(self) -> list:
        """The runs' dots: the layout audit checks that none hides another's."""
        return list(self.dots)

    def at(self, i: int, k: int, s: float) -> np.ndarray:
        """Run i's (w1, w2) at step k + s (its last one once it has ended)."""
        path, last = self.paths[i], len(self.paths[i]) - 1
        a, b = path[min(k, last)], path[min(k + 1, last)]
        return a + s * (b - a)

    def set_step(self, k: int, s: float = 0.0) -> None:
        self.traces.reveal(k + s)
        for i, dot in enumerate(self.dots):
            point = self.axes.c2p(*self.at(i, k, s))
            inside = (
                np.all(np.isfinite(point))
                and self.box[0] <= point[0] <= self.box[2]
                and self.box[1] <= point[1] <= self.box[3]
            )
            dot.move_to(point if inside else self.axes.get_center()).set_opacity(1.0 if inside else 0.0)
        for ellipse, floor in zip(self.ellipses, self.floors):
            ellipse.set_stroke(opacity=1.0 if floor is not None and k >= floor else 0.0)


class NoiseLecture(Lecture):
    """Plain SGD at α, momentum and plain SGD at α/(1 − β) on the same batches (at β = 0 one run; for ema
    two): the question over a preview of their paths; the runs, with the batch gradient and the rule written
    onto them as they are said, each run's ellipse appearing as it reaches its floor; then a verdict whose
    every sentence lights up the runs it names (table row, ellipse, dot), replays their last quarter, marks
    the floor steps on the loss plot or draws the textbook model's ellipse beside the exact one."""

    TEACHES = Noise
    BEATS = ("intro", "predict", "run_noise", "verdict")
    TITLE = "noise_title"

    def setup(self) -> None:
        self.facts = self.subject.facts()
        self.runs_shown = story.noise_runs(self.subject)  # indices of the runs drawn

    def colour(self, i: int) -> str:
        return COLOURS[i]

    def labels(self) -> list[str]:
        return [self.subject.label(i) for i in range(len(self.subject.lessons))]

    def floor_step(self, i: int) -> int | None:
        """The step run i reached its floor (or settled) at, None if it did not."""
        o = self.facts["runs"][self.subject.label(i)]["outcome"]
        return o["step"] if o["outcome"] == "settled" else None

    def intro(self) -> None:
        self.show_title()
        self.set_stage()

    def set_stage(self) -> None:
        """The panel: its border, contours and names drawn; the runs' dots appear with the question."""
        s = self.subject
        runs = [
            (s.lessons[i].run.positions, self.colour(i), s.theories[i].covariance, self.floor_step(i))
            for i in self.runs_shown
        ]
        self.panel = NoisePanel(s.problem, runs, self.sign)
        self.panel.set_step(0, 0.0)
        self.play(Create(self.panel.still), run_time=0.5)

    def predict(self) -> None:
        """The question, with this run's values, over the runs' first steps (then back to the start)."""
        said = story.noise_predict(self.subject)
        with self.caption(said.key, claims=said.claims, **said.values):
            self.play(FadeIn(self.panel.moving), run_time=0.5)
            steps = min(PREVIEW, self.subject.params["steps"])
            self.sweep([self.panel], (0, steps), 2.2)
            self.sweep([self.panel], (steps, 0), 0.8)
            self.play(*(Indicate(d, scale_factor=1.8) for d in self.panel.dots), run_time=1.0)

    def losses(self) -> list[tuple[np.ndarray, str]]:
        """The loss plot's series: each drawn run's exact E[L] − L* (drawn wide, below), then its L − L*;
        capped at 10¹² (a diverging run's)."""
        s, floor = self.subject, self.subject.problem.lowest_loss
        cap = lambda v: np.nan_to_num(np.clip(v, 0, 1e12), nan=1e12)  # noqa: E731
        theory = [(cap(s.theories[i].expected_excess), self.colour(i)) for i in self.runs_shown]
        return theory + [(cap(s.lessons[i].run.losses - floor), self.colour(i)) for i in self.runs_shown]

    def run_noise(self) -> None:
        """The runs: paths, dots and ellipses on the panel, losses and their theory on the plot."""
        inset = self.loss_inset(INSET_X, self.losses(), "excess_loss", INSET_WIDTH, INSET_HEIGHT)
        for wide in inset.traces[: len(self.runs_shown)]:
            wide.set_stroke(width=9, opacity=0.35)
        self.inset = inset
        self.drive([self.panel, inset], self.run_cues(), shown=[self.panel])

    def schedule(self) -> Schedule:
        """Every step; watched at full pace until WATCH times the last floor step (the jitter at the floor is
        what the lecture is about), the rest a time-lapse."""
        n = max(self.subject.params["steps"], 1)
        ends = [self.floor_step(i) or n for i in self.runs_shown]
        return Schedule.for_steps(n, min(n, int(np.ceil(WATCH * max(ends)))))

    def inset_steps(self) -> int:
        """Every step: the spread is measured over the last quarter, which the plot shows."""
        return max(self.subject.params["steps"], 1)

    def batch_cue(self) -> tuple:
        """How a step's gradient is made, the batch gradient written as it is read."""
        b, n = self.subject.params["batch_size"], self.subject.params["samples"]
        mean = rf"\nabla L_{{B}} = \frac{{1}}{{{b}}} \sum_{{i \in B_t}} \nabla \ell_i"
        self.formulas = VGroup(
            math(mean, style.PANEL_SIZE), math(rf"|B_t| = {b},\ N = {n}", style.PANEL_SIZE)
        )
        self.formulas.arrange(DOWN, buff=0.12).move_to([*FORMULA_AT, 0])
        key = "noise_batch" if b < n else "noise_batch_full"
        return key, {"b": b, "n": n}, lambda: self.play(Write(self.formulas), run_time=2.0)

    def runs_caption(self) -> tuple[str, dict]:
        """The caption that names the runs (each lights up as it is read)."""
        p, lr2 = self.subject.params, fmt_param(self.subject.lessons[2].params["lr"])
        key = {1: "noise_runs_plain", 2: "noise_runs_ema", 3: "noise_runs"}[len(self.runs_shown)]
        return key, {"lr": fmt_param(p["lr"]), "beta": fmt_param(p["beta"]), "lr2": lr2}

    def run_cues(self) -> list[tuple]:
        """The batch gradient, the rule (written onto the running picture) and the runs, each lit up."""
        batch = self.batch_cue()
        rule = self.rule_group(RULE_AT, RULE_WIDTH)
        rule.next_to(self.formulas, DOWN, buff=0.22)  # a comparison's values take a line more
        key, values = self.rule_caption()
        runs, named = self.runs_caption()
        light = lambda: self.play(  # noqa: E731
            *(Indicate(d, scale_factor=2.0) for d in self.panel.dots), lag_ratio=0.5, run_time=2.0
        )
        return [
            batch,
            (key, values, lambda: self.play(Write(rule), run_time=2.0)),
            (runs, named, light),
        ]

    def run_tex(self, i: int) -> str:
        """Run i's name in the table: α and β with their values, α/(1 − β) (its value is in the captions)."""
        p = self.subject.lessons[i].params
        if i == 2:
            return r"\alpha/(1-\beta)"
        tex, value = (r"\alpha", p["lr"]) if i == 0 else (r"\beta", p["beta"])
        return self.number(f"{tex} = {fmt_param(value, 3, tex=True)}", tex=True)

    def table(self) -> VGroup:
        """One row per drawn run: its name in its colour, the measured RMS distance from the best fit over
        the last quarter, the exact theory's stationary spread, the step it reached its floor."""
        heads = ("noise_col_measured", "noise_col_theory", "noise_col_floor")
        cells = [math(r"\;"), *(label(self.words(key), style.SMALL_SIZE, style.MUTED) for key in heads)]
        for i in self.runs_shown:
            f = self.facts["runs"][self.subject.label(i)]
            m, p = f["spread"]["measured"], f["spread"]["predicted"]
            floor = self.floor_step(i)
            cells += [
                math(self.run_tex(i), style.PANEL_SIZE, self.colour(i)),
                label("—" if m is None else self.number(fmt_param(m, 3)), style.PANEL_SIZE - 2),
                label(
                    self.words("noise_unbounded") if p is None else self.number(fmt_param(p, 3)),
                    style.PANEL_SIZE - 2,
                ),
                label(self.words("noise_no_floor") if floor is None else str(floor), style.PANEL_SIZE - 2),
            ]
        grid = VGroup(*cells).arrange_in_grid(
            rows=len(self.runs_shown) + 1, cols=4, buff=(0.25, 0.14), col_alignments="lrrr"
        )
        return grid.scale_to_fit_width(min(grid.width, TABLE_WIDTH))

    def verdict(self) -> None:
        self.rows = self.table().move_to([COLUMN_X, 0, 0]).align_to([0, style.SAFE_TOP - 0.1, 0], UP)
        self.play(FadeOut(self.formulas), FadeOut(self.rule), FadeIn(self.rows), run_time=0.8)
        self.say_drawn(self.verdict_lines())

    def verdict_lines(self) -> list:
        return story.noise_verdict(self.subject)

    def named_runs(self, said) -> list[int]:
        """The drawn runs a verdict sentence is about (by its claims' labels), all of them if none is named."""
        labels, named = self.labels(), set()
        for claim in said.claims:
            named |= {claim[key] for key in ("run", "than") if key in claim}
            named |= set(claim.get("winners", ()))
        chosen = [i for i in self.runs_shown if labels[i] in named]
        return chosen or list(self.runs_shown)

    def row(self, i: int) -> VGroup:
        """Run i's row of the verdict table."""
        j = self.runs_shown.index(i) + 1
        return VGroup(*self.rows[4 * j : 4 * j + 4])

    def picture(self, said) -> None:
        """What a verdict sentence draws as it is read: the runs it names light up (row, ellipse, dot); the
        floor steps are marked on the loss plot for who reached its floor first; the textbook model's ellipse
        is drawn dashed beside the exact one; then the runs replay their last quarter, where spreads are measured."""
        chosen, kinds = self.named_runs(said), {claim["claim"] for claim in said.claims}
        shown = [Indicate(self.row(i), scale_factor=1.1) for i in chosen]
        shown += [Indicate(self.panel.dots[self.runs_shown.index(i)], scale_factor=2.0) for i in chosen]
        if "floor_first" in kinds:
            shown += [FadeIn(m) for m in self.floor_marks()]
        if said.key == "noise_additive":
            shown += self.once(f"textbook {chosen[0]}", lambda: self.textbook(chosen[0]))
        self.play(*shown, run_time=min(self.draw_time, 2.0))
        n = self.subject.params["steps"]  # every sentence is about the runs' last quarter: it is replayed
        if n > 1:
            self.sweep([self.panel, self.inset], (n - max(1, n // 4), n), max(self.draw_time - 2.0, 1.5))

    def floor_marks(self) -> list:
        """Marks on the loss plot where each drawn run reached its floor (made once)."""
        if getattr(self, "marked", None) is None:
            m = len(self.runs_shown)
            self.marked = [
                self.inset.mark(m + j, step, self.colour(i))
                for j, i in enumerate(self.runs_shown)
                if (step := self.floor_step(i)) is not None
            ]
            return self.marked
        return []

    def textbook(self, i: int) -> VMobject:
        """Run i's ellipse by the additive (textbook) model, dashed, on the panel."""
        cov = self.subject.theories[i].textbook
        best = self.subject.problem.minimizer()
        return DashedVMobject(
            self.panel.curve(ellipse_points(best[:2], np.asarray(cov)[:2, :2]), style.TEXT, 3), num_dashes=30
        )


class NoiseComparing(Comparing, NoiseLecture):
    """The noise lecture for 2 to 5 values of one option (β, α or the rule): one run per value on the same
    batches, each path, ellipse and loss in its colour, and a verdict table of their spreads."""

    TEACHES = NoiseComparison
    picture = NoiseLecture.picture

    def run_tex(self, i: int) -> str:
        return Comparing.run_tex(self, i)

    def runs_caption(self) -> tuple[str, dict]:
        return "noise_cmp_runs", {}

    def verdict_lines(self) -> list:
        return story.noise_compare_verdict(self.subject)

    def as_said(self, said: story.Line) -> story.Line:
        """The story's line with the runs' labels in the language (the name, the names of a tie)."""
        values = self.named_values(said.values)
        if isinstance(values.get("name"), str):
            values["name"] = self.named(values["name"])
        if isinstance(values.get("names"), captions.Listing):
            values["names"] = captions.Listing(map(self.named, values["names"]))
        return story.Line(said.key, values, said.claims)
