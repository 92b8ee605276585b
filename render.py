"""Command line: render a momentum lecture, or export its numbers.  `python render.py --help`.

Every hyperparameter option, its help, `--list` and its error message come from gdcore's one table
(gdcore/validation.py HYPERPARAMETERS) and the problems' DEFAULTS: a new lecture adds nothing here."""

from __future__ import annotations

import codecs
import contextlib
import errno
import functools
import os
import re
import signal
import sys
import tempfile
import unicodedata
from dataclasses import replace
from pathlib import Path

import click

from gdcore import (
    HYPERPARAMETERS,
    LECTURES,
    MAX_RUNS,
    Landscape,
    ParameterError,
    check,
    compare,
    export_lecture,
    landscape,
    lesson,
    planned,
)
from scenes.lectures import has_lecture
from scenes.pages.explore import SCENES as EXPLORED
from scenes.pages.explore import timed
from scenes.pipeline.batch import run_batch
from scenes.pipeline.cluster import ClusterError, Job, check_address, connect, draw_on_cluster, run_on_cluster
from scenes.pipeline.render import (  # Manim: only for a video
    QUALITY,
    RenderError,
    finished,
    render_lecture,
    write_page_safely,
)
from scenes.pipeline.slides import reveal_package
from scenes.words.locales import LanguageError, available, load
from scenes.words.narration import ENGINE, INSTALL, engine_available, voice_known

# What a number on the command line may be: ASCII decimals (Python's int() and float() also read 1_0, ٣ and ２)
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
INTEGER = re.compile(r"[+-]?[0-9]+")
SCENES = [*LECTURES, Landscape.scene]  # each lecture's problem, and the (α, β) map of any of them
VIDEOS = [scene for scene in SCENES if has_lecture(scene)]  # those with a video (--scene all renders them)
# The options of the lectures, in the table's order: every name some lecture has a default for.
OPTIONS = [
    row
    for name, row in HYPERPARAMETERS.items()
    if name == "problem" or any(name in cls.DEFAULTS for cls in LECTURES.values())
]


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def shown(default, name: str = "") -> str:
    """A default as typed on the command line: 0.3, or a list 0,0.8,0.95; None, an option unused by default,
    is "none" (--batch-size: "all", every step sees all the samples)."""
    if default is None:
        return "all" if name == "batch_size" else "none"
    return ",".join(f"{v:g}" for v in default) if isinstance(default, tuple) else str(default)


def _defaults(name: str) -> str:
    if name == "problem":
        return "parabola (landscape)"
    return ", ".join(
        f"{shown(cls.DEFAULTS[name], name)} ({scene})"
        for scene, cls in LECTURES.items()
        if name in cls.DEFAULTS
    )


def number_or_none(text: str, kind: type):
    """`text` as a `kind` (int or float) if it is written as one (INTEGER, NUMBER), else None."""
    if not (INTEGER if kind is int else NUMBER).fullmatch(text):
        return None
    with contextlib.suppress(ValueError):  # an integer of over 4300 digits, which Python refuses to read
        return kind(text)
    return None


class Values(click.ParamType):
    """One value of a table row's type, or (comparable rows) a comma-separated list: always a tuple."""

    def __init__(self, row):
        self.row, self.name = row, row.kind.__name__

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        if self.row.whole:  # a function or a path: commas are part of it
            return (str(value),)
        out = []
        for item in (item.strip() for item in str(value).split(",")):
            number = number_or_none(item, self.row.kind) if self.row.kind in (int, float) else item
            if number is None:
                self.fail(
                    f"{item!r} is not a valid {'integer' if self.row.kind is int else 'number'}", param, ctx
                )
            if self.row.kind is float and 0 < abs(number) < sys.float_info.min:
                self.fail(
                    f"{item!r} is too close to 0 to be represented (the smallest is "
                    f"{sys.float_info.min:.1e})",
                    param,
                    ctx,
                )
            out.append(number)
        return tuple(out)


def hyperparameter_options(command):
    for row in reversed(OPTIONS):
        listed = f" (or 2 to {MAX_RUNS} values a,b,… to compare runs)" if row.comparable else ""
        shape = getattr(row.valid, "metavar", None) or (
            "|".join(row.valid.options) if row.kind is str else row.kind.__name__.upper()
        )
        command = click.option(
            _flag(row.name),
            *map(_flag, row.aliases),
            row.name,
            type=Values(row),
            default=None,
            metavar=shape + ("[,…]" if row.comparable else ""),
            help=f"{row.help}; {row.valid.text()}{listed}  [default: {_defaults(row.name)}]",
        )(command)
    return command


class Folder(click.Path):
    """A folder to write into: a path with something in it (an empty one is the current folder, which a
    mistyped variable gives), and no control character (the last line printed must be one path)."""

    def __init__(self):
        super().__init__(file_okay=False, path_type=Path)

    def convert(self, value, param, ctx):
        text = os.fsdecode(value) if isinstance(value, bytes | Path) else str(value)
        if not text.strip():
            self.fail("is blank: name a folder ('.' for the current one)", param, ctx)
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            self.fail(f"{text!r} has a control character (a line break?) in it", param, ctx)
        return super().convert(value, param, ctx)


def ensure_writable(folder: Path, option: str) -> Path:
    """Create `folder` if needed and prove a file can be written there, or fail as a usage error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        why = (
            "no file can be created there" if folder.is_dir() and err.errno == errno.ENOENT else err.strerror
        )
        raise click.BadParameter(f"{folder} is not a writable folder ({why})", param_hint=option) from None
    return folder


def resolve(scene: str, given: dict):
    """What `scene` teaches with the options the user gave: a Lesson, a Comparison (a list on one option) or
    a Landscape. A bad value, an option the scene does not take or lists on two options are usage errors."""
    given = {name: values for name, values in given.items() if values is not None}
    lists = [name for name, values in given.items() if len(values) > 1]
    if len(lists) > 1 or (lists and scene == "landscape"):
        rule = (
            "--scene landscape takes one value per option"
            if scene == "landscape"
            else "a list of values is for one option only"
        )
        raise click.UsageError(f"{rule} (got a list on {', '.join(map(_flag, lists))})")
    problem = given.pop("problem", ("parabola",))[0] if scene == "landscape" else scene
    if scene == "landscape":
        _checked(check, "problem", problem)
    for name in given:
        if name not in LECTURES[problem].DEFAULTS:
            raise click.UsageError(f"{_flag(name)} does not apply to --scene {scene}")
    by_design = LECTURES[problem].COMPARES  # the option a lecture compares (valleys: β), even for one value
    if scene != "landscape" and by_design:
        if set(lists) - {by_design}:
            raise click.UsageError(
                f"--scene {scene} compares {_flag(by_design)}: a list of values goes there"
            )
        lists = [by_design]
        given.setdefault(by_design, LECTURES[problem].DEFAULTS[by_design])
    single = {name: values[0] for name, values in given.items() if name not in lists}
    if scene == "landscape":
        return _checked(landscape, problem, **single)
    if lists:
        return _checked(compare, scene, lists[0], given[lists[0]], **single)
    return _checked(lesson, scene, **single)


def _checked(call, *args, **kwargs):
    """call(*args, **kwargs), with a bad value (gdcore's ParameterError) as a one-line usage error."""
    try:
        return call(*args, **kwargs)
    except ParameterError as err:
        shown = ",".join(map(str, err.value)) if isinstance(err.value, tuple) else repr(err.value)
        why = err.why or f"expected {err.valid}"
        raise click.BadParameter(f"{shown}: {why}", param_hint=_flag(err.name)) from None


def ready_to_render(output: Path, voice: bool, slides: bool = False, langs: tuple = ()) -> None:
    """Stop with a usage error before anything renders: no speech engine for --voice (or none of the voices
    the language files of `langs` name), or no writable --output.
    Say it when the slide decks will be silent (manim-slides drops audio) or need the internet for reveal.js."""
    if voice and not engine_available():
        raise click.BadParameter(
            f"needs the offline speech engine {ENGINE}; install it with: {INSTALL}", param_hint="--voice"
        )
    for language in map(load, langs if voice else ()):
        if not voice_known(language.voice):
            raise click.BadParameter(
                f"{language.path}: message 'voice': {ENGINE} has no voice {language.voice!r} "
                f"({ENGINE} --voices lists them)",
                param_hint="--voice",
            )
    ensure_writable(output, "--output")
    if slides and voice:
        click.echo(
            "note: the slide decks have no sound (manim-slides drops audio); the voiced mp4 has it", err=True
        )
    if slides and not (reveal_package() / "dist").is_dir():
        click.echo(
            "note: the HTML deck loads reveal.js from the internet (set-up found no npm to fetch it)",
            err=True,
        )


def list_scenes() -> str:
    """Each scene and its options: flag, default, valid values, meaning."""
    lines = []
    for scene, cls in LECTURES.items():
        lines.append(scene)
        lines += [
            f"  {_flag(n):<11} {shown(v, n):<10} {HYPERPARAMETERS[n].valid.text():<36} {HYPERPARAMETERS[n].help}"
            for n, v in cls.DEFAULTS.items()
        ]
        lines += [f"  (compares {_flag(cls.COMPARES)}: 1 to {MAX_RUNS} values)"] if cls.COMPARES else []
    row = HYPERPARAMETERS["problem"]
    lines += [
        "landscape",
        f"  {'--problem':<11} {'parabola':<10} {row.valid.text():<36} and that problem's options",
    ]
    comparable = ", ".join(_flag(n) for n, row in HYPERPARAMETERS.items() if row.comparable)
    lines.append(f"A comma list of 2 to {MAX_RUNS} values on one of {comparable} renders a comparison.")
    return "\n".join(lines)


class Names(click.ParamType):
    """One of `options`, or a comma-separated list of them: always a tuple."""

    name = "names"

    def __init__(self, options):
        self.options = tuple(options)

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        names = tuple(item.strip() for item in str(value).split(","))
        for item in names:
            if item not in self.options:
                self.fail(f"{item!r} is not one of {', '.join(self.options)}", param, ctx)
        if len(set(names)) < len(names):
            self.fail(f"{value!r} names one twice", param, ctx)
        return names


class Languages(Names):
    """Languages whose file is present, each read and checked before anything renders."""

    def convert(self, value, param, ctx):
        codes = super().convert(value, param, ctx)
        for code in codes:
            try:
                load(code)
            except LanguageError as err:
                self.fail(str(err), param, ctx)
        return codes


class Jobs(click.ParamType):
    """--jobs: a whole number of processes, 1 to 64."""

    name = "integer"

    def convert(self, value, param, ctx):
        jobs = number_or_none(str(value).strip(), int)
        if jobs is None or not 1 <= jobs <= 64:
            self.fail(f"takes a whole number of processes from 1 to 64 (got {value!r})", param, ctx)
        return jobs


def cluster_address(ctx, param, value):
    """--cluster: tcp://HOST:PORT, or a usage error before anything else."""
    try:
        return value if value is None else check_address(value)
    except ClusterError as err:
        raise click.BadParameter(str(err), ctx, param) from None


SPELLED = {"…": "...", "≥": ">=", "≤": "<=", "≈": "~", "→": "->", "−": "-", "–": "-", "—": "-"}
GREEK = re.compile(r"GREEK (SMALL|CAPITAL) LETTER (\w+)")


def spelled(char: str, encoding: str) -> bytes:
    """`char`, which `encoding` lacks, as a reader of such a terminal would write it, encoded: a Greek letter
    by its name (α alpha, Δ Delta), a symbol as SPELLED, an accented letter without its accent, else '?';
    a byte that was not text (a path's, surrogate-escaped) as that byte."""
    if 0xDC80 <= ord(char) <= 0xDCFF:
        return bytes([ord(char) - 0xDC00])
    greek = GREEK.match(unicodedata.name(char, ""))
    if greek:
        name = greek[2].lower()
        text = name.capitalize() if greek[1] == "CAPITAL" else name
    else:
        bare = unicodedata.normalize("NFKD", char)
        text = SPELLED.get(char, "".join(c for c in bare if not unicodedata.combining(c)))
    try:
        return text.encode(encoding) if text else b"?"
    except UnicodeEncodeError:
        return b"?"


codecs.register_error(
    "spelled",
    lambda err: (b"".join(spelled(c, err.encoding) for c in err.object[err.start : err.end]), err.end),
)


class Command(click.Command):
    """The command, printing on terminals whose encoding lacks some of its characters (Latin-1, ASCII):
    those are spelled out (`spelled`), never a UnicodeEncodeError."""

    def main(self, *args, **kwargs):
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(AttributeError, ValueError):  # a stream that is not a text file
                stream.reconfigure(errors="spelled")
        return super().main(*args, **kwargs)


def _stop(signum, frame):
    # SIGTERM ends the render like Ctrl-C: cleanup code runs and leaves no temporary folder behind
    raise KeyboardInterrupt


@click.command(
    cls=Command, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.option(
    "--scene",
    type=click.Choice([*SCENES, "all"]),
    default="parabola",
    show_default=True,
    help="which lecture; landscape: the (α, β) map of --problem; all: every lecture at its defaults",
)
@click.option(
    "--quality",
    type=Names(QUALITY),
    default="high",
    show_default=True,
    metavar="|".join(QUALITY) + "[,…]",
    help=", ".join(f"{q} {size}" for q, (_, size) in QUALITY.items()) + "; a comma list renders each",
)
@click.option(
    "--lang",
    type=Languages(available()),
    default="en",
    show_default=True,
    metavar="|".join(available()) + "[,…]",
    help=f"language of the lecture: a file in scenes/words/locales ({', '.join(available())}); a comma list "
    "renders each",
)
@click.option(
    "--output",
    type=Folder(),
    default=Path("media"),
    show_default=True,
    help="folder where videos land",
)
@hyperparameter_options
@click.option(
    "--voice/--no-voice",
    default=False,
    show_default=True,
    help="speak the captions with the offline voice (espeak-ng) and put the audio in the video",
)
@click.option("--force", is_flag=True, help="render again even if the same video is already in --output")
@click.option(
    "--slides",
    is_flag=True,
    help="also make a slide deck, one slide per beat: <name>.pptx and <name>.html beside the video",
)
@click.option(
    "--jobs",
    type=Jobs(),
    default=None,
    show_default="number of CPUs",
    help="processes in all: a batch (--scene all, or lists on --lang/--quality) renders that many videos at "
    "once; given for a single render, it splits its animations among that many (default 1 for one render)",
)
@click.option(
    "--cluster",
    metavar="tcp://HOST:PORT",
    default=None,
    callback=cluster_address,
    help="render on the Dask cluster of this scheduler (`dask scheduler`; `dask worker tcp://HOST:PORT` on "
    "each machine with the project): the videos come back here; its workers, not --jobs, say how many at once; "
    "a single render with --jobs N sends its N chunks instead and joins them here",
)
@click.option("--list", "list_only", is_flag=True, help="list the scenes and their parameters, then exit")
@click.option(
    "--export-data",
    type=Folder(),
    default=None,
    help="write trajectory.csv (and data.csv) into this folder instead of rendering",
)
@click.option(
    "--explore",
    is_flag=True,
    help="write the lecture's explorer page <output>/explore/<scene>-<lang>-<grid>.html "
    "(sliders over gdcore's runs; every render writes it too) instead of rendering",
)
def main(
    scene,
    quality,
    lang,
    output,
    voice,
    force,
    slides,
    jobs,
    cluster,
    list_only,
    export_data,
    explore,
    **given,
):
    """Render a lecture on gradient descent with momentum; the last line printed is the video's path."""
    if list_only:
        click.echo(list_scenes())
        return
    signal.signal(signal.SIGTERM, _stop)
    if explore:
        explorer(scene, lang, output, given)
        return
    if export_data is not None:
        export(scene, quality, lang, voice, slides, force, export_data, given)
        return
    many = scene == "all" or len(lang) > 1 or len(quality) > 1
    if many or (cluster is not None and (slides or (jobs or 1) == 1)):  # on a cluster, a whole render: a job
        batch(scene, quality, lang, output, voice, force, slides, jobs, given, cluster)
        return
    single(scene, quality[0], lang[0], output, voice, force, slides, given, jobs, cluster)


def single(scene, quality, lang, output, voice, force, slides, given, jobs=None, cluster=None) -> None:
    """Render one video here (its chunks, with --jobs, on the Dask cluster at `cluster`) and print its path;
    a full disk or a signal ends it with one line."""
    lecture = drawable(resolve(scene, given))
    with reach(cluster) as client:  # an address that does not answer is a usage error: nothing written
        ready_to_render(output, voice, slides, (lang,))
        video = rendered(lecture, quality, lang, output, voice, force, slides, jobs, client)
    click.echo(video)


def drawable(subject):
    """`subject`, if its video can be made; else a usage error (its numbers can: --export-data)."""
    if not has_lecture(subject.scene):
        raise click.UsageError(
            f"--scene {subject.scene} has no video yet: --export-data DIR writes its numbers"
        )
    return subject


def rendered(lecture, quality, lang, output, voice, force, slides, jobs, client) -> Path:
    """render_lecture's video, its chunks drawn on the cluster of `client` (or here); an error in a line."""
    drawn_by = None if client is None else functools.partial(draw_on_cluster, client)
    try:
        return render_lecture(
            lecture,
            quality=quality,
            lang=lang,
            output=output,
            voice=voice,
            force=force,
            slides=slides,
            jobs=jobs,
            drawn_by=drawn_by,
        )
    except RenderError as err:  # a full disk, a folder that vanished: one line, and nothing half-written
        fail(str(err))
    except KeyboardInterrupt as err:
        landed = getattr(err, "landed", None)
        fail(
            f"interrupted after the video landed: {landed} (the class page is written)"
            if landed
            else f"interrupted: nothing was written into {output}"
        )


def fail(message: str) -> None:
    """One line on stderr, exit status 1."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def export(scene, quality, lang, voice, slides, force, folder: Path, given: dict) -> None:
    """--export-data: write the lecture's numbers into `folder`, never over files already there (unless
    `force`); the options that only a video uses are usage errors."""
    ctx = click.get_current_context()
    for name in ("quality", "lang", "voice", "slides", "jobs", "output", "cluster"):
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError(f"--export-data writes numbers, not a video: {_flag(name)} does not apply")
    if scene == "all":
        raise click.UsageError("--export-data writes one lecture's numbers: give one --scene")
    lecture = resolve(scene, given)
    folder = ensure_writable(folder, "--export-data")
    there = [str(path) for path, _ in planned(lecture, folder) if path.exists()]
    if there and not force:
        raise click.BadParameter(
            f"{there[0]} exists (add --force to write over it)", param_hint="--export-data"
        )
    try:
        paths = export_lecture(lecture, folder)
    except OSError as err:
        fail(f"could not write the data into {folder}: {err.strerror or err}")
    except KeyboardInterrupt:
        fail(f"interrupted: no file in {folder} is half-written")
    for path in paths:
        click.echo(path)


def explorer(scene, langs, output: Path, given: dict) -> None:
    """--explore: write the explorer page of `scene` in each language, with the options given as its first
    setting; print its size and the time it took (stderr) and its path. A video's options are usage errors."""
    ctx = click.get_current_context()
    for name in ("export_data", "slides", "voice", "cluster"):
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError(
                f"--explore writes a page, not a video or data: {_flag(name)} does not apply"
            )
    if scene not in EXPLORED:
        raise click.UsageError(f"--scene {scene} has no explorer (--explore is for {', '.join(EXPLORED)})")
    if given.get("data") is not None:
        raise click.UsageError("--data has no explorer yet: --export-data DIR writes the run on your data")
    lecture = LECTURES[scene]
    given = {name: values for name, values in given.items() if values is not None}
    for name, values in given.items():
        if name not in lecture.DEFAULTS:
            raise click.UsageError(f"{_flag(name)} does not apply to --scene {scene}")
        if len(values) > 1 and name != lecture.COMPARES:
            raise click.UsageError(
                f"--explore takes one value per option (got a list on {_flag(name)}): the page "
                "varies α, β and the rule itself"
            )
    single = {name: values if name == lecture.COMPARES else values[0] for name, values in given.items()}
    ensure_writable(output, "--output")
    for one in langs:
        path, size, seconds = _checked(timed, scene, one, output, single)
        click.echo(f"explorer: {size / 1e6:.2f} MB, written in {seconds:.1f} s", err=True)
        click.echo(path)


def batch(scene, qualities, langs, output, voice, force, slides, jobs, given, cluster=None) -> None:
    """Render every (scene, language, quality) in separate processes, `jobs` at a time (or on the Dask
    cluster at `cluster`): each path is printed as it lands, progress goes to stderr, and the exit status
    says which failed."""
    given = {name: values for name, values in given.items() if values is not None}
    if scene == "all" and given:
        raise click.UsageError(
            "--scene all renders every lecture at its defaults: give hyperparameters with one --scene"
        )
    # bad options stop the whole batch before anything renders
    subjects = {one: drawable(resolve(one, dict(given))) for one in (VIDEOS if scene == "all" else [scene])}
    options = [arg for name, values in given.items() for arg in (_flag(name), ",".join(map(str, values)))]
    extra = [
        "--output",
        str(output),
        *(["--voice"] if voice else []),
        *(["--force"] if force else []),
        *(["--slides"] if slides else []),
    ]
    work = [
        Job(("--scene", one, "--lang", lang, "--quality", quality, *options, *extra), subject, lang, quality)
        for one, subject in subjects.items()
        for lang in langs
        for quality in qualities
    ]
    work, at_once = shared(work, jobs, cluster)
    with reach(cluster) as client:  # an address that does not answer is a usage error: nothing written
        ready_to_render(output, voice, slides, langs)
        send(
            work,
            at_once,
            client,
            output,
            lambda job: (
                None if force else finished(job.subject, job.quality, job.lang, output, voice, slides)
            ),
        )


def shared(work: list[Job], jobs: int | None, cluster: str | None) -> tuple[list[Job], int]:
    """--jobs counts processes in all: as many renders at once as there are jobs (or videos), and each render
    gets a share of the rest for its animations (only when --jobs is given: a single render splits only
    then), so that at most --jobs draw. Returns the jobs (each with its --jobs, except on a cluster, where each worker's render
    splits by its own CPUs) and how many run at once."""
    total = jobs or os.cpu_count() or 1
    at_once = min(total, len(work))
    if cluster is not None:
        return work, at_once
    if jobs is None:  # one process per video (a render splits only when asked to)
        return work, at_once
    share = str(max(1, total // at_once))
    return [replace(job, args=(*job.args, "--jobs", share)) for job in work], at_once


@contextlib.contextmanager
def reach(address: str | None):
    """The Dask client of the scheduler at `address` (None: no cluster), closed afterwards."""
    if address is None:
        yield None
        return
    try:
        client = connect(address)
    except ClusterError as err:
        raise click.BadParameter(str(err), param_hint="--cluster") from None
    with contextlib.closing(client):
        yield client


def send(work: list[Job], jobs: int, client, output: Path, there) -> None:
    """Run the batch `work` here (`jobs` at a time) or on the cluster of `client`; write the class page and
    say what failed or how it was interrupted. `there(job)`: the video of a job already in `output`."""
    landed = []

    def done(path: str) -> None:
        landed.append(path)
        click.echo(path)

    def say(line: str) -> None:
        click.echo(line, err=True)

    try:
        if client is None:
            failed = run_batch([list(job.args) for job in work], jobs, done, say)
        else:
            failed = run_on_cluster(work, client, output, done, say, there)
    except KeyboardInterrupt:
        write_page_safely(output)
        fail(f"interrupted: the batch stopped with {len(landed)} of {len(work)} videos in {output}")
    write_page_safely(output)
    if failed:
        click.echo(f"Error: {len(failed)} of {len(work)} renders failed: " + "; ".join(failed), err=True)
        sys.exit(1)


if __name__ == "__main__":
    sys.exit(main())
