"""Lecture 3: the (α, β) map of momentum (after Goh, "Why Momentum Really Works", Distill 2017).
Beats: the map of ρ drawn as the question is asked; the run given by --lr/--beta marked on it, played beside
it, its ρ read off the colour bar; the theory's curves drawn as they are named, a stop in each region played
as the marker moves into it."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    PI,
    RIGHT,
    UP,
    Axes,
    Circle,
    Create,
    DashedLine,
    DashedVMobject,
    FadeIn,
    FadeOut,
    Group,
    ImageMobject,
    Indicate,
    Line,
    Rectangle,
    Star,
    Triangle,
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


def hex_colour(rgb: np.ndarray) -> str:
    """#RRGGBB of an RGB triple."""
    return "#{:02X}{:02X}{:02X}".format(*rgb)


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
    """The map drawn as the question is asked, the run asked for marked on it and played beside it with its
    ρ read off the colour bar; then the theory drawn as it is named, each region's stop played as the
    marker moves into it."""

    TEACHES = Landscape
    BEATS = ("intro", "predict", "show_run", "tour", "closing")  # predict, then see
    TITLE, QUESTION = "ls_title", "ls_question"
    VERDICT = "show_run"

    def set_stage(self) -> None:
        """The map's axes (its colours come in as the question is read)."""
        self.axes = axes = written_ticks(map_axes(self.subject), self.sign)
        names = VGroup(
            axis_names(axes, r"\alpha", r"\beta")[0],  # β above its axis: right of it is the map
            math(r"\beta", style.LABEL_SIZE).next_to(axes.y_axis, UP, buff=0.12),
        )
        self.play(Create(axes), FadeIn(names), run_time=1.0)

    def preview(self) -> None:
        """ρ over the plane, wiped in from α = 0 as the question is read; then the colour bar that reads it,
        ρ's pointer sliding down it from fast to slow to ρ ≥ 1, as ls_map names them."""
        axes = self.axes
        image = ImageMobject(colours(self.subject.rho)[::-1])  # row 0 of the image is the top: the largest β
        image.stretch_to_fit_width(axes.x_length).stretch_to_fit_height(axes.y_length)
        image.move_to(axes.c2p(axes.x_range[1] / 2, 0.5))
        cover = Rectangle(width=axes.x_length, height=axes.y_length + 0.02, stroke_width=0)
        cover.set_fill(style.BACKGROUND, 1).move_to(image).set_z_index(1)
        right = image.get_right()

        def wipe(m: Rectangle, a: float) -> None:
            m.stretch_to_fit_width(max(axes.x_length * (1 - a), 1e-3)).align_to(right, RIGHT)

        self.add(image, cover)
        self.play(UpdateFromAlphaFunc(cover, wipe), run_time=self.spread())
        self.remove(cover)
        said = story.map_intro(self.subject)
        self.scale, top = (
            self.colour_bar(),
            np.array([BAR_AT[0] - BAR_SIZE[0] / 2 - 0.16, BAR_AT[1] + BAR_SIZE[1] / 2, 0]),
        )
        self.pointer = self.rho_pointer(self.subject.lesson).move_to(top)
        with self.caption(said.key, **said.values):
            self.play(FadeIn(self.scale, shift=0.2 * LEFT), FadeIn(self.pointer), run_time=1.0)
            self.play(
                self.pointer.animate.move_to([top[0], self.red.get_y(), 0]), run_time=self.spread() - 1.0
            )

    def colour_bar(self) -> Group:
        """The colour bar, fast on top, its ρ ticks right of it and the red of ρ ≥ 1 under it."""
        bar = ImageMobject(colours(1 - 10.0 ** np.linspace(0, SLOWEST, 200)[:, None].repeat(2, axis=1)))
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
            width=BAR_SIZE[0], height=0.3, fill_color=hex_colour(DIVERGENT), fill_opacity=1, stroke_width=0
        ).next_to(bar, DOWN, buff=0.3)
        red_name = label("ρ ≥ 1", style.SMALL_SIZE, style.MUTED).next_to(red, RIGHT, buff=0.1)
        self.red = red
        return Group(bar, ticks, red, red_name)

    def predict(self) -> None:
        """The question about the run asked for, its ring put on the map where its α and β are."""
        said = story.predict(self.subject)
        one = self.subject.lesson
        self.marker = Circle(radius=0.12, color=style.BALL, stroke_width=5).move_to(self.at(one))
        self.legend = self.key_entries()
        with self.caption(said.key, claims=said.claims, **said.values):
            self.play(FadeIn(self.marker, scale=3), FadeIn(self.legend["run"]), run_time=1.0)
            self.guides = self.guide_lines(one)
            self.play(Create(self.guides), run_time=1.5)
            self.play(Indicate(self.marker, scale_factor=1.8), run_time=1.2)

    def guide_lines(self, one: Lesson) -> VGroup:
        """Dashed lines from the α and β axes to the run's ring: where its α and β are."""
        axes, at = self.axes, self.at(one)
        feet = axes.c2p(min(one.params["lr"], axes.x_range[1]), 0), axes.c2p(0, one.params["beta"])
        return VGroup(*(DashedLine(foot, at, color=style.BALL, stroke_width=2) for foot in feet))

    # the run asked for: its loss beside the map, its ρ read off the colour bar
    def show_run(self) -> None:
        one = self.subject.lesson
        self.inset = None
        with self.caption("ls_run", **self.run_values(one)):
            self.play(self.pointer.animate.move_to(self.pointer_at(one)), FadeOut(self.guides), run_time=1.0)
            self.show_inset(one)
            self.reveal_inset(one)

    # the theory drawn as it is named, one stop per region played as the marker moves into it
    def tour(self) -> None:
        land, axes, stops = self.subject, self.axes, dict(self.subject.tour)
        said = story.map_critical(land)
        with self.caption(said.key, claims=said.claims):
            self.draw_key("critical", curve(axes, land.critical, CRITICAL))
        for region in ("over-damped", "under-damped"):
            self.stop(region, stops[region])
        with self.caption("ls_boundary"):
            self.draw_key("boundary", DashedVMobject(curve(axes, land.boundary, BOUNDARY), num_dashes=40))
        self.stop("diverged", stops["diverged"])
        said = story.map_limit(land)
        with self.caption(said.key, claims=said.claims, **said.values):
            plain = Line(axes.c2p(0, 0), axes.c2p(axes.x_range[1], 0), color=style.GHOST, stroke_width=8)
            self.draw_key("gd", plain)
        if land.optimum:
            lr, beta = land.optimum
            star = Star(outer_radius=0.14, color=OPTIMUM, fill_opacity=1).move_to(axes.c2p(lr, beta))
            values = dict(lr=fmt_param(lr, 3), beta=fmt_param(beta, 3), kappa=fmt_param(land.kappa, 4))
            with self.caption("ls_optimum", **values):
                self.play(FadeIn(star, scale=2), FadeIn(self.legend["optimum"]), run_time=0.8)

    def stop(self, region: str, one: Lesson) -> None:
        """The marker and ρ's pointer move to a region's stop; its run plays beside the map as its caption
        is read; where the slowest direction creeps while the steepest swings, that is said over a replay."""
        with self.caption(f"ls_stop_{region}", **self.run_values(one)):
            self.play(
                self.marker.animate.move_to(self.at(one)),
                self.pointer.animate.move_to(self.pointer_at(one)),
                run_time=1.2,
            )
            self.show_inset(one)
            self.reveal_inset(one)
        steep = story.map_steep(self.subject, one)
        if steep is not None:
            with self.caption(steep.key, claims=steep.claims):
                self.play(Indicate(self.marker, scale_factor=1.6), run_time=0.8)
                self.reveal_inset(one)

    def closing(self) -> None:
        with self.caption("ls_end", at_least=1.0):
            self.play(Indicate(self.marker, scale_factor=1.6), Indicate(self.pointer), run_time=1.2)

    def key_entries(self) -> dict:
        """The legend's entries by name, placed (each comes in as what it names is drawn)."""
        entries = {
            "boundary": Line(LEFT, RIGHT, color=BOUNDARY).scale(0.25),
            "critical": Line(LEFT, RIGHT, color=CRITICAL).scale(0.25),
            "gd": Line(LEFT, RIGHT, color=style.GHOST, stroke_width=8).scale(0.25),
            "run": Circle(radius=0.12, color=style.BALL, stroke_width=5),
        }
        if self.subject.optimum:
            entries["optimum"] = Star(outer_radius=0.14, color=OPTIMUM, fill_opacity=1)
        rows = {
            name: VGroup(mark, label(wrap(self.words(f"ls_key_{name}"), style.KEY_CHARS), style.SMALL_SIZE))
            for name, mark in entries.items()
        }  # a long word: two lines
        for row in rows.values():
            row.arrange(RIGHT, buff=0.2)
        legend = VGroup(*rows.values()).arrange(DOWN, aligned_edge=LEFT, buff=0.16).move_to([*LEGEND_AT, 0])
        keep_inside(legend.shift(DOWN * max(0.0, legend.get_top()[1] - style.SAFE_TOP)))
        return rows

    def draw_key(self, name: str, drawn: VMobject) -> None:
        """Draw a curve of the theory on the map, its legend entry with it."""
        self.play(Create(drawn), FadeIn(self.legend[name]), run_time=self.spread())

    def spread(self) -> float:
        """Seconds a caption's picture moves for: most of the time the caption is read."""
        return max(1.5, self.needs[-1] - 4.0)

    def rho_pointer(self, one: Lesson) -> Triangle:
        """A triangle left of the colour bar pointing at the run's ρ (at the red of ρ ≥ 1 when it diverges)."""
        pointer = Triangle(color=style.BALL, fill_opacity=1, stroke_width=0).rotate(-PI / 2).scale(0.12)
        return pointer.move_to(self.pointer_at(one))

    def pointer_at(self, one: Lesson) -> np.ndarray:
        """Where ρ's pointer sits for a run: at its ρ on the colour bar, the bar's log scale."""
        rho, x = one.verdict.rho, BAR_AT[0] - BAR_SIZE[0] / 2 - 0.16
        if rho >= 1:
            return np.array([x, self.red.get_y(), 0.0])
        depth = (
            min(-np.log10(max(1 - rho, 1e-12)), -SLOWEST) / -SLOWEST
        )  # 0 at the top (fast), 1 at ρ = 0.9999
        return np.array([x, BAR_AT[1] + BAR_SIZE[1] * (0.5 - depth), 0.0])

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
