"""Lecture 3: the (α, β) map of momentum (after Goh, "Why Momentum Really Works", Distill 2017).
Beats: question, the map of ρ, the theory's curves, the run given by --lr/--beta, a tour of the regions."""

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
    DashedVMobject,
    FadeIn,
    FadeOut,
    ImageMobject,
    Line,
    Rectangle,
    Star,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
)

from gdcore import Landscape, Lesson, Outcome

from ..kit import style
from ..kit.lecture import Lecture
from ..kit.pieces import LossInset, axis_names, keep_inside, label, math, written_ticks
from ..words import captions, story
from ..words.captions import Phrase, fmt, fmt_param, wrap

# Layout, in frame coordinates (the frame is 14.2 × 8 units, origin at its centre).
MAP_AT, MAP_SIZE = (-3.2, 0.5), (6.0, 4.8)  # the map's axes: α across, β up
BAR_AT, BAR_SIZE = (0.75, 0.5), (0.25, 3.8)  # the colour bar, right of the map
LEGEND_AT = (4.4, 2.7)  # kept inside the frame
INSET_X, INSET_SIZE = 4.9, (2.0, 1.3)  # the run at the marker, its bottom on the caption band
SLOWEST = -4.0  # log10(1 − ρ) at the dark end of the colours: ρ = 0.9999

# Colours of the map: slow (dark) to fast (bright); divergence in its own colour (red, as elsewhere).
RAMP = np.array(
    [[0x1B, 0x14, 0x3A], [0x2F, 0x4B, 0x8C], [0x2A, 0x9D, 0x8F], [0x8F, 0xD1, 0x6A], [0xF4, 0xE2, 0x85]]
)
DIVERGENT = np.array([0x7A, 0x24, 0x2C])
BOUNDARY, CRITICAL, OPTIMUM = style.TEXT, "#FF6F91", style.TEXT  # curves stand apart from the map's colours


def colours(rho: np.ndarray) -> np.ndarray:
    """RGBA (uint8) of each cell: log10(1 − ρ) from SLOWEST (dark) to 0 (bright), red where ρ ≥ 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip(1 - np.log10(np.clip(1 - rho, 1e-12, 1)) / SLOWEST, 0, 1) * (len(RAMP) - 1)
    i = np.minimum(t.astype(int), len(RAMP) - 2)
    rgb = RAMP[i] + (t - i)[..., None] * (RAMP[i + 1] - RAMP[i])
    rgb[rho >= 1] = DIVERGENT
    return np.dstack([rgb, np.full(rho.shape, 255)]).astype(np.uint8)  # RGBA, as Manim's camera draws images


def map_axes(land: Landscape) -> Axes:
    top = float(land.lrs[-1] + land.lrs[0])
    step = 10.0 ** np.floor(np.log10(top / 2))
    step *= 2 if top / step > 8 else 1
    axes = Axes(
        x_range=[0, top, step],
        y_range=[0, 1, 0.2],
        x_length=MAP_SIZE[0],
        y_length=MAP_SIZE[1],
        tips=False,
        axis_config={"color": style.MUTED, "font_size": style.TICK_SIZE, "include_numbers": True},
        # no tick number within half a step of the end, where the axis is named
        x_axis_config={"numbers_to_include": np.arange(step, top - step / 2, step)},
        y_axis_config={"numbers_to_include": np.arange(0.2, 1.01, 0.2)},
    )
    return axes.move_to([*MAP_AT, 0])


def curve(axes: Axes, points: np.ndarray, colour: str, width: float = 4) -> VMobject:
    """A polyline through (α, β) points, kept inside the map."""
    inside = points[(points[:, 0] <= axes.x_range[1]) & (points[:, 0] >= 0)]
    line = VMobject(stroke_color=colour, stroke_width=width).set_points_as_corners(
        [axes.c2p(a, b) for a, b in inside]
    )
    return line.set_stroke(style.BACKGROUND, width + 4, background=True)  # a dark edge: seen on any colour


class LandscapeLecture(Lecture):
    TEACHES = Landscape
    BEATS = (
        "intro",
        "show_map",
        "show_theory",
        "predict",
        "show_run",
        "tour",
        "closing",
    )  # predict, then see
    TITLE, QUESTION = "ls_title", "ls_question"
    VERDICT = "show_run"

    # 2 — ρ over the plane: the heat map and its colour bar
    def show_map(self) -> None:
        land = self.subject
        self.axes = axes = written_ticks(map_axes(land), self.sign)
        image = ImageMobject(colours(land.rho)[::-1])  # row 0 of the image is the top: the largest β
        image.stretch_to_fit_width(axes.x_length).stretch_to_fit_height(axes.y_length)
        image.move_to(axes.c2p(axes.x_range[1] / 2, 0.5))
        names = VGroup(
            axis_names(axes, r"\alpha", r"\beta")[0],  # β above its axis: right of it is the map
            math(r"\beta", style.LABEL_SIZE).next_to(axes.y_axis, UP, buff=0.12),
        )
        bar = ImageMobject(
            colours(1 - 10.0 ** np.linspace(0, SLOWEST, 200)[:, None].repeat(2, axis=1))
        )  # fast on top
        bar.stretch_to_fit_width(BAR_SIZE[0]).stretch_to_fit_height(BAR_SIZE[1]).move_to([*BAR_AT, 0])
        ticks = VGroup(
            *(
                label(self.number(f"ρ = {fmt_param(1 - 10.0**-k)}"), style.SMALL_SIZE, style.MUTED).next_to(
                    bar.get_corner(UP + RIGHT) + DOWN * BAR_SIZE[1] * k / -SLOWEST, RIGHT, buff=0.1
                )
                for k in range(0, int(-SLOWEST) + 1)
            )
        )
        red = Rectangle(
            width=BAR_SIZE[0],
            height=0.3,
            fill_color="#{:02X}{:02X}{:02X}".format(*DIVERGENT),
            fill_opacity=1,
            stroke_width=0,
        ).next_to(bar, DOWN, buff=0.3)
        red_name = label("ρ ≥ 1", style.SMALL_SIZE, style.MUTED).next_to(red, RIGHT, buff=0.1)
        self.play(Create(axes), FadeIn(names), run_time=1.2)
        self.play(FadeIn(image), FadeIn(bar), FadeIn(ticks), FadeIn(red), FadeIn(red_name), run_time=1.5)
        problem = Phrase(f"ls_problem_{land.problem_name}", {"formula": land.problem.formula})
        self.tell("ls_map", variant=self.words(land.variant), problem=problem)

    # 3 — the theory over it: stability limit, critical damping, plain GD, Polyak's optimum
    def show_theory(self) -> None:
        land, axes = self.subject, self.axes
        boundary = DashedVMobject(curve(axes, land.boundary, BOUNDARY), num_dashes=40)
        critical = curve(axes, land.critical, CRITICAL)
        plain = Line(axes.c2p(0, 0), axes.c2p(axes.x_range[1], 0), color=style.GHOST, stroke_width=8)
        entries = [
            (Line(LEFT, RIGHT, color=BOUNDARY).scale(0.25), "ls_key_boundary"),
            (Line(LEFT, RIGHT, color=CRITICAL).scale(0.25), "ls_key_critical"),
            (Line(LEFT, RIGHT, color=style.GHOST, stroke_width=8).scale(0.25), "ls_key_gd"),
            (Circle(radius=0.12, color=style.BALL, stroke_width=5), "ls_key_run"),
        ]
        if land.optimum:
            entries.append((Star(outer_radius=0.14, color=OPTIMUM, fill_opacity=1), "ls_key_optimum"))
        legend = VGroup(
            *(
                VGroup(mark, label(wrap(self.words(key), style.KEY_CHARS), style.SMALL_SIZE)).arrange(
                    RIGHT, buff=0.2
                )
                for mark, key in entries
            )
        )  # a long word: two lines
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.16).move_to([*LEGEND_AT, 0])
        self.legend = keep_inside(legend.shift(DOWN * max(0.0, legend.get_top()[1] - style.SAFE_TOP)))
        self.play(FadeIn(legend), run_time=0.8)
        with self.caption("ls_boundary"):
            self.play(Create(boundary), run_time=1.5)
        with self.caption("ls_critical"):
            self.play(Create(critical), run_time=1.5)
        said = story.map_limit(land)
        with self.caption(said.key, claims=said.claims, **said.values):
            self.play(Create(plain), run_time=1.0)
        if land.optimum:
            lr, beta = land.optimum
            star = Star(outer_radius=0.14, color=OPTIMUM, fill_opacity=1).move_to(axes.c2p(lr, beta))
            with self.caption(
                "ls_optimum", lr=fmt_param(lr, 3), beta=fmt_param(beta, 3), kappa=fmt_param(land.kappa, 4)
            ):
                self.play(FadeIn(star, scale=2), run_time=0.8)

    # 4 — the run given on the command line, and what happened to it
    def show_run(self) -> None:
        one = self.subject.lesson
        self.marker = Circle(radius=0.12, color=style.BALL, stroke_width=5).move_to(self.at(one))
        self.inset = None
        self.play(FadeIn(self.marker, scale=3), run_time=0.8)
        self.show_inset(one)
        with self.caption("ls_run", **self.run_values(one)):
            self.reveal_inset(one)

    # 5 — one stop per region, with its run
    def tour(self) -> None:
        for region, one in self.subject.tour:
            self.play(self.marker.animate.move_to(self.at(one)), run_time=1.2)
            self.show_inset(one)
            with self.caption(f"ls_stop_{region}", **self.run_values(one)):
                self.reveal_inset(one)

    def closing(self) -> None:
        self.tell("ls_end", at_least=1.0)

    def at(self, one: Lesson) -> np.ndarray:
        """Where a run sits on the map (a run off the top of the α axis sits on its edge)."""
        return self.axes.c2p(min(one.params["lr"], self.axes.x_range[1]), one.params["beta"])

    def run_values(self, one: Lesson) -> dict:
        v = one.verdict
        key = {
            Outcome.DIVERGED: "ls_diverged",
            Outcome.CONVERGED: "ls_converged",
            Outcome.NOT_SETTLED: "ls_not_settled",
        }[v.outcome]
        rises = one.run.rises
        shape = (
            Phrase("ls_falls") if not rises else Phrase("ls_rises", {"m": rises, "count": one.run.last_step})
        )
        return dict(
            lr=fmt_param(one.params["lr"], 3),
            beta=fmt_param(one.params["beta"], 3),
            rho=fmt(v.rho),
            outcome=Phrase(key, {"k": v.step, "count": v.step}),
            shape=shape,
        )

    def show_inset(self, one: Lesson) -> None:
        """Replace the inset by the loss curve of `one` (revealed by reveal_inset)."""
        old = self.inset
        values = [
            rf"\alpha = {fmt_param(one.params['lr'], 3)}",
            rf"\beta = {fmt_param(one.params['beta'], 3)}",
        ]
        title = math(captions.listed(self.lang, values, tex=True), style.LABEL_SIZE, style.BALL)
        p = self.subject.problem
        floor = p.lowest_loss  # the loss above its minimum: the regression's L* is not 0

        def made(width: float) -> LossInset:
            return LossInset(
                [(one.run.losses - floor, style.BALL)],
                one.run.last_step,
                self.words("excess_loss" if floor else "loss_axis"),
                self.words("step"),
                width,
                INSET_SIZE[1],
                self.sign,
            )

        self.inset = VGroup(title, made(INSET_SIZE[0])).arrange(DOWN, buff=0.15).move_to([INSET_X, 0, 0])
        over = self.inset.get_right()[0] - style.SAFE_RIGHT
        if over > 0:  # a longer axis title in this language: a narrower plot, never a smaller text
            self.inset = VGroup(title, made(INSET_SIZE[0] - over)).arrange(DOWN, buff=0.15)
            self.inset.move_to([INSET_X - over / 2, 0, 0])
        keep_inside(self.inset.align_to([0, style.BAND_TOP + 0.05, 0], DOWN))
        self.inset.curve = self.inset[1]
        self.inset.curve.set_step(0)
        self.play(*([FadeOut(old)] if old else []), FadeIn(self.inset), run_time=0.6)

    def reveal_inset(self, one: Lesson) -> None:
        curve = self.inset.curve
        n = one.run.last_step
        self.play(
            UpdateFromAlphaFunc(curve.moving, lambda _, a: curve.set_step(int(a * n), a * n % 1)),
            run_time=3.0,
        )
