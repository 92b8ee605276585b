"""What theory says about momentum on a quadratic: rates, critical damping, the stability limit.

A quadratic with Hessian H makes every rule linear in the state (x − x*, v): one step multiplies it by an
iteration matrix M, so the error shrinks per step by the spectral radius ρ(M) in the long run.
"""
from __future__ import annotations

import math

import numpy as np

from .validation import check_all


def _hessian(curvature) -> np.ndarray:
    return np.atleast_2d(np.asarray(curvature, dtype=float))


def iteration_matrix(variant: str, lr: float, beta: float, curvature) -> np.ndarray:
    """The 2d×2d matrix mapping (x_t − x*, state_t) to (x_{t+1} − x*, state_{t+1}).

    `curvature` is f'' for the 1-D quadratic, or the Hessian matrix of any quadratic loss."""
    check_all(variant=variant, lr=lr, beta=beta)
    h = _hessian(curvature)
    eye = np.eye(len(h))
    if variant == "classic":
        return np.block([[eye - lr * h, beta * eye], [-lr * h, beta * eye]])
    if variant == "ema":
        return np.block([[eye - lr * (1 - beta) * h, -lr * beta * eye], [(1 - beta) * h, beta * eye]])
    damped = eye - lr * h  # nesterov
    return np.block([[damped, beta * damped], [-lr * h, beta * damped]])


def convergence_factor(variant: str, lr: float, beta: float, curvature) -> float:
    """Spectral radius of the iteration matrix: the per-step factor by which the error shrinks (>1: grows)."""
    return float(max(abs(np.linalg.eigvals(iteration_matrix(variant, lr, beta, curvature)))))


def stable_lr_limit(variant: str, beta: float, curvature: float) -> float:
    """The largest α that does not diverge for this β on a quadratic with curvature f'' (Jury's criterion)."""
    check_all(variant=variant, beta=beta, curvature=curvature)
    if variant == "classic":
        return 2.0 * (1.0 + beta) / curvature
    if variant == "ema":
        return 2.0 * (1.0 + beta) / ((1.0 - beta) * curvature)
    return 2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * curvature)


def _discriminant(variant: str, lr: float, beta: float, curvature: float) -> float:
    m = iteration_matrix(variant, lr, beta, curvature)
    return float(np.trace(m) ** 2 - 4.0 * np.linalg.det(m))


def critical_beta(variant: str, lr: float, curvature: float) -> float:
    """The smallest β at which the run starts to oscillate (the two eigenvalues meet): critical damping.

    Closed form (1 − √(α·f''))² for classic; found by bisection on the eigenvalues' discriminant otherwise.
    Returns 0.0 when even β = 0 oscillates (α·f'' > 1 overshoots on its own) and nan if no β < 1 does."""
    if variant == "classic":
        check_all(lr=lr, curvature=curvature)
        return (1.0 - math.sqrt(lr * curvature)) ** 2
    if _discriminant(variant, lr, 0.0, curvature) <= 0:
        return 0.0
    grid = np.linspace(0.0, 1.0, 2001)[:-1]
    signs = [_discriminant(variant, lr, b, curvature) > 0 for b in grid]
    if all(signs):
        return math.nan
    k = signs.index(False)
    lo, hi = grid[k - 1], grid[k]
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _discriminant(variant, lr, mid, curvature) > 0 else (lo, mid)
    return 0.5 * (lo + hi)


def damping(variant: str, lr: float, beta: float, curvature: float) -> str:
    """'over-damped', 'critically damped' or 'under-damped' for the slowest mode of the run."""
    crit = critical_beta(variant, lr, curvature)
    if abs(beta - crit) <= 1e-3:
        return "critically damped"
    return "under-damped" if beta > crit else "over-damped"


def optimal_parameters(kappa: float, largest_curvature: float = 1.0) -> tuple[float, float, float]:
    """Polyak's optimal heavy-ball (α, β) for curvatures in [L/κ, L], and the rate (√κ − 1)/(√κ + 1)."""
    if not (math.isfinite(kappa) and kappa >= 1.0):
        raise ValueError(f"kappa={kappa!r} is invalid: expected a finite number >= 1")
    big, small = largest_curvature, largest_curvature / kappa
    lr = 4.0 / (math.sqrt(big) + math.sqrt(small)) ** 2
    root = math.sqrt(kappa)
    return lr, ((root - 1) / (root + 1)) ** 2, (root - 1) / (root + 1)
