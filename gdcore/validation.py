"""One place that checks every parameter, for the command line and the Python API alike."""
from __future__ import annotations

import math
from dataclasses import dataclass

VARIANTS = ("classic", "ema", "nesterov")


class ParameterError(ValueError):
    """A parameter outside its valid range; `name` is the parameter, the message says value and range."""

    def __init__(self, name: str, value: object, valid: str):
        self.name, self.value, self.valid = name, value, valid
        super().__init__(f"{name}={value!r} is invalid: expected {valid}")


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    low_open: bool = False  # True: low itself is excluded
    high_open: bool = False
    integer: bool = False

    def text(self) -> str:
        kind = "an integer" if self.integer else "a finite number"
        if math.isinf(self.high):
            return f"{kind} {'>' if self.low_open else '>='} {self.low:g}"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"{kind} in {left}{self.low:g}, {self.high:g}{right}"

    def holds(self, value: float) -> bool:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if self.integer and (not float(value).is_integer()):
            return False
        if not math.isfinite(value):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below


# Every numeric parameter of every lecture, by its command-line name.
RANGES: dict[str, Range] = {
    "lr": Range(0.0, math.inf, low_open=True),
    "beta": Range(0.0, 1.0, high_open=True),
    "steps": Range(1, 10_000, integer=True),
    "x0": Range(-1000.0, 1000.0),
    "curvature": Range(0.0, 1000.0, low_open=True),
    "samples": Range(3, 100_000, integer=True),
    "noise": Range(0.0, 1000.0),
    "seed": Range(0, 2**32 - 1, integer=True),
    "true_w1": Range(-100.0, 100.0),
    "true_w2": Range(-100.0, 100.0),
    "true_b": Range(-100.0, 100.0),
}


def check(name: str, value):
    """Return `value` if it is valid for parameter `name`, else raise ParameterError."""
    if name == "variant":
        if value not in VARIANTS:
            raise ParameterError(name, value, "one of " + ", ".join(VARIANTS))
        return value
    rule = RANGES[name]
    if not rule.holds(value):
        raise ParameterError(name, value, rule.text())
    return int(value) if rule.integer else float(value)


def check_all(**params) -> dict:
    """Validate every keyword argument by its name; return them with ints and floats normalised."""
    return {name: check(name, value) for name, value in params.items()}
