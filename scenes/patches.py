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


def _replacements():
    """(owner, attribute, replacement factory, why): each replacement of Manim's code."""
    from manim.mobject.svg import svg_mobject
    from manim.mobject.text import tex_mobject, text_mobject
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
    for owner, name, make, _why in _replacements():
        original = owner.__dict__[name]
        function = getattr(original, "__func__", original)
        if not hasattr(function, "original"):
            new = make(function)
            getattr(new, "__func__", new).original = function
            setattr(owner, name, new)


def messages_to_stderr() -> None:
    """Manim's log goes to stderr, so that stdout ends with the video's path."""
    from manim import logger
    from manim._config import error_console

    for handler in logger.handlers:
        handler.console = error_console
