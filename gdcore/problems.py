"""The two problems of the lectures: a 1-D quadratic and a multiple linear regression."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .validation import check_all


def _frozen(a) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Quadratic:
    """f(x) = a·x², minimum at x = 0. Parameters are 1-vectors so every problem looks the same."""

    a: float = 1.0 / 6.0
    name: str = "parabola"
    param_names: tuple[str, ...] = ("x",)

    def __post_init__(self):
        check_all(curvature=self.a)

    @property
    def curvature(self) -> float:
        """f''(x) = 2a: the one eigenvalue of the Hessian."""
        return 2.0 * self.a

    def loss(self, x: np.ndarray) -> float:
        return float(self.a * x[0] ** 2)

    def grad(self, x: np.ndarray) -> np.ndarray:
        return np.array([2.0 * self.a * x[0]])

    def minimizer(self) -> np.ndarray:
        return _frozen([0.0])

    def hessian(self) -> np.ndarray:
        return np.array([[self.curvature]])


@dataclass(frozen=True)
class Regression:
    """ŷ = w1·x1 + w2·x2 + b fitted to (x1, x2, y) by mean squared error; parameters (w1, w2, b)."""

    features: np.ndarray  # shape (n, 2): columns x1, x2
    targets: np.ndarray  # shape (n,)
    true_params: np.ndarray  # (w1, w2, b) that generated the data, before noise
    name: str = "regression"
    param_names: tuple[str, ...] = ("w1", "w2", "b")
    design: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        n = len(self.targets)
        object.__setattr__(self, "design", _frozen(np.column_stack([self.features, np.ones(n)])))

    def predict(self, theta: np.ndarray) -> np.ndarray:
        return self.design @ theta

    def loss(self, theta: np.ndarray) -> float:
        r = self.predict(theta) - self.targets
        return float(np.mean(r * r))

    def grad(self, theta: np.ndarray) -> np.ndarray:
        """Exact gradient of the mean squared error: (2/n)·Xᵀ(Xθ − y)."""
        r = self.predict(theta) - self.targets
        return 2.0 * self.design.T @ r / len(self.targets)

    def minimizer(self) -> np.ndarray:
        """The least-squares solution (w1, w2, b)."""
        return _frozen(np.linalg.lstsq(self.design, self.targets, rcond=None)[0])

    def hessian(self) -> np.ndarray:
        return 2.0 * self.design.T @ self.design / len(self.targets)


# Correlated features make the loss valley narrow and tilted: the classic case where momentum helps.
FEATURE_CORRELATION = 0.8


def make_regression(samples: int = 60, noise: float = 0.5, seed: int = 7,
                    true_w1: float = 2.0, true_w2: float = -1.0, true_b: float = 1.0) -> Regression:
    """Synthetic data y = w1·x1 + w2·x2 + b + N(0, noise²), features standard normal with correlation 0.8."""
    p = check_all(samples=samples, noise=noise, seed=seed, true_w1=true_w1, true_w2=true_w2, true_b=true_b)
    rng = np.random.default_rng(p["seed"])
    z = rng.standard_normal((p["samples"], 2))
    rho = FEATURE_CORRELATION
    x = np.column_stack([z[:, 0], rho * z[:, 0] + np.sqrt(1 - rho**2) * z[:, 1]])
    w1, w2, b = p["true_w1"], p["true_w2"], p["true_b"]
    y = w1 * x[:, 0] + w2 * x[:, 1] + b + p["noise"] * rng.standard_normal(p["samples"])
    return Regression(_frozen(x), _frozen(y), _frozen([w1, w2, b]))
