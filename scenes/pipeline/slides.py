"""A lecture as a slide deck (manim-slides): each beat is a slide, converted to PowerPoint and reveal.js HTML."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from . import compat

# reveal.js files the HTML deck loads (manim-slides' template), copied from set-up's local npm package
REVEAL_FILES = (
    "reveal.css",
    "theme/black.css",
    "plugin/highlight/zenburn.css",
    "reveal.js",
    "plugin/notes.js",
    "plugin/markdown.js",
)


def reveal_package() -> Path:
    """Where setup.sh unpacks the reveal.js package from the npm registry (when npm is there)."""
    return Path(sys.prefix) / "share" / "reveal.js"


def as_slides(lecture: type) -> type:
    """The lecture class rendered by manim-slides: Slide (ThreeDSlide for a 3-D lecture) mixed in first, so
    that `Lecture.construct` finds `next_slide` and starts a slide at every beat. No reversed copies of the
    slides are made (a teacher goes back with the class page or the video). With a tested manim-slides, the
    deck's own __init__ and render come first (extensions.DeckMethods: its own use settings Manim 0.22 no
    longer has)."""
    from manim import ThreeDScene
    from manim_slides import Slide, ThreeDSlide

    from .extensions import DeckMethods

    compat.apply("manim_slides")  # none to install: it says once when the version is untested
    base = ThreeDSlide if issubclass(lecture, ThreeDScene) else Slide
    fixes = (DeckMethods,) if compat.tested("manim_slides") else ()

    class Deck(*fixes, base, lecture):
        skip_reversing = True

    Deck.__name__ = Deck.__qualname__ = lecture.__name__
    return Deck


def write_deck(lecture, folder: Path, name: str, title: str) -> dict[str, Path]:
    """Convert the slides `lecture` saved under `folder` into <name>.pptx and <name>.html (its assets in the
    folder <name>); each slide's speaker notes are the captions of its beat. Returns suffix → path."""
    from manim_slides.config import PresentationConfig
    from manim_slides.convert import PowerPoint, RevealJS

    deck = PresentationConfig.from_file(folder / f"{type(lecture).__name__}.json")
    for slide, chapter in zip(deck.slides, lecture.chapters(), strict=True):
        slide.notes = "\n".join(
            line for start, _, line in lecture.cues if chapter["start"] <= start < chapter["end"]
        )
    made = {".pptx": folder / f"{name}.pptx", ".html": folder / f"{name}.html", "": folder / name}
    width, height = deck.resolution
    PowerPoint(presentation_configs=[deck], width=width, height=height).convert_to(made[".pptx"])
    options = {"assets_dir": "{basename}", "title": title, "reveal_theme": "black"}
    local = reveal_package() / "dist"
    if local.is_dir():  # offline: the deck loads reveal.js from its own folder
        for file in REVEAL_FILES:
            (made[""] / "reveal.js" / "dist" / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(local / file, made[""] / "reveal.js" / "dist" / file)
        options["cdn_url"] = f"{name}/reveal.js"
    RevealJS(presentation_configs=[deck], **options).convert_to(made[".html"])
    return made
