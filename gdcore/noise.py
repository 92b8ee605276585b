"""What theory says about momentum with noisy (mini-batch) gradients on a quadratic: the stationary spread.

A rule with momentum keeps a state z = (e, s): the error e = x − x* and its velocity (or averaged gradient) s.
One step is linear in z and in the gradient g it is handed: z' = D·z + u·g, with g measured at p = P·z
(P picks e, or Nesterov's look-ahead e + β·v). A mini-batch gradient is g = H·p + ξ with E[ξ] = 0, so the
mean follows the iteration matrix M = D + u·H·P of gdcore.theory (the transient's rate ρ is ρ(M)), and the
second moment S = E[z·zᵀ] follows

    S' = M·S·Mᵀ + u·E[ξ·ξᵀ]·uᵀ.

Two models of E[ξ·ξᵀ]:

- additive, the noise at the minimum (Flammarion & Bach 2015; Yuan, Ying & Sayed 2016): E[ξ·ξᵀ] = Σ, fixed.
  The stationary S solves the discrete Lyapunov equation S = M·S·Mᵀ + u·Σ·uᵀ (`lyapunov`). In one direction
  of curvature h with noise variance σ², heavy ball's error has variance
  α·σ²·(1 + β) / [h·(1 − β)·(2(1 + β) − α·h)] (`heavy_ball_variance`; β = 0: α·σ²/(h·(2 − α·h))).
  It holds at small α·h: the noise of a mini-batch also grows with the distance from the minimum.
- exact for least squares (`LeastSquaresNoise`; Kidambi et al. 2018 for the fourth-moment term): the batch
  is B of the N samples drawn without replacement, so given p, E[ξ·ξᵀ] = c_B·Σ(p) with
  c_B = (N − B)/(B·(N − 1)) (`batch_factor`) and Σ(p) the covariance over the samples of the per-example
  gradients a_i = 2·x_i·(x_iᵀ·p + r_i) (r_i: the residual at the least-squares solution):
  a_i − H·p = G_i·p + 2·r_i·x_i with G_i = 2·x_i·x_iᵀ − H. Averaged over the run,
  E[Σ(p)] = (1/N)·Σ_i [G_i·E[p·pᵀ]·G_i + 2·r_i·(G_i·m·x_iᵀ + x_i·mᵀ·G_i) + 4·r_i²·x_i·x_iᵀ], m = E[p]:
  the moments obey a linear recursion with no approximation, whose fixed point is the stationary S.

The noise floor is E[f] − f* = ½·tr(H·S_ee) (S_ee: the error's block of S) and the spread √tr(S_ee), the
RMS distance from x*. These functions are the math only: callers pass values already checked.

References: N. Flammarion, F. Bach, "From averaging to acceleration, there is only a step-size", COLT 2015;
K. Yuan, B. Ying, A. H. Sayed, "On the influence of momentum acceleration on online learning", JMLR 17, 2016;
R. Kidambi, P. Netrapalli, P. Jain, S. Kakade, "On the insufficiency of existing momentum schemes for
stochastic optimization", ICLR 2018.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np


def batch_factor(samples: int, batch: int) -> float:
    """(N − B)/(B·(N − 1)): the covariance of the mean of B of N samples drawn without replacement, per unit
    of the samples' own covariance (1/B with replacement; 0 for the full batch).

    >>> batch_factor(60, 60), batch_factor(60, 1), round(batch_factor(60, 6), 6)
    (0.0, 1.0, 0.152542)
    """
    return (samples - batch) / (batch * (samples - 1))


def rule_form(variant: str, lr: float, beta: float, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(D, u, P): one step of `variant` is z' = D·z + u·g with the gradient g measured at P·z, for the state
    z = (e, s) of 2d numbers; D is (2d, 2d), u (2d, d), P (d, 2d). D + u·H·P is theory.iteration_matrix.

    >>> [a.ravel().tolist() for a in rule_form("classic", 0.1, 0.9, 1)]
    [[1.0, 0.9, 0.0, 0.9], [-0.1, -0.1], [1.0, 0.0]]
    """
    eye, zero = np.eye(d), np.zeros((d, d))
    if variant == "ema":  # m' = βm + (1 − β)g; e' = e − α·m'
        d_ = np.block([[eye, -lr * beta * eye], [zero, beta * eye]])
        return d_, np.vstack([-lr * (1 - beta) * eye, (1 - beta) * eye]), np.hstack([eye, zero])
    d_ = np.block([[eye, beta * eye], [zero, beta * eye]])  # v' = βv − αg; e' = e + v'
    look = beta * eye if variant == "nesterov" else zero  # Nesterov measures g at e + βv
    return d_, np.vstack([-lr * eye, -lr * eye]), np.hstack([eye, look])


def lyapunov(m: np.ndarray, q: np.ndarray) -> np.ndarray | None:
    """The S that solves S = M·S·Mᵀ + Q (the stationary covariance of z' = M·z + noise of covariance Q),
    from its Kronecker form (I − M⊗M)·vec(S) = vec(Q); None when ρ(M) ≥ 1 (no stationary state).

    >>> lyapunov(np.array([[0.5]]), np.array([[3.0]]))   # 3/(1 − 0.25)
    array([[4.]])
    """
    if max(abs(np.linalg.eigvals(m))) >= 1:
        return None
    n = len(m)
    s = np.linalg.solve(np.eye(n * n) - np.kron(m, m), np.asarray(q, dtype=float).ravel())
    s = s.reshape(n, n)
    return (s + s.T) / 2  # symmetric up to rounding: made exactly so


def heavy_ball_variance(lr: float, beta: float, curvature: float, variance: float) -> float:
    """The stationary variance of heavy ball's error in one direction of curvature h with additive gradient
    noise of variance σ²: α·σ²·(1 + β) / [h·(1 − β)·(2(1 + β) − α·h)]; inf where α·h ≥ 2(1 + β) (unstable).

    >>> heavy_ball_variance(0.1, 0.0, 1.0, 1.0) == 0.1 / 1.9   # plain SGD: α·σ²/(h·(2 − α·h))
    True
    """
    room = 2 * (1 + beta) - lr * curvature
    if room <= 0:
        return math.inf
    return lr * variance * (1 + beta) / (curvature * (1 - beta) * room)


def additive_covariance(variant: str, lr: float, beta: float, hessian, noise) -> np.ndarray | None:
    """(2d, 2d) the stationary covariance of (e, s) under additive gradient noise of covariance `noise`
    (d, d): the Lyapunov equation S = M·S·Mᵀ + u·Σ·uᵀ; None when the mean dynamics are unstable."""
    h = np.atleast_2d(np.asarray(hessian, dtype=float))
    d_, u, p = rule_form(variant, lr, beta, len(h))
    return lyapunov(d_ + u @ h @ p, u @ np.atleast_2d(noise) @ u.T)


def floor(hessian: np.ndarray, second: np.ndarray | None) -> float:
    """E[f] − f* = ½·tr(H·S_ee) for a second moment S of (e, s) around the minimum; inf for None."""
    if second is None:
        return math.inf
    d = len(hessian)
    return float(np.trace(hessian @ second[:d, :d]) / 2)


def spread(second: np.ndarray | None, d: int) -> float:
    """√tr(S_ee): the RMS distance of the parameters from the minimum; inf for None."""
    return math.inf if second is None else math.sqrt(max(float(np.trace(second[:d, :d])), 0.0))


@dataclass(frozen=True, eq=False)
class LeastSquaresNoise:
    """The exact moments of a momentum run on the mean squared error (1/N)·Σ(x_iᵀθ − y_i)² whose every step
    averages the gradients of B of the N samples, drawn without replacement, anew at each step.

    design: (N, d) the rows x_i; residuals: (N,) r_i = x_iᵀθ* − y_i at the least-squares solution θ*;
    hessian: (d, d) H = (2/N)·Σ x_i·x_iᵀ."""

    design: np.ndarray
    residuals: np.ndarray
    hessian: np.ndarray

    @classmethod
    def of(cls, problem) -> LeastSquaresNoise:
        """The noise of a least-squares problem (gdcore.Regression): its design, residuals and Hessian, as
        read-only copies."""
        x = np.array(problem.design, dtype=float)
        parts = (x, x @ problem.minimizer() - problem.targets, np.array(problem.hessian(), dtype=float))
        for part in parts:
            part.setflags(write=False)
        return cls(*parts)

    @property
    def samples(self) -> int:
        return len(self.residuals)

    def gradient_covariance(self) -> np.ndarray:
        """(d, d) the per-example gradients' covariance at θ*: (4/N)·Σ r_i²·x_i·x_iᵀ (their mean is 0 there:
        the normal equations). Times batch_factor: the additive model's noise."""
        x, r = self.design, self.residuals
        return 4 * (x * (r * r)[:, None]).T @ x / self.samples

    @cached_property
    def _terms(self) -> tuple[np.ndarray, np.ndarray]:
        """(K, J): K = (1/N)·Σ G_i⊗G_i (d², d²), the fourth-moment term; J (d², d) maps a mean m to
        vec((2/N)·Σ r_i·(G_i·m·x_iᵀ + x_i·mᵀ·G_i)). Both computed once."""
        x, r, n, d = self.design, self.residuals, self.samples, len(self.hessian)
        g = 2 * x[:, :, None] * x[:, None, :] - self.hessian  # G_i, (N, d, d)
        k = np.einsum("iac,ibd->abcd", g, g).reshape(d * d, d * d) / n
        j = np.einsum("i,iac,ib->abc", r, g, x)
        return k, (2 / n) * (j + j.transpose(1, 0, 2)).reshape(d * d, d)

    def operator(self, variant: str, lr: float, beta: float, batch: int) -> tuple:
        """(M, T, C, q): one step maps E[z] to M·E[z] and vec E[z·zᵀ] to T·vec E[z·zᵀ] + C·E[z] + q."""
        d = len(self.hessian)
        d_, u, p = rule_form(variant, lr, beta, d)
        m = d_ + u @ self.hessian @ p
        k, j = self._terms
        uu = batch_factor(self.samples, batch) * np.kron(u, u)
        t = np.kron(m, m) + uu @ k @ np.kron(p, p)
        return m, t, uu @ j @ p, uu @ self.gradient_covariance().ravel()

    def second_moment_rho(self, variant: str, lr: float, beta: float, batch: int) -> float:
        """The spectral radius of T: below 1 the second moment settles (mean-square stable); ≥ ρ(M)²."""
        return float(max(abs(np.linalg.eigvals(self.operator(variant, lr, beta, batch)[1]))))

    def stationary(self, variant: str, lr: float, beta: float, batch: int) -> np.ndarray | None:
        """(2d, 2d) the stationary E[z·zᵀ] (its mean is 0), the fixed point of T; None when ρ(T) ≥ 1: the
        spread grows without bound (even where the mean converges, ρ(M) < 1)."""
        _, t, _, q = self.operator(variant, lr, beta, batch)
        if max(abs(np.linalg.eigvals(t))) >= 1:
            return None
        n = int(math.isqrt(len(q)))
        s = np.linalg.solve(np.eye(n * n) - t, q).reshape(n, n)
        return (s + s.T) / 2

    def moments(self, variant: str, lr: float, beta: float, batch: int, start, steps: int) -> tuple:
        """(means (steps+1, 2d), seconds (steps+1, 2d, 2d)): E[z_t] and E[z_t·z_tᵀ] of the run from the
        state `start` (2d: the error and the state, usually (x0 − x*, 0)), step by step, exactly."""
        m, t, c, q = self.operator(variant, lr, beta, batch)
        mean = np.asarray(start, dtype=float)
        second = np.outer(mean, mean).ravel()
        means, seconds = [mean], [second]
        with np.errstate(all="ignore"):  # an unstable run's moments overflow: they are inf, as they should
            for _ in range(steps):
                mean, second = m @ mean, t @ second + c @ mean + q
                means.append(mean)
                seconds.append(second)
        n = len(mean)
        return np.array(means), np.array(seconds).reshape(-1, n, n)
