"""Running a rule on a problem: the Trajectory of steps 0..N, where it diverged and where it settled."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from . import noise, theory
from .batches import reached_floor
from .optimizers import RULES
from .problems import Problem, frozen
from .validation import check_all

# Divergence, decided by the theory where it is exact (a quadratic problem): a run whose factor ρ over the
# modes its start moves in exceeds 1 + RATE_TOL diverges from the step after the one where it came closest
# to the minimum (over the steps shown and as many again: its distance never again gets as small). Elsewhere
# (and to stop a run before its numbers overflow) a step diverges when a value is not finite or its loss
# exceeds DIVERGENCE_GROWTH × max(loss at step 0, 1); the run stops there; non-finite rows are never kept.
DIVERGENCE_GROWTH = 1e6
RATE_TOL = 1e-12
# Convergence rule: settled at the first step after which ‖x − x*‖ stays within SETTLE_TOL × ‖x0 − x*‖,
# checked on a run twice as long as the one shown: a run that only enters the tolerance on its last shown
# step has not shown that it stays there. A run with ρ > 1 never settles.
SETTLE_TOL = 1e-3


@dataclass(frozen=True, eq=False)
class Trajectory:
    """Steps 0..N of one run. Row t of every array is the state *at* step t (row 0 is the start).

    positions: (N+1, d) parameters; states: (N+1, d) velocity v (classic, nesterov) or averaged gradient m
    (ema); gradients: (N+1, d) ∇f at the position; losses: (N+1,) f at the position.
    diverged_at: the step from which it diverges (the divergence rule above; None: it does not within the
    steps shown);
    converged_at: the first step from which the run stays within SETTLE_TOL of its start's distance to the
    minimum, for the steps shown and as many again computed beyond them (None: it did not settle within
    the steps shown, or diverged); a run on mini-batches never does: it settled when it reached its noise
    floor (gdcore.batches.reached_floor);
    batches: (N, B) the samples of each step's mini-batch (row t − 1: step t), None: the full gradient."""

    problem: Problem
    variant: str
    lr: float
    beta: float
    positions: np.ndarray
    states: np.ndarray
    gradients: np.ndarray
    losses: np.ndarray
    diverged_at: int | None
    converged_at: int | None
    rate: float | None = None  # ρ over the modes its start moves in (a quadratic problem; else None)
    batches: np.ndarray | None = None  # (N, B) each step's mini-batch (row t − 1: step t); None: full

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def last_step(self) -> int:
        return len(self.losses) - 1

    @property
    def rises(self) -> int:
        """How many steps raised the loss (by more than rounding): 0 for a monotone descent."""
        return int(np.sum(np.diff(self.losses) > 1e-12 * self.losses[:-1]))


def run(problem: Problem, variant: str, lr: float, beta: float, steps: int, start=None) -> Trajectory:
    """Run `variant` from `start` (default: zeros) with v0 = 0 for `steps` steps or until it diverges."""
    p = check_all(variant=variant, lr=lr, beta=beta, steps=steps)
    x = np.zeros(len(problem.param_names)) if start is None else np.array(start, dtype=float).reshape(-1)
    return iterate(problem, p["variant"], p["lr"], p["beta"], p["steps"], x)


def run_rate(problem: Problem, variant: str, lr, beta, start: np.ndarray):
    """ρ of the run from `start` (arrays of α and β give one per pair): the largest factor over the modes its
    start moves in (problem.excited; 0 when it starts at the minimum). None for a problem that is not
    quadratic, where ρ is only a model's."""
    if not problem.quadratic:
        return None
    rates = theory.convergence_factors(variant, lr, beta, problem.excited(start))
    return float(rates) if np.ndim(rates) == 0 else rates


def iterate(
    problem: Problem, variant: str, lr: float, beta: float, steps: int, x: np.ndarray, batches=None
) -> Trajectory:
    """`run` for values already checked (gdcore.lesson checks them once). batches: None, or (2·steps, B) the
    samples whose gradient (problem.batch_grad) takes each step (row t − 1: step t)."""
    rule, grad = RULES[variant], problem.grad
    state = np.zeros_like(x)
    rows = [(x, state, grad(x), problem.loss(x))]
    rate = run_rate(problem, variant, lr, beta, x)
    grows = rate is None or rate > 1 + RATE_TOL
    limit = DIVERGENCE_GROWTH * max(rows[0][3], 1.0) if grows else math.inf
    stopped = None
    with np.errstate(all="ignore"):  # overflow is expected in a divergent run and handled below
        for t in range(1, 2 * steps + 1):
            taken = grad if batches is None else functools.partial(problem.batch_grad, batch=batches[t - 1])
            x, state = rule(x, state, taken, lr, beta)
            row = (x, state, grad(x), problem.loss(x))
            # the loss is a float, and arrays' own method: np.all on each part cost most of a run's time
            finite = math.isfinite(row[3]) and all(np.isfinite(part).all() for part in row[:3])
            if finite:
                rows.append(row)
            if not finite or row[3] > limit:
                stopped = t
                break
    parts = [np.array(part) for part in zip(*rows)]
    return _one(problem, variant, lr, beta, steps, parts, stopped, rate, batches)


def _converged(problem: Problem, variant: str, lr: float, beta: float, parts: list, batches, steps: int):
    """The step at which a run that does not diverge settled (None: it did not), from its rows (positions,
    states, gradients, losses): within SETTLE_TOL of its start's distance, or on mini-batches at its floor."""
    if batches is None:
        return _settled(parts[0], problem.settle_target(parts[0][-1]))
    second = problem.noise_theory.stationary(variant, lr, beta, len(batches[0]))
    excess = parts[3] - problem.lowest_loss
    return reached_floor(excess, noise.floor(problem.hessian(), second), steps, SETTLE_TOL)


def _settled(positions: np.ndarray, target: np.ndarray) -> int | None:
    dist = np.linalg.norm(positions - target, axis=1)
    inside = dist <= SETTLE_TOL * max(dist[0], 1e-12)
    if not inside[-1]:
        return None
    outside = np.flatnonzero(~inside)
    return int(outside[-1] + 1) if len(outside) else 0


def iterate_many(problem: Problem, variant: str, lrs, betas, steps: int, x, batches=None) -> list[Trajectory]:
    """iterate() for many runs at once, all from `x`: run k has α = lrs[k], β = betas[k] (1-D, the same length
    B), and its Trajectory equals iterate(problem, variant, lrs[k], betas[k], steps, x, batches), number for
    number. The B runs step together (problem.grads on a (B, d) batch; on mini-batches problem.batch_grads,
    every run given the same `batches`); a run that diverged keeps stepping, unseen."""
    lr, beta = (np.asarray(v, dtype=float)[:, None] for v in (lrs, betas))
    rule, grads = RULES[variant], problem.grads
    xs = np.tile(np.asarray(x, dtype=float), (len(lr), 1))
    rows = [(xs, np.zeros_like(xs), grads(xs), problem.losses(xs))]
    rates = run_rate(problem, variant, lr[:, 0], beta[:, 0], np.asarray(x, dtype=float))
    grows = np.ones(len(lr), bool) if rates is None else rates > 1 + RATE_TOL
    limit = np.where(grows, DIVERGENCE_GROWTH * np.maximum(rows[0][3], 1.0), np.inf)
    kept = np.full(len(lr), 2 * steps + 1)  # rows kept per run: all of them unless it stopped
    stopped = np.zeros(len(lr), dtype=int)  # 0: it did not
    with np.errstate(all="ignore"):  # overflow is expected in a divergent run and handled below
        for t in range(1, 2 * steps + 1):
            taken = grads if batches is None else functools.partial(problem.batch_grads, batch=batches[t - 1])
            xs, state = rule(xs, rows[-1][1], taken, lr, beta)
            row = (xs, state, grads(xs), problem.losses(xs))
            rows.append(row)
            finite = np.isfinite(row[3]) & np.all([np.isfinite(part).all(axis=1) for part in row[:3]], axis=0)
            fired = (stopped == 0) & (~finite | (row[3] > limit))
            stopped[fired], kept[fired] = t, t + finite[fired]
            if stopped.all():
                break
    parts = [np.stack(part) for part in zip(*rows)]  # (T, B, d) and (T, B)
    return [
        _one(
            problem,
            variant,
            float(lr[k, 0]),
            float(beta[k, 0]),
            steps,
            [p[: kept[k], k] for p in parts],
            int(stopped[k]) or None,
            None if rates is None else float(rates[k]),
            batches,
        )
        for k in range(len(lr))
    ]


def _one(
    problem: Problem,
    variant: str,
    lr: float,
    beta: float,
    steps: int,
    parts: list,
    stopped,
    rate,
    batches=None,
) -> Trajectory:
    """The Trajectory of one run from its kept rows (positions, states, gradients, losses), the step at
    which it was stopped (None: it ran 2 × steps), its ρ (run_rate) and its mini-batches (None: none)."""
    every = parts[0]
    diverged_at = stopped
    if rate is not None and rate > 1 + RATE_TOL:  # from the step after it came closest, never closer again
        distance = np.linalg.norm(every - problem.minimizer(), axis=1)
        diverged_at = int(np.flatnonzero(distance == distance.min())[-1]) + 1
    settles = diverged_at is None and (rate is None or rate <= 1 + RATE_TOL)
    converged_at = _converged(problem, variant, lr, beta, parts, batches, steps) if settles else None
    if converged_at is not None and converged_at > steps:
        converged_at = None
    if diverged_at is not None and diverged_at > steps:  # it diverges only beyond the steps shown
        diverged_at = None
    pos, st, gr, loss = (frozen(part[: steps + 1]) for part in parts)
    shown = None if batches is None else batches[: len(pos) - 1]
    return Trajectory(problem, variant, lr, beta, pos, st, gr, loss, diverged_at, converged_at, rate, shown)
