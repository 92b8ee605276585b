"""The layout audit: build a lecture without encoding a video, place every piece at the end of every beat and
at every step a video draws of the run (and of each replay of it), and report what the layout rules
(docs/story.md, "Checking the layout") forbid.

    python -m scenes.kit.audit --scene S [the options of render.py]

prints one JSON object {"problems": [...], "checked": {"beats": n, "frames": m, "texts": t}} and exits 0 when
there are no problems, 1 when there are, 2 on bad usage. Each problem has its kind (overlap, crossed,
outside, too_small, hidden, missing, slow_caption, fast_caption), beat, step (null at the end of a beat),
texts, a detail and `caption`: whether it is about a caption (its timing, its length, or an arrow it names).
Sizes are in scene units: the frame is config.frame_width × config.frame_height (14.2 × 8).

A piece says what a viewer must see of it while it is on screen: its `must_show()` returns, for the step
shown now, {name: a mobject, or a scene point}; each mobject must be drawn (in the scene, with points, not
transparent), and when the piece has a `panel` (a mobject with points: its frame), inside it and not only on
its border; each point must be inside the panel (where something a viewer looks for is: the start)."""

from __future__ import annotations

import json
import re
import sys
from functools import cache

import numpy as np

from . import style

MARGIN = 0.03  # of the frame on each side: the safe area
MIN_CAP, MIN_TICK_CAP = 0.03, 0.022  # capital height, as a fraction of the frame's height
MIN_ARROW = 0.02  # of the frame's width: an arrow a caption names is at least this long
MAX_CAPTION, READING_CHARS = 12.0, 17.0  # seconds a caption may stay up; characters per second it needs
FRAME_RATE = 60  # frames a second of the smoothest quality: the audit checks every step it draws
TOUCH = 0.01  # scene units two boxes must share to touch (what the eye cannot see apart)
INSET = 0.03  # scene units: a line must enter a text's box this far to run through it (not graze its edge)
# A caption names an arrow by its colour: these are the colours' words in the shipped languages (an arrow of
# another colour, or a caption in another language, is not checked)
ARROW_WORDS = {style.VELOCITY: ("yellow", "amarilla", "jaune"), style.GRADIENT: ("blue", "azul", "bleue")}


def frame() -> tuple[float, float]:
    from manim import config

    return float(config.frame_width), float(config.frame_height)


@cache
def cap_per_point() -> dict[str, float]:
    """The height of a capital H per point of font size (scene units), for Text, for TeX and for numbers."""
    from manim import DecimalNumber, MathTex, Text

    from . import style

    return {
        "text": Text("H", font=style.FONT, font_size=100).height / 100,
        "tex": MathTex(r"\mathrm{H}", font_size=100).height / 100,
        "number": DecimalNumber(8, num_decimal_places=0, font_size=100).height / 100,
    }


@cache
def band_top() -> float:
    """The top of the caption band: the band behind a caption of two lines (captions wrap to two at most)."""
    from . import style
    from .pieces import caption_bar

    return float(caption_bar(("(Áy) " * style.CAPTION_CHARS)[: style.CAPTION_CHARS * 3 // 2])[0].get_top()[1])


def text_kinds():
    from manim import DecimalNumber, MarkupText, MathTex, SingleStringMathTex, Tex, Text

    return (Text, MarkupText), (MathTex, Tex, SingleStringMathTex), (DecimalNumber,)


class Item:
    """Something on screen, as the camera shows it: a name, a kind (text, tick, caption, readout, shape),
    its box (x0, y0, x1, y1) in frame units and, for text, its capital height."""

    def __init__(self, name: str, kind: str, box: np.ndarray, cap: float = 0.0):
        self.name, self.kind, self.box, self.cap = name, kind, box, cap


def shown_points(camera, mob) -> np.ndarray:
    """The points of `mob` (itself, not its family) where the camera draws them, or an empty array when it is
    not drawn (no points, or transparent)."""
    if len(mob.points) == 0:
        return np.zeros((0, 3))
    fill = mob.get_fill_opacity() if hasattr(mob, "get_fill_opacity") else 1.0
    stroke = (
        mob.get_stroke_opacity() * (mob.get_stroke_width() > 0) if hasattr(mob, "get_stroke_opacity") else 0
    )
    if fill <= 0 and stroke <= 0:
        return np.zeros((0, 3))
    return camera.transform_points_pre_display(mob, mob.points)


def box_of(points: np.ndarray) -> np.ndarray:
    return np.array([*points[:, :2].min(axis=0), *points[:, :2].max(axis=0)])


def text_item(camera, mob, kind: str) -> Item | None:
    """The text `mob` as drawn: its box and capital height (font size × the H of its typeface, scaled as the
    camera scales it); None when none of it is visible."""
    parts = [shown_points(camera, leaf) for leaf in mob.get_family()]
    drawn = [p for p in parts if len(p)]
    if not drawn:
        return None
    box = box_of(np.vstack(drawn))
    own = max(mob.height, 1e-9)
    scale = (box[3] - box[1]) / own if mob.height > 0 else 1.0
    words, tex, numbers = text_kinds()
    if isinstance(mob, words):
        name, cap = getattr(mob, "original_text", mob.text), mob.font_size * cap_per_point()["text"]
    elif isinstance(mob, tex):
        name, cap = mob.get_tex_string(), mob.font_size * cap_per_point()["tex"]
    elif isinstance(mob, numbers):
        name, cap = f"{mob.get_value():g}", mob.font_size * cap_per_point()["number"]
    else:  # a row of a Readout's glyphs: digits are as tall as capitals
        name, cap = "readout value", own
    return Item(name.replace("\n", " "), kind, box, cap * scale)


class Part:
    """What one of the scene's mobjects puts on screen: texts, shapes, strokes and backings (with their order
    among its shapes), balls, its family and those of them that say what they must show."""

    def __init__(self, mob):
        self.texts, self.shapes, self.balls, self.strokes, self.backings = [], [], [], [], []
        self.family = mob.get_family()
        self.declaring = [m for m in self.family if hasattr(m, "must_show")]


class Layout:
    """Everything the camera shows at one moment: texts, the strokes of lines, curves and arrows (as
    segments (name, box, segments (k, 2, 2), order)), the boxes of all other shapes, opaque backings (box,
    order: they hide the strokes drawn before them), the balls, what is drawn (ids) and the pieces that say
    what they must show. `kept`: the Parts of the scene's mobjects walked already, by id, reused but for
    those in `moving` (while a run's steps are set only the mobjects holding its moving parts change)."""

    def __init__(self, scene, kept: dict | None = None, moving: set = frozenset()):
        self.camera = scene.renderer.camera
        if hasattr(self.camera, "reset_rotation_matrix"):  # a 3-D camera turns its matrix when it draws
            self.camera.reset_rotation_matrix()
        self.texts, self.shapes, self.balls, self.strokes, self.backings = [], [], [], [], []
        self.drawn, self.declaring = set(), []
        caption = set(scene.bar.get_family()) if getattr(scene, "bar", None) is not None else set()
        for mob in scene.mobjects:
            part = None if kept is None or id(mob) in moving else kept.get(id(mob))
            if part is None:
                part = self.part = Part(mob)
                self.walk(mob, mob in caption, False, type(mob).__name__)
                if kept is not None:
                    kept[id(mob)] = part
            self.add(part)

    def add(self, part: Part) -> None:
        base = len(self.shapes)
        self.texts += part.texts
        self.shapes += part.shapes
        self.balls += part.balls
        self.strokes += [(name, box, segments, order + base) for name, box, segments, order in part.strokes]
        self.backings += [(box, order + base) for box, order in part.backings]
        self.drawn.update(map(id, part.family))
        self.declaring += part.declaring

    def walk(self, mob, caption: bool, tick: bool, owner: str) -> None:
        from manim import NumberLine

        from .pieces import BallOnCurve

        words, tex, numbers = text_kinds()
        tick = tick or getattr(mob, "tick", False)
        if isinstance(mob, (*words, *tex, *numbers)):
            item = text_item(self.camera, mob, "caption" if caption else "tick" if tick else "text")
            self.part.texts += [item] if item else []
            return
        if isinstance(mob, BallOnCurve):
            self.part.balls.append(mob.ball)
        self.part.balls += list(getattr(mob, "balls", ()))  # a piece that draws runs as balls declares them
        # a Readout's rows of values, each a text, inside the Readout or alone (a lecture's moving layer)
        rows = mob if getattr(mob, "readout_rows", False) else ()
        if len(rows):
            for row in rows:
                item = text_item(self.camera, row, "readout")
                self.part.texts += [item] if item else []
        if self.picture(mob, owner):
            return
        self.shape(mob, owner)
        parts = (
            {id(getattr(mob, "numbers", None)), id(getattr(mob, "labels", None))}
            if isinstance(mob, NumberLine)
            else set()
        )
        readout = set(map(id, rows))
        for sub in mob.submobjects:
            if id(sub) not in readout:
                self.walk(sub, caption, tick or id(sub) in parts, owner)

    def picture(self, mob, owner: str) -> bool:
        """Record a picture or a plane as a box, no lines; whether `mob` was one."""
        from manim import ImageMobject, Surface

        if not isinstance(mob, (ImageMobject, Surface)):
            return False
        if isinstance(mob, ImageMobject):
            drawn = [mob.points] if len(mob.points) else []
        else:
            drawn = [p for p in (shown_points(self.camera, face) for face in mob.get_family()) if len(p)]
        if drawn:
            points = np.vstack(drawn)
            if isinstance(mob, ImageMobject):
                points = self.camera.transform_points_pre_display(mob, points)
            self.part.shapes.append(Item(f"{owner}/{type(mob).__name__}", "image", box_of(points)))
        return True

    def shape(self, mob, owner: str) -> None:
        """Record a drawn shape's box and, when it has a visible stroke, its lines; an opaque background
        rectangle is a backing that hides what was drawn before it."""
        from manim import BackgroundRectangle, Circle

        points = shown_points(self.camera, mob)
        if not len(points):
            return
        if isinstance(mob, BackgroundRectangle) and mob.get_fill_opacity() >= 0.8:
            self.part.backings.append((box_of(points), len(self.part.shapes)))
            return
        name = f"{owner}/{type(mob).__name__}"
        self.part.shapes.append(Item(name, "shape", box_of(points)))
        if not isinstance(mob, Circle) and mob.get_stroke_width() > 0 and mob.get_stroke_opacity() > 0:
            self.part.strokes.append((name, box_of(points), polyline(points), len(self.part.shapes)))


def polyline(points: np.ndarray, samples: int = 8) -> np.ndarray:
    """The cubic Bézier curves of a VMobject's points as straight segments (k, 2, 2) in the frame's (x, y)."""
    curves = points[: len(points) // 4 * 4, :2].reshape(-1, 4, 2)
    t = np.linspace(0, 1, samples)[:, None]
    weights = np.hstack([(1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t**2 * (1 - t), t**3])  # (samples, 4)
    along = np.einsum("sk,nkd->nsd", weights, curves)
    return np.stack([along[:, :-1], along[:, 1:]], axis=2).reshape(-1, 2, 2)


def problem(
    kind: str, beat: str, step: int | None, texts: list[str], detail: str, caption: bool = False
) -> dict:
    """One problem; `caption`: it is about a caption (its timing, its length, or what it names)."""
    return {"kind": kind, "beat": beat, "step": step, "texts": texts, "detail": detail, "caption": caption}


def touching(a: np.ndarray, b: np.ndarray, gap: float = TOUCH) -> bool:
    """Whether two boxes overlap or come closer than `gap` on both axes."""
    return bool(min(a[2], b[2]) - max(a[0], b[0]) > -gap and min(a[3], b[3]) - max(a[1], b[1]) > -gap)


def inside(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether box a lies inside box b."""
    return bool(np.all(a[:2] >= b[:2]) and np.all(a[2:] <= b[2:]))


def crossing(segments: np.ndarray, box: np.ndarray) -> bool:
    """Whether any segment (k, 2, 2) passes through the box (x0, y0, x1, y1): the slab test."""
    lo, hi = box[:2], box[2:]
    near = (segments.max(axis=1) >= lo).all(axis=1) & (segments.min(axis=1) <= hi).all(axis=1)
    p0, d = segments[near, 0], segments[near, 1] - segments[near, 0]
    if not len(p0):
        return False
    with np.errstate(divide="ignore", invalid="ignore"):
        ta, tb = (lo - p0) / d, (hi - p0) / d
    flat = d == 0  # parallel to a side: inside that slab everywhere, or nowhere
    within = (p0 >= lo) & (p0 <= hi)
    tmin = np.where(flat, np.where(within, -np.inf, np.inf), np.minimum(ta, tb))
    tmax = np.where(flat, np.where(within, np.inf, -np.inf), np.maximum(ta, tb))
    return bool(np.any(np.maximum(tmin.max(axis=1), 0) <= np.minimum(tmax.min(axis=1), 1)))


def text_problems(layout: Layout, beat: str, step: int | None) -> list[dict]:
    """Text touching text, text crossed by a stroke, text too small to read from the back row."""
    found, height = [], frame()[1]
    texts = layout.texts
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if touching(a.box, b.box) and not (a.kind == b.kind == "caption"):
                about_caption = "caption" in (a.kind, b.kind)
                found.append(
                    problem("overlap", beat, step, [a.name, b.name], "their boxes touch", about_caption)
                )
        across = strokes_across(layout, a)
        if across:
            where = f"{across[0]} runs through its box {np.round(a.box, 2).tolist()}"
            found.append(problem("crossed", beat, step, [a.name], where))
        least = (MIN_TICK_CAP if a.kind == "tick" else MIN_CAP) * height
        if a.cap < least - 1e-6:
            size = f"capital height {a.cap / height:.1%} of the frame < {least / height:.1%}"
            found.append(problem("too_small", beat, step, [a.name], size))
    return found


def strokes_across(layout: Layout, text: Item) -> list[str]:
    """The strokes drawn over `text` (not hidden under a backing drawn after them) that run through its box
    (shrunk by INSET); none for a caption."""
    inner = text.box + np.array([INSET, INSET, -INSET, -INSET])
    if text.kind == "caption" or not np.all(inner[2:] > inner[:2]):
        return []
    below = max([order for box, order in layout.backings if inside(inner, box)], default=-1)
    return [
        name
        for name, box, segments, order in layout.strokes
        if order > below and touching(box, inner, 0.0) and crossing(segments, inner)
    ]


def safe_area() -> np.ndarray:
    """The safe area's box (x0, y0, x1, y1): the frame less MARGIN on each side."""
    width, height = frame()
    return np.array([width, height, width, height]) * np.array([-0.5, -0.5, 0.5, 0.5]) * (1 - 2 * MARGIN)


def outside_problems(layout: Layout, beat: str, step: int | None) -> list[dict]:
    """Anything outside the safe area, or (but the captions) in the caption band."""
    safe = safe_area()
    found = [
        problem(
            "outside",
            beat,
            step,
            [item.name],
            f"above the caption band: box {np.round(item.box, 2).tolist()}",
            True,
        )
        for item in layout.texts
        if item.kind == "caption" and item.box[3] > band_top() + 1e-6
    ]
    for item in layout.texts + layout.shapes:
        floor = safe[1] if item.kind == "caption" else band_top()
        b = item.box
        if b[0] < safe[0] - 1e-6 or b[2] > safe[2] + 1e-6 or b[3] > safe[3] + 1e-6 or b[1] < floor - 1e-6:
            where = (
                "in the caption band"
                if b[1] < floor and b[1] >= safe[1] and item.kind != "caption"
                else "outside the 3 % safe margin"
            )
            found.append(
                problem(
                    "outside",
                    beat,
                    step,
                    [item.name],
                    f"{where}: box {np.round(b, 2).tolist()}",
                    item.kind == "caption",
                )
            )
    return found


def hidden_problems(layout: Layout, beat: str, step: int | None) -> list[dict]:
    """A ball drawn over another run's ball that covers it entirely."""
    found, balls = [], []
    for ball in layout.balls:
        points = shown_points(layout.camera, ball)
        if len(points):
            b = box_of(points)
            balls.append((ball, (b[:2] + b[2:]) / 2, (b[2] - b[0]) / 2))
    for i, (low, centre, radius) in enumerate(balls):
        for high, top, big in balls[i + 1 :]:
            if high.get_fill_opacity() > 0 and np.linalg.norm(top - centre) + radius <= big + 1e-3:
                found.append(
                    problem(
                        "hidden",
                        beat,
                        step,
                        [f"ball {low.get_fill_color().to_hex()}", f"ball {high.get_fill_color().to_hex()}"],
                        "the second ball covers the first entirely",
                    )
                )
    return found


def drawn_points(layout: Layout, part) -> np.ndarray:
    """The points of `part` the camera draws now (its own, or its family's when it has none of its own)."""
    members = [part] if len(part.points) else part.get_family()
    drawn = [shown_points(layout.camera, m) for m in members if id(m) in layout.drawn]
    drawn = [points for points in drawn if len(points)]
    return np.vstack(drawn) if drawn else np.zeros((0, 3))


def panel_box(layout: Layout, piece) -> np.ndarray | None:
    """The box (x0, y0, x1, y1) of the piece's `panel` as the camera places it; None without one."""
    panel = getattr(piece, "panel", None)
    if panel is None:
        return None
    return box_of(layout.camera.transform_points_pre_display(panel, panel.points))


def declared(layout: Layout, driven: list) -> list:
    """The pieces on screen that say what they must show: in the scene, or driven by the run (a piece whose
    still and moving parts are added apart is not in the scene itself)."""
    pieces = {id(m): m for m in layout.declaring}
    pieces.update((id(p), p) for p in driven if hasattr(p, "must_show"))
    return [p for p in pieces.values() if any(id(m) in layout.drawn for m in p.get_family())]


def shown_problems(layout: Layout, pieces: list, beat: str, step: int | None) -> list[dict]:
    """Each part a piece on screen must show (`must_show`) that is not drawn, that leaves the piece's panel,
    or that is drawn only on the panel's border (clipped onto it: nothing of it is seen inside)."""
    found = []
    for piece in pieces:
        box = panel_box(layout, piece)
        for name, part in piece.must_show().items():
            where = f"{type(piece).__name__}: {name}"
            if isinstance(part, np.ndarray):
                at = layout.camera.transform_points_pre_display(piece.panel, part[None])[0]
                if box is not None and not inside(box_of(at[None]), box):
                    found.append(
                        problem(
                            "outside",
                            beat,
                            step,
                            [where],
                            f"outside its panel: at {np.round(at[:2], 2).tolist()}",
                        )
                    )
                continue
            points = drawn_points(layout, part)
            if not len(points):
                found.append(
                    problem("missing", beat, step, [where], "not drawn: removed, transparent or no points")
                )
            elif box is not None and not inside(box_of(points), box + [-TOUCH, -TOUCH, TOUCH, TOUCH]):
                found.append(
                    problem(
                        "outside",
                        beat,
                        step,
                        [where],
                        f"outside its panel {np.round(box, 2).tolist()}: box {np.round(box_of(points), 2).tolist()}",
                    )
                )
            elif box is not None and not within(points, box + [TOUCH, TOUCH, -TOUCH, -TOUCH]):
                found.append(problem("missing", beat, step, [where], "drawn only on its panel's border"))
    return found


def within(points: np.ndarray, box: np.ndarray) -> bool:
    """Whether any of the points lies inside the box."""
    return bool(np.any(np.all((points[:, :2] > box[:2]) & (points[:, :2] < box[2:]), axis=1)))


def drawn_steps(schedule) -> list[int]:
    """The steps of the run `schedule` plays that a video at FRAME_RATE shows: at each frame the step reached
    and, on the way to the next, that one too."""
    last = len(schedule.durations)
    reached = [schedule.at(t) for t in np.arange(0, schedule.total + 1 / FRAME_RATE, 1 / FRAME_RATE)]
    return sorted({min(k + (s > 0) * j, last) for k, s in reached for j in (0, 1)} | {last})


def swept_steps(start: float, end: float, seconds: float) -> list[int]:
    """The steps a sweep from step `start` to `end` (eased, as Lecture.sweep plays it) shows at FRAME_RATE."""
    from manim import smooth

    alphas = np.append(np.arange(0, seconds, 1 / FRAME_RATE) / seconds, 1.0)
    at = start + (end - start) * np.array([smooth(a) for a in alphas])
    return sorted(set(np.floor(at).astype(int).tolist()) | set(np.ceil(at).astype(int).tolist()))


class Audited:
    """Mixed in before a Lecture: after every beat, and at every step a video draws of the run and of its
    replays, the layout is checked; `problems` collects what was found, `frames` and `texts` count what was
    checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems, self.frames, self.texts_checked, self.driven = [], 0, 0, []
        for name in self.BEATS:
            self._wrap(name)
        # nothing is drawn: the audit reads geometry, never pixels
        self.renderer.update_frame = self.renderer.save_static_frame_data = lambda *a, **k: None

    def _wrap(self, name: str) -> None:
        beat = getattr(self, name)

        def checked() -> None:
            beat()
            self.check(name, None)

        setattr(self, name, checked)

    def check(self, beat: str, step: int | None, kept: dict | None = None, moving: set = frozenset()) -> None:
        """Check the layout now (Layout's `kept` and `moving`: what is walked again)."""
        layout = Layout(self, kept, moving)
        self.frames += 1
        self.texts_checked += len(layout.texts)
        for find in (text_problems, outside_problems, hidden_problems):
            self.problems += find(layout, beat, step)
        self.problems += shown_problems(layout, declared(layout, self.driven), beat, step)

    def current_beat(self) -> str:
        return [name for name in self.beats if name != "clock"][-1]

    def check_steps(self, pieces, steps: list[int], end: float) -> None:
        """`pieces` set at each of `steps` and checked (the rest of the scene, unchanged meanwhile, walked once),
        then left at step `end`."""
        self.driven += [p for p in pieces if not any(p is q for q in self.driven)]
        parts = {id(m) for p in pieces for m in getattr(p, "moving", p).get_family()}
        moving = {id(top) for top in self.mobjects if any(id(m) in parts for m in top.get_family())}
        kept, beat = {}, self.current_beat()
        for k in steps:
            self.set_step(pieces, k, 0.0)
            self.check(beat, k, kept, moving)
        self.set_step(pieces, int(end), end - int(end))

    def drive(self, pieces, cues, shown=()) -> None:
        """The run (Lecture.drive), checked at every step a video draws of it."""
        super().drive(pieces, cues, shown)
        self.check_steps(pieces, drawn_steps(self.clock), len(self.clock.durations))
        self.check_arrows(pieces, self.clock, self.current_beat())
        self.set_step(pieces, len(self.clock.durations), 0.0)

    def sweep(self, pieces, steps: tuple[float, float], seconds: float) -> None:
        """A replay of the run (Lecture.sweep), checked at every step it shows."""
        super().sweep(pieces, steps, seconds)
        self.check_steps(pieces, swept_steps(*steps, seconds), steps[1])

    def reveal_inset(self, one) -> None:
        """The landscape's run at the marker, revealed on its inset: checked at every step it shows."""
        super().reveal_inset(one)
        self.check_steps([self.inset.curve], swept_steps(0, one.run.last_step, 3.0), one.run.last_step)

    def check_arrows(self, pieces, schedule, beat: str) -> None:
        """Each caption of the run that names arrows: every arrow reaches MIN_ARROW of the frame's width at
        some step while it is up (an arrow is as long as it is drawn; a hidden one has no length)."""
        from .pieces import StepArrow

        arrows = [m for piece in pieces for m in piece.get_family() if isinstance(m, StepArrow)]
        clock, least = self.beats["clock"], MIN_ARROW * frame()[0]
        for start, end, line in self.cues:
            end = self.now if end is None else end
            named = [a for a in arrows if any(w in line.lower() for w in ARROW_WORDS.get(a.color_, ()))]
            if end <= clock or not named:
                continue
            steps = sorted({schedule.at(t - clock)[0] for t in np.linspace(max(start, clock), end, 40)})
            longest = dict.fromkeys(named, 0.0)
            for k in steps:
                self.set_step(pieces, min(k, len(schedule.durations)), 0.0)
                for arrow in named:
                    drawn = arrow.arrow.get_stroke_opacity() > 0
                    length = np.linalg.norm(arrow.arrow.get_end() - arrow.arrow.get_start()) if drawn else 0.0
                    longest[arrow] = max(longest[arrow], length)
            for arrow, length in longest.items():
                if length < least:
                    self.problems.append(
                        problem(
                            "too_small",
                            beat,
                            steps[-1],
                            [arrow.text.get_tex_string()],
                            f"the caption names this arrow; it is {length / frame()[0]:.1%} "
                            f"of the frame wide at most (< {MIN_ARROW:.0%}): {line}",
                            True,
                        )
                    )


def caption_problems(cues: list[list], beats: dict[str, float]) -> list[dict]:
    """A caption held longer than MAX_CAPTION seconds (except while the run moves under it), or shorter than its
    length at READING_CHARS a second."""
    starts = sorted((t, name) for name, t in beats.items() if name != "clock")
    clock = beats.get("clock", float("inf"))
    running = [name for t, name in starts if t <= clock][-1] if "clock" in beats else None
    found = []
    for start, end, line in cues:
        beat = [name for t, name in starts if t <= start + 1e-9][-1]
        held, need = end - start, len(line) / READING_CHARS
        if held > MAX_CAPTION + 1e-6 and not (beat == running and start >= clock):
            found.append(
                problem("slow_caption", beat, None, [line], f"held {held:.1f} s > {MAX_CAPTION:g} s", True)
            )
        elif held < need - 1e-6:
            found.append(
                problem(
                    "fast_caption",
                    beat,
                    None,
                    [line],
                    f"held {held:.1f} s < {need:.1f} s ({len(line)} characters at {READING_CHARS:g}/s)",
                    True,
                )
            )
    return found


def merged(problems: list[dict]) -> list[dict]:
    """One entry per (kind, beat, texts), numbers aside (a marker's words change as its run goes): the first
    step it was seen at, and all of them in `steps`."""
    out: dict[tuple, dict] = {}
    for p in problems:
        key = (p["kind"], p["beat"], tuple(re.sub(r"-?\d+(?:[.,]\d+)?", "#", text) for text in p["texts"]))
        if key in out:
            out[key]["steps"].append(p["step"])
        else:
            out[key] = {**p, "steps": [p["step"]]}
    return list(out.values())


def built(subject, lang: str = "en"):
    """The lecture of `subject` in `lang` (an Audited scene), built without drawing or encoding anything: its
    `problems`, `frames` and `texts_checked` say what was found and checked, its mobjects are as it ended."""
    import shutil
    import tempfile

    from manim import tempconfig

    from ..lectures import scene_class
    from ..pipeline import compat, extensions, files

    extensions.log_on_stderr()
    compat.apply()
    work = tempfile.mkdtemp(prefix=files.private_prefix(hidden=False))
    settings = {
        "quality": "low_quality",
        "pixel_height": 90,
        "pixel_width": 160,
        "media_dir": work,
        "tex_dir": str(files.cache_dir() / "tex"),
        "text_dir": str(files.cache_dir() / "texts"),
        "disable_caching": True,
        "verbosity": "WARNING",
        "write_to_movie": False,
        "save_last_frame": False,
        "progress_bar": "none",
    }
    try:
        with tempconfig(settings):
            base = scene_class(subject)
            # played undrawn (scenes.pipeline.compat): each play's updaters brought to its last frame at once
            audited = type(f"Audited{base.__name__}", (Audited, base), {})
            lecture = extensions.build(audited, subject, lang=lang, skip_animations=True)
            lecture.setup()
            lecture.construct()
            lecture.cues[-1][1] = lecture.now
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return lecture


def audit(subject, lang: str = "en") -> dict:
    """The layout report on the lecture of `subject` in `lang`, built without drawing or encoding anything:
    {"problems": [...], "checked": {"beats", "frames", "texts"}}."""
    return report(built(subject, lang))


def report(lecture) -> dict:
    """The layout report on a lecture `built`: {"problems": [...], "checked": {"beats", "frames", "texts"}}."""
    found = lecture.problems + caption_problems(lecture.cues, lecture.beats)
    checked = {"beats": len(lecture.BEATS), "frames": lecture.frames, "texts": lecture.texts_checked}
    return {"problems": merged(found), "checked": checked}


def command():
    """The click command: render.py's scene, language and hyperparameter options, nothing else."""
    import click

    from ..pipeline.options import hyperparameter_options, usage_errors
    from ..pipeline.request import resolve, scenes
    from ..words import locales

    @click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
    @click.option(
        "--scene",
        type=click.Choice(scenes()),
        default="parabola",
        show_default=True,
        help="which lecture; landscape: the (α, β) map of --problem",
    )
    @click.option("--lang", type=click.Choice(locales.available()), default="en", show_default=True)
    @hyperparameter_options
    def main(scene, lang, **given):
        """Check a lecture's layout without making a video: one JSON object; exit 1 when it found problems."""
        with usage_errors():  # a bad option: one line, exit status 2
            report = audit(resolve(scene, given), lang)
        click.echo(json.dumps(report, ensure_ascii=False, indent=1))
        sys.exit(1 if report["problems"] else 0)

    return main


if __name__ == "__main__":
    command()()
