"""Everything that replaces Manim's own behaviour, in one place, applied by `apply()` before a render.

Each replacement was tried with the Manim versions in TESTED only; with another version `apply()` leaves
Manim as it is and says so once, so a render still works (unsafely in parallel, or slower)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

TESTED = ("0.22",)  # the Manim minor versions whose private code these replacements were tried with


def cache_dir() -> Path:
    """Manim's LaTeX and text caches live here, outside the output folder, shared between renders."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "momentum-lectures"


@contextlib.contextmanager
def cache_lock():
    """An exclusive lock on the shared caches (and the class page), across processes."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    with open(cache_dir() / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# What this project's temporary files and folders are called: the owner's pid is in the name, so a later run
# can remove those of a process that was killed (SIGKILL leaves them behind).
TEMPORARY = re.compile(r"^(?:momentum-render|\.momentum-part)-(\d+)-")


def private_prefix(hidden: bool = True) -> str:
    """The start of a temporary file's or folder's name: hidden beside the files it becomes, else the work
    folder in TMPDIR."""
    return f"{'.momentum-part' if hidden else 'momentum-render'}-{os.getpid()}-"


def sweep(folder: Path) -> None:
    """Remove the temporary files and folders in `folder` whose process is gone."""
    with contextlib.suppress(OSError):
        for entry in Path(folder).iterdir():
            match = TEMPORARY.match(entry.name)
            if match and not alive(int(match[1])):
                shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


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


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` under a temporary name beside it, then rename it into place: a reader never
    sees half a file, and a failure leaves the old one whole."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=private_prefix())
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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


def _cached_tex(make):
    """tex_to_svg_file through the cache: LaTeX runs in a private folder (Manim deletes every non-SVG file
    of the folder it compiles in), and only a whole SVG is renamed into the shared one, under the lock."""
    from manim.utils import tex_file_writing

    @functools.wraps(make)
    def tex_to_svg_file(expression, environment=None, tex_template=None):
        with cache_lock(), staged("tex_dir") as (shared, _):
            name = tex_file_writing.generate_tex_file(expression, environment, tex_template).with_suffix(
                ".svg"
            )
            target = shared / name.name
            if not whole_svg(target):
                made = Path(make(expression, environment, tex_template))
                _check_made(made, shared)
                os.replace(made, target)
        return target

    return tex_to_svg_file


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


def _write_frame(self, pixels, *, repeat: int = 1) -> None:
    """VideoSegmentEncoder.write_frame that wraps each frame without copying it and, for a frame held still
    (`repeat` frames), converts it to the video's pixel format once instead of once per repeat. x264
    receives the same pictures, so the video is the same, made faster: a held frame at 1080p cost 17.5 ms,
    now 7.3 ms (measured here). Manim hands the pixels over, so no copy is needed."""
    from fractions import Fraction

    import av

    self._validate_frame(pixels, repeat)
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
        if repeat > 1:
            frame = frame.reformat(format=self._stream.pix_fmt)
        for _ in range(repeat):
            frame.pts, frame.time_base = self._next_pts, time_base
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def _play(self, scene, *args, **kwargs) -> None:
    """CairoRenderer.play, except that an animation that is not drawn (outside from_animation_number /
    upto_animation_number, found in the segment cache, or every one when `renderer.planning`) is played frame
    by frame without drawing (`_undrawn`), so the clock and the updaters move exactly as in a drawn render.
    Each play's segment key (or None), frame count and whether it is held still are recorded in
    `renderer.played`; `renderer.reuse` False renders every animation again (the segment is rewritten)."""
    self.skip_animations = self._original_skipping_status
    self.update_skipping_status()
    scene.compile_animation_data(*args, **kwargs)
    planning = getattr(self, "planning", False)
    key = None if self.skip_animations or planning else segment_key(self, scene)
    looked = key is not None and not key.startswith("uncached_") and getattr(self, "reuse", True)
    found = looked and self.file_writer.is_already_cached(key)
    self.skip_animations = self.skip_animations or found or planning
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
    """Play the compiled animation without drawing or encoding: a still frame advances the clock by its
    frames at once (as freeze_current_frame does), anything else steps through every frame's time with its
    updaters (renderer.render only counts the frame, `_render`)."""
    dt = 1 / renderer.camera.frame_rate
    if held:
        renderer.time += int(scene.duration / dt) * dt
        return
    renderer.skip_animations, renderer.undrawn = False, True
    try:
        scene.play_internal()
    finally:
        renderer.skip_animations, renderer.undrawn = True, False


def _render(render):
    """CairoRenderer.render that, while a play is undrawn, only advances the clock by one frame, exactly as
    add_frame does for a drawn one."""

    @functools.wraps(render)
    def wrapper(self, scene, time, moving_mobjects=None):
        if getattr(self, "undrawn", False):
            self.time += 1 * (1 / self.camera.frame_rate)
            return None
        return render(self, scene, time, moving_mobjects)

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
    @functools.wraps(finish)
    def wrapper(self):
        done = self._closed
        finish(self)
        if not done:
            os.replace(self.target, self.final)
            self.target = self.final

    return wrapper


def _replacements():
    """(owner, attribute, replacement factory, why): each replacement of Manim's code."""
    from manim.mobject.svg import svg_mobject
    from manim.mobject.text import tex_mobject, text_mobject
    from manim.renderer import cairo_renderer
    from manim.scene import video_segment_encoder

    return [
        # two renders compile LaTeX into one shared folder, and Manim deletes the other's files (no issue filed)
        (tex_mobject, "tex_to_svg_file", _cached_tex, "LaTeX cache made whole, under a lock"),
        # Text writes its SVG in place where another render reads it (manimpango rewrites it with "w")
        (text_mobject.Text, "_text2svg", _cached_text, "text cache made whole, under a lock"),
        (text_mobject.MarkupText, "_text2svg", _cached_text, "text cache made whole, under a lock"),
        (
            text_mobject.PangoUtils,
            "remove_last_M",
            lambda _: staticmethod(remove_last_m),
            "rewrite by rename",
        ),
        # generate_mobject writes a temporary copy beside the cached SVG and deletes it: another render's too
        (svg_mobject.SVGMobject, "generate_mobject", _locked, "SVG parsing under the cache lock"),
        # every held frame was converted to yuv420p again (Manim 0.22's segment encoder)
        (
            video_segment_encoder.VideoSegmentEncoder,
            "write_frame",
            lambda _: _write_frame,
            "held frames once",
        ),
        # a skipped (or cached) play moved the clock by its run time, not its frames, and updaters once with
        # the whole of it: a chunk's start or a reused segment drifted from a one-process render (no issue
        # filed); a sound added after a skipped play was dropped
        (cairo_renderer.CairoRenderer, "play", lambda _: _play, "undrawn plays keep the timeline"),
        (cairo_renderer.CairoRenderer, "render", _render, "undrawn plays keep the timeline"),
        # a segment was written in place in the (shared) cache folder: another render could take it half-made
        (video_segment_encoder.VideoSegmentEncoder, "__init__", _segment_init, "segment made whole"),
        (video_segment_encoder.VideoSegmentEncoder, "finish", _segment_finish, "segment made whole"),
    ]


def apply() -> None:
    """Install every replacement once per process (a second call changes nothing); with an untested Manim
    version, install none and warn."""
    import manim
    from manim import logger

    if not manim.__version__.startswith(tuple(v + "." for v in TESTED)):
        if not getattr(apply, "warned", False):
            logger.warning(
                "Manim %s is untested here: parallel renders may share caches unsafely", manim.__version__
            )
            apply.warned = True
        return
    from manim.utils import hashing

    # the camera's display_funcs are filled on its first drawn frame: a play hashed after undrawn ones (a chunk's
    # start, reused segments) got another key than in a render that drew them (no issue filed)
    hashing.KEYS_TO_FILTER_OUT.add("display_funcs")
    for owner, name, make, _why in _replacements():
        original = owner.__dict__[name]
        function = getattr(original, "__func__", original)
        if not hasattr(function, "original"):
            new = make(function)
            getattr(new, "__func__", new).original = function
            setattr(owner, name, new)


def applied() -> bool:
    """Whether apply() installed the replacements (the Manim version is tested): chunks and reuse need them."""
    from manim.renderer.cairo_renderer import CairoRenderer

    return hasattr(CairoRenderer.play, "original")


def messages_to_stderr() -> None:
    """Manim's log goes to stderr, so that stdout ends with the video's path."""
    from manim import logger
    from manim._config import error_console

    for handler in logger.handlers:
        handler.console = error_console
