"""Everything that replaces Manim's own behaviour, in one place, applied by `apply()` before a render.

REPLACEMENTS lists each with its reason and the upstream issue it belongs to. They were tried with the
versions in TESTED only; with another version `apply()` leaves that package as it is and says so once, so a
render still works (unsafely in parallel, or slower). Nothing outside this module touches a private member
of Manim or manim-slides (tests/core/test_compat.py checks both)."""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import importlib
import io
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from ..kit.pacing import frame_times
from .files import cache_lock, private_prefix, replace_file


def whole_svg(path: Path) -> bool:
    """Whether `path` is a complete SVG file (a render killed while writing one leaves it empty or cut)."""
    try:
        return path.stat().st_size > 0 and ET.parse(path).getroot().tag.endswith("svg")
    except (OSError, ET.ParseError):
        return False


@contextlib.contextmanager
def staged(key: str):
    """Point Manim's config `key` (tex_dir or text_dir) at a private folder inside it for the duration, so
    files are made there and only whole ones are renamed into the shared folder. Yields (shared, private).
    The private folder carries this process's pid: a later render removes it if this one was killed."""
    from manim import config

    shared = Path(config.get_dir(key))
    shared.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(prefix=private_prefix(), dir=shared))
    setattr(config, key, str(private))
    try:
        yield shared, private
    finally:
        setattr(config, key, str(shared))
        shutil.rmtree(private, ignore_errors=True)


def remove_last_m(file_name) -> None:
    """manimpango's PangoUtils.remove_last_M, but it rewrites the file only when that changes it, and by a
    rename: Manim calls it on the shared cached SVG outside any lock, and the original truncates it in place
    (another render reading it then finds it empty)."""
    path = Path(file_name)
    content = path.read_text(encoding="utf-8")
    fixed = re.sub(r'Z M [^A-Za-z]*? "\/>', 'Z "/>', content)
    if fixed != content:
        replace_file(path, fixed.encode("utf-8"))


# Pango wraps a Text's lines at the frame's pixel width, and Manim's cache name leaves the width out: at 480p a
# caption came out in three overlapping lines, at 1080p in two, whichever quality made the cache entry first.
# Texts are made on a canvas wider than any line, the same at every quality (upstream: Text._text2svg passes
# config.pixel_width to manimpango.text2svg; no upstream issue found).
TEXT_CANVAS = (16384, 4096)  # pixels


def _cached_text(make):
    """Text._text2svg (and MarkupText's) through the cache: a whole SVG is used, else it is made in private
    (never wrapped: on TEXT_CANVAS) and renamed into place, under the lock."""

    @functools.wraps(make)
    def text2svg(self, color):
        with cache_lock():
            from manim import config

            target = Path(config.get_dir("text_dir")) / f"{self._text2hash(color)}-unwrapped.svg"
            if whole_svg(target):
                return str(target)
            with staged("text_dir"), canvas(*TEXT_CANVAS):
                made = Path(make(self, color))
                _check_made(made, target.parent)
                remove_last_m(made)  # now, so Manim's own call on the shared file changes nothing
                os.replace(made, target)
        return str(target)

    return text2svg


@contextlib.contextmanager
def canvas(width: int, height: int):
    """Manim's pixel size set to width × height for the duration (the frame's size in units unchanged)."""
    from manim import config

    kept = config.pixel_width, config.pixel_height, config.frame_width, config.frame_height
    config.pixel_width, config.pixel_height = width, height
    try:
        yield
    finally:
        config.pixel_width, config.pixel_height, config.frame_width, config.frame_height = kept


# LaTeX and dvisvgm run with kpathsea's paranoid reading and writing (no absolute path, no "..", no dot
# file), no shell escape, in a session of their own (killed whole), each run limited to TEX_SECONDS of wall
# clock and of CPU (the CPU limit stops it even if this process is SIGKILLed) and its files to TEX_BYTES.
TEX_ENV = {"openin_any": "p", "openout_any": "p", "shell_escape": "f"}
TEX_SECONDS = 30  # a formula takes under a second here; a loop in TeX would run forever
TEX_BYTES = 64 << 20  # a formula's files are a few kilobytes; a loop writing to its log would fill the disk
MARKERS = re.compile(r"\\special\{dvisvgm:raw [^}]*\}")  # what Manim adds around a formula's parts


class TexError(RuntimeError):
    """LaTeX that failed or ran out of time: one line naming the formula and why."""


def _cached_tex(make):
    """tex_to_svg_file through the cache: a whole SVG there is used; else the formula is made in a private
    folder (`tex_svg`, sandboxed, no lock held) and only its whole SVG is renamed into place, under the lock.
    Manim's own (`make`) is not called: it runs LaTeX unbounded and in the shared folder."""

    @functools.wraps(make)
    def tex_to_svg_file(expression, environment=None, tex_template=None):
        from manim import config
        from manim.utils.tex_file_writing import tex_hash

        template = tex_template or config["tex_template"]
        code = (
            template.get_texcode_for_expression_in_env(expression, environment)
            if environment is not None
            else template.get_texcode_for_expression(expression)
        )
        shared = Path(config.get_dir("tex_dir"))
        shared.mkdir(parents=True, exist_ok=True)
        target = shared / f"{tex_hash(code)}.svg"  # Manim's own name for it
        if not whole_svg(target):
            private = Path(tempfile.mkdtemp(prefix=private_prefix(), dir=shared))
            try:
                made = tex_svg(code, private, template, expression)
                _check_made(made, shared)
                with cache_lock():
                    os.replace(made, target)
            finally:
                shutil.rmtree(private, ignore_errors=True)
        return target

    return tex_to_svg_file


def tex_svg(code: str, folder: Path, template, expression: str = "") -> Path:
    """The SVG of the TeX document `code`, made in `folder` by `template`'s compiler(s) and dvisvgm, each
    sandboxed (`sandboxed`); raises TexError naming `expression` when one fails or runs out of time."""
    from manim.utils.tex_file_writing import make_tex_compilation_command

    source = folder / "formula.tex"
    source.write_text(code, encoding="utf-8")
    shown = MARKERS.sub("", expression)
    what = repr(shown if len(shown) <= 60 else shown[:57] + "...")
    compilers = [template.tex_compiler] if isinstance(template.tex_compiler, str) else template.tex_compiler
    for compiler in compilers:
        command = make_tex_compilation_command(compiler, template.output_format, Path(source.name), Path("."))
        if sandboxed([command[0], "-no-shell-escape", *command[1:]], folder, what) != 0:
            raise TexError(f"LaTeX could not typeset {what}: {tex_complaint(source.with_suffix('.log'))}")
    made, svg = source.with_suffix(template.output_format), source.with_suffix(".svg")
    pdf = ["--pdf"] if template.output_format == ".pdf" else []
    command = ["dvisvgm", *pdf, "--page=1", "--no-fonts", "--verbosity=0", f"--output={svg.name}", made.name]
    if sandboxed(command, folder, what) != 0 or not svg.exists():
        raise TexError(f"dvisvgm could not convert {what} to SVG")
    return svg


def sandboxed(command: list[str], folder: Path, what: str) -> int:
    """Run `command` in `folder` in a session of its own, paranoid (TEX_ENV) and limited (TEX_SECONDS,
    TEX_BYTES); return its exit status. Whatever ends the wait (the time limit, a signal, an error) kills
    its whole process group first; the time limit is a TexError naming `what`."""
    process = subprocess.Popen(
        command,
        cwd=folder,
        env={**os.environ, **TEX_ENV},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        with contextlib.suppress(OSError):  # it may already have ended
            resource.prlimit(process.pid, resource.RLIMIT_CPU, (int(TEX_SECONDS), int(TEX_SECONDS) + 1))
            resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (TEX_BYTES, TEX_BYTES))
        return process.wait(TEX_SECONDS)
    except subprocess.TimeoutExpired:
        raise TexError(f"{command[0]} took longer than {TEX_SECONDS} s on {what} and was stopped") from None
    finally:
        if process.poll() is None:  # not reaped: its group id is still its own, no one else's
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def tex_complaint(log: Path) -> str:
    """LaTeX's first error line in `log` ("! Undefined control sequence."), or that it left none."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "it wrote no log"
    return next((line[2:].strip() for line in lines if line.startswith("! ")), "no error in its log")


def _check_made(made: Path, folder: Path) -> None:
    """A freshly made SVG that is not whole means the cache's disk refused it."""
    if not whole_svg(made):
        raise OSError(
            errno.ENOSPC, f"{os.strerror(errno.ENOSPC)} (a cache entry came out empty)", str(folder)
        )


def _locked(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with cache_lock():
            return function(*args, **kwargs)

    return wrapper


# x264's search for a segment of one picture held still: its bitstream headers (SPS, PPS) are those of every
# other segment, so the join stays valid, and its pictures decode the same to within 90 dB PSNR, for 30 % less
# CPU (6.1 → 4.2 ms a frame at 1080p, measured here on lecture frames)
STILL = "b-adapt=0:scenecut=0:subme=0"


def _write_frame(self, pixels, *, repeat: int = 1) -> None:
    """VideoSegmentEncoder.write_frame that wraps each frame without copying it and, for a frame held still
    (`repeat` frames, or the same array sent again by `_render`), converts it to the video's pixel format
    once instead of once per frame. x264 receives the same pictures, so the video is the same, made faster:
    a held frame at 1080p cost 17.5 ms, now 7.3 ms (measured here). Manim hands the pixels over, so no copy
    is needed. A segment held still (one picture, repeated: freeze_current_frame) is searched less (STILL)."""
    from fractions import Fraction

    import av

    self._validate_frame(pixels, repeat)
    if repeat > 1 and self._next_pts == 0 and self.spec.codec == "libx264":  # a segment held still
        context = self._stream.codec_context
        context.options = {**context.options, "x264-params": STILL}
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        last = getattr(self, "last_frame", (None, None))
        if last[0] is pixels:  # the same picture sent again (_render): converted once
            frame = last[1]
        else:
            frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
            # as the encoder itself would convert it (the same swscale threads)
            frame = frame.reformat(
                format=self._stream.pix_fmt, threads=self._stream.codec_context.thread_count
            )
            self.last_frame = (pixels, frame)
        for _ in range(repeat):
            frame.pts, frame.time_base = self._next_pts, time_base
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def _play(self, scene, *args, **kwargs) -> None:
    """CairoRenderer.play, except that an animation that is not drawn (outside from_animation_number /
    upto_animation_number, found in the segment cache, or after play `renderer.drawn_upto`: -1 for every
    one) is played without drawing (`_undrawn`), the clock and the updaters as in a drawn render.
    Each play's segment key (or None), frame count and whether it is held still are recorded in
    `renderer.played`; `renderer.reuse` False renders every animation again (the segment is rewritten)."""
    self.skip_animations = self._original_skipping_status
    self.update_skipping_status()
    scene.compile_animation_data(*args, **kwargs)
    later = self.num_plays > getattr(self, "drawn_upto", self.num_plays)  # than what this render draws
    key = None if self.skip_animations or later else segment_key(self, scene)
    looked = key is not None and not key.startswith("uncached_") and getattr(self, "reuse", True)
    found = looked and _reusable(self, key)
    self.skip_animations = self.skip_animations or found or later
    self.file_writer.add_partial_movie_file(key)
    self.animations_hashes.append(key)
    self.file_writer.begin_animation(not self.skip_animations, animation_index=self.num_plays)
    scene.begin_animations()
    held, start = scene.is_current_animation_frozen_frame(), self.time
    if self.skip_animations:
        _undrawn(self, scene, held)
    else:
        self.save_static_frame_data(scene, scene.static_mobjects)
        if held:
            self.update_frame(scene, mobjects=scene.moving_mobjects)
            self.freeze_current_frame(scene.duration)
        else:
            scene.play_internal()
    self.file_writer.end_animation(not self.skip_animations)
    frames = round((self.time - start) * self.camera.frame_rate)
    getattr(self, "played", []).append((key, frames, held, bool(found)))
    self.num_plays += 1
    self.skip_animations = self._original_skipping_status  # a sound added after a skipped play is kept


def segment_key(renderer, scene) -> str:
    """Manim's cache key of the play about to run (its hash, or uncached_<n> with caching off)."""
    from manim import config
    from manim._config.video_encoder import video_encoder_fingerprint
    from manim.utils.hashing import get_hash_from_play_call

    if config["disable_caching"]:
        return f"uncached_{renderer.num_plays:05}"
    return get_hash_from_play_call(
        scene,
        renderer.camera,
        scene.animations,
        scene.mobjects,
        backend="cairo",
        encoder_fingerprint=video_encoder_fingerprint(scene.session_spec.video_encoder),
        renderer_state=(),
    )


def _undrawn(renderer, scene, held: bool) -> None:
    """Play the compiled animation without drawing or encoding: the clock advances by its frames at once (as
    freeze_current_frame does for a still one), and a moving one's animations and updaters are brought to
    its last frame's time in one update (renderer.render only counts the frame, `_render`). The lectures'
    updaters are functions of the clock, not of the frames before: what a drawn render shows at that frame
    (a wait until a condition, which the lectures do not use, is updated at every frame)."""
    from manim import Wait

    dt = 1 / renderer.camera.frame_rate
    if held:
        renderer.time += int(scene.duration / dt) * dt
        return
    waits = any(isinstance(a, Wait) and a.stop_condition is not None for a in scene.animations)
    last = -1.0 if waits else frame_times(scene.duration)[-1]
    update = scene.update_to_time
    scene.update_to_time = lambda t: update(t) if t >= last else None
    renderer.skip_animations, renderer.undrawn = False, True
    try:
        scene.play_internal()
    finally:
        renderer.skip_animations, renderer.undrawn = True, False
        del scene.update_to_time


def _render(render):
    """CairoRenderer.render that stops the render once `renderer.stopped` (an Event) is set; that, while a
    play is undrawn, only advances the clock by one frame, exactly as add_frame does for a drawn one; and
    that sends the play's previous frame again, without drawing it, when the scene says nothing changed
    since (its `frame_unchanged()`, scenes.kit.lecture: the run at rest)."""

    @functools.wraps(render)
    def wrapper(self, scene, time, moving_mobjects=None):
        if getattr(self, "stopped", None) is not None and self.stopped.is_set():
            raise KeyboardInterrupt  # asked to stop (scenes.pipeline.chunks): Manim removes the unfinished segment
        if getattr(self, "undrawn", False):
            self.time += 1 * (1 / self.camera.frame_rate)
            return None
        drawn = getattr(self, "drawn_frame", (None, None))
        if drawn[0] == self.num_plays and getattr(scene, "frame_unchanged", bool)():
            self.add_frame(drawn[1])  # the same array: the encoder converts it once (_write_frame)
            return None
        self.update_frame(scene, moving_mobjects)  # what CairoRenderer.render does, the frame kept
        frame = self.get_frame()
        self.drawn_frame = (self.num_plays, frame)
        self.add_frame(frame)
        return None

    return wrapper


def _segment_init(init):
    """VideoSegmentEncoder.__init__ that encodes into a private file beside the segment (`_segment_finish`
    renames it into place): a render sharing the segment cache never takes a half-written segment."""

    @functools.wraps(init)
    def wrapper(self, *, target, spec):
        self.final = Path(target)
        self.final.parent.mkdir(parents=True, exist_ok=True)
        handle, private = tempfile.mkstemp(dir=self.final.parent, prefix=private_prefix(), suffix=".mp4")
        os.close(handle)
        init(self, target=Path(private), spec=spec)

    return wrapper


def _segment_finish(finish):
    """VideoSegmentEncoder.finish that installs the finished segment with its record (`seal`)."""

    @functools.wraps(finish)
    def wrapper(self):
        done = self._closed
        finish(self)
        if not done:
            seal(self.final, made=self.target)
            self.target = self.final

    return wrapper


def record(segment: Path) -> Path:
    """The file beside a cached segment that says what it must be (`fingerprint`)."""
    return segment.with_suffix(".sha256")


def fingerprint(file: BinaryIO) -> str:
    """A segment's size in bytes and SHA-256 (read from an open file or BytesIO), as its record holds them."""
    digest = hashlib.file_digest(file, "sha256").hexdigest()
    return f"{file.seek(0, os.SEEK_END)} {digest}\n"


def seal(segment: Path, data: bytes | None = None, made: Path | None = None) -> None:
    """Install a segment at `segment`: `data` written there, or the file `made` renamed there; its record
    first, so a segment in place has a record, and one that no longer matches it is never reused."""
    with open(made, "rb") if data is None else io.BytesIO(data) as file:
        replace_file(record(segment), fingerprint(file).encode())
    if data is None:
        os.replace(made, segment)
    else:
        replace_file(segment, data)


def check(segment: Path) -> str:
    """'whole' if the cached segment is what its record says, 'unrecorded' if it has none (a cache made
    before records were kept), else 'damaged' (cut, overwritten, unreadable or not a regular file)."""
    written = record(segment)
    if not written.exists() and not written.is_symlink():
        return "unrecorded"
    try:
        regular = written.is_file() and segment.is_file() and written.stat().st_size < 200
        recorded = written.read_text(encoding="ascii") if regular else ""
        if recorded.split(" ")[0] != str(segment.stat().st_size):  # a cut one is not even read
            return "damaged"
        with open(segment, "rb") as file:
            return "whole" if fingerprint(file) == recorded else "damaged"
    except (OSError, ValueError):
        return "damaged"


def _reusable(renderer, key: str) -> bool:
    """Whether the play's segment is in the cache, whole. A damaged one is drawn again, said in one line
    (the new one is renamed over it: a render joining the old one meanwhile never loses a file)."""
    if not renderer.file_writer.is_already_cached(key):
        return False
    path = renderer.file_writer.output_plan.segment_path(key)
    state = check(path)
    if state == "damaged":
        print(f"warning: a damaged animation in the cache is drawn again: {path}", file=sys.stderr)
    return state == "whole"


# What Manim's hash of a play leaves out besides its own list: nothing that is drawn. The drawn state (points,
# colours, widths) is hashed as it is; walking a glyph's parsed SVG path, Python object by Python object, was
# five sixths of the hash's time (14.5 s of CPU → 2.4 s for the parabola lecture, measured here).
UNHASHED = {
    "display_funcs": "the camera's, filled on the first drawn frame: drawn or not, a play has one key",
    "path_obj": "an SVG path's parsed source (svgelements objects), already turned into its points",
    "id_to_vgroup_dict": "a TeX's groups by id, for look-ups: the drawn ones are among its submobjects",
}
DIGITS = 7  # decimals of the values a play's key is made of: a pixel of a 4K frame is 4e-3 scene units wide


def _hash_drawn_state_only(entry: Replacement) -> None:
    """Manim's hash of a play without UNHASHED's keys, and of arrays by their values alone: rounded to
    DIGITS (a frame's state reached by other frames before it, a chunk's undrawn plays or a one-process
    render's drawn ones, differs by rounding), never by which object holds them (an array shared by two
    mobjects in one process is two in a chunk's: np.asarray(a, dtype=float) wraps an unpickled array anew)."""
    import numpy as np
    from manim.utils import hashing

    hashing.KEYS_TO_FILTER_OUT.update(UNHASHED)
    if hasattr(hashing._hash_ndarray, "original"):
        return
    digest, handle = hashing._hash_ndarray, hashing._Memoizer._handle_already_processed

    def by_value(array: np.ndarray) -> str:
        return digest(np.round(array, DIGITS) + 0.0 if array.dtype.kind == "f" else array)  # -0.0 as 0.0

    def handled(self, obj, default_function):
        return default_function(obj) if isinstance(obj, np.ndarray) else handle(self, obj, default_function)

    by_value.original, hashing._hash_ndarray = digest, by_value
    hashing._Memoizer._handle_already_processed = handled


def _share_parsed_path(entry: Replacement) -> None:
    """A copy of an SVG path's mobject shares its parsed source (`path_obj`) instead of copying it: Manim reads
    it once, to make the points, when the mobject is made. Copying it, Python object by Python object, was
    most of a caption's FadeIn (the 1080p parabola's undrawn pass: 6.9 s of CPU, 5.4 s without it)."""
    from manim.mobject.mobject import Mobject
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    def deepcopy(self, memo: dict):
        memo.setdefault(id(self.path_obj), self.path_obj)
        return Mobject.__deepcopy__(self, memo)

    if "__deepcopy__" not in VMobjectFromSVGPath.__dict__:
        VMobjectFromSVGPath.__deepcopy__ = deepcopy


def _slide_init(self, *args, **kwargs) -> None:
    """manim-slides' Slide.__init__ without its config["write_to_movie"] = True (Manim 0.22 has no such key)."""
    from manim_slides.slide.manim import Slide

    super(Slide, self).__init__(*args, **kwargs)


def _slide_render(self, *args, **kwargs) -> None:
    """manim-slides' Slide.render without config["flush_cache"] (Manim 0.22 has no such key): render, then
    save the slides. The render's settings keep every partial movie (max_files_cached -1)."""
    from manim import config
    from manim_slides.slide.manim import Slide

    super(Slide, self).render(*args, **kwargs)
    self._save_slides(
        use_cache=not (config.disable_caching or self.disable_caching),
        flush_cache=self.flush_cache,
        skip_reversing=self.skip_reversing,
    )


def _log_on_stderr(entry: Replacement | None = None) -> None:
    """Every handler of Manim's logger prints on Manim's stderr console instead of its stdout one."""
    from manim import logger
    from manim._config import error_console

    for handler in logger.handlers:
        handler.console = error_console


def _swap(entry: Replacement) -> None:
    """Replace `entry.owner`'s attribute by `entry.make(original)`, once: the original is kept on the new
    function as `original`, and a second call changes nothing."""
    module, _, cls = entry.owner.partition(":")
    owner = importlib.import_module(module)
    owner = getattr(owner, cls) if cls else owner
    original = owner.__dict__[entry.name]
    function = getattr(original, "__func__", original)
    if not hasattr(function, "original"):
        new = entry.make(function)
        getattr(new, "__func__", new).original = function
        setattr(owner, entry.name, new)


@dataclass(frozen=True)
class Replacement:
    """One replacement of Manim's (or manim-slides') behaviour: by default `owner`'s attribute `name` becomes
    `make(original)`, where `owner` is "module" or "module:Class"."""

    owner: str
    name: str
    make: Callable | None
    reason: str  # one line: why it is replaced
    upstream: str  # the upstream issue or pull request it belongs to; the upstream code when none is filed
    install: Callable[[Replacement], None] = _swap

    @property
    def package(self) -> str:
        return self.owner.split(".")[0].split(":")[0]


MANIM = "https://github.com/ManimCommunity/manim"
SLIDES = "https://github.com/jeertmans/manim-slides/blob/main/manim_slides/slide/manim.py"
TEXT = "manim.mobject.text.text_mobject"
WHOLE_TEXT = (
    "text cache made whole under the lock, on a canvas wider than any line: Pango wraps at the pixel width"
)

REPLACEMENTS = (
    Replacement(
        "manim.mobject.text.tex_mobject",
        "tex_to_svg_file",
        _cached_tex,
        "LaTeX paranoid, time-limited, killed whole, in a private folder; only the rename into the cache is locked",
        f"{MANIM}/blob/main/manim/utils/tex_file_writing.py",
    ),
    Replacement(f"{TEXT}:Text", "_text2svg", _cached_text, WHOLE_TEXT, f"{MANIM}/issues/4043"),
    Replacement(f"{TEXT}:MarkupText", "_text2svg", _cached_text, WHOLE_TEXT, f"{MANIM}/issues/4043"),
    Replacement(
        f"{TEXT}:PangoUtils",
        "remove_last_M",
        lambda _: staticmethod(remove_last_m),
        "the shared cached SVG rewritten by a rename, only when it changes: manimpango truncates it in place",
        "https://github.com/ManimCommunity/ManimPango/blob/main/manimpango/utils.py",
    ),
    Replacement(
        "manim.mobject.svg.svg_mobject:SVGMobject",
        "generate_mobject",
        _locked,
        "parsed under the lock: it writes a modified copy beside the shared SVG and deletes it, another's too",
        f"{MANIM}/blob/main/manim/mobject/svg/svg_mobject.py",
    ),
    Replacement(
        "manim.scene.video_segment_encoder:VideoSegmentEncoder",
        "write_frame",
        lambda _: _write_frame,
        "a held frame converted to the video's pixel format once instead of once per repeat, and never copied",
        f"{MANIM}/pull/3503",
    ),
    Replacement(
        "manim.renderer.cairo_renderer:CairoRenderer",
        "play",
        lambda _: _play,
        "a skipped or reused play moved the clock by its run time, not its frames: chunks drifted from one render",
        f"{MANIM}/blob/main/manim/renderer/cairo_renderer.py",
    ),
    Replacement(
        "manim.renderer.cairo_renderer:CairoRenderer",
        "render",
        _render,
        "while a play is undrawn (_play), a frame only advances the clock, as a drawn frame does",
        f"{MANIM}/blob/main/manim/renderer/cairo_renderer.py",
    ),
    Replacement(
        "manim.scene.video_segment_encoder:VideoSegmentEncoder",
        "__init__",
        _segment_init,
        "a segment encoded under a private name: a render sharing the cache never takes a half-written one",
        f"{MANIM}/blob/main/manim/scene/video_segment_encoder.py",
    ),
    Replacement(
        "manim.scene.video_segment_encoder:VideoSegmentEncoder",
        "finish",
        _segment_finish,
        "the finished segment renamed into the shared cache",
        f"{MANIM}/blob/main/manim/scene/video_segment_encoder.py",
    ),
    Replacement(
        "manim.utils.hashing",
        "KEYS_TO_FILTER_OUT",
        None,
        "a play's hash of what is drawn (UNHASHED), by value: one key drawn or not, here or in a chunk",
        f"{MANIM}/blob/main/manim/utils/hashing.py",
        install=_hash_drawn_state_only,
    ),
    Replacement(
        "manim.mobject.svg.svg_mobject:VMobjectFromSVGPath",
        "__deepcopy__",
        None,
        "a copied glyph shares its parsed SVG source, read only when it was made: copying it cost 1.5 s a pass",
        f"{MANIM}/blob/main/manim/mobject/svg/svg_mobject.py",
        install=_share_parsed_path,
    ),
    Replacement(
        "manim:logger",
        "handlers",
        None,
        "Manim's log on stderr, so that stdout ends with the video's path (Manim's handler prints on stdout)",
        f"{MANIM}/blob/main/manim/_config/logger_utils.py",
        install=_log_on_stderr,
    ),
    Replacement(
        "manim_slides.slide.manim:Slide",
        "__init__",
        lambda _: _slide_init,
        "Slide.__init__ sets config['write_to_movie'], a setting Manim 0.22 no longer has",
        SLIDES,
    ),
    Replacement(
        "manim_slides.slide.manim:Slide",
        "render",
        lambda _: _slide_render,
        "Slide.render reads config['flush_cache'], a setting Manim 0.22 no longer has",
        SLIDES,
    ),
)

# The versions (major.minor) of each package whose private code these replacements were tried with
TESTED = {"manim": ("0.22",), "manim_slides": ("5.7",)}
UNTESTED = {  # what leaving a package's code as it is costs
    "manim": "parallel renders may share caches unsafely, LaTeX runs unbounded, and held frames encode slower",
    "manim_slides": "--slides may fail",
}
WARNED: set[str] = set()  # the packages whose untested version was already said


def installed_version(package: str) -> str:
    return metadata.version(package.replace("_", "-"))


def tested(package: str) -> bool:
    """Whether the installed `package` is a version the replacements were tried with."""
    return installed_version(package).startswith(tuple(v + "." for v in TESTED[package]))


def apply(package: str = "manim") -> None:
    """Install every replacement of `package` ("manim" or "manim_slides") once per process (a second call
    changes nothing); with a version not in TESTED, install none and say so once."""
    if not tested(package):
        if package not in WARNED:
            WARNED.add(package)
            print(
                f"warning: {package} {installed_version(package)} is untested here and left as it is:"
                f" {UNTESTED[package]}",
                file=sys.stderr,
            )
        return
    for entry in REPLACEMENTS:
        if entry.package == package:
            entry.install(entry)


def applied() -> bool:
    """Whether apply() installed the replacements (the Manim version is tested): chunks and reuse need them."""
    from manim.renderer.cairo_renderer import CairoRenderer

    return hasattr(CairoRenderer.play, "original")


def messages_to_stderr() -> None:
    """Manim's log goes to stderr, so that stdout ends with the video's path (on the tested versions)."""
    if tested("manim"):
        _log_on_stderr()
