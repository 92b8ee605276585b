"""What still replaces Manim's own code where it has no extension point, in one place, applied by `apply()`
before a render (the rest is extended at its extension points: scenes.pipeline.extensions).

REPLACEMENTS lists each with its reason and the upstream issue it belongs to ("no upstream issue", and the
upstream code it replaces, when none is filed). They were tried with the versions in TESTED only; with
another version `apply()` leaves that package as it is and says so once, so a render still works (unsafely
in parallel, or slower). It also keeps the records of cached segments (`seal`, `check`). Nothing outside
this module and the extensions touches a private member of Manim or manim-slides (tests/core/test_compat.py)."""

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
    upstream: (
        str  # the upstream issue or pull request; "no upstream issue: " and the code, when none is filed
    )
    install: Callable[[Replacement], None] = _swap

    @property
    def package(self) -> str:
        return self.owner.split(".")[0].split(":")[0]


MANIM = "https://github.com/ManimCommunity/manim"
NONE = "no upstream issue: "  # then the upstream code it replaces
TEXT = "manim.mobject.text.text_mobject"
WHOLE_TEXT = (
    "made on a canvas wider than any line, whole, under the lock: Pango wraps at the frame's pixel width"
)

REPLACEMENTS = (
    Replacement(
        "manim.mobject.text.tex_mobject",
        "tex_to_svg_file",
        _cached_tex,
        "LaTeX paranoid, time-limited, killed whole, in a private folder; only the rename into the cache is locked",
        f"{NONE}{MANIM}/blob/main/manim/utils/tex_file_writing.py",
    ),
    Replacement(f"{TEXT}:Text", "_text2svg", _cached_text, WHOLE_TEXT, f"{MANIM}/issues/4043"),
    Replacement(f"{TEXT}:MarkupText", "_text2svg", _cached_text, WHOLE_TEXT, f"{MANIM}/issues/4043"),
    Replacement(
        f"{TEXT}:PangoUtils",
        "remove_last_M",
        lambda _: staticmethod(remove_last_m),
        "the shared cached SVG rewritten by a rename, only when it changes: manimpango truncates it in place",
        f"{NONE}https://github.com/ManimCommunity/ManimPango/blob/main/manimpango/utils.py",
    ),
    Replacement(
        "manim.mobject.svg.svg_mobject:SVGMobject",
        "generate_mobject",
        _locked,
        "parsed under the lock: it writes a modified copy beside the shared SVG and deletes it, another's too",
        f"{NONE}{MANIM}/blob/main/manim/mobject/svg/svg_mobject.py",
    ),
    Replacement(
        "manim.utils.hashing",
        "KEYS_TO_FILTER_OUT",
        None,
        "a play's hash of what is drawn (UNHASHED), by value: one key drawn or not, here or in a chunk, sooner",
        f"{MANIM}/issues/2710",
        install=_hash_drawn_state_only,
    ),
    Replacement(
        "manim.mobject.svg.svg_mobject:VMobjectFromSVGPath",
        "__deepcopy__",
        None,
        "a copied glyph shares its parsed SVG source, read only when it was made: copying it cost 1.5 s a pass",
        f"{NONE}{MANIM}/blob/main/manim/mobject/svg/svg_mobject.py",
        install=_share_parsed_path,
    ),
)

# The versions (major.minor) of each package whose private code these replacements (and the subclasses of
# scenes.pipeline.extensions) were tried with
TESTED = {"manim": ("0.22",), "manim_slides": ("5.7",)}
UNTESTED = {  # what leaving a package's code as it is costs
    "manim": "parallel renders may share caches unsafely, LaTeX runs unbounded, and held frames encode slower",
    "manim_slides": "--slides may fail",
}
WARNED: set[str] = set()  # the packages whose untested version was already said
APPLIED: set[str] = set()  # the packages apply() installed the replacements of, in this process


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
    APPLIED.add(package)


def applied(package: str = "manim") -> bool:
    """Whether apply(package) installed its replacements (a tested version): then the extensions
    (scenes.pipeline.extensions) are used too, which chunks and reuse need."""
    return package in APPLIED
