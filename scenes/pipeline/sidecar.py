"""The sidecar <name>.json beside every video: one typed record, written by the render and read back by the
cache check and the class page (this module is the only one that knows its keys)."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import numpy as np

# --quality → (Manim's quality name, what it gives): the values of a sidecar's `quality`
QUALITY = {
    "low": ("low_quality", "480p15"),
    "medium": ("medium_quality", "720p30"),
    "high": ("high_quality", "1080p60"),
    "production": ("production_quality", "1440p60"),
    "4k": ("fourk_quality", "2160p60"),
}


OPTIONAL = ("runs", "slides", "files", "steps")  # keys a sidecar may lack


class SidecarError(ValueError):
    """A sidecar that is not whole: unreadable, a key missing, or a value of the wrong type."""


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

    scene: str
    quality: str
    lang: str
    params: dict
    problem: dict
    summary: dict
    runs: list | None = None
    headline: str
    question: str
    subtitles: dict
    transcript: str
    poster: str
    slides: dict | None = None
    voice: dict | bool
    captions: list
    beats: dict
    steps: list | None = None
    chapters: list
    duration: float
    versions: dict
    files: dict = field(default_factory=dict)

    def dumps(self) -> str:
        """The JSON text (UTF-8, indented); runs and slides left out when there are none."""
        record = {k: v for k, v in asdict(self).items() if v is not None or k not in OPTIONAL}
        return json.dumps(record, indent=2, ensure_ascii=False, default=plain) + "\n"

    @classmethod
    def loads(cls, text: str) -> Sidecar:
        """The sidecar in `text`; SidecarError names what is missing or of the wrong type."""
        try:
            record = json.loads(text)
        except ValueError as err:
            raise SidecarError(f"it is not JSON ({err})") from None
        if not isinstance(record, dict):
            raise SidecarError("it is not a JSON object")
        hints = typing.get_type_hints(cls)
        missing = [f.name for f in fields(cls) if f.name not in record and f.name not in OPTIONAL]
        if missing:
            raise SidecarError(f"it has no {', '.join(missing)}")
        named = [f.name for f in fields(cls) if f.name in record]
        wrong = [name for name in named if not _fits(record[name], hints[name])]
        if wrong:
            raise SidecarError(
                f"its {', '.join(wrong)} {'is' if len(wrong) == 1 else 'are'} of the wrong type"
            )
        return cls(**{name: record[name] for name in named})

    @classmethod
    def read(cls, path: Path) -> Sidecar:
        """The sidecar at `path` (SidecarError when it cannot be read or is not whole)."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise SidecarError(f"it cannot be read ({err.strerror or err})") from None
        return cls.loads(text)


def _fits(value, hint) -> bool:
    """Whether a JSON value has the type a field declares (an int is a float too; a bool is no number)."""
    kinds = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    kinds = tuple(typing.get_origin(k) or k for k in kinds)
    if float in kinds:
        kinds += (int,)
    return isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)


def plain(value):
    """A NumPy number as Python's, anything else JSON cannot write as its text."""
    return value.item() if isinstance(value, np.generic) else str(value)
