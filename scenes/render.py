"""Render a lecture into a temporary folder and move the finished video and its sidecar into place."""
from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np

from gdcore import Comparison, Landscape, Lesson

from .narration import ENGINE, Voice, engine_version

# --quality → (Manim's quality name, what it gives)
QUALITY = {"low": ("low_quality", "480p15"), "medium": ("medium_quality", "720p30"),
           "high": ("high_quality", "1080p60"), "production": ("production_quality", "1440p60"),
           "4k": ("fourk_quality", "2160p60")}
# (scene, what it teaches) → the module and class that draw it
SCENES = {("parabola", Lesson): ("scenes.parabola", "ParabolaLecture"),
          ("parabola", Comparison): ("scenes.parabola", "ParabolaComparison"),
          ("regression", Lesson): ("scenes.regression", "RegressionLecture"),
          ("regression", Comparison): ("scenes.regression", "RegressionComparison"),
          ("landscape", Landscape): ("scenes.landscape", "LandscapeLecture"),
          ("valleys", Comparison): ("scenes.valleys", "ValleysLecture")}


def video_name(scene: str, lang: str, params: dict, voice: bool = False) -> str:
    """<scene>-<lang>[-voice]-<digest>: the same parameters give the same name, new ones a new name."""
    digest = hashlib.sha1(json.dumps(params, sort_keys=True).encode()).hexdigest()[:10]
    return f"{scene}-{lang}{'-voice' if voice else ''}-{digest}"


def cache_dir() -> Path:
    """Manim's LaTeX and text caches live here, outside the output folder, shared between renders."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "momentum-lectures"


def scene_class(subject):
    """The Manim scene class that draws `subject` (a Lesson, Comparison or Landscape)."""
    module, name = SCENES[subject.scene, type(subject)]
    return getattr(importlib.import_module(module), name)


def _install(source: Path, target: Path) -> None:
    """Copy next to the target under a hidden name, then rename: the target is whole or absent."""
    part = target.with_name(f".{target.name}.part")
    try:
        shutil.copyfile(source, part)
        os.replace(part, target)
    except BaseException:  # interrupted or failed: leave nothing behind
        part.unlink(missing_ok=True)
        raise


def render_lecture(subject: Lesson | Comparison | Landscape, quality: str = "high", lang: str = "en",
                   output: Path = Path("media"), voice: bool = False) -> Path:
    """Render `subject`; return the path of the finished mp4. Beside it land <name>.json (parameters,
    summary, the runs of a comparison or a landscape's tour, captions, versions), <name>.srt and <name>.vtt."""
    from manim import logger, tempconfig
    from manim._config import error_console

    for handler in logger.handlers:  # Manim's messages go to stderr: stdout ends with the video's path
        handler.console = error_console

    scene, params = subject.scene, dict(subject.params)
    name = video_name(scene, lang, params, voice)
    folder = Path(output) / scene / quality
    with tempfile.TemporaryDirectory(prefix="momentum-render-") as tmp:
        settings = {"quality": QUALITY[quality][0], "media_dir": tmp, "output_file": name,
                    "tex_dir": str(cache_dir() / "tex"), "text_dir": str(cache_dir() / "texts"),
                    "disable_caching": True, "verbosity": "WARNING", "write_to_movie": True, "format": "mp4"}
        with tempconfig(settings):
            speaker = Voice(lang, Path(tmp)) if voice else None
            lecture = scene_class(subject)(subject, lang=lang, voice=speaker)
            lecture.render()
            movie = Path(lecture.renderer.file_writer.movie_file_path)
        made = {".mp4": movie, ".srt": movie.with_suffix(".srt"), ".vtt": Path(tmp) / f"{name}.vtt",
                ".json": Path(tmp) / f"{name}.json"}
        made[".vtt"].write_text(lecture.subtitles_vtt(), encoding="utf-8")
        sidecar = {
            "scene": scene, "quality": quality, "lang": lang, "params": params,
            "problem": subject.problem.describe(),
            "summary": subject.summary(),
            **({"runs": subject.runs()} if hasattr(subject, "runs") else {}),
            "subtitles": {"srt": f"{name}.srt", "vtt": f"{name}.vtt"},
            "voice": {"engine": ENGINE, "version": engine_version()} if voice else False,
            "captions": [{"start": a, "end": b, "text": line} for a, b, line in lecture.cues],
            "beats": lecture.beats,
            "versions": {pkg: metadata.version(pkg) for pkg in ("momentum-lectures", "manim", "numpy")},
        }
        for cue, said in zip(sidecar["captions"], lecture.spoken):  # what the voice said, with --voice
            cue["spoken"] = said
        made[".json"].write_text(json.dumps(sidecar, indent=2, ensure_ascii=False, default=_plain) + "\n")
        folder.mkdir(parents=True, exist_ok=True)
        for suffix, source in made.items():  # the video first: a sidecar never describes a missing video
            _install(source, folder / f"{name}{suffix}")
    return folder / f"{name}.mp4"


def _plain(value):
    return value.item() if isinstance(value, np.generic) else str(value)
