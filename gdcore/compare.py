"""A Comparison: one lecture's Lessons for several values of one hyperparameter, all else shared."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from . import claims
from .lesson import Lesson, Outcome, checked, teach
from .problems import LECTURES
from .validation import HYPERPARAMETERS, MAX_RUNS, ParameterError, check


@dataclass(frozen=True, eq=False)
class Comparison:
    """lessons[i] is the run with varied = values[i]. params: the shared parameters with the varied one as
    the list of its values. fastest: the index of the run that settled first (ties: the smaller ρ), None if
    none settled; at_critical: whether that run's β is also the closest to its critical β among the runs
    that did not diverge (critical damping: the fastest approach that does not swing); lowest_rho: whether
    it also has the smallest ρ of them."""

    scene: str
    varied: str
    values: tuple
    lessons: tuple[Lesson, ...]
    params: Mapping
    fastest: int | None
    at_critical: bool
    lowest_rho: bool

    @property
    def problem(self):
        return self.lessons[0].problem

    @property
    def lesson(self) -> Lesson:
        """The first run: the one a regression comparison's 3-D plane follows."""
        return self.lessons[0]

    @property
    def compared(self) -> str:
        return self.varied

    def label(self, i: int) -> str:
        """How run i is named in captions and legends: 'β = 0.5', or the variant's name."""
        symbol = HYPERPARAMETERS[self.varied].symbol
        if symbol is None:
            return str(self.values[i])
        digits = next(d for d in range(6, 18) if len({f"{v:.{d}g}" for v in self.values}) == len(self.values))
        return f"{symbol} = {self.values[i]:.{digits}g}"  # as many digits as it takes to tell the runs apart

    def facts(self) -> dict:
        """The comparison's claims: each run's (by its label) under "runs", the first to settle ("fastest"),
        the nearest when none settled ("closest", else None) and the runs that share the smallest ρ
        ("same_rate", or None)."""
        labels = [self.label(i) for i in range(len(self.values))]
        runs = {label: one.facts(label) for label, one in zip(labels, self.lessons)}
        first = claims.fastest(labels, [one.run for one in self.lessons])
        return {
            "runs": runs,
            "fastest": first,
            "closest": None
            if first["winners"]
            else claims.closest(labels, [one.run for one in self.lessons]),
            "same_rate": claims.same_rate(
                labels, [one.verdict.rho for one in self.lessons], [one.run.diverged for one in self.lessons]
            ),
        }

    def summary(self) -> dict:
        return {
            "varied": self.varied,
            "values": list(self.values),
            "fastest": None if self.fastest is None else self.values[self.fastest],
        }

    def runs(self) -> list[dict]:
        """One entry per value: its full params and its single-run summary."""
        return [{"params": dict(one.params), "summary": one.summary()} for one in self.lessons]


def compare(scene: str, varied: str, values, **given) -> Comparison:
    """The Comparison of lecture `scene` over `values` of hyperparameter `varied` (2 to MAX_RUNS different
    values of a comparable one; from 1 for the option a lecture compares by design, its COMPARES), the others given or at their defaults; each value is checked once."""
    values = tuple(values)
    if varied not in HYPERPARAMETERS or not HYPERPARAMETERS[varied].comparable:
        comparable = ", ".join(n for n, row in HYPERPARAMETERS.items() if row.comparable)
        raise ParameterError(varied, values, f"one value (lists are for {comparable})")
    least = 1 if LECTURES[scene].COMPARES == varied else 2  # 1: compared by design
    if not least <= len(values) <= MAX_RUNS or len(set(values)) < len(values):
        raise ParameterError(varied, values, f"{least} to {MAX_RUNS} different values")
    if varied in given:
        raise TypeError(f"{varied} is the compared parameter: pass its values, not a single one")
    if LECTURES[scene].COMPARISON is not None:  # a lecture of more than one Lesson (the noise lecture)
        return LECTURES[scene].COMPARISON(varied, values, **given)
    shared = checked(scene, given)
    if varied not in shared:
        raise TypeError(f"the {scene} lecture has no parameter {varied}")
    values = tuple(check(varied, v) for v in values)
    return gather(varied, tuple(teach(scene, {**shared, varied: v}) for v in values))


def gather(varied: str, lessons: tuple[Lesson, ...]) -> Comparison:
    """The Comparison of Lessons already taught that differ only in `varied` (what `compare` returns for
    their values; an explorer teaches its grid at once, then gathers each point's runs)."""
    scene, values = lessons[0].scene, tuple(one.params[varied] for one in lessons)
    settled = [
        i
        for i, one in enumerate(lessons)
        if one.verdict.outcome is Outcome.CONVERGED and one.verdict.still is None
    ]
    fastest = (
        min(settled, key=lambda i: (lessons[i].verdict.step, lessons[i].verdict.rho)) if settled else None
    )
    gaps = {
        i: abs(one.params["beta"] - one.verdict.critical_beta)
        for i, one in enumerate(lessons)
        if one.verdict.outcome is not Outcome.DIVERGED and not math.isnan(one.verdict.critical_beta)
    }
    at_critical = fastest is not None and fastest in gaps and gaps[fastest] == min(gaps.values())
    stable = [one.verdict.rho for one in lessons if one.verdict.outcome is not Outcome.DIVERGED]
    lowest_rho = fastest is not None and lessons[fastest].verdict.rho == min(stable)
    return Comparison(
        scene,
        varied,
        values,
        lessons,
        MappingProxyType({**lessons[0].params, varied: list(values)}),
        fastest,
        at_critical,
        lowest_rho,
    )
