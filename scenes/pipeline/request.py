"""What a command asks for, checked in one place: its mode, the gdcore subjects its options resolve to, and
the typed jobs (one video each) a render or a batch is made of.

The command line (render.py) builds a Request from its options; the Python API (scenes.api) resolves the
same way. Every refusal is an OptionError (gdcore's ParameterError, one line), raised before anything is
written."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
import types
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from gdcore import LECTURES, Landscape, ParameterError, Subject, check, compare, landscape, lesson

from ..lectures import has_lecture
from ..words import locales
from ..words.narration import ENGINE, INSTALL, engine_available, voice_known
from .slides import reveal_package

MODES = ("list", "explore", "export", "render", "batch")
# The options a mode has no use for (they belong to another mode), and the mode's reason, said with each
NOT_FOR = {
    "explore": (
        "--explore writes a page, not a video or data",
        ("export_data", "slides", "voice", "cluster"),
    ),
    "export": (
        "--export-data writes numbers, not a video",
        ("quality", "lang", "voice", "slides", "jobs", "output", "cluster"),
    ),
}


class OptionError(ParameterError):
    """Options that cannot be taken as given, in one line: `name` is the option at fault (None when options
    do not go together)."""

    def __init__(self, message: str, name: str | None = None):
        super().__init__(name or "", None, "", message)
        self.option = name

    def __str__(self) -> str:
        return self.why


def flag(name: str) -> str:
    """An option's name as typed on the command line: batch_size → --batch-size."""
    return "--" + name.replace("_", "-")


def scenes() -> list[str]:
    """Every --scene: each lecture's problem, and the (α, β) map of any of them."""
    return [*LECTURES, Landscape.scene]


def videos() -> list[str]:
    """The scenes with a video (--scene all renders them): a problem may come before its lecture."""
    return [scene for scene in scenes() if has_lecture(scene)]


def values(given: Mapping) -> dict[str, tuple]:
    """Options as tuples of values, those not given (None) left out: 0.3 → (0.3,), [0, 0.9] → (0, 0.9)."""
    return {
        name: tuple(value) if isinstance(value, list | tuple) else (value,)
        for name, value in given.items()
        if value is not None
    }


def resolve(scene: str, given: Mapping) -> Subject:
    """What `scene` teaches with the options given (each a value or a tuple of values): a Lesson, a
    Comparison (a list on one option) or a Landscape. OptionError for an option the scene does not take or
    lists on two options; gdcore's ParameterError for a bad value."""
    given = values(given)
    lists = [name for name, several in given.items() if len(several) > 1]
    if scene not in scenes():
        raise ParameterError("scene", scene, f"one of {', '.join(scenes())}")
    if len(lists) > 1 or (lists and scene == "landscape"):
        rule = (
            "--scene landscape takes one value per option"
            if scene == "landscape"
            else "a list of values is for one option only"
        )
        raise OptionError(f"{rule} (got a list on {', '.join(map(flag, lists))})")
    problem = check("problem", given.pop("problem", ("parabola",))[0]) if scene == "landscape" else scene
    for name in given:
        if name not in LECTURES[problem].DEFAULTS:
            raise OptionError(f"{flag(name)} does not apply to --scene {scene}")
    by_design = LECTURES[problem].COMPARES  # the option a lecture compares (valleys: β), even for one value
    if scene != "landscape" and by_design:
        if set(lists) - {by_design}:
            raise OptionError(f"--scene {scene} compares {flag(by_design)}: a list of values goes there")
        lists = [by_design]
        given.setdefault(by_design, LECTURES[problem].DEFAULTS[by_design])
    single = {name: several[0] for name, several in given.items() if name not in lists}
    if scene == "landscape":
        return landscape(problem, **single)
    return compare(scene, lists[0], given[lists[0]], **single) if lists else lesson(scene, **single)


def drawable(subject: Subject) -> Subject:
    """`subject`, if its video can be made; else an OptionError (its numbers can: --export-data)."""
    if not has_lecture(subject.scene):
        raise OptionError(f"--scene {subject.scene} has no video yet: --export-data DIR writes its numbers")
    return subject


def language(code: str) -> str:
    """`code`, when its language file is present and whole; else an OptionError naming --lang (a file's
    fault: one line naming the file and the message)."""
    if code not in locales.available():
        raise OptionError(f"{code!r} is not one of {', '.join(locales.available())}", "lang")
    try:
        locales.load(code)
    except locales.LanguageError as err:
        raise OptionError(str(err), "lang") from None
    return code


def writable(folder: Path, name: str = "output") -> Path:
    """`folder`, created if needed, once a file was written there; else an OptionError naming option `name`."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        why = (
            "no file can be created there" if folder.is_dir() and err.errno == errno.ENOENT else err.strerror
        )
        raise OptionError(f"{folder} is not a writable folder ({why})", name) from None
    return folder


@dataclass(frozen=True)
class Job:
    """One video, rendered by scenes.pipeline.render.render_job the same way here, in a batch's own
    process (pickled) or on a cluster's worker. `jobs`: the processes that draw it (None: one)."""

    subject: Subject
    lang: str = "en"
    quality: str = "high"
    output: Path = Path("media")
    voice: bool = False
    force: bool = False
    slides: bool = False
    jobs: int | None = None

    @property
    def label(self) -> str:
        """The job as a progress line names it: `parabola en low`."""
        return f"{self.subject.scene} {self.lang} {self.quality}"


@dataclass(frozen=True)
class Request:
    """A command's mode (MODES) and everything it needs, resolved and checked: `subjects` the lectures it
    renders or exports, `params` the hyperparameters as given (tuples; the explorer's first setting)."""

    mode: str
    scene: str = "parabola"
    subjects: tuple = ()
    params: Mapping = field(default_factory=lambda: types.MappingProxyType({}))
    qualities: tuple[str, ...] = ("high",)
    langs: tuple[str, ...] = ("en",)
    output: Path = Path("media")
    voice: bool = False
    force: bool = False
    slides: bool = False
    jobs: int | None = None
    cluster: str | None = None
    folder: Path | None = None  # --export-data's

    def batch(self) -> tuple[list[Job], int]:
        """Every (subject, language, quality) as a Job, and how many render at once. --jobs counts processes
        in all: as many renders at once as there are jobs (or videos), each given a share of the rest for its
        animations (only when --jobs is given; on a cluster each worker's render splits by its own CPUs)."""
        work = [
            Job(subject, lang, quality, self.output, self.voice, self.force, self.slides)
            for subject in self.subjects
            for lang in self.langs
            for quality in self.qualities
        ]
        total = self.jobs or os.cpu_count() or 1
        at_once = min(total, len(work))
        if self.cluster is not None or self.jobs is None:  # one process per video
            return work, at_once
        return [replace(job, jobs=max(1, total // at_once)) for job in work], at_once


def mode(options: Mapping) -> str:
    """The mode the options ask for: --list, --explore, --export-data, else a render (one video, or one
    chunked on a cluster) or a batch (several videos, or one whole video sent to a cluster)."""
    if options["list_only"]:
        return "list"
    if options["explore"]:
        return "explore"
    if options["export_data"] is not None:
        return "export"
    many = options["scene"] == "all" or len(options["lang"]) > 1 or len(options["quality"]) > 1
    whole = options["cluster"] is not None and (options["slides"] or (options["jobs"] or 1) == 1)
    return "batch" if many or whole else "render"


def request(options: Mapping, given: Mapping, named: Collection[str] = ()) -> Request:
    """The Request that the command line's `options` make (its parameters by name), `given` its
    hyperparameters (tuples, None: not given) and `named` the options the user typed. The one place where
    modes and their conflicts are decided; a lecture's own options are checked by resolve."""
    kind, scene, given = mode(options), options["scene"], values(given)
    reason, refused = NOT_FOR.get(kind, ("", ()))
    for name in refused:
        if name in named:
            raise OptionError(f"{reason}: {flag(name)} does not apply")
    if kind == "export" and scene == "all":
        raise OptionError("--export-data writes one lecture's numbers: give one --scene")
    if kind == "batch" and scene == "all" and given:
        raise OptionError(
            "--scene all renders every lecture at its defaults: give hyperparameters with one --scene"
        )
    subjects = ()
    if kind in ("export", "render", "batch"):  # bad options stop a whole batch before anything renders
        every = videos() if scene == "all" else [scene]
        subjects = tuple(resolve(one, given) for one in every)
        subjects = subjects if kind == "export" else tuple(map(drawable, subjects))
    settings = ("output", "voice", "force", "slides", "jobs", "cluster")
    return Request(
        kind,
        scene,
        subjects,
        types.MappingProxyType(given),
        options["quality"],
        options["lang"],
        folder=options["export_data"],
        **{name: options[name] for name in settings},
    )


def ready(output: Path, voice: bool = False, slides: bool = False, langs: Collection[str] = ()) -> Path:
    """`output`, once a render can start: an OptionError for no speech engine with `voice` (or none of the
    voices the language files of `langs` name) or an `output` that takes no file. Says on stderr when the
    slide decks will be silent (manim-slides drops audio) or need the internet for reveal.js."""
    if voice and not engine_available():
        raise OptionError(f"needs the offline speech engine {ENGINE}; install it with: {INSTALL}", "voice")
    for language in map(locales.load, langs if voice else ()):
        if not voice_known(language.voice):
            raise OptionError(
                f"{language.path}: message 'voice': {ENGINE} has no voice {language.voice!r} "
                f"({ENGINE} --voices lists them)",
                "voice",
            )
    writable(output)
    if slides and voice:
        print(
            "note: the slide decks have no sound (manim-slides drops audio); the voiced mp4 has it",
            file=sys.stderr,
        )
    if slides and not (reveal_package() / "dist").is_dir():
        print(
            "note: the HTML deck loads reveal.js from the internet (set-up found no npm to fetch it)",
            file=sys.stderr,
        )
    return Path(output)
