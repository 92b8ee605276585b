"""Command line: render a momentum lecture, or export its numbers.  `python render.py --help`."""
from __future__ import annotations

import inspect
import sys
import tempfile
from pathlib import Path

import click

from gdcore import LECTURES, VARIANTS, ParameterError, check_all, export
from scenes.narration import ENGINE, INSTALL, engine_available

QUALITIES = ("low", "medium", "high", "production", "4k")
LANGS = ("en", "es")

# Hyperparameters: option name → (click type, what it is). Defaults come from the gdcore run functions.
HYPERPARAMETERS = {
    "lr": (float, "learning rate α, > 0"),
    "beta": (float, "momentum β, in [0, 1); 0 is plain gradient descent"),
    "steps": (int, "number of steps, 1..10000"),
    "variant": (click.Choice(VARIANTS), "update rule: classic (heavy ball), ema (averaged gradient), nesterov"),
    "x0": (float, "where the ball starts, |x0| <= 1000"),
    "samples": (int, "number of data points, 3..100000"),
    "noise": (float, "standard deviation of the Gaussian noise on y, >= 0"),
    "seed": (int, "seed of numpy.random.default_rng for the data"),
    "true_w1": (float, "true coefficient w1 of the data, |w1| <= 100"),
    "true_w2": (float, "true coefficient w2 of the data, |w2| <= 100"),
    "true_b": (float, "true intercept b of the data, |b| <= 100"),
}


def defaults(scene: str) -> dict:
    """The hyperparameters of `scene` with their defaults, read from its gdcore run function."""
    return {n: p.default for n, p in inspect.signature(LECTURES[scene]).parameters.items()}


def _option_help(name: str) -> str:
    where = [f"{d[name]} ({s})" for s in LECTURES if name in (d := defaults(s))]
    return f"{HYPERPARAMETERS[name][1]}  [default: {', '.join(where)}]"


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def hyperparameter_options(command):
    for name, (kind, _) in reversed(HYPERPARAMETERS.items()):
        decls = [_flag(name), "--momentum"] if name == "beta" else [_flag(name)]
        command = click.option(*decls, name, type=kind, default=None, help=_option_help(name))(command)
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


def resolve(scene: str, given: dict) -> dict:
    """Merge the options the user gave with the scene's defaults and validate them (usage error if bad)."""
    params = defaults(scene)
    for name, value in given.items():
        if value is None:
            continue
        if name not in params:
            raise click.UsageError(f"{_flag(name)} does not apply to --scene {scene}")
        params[name] = value
    try:
        return check_all(**params)
    except ParameterError as err:
        raise click.BadParameter(f"{err.value!r}: expected {err.valid}", param_hint=_flag(err.name))


def list_scenes() -> str:
    lines = []
    for scene in LECTURES:
        lines.append(scene)
        lines += [f"  {_flag(n):<11} {v!s:<9} {HYPERPARAMETERS[n][1]}" for n, v in defaults(scene).items()]
    return "\n".join(lines)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--scene", type=click.Choice(list(LECTURES)), default="parabola", show_default=True,
              help="which lecture")
@click.option("--quality", type=click.Choice(QUALITIES), default="high", show_default=True,
              help="480p15, 720p30, 1080p60, 1440p60 or 2160p60")
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True, help="language of captions")
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
    params = resolve(scene, given)
    if export_data is not None:
        folder = ensure_writable(export_data, "--export-data")
        for path in export(LECTURES[scene](**params), folder):
            click.echo(path)
        return
    if voice and not engine_available():
        raise click.BadParameter(f"needs the offline speech engine {ENGINE}; install it with: {INSTALL}",
                                 param_hint="--voice")
    ensure_writable(output, "--output")
    from scenes.render import render_lecture  # imports Manim: only when a video is made

    video = render_lecture(scene, params, quality=quality, lang=lang, output=output, voice=voice)
    click.echo(video)


if __name__ == "__main__":
    sys.exit(main())
