"""Command line: render a momentum lecture, or export its numbers.  `python render.py --help`.

Every hyperparameter option, its help, `--list` and its error message come from gdcore's one table
(gdcore/validation.py HYPERPARAMETERS) and the problems' DEFAULTS: a new lecture adds nothing here."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from gdcore import HYPERPARAMETERS, LECTURES, Lesson, ParameterError, export, lesson
from scenes.captions import CATALOGUE
from scenes.narration import ENGINE, INSTALL, engine_available
from scenes.render import QUALITY, render_lecture  # Manim itself is imported only when a video is made

# The options of the lectures, in the table's order: every name some lecture has a default for.
OPTIONS = [row for name, row in HYPERPARAMETERS.items() if any(name in cls.DEFAULTS for cls in LECTURES.values())]


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def _defaults(name: str) -> str:
    return ", ".join(f"{cls.DEFAULTS[name]} ({scene})" for scene, cls in LECTURES.items() if name in cls.DEFAULTS)


def hyperparameter_options(command):
    for row in reversed(OPTIONS):
        kind = click.Choice(row.valid.options) if row.kind is str else row.kind
        command = click.option(_flag(row.name), *map(_flag, row.aliases), row.name, type=kind, default=None,
                               help=f"{row.help}; {row.valid.text()}  [default: {_defaults(row.name)}]")(command)
    return command


def ensure_writable(folder: Path, option: str) -> Path:
    """Create `folder` if needed and prove a file can be written there, or fail as a usage error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        raise click.BadParameter(f"{folder} is not a writable folder ({err.strerror})", param_hint=option)
    return folder


def resolve(scene: str, given: dict) -> Lesson:
    """The lesson of `scene` with the options the user gave (usage error if one is bad or not the scene's)."""
    given = {name: value for name, value in given.items() if value is not None}
    for name in given:
        if name not in LECTURES[scene].DEFAULTS:
            raise click.UsageError(f"{_flag(name)} does not apply to --scene {scene}")
    try:
        return lesson(scene, **given)
    except ParameterError as err:
        raise click.BadParameter(f"{err.value!r}: expected {err.valid}", param_hint=_flag(err.name))


def list_scenes() -> str:
    """Each scene and its options: flag, default, valid values, meaning."""
    lines = []
    for scene, cls in LECTURES.items():
        lines.append(scene)
        lines += [f"  {_flag(n):<11} {v!s:<9} {HYPERPARAMETERS[n].valid.text():<36} {HYPERPARAMETERS[n].help}"
                  for n, v in cls.DEFAULTS.items()]
    return "\n".join(lines)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--scene", type=click.Choice(list(LECTURES)), default="parabola", show_default=True,
              help="which lecture")
@click.option("--quality", type=click.Choice(list(QUALITY)), default="high", show_default=True,
              help=", ".join(f"{q} {size}" for q, (_, size) in QUALITY.items()))
@click.option("--lang", type=click.Choice(list(CATALOGUE)), default="en", show_default=True,
              help="language of captions")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("media"),
              show_default=True, help="folder where videos land")
@hyperparameter_options
@click.option("--voice/--no-voice", default=False, show_default=True,
              help="speak the captions with the offline voice (espeak-ng) and put the audio in the video")
@click.option("--list", "list_only", is_flag=True, help="list the scenes and their parameters, then exit")
@click.option("--export-data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="write trajectory.csv (and data.csv) into this folder instead of rendering")
def main(scene, quality, lang, output, voice, list_only, export_data, **given):
    """Render a lecture on gradient descent with momentum; the last line printed is the video's path."""
    if list_only:
        click.echo(list_scenes())
        return
    lecture = resolve(scene, given)
    if export_data is not None:
        folder = ensure_writable(export_data, "--export-data")
        for path in export(lecture.run, folder):
            click.echo(path)
        return
    if voice and not engine_available():
        raise click.BadParameter(f"needs the offline speech engine {ENGINE}; install it with: {INSTALL}",
                                 param_hint="--voice")
    ensure_writable(output, "--output")
    click.echo(render_lecture(lecture, quality=quality, lang=lang, output=output, voice=voice))


if __name__ == "__main__":
    sys.exit(main())
