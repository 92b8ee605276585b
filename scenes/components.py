"""Visual pieces shared by the lectures: caption bar, ball, labelled arrow, readout panel, loss inset."""
from __future__ import annotations

from typing import Sequence

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Axes, BackgroundRectangle, Circle, MathTex, Text, VGroup,
                   VMobject)

from . import style
from .captions import fmt, wrap


def caption_bar(line: str) -> VGroup:
    """The caption at the bottom of the frame: wrapped to two lines at most, on a dark band."""
    words = Text(wrap(line, style.CAPTION_CHARS), font=style.FONT, font_size=style.CAPTION_SIZE,
                 color=style.TEXT, line_spacing=0.8)
    if words.width > style.CAPTION_WIDTH:
        words.scale_to_fit_width(style.CAPTION_WIDTH)
    words.move_to([0, style.CAPTION_Y, 0])
    band = BackgroundRectangle(words, color=style.BACKGROUND, fill_opacity=0.85, buff=0.12)
    return VGroup(band, words)


def math(tex: str, size: float = style.BODY_SIZE, color: str = style.TEXT) -> MathTex:
    return MathTex(tex, font_size=size, color=color)


def label(words: str, size: float = style.SMALL_SIZE, color: str = style.TEXT) -> Text:
    return Text(words, font=style.FONT, font_size=size, color=color)


def ball(color: str = style.BALL, radius: float = 0.16, opacity: float = 1.0) -> Circle:
    return Circle(radius=radius, color=color, fill_color=color, fill_opacity=opacity, stroke_width=2,
                  stroke_opacity=opacity)


class StepArrow(VGroup):
    """An arrow with a label, drawn from a point. `show(origin, vector)` rebuilds the arrow only when the
    vector changes (once per step) and otherwise just moves it, so per-frame work stays small."""

    def __init__(self, tex: str, color: str, min_length: float = 0.06, width: float = 5):
        self.arrow = Arrow(LEFT, RIGHT, buff=0, color=color, stroke_width=width)
        self.text = math(tex, style.LABEL_SIZE, color)
        super().__init__(self.arrow, self.text)
        self.color_, self.width_, self.min_length, self.vector = color, width, min_length, None

    def show(self, origin: np.ndarray, vector: np.ndarray) -> None:
        vector = np.asarray(vector, dtype=float)
        if self.vector is None or not np.array_equal(vector, self.vector):
            self.vector = vector
            length = np.linalg.norm(vector)
            visible = length >= self.min_length
            direction = vector / length if visible else RIGHT
            end = origin + (vector if visible else direction * self.min_length)
            self.arrow.become(Arrow(origin, end, buff=0, color=self.color_, stroke_width=self.width_,
                                    max_tip_length_to_length_ratio=0.35, max_stroke_width_to_length_ratio=8))
            self.set_opacity(1.0 if visible else 0.0)
            self.direction = direction
        else:
            self.arrow.shift(origin - self.arrow.get_start())
        self.text.next_to(self.arrow.get_end(), self.direction, buff=0.08)


class Glyphs:
    """Number glyphs rendered once, so a changing number only swaps point arrays (a new Text per step costs
    ~20 ms). The font is monospaced: glyph i of a string sits i advances to the right of the first."""

    CHARS = "0123456789.-+e"

    def __init__(self, size: float, font: str = style.MONO):
        atlas = Text(self.CHARS, font=font, font_size=size)
        self.advance = (atlas[-1].get_x() - atlas[0].get_x()) / (len(self.CHARS) - 1)
        origin = atlas[0].get_center()  # middle of the first cell, on the digits' mid-height
        self.points = {c: glyph.points - origin - i * self.advance * RIGHT
                       for i, (c, glyph) in enumerate(zip(self.CHARS, atlas))}


class Readout(VGroup):
    """A panel of labelled numbers. Each value is a row of glyph slots created once; `show(values)` only
    rewrites the points of the slots whose text changed."""

    SLOTS = 11  # the longest text fmt() makes: -1.234e-100

    def __init__(self, labels: Sequence[tuple[str, str]]):
        self.names = VGroup(*(math(tex, style.PANEL_SIZE, color) for tex, color in labels))
        self.names.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        self.glyphs = Glyphs(style.PANEL_SIZE - 4)
        self.values = VGroup(*(VGroup(*(VMobject(fill_color=color, fill_opacity=1, stroke_width=0)
                                        for _ in range(self.SLOTS))) for _, color in labels))
        self.shown: list[str | None] = [None] * len(labels)
        super().__init__(self.names, self.values)
        self.still, self.moving = self.names, self.values

    def show(self, values: Sequence[str]) -> None:
        first = self.names.get_right() + RIGHT * (0.35 + self.glyphs.advance / 2)
        for name, row, text, i in zip(self.names, self.values, values, range(len(values))):
            if text == self.shown[i]:
                continue
            self.shown[i] = text
            start = np.array([first[0], name.get_y(), 0.0])
            for k, slot in enumerate(row):
                slot.points = (self.glyphs.points[text[k]] + start + k * self.glyphs.advance * RIGHT
                               if k < len(text) else np.zeros((0, 3)))

    def show_numbers(self, numbers: Sequence[float], step: int) -> None:
        self.show([str(step), *(fmt(v) for v in numbers)])


class Traces(VGroup):
    """Polylines through given axes coordinates, revealed up to a (fractional) step with `reveal(step)`.
    Points are kept relative to the axes' origin, so the axes can be moved after the traces are made."""

    def __init__(self, axes: Axes, curves: Sequence[tuple[np.ndarray, np.ndarray, str]], width: float = 3):
        origin = axes.get_origin()
        self.axes, self.curves = axes, []
        for xs, ys, color in curves:
            idx = np.unique(np.linspace(0, len(xs) - 1, min(len(xs), 300)).astype(int))  # enough for the eye
            self.curves.append((idx, np.array([axes.c2p(xs[i], ys[i]) for i in idx]) - origin))
        super().__init__(*(VMobject(stroke_color=color, stroke_width=width) for *_, color in curves))
        self.reveal(0)

    def reveal(self, step: float) -> None:
        origin = self.axes.get_origin()
        for (idx, points), drawn in zip(self.curves, self):
            n = int(np.searchsorted(idx, step, side="right"))
            shown = points[:n]
            if 0 < n < len(idx):
                frac = (step - idx[n - 1]) / (idx[n] - idx[n - 1])
                shown = np.vstack([shown, points[n - 1] + frac * (points[n] - points[n - 1])])
            if len(shown) < 2:
                shown = np.vstack([points[:1], points[:1]])
            drawn.set_points_as_corners(shown + origin)


class LossInset(VGroup):
    """A loss-like series (log₁₀) against step for one or more runs, revealed step by step."""

    FLOOR = 1e-10  # values below this are drawn at the floor: the picture is about the approach

    def __init__(self, runs: Sequence[tuple[np.ndarray, str]], last_step: int, y_title: str,
                 x_title: str, width: float = 4.4, height: float = 1.5):
        logs = [np.log10(np.maximum(values[: last_step + 1], self.FLOOR)) for values, _ in runs]
        low = np.floor(min(lg.min() for lg in logs))
        span = max(np.ceil(max(lg.max() for lg in logs)) - low, 1)
        # y is drawn as log10(value) − low so the step axis sits at the bottom; ticks are labelled 10^k.
        tick = max(1, int(np.ceil(span / 3)))
        self.axes = Axes(x_range=[0, max(last_step, 1), max(1, int(np.ceil(last_step / 4)))],
                         y_range=[0, span, tick], x_length=width, y_length=height, tips=False,
                         axis_config={"color": style.MUTED, "stroke_width": 2, "font_size": style.SMALL_SIZE},
                         x_axis_config={"include_numbers": True})
        self.axes.y_axis.add_labels({k: math(f"10^{{{int(k + low)}}}", style.SMALL_SIZE, style.MUTED)
                                     for k in range(0, int(span) + 1, tick)})
        titles = VGroup(label(y_title, style.SMALL_SIZE, style.MUTED).next_to(self.axes, UP, buff=0.08)
                        .align_to(self.axes, LEFT),
                        label(x_title, style.SMALL_SIZE, style.MUTED).next_to(self.axes.x_axis, RIGHT, buff=0.1))
        self.traces = Traces(self.axes, [(np.arange(len(lg)), lg - low, color)
                                         for lg, (_, color) in zip(logs, runs)])
        super().__init__(self.axes, titles, self.traces)
        self.still, self.moving = VGroup(self.axes, titles), self.traces

    def reveal(self, step: float) -> None:
        self.traces.reveal(step)
