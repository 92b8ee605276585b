"""Render a lecture into a temporary folder and move the finished video and its sidecar into place."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import pickle
import shutil
import signal
import sys
import tempfile
import threading
from importlib import metadata
from pathlib import Path

from gdcore import Subject

from ..lectures import NoLecture, scene_class
from ..words import locales
from ..words.narration import ENGINE, Voice, engine_version, transcript, webvtt
from . import chunks, compat, segments
from .files import cache_dir, die_with_parent, private_prefix, sweep
from .request import Job
from .sidecar import DECK, QUALITY, SUFFIXES, Sidecar, opened, plain
from .slides import as_slides, write_deck

# x264 settings per quality (Manim's default is {"crf": "23"} with x264's "medium" preset). Measured by
# bench/bench_encoding.py at low and high: superfast takes 0.73–0.77× the time, with frames at 41–43 dB PSNR
# against the default's and files 1.3–1.44× its size (veryfast saves less; ultrafast makes 2.3–2.9× files).
ENCODER = {quality: {"crf": "23", "preset": "superfast"} for quality in QUALITY}


def versions(voice: bool = False) -> dict:
    """What a video depends on besides its parameters: the project, Manim and NumPy (and the voice)."""
    found = {pkg: metadata.version(pkg) for pkg in ("momentum-lectures", "manim", "numpy")}
    return {**found, ENGINE: engine_version()} if voice else found


def video_name(
    scene: str,
    lang: str,
    params: dict,
    quality: str,
    voice: bool = False,
    encoder: dict | None = None,
    found: dict | None = None,
) -> str:
    """<scene>-<lang>[-voice]-<digest>: the digest covers the parameters, the encoder settings (default:
    the quality's), the versions and the language file (an edited sentence is a new video), so the same
    lecture made the same way has the same name (and is found in the cache), anything else a new one.
    `found`: versions(voice), when the caller has them already."""
    key = {
        "params": params,
        "encoder": ENCODER[quality] if encoder is None else encoder,
        "versions": versions(voice) if found is None else found,
        "words": locales.load(lang).digest,
    }
    digest = hashlib.sha1(json.dumps(key, sort_keys=True, default=plain).encode()).hexdigest()[:10]
    return f"{scene}-{lang}{'-voice' if voice else ''}-{digest}"


def digest(path: Path) -> str:
    """The SHA-256 of a regular file's content (the sidecar records one per file, the cache checks them); a
    link, device or FIFO is a SidecarError, never read (/dev/zero would be read forever)."""
    with opened(path) as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def cached(folder: Path, name: str, params: dict, slides: bool = False) -> bool:
    """Whether `folder` holds a finished, whole render called `name`: a sidecar for these parameters (read
    as untrusted: Sidecar.read), and every file it lists (the decks too, for `slides`), each a regular
    file, with the content it recorded."""
    try:
        meta = Sidecar.read(folder / f"{name}.json")
        files = meta.files
        wanted = SUFFIXES[:-1] + (DECK[:-1] if slides else ())
        return (
            meta.params == json.loads(json.dumps(params, default=plain))
            and set(wanted) <= set(files)
            and (not slides or (folder / name).is_dir())
            and all(digest(folder / f"{name}{suffix}") == sha for suffix, sha in files.items())
        )
    except Exception:  # anything unreadable is not a cache hit: it is rendered again
        return False


class RenderError(Exception):
    """A render that could not finish, said in one line that names the cause and the folder."""


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM during a render; `landed`: the video's path if it was installed before the signal."""

    def __init__(self, landed: Path | None = None):
        super().__init__()
        self.landed = landed


def lecture_class(subject: Subject, slides: bool) -> type:
    """The Manim scene class that draws `subject` (rendered by manim-slides with `slides`); RenderError when
    its lecture module has none for the subject's kind."""
    try:
        cls = scene_class(subject)
    except NoLecture as err:
        raise RenderError(str(err)) from None
    return as_slides(cls) if slides else cls


def install(made: dict[str, Path], folder: Path, name: str) -> None:
    """Copy every file (or folder) next to its place under a hidden name, then rename them all: a failure
    (a full disk) while copying leaves nothing behind."""
    parts = {suffix: folder / f"{private_prefix()}{name}{suffix}" for suffix in made}
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


@contextlib.contextmanager
def signals_held():
    """Hold SIGINT and SIGTERM for the duration (in the main thread): the block runs whole. Yields the list
    of signals that arrived meanwhile; the caller acts on them. An ignored signal stays ignored."""
    got: list[int] = []
    held = {}
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGINT, signal.SIGTERM):
            if signal.getsignal(number) is not signal.SIG_IGN:
                held[number] = signal.signal(number, lambda signum, frame: got.append(signum))
    try:
        yield got
    finally:
        for number, handler in held.items():
            signal.signal(number, handler)


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


def render_lecture(
    subject: Subject,
    quality: str = "high",
    lang: str = "en",
    output: Path = Path("media"),
    voice: bool = False,
    force: bool = False,
    encoder: dict | None = None,
    slides: bool = False,
    jobs: int | None = None,
    drawn_by=None,
) -> Path:
    """Render `subject`; return the finished mp4's path. Beside it land its sidecar (scenes.pipeline.sidecar),
    subtitles, chapters, transcript and poster (SUFFIXES), with `slides` its decks (the pages are the
    caller's: scenes.api.write_pages). A whole render of it by the same software is returned as it is, unless `force`.
    `encoder`: x264 options (ENCODER's); `jobs`: chunks.processes; `drawn_by`: what draws a split render's
    pieces (chunks.render; default: a process each here). Raises RenderError (one line), Interrupted."""
    encoder = dict(ENCODER[quality] if encoder is None else encoder)
    found = versions(voice)
    name, folder = place(subject, quality, lang, output, voice, encoder, found)
    video = folder / f"{name}.mp4"
    for stale in (Path(tempfile.gettempdir()), cache_dir() / "tex", cache_dir() / "texts", folder, output):
        sweep(Path(stale))  # what renders that died left behind
    if not force and cached(folder, name, dict(subject.params), slides):
        return video
    draw = functools.partial(
        chunks.render, jobs=1 if slides else chunks.processes(jobs), reuse=not force, drawn_by=drawn_by
    )  # a slide deck is drawn by one process
    return _built(
        lambda work: _make(subject, quality, lang, voice, encoder, slides, name, work, found, draw),
        video,
        output,
    )


def render_job(job: Job, drawn_by=None) -> Path:
    """render_lecture of a typed job (the command line's, a batch's in its own process, a cluster worker's);
    `drawn_by`: what draws a split render's pieces."""
    return render_lecture(
        job.subject,
        quality=job.quality,
        lang=job.lang,
        output=job.output,
        voice=job.voice,
        force=job.force,
        slides=job.slides,
        jobs=job.jobs,
        drawn_by=drawn_by,
    )


def child() -> None:
    """A batch's process (scenes.pipeline.batch.start): render the Job pickled on stdin, sent by this
    project's own parent process, and print the video's path; a failure is one line on stderr, exit status 1."""
    signal.signal(signal.SIGTERM, _interrupted)  # stopped by the batch: the render cleans up after itself
    die_with_parent()
    job = pickle.load(sys.stdin.buffer)
    try:
        print(render_job(job))
    except RenderError as err:
        sys.exit(f"Error: {err}")
    except KeyboardInterrupt:
        sys.exit("Error: interrupted")


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def _built(make, video: Path, output: Path) -> Path:
    """`video`, made by make(work) in a temporary folder and installed (signals held meanwhile), the folder
    removed either way; Interrupted(video) if a signal came while it was installed."""
    work = Path(tempfile.mkdtemp(prefix=private_prefix(hidden=False)))
    try:
        made = make(work)
    except BaseException:
        with signals_held():
            shutil.rmtree(work, ignore_errors=True)
        raise
    with signals_held() as got:
        try:
            land(made, video.parent, video.stem, output)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if got:
        raise Interrupted(video)
    return video


def finished(job: Job) -> Path | None:
    """The mp4 that render_job(job) would return without rendering (a finished, undamaged render of the same
    lecture with the same software in its output folder), or None (always for a job that forces a render)."""
    if job.force:
        return None
    name, folder = place(job.subject, job.quality, job.lang, job.output, job.voice)
    return folder / f"{name}.mp4" if cached(folder, name, dict(job.subject.params), job.slides) else None


def place(subject: Subject, quality, lang, output, voice=False, encoder=None, found=None) -> tuple[str, Path]:
    """A video's name (video_name) and its folder <output>/<scene>/<quality>."""
    name = video_name(subject.scene, lang, dict(subject.params), quality, voice, encoder, found)
    return name, Path(output) / subject.scene / quality


def land(made: dict[str, Path], folder: Path, name: str, output: Path) -> None:
    """Install the files into `folder` (all or nothing); RenderError (naming `output`) when it refuses them."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        install(made, folder, name)
    except OSError as err:
        for empty in (folder, folder.parent):  # folders made for this video only
            with contextlib.suppress(OSError):
                empty.rmdir()
        raise RenderError(f"could not write the video into {output}: {err.strerror or err}") from err


def _make(
    subject, quality, lang, voice, encoder, slides, name, work: Path, found: dict, draw
) -> dict[str, Path]:
    """Render the video and write every file of the render into `work`; return them by suffix. `draw`:
    chunks.render with its processes, reuse and drawer given (by render_lecture). A folder that refuses a
    file (a full disk) is a RenderError naming it."""
    from manim import tempconfig

    from .extensions import build, log_on_stderr

    log_on_stderr()
    compat.apply()
    settings = _settings(quality, name, work, encoder)
    try:
        with tempconfig(settings), segments.in_use(segments.folder(quality, encoder)):
            speaker = Voice(lang, work) if voice else None
            decks = work / "slides"
            cls = lecture_class(subject, slides)

            def make():
                deck = {"output_folder": decks} if slides else {}
                return build(cls, subject, lang=lang, voice=speaker, **deck)

            lecture = draw(make, settings, progress=lambda line: print(line, file=sys.stderr))
            movie = Path(lecture.renderer.file_writer.movie_file_path)
        segments.bound()
        return _write_files(subject, lecture, movie, work, name, quality, lang, slides, found)
    except Exception as err:
        refused = (
            str(err)
            if isinstance(err, chunks.Died)
            else _refusal(err, work)
            or (f"could not render: {err}" if isinstance(err, compat.TexError) else None)
        )
        if refused is None:
            raise
        raise RenderError(refused) from err


def _settings(quality: str, name: str, work: Path, encoder: dict) -> dict:
    """Manim's settings for a render into `work`: the shared LaTeX, text and (with a tested Manim) segment
    caches; Manim's own cache bound is off (segments.bound keeps the shared one)."""
    shared = compat.applied()
    return {
        "quality": QUALITY[quality][0],
        "media_dir": str(work),
        "output_file": name,
        "tex_dir": str(cache_dir() / "tex"),
        "text_dir": str(cache_dir() / "texts"),
        "disable_caching": not shared,
        **({"partial_movie_dir": str(segments.folder(quality, encoder))} if shared else {}),
        "max_files_cached": -1,
        "verbosity": "WARNING",
        "format": "mp4",
        "video_encoder_options": encoder,
    }


def _refusal(err: BaseException, work: Path) -> str | None:
    """The one line for an error that a folder refusing a file caused (an OSError behind `err`, or a disk
    with no room left: LaTeX, for one, fails without saying why), naming that folder; None for any other."""
    cause, chain = err, []
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    failed = next((c for c in chain if isinstance(c, OSError) and c.errno), None)
    folders = {cache_dir(): "the cache folder", work.parent: "the temporary folder (TMPDIR)"}
    if failed is not None and failed.filename:
        where = Path(failed.filename).resolve()
        folder = next(
            (f for f in folders if f.resolve() == where or f.resolve() in where.parents), work.parent
        )
    else:
        folder = next((f for f in folders if _full(f)), None)
        if folder is None:
            return None
    reason = failed.strerror if failed is not None and failed.strerror else "No space left on device"
    return f"could not render: {folders[folder]} {folder} refused a file: {reason}"


def _full(folder: Path) -> bool:
    """Whether the disk of `folder` has less than 1 MB left."""
    try:
        return shutil.disk_usage(folder).free < 1 << 20
    except OSError:
        return False


def _write_files(
    subject, lecture, movie: Path, work: Path, name: str, quality: str, lang: str, slides: bool, found: dict
) -> dict[str, Path]:
    """The subtitles, chapters, poster, decks and sidecar of a rendered `lecture`, written into `work`."""
    made = {
        ".mp4": movie,
        ".srt": movie.with_suffix(".srt"),
        **{suffix: work / f"{name}{suffix}" for suffix in SUFFIXES[2:]},
    }
    made[".vtt"].write_text(lecture.subtitles_vtt(), encoding="utf-8")
    chapters = lecture.chapters()
    made[".chapters.vtt"].write_text(
        webvtt([(c["start"], c["end"], c["title"]) for c in chapters]), encoding="utf-8"
    )
    title = lecture.words(lecture.TITLE, **lecture.title_values())
    # with a byte-order mark: any browser opening it from the class page (file://) reads it as UTF-8
    made[".txt"].write_text(transcript(title, chapters, lecture.cues), encoding="utf-8-sig")
    beats = [c["beat"] for c in chapters]  # the poster shows the first frame of the run, or an earlier one:
    poster(
        movie,
        min(
            chapters[beats.index("predict") + 1]["start"],  # nothing of the verdict
            chapters[beats.index(lecture.VERDICT)]["start"],
        ),
        made[".jpg"],
    )
    if slides:
        made.update(write_deck(lecture, work / "slides", name, title))
    files = {suffix: digest(path) for suffix, path in made.items() if path.is_file() and suffix != ".json"}
    sidecar = _sidecar(subject, lecture, name, quality, lang, slides, found, chapters)
    made[".json"].write_text(dataclasses.replace(sidecar, files=files).dumps(), encoding="utf-8")
    return made


def _sidecar(subject, lecture, name, quality, lang, slides, found, chapters) -> Sidecar:
    """The sidecar of a rendered `lecture`: what was rendered, how, and what it says (files: added later)."""
    captions = [
        {"start": a, "end": b, "text": line, "claims": said}  # with what each sentence rests on
        for (a, b, line), said in zip(lecture.cues, lecture.claims)
    ]
    for cue, said in zip(captions, lecture.spoken):  # what the voice said, with --voice
        cue["spoken"] = said
    return Sidecar(
        scene=subject.scene,
        quality=quality,
        lang=lang,
        params=dict(subject.params),
        problem=subject.problem.describe(),
        summary=subject.summary(),
        runs=subject.runs(),
        headline=lecture.opening(lecture.VERDICT),
        question=lecture.opening("predict"),
        subtitles={"srt": f"{name}.srt", "vtt": f"{name}.vtt", "chapters": f"{name}.chapters.vtt"},
        transcript=f"{name}.txt",
        poster=f"{name}.jpg",
        slides={"pptx": f"{name}.pptx", "html": f"{name}.html"} if slides else None,
        voice={"engine": ENGINE, "version": found[ENGINE]} if lecture.voice is not None else False,
        captions=captions,
        beats=lecture.beats,
        steps=lecture.step_times(),
        chapters=chapters,
        duration=lecture.now,
        versions=found,
    )
