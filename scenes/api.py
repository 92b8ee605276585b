"""The momentum lectures from Python (a notebook, a script): the calls the command line makes.

    lesson(scene, **params)              gdcore's numbers: a Lesson, a Comparison or a Landscape
    render(scene, quality, lang, output) the video (a Path a notebook shows as a player), then its pages
    explore(scene, lang, output)         the explorer page, without a video
    export(scene, folder)                the run's numbers as CSV

`scene` is a lecture's name (python render.py --list) and `params` its hyperparameters by name (lr, beta,
steps, variant, x0, …; a list on one of them compares runs); render and export also take a subject that
lesson() returned. A value that is not allowed is gdcore's ParameterError, in one line, before anything is
written:

>>> lesson("parabola", beta=1.5)
Traceback (most recent call last):
...
gdcore.validation.ParameterError: beta=1.5 is invalid: expected a finite number in [0, 1)
"""

from __future__ import annotations

import base64
import functools
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from gdcore import LECTURES, ParameterError, Subject, export_lecture, planned

from .pipeline.batch import run_batch
from .pipeline.cluster import draw_on_cluster, reach, run_on_cluster
from .pipeline.render import Interrupted, render_job, signals_held
from .pipeline.request import Job, OptionError, drawable, flag, language, ready, resolve, values, writable
from .pipeline.sidecar import QUALITY

__all__ = ["Video", "explore", "export", "lesson", "pages", "render"]


class Video(type(Path())):
    """The path of a rendered video, which a notebook (Jupyter, Colab) shows as a player with its subtitles:
    its HTML is a <video> tag with the file embedded, as IPython.display.Video(embed=True) makes it, without
    needing IPython."""

    def _repr_html_(self) -> str | None:
        """The player: the mp4 and its WebVTT subtitles as data URLs; None (shown as a path) for another file."""
        if self.suffix != ".mp4" or not self.is_file():
            return None
        movie = base64.b64encode(self.read_bytes()).decode("ascii")
        vtt = self.with_suffix(".vtt")
        track = (
            f'<track kind="subtitles" default src="data:text/vtt;base64,'
            f'{base64.b64encode(vtt.read_bytes()).decode("ascii")}">'
            if vtt.is_file()
            else ""
        )
        return f'<video controls width="640"><source src="data:video/mp4;base64,{movie}" type="video/mp4">{track}</video>'


def lesson(scene: str = "parabola", **params) -> Subject:
    """What lecture `scene` teaches with these hyperparameters, the others at their defaults: a Lesson, a
    Comparison when one of them is a list (2 to 5 values), a Landscape for scene "landscape" (problem=…).

    >>> run = lesson("parabola", lr=0.5, beta=0.9, steps=40)
    >>> run.verdict.outcome.value, run.run.positions.shape
    ('not settled', (41, 1))
    >>> runs = lesson("parabola", beta=[0, 0.5, 0.9], steps=30)
    >>> runs.compared, [one.params["beta"] for one in runs.lessons]
    ('beta', [0.0, 0.5, 0.9])
    >>> lesson("parabola", samples=10)
    Traceback (most recent call last):
    ...
    scenes.pipeline.request.OptionError: --samples does not apply to --scene parabola
    """
    return resolve(scene, params)


def subject(lecture: str | Subject, params: dict) -> Subject:
    """The subject `lecture` names with `params` (resolve), or `lecture` itself when lesson() made it."""
    if isinstance(lecture, str):
        return resolve(lecture, params)
    if params:
        raise OptionError(f"give {', '.join(params)} to lesson(), not beside a lesson it made")
    return lecture


def render(
    lecture: str | Subject = "parabola",
    quality: str = "high",
    lang: str = "en",
    output: str | Path = "media",
    *,
    voice: bool = False,
    force: bool = False,
    slides: bool = False,
    jobs: int | None = None,
    cluster: str | None = None,
    **params,
) -> Video:
    """Render the lecture (a scene's name with its `params`, or what lesson() returned) at `quality` in
    language `lang`; return the video, <output>/<scene>/<quality>/<name>.mp4. Beside it: its sidecar,
    subtitles, chapters, transcript and poster (with `slides` its decks); then the lecture's explorer and the
    class page <output>/index.html are written. A finished render of the same lecture is returned at once
    unless `force`. `voice`: the captions spoken (espeak-ng); `jobs`: processes drawing it; `cluster`: the
    Dask scheduler tcp://HOST:PORT whose workers draw those `jobs` chunks.
    ParameterError before anything is written; scenes.pipeline.render.RenderError (one line) when it could
    not finish; Interrupted (a KeyboardInterrupt; its `landed`: the video, if it was installed).

    >>> video = render("parabola", quality="low", steps=20)  # doctest: +SKIP
    >>> video                                                # in a notebook: a player  # doctest: +SKIP
    """
    lecture = drawable(subject(lecture, params))
    if quality not in QUALITY:
        raise ParameterError("quality", quality, f"one of {', '.join(QUALITY)}")
    job = Job(lecture, language(lang), quality, Path(output), voice, force, slides, jobs)
    with reach(cluster) as client:  # an address that does not answer: nothing written
        ready(job.output, voice, slides, (lang,))
        drawn_by = None if client is None else functools.partial(draw_on_cluster, client)
        return Video(landed(job, lambda: render_job(job, drawn_by)))


def landed(job: Job, make: Callable[[], Path]) -> Path:
    """The video make() renders for `job`, then its pages, written even when a signal came as the video
    landed (signals held while they are written; Interrupted afterwards)."""
    try:
        video, stopped = make(), None
    except Interrupted as err:
        if err.landed is None:
            raise
        video, stopped = err.landed, err
    with signals_held() as got:
        pages(job.output, job.subject, job.lang)
    if stopped is not None:
        raise stopped
    if got:
        raise Interrupted(video)
    return video


def batch(
    work: Iterable[Job],
    at_once: int,
    cluster: str | None = None,
    done: Callable[[Path], None] = print,
    progress: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> list[str]:
    """Render every job in a process of its own, `at_once` at a time (or on the Dask cluster whose
    scheduler is `cluster`); done(video) as each lands, its pages written then; '[k/n]' lines and failures
    to `progress`. The class page is written at the end, an interrupted batch's too. Returns the failed
    jobs' labels; ParameterError, before anything is written, as render's."""
    work = list(work)

    def arrived(job: Job, video: Path) -> None:
        pages(job.output, job.subject, job.lang)
        done(video)

    with reach(cluster) as client:  # an address that does not answer: nothing written
        for output in {job.output for job in work}:
            mine = [job for job in work if job.output == output]
            voice, slides = any(job.voice for job in mine), any(job.slides for job in mine)
            ready(output, voice, slides, sorted({job.lang for job in mine}))
        try:
            if client is None:
                return run_batch(work, at_once, arrived, progress)
            return run_on_cluster(work, client, arrived, progress)
        finally:
            for output in {job.output for job in work}:
                pages(output)


def pages(output: str | Path, lecture: Subject | None = None, lang: str = "en") -> Path:
    """Write the pages of `output` from its sidecars: the explorer of `lecture` in `lang` (when it has one),
    then the class page <output>/index.html, which links it; return the class page's path. A page that
    cannot be written is one warning line on stderr, never an error (the videos matter more)."""
    from .pages.classpage import write_page
    from .pages.explore import write_explorer_safely

    output = Path(output)
    if lecture is not None:
        write_explorer_safely(lecture, lang, output)
    try:
        write_page(output)
    except OSError as err:
        print(
            f"warning: could not write the class page {output / 'index.html'}: {err.strerror or err}",
            file=sys.stderr,
        )
    return output / "index.html"


def explorable(scene: str, given: dict) -> dict:
    """The explorer's first setting from the options `given` (tuples): one value each, a list only on the
    option the lecture compares. OptionError when `scene` has no explorer or an option does not fit."""
    from .pages.explore import SCENES as EXPLORED  # the lectures with an explorer (h30: their declarations)

    if scene not in EXPLORED:
        raise OptionError(f"--scene {scene} has no explorer (--explore is for {', '.join(EXPLORED)})")
    if given.get("data") is not None:
        raise OptionError("--data has no explorer yet: --export-data DIR writes the run on your data")
    declared = LECTURES[scene]
    for name, several in given.items():
        if name not in declared.DEFAULTS:
            raise OptionError(f"{flag(name)} does not apply to --scene {scene}")
        if len(several) > 1 and name != declared.COMPARES:
            raise OptionError(
                f"--explore takes one value per option (got a list on {flag(name)}): the page "
                "varies α, β and the rule itself"
            )
    return {name: several if name == declared.COMPARES else several[0] for name, several in given.items()}


def explore(scene: str = "parabola", lang: str = "en", output: str | Path = "media", **params) -> Path:
    """Write the explorer of `scene` in `lang`, <output>/explore/<scene>-<lang>.html, with `params` as the
    setting it opens on (the page varies α, β and the rule over gdcore's runs); return its path.

    >>> page = explore("parabola", "es", "media", steps=40)  # doctest: +SKIP
    """
    from .pages.explore import write_explorer

    setting = explorable(scene, values(params))
    return write_explorer(scene, language(lang), writable(Path(output)), setting)


def export(lecture: str | Subject = "parabola", folder: str | Path = "data", force: bool = False, **params):
    """Write the run's numbers into `folder` (trajectory.csv, and the regression's data.csv; a comparison
    and the map have their own files: docs/outputs.md), never over files there unless `force`; return
    their paths.

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> [path.name for path in export("parabola", folder, steps=5)]
    ['trajectory.csv']
    >>> export("parabola", folder, steps=5)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    scenes.pipeline.request.OptionError: .../trajectory.csv exists (add --force to write over it)
    """
    lecture = subject(lecture, params)
    folder = writable(Path(folder), "export_data")
    there = [str(path) for path, _ in planned(lecture, folder) if path.exists()]
    if there and not force:
        raise OptionError(f"{there[0]} exists (add --force to write over it)", "export_data")
    return export_lecture(lecture, folder)
