"""The problems of the lectures. A problem is one object: its loss, gradient and Hessian, its minimizer, the
names of its parameters, its formulas (LaTeX, caption text, and the structure the language files read
aloud: gdcore holds no words of any language) and the declaration of the lecture that teaches it: its
options with their defaults, the option it compares by design, and the rows it adds to the table of
hyperparameters. A new lecture's problem is one more class here: declaring a `name` registers it in LECTURES.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import ClassVar

import numpy as np

from . import batches, noise, theory
from .explorer import Explorer
from .validation import Choices, DataFile, Hyperparameter, ParameterError, Range, add_row, check_all


def frozen(a) -> np.ndarray:
    """A read-only float copy: results of gdcore cannot be changed by the code that reads them."""
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Formula:
    """One formula three ways: LaTeX for the screen, Unicode for captions, and for the voice its structure:
    `say` names the message of the language files that reads it aloud, `parts` fill that message's
    placeholders (numbers as text, or Formulas, read aloud in turn)."""

    tex: str
    text: str
    say: str
    parts: dict = field(default_factory=dict)


def scaled(c: float, term: Formula) -> Formula:
    """c·term, written as term/n when c = 1/n for a whole n (x²/6, not 0.1667·x²).

    >>> scaled(1 / 6, Formula("x^2", "x²", "say_x_squared")).text
    'x²/6'
    >>> f = scaled(0.3, Formula("x", "x", "say_x"))
    >>> f.say, f.parts["c"], f.parts["term"].say
    ('say_times', '0.3', 'say_x')
    """
    n = 1.0 / c
    if math.isclose(n, round(n), rel_tol=1e-9) and round(n) >= 1:
        n = round(n)
        if n == 1:
            return term
        return Formula(rf"\frac{{{term.tex}}}{{{n}}}", f"{term.text}/{n}", "say_over", {"term": term, "n": n})
    return Formula(rf"{c:g}\, {term.tex}", f"{c:g}·{term.text}", "say_times", {"c": f"{c:g}", "term": term})


# The lectures by scene name, each with the problem it teaches (filled by Problem's subclasses).
LECTURES: dict[str, type[Problem]] = {}


class Problem:
    """What every problem gives. Parameters are vectors (a 1-vector for a 1-D problem) named param_names.

    param_tex, loss_symbol: the parameters' and the loss's symbols in the update rule on screen;
    loss_tex, grad_tex: the left-hand sides of loss_tex = formula and grad_tex = derivative;
    formula, derivative: the loss and its gradient as Formulas (what `formulas` hands to the captions);
    DEFAULTS: every hyperparameter of the problem's lecture with its default (the command line's options);
    COMPARES: the option the lecture compares by design (its default is then a tuple: the runs), or None;
    OPTIONS: rows of the table of hyperparameters that only this lecture takes (its own options);
    OPTIONAL: options added after the lecture's videos were made, whose default leaves the lecture exactly as it
    was: at that default they are left out of the lesson's params (a video made before keeps its name).
    EXPLORER: what the lecture's explorer page shows (gdcore.explorer.Explorer), or None.
    A subclass that declares a `name` is a lecture: it is registered in LECTURES under that name."""

    name: ClassVar[str]
    quadratic: ClassVar[bool] = True  # its Hessian is constant: theory and the (α, β) map are exact for it
    param_names: ClassVar[tuple[str, ...]]
    param_tex: ClassVar[str]
    loss_symbol: ClassVar[str]
    loss_tex: ClassVar[str]
    grad_tex: ClassVar[str]
    DEFAULTS: ClassVar[dict]
    COMPARES: ClassVar[str | None] = None
    OPTIONS: ClassVar[tuple[Hyperparameter, ...]] = ()
    OPTIONAL: ClassVar[tuple[str, ...]] = ()
    EXPLORER: ClassVar[Explorer | None] = None  # its explorer page (gdcore.explorer), None: it has none

    formula: Formula

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for row in cls.__dict__.get("OPTIONS", ()):
            add_row(row)
        if "name" in cls.__dict__:
            LECTURES[cls.name] = cls

    @classmethod
    def single_defaults(cls) -> dict:
        """DEFAULTS for one run: the option compared by design at its first value."""
        return {name: v[0] if name == cls.COMPARES else v for name, v in cls.DEFAULTS.items()}

    derivative: Formula

    @property
    def formulas(self) -> dict[str, Formula]:
        """The formulas a caption can name, by placeholder: {formula}, {derivative} (and more per problem)."""
        return {"formula": self.formula, "derivative": self.derivative}

    @classmethod
    def from_params(cls, params: dict) -> Problem:
        """The problem a lecture's validated parameters describe."""
        raise NotImplementedError

    def start(self, params: dict) -> np.ndarray:
        """Where a run starts for these parameters (default: all parameters zero)."""
        return np.zeros(len(self.param_names))

    def loss(self, x: np.ndarray) -> float:
        raise NotImplementedError

    def grad(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def losses(self, xs: np.ndarray) -> np.ndarray:
        """(B,) the loss at each row of xs (B, d): loss(row), the same numbers (the lectures' problems compute
        them at once with the operations `loss` rounds the same way: x**2 of a NumPy scalar is C's pow, as
        np.float_power, while x**2 of an array is x·x; this default asks `loss` row by row)."""
        return np.array([self.loss(x) for x in xs], dtype=float)

    def grads(self, xs: np.ndarray) -> np.ndarray:
        """(B, d) the gradient at each row of xs (B, d): grad(row), the same numbers."""
        return np.array([self.grad(x) for x in xs], dtype=float).reshape(np.shape(xs))

    def hessian(self) -> np.ndarray:
        raise NotImplementedError

    def minimizer(self) -> np.ndarray:
        raise NotImplementedError

    def excited(self, start: np.ndarray) -> np.ndarray:
        """The curvatures whose directions the error at `start` has a part in, however small (an unstable
        mode grows from 10⁻⁶⁹ to overflow in a hundred steps): the modes a run from there moves in (its
        velocity starts at 0, so a mode it has no part in stays at rest). Empty at the minimum."""
        curvatures, directions = np.linalg.eigh(self.hessian())
        parts = np.abs(directions.T @ (np.asarray(start, dtype=float) - self.minimizer()))
        return frozen(curvatures[parts > 0])

    def settle_target(self, final: np.ndarray) -> np.ndarray:
        """The minimum a run that ends at `final` is judged to settle in (one minimum: the minimizer)."""
        return self.minimizer()

    def model_hessian(self, final: np.ndarray) -> np.ndarray | None:
        """The Hessian of the quadratic model the theory reads for a run that ends at `final` (default: the
        problem's); None where there is no such model (a minimum whose curvature is 0 or not finite)."""
        return self.hessian()

    @classmethod
    def arranged(cls, params: dict, given: set) -> dict:
        """The lecture's parameters once the options that depend on one another are settled (`given`: the
        names the user gave); ParameterError for options that do not go together. Default: as they are."""
        return params

    def batches(self, params: dict, steps: int) -> np.ndarray | None:
        """(steps, B) the samples of each step's mini-batch (row t − 1: step t), None: every step's gradient
        is the exact one (a problem without data, or without batch_size)."""
        return None

    def basin(self, x: np.ndarray) -> str:
        """Which minimum `x` belongs to: 'global' (or 'local' for a problem with a shallower one)."""
        return "global"

    def basins(self, positions: np.ndarray) -> list[str]:
        """basin(x) for each row of positions (N, d)."""
        return ["global"] * len(positions)

    def data_table(self) -> tuple[list[str], list[list[float]]] | None:
        """The data a problem is fitted to, as the header and rows of data.csv (None: no data)."""
        return None

    def describe(self) -> dict:
        """The problem for a sidecar: its name and formula (LaTeX)."""
        return {"name": self.name, "formula": self.formula.tex}

    @cached_property
    def lowest_loss(self) -> float:
        """The loss at the (global) minimum: L* of the regression, 0 for the parabola."""
        return self.loss(self.minimizer())

    @cached_property
    def curvatures(self) -> np.ndarray:
        """The Hessian's eigenvalues, smallest first: the curvatures along its principal directions."""
        return frozen(np.linalg.eigvalsh(self.hessian()))


@dataclass(frozen=True)
class Quadratic(Problem):
    """f(x) = a·x², minimum at x = 0; f'(x) = 2a·x, f''(x) = 2a.

    >>> p = Quadratic()
    >>> p.formula.text, p.derivative.text, float(p.curvatures[0])
    ('x²/6', 'x/3', 0.3333333333333333)
    """

    a: float = 1.0 / 6.0

    name: ClassVar[str] = "parabola"
    param_names: ClassVar[tuple[str, ...]] = ("x",)
    param_tex: ClassVar[str] = "x"
    loss_symbol: ClassVar[str] = "f"
    loss_tex: ClassVar[str] = "f(x)"
    grad_tex: ClassVar[str] = "f'(x)"
    DEFAULTS: ClassVar[dict] = {"lr": 0.3, "beta": 0.6, "steps": 60, "variant": "classic", "x0": 5.0}
    EXPLORER: ClassVar[Explorer] = Explorer(arrows=("moves", "pushes"))

    def __post_init__(self):
        check_all(curvature=self.a)

    @classmethod
    def from_params(cls, params: dict) -> Quadratic:
        return cls()

    def start(self, params: dict) -> np.ndarray:
        return np.array([params["x0"]], dtype=float)

    @property
    def formula(self) -> Formula:
        return scaled(self.a, Formula("x^2", "x²", "say_x_squared"))

    @property
    def derivative(self) -> Formula:
        return scaled(2 * self.a, Formula("x", "x", "say_x"))

    def loss(self, x: np.ndarray) -> float:
        return float(self.a * x[0] ** 2)

    def grad(self, x: np.ndarray) -> np.ndarray:
        return np.array([2.0 * self.a * x[0]])

    def losses(self, xs: np.ndarray) -> np.ndarray:
        return self.a * np.float_power(xs[:, 0], 2.0)

    def grads(self, xs: np.ndarray) -> np.ndarray:
        return 2.0 * self.a * xs[:, :1]

    def minimizer(self) -> np.ndarray:
        return frozen([0.0])

    def hessian(self) -> np.ndarray:
        return np.array([[2.0 * self.a]])


# Correlated features make the loss valley narrow and tilted: the classic case where momentum helps.
FEATURE_CORRELATION = 0.8
DATA = Hyperparameter(
    "data",
    DataFile(),
    "the class's own data instead of synthetic data (then --samples, --noise, --seed, --true-* do not apply)",
    symbol="data",
    tex=r"\text{data}",
)
START = tuple(
    Hyperparameter(
        f"start_{name}",
        Range(-1000.0, 1000.0),
        f"where the fit starts: {name}",
        symbol=f"{symbol}⁽⁰⁾",
        tex=f"{tex}^{{(0)}}",
    )
    for name, symbol, tex in (("w1", "w₁", "w_1"), ("w2", "w₂", "w_2"), ("b", "b", "b"))
)
SYNTHETIC = ("samples", "noise", "seed", "true_w1", "true_w2", "true_b")  # what makes the synthetic data


@dataclass(frozen=True, eq=False)
class Regression(Problem):
    """ŷ = w1·x1 + w2·x2 + b fitted to (x1, x2, y) by mean squared error; parameters (w1, w2, b). With data
    from a file (the option data), `names` are its columns' (the axes' labels) and there are no true_params."""

    features: np.ndarray  # shape (n, 2): columns x1, x2
    targets: np.ndarray  # shape (n,)
    true_params: np.ndarray | None  # (w1, w2, b) that generated the data, before noise; None: a file's data
    names: tuple[str, str, str] = ("x1", "x2", "y")  # the features' and the target's
    design: np.ndarray = field(init=False, repr=False)

    name: ClassVar[str] = "regression"
    param_names: ClassVar[tuple[str, ...]] = ("w1", "w2", "b")
    param_tex: ClassVar[str] = r"\theta"
    loss_symbol: ClassVar[str] = "L"
    loss_tex: ClassVar[str] = "L"
    grad_tex: ClassVar[str] = r"\nabla L"
    DEFAULTS: ClassVar[dict] = {
        "lr": 0.5,
        "beta": 0.5,
        "steps": 60,
        "variant": "classic",
        "samples": 60,
        "noise": 0.5,
        "seed": 7,
        "true_w1": 2.0,
        "true_w2": -1.0,
        "true_b": 1.0,
        "data": None,
        "start_w1": 0.0,
        "start_w2": 0.0,
        "start_b": 0.0,
        "batch_size": None,  # None: all the samples, the full gradient (the lecture before mini-batches)
    }
    OPTIONS: ClassVar[tuple[Hyperparameter, ...]] = (DATA, *START)
    OPTIONAL: ClassVar[tuple[str, ...]] = ("data", "start_w1", "start_w2", "start_b", "batch_size")
    EXPLORER: ClassVar[Explorer] = Explorer(picture="plane")
    model: ClassVar[Formula] = Formula(r"\hat y = w_1 x_1 + w_2 x_2 + b", "ŷ = w₁x₁ + w₂x₂ + b", "say_model")
    formula: ClassVar[Formula] = Formula(
        r"\frac{1}{n}\sum_{i=1}^{n} (\hat y_i - y_i)^2", "(1/n)·Σ(ŷᵢ − yᵢ)²", "say_mse"
    )
    derivative: ClassVar[Formula] = Formula(
        r"\frac{2}{n} X^\top (X\theta - y)", "(2/n)·Xᵀ(Xθ − y)", "say_mse_gradient"
    )

    @property
    def formulas(self) -> dict[str, Formula]:
        return {**super().formulas, "model": self.model}

    def __post_init__(self):
        n = len(self.targets)
        object.__setattr__(self, "design", frozen(np.column_stack([self.features, np.ones(n)])))

    @classmethod
    def from_params(cls, params: dict) -> Regression:
        data = params.get("data")
        if data is None:
            return _generate(params)
        return Regression(data.features, data.targets, None, data.names)

    @classmethod
    def arranged(cls, params: dict, given: set) -> dict:
        """With data from a file, the options that make synthetic data are refused if given, else dropped."""
        if params.get("data") is None:
            return params
        for name in SYNTHETIC:
            if name in given:
                raise ParameterError(
                    name, params[name], "", "does not apply to data from a file (the data come from the file)"
                )
        return {k: v for k, v in params.items() if k not in SYNTHETIC}

    def start(self, params: dict) -> np.ndarray:
        """(w1, w2, b) where the fit starts: start_w1, start_w2, start_b (0 when not given)."""
        return np.array([params.get(row.name, self.DEFAULTS[row.name]) for row in START], dtype=float)

    def predict(self, theta: np.ndarray) -> np.ndarray:
        return self.design @ theta

    def loss(self, theta: np.ndarray) -> float:
        """The mean squared error, as L* + dᵀ·(H/2)·d with d = θ − θ*: exact for least squares, and a step
        costs no pass over the data (100 000 samples × 10 000 steps in well under a second)."""
        d = np.asarray(theta, dtype=float) - self._solution
        return float(self._residual_loss + d @ self._hessian @ d / 2)

    def grad(self, theta: np.ndarray) -> np.ndarray:
        """Exact gradient of the mean squared error: (2/n)·Xᵀ(Xθ − y) = H·(θ − θ*), as Xᵀ(Xθ* − y) = 0."""
        return self._hessian @ (np.asarray(theta, dtype=float) - self._solution)

    def batch_grad(self, theta: np.ndarray, batch: np.ndarray) -> np.ndarray:
        """The mini-batch gradient at θ: (2/B)·X_Sᵀ(X_S·θ − y_S) over the samples `batch` (B row indices)."""
        return self.batch_grads(np.asarray(theta, dtype=float)[None], batch)[0]

    def batch_grads(self, thetas: np.ndarray, batch: np.ndarray) -> np.ndarray:
        """(K, d) batch_grad at each row of thetas (K, d), as a stack of single products: the same numbers."""
        x = self.design[batch]
        residuals = (x @ thetas[:, :, None])[:, :, 0] - self.targets[batch]  # (K, B)
        return (2.0 / len(batch)) * (x.T @ residuals[:, :, None])[:, :, 0]

    def batches(self, params: dict, steps: int) -> np.ndarray | None:
        """(steps, B) the samples of each step's mini-batch for these parameters (gdcore.batches.schedule
        from the data's seed), None without batch_size: every step sees all the data."""
        if params.get("batch_size") is None:
            return None
        return batches.schedule(params["samples"], params["batch_size"], steps, params["seed"])

    @cached_property
    def noise_theory(self) -> noise.LeastSquaresNoise:
        """The exact theory of its mini-batch runs (gdcore.noise)."""
        return noise.LeastSquaresNoise.of(self)

    # A batch as a stack of single products (B small matrix products, not one large one): each row is then
    # rounded as `loss` and `grad` round it.
    def losses(self, thetas: np.ndarray) -> np.ndarray:
        d = (thetas - self._solution)[:, None, :]
        return self._residual_loss + ((d @ self._hessian) @ d.transpose(0, 2, 1))[:, 0, 0] / 2

    def grads(self, thetas: np.ndarray) -> np.ndarray:
        return (self._hessian @ (thetas - self._solution)[:, :, None])[:, :, 0]

    @cached_property
    def _residual_loss(self) -> float:
        """L* = L(θ*), computed once from the data."""
        r = self.predict(self._solution) - self.targets
        return float(np.mean(r * r))

    @cached_property
    def _hessian(self) -> np.ndarray:
        return frozen(2.0 * self.design.T @ self.design / len(self.targets))

    def minimizer(self) -> np.ndarray:
        """The least-squares solution (w1, w2, b)."""
        return self._solution

    @cached_property
    def _solution(self) -> np.ndarray:
        return frozen(np.linalg.lstsq(self.design, self.targets, rcond=None)[0])

    def hessian(self) -> np.ndarray:
        return self._hessian

    def data_table(self) -> tuple[list[str], list[list[float]]]:
        """x1, x2, y of every sample (under the names of a file's columns: a file that --data reads back)."""
        return list(self.names), [
            [float(a), float(b), float(y)] for (a, b), y in zip(self.features, self.targets)
        ]

    def level_curve(self, gap: float, points: int = 80) -> np.ndarray:
        """(points, 2): the (w1, w2) where L = L* + gap with b held at its optimum, an ellipse around the
        least-squares point (L − L* = dᵀ·(H/2)·d on that slice)."""
        vals, vecs = np.linalg.eigh(self.hessian()[:2, :2] / 2)
        angles = np.linspace(0, 2 * np.pi, points)
        circle = np.stack([np.cos(angles), np.sin(angles)])
        return (self.minimizer()[:2, None] + vecs @ (np.sqrt(gap / vals)[:, None] * circle)).T


def make_regression(
    samples: int, noise: float, seed: int, true_w1: float, true_w2: float, true_b: float
) -> Regression:
    """Synthetic data y = w1·x1 + w2·x2 + b + N(0, noise²), features standard normal with correlation 0.8."""
    return _generate(
        check_all(samples=samples, noise=noise, seed=seed, true_w1=true_w1, true_w2=true_w2, true_b=true_b)
    )


def _generate(p: dict) -> Regression:
    """The data for already validated parameters (samples, noise, seed, true_w1, true_w2, true_b)."""
    rng = np.random.default_rng(p["seed"])
    z = rng.standard_normal((p["samples"], 2))
    rho = FEATURE_CORRELATION
    x = np.column_stack([z[:, 0], rho * z[:, 0] + np.sqrt(1 - rho**2) * z[:, 1]])
    w1, w2, b = p["true_w1"], p["true_w2"], p["true_b"]
    y = w1 * x[:, 0] + w2 * x[:, 1] + b + p["noise"] * rng.standard_normal(p["samples"])
    return Regression(frozen(x), frozen(y), frozen([w1, w2, b]))


@dataclass(frozen=True)
class DoubleWell(Problem):
    """A tilted double well f(x) = (x² − a)²/s + c·x: a shallow local minimum, a barrier and a deeper global
    minimum (for c > 0 the deeper one is on the left). The critical points are the real roots of the cubic
    f'(x) = 4x(x² − a)/s + c, found with numpy.roots and classified by f''(x) = (12x² − 4a)/s.

    >>> p = DoubleWell()
    >>> [(kind, round(x, 3)) for x, f, kind in p.minima()], round(p.barrier()[0], 3)
    ([('global', -2.136), ('local', 1.829)], 0.307)
    """

    a: float = 4.0
    s: float = 16.0
    c: float = 0.3

    name: ClassVar[str] = "valleys"
    quadratic: ClassVar[bool] = False
    param_names: ClassVar[tuple[str, ...]] = ("x",)
    param_tex: ClassVar[str] = "x"
    loss_symbol: ClassVar[str] = "f"
    loss_tex: ClassVar[str] = "f(x)"
    grad_tex: ClassVar[str] = "f'(x)"
    # β is compared by design: the three runs of the lecture (plain GD, momentum that escapes, too much of it)
    COMPARES: ClassVar[str] = "beta"
    DEFAULTS: ClassVar[dict] = {
        "lr": 0.2,
        "beta": (0.0, 0.8, 0.95),
        "steps": 300,
        "variant": "classic",
        "x0": 3.0,
    }
    # each β beside plain gradient descent, told as the lecture tells its runs
    EXPLORER: ClassVar[Explorer] = Explorer(
        pairs=True, verdict="valleys_verdict", view=(-3.4, 3.4), marks=True
    )

    @classmethod
    def from_params(cls, params: dict) -> DoubleWell:
        return cls()

    def start(self, params: dict) -> np.ndarray:
        return np.array([params["x0"]], dtype=float)

    @property
    def formula(self) -> Formula:
        a, s, c = (f"{v:g}" for v in (self.a, self.s, self.c))
        return Formula(
            rf"\frac{{(x^2 - {a})^2}}{{{s}}} + {c}\, x",
            f"(x² − {a})²/{s} + {c}·x",
            "say_double_well",
            {"a": a, "s": s, "c": c},
        )

    @property
    def derivative(self) -> Formula:
        a, q, c = f"{self.a:g}", f"{self.s / 4:g}", f"{self.c:g}"
        return Formula(
            rf"\frac{{x\,(x^2 - {a})}}{{{q}}} + {c}",
            f"x(x² − {a})/{q} + {c}",
            "say_double_well_slope",
            {"a": a, "q": q, "c": c},
        )

    def loss(self, x: np.ndarray) -> float:
        return float((x[0] ** 2 - self.a) ** 2 / self.s + self.c * x[0])

    def grad(self, x: np.ndarray) -> np.ndarray:
        return np.array([4.0 * x[0] * (x[0] ** 2 - self.a) / self.s + self.c])

    def losses(self, xs: np.ndarray) -> np.ndarray:
        x = xs[:, 0]
        return np.float_power(np.float_power(x, 2.0) - self.a, 2.0) / self.s + self.c * x

    def grads(self, xs: np.ndarray) -> np.ndarray:
        x = xs[:, :1]
        return 4.0 * x * (np.float_power(x, 2.0) - self.a) / self.s + self.c

    def second(self, x: float) -> float:
        """f''(x)."""
        return (12.0 * x * x - 4.0 * self.a) / self.s

    @cached_property
    def _critical(self) -> tuple:
        roots = np.roots([4.0 / self.s, 0.0, -4.0 * self.a / self.s, self.c])
        xs = np.sort(roots[np.abs(roots.imag) < 1e-9].real)
        minima = [x for x in xs if self.second(x) > 0]
        f = {x: self.loss(np.array([x])) for x in xs}
        low = min(minima, key=f.get)
        return (
            tuple((float(x), f[x], "global" if x == low else "local") for x in minima),
            tuple((float(x), f[x]) for x in xs if self.second(x) < 0),
        )

    def minima(self) -> tuple[tuple[float, float, str], ...]:
        """(x, f, 'local' | 'global') of each minimum, left to right."""
        return self._critical[0]

    def barrier(self) -> tuple[float, float]:
        """(x, f) of the maximum between the two minima: the top of the barrier."""
        return self._critical[1][0]

    def minimizer(self) -> np.ndarray:
        return frozen([next(x for x, _, kind in self.minima() if kind == "global")])

    def hessian(self) -> np.ndarray:
        """f'' at the global minimum: the theory's quadratic model of the loss there."""
        return np.array([[self.second(float(self.minimizer()[0]))]])

    def settle_target(self, final: np.ndarray) -> np.ndarray:
        return frozen([min((x for x, _, _ in self.minima()), key=lambda x: abs(x - final[0]))])

    def basin(self, x: np.ndarray) -> str:
        """The kind of the minimum on x's side of the barrier."""
        top = self.barrier()[0]
        return next(kind for m, _, kind in self.minima() if (m < top) == (x[0] < top))

    def basins(self, positions: np.ndarray) -> list[str]:
        top, left, right = self._sides
        return np.where(np.asarray(positions)[:, 0] < top, left, right).tolist()

    @cached_property
    def _sides(self) -> tuple[float, str, str]:
        """The barrier's x, and the kinds of the minima left and right of it."""
        top = self.barrier()[0]
        return top, self.basin(np.array([top - 1.0])), self.basin(np.array([top + 1.0]))

    def describe(self) -> dict:
        return {
            **super().describe(),
            "minima": [{"x": x, "f": f, "kind": kind} for x, f, kind in self.minima()],
            "barrier": dict(zip(("x", "f"), self.barrier())),
        }


KAPPA = Hyperparameter(
    "kappa",
    Range(1.0, 1000.0),
    "condition number κ of the ravine: its steep direction y is κ times as curved as its flat one x",
    symbol="κ",
    tex=r"\kappa",
)
Y0 = Hyperparameter(
    "y0", Range(-1000.0, 1000.0), "where the ball starts across the ravine", symbol="y₀", tex="y_0"
)


@dataclass(frozen=True)
class Ravine(Problem):
    """A long narrow valley f(x, y) = ½(x² + κ·y²): curvature 1 along x (the slow direction) and κ along y
    (the steep one), so κ is the Hessian's condition number; minimum at (0, 0); ∇f = (x, κ·y).

    >>> p = Ravine(25.0)
    >>> p.formula.text, p.derivative.text, p.curvatures.tolist()
    ('½(x² + 25·y²)', '(x, 25·y)', [1.0, 25.0])
    """

    kappa: float = 25.0

    name: ClassVar[str] = "ravine"
    param_names: ClassVar[tuple[str, ...]] = ("x", "y")
    param_tex: ClassVar[str] = r"\mathbf{x}"
    loss_symbol: ClassVar[str] = "f"
    loss_tex: ClassVar[str] = "f(x, y)"
    grad_tex: ClassVar[str] = r"\nabla f"
    DEFAULTS: ClassVar[dict] = {
        "lr": 0.07,
        "beta": 0.7,
        "steps": 100,
        "variant": "classic",
        "kappa": 25.0,
        "x0": -5.0,
        "y0": 2.0,
    }
    OPTIONS: ClassVar[tuple[Hyperparameter, ...]] = (KAPPA, Y0)

    def __post_init__(self):  # not through check(): the lesson's parameters are checked once, there
        if not KAPPA.valid.holds(self.kappa):
            raise ParameterError("kappa", self.kappa, KAPPA.valid.text())

    @classmethod
    def from_params(cls, params: dict) -> Ravine:
        return cls(params["kappa"])

    def start(self, params: dict) -> np.ndarray:
        return np.array([params["x0"], params["y0"]], dtype=float)

    @property
    def formula(self) -> Formula:
        k = f"{self.kappa:g}"
        if self.kappa == 1:  # a round bowl: no coefficient 1 to read
            return Formula(r"\tfrac{1}{2}\left(x^2 + y^2\right)", "½(x² + y²)", "say_ravine_round")
        return Formula(
            rf"\tfrac{{1}}{{2}}\left(x^2 + {k}\, y^2\right)", f"½(x² + {k}·y²)", "say_ravine", {"kappa": k}
        )

    @property
    def derivative(self) -> Formula:
        k = f"{self.kappa:g}"
        if self.kappa == 1:
            return Formula(r"\left(x,\ y\right)", "(x, y)", "say_ravine_gradient_round")
        return Formula(rf"\left(x,\ {k}\, y\right)", f"(x, {k}·y)", "say_ravine_gradient", {"kappa": k})

    def loss(self, x: np.ndarray) -> float:
        return float(0.5 * (x[0] ** 2 + self.kappa * x[1] ** 2))

    def grad(self, x: np.ndarray) -> np.ndarray:
        return np.array([x[0], self.kappa * x[1]], dtype=float)

    def losses(self, xs: np.ndarray) -> np.ndarray:
        return 0.5 * (np.float_power(xs[:, 0], 2.0) + self.kappa * np.float_power(xs[:, 1], 2.0))

    def grads(self, xs: np.ndarray) -> np.ndarray:
        return xs[:, :2] * np.array([1.0, self.kappa])

    def hessian(self) -> np.ndarray:
        return np.diag([1.0, self.kappa])

    def minimizer(self) -> np.ndarray:
        return frozen([0.0, 0.0])

    def direction_rates(self, variant: str, lr: float, beta: float) -> dict:
        """The claim "direction_rates": along each principal direction (x with curvature 1, y with κ) the
        factor ρ by which the error is multiplied per step with momentum β and without (β = 0), from the 2×2
        iteration matrix of that curvature; "slowest" and "plain_slowest" name the direction with the
        larger ρ, or "both" when they are equal (to 4 digits). "plain_slowest" is None for β = 0."""
        rows = [
            {
                "name": name,
                "curvature": lam,
                "rho": theory.convergence_factor(variant, lr, beta, lam),
                "plain_rho": theory.convergence_factor(variant, lr, 0.0, lam),
            }
            for name, lam in (("x", 1.0), ("y", self.kappa))
        ]

        def slowest(key: str) -> str:
            x, y = (row[key] for row in rows)
            return "both" if math.isclose(x, y, rel_tol=1e-4) else "x" if x > y else "y"

        return {
            "claim": "direction_rates",
            "directions": rows,
            "slowest": slowest("rho"),
            "plain_slowest": slowest("plain_rho") if beta else None,
        }

    def level(self, value: float, points: int = 120) -> np.ndarray:
        """(points, 2): the (x, y) where f = value, the ellipse x²/(2·value) + y²/(2·value/κ) = 1."""
        angles = np.linspace(0, 2 * np.pi, points)
        r = np.sqrt(2.0 * value)
        return np.column_stack([r * np.cos(angles), r / np.sqrt(self.kappa) * np.sin(angles)])


# The (α, β) map's --problem: a quadratic one of the lectures' problems (a row of the table, choices from here).
add_row(
    Hyperparameter(
        "problem",
        Choices(tuple(n for n, c in LECTURES.items() if c.quadratic)),
        "the problem whose (α, β) map is drawn (--scene landscape)",
    )
)
