"""Render a lecture into a temporary folder and move the finished video and its sidecar into place."""
from __future__ import annotations

import contextlib
import fcntl
import functools
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

from .classpage import write_page
from .narration import ENGINE, Voice, engine_version, webvtt
from .slides import as_slides, write_deck

# --quality → (Manim's quality name, what it gives)
QUALITY = {"low": ("low_quality", "480p15"), "medium": ("medium_quality", "720p30"),
           "high": ("high_quality", "1080p60"), "production": ("production_quality", "1440p60"),
           "4k": ("fourk_quality", "2160p60")}
# x264 settings per quality (Manim's default is {"crf": "23"} with x264's "medium" preset). Measured by
# bench/bench_encoding.py at low and high: superfast takes 0.73–0.77× the time, with frames at 41–43 dB PSNR
# against the default's and files 1.3–1.44× its size (veryfast saves less; ultrafast makes 2.3–2.9× files).
ENCODER = {quality: {"crf": "23", "preset": "superfast"} for quality in QUALITY}
SUFFIXES = (".mp4", ".srt", ".vtt", ".chapters.vtt", ".jpg", ".json")  # what a finished render is
DECK = (".pptx", ".html", "")  # and with --slides: the PowerPoint deck, the HTML deck and its folder
# (scene, what it teaches) → the module and class that draw it
SCENES = {("parabola", Lesson): ("scenes.parabola", "ParabolaLecture"),
          ("parabola", Comparison): ("scenes.parabola", "ParabolaComparison"),
          ("regression", Lesson): ("scenes.regression", "RegressionLecture"),
          ("regression", Comparison): ("scenes.regression", "RegressionComparison"),
          ("landscape", Landscape): ("scenes.landscape", "LandscapeLecture"),
          ("valleys", Comparison): ("scenes.valleys", "ValleysLecture")}


def versions(voice: bool = False) -> dict:
    """What a video depends on besides its parameters: the project, Manim and NumPy (and the voice)."""
    found = {pkg: metadata.version(pkg) for pkg in ("momentum-lectures", "manim", "numpy")}
    return {**found, ENGINE: engine_version()} if voice else found


def video_name(scene: str, lang: str, params: dict, quality: str, voice: bool = False,
               encoder: dict | None = None, found: dict | None = None) -> str:
    """<scene>-<lang>[-voice]-<digest>: the digest covers the parameters, the encoder settings (default:
    the quality's) and the versions, so the same lecture made the same way has the same name (and is found
    in the cache), anything else a new one. `found`: versions(voice), when the caller has them already."""
    key = {"params": params, "encoder": ENCODER[quality] if encoder is None else encoder,
           "versions": versions(voice) if found is None else found}
    digest = hashlib.sha1(json.dumps(key, sort_keys=True, default=_plain).encode()).hexdigest()[:10]
    return f"{scene}-{lang}{'-voice' if voice else ''}-{digest}"


def cached(folder: Path, name: str, params: dict, slides: bool = False) -> bool:
    """Whether `folder` holds a finished, readable render called `name`: all its files (and the decks, for
    `slides`), a sidecar for these parameters, and a video that opens and lasts as long as the sidecar says."""
    paths = {suffix: folder / f"{name}{suffix}" for suffix in SUFFIXES}
    if not all(path.is_file() for path in paths.values()) or \
            slides and not all((folder / f"{name}{suffix}").exists() for suffix in DECK):
        return False
    try:
        import av
        meta = json.loads(paths[".json"].read_text(encoding="utf-8"))
        with av.open(str(paths[".mp4"])) as box:
            duration = float(box.streams.video[0].duration * box.streams.video[0].time_base)
        same = meta["params"] == json.loads(json.dumps(params, default=_plain))
        return same and abs(duration - meta["duration"]) < 0.5 and paths[".srt"].stat().st_size > 0
    except Exception:  # anything unreadable is not a cache hit: it is rendered again
        return False


def cache_dir() -> Path:
    """Manim's LaTeX and text caches live here, outside the output folder, shared between renders."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "momentum-lectures"


def scene_class(subject):
    """The Manim scene class that draws `subject` (a Lesson, Comparison or Landscape)."""
    module, name = SCENES[subject.scene, type(subject)]
    return getattr(importlib.import_module(module), name)


def _install(made: dict[str, Path], folder: Path, name: str) -> None:
    """Copy every file (or folder) next to its place under a hidden name, then rename them all: a failure
    (a full disk) or an interruption while copying leaves nothing behind."""
    parts = {suffix: folder / f".{name}{suffix}.part" for suffix in made}
    try:
        for suffix, source in made.items():
            (shutil.copytree if source.is_dir() else shutil.copyfile)(source, parts[suffix])
        for suffix in made:  # the video first: a sidecar never describes a missing video
            target = folder / f"{name}{suffix}"
            if parts[suffix].is_dir():
                shutil.rmtree(target, ignore_errors=True)
            os.replace(parts[suffix], target)
    except BaseException:
        for part in parts.values():
            shutil.rmtree(part, ignore_errors=True) if part.is_dir() else part.unlink(missing_ok=True)
        raise


def poster(movie: Path, t: float, out: Path, width: int = 640) -> None:
    """The frame shown at time t in `movie`, as a JPEG at most `width` pixels wide: the class page's poster."""
    import av

    with av.open(str(movie)) as box:
        stream = box.streams.video[0]
        box.seek(int(max(t - 1.0, 0.0) / stream.time_base), stream=stream)  # to the key frame before
        shown = None
        for frame in box.decode(stream):
            if shown is not None and frame.time > t:
                break
            shown = frame
    image = shown.to_image()
    image.thumbnail((width, width))
    image.save(out, quality=85)


def render_lecture(subject: Lesson | Comparison | Landscape, quality: str = "high", lang: str = "en",
                   output: Path = Path("media"), voice: bool = False, force: bool = False,
                   encoder: dict | None = None, slides: bool = False) -> Path:
    """Render `subject`; return the path of the finished mp4. Beside it land <name>.json (parameters,
    summary, the runs of a comparison or a landscape's tour, captions, chapters, versions), the subtitles
    <name>.srt and <name>.vtt, the chapters <name>.chapters.vtt and a poster <name>.jpg; with `slides`, the
    decks <name>.pptx and <name>.html (its assets in the folder <name>). The class page <output>/index.html
    is written again. A finished render of the same lecture with the same software is returned as it is,
    unless `force`. `encoder`: x264 options (default: ENCODER's for the quality)."""
    scene, params = subject.scene, dict(subject.params)
    encoder = dict(ENCODER[quality] if encoder is None else encoder)
    found = versions(voice)
    name = video_name(scene, lang, params, quality, voice, encoder, found)
    folder = Path(output) / scene / quality
    if not force and cached(folder, name, params, slides):
        write_page(Path(output))
        return folder / f"{name}.mp4"

    from manim import logger, tempconfig
    from manim._config import error_console

    for handler in logger.handlers:  # Manim's messages go to stderr: stdout ends with the video's path
        handler.console = error_console
    share_caches_safely()
    encode_repeats_once()
    with tempfile.TemporaryDirectory(prefix="momentum-render-") as tmp:
        settings = {"quality": QUALITY[quality][0], "media_dir": tmp, "output_file": name,
                    "tex_dir": str(cache_dir() / "tex"), "text_dir": str(cache_dir() / "texts"),
                    "disable_caching": True, "verbosity": "WARNING", "write_to_movie": True, "format": "mp4",
                    "video_encoder_options": encoder, **({"max_files_cached": -1} if slides else {})}
        with tempconfig(settings):
            speaker = Voice(lang, Path(tmp)) if voice else None
            decks = Path(tmp) / "slides"
            lecture = (as_slides(scene_class(subject))(subject, lang=lang, voice=speaker, output_folder=decks)
                       if slides else scene_class(subject)(subject, lang=lang, voice=speaker))
            lecture.render()
            movie = Path(lecture.renderer.file_writer.movie_file_path)
        made = {".mp4": movie, ".srt": movie.with_suffix(".srt"),
                **{suffix: Path(tmp) / f"{name}{suffix}" for suffix in (".vtt", ".chapters.vtt", ".jpg", ".json")}}
        made[".vtt"].write_text(lecture.subtitles_vtt(), encoding="utf-8")
        chapters = lecture.chapters()
        made[".chapters.vtt"].write_text(webvtt([(c["start"], c["end"], c["title"]) for c in chapters]),
                                         encoding="utf-8")
        beats = [c["beat"] for c in chapters]  # the poster shows the first frame of the run, or an earlier one:
        poster(movie, min(chapters[beats.index("predict") + 1]["start"],  # nothing of the verdict
                          chapters[beats.index(lecture.VERDICT)]["start"]), made[".jpg"])
        if slides:
            made.update(write_deck(lecture, decks, name, lecture.words(lecture.TITLE, **lecture.title_values())))
        sidecar = {
            "scene": scene, "quality": quality, "lang": lang, "params": params,
            "problem": subject.problem.describe(),
            "summary": subject.summary(),
            **({"runs": subject.runs()} if hasattr(subject, "runs") else {}),
            "headline": lecture.opening(lecture.VERDICT),
            "question": lecture.opening("predict"),
            "subtitles": {"srt": f"{name}.srt", "vtt": f"{name}.vtt", "chapters": f"{name}.chapters.vtt"},
            "poster": f"{name}.jpg",
            **({"slides": {"pptx": f"{name}.pptx", "html": f"{name}.html"}} if slides else {}),
            "voice": {"engine": ENGINE, "version": found[ENGINE]} if voice else False,
            "captions": [{"start": a, "end": b, "text": line} for a, b, line in lecture.cues],
            "beats": lecture.beats,
            "chapters": chapters,
            "duration": lecture.now,
            "versions": found,
        }
        for cue, said in zip(sidecar["captions"], lecture.spoken):  # what the voice said, with --voice
            cue["spoken"] = said
        made[".json"].write_text(json.dumps(sidecar, indent=2, ensure_ascii=False, default=_plain) + "\n")
        folder.mkdir(parents=True, exist_ok=True)
        try:
            _install(made, folder, name)
        except BaseException:
            for empty in (folder, folder.parent):  # folders made for this video only
                with contextlib.suppress(OSError):
                    empty.rmdir()
            raise
    write_page(Path(output))
    return folder / f"{name}.mp4"


@contextlib.contextmanager
def _cache_lock():
    """An exclusive lock on the shared LaTeX and text caches, across processes."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    with open(cache_dir() / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def share_caches_safely() -> None:
    """Make two renders at once safe on the shared caches: Manim compiles a formula in the cache folder and
    then deletes every non-SVG file there (another render's half-made files too), writes a text's SVG where
    another render may already read it, and reads an SVG through a temporary copy beside it that it deletes
    (another render's copy too, seen here). Each of those steps runs under the cache lock."""
    from manim.mobject.svg import svg_mobject
    from manim.mobject.text import tex_mobject, text_mobject

    def locked(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with _cache_lock():
                return function(*args, **kwargs)
        wrapper.locked = True
        return wrapper

    if not getattr(tex_mobject.tex_to_svg_file, "locked", False):
        tex_mobject.tex_to_svg_file = locked(tex_mobject.tex_to_svg_file)
        text_mobject.Text._text2svg = locked(text_mobject.Text._text2svg)
        svg_mobject.SVGMobject.generate_mobject = locked(svg_mobject.SVGMobject.generate_mobject)


def encode_repeats_once() -> None:
    """Make Manim's segment encoder (VideoSegmentEncoder.write_frame) wrap each frame without copying it and,
    for a frame held still (a wait, `repeat` frames), convert it to the video's pixel format once instead of
    once per repeat. x264 receives the same pictures, so the video is the same, made faster: a held frame
    at 1080p cost 17.5 ms, now 7.3 ms (measured here). Manim hands the pixels over (its caller must not
    change them after write_frame), so no copy is needed."""
    from fractions import Fraction

    import av
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
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

    if not hasattr(VideoSegmentEncoder.write_frame, "original"):
        write_frame.original = VideoSegmentEncoder.write_frame
        VideoSegmentEncoder.write_frame = write_frame


def _plain(value):
    return value.item() if isinstance(value, np.generic) else str(value)
