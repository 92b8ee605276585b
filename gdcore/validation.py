"""The one table of hyperparameters and the one place that checks them, for the command line and the API.

Each row names a parameter, its valid values and its help; the command line's options, `--help`, `--list`
and every error message are generated from it. Which lectures take a parameter, and its default there, is
said by each problem's DEFAULTS (gdcore/problems.py); a lecture's own parameters are rows its problem adds.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

VARIANTS = ("classic", "ema", "nesterov")


class ParameterError(ValueError):
    """A parameter outside its valid range; `name` is the parameter, the message says value and range (or,
    for a value read from text such as a typed function or a data file, `why` it was refused, in a line)."""

    def __init__(self, name: str, value: object, valid: str, why: str | None = None):
        self.name, self.value, self.valid, self.why = name, value, valid, why
        super().__init__(f"{name}={value!r} is invalid: {why or 'expected ' + valid}")


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    low_open: bool = False  # True: low itself is excluded
    high_open: bool = False
    integer: bool = False

    def text(self) -> str:
        kind = "an integer" if self.integer else "a finite number"
        low, high = (
            f"{int(v)}" if self.integer and math.isfinite(v) else f"{v:g}" for v in (self.low, self.high)
        )
        if math.isinf(self.high):
            return f"{kind} {'>' if self.low_open else '>='} {low}"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"{kind} in {left}{low}, {high}{right}"

    def holds(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if self.integer and (not float(value).is_integer()):
            return False
        if not math.isfinite(value):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below


@dataclass(frozen=True)
class Choices:
    options: tuple[str, ...]

    def text(self) -> str:
        return "one of " + ", ".join(self.options)

    def holds(self, value: object) -> bool:
        return value in self.options


@dataclass(frozen=True)
class Expression:
    """A function of x typed by a teacher: read by gdcore.expression (a whitelist, never eval); its value is
    the text as typed, without the spaces around it."""

    metavar = "EXPR"

    def text(self) -> str:
        from .expression import ALLOWED

        return f"a function of x: {ALLOWED}"

    def read(self, name: str, value: object) -> str:
        """`value` if it is a function of x that gdcore.expression accepts, else ParameterError saying why."""
        from .expression import ExpressionError, parse

        if not isinstance(value, str):
            raise ParameterError(name, value, self.text())
        try:
            parse(value)
        except ExpressionError as err:
            raise ParameterError(name, value, self.text(), str(err)) from None
        return value.strip()


@dataclass(frozen=True)
class DataFile:
    """A CSV file of data (gdcore.dataset reads and checks it); its value is the Dataset read, None for none."""

    metavar = "FILE.csv"

    def text(self) -> str:
        from .dataset import MAX_ROWS, MIN_ROWS

        return (
            f"a UTF-8 CSV file: a header naming two features and the target, then {MIN_ROWS} to {MAX_ROWS} "
            "rows of numbers"
        )

    def read(self, name: str, value: object):
        """The Dataset in the file at `value` (a Dataset or None as it is), or ParameterError saying why."""
        from .dataset import DataError, Dataset, read

        if value is None or isinstance(value, Dataset):
            return value
        if not isinstance(value, (str, os.PathLike)):
            raise ParameterError(name, value, self.text())
        try:
            return read(value)
        except DataError as err:
            raise ParameterError(name, os.fspath(value), self.text(), str(err)) from None


@dataclass(frozen=True)
class Hyperparameter:
    """One row of the table: the name (also the option --name), its valid values, what it is, other
    spellings of its option, its symbol in captions and in TeX (None: a value is shown by itself, as a
    variant's name), and whether a comparison lecture may take a list of its values."""

    name: str
    valid: Range | Choices | Expression | DataFile
    help: str
    aliases: tuple[str, ...] = ()
    symbol: str | None = None
    tex: str | None = None
    comparable: bool = False

    @property
    def kind(self) -> type:
        """The Python type of a value as typed: str for a choice, a function or a file, int or float for a
        number."""
        if not isinstance(self.valid, Range):
            return str
        return int if self.valid.integer else float

    @property
    def whole(self) -> bool:
        """Whether a value is read whole from its text (a function, a file's path): never a list of values."""
        return hasattr(self.valid, "read")

    def check(self, value):
        """Return `value` normalised to the row's type, or raise ParameterError naming value and range."""
        if self.whole:
            return self.valid.read(self.name, value)
        if not self.valid.holds(value):
            raise ParameterError(self.name, value, self.valid.text())
        return self.kind(value) + 0 if self.kind is not str else value  # + 0: -0.0 is 0.0, one lecture


HYPERPARAMETERS: dict[str, Hyperparameter] = {
    row.name: row
    for row in (
        Hyperparameter(
            "lr",
            Range(0.0, math.inf, low_open=True),
            "learning rate α",
            symbol="α",
            tex=r"\alpha",
            comparable=True,
        ),
        Hyperparameter(
            "beta",
            Range(0.0, 1.0, high_open=True),
            "momentum β; 0 is plain gradient descent",
            aliases=("momentum",),
            symbol="β",
            tex=r"\beta",
            comparable=True,
        ),
        Hyperparameter("steps", Range(1, 10_000, integer=True), "number of steps", symbol="N", tex="N"),
        Hyperparameter(
            "variant",
            Choices(VARIANTS),
            "update rule: classic (heavy ball), ema (averaged gradient), nesterov",
            comparable=True,
        ),
        Hyperparameter(
            "x0", Range(-1000.0, 1000.0), "where the ball starts", symbol="x₀", tex="x_0", comparable=True
        ),
        Hyperparameter(
            "samples", Range(3, 100_000, integer=True), "number of data points", symbol="n", tex="n"
        ),
        Hyperparameter(
            "noise",
            Range(0.0, 1000.0),
            "standard deviation of the Gaussian noise on y",
            symbol="σ",
            tex=r"\sigma",
        ),
        Hyperparameter(
            "seed",
            Range(0, 2**32 - 1, integer=True),
            "seed of numpy.random.default_rng for the data",
            symbol="seed",
            tex=r"\text{seed}",
        ),
        Hyperparameter(
            "batch_size",
            Range(1, 100_000, integer=True),
            "mini-batch size: each step's gradient averages this many of the samples (at most --samples), "
            "drawn anew at each step; all of them by default",
            symbol="B",
            tex="B",
        ),
        Hyperparameter(
            "true_w1", Range(-100.0, 100.0), "true coefficient w1 of the data", symbol="w₁*", tex="w_1^*"
        ),
        Hyperparameter(
            "true_w2", Range(-100.0, 100.0), "true coefficient w2 of the data", symbol="w₂*", tex="w_2^*"
        ),
        Hyperparameter(
            "true_b", Range(-100.0, 100.0), "true intercept b of the data", symbol="b*", tex="b^*"
        ),
        # a problem's constant, not an option of any lecture
        Hyperparameter(
            "curvature", Range(0.0, 1000.0, low_open=True), "the parabola's coefficient a in a·x²"
        ),
    )
}


def add_row(row: Hyperparameter) -> None:
    """Add a lecture's own parameter to the table (the same row twice is one row; another with its name is
    a programming error)."""
    if HYPERPARAMETERS.setdefault(row.name, row) != row:
        raise ValueError(f"two different rows of the table are called {row.name!r}")


# A comparison takes 2 to MAX_RUNS values of one comparable hyperparameter.
MAX_RUNS = 5


def check(name: str, value):
    """Return `value` if it is valid for parameter `name`, else raise ParameterError."""
    return HYPERPARAMETERS[name].check(value)


def check_all(**params) -> dict:
    """Validate every keyword argument by its name; return them with ints and floats normalised."""
    return {name: check(name, value) for name, value in params.items()}
