"""A Lesson: everything one lecture shows, computed once from its validated parameters.

The scene draws it, the sidecar prints its summary, --export-data writes its run: all three read the same
frozen object, so a number on screen is the number in the files.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

import numpy as np

from . import batches, claims, theory
from .optimizers import displacement
from .problems import LECTURES, Problem, frozen
from .trajectory import Trajectory, iterate, iterate_many
from .validation import check_all


class Outcome(str, enum.Enum):
    CONVERGED = "converged"
    NOT_SETTLED = "not settled"
    DIVERGED = "diverged"


@dataclass(frozen=True)
class Verdict:
    """What the run did and what theory says about it.

    step: the step it converged at, diverged at, or (not settled) its last step; rho: the per-step
    convergence factor ρ of the iteration matrix over the modes the run moves in (0 if it starts at the
    minimum); mode: the curvature of its slowest mode (the largest ρ), which decides how it moves in the long
    run; eigenvalues: that mode's two eigenvalues, the dominant first; regime: how that mode moves, from them
    (swings, creeps, flips: theory.damping); critical_beta: the β at which that mode's eigenvalues meet (nan if
    no β < 1 makes them meet); still: "minimum" or "stationary" when the gradient at the start is 0 (the run
    never moves), else None; lr_limit: the largest
    stable α for this β (set by the largest curvature); gd_steps: the step at which plain gradient descent
    with the same α converged within the same number of steps (None: it did not); distance: ‖x_N − x*‖ to
    the minimum nearest its end; basin: 'global' or 'local', the minimum
    it settled in (None: it did not settle); crossings: how many times it passed from one basin to the other;
    plain_rho: ρ of plain gradient descent (β = 0) with the same rule and α.
    For a problem that is not quadratic, ρ, critical β and the stable α are those of its quadratic model at
    the minimum it names for the run's end (Problem.model_hessian); where it has none, they are nan and the
    regime is Damping.NONE."""

    outcome: Outcome
    step: int
    rho: float
    critical_beta: float
    regime: theory.Damping
    lr_limit: float
    gd_steps: int | None
    distance: float
    basin: str | None
    crossings: int
    plain_rho: float
    mode: float
    eigenvalues: tuple[complex, complex]
    still: str | None


@dataclass(frozen=True, eq=False)
class Lesson:
    """One lecture's numbers. run: the momentum run; baseline: plain gradient descent (β = 0) from the same
    start with the same α and steps, None when the run itself has β = 0; moves: (N+1, d) the momentum step
    at each step in parameter units (v, or −α·m for ema); pushes: (N+1, d) the gradient step −α·∇f;
    kinetic: (N+1,) the "kinetic" share of the ball analogy, ‖momentum step‖²/(2α) (time step √α)."""

    scene: str
    params: Mapping
    problem: Problem
    run: Trajectory
    baseline: Trajectory | None
    moves: np.ndarray
    pushes: np.ndarray
    kinetic: np.ndarray
    verdict: Verdict

    def summary(self) -> dict:
        """Plain numbers for the sidecar (JSON: nan becomes null)."""
        t, v = self.run, self.verdict

        def number(x: float) -> float | None:
            return None if math.isnan(x) else float(x)

        return {
            "final_position": dict(zip(self.problem.param_names, map(float, t.positions[-1]))),
            "final_loss": float(t.losses[-1]),
            "last_step": t.last_step,
            "diverged": t.diverged,
            "diverged_at": t.diverged_at,
            "converged_at": t.converged_at,
            "outcome": v.outcome.value,
            "convergence_factor": number(v.rho),
            "lr_limit": number(v.lr_limit),
            "critical_beta": number(v.critical_beta),
            "damping": v.regime.value,
            "gd_converged_at": v.gd_steps,
            "distance_to_minimum": number(v.distance),  # nan: no minimum in the view
            "basin": v.basin,
        }

    @property
    def lesson(self) -> Lesson:
        return self

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return (self,)

    compared = None  # one run: nothing is compared

    def runs(self) -> None:
        """A single run has no list of runs in its sidecar (its summary is the run)."""
        return None

    @property
    def lookahead(self) -> np.ndarray | None:
        """(N+1, d) Nesterov's look-ahead points x + βv, where its gradient is measured; None for the
        other rules."""
        if self.params["variant"] != "nesterov":
            return None
        return frozen(self.run.positions + self.params["beta"] * self.run.states)

    def eigen_sweep(self, points: int = 90) -> tuple[np.ndarray, np.ndarray]:
        """How the slowest mode's eigenvalues move as momentum is added at this α: `points` values of β from 0
        to the run's β, and for each the mode's two eigenvalues, dominant first ((points,), (points, 2)
        complex). At β = 0 they are plain gradient descent's 1 − αλ (and 0)."""
        variant, lr, beta = (self.params[k] for k in ("variant", "lr", "beta"))
        betas = np.linspace(0.0, beta, points)
        eigs = np.array([theory.eigenvalues(variant, lr, b, self.verdict.mode) for b in betas])
        return frozen(betas), eigs

    def facts(self, run: str = "momentum") -> dict[str, dict]:
        """This run's claims (gdcore.claims) by kind: outcome, damping, rate, stable_limit, events, and when
        plain gradient descent runs beside it, plain_outcome and faster. `run`: its label in the claims.
        Worked out once per label (an explorer asks for plain gradient descent's beside each of 41 β)."""
        if run not in self._facts:
            self._facts[run] = self._facts_of(run)
        return dict(self._facts[run])

    @cached_property
    def _facts(self) -> dict:
        return {}

    def _facts_of(self, run: str) -> dict[str, dict]:
        p, params, v = self.problem, self.params, self.verdict
        variant, lr, beta = params["variant"], params["lr"], params["beta"]
        target = p.settle_target(self.run.positions[-1])
        basins = p.basins(self.run.positions)
        facts = {
            "outcome": claims.outcome(self.run, run),
            "damping": {
                "claim": "damping",
                "run": run,
                "beta": beta,
                "critical_beta": _number(v.critical_beta),
                "regime": v.regime.value,
                "eigenvalues": None if math.isnan(v.mode) else [[z.real, z.imag] for z in v.eigenvalues],
                "curvature": _number(v.mode),
            },
            "rate": {"claim": "rate", "run": run, "rho": _number(v.rho), "plain_rho": _number(v.plain_rho)},
            "stable_limit": _stable_limit(variant, lr, beta, p.model_hessian(self.run.positions[-1])),
            "events": claims.events(self.run, target, basins, run),
        }
        if v.still is not None:
            facts["still"] = {"claim": "still", "run": run, "where": v.still}
        if self.baseline is not None:
            facts["plain_outcome"] = claims.outcome(self.baseline)
            facts["faster"] = claims.faster(self.run, self.baseline)
            diverged = facts["outcome"]["outcome"] == facts["plain_outcome"]["outcome"] == "diverged"
            if (
                facts["faster"]["winner"] == "neither"
                and facts["outcome"]["start"] is not None
                and not diverged
            ):
                facts["closer"] = claims.closer(self.run, self.baseline)
        return facts


def _mode(problem: Problem, main: Trajectory, variant: str, lr: float, beta: float) -> tuple:
    """The quadratic model the theory reads for `main` (None: none), its curvatures (nan without one) and the
    run's slowest mode among those its start moves in (a quadratic problem's) or the model's."""
    model = problem.model_hessian(main.positions[-1])
    if model is None:
        return None, np.full(1, math.nan), math.nan
    curvatures = np.linalg.eigvalsh(model)
    moving = problem.excited(main.positions[0]) if problem.quadratic else curvatures
    return model, curvatures, theory.slowest(variant, lr, beta, moving if len(moving) else curvatures[:1])


def _still(problem: Problem, run: Trajectory) -> str | None:
    """Where a run that never moves sits (every step at its start: the gradient there is 0, or too small to
    move it by a rounding step): "minimum", or "stationary" elsewhere (a barrier's top); None if it moves."""
    if np.any(run.positions != run.positions[0]):
        return None
    start = run.positions[0]
    target = problem.settle_target(start)
    return "minimum" if np.allclose(start, target, rtol=1e-9, atol=1e-12) else "stationary"


def _number(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


def _stable_limit(variant: str, lr: float, beta: float, model: np.ndarray | None) -> dict:
    """The stable_limit claim at the quadratic model `model`; without one, its numbers and change are None."""
    if model is None:
        return {"claim": "stable_limit", "lr": lr, "plain": None, "momentum": None, "change": None}
    return claims.stable_limit(variant, lr, beta, float(np.linalg.eigvalsh(model)[-1]))


def _rate(variant: str, lr: float, beta: float, model: np.ndarray | None) -> float:
    """ρ at the quadratic model `model` (theory.convergence_factor); nan without one."""
    return math.nan if model is None else theory.convergence_factor(variant, lr, beta, model)


def _rates(
    problem: Problem, variant: str, lrs: list, betas: list, runs: list
) -> tuple[np.ndarray, np.ndarray]:
    """ρ of each run with its β and with β = 0, at the quadratic model its end reads (nan: none): the same
    numbers as _rate, one np.linalg.eigvals call per model."""
    models = [problem.model_hessian(one.positions[-1]) for one in runs]
    rhos, plains = np.full(len(runs), math.nan), np.full(len(runs), math.nan)
    for key in {m.tobytes() for m in models if m is not None}:
        k = [i for i, m in enumerate(models) if m is not None and m.tobytes() == key]
        lr, beta = np.asarray(lrs, dtype=float)[k], np.asarray(betas, dtype=float)[k]
        rhos[k] = theory.convergence_factor_many(variant, lr, beta, models[k[0]])
        plains[k] = theory.convergence_factor_many(variant, lr, 0 * beta, models[k[0]])
    return rhos, plains


def lesson(scene: str, **given) -> Lesson:
    """The Lesson of lecture `scene` (a key of LECTURES) with the given hyperparameters, the others at the
    problem's defaults. Every value is checked here, once (ParameterError names the first bad one)."""
    return teach(scene, checked(scene, given))


def checked(scene: str, given: dict) -> dict:
    """All hyperparameters of `scene`: the given ones checked, the others at their defaults; an OPTIONAL one
    at its default is left out (the lecture is then the one made before that option existed), and so is an
    OPTIONAL one given as None (its default, when that is None) and a batch of all the samples (the full
    gradient: gdcore.batches.consistent, which also checks batch_size against samples and steps)."""
    cls = LECTURES[scene]
    unknown = set(given) - set(cls.DEFAULTS)
    if unknown:
        raise TypeError(f"the {scene} lecture has no parameter {', '.join(sorted(unknown))}")
    given = {k: v for k, v in given.items() if not (v is None and k in cls.OPTIONAL)}  # None: the default
    size = given.pop("batch_size", None)  # checked against the data it samples, once that is checked
    params = batches.consistent(
        cls.arranged({**cls.single_defaults(), **check_all(**given)}, set(given)), size
    )
    return {k: v for k, v in params.items() if not (k in cls.OPTIONAL and v == cls.DEFAULTS[k])}


def teach(scene: str, params: dict) -> Lesson:
    """The Lesson for parameters already checked (see `checked`)."""
    problem = LECTURES[scene].from_params(params)
    variant, lr, beta, steps = params["variant"], params["lr"], params["beta"], params["steps"]
    start, drawn = problem.start(params), problem.batches(params, 2 * steps)  # the same batches for both
    main = iterate(problem, variant, lr, beta, steps, start, drawn)
    baseline = iterate(problem, variant, lr, 0.0, steps, start, drawn) if beta else None
    model = problem.model_hessian(main.positions[-1])
    rho, plain_rho = (
        run.rate if run.rate is not None else _rate(variant, lr, b, model)
        for run, b in ((main, beta), (baseline or main, 0.0))
    )
    return _assembled(scene, params, main, baseline, rho, plain_rho)


def teach_grid(scene: str, params: dict, lrs, betas) -> tuple[tuple[Lesson, ...], ...]:
    """[i][j]: teach(scene, {**params, "lr": lrs[i], "beta": betas[j]}), the same Lessons number for number
    (values already checked), computed together: every run of the grid at once (iterate_many), plain gradient
    descent once per α (it is every β's baseline, and the lesson of β = 0), ρ in one np.linalg.eigvals call per
    quadratic model the runs' ends read."""
    problem = LECTURES[scene].from_params(params)
    variant, steps = params["variant"], params["steps"]
    moving = [b for b in betas if b]
    pairs = [(lr, b) for lr in lrs for b in (0.0, *moving)]  # per α: plain gradient descent, then each β > 0
    lr_of, beta_of = [a for a, _ in pairs], [b for _, b in pairs]
    drawn = problem.batches(params, 2 * steps)  # every run of the grid on the same batches, as in teach
    runs = iterate_many(problem, variant, lr_of, beta_of, steps, problem.start(params), drawn)
    rhos, plains = _rates(problem, variant, lr_of, beta_of, runs)
    width = 1 + len(moving)
    if problem.quadratic:  # ρ over the modes the runs move in, as teach takes it (Trajectory.rate)
        rhos, plains = [run.rate for run in runs], [runs[k - k % width].rate for k in range(len(runs))]
    grid = []
    for i, lr in enumerate(lrs):
        plain, row = runs[i * width], []
        for b in betas:
            k = i * width + (1 + moving.index(b) if b else 0)
            row.append(
                _assembled(
                    scene,
                    {**params, "lr": lr, "beta": b},
                    runs[k],
                    plain if b else None,
                    float(rhos[k]),
                    float(plains[k]),
                )
            )
        grid.append(tuple(row))
    return tuple(grid)


def _assembled(
    scene: str, params: dict, main: Trajectory, baseline: Trajectory | None, rho: float, plain_rho: float
) -> Lesson:
    """The Lesson of these runs: ρ with and without momentum given (Trajectory.rate, or a model's)."""
    moves = displacement(params["variant"], main.states, params["lr"])
    return Lesson(
        scene,
        MappingProxyType(params),
        main.problem,
        main,
        baseline,
        frozen(moves),
        frozen(-params["lr"] * main.gradients),
        frozen((moves**2).sum(axis=1) / (2 * params["lr"])),
        _verdict(params, main, baseline, rho, plain_rho),
    )


def _verdict(params: dict, main: Trajectory, baseline: Trajectory | None, rho: float, plain_rho: float):
    """The Verdict of the run `main` (plain gradient descent's `baseline` beside it, if any)."""
    problem, variant, lr, beta = main.problem, params["variant"], params["lr"], params["beta"]
    model, curvatures, mode = _mode(problem, main, variant, lr, beta)
    basins = np.asarray(problem.basins(main.positions))
    outcome, step = (
        (Outcome.DIVERGED, main.diverged_at)
        if main.diverged
        else (Outcome.CONVERGED, main.converged_at)
        if main.converged_at is not None
        else (Outcome.NOT_SETTLED, main.last_step)
    )
    return Verdict(
        outcome=outcome,
        step=step,
        rho=rho,
        critical_beta=theory.critical_beta(variant, lr, mode),
        regime=theory.Damping.NONE if model is None else theory.damping(variant, lr, beta, mode),
        lr_limit=theory.stable_lr_limit(variant, beta, float(curvatures[-1])),
        gd_steps=(baseline or main).converged_at,
        distance=float(np.linalg.norm(main.positions[-1] - problem.settle_target(main.positions[-1]))),
        basin=problem.basin(main.positions[-1]) if main.converged_at is not None else None,
        crossings=int(np.count_nonzero(basins[1:] != basins[:-1])),
        plain_rho=plain_rho,
        mode=mode,
        eigenvalues=(complex(math.nan), complex(math.nan))
        if model is None
        else theory.eigenvalues(variant, lr, beta, mode),
        still=_still(problem, main),
    )
