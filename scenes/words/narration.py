"""Narration: the offline voice (espeak-ng), and the WebVTT file and the plain-text transcript written from a
lecture's caption cues.

The .srt file is written by Manim itself (`Scene.add_subcaption`); all of them come from the same cues."""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

from . import locales

ENGINE = "espeak-ng"
INSTALL = f"sudo apt-get install --no-install-recommends {ENGINE}"
WORDS_PER_MINUTE = 160  # a little slower than espeak's default: a lecture, not an announcement


def engine_available() -> bool:
    return shutil.which(ENGINE) is not None


def voice_known(name: str) -> bool:
    """Whether espeak-ng has the voice `name` (a language's file names it)."""
    return subprocess.run([ENGINE, "-v", name, "-q", ""], capture_output=True, check=False).returncode == 0


def engine_version() -> str:
    out = subprocess.run([ENGINE, "--version"], capture_output=True, text=True, check=False).stdout
    return out.split("Data at")[0].strip()


class Voice:
    """Speaks caption lines into numbered WAV files in `folder`."""

    def __init__(self, lang: str, folder: Path):
        self.lang, self.folder, self.count = lang, Path(folder), 0

    def speak(self, words: str) -> tuple[Path, float]:
        """Synthesize `words` (a caption as read aloud: captions.speech); return the WAV file and its length
        in seconds."""
        self.count += 1
        path = self.folder / f"line{self.count:03d}.wav"
        subprocess.run(
            [
                ENGINE,
                "-v",
                locales.load(self.lang).voice,
                "-s",
                str(WORDS_PER_MINUTE),
                "-w",
                str(path),
                words,
            ],
            check=True,
            capture_output=True,
        )
        with wave.open(str(path)) as w:
            return path, w.getnframes() / w.getframerate()


def timestamp(seconds: float) -> str:
    """WebVTT time: HH:MM:SS.mmm, cut to the millisecond as the .srt writer does."""
    ms = round(seconds * 1_000_000) // 1000
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def webvtt(cues: list[tuple[float, float, str]]) -> str:
    """A WebVTT document with one cue per caption (start and end in seconds)."""
    blocks = ["WEBVTT"]
    for i, (start, end, text) in enumerate(cues, 1):
        blocks.append(f"{i}\n{timestamp(start)} --> {timestamp(end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def transcript(title: str, chapters: list[dict], cues: list[tuple[float, float, str]]) -> str:
    """The lecture as plain text (WCAG 2.2, 1.2.8): its title, then each chapter's title as a heading with
    the captions that start in it, in order, one paragraph each."""
    lines = [title, "=" * len(title)]
    for chapter in chapters:
        said = [
            text
            for start, _, text in cues
            if chapter["start"] <= start < chapter["end"]
            or chapter is chapters[-1]
            and start >= chapter["end"]
        ]
        lines += ["", chapter["title"], "-" * len(chapter["title"]), *(f"\n{text}" for text in said)]
    return "\n".join(lines) + "\n"
