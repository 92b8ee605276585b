"""Running a rule on a problem: the Trajectory of steps 0..N and what it says (converged, diverged)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import theory
from .optimizers import RULES
from .problems import Quadratic, Regression, make_regression
from .validation import check_all

# Divergence rule: a step diverges when any value is not finite, or when its loss exceeds
# DIVERGENCE_GROWTH × max(loss at step 0, 1). The run stops there; non-finite rows are never kept.
DIVERGENCE_GROWTH = 1e6
# Convergence rule: settled at the first step after which ‖x − x*‖ stays within SETTLE_TOL × ‖x0 − x*‖.
SETTLE_TOL = 1e-3


def _frozen(rows) -> np.ndarray:
    a = np.array(rows, dtype=float)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Trajectory:
    """Steps 0..N of one run. Row t of every array is the state *at* step t (row 0 is the start).

    positions: (N+1, d) parameters; states: (N+1, d) velocity v (classic, nesterov) or averaged gradient m
    (ema); gradients: (N+1, d) ∇f at the position; losses: (N+1,) f at the position."""

    problem: Quadratic | Regression
    variant: str
    lr: float
    beta: float
    positions: np.ndarray
    states: np.ndarray
    gradients: np.ndarray
    losses: np.ndarray
    diverged: bool
    diverged_at: int | None  # the step at which the divergence rule fired

    @property
    def last_step(self) -> int:
        return len(self.losses) - 1

    @property
    def converged_at(self) -> int | None:
        """First step from which the run stays within SETTLE_TOL of the start's distance to the minimum."""
        if self.diverged:
            return None
        target = self.problem.minimizer()
        dist = np.linalg.norm(self.positions - target, axis=1)
        inside = dist <= SETTLE_TOL * max(dist[0], 1e-12)
        if not inside[-1]:
            return None
        outside = np.flatnonzero(~inside)
        return int(outside[-1] + 1) if len(outside) else 0

    @property
    def convergence_factor(self) -> float:
        """The per-step factor ρ of the iteration matrix: the theory's rate for this run."""
        return theory.convergence_factor(self.variant, self.lr, self.beta, self.problem.hessian())

    @property
    def lr_limit(self) -> float:
        """The largest stable α for this β, set by the largest curvature of the loss."""
        curvature = float(np.linalg.eigvalsh(self.problem.hessian()).max())
        return theory.stable_lr_limit(self.variant, self.beta, curvature)

    def summary(self) -> dict:
        """Plain numbers for a sidecar: final position and loss, divergence, settling step, rate."""
        return {
            "final_position": dict(zip(self.problem.param_names, map(float, self.positions[-1]))),
            "final_loss": float(self.losses[-1]),
            "last_step": self.last_step,
            "diverged": self.diverged,
            "diverged_at": self.diverged_at,
            "converged_at": self.converged_at,
            "convergence_factor": self.convergence_factor,
            "lr_limit": self.lr_limit,
        }


def run(problem: Quadratic | Regression, variant: str = "classic", lr: float = 0.3, beta: float = 0.6,
        steps: int = 60, start=None) -> Trajectory:
    """Run `variant` from `start` (default: zeros) with v0 = 0 for `steps` steps or until it diverges."""
    p = check_all(variant=variant, lr=lr, beta=beta, steps=steps)
    rule, grad = RULES[p["variant"]], problem.grad
    x = np.zeros(len(problem.param_names)) if start is None else np.array(start, dtype=float).reshape(-1)
    state = np.zeros_like(x)
    rows = [(x, state, grad(x), problem.loss(x))]
    limit = DIVERGENCE_GROWTH * max(rows[0][3], 1.0)
    diverged_at = None
    with np.errstate(all="ignore"):  # overflow is expected in a divergent run and handled below
        for t in range(1, p["steps"] + 1):
            x, state = rule(x, state, grad, p["lr"], p["beta"])
            row = (x, state, grad(x), problem.loss(x))
            finite = all(np.all(np.isfinite(part)) for part in row)
            if finite:
                rows.append(row)
            if not finite or row[3] > limit:
                diverged_at = t
                break
    pos, st, gr, loss = zip(*rows)
    return Trajectory(problem, p["variant"], p["lr"], p["beta"], _frozen(pos), _frozen(st), _frozen(gr),
                      _frozen(loss), diverged_at is not None, diverged_at)


def run_parabola(lr: float = 0.3, beta: float = 0.6, steps: int = 60, variant: str = "classic",
                 x0: float = 5.0) -> Trajectory:
    """The lecture's ball on f(x) = x²/6, starting at rest at x0."""
    check_all(x0=x0)
    return run(Quadratic(), variant, lr, beta, steps, [x0])


def run_regression(lr: float = 0.5, beta: float = 0.5, steps: int = 60, variant: str = "classic",
                   samples: int = 60, noise: float = 0.5, seed: int = 7,
                   true_w1: float = 2.0, true_w2: float = -1.0, true_b: float = 1.0) -> Trajectory:
    """Momentum on the seeded synthetic regression, from (w1, w2, b) = 0."""
    return run(make_regression(samples, noise, seed, true_w1, true_w2, true_b), variant, lr, beta, steps)


# The lectures' runs by scene name; their keyword arguments are the command line's hyperparameters.
LECTURES = {"parabola": run_parabola, "regression": run_regression}
