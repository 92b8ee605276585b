"""Visual pieces shared by the lectures: caption bar, ball, labelled arrow, readout panel, loss inset, a
ball rolling on a curve.

A piece of a run has `set_step(k, s)`: it shows step k, or s ∈ [0, 1) of the way from step k to k + 1. Its
`still` parts never change (drawn once into the static background), its `moving` parts are redrawn."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    DL,
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Arrow,
    Axes,
    BackgroundRectangle,
    Circle,
    DashedVMobject,
    DecimalNumber,
    Line,
    MathTex,
    Mobject,
    Text,
    VGroup,
    VMobject,
)

from gdcore import Problem

from ..words.captions import fmt, tex_sign, wrap
from . import style


def caption_bar(line: str) -> VGroup:
    """The caption at the bottom of the frame: wrapped to two lines at most, on a dark band."""
    words = Text(
        wrap(line, style.CAPTION_CHARS),
        font=style.FONT,
        font_size=style.CAPTION_SIZE,
        color=style.TEXT,
        line_spacing=0.8,
    )
    if words.width > style.CAPTION_WIDTH:
        words.scale_to_fit_width(style.CAPTION_WIDTH)
    words.move_to([0, style.CAPTION_Y, 0])
    band = BackgroundRectangle(words, color=style.BACKGROUND, fill_opacity=0.85, buff=0.12)
    return VGroup(band, words)


def math(tex: str, size: float = style.BODY_SIZE, color: str = style.TEXT) -> MathTex:
    """TeX that reads as large as label() text of the same `size`."""
    return MathTex(tex, font_size=size * style.TEX_SCALE, color=color)


def tick_value(tex: str, color: str = style.MUTED) -> MathTex:
    """An axis tick's value in TeX, as large as Manim's own tick numbers at style.TICK_SIZE."""
    mark = MathTex(tex, font_size=style.TICK_SIZE, color=color)
    mark.tick = True  # the audit holds tick values to the smaller size of axis numbers
    return mark


def written_number(number: DecimalNumber, sign: str) -> DecimalNumber:
    """Manim's number `number` (a DecimalNumber: a glyph per character, as NumberLine makes its tick numbers)
    written with the decimal sign `sign`: its "." glyph becomes the sign's, its dot where the "." was, and no
    digit grouping (a "," would read as the decimal sign). Its value (get_value) is unchanged; `written` is
    its text as shown ("0,5"). With "." it is left as Manim made it."""
    value = number.get_value()
    if sign == ".":
        return number
    if number.group_with_commas:
        number.group_with_commas, centre = False, number.get_center()
        number.set_value(value).move_to(centre)  # Manim's own rebuild, without the thousands' commas
    shown = f"{value:{'+' if number.include_sign else ''}.{number.num_decimal_places}f}"
    shown = (
        shown.lstrip("-")
        if not number.include_sign and round(value, number.num_decimal_places) == 0
        else shown
    )
    number.written = shown.replace(".", sign)
    if "." in shown and len(number.submobjects) >= len(shown):
        dot = number[shown.index(".")]
        glyph = MathTex(tex_sign(sign)).scale(dot.height / MathTex(".").height)  # as large as the "." was
        number[shown.index(".")].become(glyph.match_style(dot).align_to(dot, UP).set_x(dot.get_x()))
    return number


def written_ticks(axes: Axes, sign: str) -> Axes:
    """`axes` with every tick number of its axes written with the decimal sign `sign` (written_number)."""
    for axis in axes.get_axes():
        for number in getattr(axis, "numbers", []):
            written_number(number, sign)
    return axes


def axis_names(axes: Axes, x_tex: str, y_tex: str) -> VGroup:
    """The names of a plot's axes: x below the right end of its axis, y right of the top of its axis (clear
    of the axis line and its top tick)."""
    return VGroup(
        axes.get_x_axis_label(math(x_tex, style.LABEL_SIZE), edge=RIGHT, direction=DOWN),
        math(y_tex, style.LABEL_SIZE).next_to(axes.y_axis.get_end(), RIGHT, buff=0.25),
    )


def label(words: str, size: float = style.SMALL_SIZE, color: str = style.TEXT) -> Text:
    return Text(words, font=style.FONT, font_size=size, color=color)


def ball(color: str = style.BALL, radius: float = 0.16, opacity: float = 1.0) -> Circle:
    return Circle(
        radius=radius,
        color=color,
        fill_color=color,
        fill_opacity=opacity,
        stroke_width=2,
        stroke_opacity=opacity,
    )


SAFE_BOX = (
    np.array([-style.SAFE_RIGHT, style.BAND_TOP, 0.0]),
    np.array([style.SAFE_RIGHT, style.SAFE_TOP, 0.0]),
)


def keep_inside(mobject: Mobject, box: tuple[np.ndarray, np.ndarray] = SAFE_BOX) -> Mobject:
    """`mobject` shifted, if need be, into `box` (its lower-left and upper-right corners; by default the
    frame's safe area above the caption band, 3 % inside its edges)."""
    low, high = mobject.get_corner(DL), mobject.get_corner(UR)
    shift = np.maximum(box[0] - low, 0) - np.maximum(high - box[1], 0)
    return mobject.shift(shift * [1, 1, 0]) if shift.any() else mobject


class StepArrow(VGroup):
    """An arrow with a label, drawn from a point. `show(origin, vector)` rebuilds the arrow only when the
    vector changes (once per step) and otherwise just moves it, so per-frame work stays small. The label stays
    inside `frame` (a panel's border), or else inside the safe area."""

    def __init__(self, tex: str, color: str, min_length: float = 0.06, width: float = 5, frame=None):
        self.arrow = Arrow(LEFT, RIGHT, buff=0, color=color, stroke_width=width)
        self.text = math(tex, style.LABEL_SIZE, color)
        # a dark patch under the label: an axis or curve behind it never runs through it
        self.back = BackgroundRectangle(self.text, color=style.BACKGROUND, fill_opacity=0.85, buff=0.04)
        super().__init__(self.arrow, self.back, self.text)
        self.color_, self.width_, self.min_length, self.vector = color, width, min_length, None
        self.frame = frame  # a panel's frame the label stays inside (None: the safe area)

    def show(self, origin: np.ndarray, vector: np.ndarray) -> None:
        vector = np.asarray(vector, dtype=float)
        if self.vector is None or not np.array_equal(vector, self.vector):
            self.vector = vector
            length = np.linalg.norm(vector)
            visible = length >= self.min_length
            direction = vector / length if visible else RIGHT
            end = origin + (vector if visible else direction * self.min_length)
            self.arrow.become(
                Arrow(
                    origin,
                    end,
                    buff=0,
                    color=self.color_,
                    stroke_width=self.width_,
                    max_tip_length_to_length_ratio=0.35,
                    max_stroke_width_to_length_ratio=8,
                )
            )
            self.set_opacity(1.0 if visible else 0.0)
            self.direction = direction
        else:
            self.arrow.shift(origin - self.arrow.get_start())
        self.text.next_to(self.arrow.get_end(), self.direction, buff=0.08)
        keep_inside(
            self.text,
            SAFE_BOX if self.frame is None else (self.frame.get_corner(DL), self.frame.get_corner(UR)),
        )
        self.back.move_to(self.text)


class Marker(Text):
    """A label whose words change as a run goes (where a ball went): `say(words)` draws them in place of its
    glyphs (become: the family Manim draws stays this one) and keeps `text` current, which become alone does
    not (the layout audit reads it); `hide()`. `back`: the dark patch under it (drawn before it, lines below
    do not run through it), made for the words by say() and moved under them by `fit()` once they are placed."""

    def __init__(self, colour: str, size: float = style.LABEL_SIZE):
        super().__init__("", font=style.FONT, font_size=size, color=colour)
        self.colour, self.size, self.shown = colour, size, None  # shown: its words, None while hidden
        self.back = BackgroundRectangle(label("x"), color=style.BACKGROUND, fill_opacity=0)
        self.set_opacity(0)

    def say(self, words: str) -> bool:
        """Show `words` (at the origin: place them, then fit()); whether they were not shown already."""
        if words == self.shown:
            return False
        drawn = label(words, self.size, self.colour)
        self.become(drawn)
        self.text, self.original_text, self.shown = drawn.text, drawn.original_text, words
        self.back.become(BackgroundRectangle(self, color=style.BACKGROUND, fill_opacity=0.85, buff=0.05))
        return True

    def fit(self) -> None:
        self.back.move_to(self)

    def hide(self) -> None:
        if self.shown is not None:
            self.set_opacity(0)
            self.back.set_fill(opacity=0)
            self.shown = None


class Glyphs:
    """Number glyphs rendered once, so a changing number only swaps point arrays (a new Text per step costs
    ~20 ms). The font is monospaced: glyph i of a string sits i advances to the right of the first."""

    CHARS = "0123456789.-+e,"  # the decimal comma last: "0" to "e" set the advance, as before it was there

    def __init__(self, size: float, font: str = style.MONO):
        atlas = Text(self.CHARS, font=font, font_size=size)
        last = self.CHARS.index("e")
        self.advance = (atlas[last].get_x() - atlas[0].get_x()) / last
        origin = atlas[0].get_center()  # middle of the first cell, on the digits' mid-height
        self.points = {
            c: glyph.points - origin - i * self.advance * RIGHT
            for i, (c, glyph) in enumerate(zip(self.CHARS, atlas))
        }

    def below(self, char: str) -> float:
        """How far glyph `char` reaches under the digits (a comma's tail; 0 for "."), in scene units."""
        return max(0.0, float(self.points["0"][:, 1].min() - self.points[char][:, 1].min()))


class Readout(VGroup):
    """A panel of labelled numbers: the step, then one row per series (series[i][k] at step k, the last value
    once a series ends). Each value is a row of glyph slots created once; `show(values)` only rewrites the
    points of the slots whose text changed."""

    SLOTS = 11  # the longest text fmt() makes: -1.234e-100

    def __init__(self, labels: Sequence[tuple[str, str]], series: Sequence[np.ndarray] = (), sign: str = "."):
        self.series, self.sign = series, sign  # the decimal sign of the language its numbers are read in
        self.names = VGroup(*(math(tex, style.LABEL_SIZE, color) for tex, color in labels))
        self.glyphs = Glyphs(style.PANEL_SIZE - 2)
        # rows as far apart as with ".": a comma's tail does not reach the row below
        self.names.arrange(DOWN, aligned_edge=LEFT, buff=0.12 + self.glyphs.below(sign))
        self.values = VGroup(
            *(
                VGroup(
                    *(VMobject(fill_color=color, fill_opacity=1, stroke_width=0) for _ in range(self.SLOTS))
                )
                for _, color in labels
            )
        )
        self.values.readout_rows = True  # the audit reads each row as a text wherever the rows are drawn
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
                slot.points = (
                    self.glyphs.points[text[k]] + start + k * self.glyphs.advance * RIGHT
                    if k < len(text)
                    else np.zeros((0, 3))
                )

    def show_numbers(self, numbers: Sequence[float], step: int) -> None:
        self.show([str(step), *(fmt(v).replace(".", self.sign) for v in numbers)])

    def set_step(self, k: int, s: float = 0.0) -> None:
        self.show_numbers([values[min(k, len(values) - 1)] for values in self.series], k)


class Traces(VGroup):
    """Polylines through given axes coordinates, revealed up to a (fractional) step with `reveal(step)`.
    Points are kept relative to the axes' origin, so the axes can be moved after the traces are made. With
    `clip` (a scene box x0, y0, x1, y1), only their parts inside it are drawn (a path that leaves the box and
    comes back is cut where it left and resumes where it came back)."""

    def __init__(
        self,
        axes: Axes,
        curves: Sequence[tuple[np.ndarray, np.ndarray, str]],
        width: float = 3,
        clip: np.ndarray | None = None,
    ):
        origin = axes.get_origin()
        self.clip = None if clip is None else np.asarray(clip, dtype=float) - np.tile(origin[:2], 2)
        self.axes, self.curves = axes, []
        for xs, ys, _color in curves:
            idx = np.unique(np.linspace(0, len(xs) - 1, min(len(xs), 300)).astype(int))  # enough for the eye
            self.curves.append((idx, np.array([axes.c2p(xs[i], ys[i]) for i in idx]) - origin))
        super().__init__(*(VMobject(stroke_color=color, stroke_width=width) for *_, color in curves))
        self.reveal(0)

    def set_step(self, k: int, s: float = 0.0) -> None:
        self.reveal(k + s)

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
            if self.clip is None:
                drawn.set_points_as_corners(shown + origin)
            else:
                drawn.set_points(clipped_polyline(shown + origin, self.clip + np.tile(origin[:2], 2)))


def clipped_polyline(points: np.ndarray, box: np.ndarray) -> np.ndarray:
    """The Bézier points (4 per segment, (4k, 3)) of the parts inside `box` (x0, y0, x1, y1) of the polyline
    through `points` (n, 3): each segment with an end in the box cut to it (Liang–Barsky; one that only
    passes through, from beyond it to beyond it, is a jump the view did not show: not drawn); consecutive
    parts meet, so Manim draws them as one path, and a gap where the polyline is outside starts a new one."""
    a, d = points[:-1, :2], np.diff(points[:, :2], axis=0)
    t0, t1 = np.zeros(len(a)), np.ones(len(a))
    for axis in (0, 1):
        flat, start = d[:, axis] == 0, a[:, axis]
        within = (box[axis] <= start) & (start <= box[axis + 2])
        with np.errstate(divide="ignore", invalid="ignore"):
            ta, tb = (box[axis] - start) / d[:, axis], (box[axis + 2] - start) / d[:, axis]
        t0 = np.maximum(t0, np.where(flat, np.where(within, -np.inf, np.inf), np.minimum(ta, tb)))
        t1 = np.minimum(t1, np.where(flat, np.where(within, np.inf, -np.inf), np.maximum(ta, tb)))
    ends_in = np.all((box[:2] <= points[:, :2]) & (points[:, :2] <= box[2:]), axis=1)
    keep = (t0 <= t1) & (ends_in[:-1] | ends_in[1:])
    starts, ends = a[keep] + t0[keep, None] * d[keep], a[keep] + t1[keep, None] * d[keep]
    thirds = np.array([0, 1 / 3, 2 / 3, 1])[None, :, None]
    curves = starts[:, None] + thirds * (ends - starts)[:, None]  # (k, 4, 2): straight Bézier segments
    return np.concatenate([curves, np.zeros((*curves.shape[:2], 1))], axis=2).reshape(-1, 3)


class LossInset(VGroup):
    """A loss-like series (log₁₀) against step for one or more runs, revealed step by step."""

    FLOOR = 1e-10  # values below this are drawn at the floor: the picture is about the approach

    def __init__(
        self,
        runs: Sequence[tuple[np.ndarray, str]],
        last_step: int,
        y_title: str,
        x_title: str,
        width: float = 4.4,
        height: float = 1.5,
        sign: str = ".",
    ):
        logs = [np.log10(np.maximum(values[: last_step + 1], self.FLOOR)) for values, _ in runs]
        low = np.floor(min(lg.min() for lg in logs))
        span = max(np.ceil(max(lg.max() for lg in logs)) - low, 1)
        # y is drawn as log10(value) − low so the step axis sits at the bottom; ticks are labelled 10^k.
        tick = max(1, int(np.ceil(span / 3)))
        self.axes = Axes(
            x_range=[0, max(last_step, 1), max(1, int(np.ceil(last_step / 4)))],
            y_range=[0, span, tick],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"color": style.MUTED, "stroke_width": 2, "font_size": style.TICK_SIZE},
            x_axis_config={"include_numbers": True},
        )
        written_ticks(self.axes, sign)  # step numbers: ungrouped where the decimal sign is a comma
        self.axes.y_axis.add_labels(
            {k: tick_value(f"10^{{{int(k + low)}}}") for k in range(0, int(span) + 1, tick)}
        )
        titles = VGroup(
            label(y_title, style.SMALL_SIZE, style.MUTED)
            .next_to(self.axes, UP, buff=0.08)
            .align_to(self.axes, LEFT),
            label(x_title, style.SMALL_SIZE, style.MUTED).next_to(self.axes.x_axis, RIGHT, buff=0.1),
        )
        self.traces = Traces(
            self.axes, [(np.arange(len(lg)), lg - low, color) for lg, (_, color) in zip(logs, runs)]
        )
        self.logs, self.low, self.span = logs, low, span
        super().__init__(self.axes, titles, self.traces)
        self.still, self.moving = VGroup(self.axes, titles), self.traces

    def set_step(self, k: int, s: float = 0.0) -> None:
        self.traces.reveal(k + s)

    def at(self, k: float, log_value: float) -> np.ndarray:
        """The scene point of step k and log₁₀(value), clipped to the plot's range."""
        last = self.axes.x_range[1]
        return self.axes.c2p(float(np.clip(k, 0, last)), float(np.clip(log_value - self.low, 0, self.span)))

    def envelope(self, run: int, rho: float, colour: str) -> VMobject:
        """The theory's line for run `run`: its loss shrinks (or grows) by ρ² a step, a straight line of slope
        2·log₁₀ ρ on this log scale, laid on the run's peaks (the most its loss rises above ρ^{2k} after its
        first step); dashed, in `colour`, cut where it leaves the plot."""
        logs = self.logs[run]
        k = np.arange(len(logs))
        slope = 2 * np.log10(max(rho, 1e-300))
        seen = (logs > np.log10(self.FLOOR) + 1e-9) & (k >= min(1, len(logs) - 1))
        base = float(np.max((logs - slope * k)[seen])) if seen.any() else float(logs[0])
        last = self.axes.x_range[1]
        ks = np.linspace(0, last, 120)
        values = base + slope * ks
        inside = (values - self.low >= 0) & (values - self.low <= self.span)
        points = [self.axes.c2p(x, v - self.low) for x, v in zip(ks[inside], values[inside])]
        line = VMobject(stroke_color=colour, stroke_width=3).set_points_as_corners(
            points or [self.at(0, 0)] * 2
        )
        return DashedVMobject(line, num_dashes=24)

    def named(self, line: VMobject, name: Mobject) -> VGroup:
        """`line` with `name` (its ρ, in its colour) above the plot's right end, above the names given before
        it, on a dark patch (inside the plot a trace would run through it)."""
        self.names_given = getattr(self, "names_given", 0) + 1
        corner = self.axes.get_corner(UR) + UP * (0.1 + 0.48 * (self.names_given - 1))
        name.next_to(corner, UL, buff=0.0)
        back = BackgroundRectangle(name, color=style.BACKGROUND, fill_opacity=0.85, buff=0.04)
        return VGroup(line, back, name)

    def edge(self) -> VMobject:
        """ρ = 1: the flat line through the first run's starting loss; a run whose loss climbs above it for
        good diverges, one below it shrinks."""
        start = float(self.logs[0][0])
        line = VMobject(stroke_color=style.BAD, stroke_width=2.5)
        line.set_points_as_corners([self.at(0, start), self.at(self.axes.x_range[1], start)])
        return DashedVMobject(line, num_dashes=20)

    def mark(self, run: int, k: int, colour: str) -> VGroup:
        """A dot on run `run`'s trace at step k and a tick down to the step axis: where it settled or
        diverged."""
        point = self.at(k, float(self.logs[run][min(k, len(self.logs[run]) - 1)]))
        bottom = self.axes.c2p(min(k, self.axes.x_range[1]), 0)
        return VGroup(
            Line(bottom, point, color=colour, stroke_width=2),
            Circle(radius=0.07, color=colour, fill_opacity=1).move_to(point),
        )


def inset_at(
    x: float,
    runs,
    last_step: int,
    y_title: str,
    x_title: str,
    width: float = 4.4,
    height: float = 1.5,
    sign: str = ".",
) -> LossInset:
    """A LossInset centred on x, its bottom just above the caption band. When its step axis title (longer in
    some languages) would cross the right safe margin, its plot is made narrower by as much, its left edge
    kept: the words never get smaller."""
    inset = LossInset(runs, last_step, y_title, x_title, width, height, sign)
    inset.move_to([x, 0, 0]).align_to([0, style.BAND_TOP + 0.05, 0], DOWN)
    over = inset.get_right()[0] - style.SAFE_RIGHT
    if over <= 0:
        return inset
    narrow = LossInset(runs, last_step, y_title, x_title, width - over, height, sign)
    return narrow.align_to(inset, LEFT).align_to(inset, DOWN)


class BallOnCurve(VGroup):
    """A ball rolling along y = f(x) on `axes` through `xs` (x at each step; it stays at the last one once they
    end). Optional: `arrows`, per-step vectors in x units drawn to scale above the ball, each (values, TeX
    label, colour), stacked upwards; a fading `trail` of its last positions; an `escape` marker, in the colour
    given, that says where it went once it has left the view (row `escape_row` of the markers). Outside the view the
    ball and its arrows are hidden."""

    ARROW_GAP = 0.4  # scene units between stacked arrows
    arrows_on = True  # False: its arrows are not drawn yet (a lecture introduces them: show_arrows)
    MAX_ARROW = 3.5  # scene units: a longer arrow is cut here so it stays inside the frame

    def __init__(
        self,
        axes: Axes,
        f,
        xs: np.ndarray,
        color: str = style.BALL,
        opacity: float = 1.0,
        arrows: Sequence[tuple[np.ndarray, str, str]] = (),
        trail: int = 0,
        escape: str | None = None,
        radius: float = 0.16,
        escape_row: int = 0,
        ahead: np.ndarray | None = None,
        window: Window | None = None,
    ):
        self.axes, self.f, self.xs = axes, f, np.asarray(xs, dtype=float)
        self.ahead = None if ahead is None else np.asarray(ahead, dtype=float)  # Nesterov's look-ahead x + βv
        ring = Circle(radius=radius + 0.05, color=style.GRADIENT, stroke_width=3)
        self.ring = None if ahead is None else ring
        self.window = window or Window(axes)  # what the plot shows: zoomed out while it follows a ball
        # the plot's own range (its markers stay at its edges) and scene units per unit of x, unzoomed
        self.view, self.base_unit = axes.x_range[:2], axes.get_x_unit_size()
        # markers sit in the plot's lower corners, clear of its ticks and of a curve rising to its edges; stacked
        self.escape_y = axes.y_range[0] + (0.27 + 0.32 * escape_row) / axes.get_y_unit_size()
        self.ball = ball(color, radius, opacity).set_z_index(1)  # above every marker and its dark patch
        self.trail = VGroup(*(ball(color, 0.07, 0.5 * (1 - i / trail)) for i in range(trail)))
        self.arrows = [(np.asarray(values, dtype=float), StepArrow(tex, c)) for values, tex, c in arrows]
        self.escape = Marker(escape) if escape else None
        self.escape_back = self.escape.back if escape else None  # under it
        self.escape_color, self.escape_row = escape, escape_row
        for dot in [*self.trail, self.ball]:
            dot.opacity = dot.get_fill_opacity()
        super().__init__(
            self.trail,
            *(arrow for _, arrow in self.arrows),
            *([self.ring] if self.ring else []),
            self.ball,
            *([self.escape_back, self.escape] if escape else []),
        )
        self.still, self.moving = VGroup(), self

    def show_arrows(self) -> None:
        """Draw its arrows from the next set_step on (they are redrawn, not only moved)."""
        self.arrows_on = True
        for _, arrow in self.arrows:
            arrow.vector = None

    @property
    def unit(self) -> float:
        """Scene units per unit of x as the plot shows it now."""
        return self.base_unit / self.window.zoom[0]

    def inside(self, x: float) -> bool:
        low, high = self.window.x_range
        return low <= x <= high

    def point(self, x: float) -> np.ndarray:
        return self.window.c2p(x, self.f(x))

    def _place(self, dot: Mobject, x: float) -> None:
        dot.move_to(self.point(x)).set_opacity(dot.opacity if self.inside(x) else 0)

    def x_at(self, k: int, s: float = 0.0) -> float:
        last = len(self.xs) - 1
        a, b = self.xs[min(k, last)], self.xs[min(k + 1, last)]
        return float(a + s * (b - a))

    def set_step(self, k: int, s: float = 0.0) -> None:
        x = self.x_at(k, s)
        self._place(self.ball, x)
        here = self.point(x)
        for i, (values, arrow) in enumerate(self.arrows):
            vector = np.clip(values[min(k, len(values) - 1)] * self.unit, -self.MAX_ARROW, self.MAX_ARROW)
            start = here + UP * (0.42 + self.ARROW_GAP * i)
            arrow.show(start, RIGHT * self.within_plot(start, vector, arrow.text.width + 0.2))
            if not self.inside(x) or not self.arrows_on:
                arrow.set_opacity(0)
        last = min(k, len(self.xs) - 1)
        if getattr(self, "trail_at", None) != (last, self.window.zoom):  # it moves once a step (or zoom)
            self.trail_at = (last, self.window.zoom)  # the (step, zoom) the trail is placed for
            for i, dot in enumerate(self.trail):
                self._place(dot, self.xs[max(last - 1 - i, 0)])
        if self.ring is not None:
            last = len(self.ahead) - 1
            a, b = self.ahead[min(k, last)], self.ahead[min(k + 1, last)]
            where = float(a + s * (b - a))
            self.ring.move_to(self.point(where)).set_stroke(opacity=1.0 if self.inside(where) else 0.0)
        if self.escape is not None:
            self.mark_escape(self.xs[min(k, len(self.xs) - 1)])

    def within_plot(self, start: np.ndarray, vector: float, room: float) -> float:
        """`vector` (scene units along x) cut so that the arrow and its label (`room` wide) end above the
        plot's x axis and clear of the markers shown at this height (the plot's balls share them through
        their window)."""
        line, x = self.axes.x_axis, start[0]
        low, high = line.get_left()[0] + room, line.get_right()[0] - room
        for box in self.window.markers.values():
            if box is not None and box[1] - 0.3 < start[1] < box[3] + 0.3:
                high = min(high, box[0] - room) if box[0] > x else high
                low = max(low, box[2] + room) if box[2] < x else low
        return float(np.clip(x + vector, min(low, x), max(high, x)) - x)

    @property
    def escaped_text(self) -> str | None:
        """The words its marker shows, None while there is none."""
        return self.escape.shown if self.escape is not None else None

    def mark_escape(self, xk: float) -> None:
        """The marker of where the ball went (x at the last step reached), or none while it is in view."""
        if self.inside(xk) and self.escaped_text is not None:  # back in view: no marker
            self.escape.hide()
            self.window.markers[self.escape_row] = None
        if not self.inside(xk):
            side = 1 if xk > self.view[1] else -1
            x = fmt(xk).replace(".", self.window.sign)
            words = f"x = {x} →" if side > 0 else f"← x = {x}"
            if self.escape.say(words):
                self.escape.next_to(
                    self.axes.c2p(self.view[1 if side > 0 else 0], self.escape_y), -side * RIGHT, buff=0.1
                )
                self.escape.fit()
                left, bottom = self.escape_back.get_corner(DOWN + LEFT)[:2]
                right, top = self.escape_back.get_corner(UP + RIGHT)[:2]
                self.window.markers[self.escape_row] = (left, bottom, right, top)


class Window:
    """The part of the plane a plot's axes show: their own ranges zoomed out by `zoom` = (zx, zy) about an
    anchor (x = 0 and y = 0, where the axes cross, or the middle of the x range and the bottom of the y range
    when 0 is not in them). The axes stay where they are on screen; what they show widens. `sign`: the decimal
    sign its numbers (and the markers of balls that left it) are written with."""

    def __init__(self, axes: Axes, sign: str = "."):
        self.axes, self.sign = axes, sign
        (x0, x1), (y0, y1) = axes.x_range[:2], axes.y_range[:2]
        self.anchor = (0.0 if x0 <= 0 <= x1 else (x0 + x1) / 2, 0.0 if y0 <= 0 <= y1 else y0)
        self.base = np.array([[x0, x1], [y0, y1]], dtype=float)
        self.zoom = (1.0, 1.0)
        self.markers: dict[int, tuple | None] = {}  # marker row → its box (x0, y0, x1, y1) while it is shown

    def span(self, axis: int) -> tuple[float, float]:
        """The range of x (axis 0) or y (axis 1) shown now."""
        a, z = self.anchor[axis], self.zoom[axis]
        return tuple(a + (self.base[axis] - a) * z)

    @property
    def x_range(self) -> tuple[float, float]:
        return self.span(0)

    def c2p(self, x, y) -> np.ndarray:
        """The scene point of (x, y) as the plot shows it now (x, y: numbers or arrays of the same shape)."""
        (ax, ay), (zx, zy) = self.anchor, self.zoom
        origin = self.axes.c2p(ax, ay)
        units = np.array([self.axes.get_x_unit_size(), self.axes.get_y_unit_size()])
        offset = np.stack([(np.asarray(x) - ax) / zx * units[0], (np.asarray(y) - ay) / zy * units[1]], -1)
        return origin + np.concatenate([offset, np.zeros((*offset.shape[:-1], 1))], -1)


def nice_step(spacing: float) -> float:
    """The one of 1, 2, 5 × 10ⁿ nearest to `spacing` (> 0) on a log scale: a round spacing of axis numbers."""
    power = 10.0 ** np.floor(np.log10(spacing))
    return float(min((m * power for m in (1, 2, 5, 10)), key=lambda step: abs(np.log(step / spacing))))


class Follow(VGroup):
    """The plot following balls that leave it (3b1b's camera reframing, on the plot alone): from the step
    before a ball first leaves the view until FOLLOW steps after, the window zooms out so that the ball stays
    within EDGE of its half-width (never more than MAX_ZOOM), then goes back over RETURN steps; the curve, the
    x axis' ticks and numbers (and the y axis' numbers, if any) are redrawn for what it shows. The balls'
    markers take over once a ball is beyond it. `balls`: the plot's BallOnCurve pieces, sharing `window`;
    `curve`: the plotted VMobject of f; `avoid`: y values the y axis' numbers keep clear of; `marks`: things
    drawn at places of the unzoomed plot (names of minima), shown only while it is unzoomed. `replaces`: what
    this piece draws instead (the scene removes them once it shows)."""

    FOLLOW, RETURN, EDGE, MAX_ZOOM = 2, 1.0, 0.85, 25.0
    SAMPLES = 12  # zoom values computed per step (the zoom between them is interpolated)

    def __init__(
        self, window: Window, f, curve: VMobject, balls: Sequence[BallOnCurve], avoid=(), marks=None
    ):
        self.window, self.f, axes = window, f, window.axes
        self.xs = np.linspace(*window.base[0], 200)
        self.curve = curve.copy()
        lines = [(0, axes.x_axis), *([(1, axes.y_axis)] if len(getattr(axes.y_axis, "numbers", [])) else [])]
        self.rows = [(axis, line, sorted(float(n.get_value()) for n in line.numbers)) for axis, line in lines]
        self.avoid = [float(a) for a in avoid]
        ticks = axes.x_axis.ticks
        self.ticks = VMobject(
            stroke_color=ticks[0].get_stroke_color(), stroke_width=ticks[0].get_stroke_width()
        )
        self.labels: dict[tuple[int, float], Mobject] = {}
        self.numbers = VGroup()
        self.marks_shown = marks.copy() if marks is not None else VGroup()
        self.replaces = [
            curve,
            ticks,
            *(line.numbers for _, line, _ in self.rows),
            *([marks] if marks else []),
        ]
        self.times, self.zooms = self.plan(balls)
        super().__init__(self.curve, self.ticks, self.numbers, self.marks_shown)
        self.still, self.moving, self.shown = VGroup(), self, None
        self.set_step(0)

    def plan(self, balls: Sequence[BallOnCurve]) -> tuple[np.ndarray, np.ndarray]:
        """The zoom at fractional steps: the running largest need while a ball is followed, then back to 1."""
        return zoom_plan(self.window, [b.xs[:, None] for b in balls], self.SAMPLES)

    def zoom_at(self, t: float) -> tuple[float, float]:
        """(zx, zy): x by the plan; y so that the curve at the view's edges reaches the top, no further."""
        w = self.window
        zx = float(np.interp(t, self.times, self.zooms))
        if zx <= 1.0:
            return 1.0, 1.0
        top, edges = w.base[1][1] - w.anchor[1], w.anchor[0] + (w.base[0] - w.anchor[0]) * zx
        return zx, max(1.0, (max(self.f(e) for e in edges) - w.anchor[1]) / top)

    def set_step(self, k: int, s: float = 0.0) -> None:
        zoom = self.zoom_at(k + s)
        self.window.zoom = zoom
        if zoom == self.shown:
            return
        self.shown, w = zoom, self.window
        xs = w.anchor[0] + (self.xs - w.anchor[0]) * zoom[0]
        self.curve.set_points_smoothly(w.c2p(xs, np.array([self.f(x) for x in xs])))
        shown = {id(mark) for axis, line, given in self.rows for mark in self.marks(axis, line, given)}
        for mark in self.numbers:  # a number once drawn stays in the family (Manim draws what it listed)
            mark.set_opacity(1.0 if id(mark) in shown else 0.0)
        self.draw_ticks()
        self.marks_shown.set_opacity(1.0 if zoom == (1.0, 1.0) else 0.0)

    def step(self, axis: int, given: list[float]) -> float:
        """The spacing of an axis' numbers now: its own unzoomed, else a round one as far apart on screen."""
        spacing = (given[1] - given[0]) if len(given) > 1 else 1.0
        return spacing if self.window.zoom[axis] == 1.0 else nice_step(spacing * self.window.zoom[axis])

    def marks(self, axis: int, line, given: list[float]) -> list[Mobject]:
        """An axis' numbers, placed where the window puts their values."""
        w = self.window
        values = given
        if w.zoom[axis] != 1.0:
            low, high = w.span(axis)
            step, margin = self.step(axis, given), 0.04 * (high - low)
            found = np.arange(np.ceil((low + margin) / step), np.floor((high - margin) / step) + 1) * step
            gap = 0.4 * w.zoom[1]  # as far from where f crosses the y axis as its own numbers are
            values = [
                float(v) + 0.0
                for v in found
                if abs(v) > 1e-9 and (axis == 0 or all(abs(v - a) > gap for a in self.avoid))
            ]
        shown = []
        for v in values:
            if (axis, v) not in self.labels:
                self.labels[(axis, v)] = written_number(line.get_number_mobject(v), w.sign)
                self.labels[(axis, v)].tick = True  # the audit holds them to the size of axis numbers
                self.numbers.add(self.labels[(axis, v)])
            mark = self.labels[(axis, v)]
            at = w.c2p(v, 0.0) if axis == 0 else w.c2p(0.0, v)  # on the axis' line, where the value is
            at = np.array([at[0], line.get_y(), 0.0]) if axis == 0 else np.array([line.get_x(), at[1], 0.0])
            mark.next_to(at, DOWN if axis == 0 else LEFT, buff=line.line_to_number_buff)
            if v < 0 and axis == 0:
                mark.shift(mark[0].width * LEFT / 2)  # the digits centred on the tick, as Manim does
            shown.append(mark)
        return shown

    def draw_ticks(self) -> None:
        """The x axis' ticks at its own spacing, scaled as its numbers are."""
        w = self.window
        given = self.rows[0][2]
        spacing = (given[1] - given[0]) if len(given) > 1 else 1.0
        step = w.axes.x_range[2] * self.step(0, given) / spacing
        low, high = w.x_range
        points, size = [], w.axes.x_axis.tick_size
        for v in np.arange(np.ceil(low / step), np.floor(high / step) + 1) * step:
            if abs(v) > 1e-9:  # none where the y axis is
                a = np.array([w.c2p(v, 0.0)[0], w.axes.x_axis.get_y(), 0.0]) + UP * size
                points += [a + DOWN * size * 2 * u for u in (0, 1 / 3, 2 / 3, 1)]
        self.ticks.set_points(np.array(points) if points else np.zeros((0, 3)))


def following(window: Window, f, plot, balls: list[BallOnCurve], avoid=(), marks=None) -> list[Follow]:
    """The plot's Follow piece when a ball leaves the view at some step (none otherwise: nothing changes)."""
    gone = any(not ball.inside(x) for ball in balls for x in ball.xs)
    return [Follow(window, f, plot, balls, avoid, marks)] if gone else []


def curve(problem: Problem):
    """The 1-D loss as a function of a float, for plotting."""
    return lambda x: problem.loss(np.array([x]))


def zoom_plan(window: Window, tracks: Sequence[np.ndarray], samples: int) -> tuple[np.ndarray, np.ndarray]:
    """Follow's plan for `tracks` (positions per step, (n, d): the first d axes of `window`): at `samples`
    times per step, the zoom that keeps each track within EDGE of the view's half-size on every axis, from
    the step before it first leaves the unzoomed view until FOLLOW steps after (its running largest), then
    back to 1 over RETURN steps. One zoom for all axes (a 2-D view keeps its shapes)."""
    low, high = window.base[: tracks[0].shape[1]].T
    anchor = np.array(window.anchor[: tracks[0].shape[1]])
    half = np.maximum(np.abs(low - anchor), np.abs(high - anchor))
    times = np.arange(0, (max(len(t) for t in tracks) - 1) * samples + 1) / samples
    zooms = np.ones_like(times)
    for track in tracks:
        inside = np.all((low <= track) & (track <= high), axis=1)
        out = [k for k in range(1, len(track)) if not inside[k] and inside[k - 1]]
        if not out:
            continue
        start, end = out[0] - 1, out[0] + Follow.FOLLOW
        near = (times >= start) & (times <= end)
        at = np.array([np.interp(times[near], np.arange(len(track)), track[:, d]) for d in range(len(half))])
        need = np.max(np.abs(at.T - anchor) / (Follow.EDGE * half), axis=1)
        need = np.maximum.accumulate(np.clip(need, 1, Follow.MAX_ZOOM))
        back = (times > end) & (times <= end + Follow.RETURN)
        ease = 1 - smooth_step((times[back] - end) / Follow.RETURN)
        zooms[near] = np.maximum(zooms[near], need)
        zooms[back] = np.maximum(zooms[back], need[-1] ** ease)
    return times, zooms


def smooth_step(u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0, 1)
    return 3 * u**2 - 2 * u**3


def nice_ticks(low: float, high: float, most: int = 3) -> np.ndarray:
    """At most `most` round values (steps of 1, 2, 2.5 or 5 × 10^k) inside (low, high), clear of its ends
    (2.5: a range about 0 always gets -s, 0, s, never 0 alone)."""
    span = high - low
    for step in sorted(
        m * 10.0**e
        for e in range(int(np.floor(np.log10(span))) - 1, int(np.log10(span)) + 2)
        for m in (1, 2, 2.5, 5)
    ):
        ticks = np.arange(np.ceil((low + 0.1 * span) / step), np.floor((high - 0.1 * span) / step) + 1) * step
        if len(ticks) <= most:
            return np.round(ticks, 10) + 0.0  # no "-0"
    return np.array([(low + high) / 2])


class PlaneView:
    """What a 2-D plot shows while it follows runs that leave it: its axes' ranges (the box) zoomed out about
    their middle by Follow's plan for the runs' `paths` ((n, 2) each; zoom_plan, one zoom for both axes, so
    shapes keep theirs). The axes stay where they are on screen: the box shown at any zoom is drawn in their
    rectangle `frame` (scene x0, y0, x1, y1). `follow(t)` sets the zoom of step t. `sign`: the decimal sign
    of its values and markers."""

    def __init__(self, axes: Axes, paths: Sequence[np.ndarray] = (), sign: str = "."):
        self.window = Window(axes, sign)
        self.box = self.window.base.copy()  # rows [low, high] of x and y, unzoomed
        self.window.anchor = tuple(float(v) for v in self.box.mean(axis=1))
        tracks = [np.asarray(path, dtype=float)[:, :2] for path in paths]
        self.times, self.zooms = (
            zoom_plan(self.window, tracks, Follow.SAMPLES) if tracks else (np.zeros(1), np.ones(1))
        )
        self.frame = np.concatenate([axes.c2p(*self.box[:, 0])[:2], axes.c2p(*self.box[:, 1])[:2]])
        self.shown = 1.0

    @property
    def follows(self) -> bool:
        """Whether the view ever zooms: what it draws must then be redrawn as it goes."""
        return bool(self.zooms.max() > 1.0)

    @property
    def zoom(self) -> float:
        return self.window.zoom[0]

    @property
    def unit(self) -> np.ndarray:
        """Scene units per unit of x and of y as the view shows them now, (ux, uy, 0)."""
        axes = self.window.axes
        return np.array([axes.get_x_unit_size(), axes.get_y_unit_size(), 0.0]) / self.zoom

    def zoom_at(self, t: float) -> float:
        return float(np.interp(t, self.times, self.zooms))

    def box_at(self, zoom: float) -> np.ndarray:
        """The (x, y) ranges shown at `zoom`, rows [low, high]."""
        anchor = np.array(self.window.anchor)[:, None]
        return anchor + (self.box - anchor) * zoom

    def shown_box(self) -> np.ndarray:
        return self.box_at(self.zoom)

    def inside(self, point: np.ndarray, zoom: float | None = None) -> bool:
        """Whether (x, y) is in the box shown now (or at `zoom`)."""
        box = self.box_at(self.zoom if zoom is None else zoom)
        return bool(np.all((box[:, 0] <= point[:2]) & (point[:2] <= box[:, 1])))

    def point(self, point: np.ndarray) -> np.ndarray:
        """The scene point of (x, y) as shown now, on the border when it is beyond it."""
        box = self.shown_box()
        return self.window.c2p(*np.clip(point[:2], box[:, 0], box[:, 1]))

    def place(self, dot: Mobject, point: np.ndarray, opacity: float = 1.0) -> None:
        """A run's dot at (x, y), hidden while it is beyond the view."""
        dot.move_to(self.point(point)).set_opacity(opacity if self.inside(point) else 0.0)

    def follow(self, t: float) -> bool:
        """The zoom of step t by the plan; whether it changed (what depends on it must be redrawn)."""
        zoom = self.zoom_at(t)
        self.window.zoom = (zoom, zoom)
        changed, self.shown = zoom != self.shown, zoom
        return changed

    def retrace(self, traces: Traces, paths: Sequence[np.ndarray]) -> None:
        """The traces' points (of `paths`, one a trace) where the view puts them now."""
        origin = traces.axes.get_origin()
        for i, ((idx, _), path) in enumerate(zip(traces.curves, paths)):
            traces.curves[i] = (idx, self.window.c2p(*np.asarray(path)[idx, :2].T) - origin)


class AxisValues(VGroup):
    """The values on a 2-D plot's borders at round values (nice_ticks) of the ranges its `view` shows: x's
    below its box, y's beside it on `y_side` (LEFT or RIGHT), `buff` away. Every value a zoom of the view's
    plan shows is made once by `make(text)` (Manim draws the family it listed); `show()` places them for the
    box shown now and hides the others, those that come near one of `keep_clear` (the axes' names) and those
    that would cross the frame's safe margin (a long value beside a box near the frame's edge)."""

    def __init__(self, view: PlaneView, make, y_side: np.ndarray = RIGHT, buff: float = 0.08):
        self.view, self.y_side, self.buff, self.keep_clear = view, y_side, buff, []
        self.marks: dict[tuple[int, float], Mobject] = {}
        for zoom in np.unique(view.zooms):
            for key in self.values(view.box_at(zoom)):
                if key not in self.marks:
                    self.marks[key] = make(f"{key[1]:g}".replace(".", view.window.sign))
                    self.marks[key].value = key[1]
        super().__init__(*self.marks.values())
        self.show()

    @staticmethod
    def values(box: np.ndarray) -> list[tuple[int, float]]:
        """(axis, value) of the numbers shown on the borders of a plot showing `box`."""
        return [(axis, float(v)) for axis in (0, 1) for v in nice_ticks(*box[axis])]

    def on(self, axis: int) -> list[Mobject]:
        """The numbers of `axis` shown now."""
        return [mark for (a, _), mark in self.marks.items() if a == axis and mark.get_fill_opacity() > 0]

    def show(self) -> None:
        box, window = self.view.shown_box(), self.view.window
        shown = set(self.values(box))
        side = box[0][1] if self.y_side[0] > 0 else box[0][0]
        for (axis, v), mark in self.marks.items():
            at = window.c2p(v, box[1][0]) if axis == 0 else window.c2p(side, v)
            mark.next_to(at, DOWN if axis == 0 else self.y_side, buff=self.buff)
            clear = not any(near(mark, other, 0.05) for other in self.keep_clear)
            clear &= -style.SAFE_RIGHT <= mark.get_left()[0] and mark.get_right()[0] <= style.SAFE_RIGHT
            mark.set_opacity(1.0 if (axis, v) in shown and clear else 0.0)


def near(a: Mobject, b: Mobject, gap: float) -> bool:
    """Whether the boxes of two mobjects overlap or come closer than `gap`."""
    (ax0, ay0), (ax1, ay1) = a.get_corner(DOWN + LEFT)[:2], a.get_corner(UP + RIGHT)[:2]
    (bx0, by0), (bx1, by1) = b.get_corner(DOWN + LEFT)[:2], b.get_corner(UP + RIGHT)[:2]
    return min(ax1, bx1) - max(ax0, bx0) > -gap and min(ay1, by1) - max(ay0, by0) > -gap
