"""The sidecar <name>.json beside every video: one typed record, written by the render and read back by the
cache check and the class page (this module is the only one that knows its keys).

A sidecar is untrusted input: a shared output folder may hold one that a stranger wrote. Reading one checks
every field and every element of its lists against the shape the field declares (what is allowed, nothing
else), and that each file it names is a plain name of a regular file in the video's own folder."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

from gdcore import HYPERPARAMETERS, LECTURES, Landscape, ParameterError
from gdcore.validation import Expression

from ..words import locales

# --quality → (Manim's quality name, what it gives): the values of a sidecar's `quality`
QUALITY = {
    "low": ("low_quality", "480p15"),
    "medium": ("medium_quality", "720p30"),
    "high": ("high_quality", "1080p60"),
    "production": ("production_quality", "1440p60"),
    "4k": ("fourk_quality", "2160p60"),
}
SUFFIXES = (".mp4", ".srt", ".vtt", ".chapters.vtt", ".txt", ".jpg", ".json")  # what a finished render is
DECK = (".pptx", ".html", "")  # and with --slides: the PowerPoint deck, the HTML deck and its folder
FILES = SUFFIXES[:-1] + DECK[:-1]  # the files a sidecar records the hash of, by suffix

OPTIONAL = ("runs", "slides", "files", "steps")  # keys a sidecar may lack
LARGEST = 5 << 20  # bytes: a larger sidecar (or subtitle file the class page embeds) is refused
DAY = 86_400.0  # seconds: no time in a video is later
BIGGEST = sys.float_info.max  # a number in a sidecar is finite (1e999 reads as inf)
DEEPEST = 12  # levels of lists and objects in free-form data (a summary, a claim)
PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}")  # a file name: no folder, scheme, '..', hidden file
NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")  # a beat's, a rule's or a problem's name
SHA256 = re.compile(r"[0-9a-f]{64}")


class SidecarError(ValueError):
    """A sidecar that is not whole or not allowed: unreadable, too large, a key missing, a value of the wrong
    type or form, or a file it names that is not a regular file beside it. Its message is one line."""


Shape = Callable[[object, str], None]  # checks a value called `where`; raises SidecarError if not allowed


def wrong(where: str, why: str = "is of the wrong type") -> SidecarError:
    """The error for the value called `where` ('' for the whole sidecar)."""
    return SidecarError(f"its {where} {why}" if where else f"it {why}")


def shown(key: str) -> str:
    """A key that is not allowed, as the one-line error names it: quoted, escaped and cut short."""
    text = repr(key)
    return text if len(text) <= 40 else text[:37] + "..."


def text(form: re.Pattern | None = None, suffix: str = "", why: str = "is not an allowed name") -> Shape:
    """A string (of `form` and ending with `suffix`, if given)."""

    def check(value, where):
        if not isinstance(value, str):
            raise wrong(where)
        if form is not None and not (form.fullmatch(value) and value.endswith(suffix)):
            raise wrong(where, why)

    return check


def file(suffix: str) -> Shape:
    """The plain name of a `suffix` file in the video's own folder: no folder, no scheme, no '..'."""
    return text(PLAIN, suffix, f"is not the plain name of a {suffix} file beside the video")


def number(low: float = -BIGGEST, high: float = BIGGEST, whole: bool = False) -> Shape:
    """A JSON number from `low` to `high` (an integer if `whole`; a bool is no number)."""

    def check(value, where):
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            raise wrong(where)
        if not low <= value <= high:  # NaN and the infinities too
            raise wrong(where, f"is not from {low:g} to {high:g}")

    return check


def among(choices: Callable[[], Iterable]) -> Shape:
    """One of the values choices() gives, of the same type (False is not 0)."""

    def check(value, where):
        allowed = list(choices())
        if not any(type(value) is type(one) and value == one for one in allowed):
            raise wrong(where, f"is not one of {', '.join(map(str, allowed))}")

    return check


def listed(element: Shape, least: int = 0, most: int = 1_000_000) -> Shape:
    """A list of `least` to `most` values, each of shape `element`."""

    def check(value, where):
        if not isinstance(value, list):
            raise wrong(where, "is not a list")
        if not least <= len(value) <= most:
            raise wrong(where, f"does not have {least} to {most} entries")
        for k, one in enumerate(value):
            element(one, f"{where}[{k}]")

    return check


def record(shapes: dict[str, Shape], optional: Iterable[str] = ()) -> Shape:
    """A JSON object with exactly these keys (those in `optional` may be missing), each of its shape."""

    def check(value, where):
        if not isinstance(value, dict):
            raise wrong(where, "is not a JSON object")
        missing = [key for key in shapes if key not in value and key not in optional]
        if missing:
            raise wrong(where, f"has no {', '.join(missing)}")
        extra = [key for key in value if key not in shapes]
        if extra:
            raise wrong(where, f"has a key that is not allowed ({shown(extra[0])})")
        for key, one in value.items():
            shapes[key](one, f"{where}.{key}" if where else key)

    return check


def mapping(key: Shape, value: Shape, most: int = 10_000) -> Shape:
    """A JSON object of at most `most` entries, its keys of shape `key` and its values of shape `value`."""

    def check(found, where):
        if not isinstance(found, dict):
            raise wrong(where, "is not a JSON object")
        if len(found) > most:
            raise wrong(where, f"has more than {most} entries")
        for name, one in found.items():
            key(name, f"key {shown(name)} of {where}")
            value(one, f"{where}[{shown(name)}]")

    return check


def maybe(shape: Shape) -> Shape:
    """None, or a value of `shape`."""
    return lambda value, where: None if value is None else shape(value, where)


def either(*shapes: Shape) -> Shape:
    """A value of one of `shapes`."""

    def check(value, where):
        for shape in shapes:
            with contextlib.suppress(SidecarError):
                return shape(value, where)
        raise wrong(where)

    return check


def data(value, where: str, depth: int = DEEPEST) -> None:
    """Free-form JSON data (a summary, a claim): strings, finite numbers, booleans, null, and lists and
    objects of them at most DEEPEST levels deep."""
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, (int, float)):
        return number()(value, where)
    if not isinstance(value, (list, dict)):
        raise wrong(where)
    if depth == 0:
        raise wrong(where, f"is nested more than {DEEPEST} levels deep")
    for key, one in value.items() if isinstance(value, dict) else enumerate(value):
        data(one, f"{where}[{shown(key) if isinstance(key, str) else key}]", depth - 1)


def typed_function(value, where: str) -> None:
    """A function a teacher typed, as gdcore.expression reads it (a whitelist: never code)."""
    try:
        Expression().read(where, value)
    except ParameterError:
        raise wrong(where, "is not an allowed function of x") from None


def hyperparameters(value, where: str) -> None:
    """The hyperparameters: each a name of the table with a value of its kind, or a list of such values."""
    mapping(among(lambda: HYPERPARAMETERS), lambda one, at: None, len(HYPERPARAMETERS))(value, where)
    for name, one in value.items():
        kind = HYPERPARAMETERS[name].kind
        single = text(NAME) if kind is str else number(whole=kind is int)
        if isinstance(HYPERPARAMETERS[name].valid, Expression):
            single = typed_function
        (listed(single, 1, 16) if isinstance(one, list) else single)(one, f"{where}.{name}")


TIME = number(0.0, DAY)  # seconds into the video
WORDS = text()  # any text: the page sets it as text, never as markup
CLAIMS = listed(mapping(WORDS, data))
CAPTION = record({"start": TIME, "end": TIME, "text": WORDS, "claims": CLAIMS, "spoken": WORDS}, ("spoken",))
CHAPTER = record({"beat": text(NAME), "title": WORDS, "start": TIME, "end": TIME})


def shaped(shape: Shape, **default) -> field:
    """A field of the sidecar whose value, when read, must have `shape`."""
    return field(metadata={"shape": shape}, **default)


def scene_names() -> list[str]:
    """The scenes a sidecar may be of: each lecture, and the (α, β) map."""
    return [*LECTURES, Landscape.scene]


@dataclass(frozen=True, kw_only=True)
class Sidecar:
    """What was rendered, how, and what it says. params: the hyperparameters (a compared one as the list of
    its values); problem: its name and formula; summary and runs: the subject's numbers (runs: a comparison's
    runs or a landscape's tour, None for one run); headline: the verdict in one line; question: the predict
    beat's; subtitles, transcript, poster, slides: file names beside the video (slides None without decks);
    voice: False, or the speech engine and its version; captions: [{start, end, text, claims[, spoken]}]
    in seconds; beats: beat → start (s); steps: when the run rests at each step 0..n (s; None without a
    run); chapters: [{beat, title, start, end}]; duration (s); versions: of
    the software; files: suffix → SHA-256 of every file of the render (the cache checks them)."""

    scene: str = shaped(among(scene_names))
    quality: str = shaped(among(lambda: QUALITY))
    lang: str = shaped(among(locales.available))
    params: dict = shaped(hyperparameters)
    problem: dict = shaped(mapping(text(NAME), data))
    summary: dict = shaped(mapping(WORDS, data))
    runs: list | None = shaped(maybe(listed(data)), default=None)
    headline: str = shaped(WORDS)
    question: str = shaped(WORDS)
    subtitles: dict = shaped(
        record({"srt": file(".srt"), "vtt": file(".vtt"), "chapters": file(".chapters.vtt")})
    )
    transcript: str = shaped(file(".txt"))
    poster: str = shaped(file(".jpg"))
    slides: dict | None = shaped(maybe(record({"pptx": file(".pptx"), "html": file(".html")})), default=None)
    voice: dict | bool = shaped(either(among(lambda: [False]), record({"engine": WORDS, "version": WORDS})))
    captions: list = shaped(listed(CAPTION, least=1))
    beats: dict = shaped(mapping(text(NAME), TIME))
    steps: list | None = shaped(maybe(listed(TIME)), default=None)
    chapters: list = shaped(listed(CHAPTER, least=1))
    duration: float = shaped(TIME)
    versions: dict = shaped(mapping(WORDS, WORDS))
    files: dict = shaped(
        mapping(among(lambda: FILES), text(SHA256, why="is not a SHA-256")), default_factory=dict
    )

    def dumps(self) -> str:
        """The JSON text (UTF-8, indented); runs and slides left out when there are none, a number that is
        not finite written as null (JSON has no such number)."""
        kept = {k: v for k, v in asdict(self).items() if v is not None or k not in OPTIONAL}
        return json.dumps(finite(kept), indent=2, ensure_ascii=False, default=plain) + "\n"

    def named(self, stem: str) -> list[str]:
        """Every file this sidecar (of the video `stem`) names: the video, its subtitles, transcript, poster,
        decks and every file whose hash it records."""
        own = [f"{stem}.mp4", *self.subtitles.values(), self.transcript, self.poster]
        return own + [*(self.slides or {}).values(), *(f"{stem}{suffix}" for suffix in self.files)]

    @classmethod
    def loads(cls, text: str) -> Sidecar:
        """The sidecar in `text`, every field and list element checked; SidecarError names what is
        missing, of the wrong type or not allowed."""
        found = parsed(text)
        record({f.name: f.metadata["shape"] for f in fields(cls)}, OPTIONAL)(found, "")
        return cls(**found)

    @classmethod
    def read(cls, path: Path) -> Sidecar:
        """The sidecar at `path` (a regular file of at most LARGEST bytes of UTF-8), checked as loads does,
        each file it names a regular file beside it; SidecarError otherwise."""
        try:
            meta = cls.loads(read_regular(path).decode("utf-8"))
        except UnicodeDecodeError:
            raise SidecarError("it is not UTF-8 text") from None
        odd = next((name for name in meta.named(path.stem) if not regular(path.with_name(name))), None)
        if odd is not None:
            raise SidecarError(f"the file it names {odd} is not a regular file beside it")
        return meta


def parsed(text: str):
    """The JSON value in `text`; SidecarError if it is not JSON (NaN and Infinity are not)."""

    def refuse(constant):
        raise SidecarError(f"it has {constant}, which JSON has no number for")

    try:
        return json.loads(text, parse_constant=refuse)
    except SidecarError:
        raise
    except (ValueError, RecursionError) as err:  # nested too deep for Python's parser: RecursionError
        raise SidecarError(f"it is not JSON ({err})") from None


@contextlib.contextmanager
def opened(path: Path):
    """`path` opened to read bytes if it is a regular file (a link in its last component is not followed, a
    FIFO never waited for); SidecarError if it is anything else or cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        why = (
            "is a link, not a regular file"
            if err.errno == errno.ELOOP
            else f"cannot be read ({err.strerror})"
        )
        raise SidecarError(f"{path.name} {why}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise SidecarError(f"{path.name} is not a regular file")
    with os.fdopen(fd, "rb") as handle:
        yield handle


def read_regular(path: Path, limit: int = LARGEST) -> bytes:
    """The bytes of the regular file `path` (opened); SidecarError if it has more than `limit`."""
    with opened(path) as handle:
        content = handle.read(limit + 1)
    if len(content) > limit:
        raise SidecarError(f"{path.name} is larger than {limit / 2**20:g} MB")
    return content


def regular(path: Path) -> bool:
    """Whether `path` is a regular file itself (not a link to one, a device, a FIFO or a folder)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def finite(value):
    """`value` with every float that is not finite, in its lists and dicts, as None."""
    if isinstance(value, dict):
        return {key: finite(one) for key, one in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(one) for one in value]
    return None if isinstance(value, float) and not np.isfinite(value) else value


def plain(value):
    """A NumPy number as Python's (None if it is not finite), anything else JSON cannot write as its text."""
    if isinstance(value, np.generic):
        return finite(value.item())
    return str(value)
