"""The command line's options: their click types (numbers as typed in ASCII, folders, names, languages,
processes, a cluster's address), their help and --list from gdcore's one table (gdcore/validation.py
HYPERPARAMETERS) and the lectures' declarations, and a command that prints on any terminal."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import sys
import unicodedata
from pathlib import Path

import click

from gdcore import HYPERPARAMETERS, LECTURES, MAX_RUNS, ParameterError

from .cluster import ClusterError, check_address
from .request import OptionError, flag, language

# What a number on the command line may be: ASCII decimals (Python's int() and float() also read 1_0, ٣ and ２)
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
INTEGER = re.compile(r"[+-]?[0-9]+")
# The options of the lectures, in the table's order: every name some lecture has a default for.
OPTIONS = [
    row
    for name, row in HYPERPARAMETERS.items()
    if name == "problem" or any(name in cls.DEFAULTS for cls in LECTURES.values())
]


def shown(default, name: str = "") -> str:
    """A default as typed on the command line: 0.3, or a list 0,0.8,0.95; None, an option unused by default,
    is "none" (--batch-size: "all", every step sees all the samples)."""
    if default is None:
        return "all" if name == "batch_size" else "none"
    return ",".join(f"{v:g}" for v in default) if isinstance(default, tuple) else str(default)


def defaults(name: str) -> str:
    """Option `name`'s default in each lecture that takes it, as its help says them."""
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
    """`command` with an option for every hyperparameter of the lectures (OPTIONS), typed, helped and
    defaulted by the table."""
    for row in reversed(OPTIONS):
        listed = f" (or 2 to {MAX_RUNS} values a,b,… to compare runs)" if row.comparable else ""
        shape = getattr(row.valid, "metavar", None) or (
            "|".join(row.valid.options) if row.kind is str else row.kind.__name__.upper()
        )
        command = click.option(
            flag(row.name),
            *map(flag, row.aliases),
            row.name,
            type=Values(row),
            default=None,
            metavar=shape + ("[,…]" if row.comparable else ""),
            help=f"{row.help}; {row.valid.text()}{listed}  [default: {defaults(row.name)}]",
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


def list_scenes() -> str:
    """Each scene and its options: flag, default, valid values, meaning."""
    lines = []
    for scene, cls in LECTURES.items():
        lines.append(scene)
        lines += [
            f"  {flag(n):<11} {shown(v, n):<10} {HYPERPARAMETERS[n].valid.text():<36} {HYPERPARAMETERS[n].help}"
            for n, v in cls.DEFAULTS.items()
        ]
        lines += [f"  (compares {flag(cls.COMPARES)}: 1 to {MAX_RUNS} values)"] if cls.COMPARES else []
    row = HYPERPARAMETERS["problem"]
    lines += [
        "landscape",
        f"  {'--problem':<11} {'parabola':<10} {row.valid.text():<36} and that problem's options",
    ]
    comparable = ", ".join(flag(n) for n, row in HYPERPARAMETERS.items() if row.comparable)
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
                language(code)
            except OptionError as err:
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


class Address(click.ParamType):
    """--cluster: a scheduler's address tcp://HOST:PORT."""

    name = "address"

    def convert(self, value, param, ctx):
        try:
            return check_address(str(value))
        except ClusterError as err:
            self.fail(str(err), param, ctx)


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


@contextlib.contextmanager
def usage_errors():
    """Refused options as click's usage errors (one line, exit status 2): an OptionError as it says, naming
    its option if it has one; gdcore's ParameterError as the value and why, naming the option."""
    try:
        yield
    except OptionError as err:
        if err.option is None:
            raise click.UsageError(str(err)) from None
        raise click.BadParameter(str(err), param_hint=flag(err.option)) from None
    except ParameterError as err:
        value = ",".join(map(str, err.value)) if isinstance(err.value, tuple) else repr(err.value)
        why = err.why or f"expected {err.valid}"
        raise click.BadParameter(f"{value}: {why}", param_hint=flag(err.name)) from None
