"""What theory says about momentum on a quadratic: rates, critical damping, the stability limit.

A quadratic with Hessian H makes every rule linear in the state (x − x*, v): one step multiplies it by an
iteration matrix M, so the error shrinks per step by the spectral radius ρ(M) in the long run. Along an
eigenvector of H with eigenvalue λ (a curvature) the matrix is 2×2, and everything below follows from its
two eigenvalues (G. Goh, "Why Momentum Really Works", Distill, 2017).

These functions are the math only: callers pass values already checked (gdcore.lesson does, once).
"""

from __future__ import annotations

import enum
import math

import numpy as np


class Damping(str, enum.Enum):
    """How a mode moves about the minimum, decided by its 2×2 iteration block's eigenvalues (the one of
    largest modulus dominates in the long run)."""

    OVER = "over-damped"  # real eigenvalues, the dominant one positive: a creep from one side, no swing
    CRITICAL = "critically damped"  # they meet at or above 0: the fastest approach that does not swing
    UNDER = "under-damped"  # a complex pair: the run overshoots and swings, turning by its angle each step
    FLIP = "flipping"  # the dominant eigenvalue is negative: it jumps across the minimum at every step


def iteration_matrix(variant: str, lr: float, beta: float, curvature) -> np.ndarray:
    """The 2d×2d matrix mapping (x_t − x*, state_t) to (x_{t+1} − x*, state_{t+1}).

    `curvature` is f'' for a 1-D quadratic, or the d×d Hessian of any quadratic loss. For classic, per
    curvature λ: [[1 − αλ, β], [−αλ, β]].

    >>> iteration_matrix("classic", 0.3, 0.6, 1 / 3).round(3)
    array([[ 0.9,  0.6],
           [-0.1,  0.6]])
    """
    h = np.atleast_2d(np.asarray(curvature, dtype=float))
    eye = np.eye(len(h))
    if variant == "classic":
        return np.block([[eye - lr * h, beta * eye], [-lr * h, beta * eye]])
    if variant == "ema":
        return np.block([[eye - lr * (1 - beta) * h, -lr * beta * eye], [(1 - beta) * h, beta * eye]])
    damped = eye - lr * h  # nesterov
    return np.block([[damped, beta * damped], [-lr * h, beta * damped]])


def convergence_factor(variant: str, lr: float, beta: float, curvature) -> float:
    """ρ: the spectral radius of the iteration matrix, the per-step factor by which the error shrinks in the
    long run (> 1: it grows). For a Hessian, the largest over its curvatures: the slowest mode sets the pace.

    Under-damped classic momentum has a complex pair of eigenvalues of modulus √β, whatever α:

    >>> round(convergence_factor("classic", 0.3, 0.6, 1 / 3), 6), round(math.sqrt(0.6), 6)
    (0.774597, 0.774597)
    """
    return float(max(abs(np.linalg.eigvals(iteration_matrix(variant, lr, beta, curvature)))))


def convergence_factor_many(variant: str, lrs, betas, curvature) -> np.ndarray:
    """convergence_factor for each (lrs[k], betas[k]), the same numbers: the iteration matrices stacked and
    their eigenvalues found in one LAPACK call (not the closed form of convergence_factors, whose rounding
    differs in the last digits).

    >>> convergence_factor_many("classic", [0.3, 0.3], [0.0, 0.6], 1 / 3).round(6)
    array([0.9     , 0.774597])
    """
    return np.abs(np.linalg.eigvals(iteration_matrices(variant, lrs, betas, curvature))).max(axis=-1)


def iteration_matrices(variant: str, lrs, betas, curvature) -> np.ndarray:
    """(B, 2d, 2d): iteration_matrix(variant, lrs[k], betas[k], curvature) for each k, each entry computed with
    the same operations in the same order (so the same numbers), for all k at once."""
    h = np.atleast_2d(np.asarray(curvature, dtype=float))
    lr, beta = (np.asarray(v, dtype=float)[:, None, None] for v in (lrs, betas))
    eye = np.eye(len(h))
    if variant == "classic":
        blocks = [[eye - lr * h, beta * eye], [-lr * h, beta * eye]]
    elif variant == "ema":
        blocks = [[eye - lr * (1 - beta) * h, -lr * beta * eye], [(1 - beta) * h, beta * eye]]
    else:  # nesterov
        damped = eye - lr * h
        blocks = [[damped, beta * damped], [-lr * h, beta * damped]]
    shape = (len(lr), len(h), len(h))
    return np.concatenate(
        [np.concatenate([np.broadcast_to(b, shape) for b in row], axis=2) for row in blocks], axis=1
    )


def stable_lr_limit(variant: str, beta: float, curvature: float) -> float:
    """The largest α that does not diverge for this β on a quadratic with curvature λ (Jury's criterion).

    classic: 0 < αλ < 2(1 + β) (Goh 2017); ema: αλ < 2(1 + β)/(1 − β); nesterov: αλ < 2(1 + β)/(1 + 2β).
    With a Hessian, pass its largest curvature: the stiffest direction is the first to blow up.

    >>> stable_lr_limit("classic", 0.6, 1 / 3)   # 2·1.6·3
    9.600000000000001
    """
    if variant == "classic":
        return 2.0 * (1.0 + beta) / curvature
    if variant == "ema":
        return 2.0 * (1.0 + beta) / ((1.0 - beta) * curvature)
    return 2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * curvature)


def critical_beta(variant: str, lr: float, curvature: float) -> float:
    """The smallest β at which the run starts to oscillate (the two eigenvalues meet): critical damping.

    With a = αλ, where the discriminant T² − 4·det of the 2×2 block vanishes (Goh 2017 for classic):
    classic (1 − √a)²; ema ((1 − a)/(1 + a))² (ema at (α, β) is classic at (α(1 − β), β));
    nesterov (1 − √a)/(1 + √a) for a < 1, and nan for a ≥ 1 (no β < 1 makes it oscillate).
    Works elementwise on arrays of `lr`.

    >>> round(critical_beta("classic", 0.3, 1 / 3), 6), round((1 - math.sqrt(0.1)) ** 2, 6)
    (0.467544, 0.467544)
    """
    a = np.asarray(lr, dtype=float) * curvature
    with np.errstate(invalid="ignore"):
        if variant == "classic":
            crit = (1.0 - np.sqrt(a)) ** 2
        elif variant == "ema":
            crit = ((1.0 - a) / (1.0 + a)) ** 2
        else:
            crit = np.where(a < 1.0, (1.0 - np.sqrt(a)) / (1.0 + np.sqrt(a)), np.nan)
    return float(crit) if crit.ndim == 0 else crit


def convergence_factors(variant: str, lr, beta, curvatures) -> np.ndarray:
    """ρ on a grid: `lr` and `beta` broadcast together (e.g. a row of α and a column of β), the max over
    `curvatures`. Each curvature's 2×2 block has trace T and determinant D (classic: T = 1 + β − αλ, D = β;
    ema: T = 1 + β − α(1 − β)λ, D = β; nesterov: T = (1 + β)(1 − αλ), D = β(1 − αλ)), so its eigenvalues are
    (T ± √(T² − 4D))/2 in closed form: no loop over cells.

    >>> convergence_factors("classic", np.array([0.3]), np.array([[0.0], [0.6]]), [1 / 3]).round(6)
    array([[0.9     ],
           [0.774597]])
    """
    lr, beta = np.asarray(lr, dtype=float), np.asarray(beta, dtype=float)
    rho = np.zeros(np.broadcast_shapes(lr.shape, beta.shape))
    for lam in np.atleast_1d(curvatures):
        t, d = trace_det(variant, lr, beta, lam)
        root = np.sqrt((t * t - 4 * d).astype(complex))
        rho = np.maximum(rho, np.maximum(np.abs(t + root), np.abs(t - root)) / 2)
    return rho


def trace_det(variant: str, lr, beta, curvature) -> tuple:
    """(T, D): the trace and determinant of the 2×2 iteration block of one curvature λ (arrays broadcast):
    classic T = 1 + β − αλ, D = β; ema T = 1 + β − α(1 − β)λ, D = β; nesterov T = (1 + β)(1 − αλ),
    D = β(1 − αλ). Its eigenvalues, the roots of z² − Tz + D, are (T ± √(T² − 4D))/2."""
    a = np.asarray(lr, dtype=float) * curvature
    beta = np.asarray(beta, dtype=float)
    if variant == "classic":
        return 1 + beta - a, beta + 0 * a
    if variant == "ema":
        return 1 + beta - a * (1 - beta), beta + 0 * a
    return (1 + beta) * (1 - a), beta * (1 - a)


def eigenvalues(variant: str, lr: float, beta: float, curvature: float) -> tuple[complex, complex]:
    """The two eigenvalues of the iteration block of curvature λ, the dominant (largest modulus) first.

    >>> [complex(round(z.real, 4), round(z.imag, 4)) for z in eigenvalues("classic", 0.3, 0.6, 1 / 3)]
    [(0.75+0.1936j), (0.75-0.1936j)]
    >>> eigenvalues("classic", 4.0, 0.0, 1 / 3)[0].real   # plain GD past αλ = 1: 1 − αλ < 0, a flip
    -0.33333333333333326
    """
    t, d = (float(v) for v in trace_det(variant, lr, beta, curvature))
    root = complex(t * t - 4 * d) ** 0.5
    pair = sorted(((t + root) / 2, (t - root) / 2), key=lambda z: (-abs(z), -z.imag))
    return pair[0], pair[1]


def damping(variant: str, lr: float, beta: float, curvature: float) -> Damping:
    """How the mode of curvature λ moves: a complex pair swings (under-damped); real eigenvalues creep from
    one side when the dominant one is positive (over-damped) and flip side at every step when it is negative;
    critical damping where they meet on the positive side (a β > 0 within 1e-3 of critical_beta, or both
    eigenvalues 0: plain gradient descent at αλ = 1).

    >>> damping("classic", 0.3, 0.6, 1 / 3), damping("classic", 0.3, 0.2, 1 / 3)
    (<Damping.UNDER: 'under-damped'>, <Damping.OVER: 'over-damped'>)
    >>> damping("classic", 4.0, 0.0, 1 / 3)   # eigenvalue −1/3: the ball changes side every step
    <Damping.FLIP: 'flipping'>
    """
    t, d = (float(v) for v in trace_det(variant, lr, beta, curvature))
    critical = critical_beta(variant, lr, curvature)
    near = beta > 0 and not math.isnan(critical) and abs(beta - critical) <= 1e-3
    if t >= 0 and (near or (t == 0 and d == 0)):
        return Damping.CRITICAL
    first, _ = eigenvalues(variant, lr, beta, curvature)
    if first.imag != 0:
        return Damping.UNDER
    return Damping.FLIP if first.real < 0 else Damping.OVER


def slowest(variant: str, lr: float, beta: float, curvatures) -> float:
    """The curvature among `curvatures` whose mode shrinks slowest (the largest ρ; the first of equals): it
    decides how the run looks in the long run."""
    lams = np.atleast_1d(curvatures)
    return float(lams[int(np.argmax([convergence_factors(variant, lr, beta, [lam]) for lam in lams]))])


def optimal_parameters(kappa: float, largest_curvature: float = 1.0) -> tuple[float, float, float]:
    """Polyak's optimal heavy-ball (α, β) for curvatures in [L/κ, L], and the rate (√κ − 1)/(√κ + 1).

    α* = 4/(√L + √(L/κ))², β* = ((√κ − 1)/(√κ + 1))² (Polyak 1964; Goh 2017, "optimal parameters").

    >>> [round(v, 6) for v in optimal_parameters(4.0)]   # κ = 4: rate 1/3, β* = 1/9
    [1.777778, 0.111111, 0.333333]
    """
    if not (math.isfinite(kappa) and kappa >= 1.0):
        raise ValueError(f"kappa={kappa!r} is invalid: expected a finite number >= 1")
    big, small = largest_curvature, largest_curvature / kappa
    lr = 4.0 / (math.sqrt(big) + math.sqrt(small)) ** 2
    root = math.sqrt(kappa)
    return lr, ((root - 1) / (root + 1)) ** 2, (root - 1) / (root + 1)
