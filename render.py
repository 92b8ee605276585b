"""Command line: render a momentum lecture, or export its numbers.  `python render.py --help`.

It declares the options and calls one function per mode (scenes.pipeline.request decides which, and refuses
options that do not go together); every hyperparameter option, its help, `--list` and its error message
come from gdcore's one table (gdcore/validation.py HYPERPARAMETERS) and the lectures' declarations
(scenes.pipeline.options): a new lecture adds nothing here. The modes are scenes.api's calls."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import click
from click.core import ParameterSource

from scenes import api
from scenes.pipeline.options import (
    OPTIONS,
    Address,
    Command,
    Folder,
    Jobs,
    Languages,
    Names,
    hyperparameter_options,
    list_scenes,
    usage_errors,
)
from scenes.pipeline.render import RenderError
from scenes.pipeline.request import Request, request, scenes
from scenes.pipeline.sidecar import QUALITY
from scenes.words.locales import available

SCENES = scenes()  # each lecture's problem, and the (α, β) map of any of them


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
    type=Address(),
    metavar="tcp://HOST:PORT",
    default=None,
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
def main(**options):
    """Render a lecture on gradient descent with momentum; the last line printed is the video's path."""
    ctx = click.get_current_context()
    named = {name for name in ctx.params if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE}
    given = {row.name: options.pop(row.name) for row in OPTIONS}
    signal.signal(signal.SIGTERM, _stop)
    with usage_errors():  # a refused option: one line, exit status 2, nothing written
        asked = request(options, given, named)
        MODES[asked.mode](asked)


def explored(asked: Request) -> None:
    """--explore: the explorer in each language; its size and the time it took (stderr), and its path."""
    for lang in asked.langs:
        began = time.perf_counter()
        path = api.explore(asked.scene, lang, asked.output, **asked.params)
        took = time.perf_counter() - began
        click.echo(f"explorer: {path.stat().st_size / 1e6:.2f} MB, written in {took:.1f} s", err=True)
        click.echo(path)


def exported(asked: Request) -> None:
    """--export-data: the lecture's numbers, and each file's path."""
    try:
        paths = api.export(asked.subjects[0], asked.folder, asked.force)
    except OSError as err:
        fail(f"could not write the data into {asked.folder}: {err.strerror or err}")
    except KeyboardInterrupt:
        fail(f"interrupted: no file in {asked.folder} is half-written")
    for path in paths:
        click.echo(path)


def single(asked: Request) -> None:
    """One video here (its chunks on the cluster, with --jobs and --cluster), then its path; a full disk or a
    signal ends it with one line."""
    try:
        video = api.render(
            asked.subjects[0],
            asked.qualities[0],
            asked.langs[0],
            asked.output,
            voice=asked.voice,
            force=asked.force,
            slides=asked.slides,
            jobs=asked.jobs,
            cluster=asked.cluster,
        )
    except RenderError as err:  # a full disk, a folder that vanished: one line, and nothing half-written
        fail(str(err))
    except KeyboardInterrupt as err:
        landed = getattr(err, "landed", None)
        fail(
            f"interrupted after the video landed: {landed} (the class page is written)"
            if landed
            else f"interrupted: nothing was written into {asked.output}"
        )
    click.echo(video)


def batch(asked: Request) -> None:
    """Every (scene, language, quality), each path printed as it lands, progress on stderr; the exit status
    says which failed."""
    work, at_once = asked.batch()
    landed = []

    def done(video: Path) -> None:
        landed.append(video)
        click.echo(video)

    try:
        failed = api.batch(work, at_once, asked.cluster, done, lambda line: click.echo(line, err=True))
    except KeyboardInterrupt:
        fail(f"interrupted: the batch stopped with {len(landed)} of {len(work)} videos in {asked.output}")
    if failed:
        click.echo(f"Error: {len(failed)} of {len(work)} renders failed: " + "; ".join(failed), err=True)
        sys.exit(1)


def fail(message: str) -> None:
    """One line on stderr, exit status 1."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


MODES = {
    "list": lambda asked: click.echo(list_scenes()),
    "explore": explored,
    "export": exported,
    "render": single,
    "batch": batch,
}

if __name__ == "__main__":
    sys.exit(main())
