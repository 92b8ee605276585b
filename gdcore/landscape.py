"""The (α, β) map of momentum on a quadratic problem: ρ on a grid, the theory's curves, and a tour of runs.

After G. Goh, "Why Momentum Really Works" (Distill, 2017), whose figures show the convergence rate over the
whole (α, β) plane.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from . import theory
from .lesson import Lesson, checked, teach
from .problems import frozen
from .validation import check

GRID = (320, 320)  # cells along α and along β
BETA_TOP = 0.995  # the map's β axis ends here (β = 1 is never stable)
TOUR_A = 0.25  # the tour's stable stops sit at α = TOUR_A / λ_max


@dataclass(frozen=True, eq=False)
class Landscape:
    """lrs (A,), betas (B,): the cell centres; rho (B, A): ρ(α, β), max over the Hessian's curvatures.
    boundary: (k, 2) points (α, β) of the stability limit α_max(β), set by the largest curvature;
    critical: (k, 2) points (α, β_c(α)) of critical damping for the slowest mode (smallest curvature), where
    the run is stable;
    optimum: Polyak's (α*, β*) from κ = λ_max/λ_min (None for the parabola, κ = 1, and for nesterov);
    lesson: the run given by --lr and --beta; tour: (region, Lesson) stops, one per region."""

    problem_name: str
    variant: str
    lrs: np.ndarray
    betas: np.ndarray
    rho: np.ndarray
    boundary: np.ndarray
    critical: np.ndarray
    optimum: tuple[float, float] | None
    lesson: Lesson
    tour: tuple[tuple[str, Lesson], ...]
    params: Mapping

    scene = "landscape"
    compared = None  # one run on the map (the tour's stops are runs() in the sidecar)

    @property
    def lessons(self) -> tuple[Lesson, ...]:
        return (self.lesson,)

    @property
    def problem(self):
        return self.lesson.problem

    @property
    def kappa(self) -> float:
        """The condition number λ_max/λ_min of the problem's Hessian."""
        lams = self.problem.curvatures
        return float(lams[-1] / lams[0])

    def rows(self):
        """(α, β, ρ) for every cell, α varying fastest."""
        a, b = np.meshgrid(self.lrs, self.betas)
        return np.column_stack([a.ravel(), b.ravel(), self.rho.ravel()])

    def summary(self) -> dict:
        return {
            "run": self.lesson.summary(),
            "optimum": None if self.optimum is None else list(self.optimum),
            "grid": list(GRID),
            "lr_max": float(self.lrs[-1] + self.lrs[0]),
        }

    def runs(self) -> list[dict]:
        """The tour's stops: region, params and single-run summary."""
        return [
            {"region": region, "params": dict(one.params), "summary": one.summary()}
            for region, one in self.tour
        ]


def landscape(problem: str = "parabola", **given) -> Landscape:
    """The map for lecture `problem`'s loss and rule (`variant`), with its other parameters given or at
    their defaults; the run at (lr, beta) is marked, and three stops show each region's runs."""
    check("problem", problem)
    params = checked(problem, given)
    run = teach(problem, params)
    variant, lams = params["variant"], run.problem.curvatures
    stops = tour_stops(variant, float(lams[0]), float(lams[-1]))
    tour = tuple(
        (region, teach(problem, {**params, "lr": lr, "beta": beta})) for region, (lr, beta) in stops.items()
    )
    edge = np.linspace(0, BETA_TOP, 200)
    boundary = np.column_stack([[theory.stable_lr_limit(variant, b, float(lams[-1])) for b in edge], edge])
    # α reaches a little past the widest stable α (at most 4/λ: ema's grows without bound as β → 1), so the
    # map is mostly where runs converge, whether momentum widens the stable α (classic) or narrows it
    top = 1.15 * max(min(boundary[:, 0].max(), 4.0 / lams[-1]), stops["diverged"][0], params["lr"])
    lrs = (np.arange(GRID[0]) + 0.5) / GRID[0] * top
    betas = (np.arange(GRID[1]) + 0.5) / GRID[1] * BETA_TOP
    rho = theory.convergence_factors(variant, lrs[None, :], betas[:, None], lams)
    return Landscape(
        problem,
        variant,
        frozen(lrs),
        frozen(betas),
        frozen(rho),
        frozen(boundary),
        frozen(critical_curve(variant, top, lams)),
        optimum(variant, lams),
        run,
        tour,
        MappingProxyType({"problem": problem, **params}),
    )


def tour_stops(variant: str, small: float, big: float) -> dict[str, tuple[float, float]]:
    """Region → the (α, β) of its stop: over- and under-damped at α = TOUR_A/λ_max, and one past the limit."""
    a = TOUR_A / big
    crit = theory.critical_beta(variant, a, small)
    crit = 0.0 if math.isnan(crit) else crit
    return {
        "over-damped": (a, 0.5 * crit),
        "under-damped": (a, crit + 0.6 * (1 - crit)),
        "diverged": (1.15 * theory.stable_lr_limit(variant, 0.5, big), 0.5),
    }


def critical_curve(variant: str, top: float, lams: np.ndarray) -> np.ndarray:
    """(k, 2) points (α, β_c(α)) of critical damping for the slowest mode, α in (0, top], where stable."""
    alphas = np.linspace(0, top, 400)[1:]
    critical = np.column_stack([alphas, theory.critical_beta(variant, alphas, float(lams[0]))])
    critical = critical[np.isfinite(critical[:, 1]) & (critical[:, 1] <= BETA_TOP)]
    return critical[theory.convergence_factors(variant, critical[:, 0], critical[:, 1], lams) < 1]


def optimum(variant: str, lams: np.ndarray) -> tuple[float, float] | None:
    """Polyak's (α*, β*) for κ = λ_max/λ_min (ema's α is α*/(1−β*): the same run), None for κ = 1 and nesterov."""
    small, big = float(lams[0]), float(lams[-1])
    if big / small <= 1 + 1e-9 or variant == "nesterov":
        return None
    lr_opt, beta_opt, _ = theory.optimal_parameters(big / small, big)
    return (lr_opt / (1 - beta_opt) if variant == "ema" else lr_opt, beta_opt)
