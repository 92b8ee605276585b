"""The noise lecture's subject: is momentum less erratic? Three runs on the regression's data, every step's
gradient from the same mini-batch: plain SGD at α, momentum at α and β, and plain SGD at momentum's effective
step α/(1 − β) (the step heavy ball takes along a steady slope); with each run its exact theory (gdcore.noise)
and the claims decided by what happened.

Every claim is a dict with a "claim" key naming its kind, JSON-ready (an unbounded spread is None):

- outcome: gdcore.claims.outcome, for each run by its label ("settled": it reached its floor, see
  gdcore.batches.reached_floor);
- stability: {"run", "rho", "second_moment_rho", "mean": "stable" | "unstable", "spread": "bounded" |
  "unbounded"} — ρ of the mean dynamics (≥ 1: it diverges) and of the second moment (≥ 1: its jitter grows
  without bound, even where the mean converges);
- spread: {"run", "predicted", "measured", "expected", "additive", "steps": [first, last]} — √trace of the
  parameters' stationary covariance around the least-squares solution (exact for these batches), the RMS
  distance from it over the run's last quarter, the exact theory's RMS over those same steps (transient
  included), and the additive model's prediction (exact only at small α·h);
- floor: {"run", "predicted", "measured", "step"} — E[L] − L* at stationarity, the mean excess loss over the
  last quarter, and the step it reached its floor (None: it did not);
- calmer: {"run", "than", "winner": label | "tie" | "neither", "measured": {label: RMS}, "predicted":
  {label: spread}, "agrees"} — which of two runs jittered less over its last quarter (within TIE of each
  other: a tie; a run that diverged jitters more than one that did not; both: "neither"), and whether the
  theory predicted that winner; with "lr_h": α·h of the stiffest direction for the run compared with;
- floor_first: gdcore.claims.fastest over the runs' floor steps;
- batch: {"batch_size", "samples", "factor", "gradient_noise"} — c_B = (N − B)/(B(N − 1)) and the trace of
  the mini-batch gradient's covariance at the minimum;
- calmest (a comparison, NoiseComparison): {"winners": [labels], "measured": {label: RMS}, "predicted":
  {label: spread}, "agrees"} — the run(s) that jittered least over the last quarter (within TIE of the
  least; none when every run diverged), and whether the theory's smallest spread is one of them.

The lecture is registered as --scene noise (NoisyRegression: its options, no explorer, and the functions that
teach it, `noisy` and `noisy_compare`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar

import numpy as np

from . import batches, claims, noise, theory
from .compare import Comparison
from .lesson import Lesson, teach
from .problems import Regression, frozen
from .validation import check, check_all

SCENE = "noise"
RUNS = ("plain", "momentum", "matched")  # the runs' labels, in the order of `lessons`
# The lecture's options: the regression's synthetic data (not a file's, nor another start: the theory's band
# is that of a run from θ = 0 on the data the seed makes), with a step, momentum and batch that show noise.
DEFAULTS = {
    **{k: v for k, v in Regression.DEFAULTS.items() if k not in ("data", "start_w1", "start_w2", "start_b")},
    "lr": 0.1,
    "beta": 0.7,
    "steps": 200,
    "batch_size": 10,
}
TIE = 0.02  # two measured spreads within 2 % of each other: neither run jittered less


def effective_lr(variant: str, lr: float, beta: float) -> float:
    """The step of plain gradient descent that moves as far along a steady slope as `variant` does:
    α/(1 − β) for heavy ball and Nesterov (their velocity adds up to that), α for ema (it averages).

    >>> effective_lr("classic", 0.05, 0.8), effective_lr("ema", 0.05, 0.8)
    (0.25000000000000006, 0.05)
    """
    return lr if variant == "ema" else lr / (1 - beta)


@dataclass(frozen=True, eq=False)
class RunTheory:
    """What gdcore.noise says of one run: rho, second_moment_rho (as in the stability claim); covariance:
    (d, d) the parameters' stationary covariance around the least-squares solution (None: unbounded);
    floor: E[L] − L* there (inf: unbounded); spread: √trace(covariance) (inf); additive: the additive model's
    spread, and textbook its (d, d) covariance (None: unbounded); expected_excess, expected_distance: (N+1,)
    E[L_t] − L* and √E‖θ_t − θ*‖² at each step, exactly (the band a run jitters in as it settles)."""

    rho: float
    second_moment_rho: float
    covariance: np.ndarray | None
    floor: float
    spread: float
    additive: float
    textbook: np.ndarray | None
    expected_excess: np.ndarray
    expected_distance: np.ndarray


def run_theory(
    problem: Regression, variant: str, lr: float, beta: float, batch: int, steps: int
) -> RunTheory:
    """The RunTheory of a run from the problem's start (θ = 0, state 0) on batches of `batch` samples."""
    exact, h, d = problem.noise_theory, problem.hessian(), len(problem.param_names)
    second = exact.stationary(variant, lr, beta, batch)
    start = np.concatenate([-problem.minimizer(), np.zeros(d)])
    _, seconds = exact.moments(variant, lr, beta, batch, start, steps)
    errors = seconds[:, :d, :d]
    noisy = noise.batch_factor(exact.samples, batch) * exact.gradient_covariance()
    textbook = noise.additive_covariance(variant, lr, beta, h, noisy)
    return RunTheory(
        rho=theory.convergence_factor(variant, lr, beta, h),
        second_moment_rho=exact.second_moment_rho(variant, lr, beta, batch),
        covariance=None if second is None else frozen(second[:d, :d]),
        floor=noise.floor(h, second),
        spread=noise.spread(second, d),
        additive=noise.spread(textbook, d),
        textbook=None if textbook is None else frozen(textbook[:d, :d]),
        expected_excess=frozen(np.einsum("ab,tba->t", h, errors) / 2),
        expected_distance=frozen(np.sqrt(np.trace(errors, axis1=1, axis2=2))),
    )


def _number(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


@dataclass(frozen=True, eq=False)
class Noise:
    """The noise lecture's numbers. lessons: the runs labelled RUNS (plain SGD at α, momentum, plain SGD at
    the effective step), each a regression Lesson on the same batches; theories: their RunTheory, in order;
    params: the lecture's parameters (batch_size always there: B = samples is the full gradient)."""

    params: Mapping
    lessons: tuple[Lesson, ...]
    theories: tuple[RunTheory, ...]

    scene = SCENE
    compared = None  # three runs by design, not a comparison over an option

    @property
    def problem(self) -> Regression:
        return self.lessons[0].problem

    @property
    def lesson(self) -> Lesson:
        """The momentum run."""
        return self.lessons[RUNS.index("momentum")]

    @property
    def schedule(self) -> np.ndarray | None:
        """(N, B) the batches every run was given (row t − 1: step t); None for B = samples (the full gradient)."""
        return self.problem.batches(dict(self.lesson.params), self.params["steps"])

    def label(self, i: int) -> str:
        return RUNS[i]

    def folder(self, i: int) -> str:
        """Where --export-data writes run i's trajectory.csv: a folder named after its label."""
        return RUNS[i]

    def facts(self) -> dict:
        """The lecture's claims (module docstring): each run's under "runs" by its label, then "calmer"
        (momentum against plain SGD at α, and against plain SGD at the effective step), "floor_first" and
        "batch"."""
        runs = {label: self._run_facts(i) for i, label in enumerate(RUNS)}
        first = claims.fastest(list(RUNS), [one.run for one in self.lessons])
        return {
            "runs": runs,
            "calmer": [self._calmer("momentum", other) for other in ("plain", "matched")],
            "floor_first": {**first, "claim": "floor_first"},
            "batch": batch_claim(self.params, self.problem),
        }

    def summary(self) -> dict:
        """Plain numbers for the sidecar: each run's predicted and measured spread and its floor step."""
        return spreads_summary(self.facts()["runs"])

    def runs(self) -> list[dict]:
        """One entry per run: its label, its full params and its single-run summary."""
        return [
            {"label": label, "params": dict(one.params), "summary": one.summary()}
            for label, one in zip(RUNS, self.lessons)
        ]

    def _run_facts(self, i: int) -> dict:
        """Run i's outcome, stability, spread and floor claims."""
        return run_facts(RUNS[i], self.lessons[i], self.theories[i], self.params["steps"])

    def _calmer(self, run: str, than: str) -> dict:
        """The calmer claim of `run` against `than` (module docstring)."""
        pair = (run, than)
        spreads = {label: self._run_facts(RUNS.index(label))["spread"] for label in pair}
        seen = {label: spreads[label]["measured"] for label in pair}
        told = {label: spreads[label]["predicted"] for label in pair}
        winner = calmer_of(seen)
        h = float(self.problem.curvatures[-1])
        return {
            "claim": "calmer",
            "run": run,
            "than": than,
            "winner": winner,
            "measured": seen,
            "predicted": told,
            "agrees": calmer_of(told) == winner,
            "lr_h": {label: self.lessons[RUNS.index(label)].params["lr"] * h for label in pair},
        }


@dataclass(frozen=True, eq=False)
class NoiseComparison:
    """The noise lecture over 2 to MAX_RUNS values of one option (α, β or the rule): one run per value, all on
    the same batches, each with its RunTheory. params: the lecture's parameters with the varied one as the
    list of its values; lessons[i]: the run with varied = values[i] (plain SGD beside it as its baseline)."""

    varied: str
    values: tuple
    params: Mapping
    lessons: tuple[Lesson, ...]
    theories: tuple[RunTheory, ...]

    scene = SCENE
    # as a Comparison: "β = 0.5" with the digits that tell the runs apart; the first run's problem and lesson
    label, problem, lesson, compared = (
        Comparison.label,
        Comparison.problem,
        Comparison.lesson,
        Comparison.compared,
    )

    @property
    def schedule(self) -> np.ndarray | None:
        """(N, B) the batches every run was given, as Noise.schedule."""
        return self.problem.batches(dict(self.lesson.params), self.params["steps"])

    def folder(self, i: int) -> str:
        """Where --export-data writes run i's trajectory.csv: `beta=0.5`, as for a comparison of Lessons."""
        return f"{self.varied}={self.values[i]}"

    def facts(self) -> dict:
        """Each run's claims under "runs" by its label (outcome, stability, spread, floor), "calmest",
        "floor_first" and "batch"."""
        labels = [self.label(i) for i in range(len(self.values))]
        steps = self.params["steps"]
        runs = {
            label: run_facts(label, one, th, steps)
            for label, one, th in zip(labels, self.lessons, self.theories)
        }
        first = claims.fastest(labels, [one.run for one in self.lessons])
        return {
            "runs": runs,
            "calmest": calmest({label: f["spread"] for label, f in runs.items()}),
            "floor_first": {**first, "claim": "floor_first"},
            "batch": batch_claim(self.params, self.problem),
        }

    def summary(self) -> dict:
        """The varied option, its values and each run's spreads and floor step."""
        return {
            "varied": self.varied,
            "values": list(self.values),
            "runs": spreads_summary(self.facts()["runs"]),
        }

    def runs(self) -> list[dict]:
        """One entry per value: its label, its full params and its single-run summary."""
        return [
            {"label": self.label(i), "params": dict(one.params), "summary": one.summary()}
            for i, one in enumerate(self.lessons)
        ]


def run_facts(label: str, one: Lesson, th: RunTheory, steps: int) -> dict:
    """A run's outcome, stability, spread and floor claims (module docstring), from its Lesson and theory."""
    tail = last_quarter(steps)
    distance, excess = measured(one, tail)
    expected = float(np.sqrt(np.mean(th.expected_distance[tail] ** 2)))
    return {
        "outcome": claims.outcome(one.run, label),
        "stability": {
            "claim": "stability",
            "run": label,
            "rho": th.rho,
            "second_moment_rho": th.second_moment_rho,
            "mean": "stable" if th.rho < 1 else "unstable",
            "spread": "bounded" if math.isfinite(th.spread) else "unbounded",
        },
        "spread": {
            "claim": "spread",
            "run": label,
            "predicted": _number(th.spread),
            "measured": distance,
            "expected": _number(expected),
            "additive": _number(th.additive),
            "steps": [int(tail[0]), int(tail[-1])],
        },
        "floor": {
            "claim": "floor",
            "run": label,
            "predicted": _number(th.floor),
            "measured": excess,
            "step": claims.settled_step(one.run),
        },
    }


def spreads_summary(runs: dict) -> dict:
    """Plain numbers for the sidecar from each run's claims: its predicted and measured spread, floor step
    and outcome, by label."""
    return {
        label: {
            "spread": {k: f["spread"][k] for k in ("predicted", "measured")},
            "floor_step": f["floor"]["step"],
            "outcome": f["outcome"]["outcome"],
        }
        for label, f in runs.items()
    }


def batch_claim(params: Mapping, problem: Regression) -> dict:
    """The batch claim: c_B and the trace of the mini-batch gradient's covariance at the minimum."""
    n, size = params["samples"], params["batch_size"]
    factor = noise.batch_factor(n, size)
    spread = float(np.trace(problem.noise_theory.gradient_covariance()))
    return {
        "claim": "batch",
        "batch_size": size,
        "samples": n,
        "factor": factor,
        "gradient_noise": factor * spread,
    }


def last_quarter(steps: int) -> np.ndarray:
    """The steps of a run's last quarter (at least its last step): N − q + 1 … N, q = max(1, N // 4)."""
    q = max(1, steps // 4)
    return np.arange(steps - q + 1, steps + 1)


def measured(one: Lesson, tail: np.ndarray) -> tuple[float | None, float | None]:
    """(RMS distance from the least-squares solution, mean excess loss L − L*) over the steps `tail`; None for
    a run that diverged (it has no last quarter)."""
    run = one.run
    if run.diverged or run.last_step < tail[-1]:
        return None, None
    errors = run.positions[tail] - one.problem.minimizer()
    excess = run.losses[tail] - one.problem.lowest_loss
    return float(np.sqrt(np.mean(np.sum(errors**2, axis=1)))), float(np.mean(excess))


def calmer_of(spreads: dict) -> str:
    """Which of two runs (label → spread, None: unbounded or diverged) jittered less: its label, "tie" when
    the two are within TIE of each other, "neither" when both are None."""
    (a, sa), (b, sb) = spreads.items()
    if sa is None or sb is None:
        return "neither" if sa is None and sb is None else a if sb is None else b
    if math.isclose(sa, sb, rel_tol=TIE):
        return "tie"
    return a if sa < sb else b


def least(spreads: dict) -> list[str]:
    """The labels whose spread (None: unbounded or diverged) is the smallest, within TIE of it."""
    finite = {label: s for label, s in spreads.items() if s is not None}
    if not finite:
        return []
    low = min(finite.values())
    return [label for label, s in finite.items() if math.isclose(s, low, rel_tol=TIE)]


def calmest(spreads: dict) -> dict:
    """The calmest claim of a comparison from each run's spread claim (module docstring)."""
    seen = {label: s["measured"] for label, s in spreads.items()}
    told = {label: s["predicted"] for label, s in spreads.items()}
    winners = least(seen)
    return {
        "claim": "calmest",
        "winners": winners,
        "measured": seen,
        "predicted": told,
        "agrees": bool(set(least(told)) & set(winners)),
    }


def settings(given: dict) -> tuple[dict, dict]:
    """(taught, params) for the options given (the others at DEFAULTS), each value checked once
    (ParameterError names the first bad one): taught, a regression run's parameters (batch_size left out for
    a batch of all the samples: the full gradient); params, the lecture's (batch_size always there)."""
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise TypeError(f"the {SCENE} lecture has no parameter {', '.join(sorted(unknown))}")
    given = dict(given)
    size = given.pop("batch_size", DEFAULTS["batch_size"])
    base = {k: v for k, v in DEFAULTS.items() if k != "batch_size"}
    taught = batches.consistent({**base, **check_all(**given)}, size)
    return taught, {**taught, "batch_size": taught.get("batch_size", taught["samples"])}


def noisy(**given) -> Noise:
    """The noise lecture with the given options, the others at DEFAULTS (the regression's data; lr, beta,
    steps, variant, batch_size); every value checked once (ParameterError names the first bad one)."""
    taught, params = settings(given)
    variant, lr, beta = params["variant"], params["lr"], params["beta"]
    steps_of = ((lr, 0.0), (lr, beta), (effective_lr(variant, lr, beta), 0.0))
    lessons = tuple(teach("regression", {**taught, "lr": a, "beta": b}) for a, b in steps_of)
    problem = lessons[0].problem
    theories = tuple(
        run_theory(problem, variant, a, b, params["batch_size"], params["steps"]) for a, b in steps_of
    )
    return Noise(MappingProxyType(params), lessons, theories)


def noisy_compare(varied: str, values, **given) -> NoiseComparison:
    """The noise lecture over `values` of `varied` (already a valid list: gdcore.compare checks it), the
    others given or at DEFAULTS: one run per value on the same batches, with its theory."""
    taught, params = settings(given)
    if varied not in taught:
        raise TypeError(f"the {SCENE} lecture has no parameter {varied}")
    values = tuple(check(varied, v) for v in values)
    lessons = tuple(teach("regression", {**taught, varied: v}) for v in values)
    theories = tuple(
        run_theory(
            one.problem,
            one.params["variant"],
            one.params["lr"],
            one.params["beta"],
            params["batch_size"],
            params["steps"],
        )
        for one in lessons
    )
    shared = MappingProxyType({**params, varied: list(values)})
    return NoiseComparison(varied, values, shared, lessons, theories)


class NoisyRegression(Regression):
    """The noise lecture's declaration (registered as --scene noise): the regression's problem with the
    lecture's options (DEFAULTS: every one of them a lesson's, batch_size always), no explorer (its picture
    is three runs' jitter, not one run's path over α and β), and what teaches it."""

    name: ClassVar[str] = SCENE
    DEFAULTS: ClassVar[dict] = DEFAULTS
    OPTIONAL: ClassVar[tuple[str, ...]] = ()
    EXPLORER: ClassVar[None] = None
    SUBJECT = staticmethod(noisy)
    COMPARISON = staticmethod(noisy_compare)
