"""The problem of a function a teacher types (--scene function --function EXPR).

The text becomes a SymPy expression (gdcore.expression: a whitelist, never eval); its derivative and curvature
are SymPy's, evaluated with NumPy. On the view [x_min, x_max] the function must be real and finite (every
logarithm's argument, root's base, divisor and tangent is checked there, between the grid's points too), and
its stationary points there are found numerically: sign changes of f' on a fine grid refined by bisection, and
the dips of |f'| that touch 0 without a sign change (flat points), refined by golden-section search. Each is
a minimum, a maximum or flat; a minimum's curvature f'' is its quadratic model, when it is finite and not 0.

What is refused, in a line (ParameterError): a text that is not an allowed function (gdcore.expression), a
function not real or not finite somewhere on the view, one with no minimum in the view (the ball would run
away: x**3), one with more than MAX_STATIONARY stationary points there, a start outside the view. What is a
lesson: everything else, including a minimum without a quadratic model (|x|^1.5, x**4: the theory's ρ is
then undefined, and said so), a run that leaves the view, and a run that never settles.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

import numpy as np

from . import expression
from .optimizers import RULES
from .problems import Formula, Problem, frozen
from .validation import Expression, Hyperparameter, ParameterError, Range

GRID = 4001  # points of the view where f, f' and the domain's conditions are evaluated
MAX_STATIONARY = 40
FLAT = 1e-10  # f' within this share of its largest size on the view is 0 (a flat point; a smooth extremum)
NEAR_ZERO = 1e-12  # a divisor or a logarithm's argument within this share of its size of 0 is 0
GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
DEFAULT = "x**4/4 - x**2 + 0.3*x"

FUNCTION = Hyperparameter(
    "function", Expression(), "the function f(x) the ball rolls on", symbol="f(x)", tex="f(x)"
)
X_MIN = Hyperparameter(
    "x_min",
    Range(-1000.0, 1000.0),
    "left end of the view, where f must be real and finite and its minima are found",
    symbol="min x",
    tex=r"x_{\min}",
)
X_MAX = Hyperparameter(
    "x_max", Range(-1000.0, 1000.0), "right end of the view", symbol="max x", tex=r"x_{\max}"
)


@dataclass(frozen=True)
class Stationary:
    """A point of the view where f' is 0 or changes sign: its x, f(x), kind ('minimum', 'maximum', or 'flat'
    where f' touches 0 without changing sign), curvature f''(x) (nan at a kink, where f' jumps, and where f''
    grows without bound) and whether f' goes through 0 there (smooth) or jumps (a kink)."""

    x: float
    f: float
    kind: str
    curvature: float
    smooth: bool = True


@dataclass(frozen=True, eq=False)
class TypedFunction(Problem):
    """f(x) given as text, on the view [low, high]; parameters (x,). Construction checks it (ParameterError).

    >>> p = TypedFunction("(x - 1)**2")
    >>> p.formula.text, p.derivative.text, [(round(x, 9), kind) for x, _, kind in p.minima()]
    ('(x − 1)²', '2·x − 2', [(1.0, 'global')])
    """

    text: str = DEFAULT
    low: float = -10.0
    high: float = 10.0

    name: ClassVar[str] = "function"
    quadratic: ClassVar[bool] = False
    param_names: ClassVar[tuple[str, ...]] = ("x",)
    param_tex: ClassVar[str] = "x"
    loss_symbol: ClassVar[str] = "f"
    loss_tex: ClassVar[str] = "f(x)"
    grad_tex: ClassVar[str] = "f'(x)"
    DEFAULTS: ClassVar[dict] = {
        "lr": 0.1,
        "beta": 0.7,
        "steps": 80,
        "variant": "classic",
        "x0": 2.5,
        "function": DEFAULT,
        "x_min": -10.0,
        "x_max": 10.0,
    }
    OPTIONS: ClassVar[tuple[Hyperparameter, ...]] = (FUNCTION, X_MIN, X_MAX)

    def __post_init__(self):
        if not self.high - self.low >= 1e-3:
            raise ParameterError("x_max", self.high, f"a number at least 0.001 above x_min = {self.low:g}")
        try:
            expression.parse(self.text)
        except expression.ExpressionError as err:
            raise ParameterError("function", self.text, FUNCTION.valid.text(), str(err)) from None
        self._check_domain()
        if len(self.stationary()) > MAX_STATIONARY:
            self._refuse(f"it has more than {MAX_STATIONARY} stationary points in the view: narrow the view")

    @classmethod
    def from_params(cls, params: dict) -> TypedFunction:
        problem = built(params["function"], params["x_min"], params["x_max"])
        if not problem.low <= params["x0"] <= problem.high:
            raise ParameterError(
                "x0", params["x0"], f"a number in the view [{problem.low:g}, {problem.high:g}]"
            )
        return problem

    def start(self, params: dict) -> np.ndarray:
        return np.array([params["x0"]], dtype=float)

    def _refuse(self, why: str):
        raise ParameterError(
            "function",
            self.text,
            FUNCTION.valid.text(),
            f"{why} (on the view [{self.low:g}, {self.high:g}], set by x_min and x_max)",
        )

    @cached_property
    def _parts(self) -> tuple:
        """f, f' and f'' as SymPy expressions and as NumPy functions (worked out once the view is checked)."""
        f = expression.parse(self.text)
        exprs = (f, *expression.derivatives(f))
        return exprs, tuple(map(expression.numeric, exprs))

    @cached_property
    def _grid(self) -> np.ndarray:
        return frozen(np.linspace(self.low, self.high, GRID))

    def _check_domain(self) -> None:
        """Refuse a function that is not real or not finite somewhere on the view."""
        xs, f = self._grid, expression.parse(self.text)  # not its derivatives yet: a refusal comes first
        for part, condition in expression.guards(f):
            failed = _violated(xs, expression.numeric(part), condition)
            if failed is not None:
                self._refuse(f"it is not {failed[1]} at x = {failed[0]:.4g}")
        values = expression.numeric(f)(xs)
        bad = np.flatnonzero(~np.isfinite(values)) if not np.iscomplexobj(values) else np.arange(len(xs))
        if len(bad):
            self._refuse(f"it is not a finite real number at x = {xs[bad[0]]:.4g}")

    @property
    def formula(self) -> Formula:
        return _formula(self._parts[0][0])

    @property
    def derivative(self) -> Formula:
        return _formula(self._parts[0][1])

    def losses(self, xs: np.ndarray) -> np.ndarray:
        return self._parts[1][0](np.asarray(xs, dtype=float)[:, 0])

    def grads(self, xs: np.ndarray) -> np.ndarray:
        return self._parts[1][1](np.asarray(xs, dtype=float)[:, 0])[:, None]

    # One point as a batch of one: the same NumPy operations, so the same numbers as a batch's row.
    def loss(self, x: np.ndarray) -> float:
        return float(self.losses(np.reshape(x, (1, 1)))[0])

    def grad(self, x: np.ndarray) -> np.ndarray:
        return self.grads(np.reshape(x, (1, 1)))[0]

    def second(self, x: float) -> float:
        """f''(x) (nan where it is not defined)."""
        return float(self._parts[1][2](np.array([x], dtype=float))[0])

    def stationary(self) -> tuple[Stationary, ...]:
        """The stationary points in the view, left to right."""
        return self._stationary

    @cached_property
    def _stationary(self) -> tuple[Stationary, ...]:
        f, slope, second = self._parts[1]
        found = sorted(_extrema(self._grid, slope) + _flats(self._grid, slope))
        xs = np.array([x for x, _, _ in found], dtype=float)
        width, size = self.high - self.low, self._curvature_size
        return tuple(
            Stationary(
                x + 0.0, float(fx), kind, _curvature(second, x, width, size) if smooth else math.nan, smooth
            )
            for (x, kind, smooth), fx in zip(found, f(xs))
        )

    @cached_property
    def _curvature_size(self) -> float:
        """The largest finite |f''| on the view's grid (1 at least): the scale of 'flat' curvatures."""
        sizes = np.abs(self._parts[1][2](self._grid))
        return max(1.0, float(np.max(sizes[np.isfinite(sizes)], initial=0.0)))

    def minima(self) -> tuple[tuple[float, float, str], ...]:
        """(x, f, label) of each minimum, left to right; the label is 'global' (the lowest, to 9 digits, when f
        is not lower at the view's edges) or 'local', numbered left to right ('local 1', 'local 2') when two or
        more share it."""
        return self._minima

    @cached_property
    def _minima(self) -> tuple[tuple[float, float, str], ...]:
        points = [(s.x, s.f) for s in self.stationary() if s.kind == "minimum"]
        if not points:
            return ()
        low = min(f for _, f in points)
        edges = self._parts[1][0](np.array([self.low, self.high]))
        lowest = low <= float(np.min(edges)) + 1e-12 * max(1.0, abs(low))  # f is not lower at the view's edge
        kinds = [
            "global" if lowest and math.isclose(f, low, rel_tol=1e-9, abs_tol=1e-12) else "local"
            for _, f in points
        ]
        count = {kind: kinds.count(kind) for kind in kinds}
        seen = dict.fromkeys(kinds, 0)
        labels = []
        for kind in kinds:
            seen[kind] += 1
            labels.append(kind if count[kind] == 1 else f"{kind} {seen[kind]}")
        return tuple((x, f, label) for (x, f), label in zip(points, labels))

    def barriers(self) -> tuple[tuple[float, float], ...]:
        """(x, f) of the top between each two neighbouring minima: the highest stationary point between them."""
        return self._barriers

    @cached_property
    def _barriers(self) -> tuple[tuple[float, float], ...]:
        ms = [x for x, _, _ in self.minima()]
        tops = []
        for a, b in zip(ms, ms[1:]):
            between = [s for s in self.stationary() if a < s.x < b]
            top = max(between, key=lambda s: s.f)  # f is continuous: a maximum lies between two minima
            tops.append((top.x, top.f))
        return tuple(tops)

    def minimizer(self) -> np.ndarray:
        """The global minimum (the leftmost of equal ones); nan when the view holds no minimum."""
        found = [x for x, _, label in self.minima() if label.startswith("global")]
        return frozen(found[:1] or [math.nan])

    def _nearest(self, final: np.ndarray) -> Stationary | None:
        """The minimum nearest to `final` (the left one of two as near); None when there is none."""
        minima = [s for s in self.stationary() if s.kind == "minimum"]
        return min(minima, key=lambda s: abs(s.x - float(final[0])), default=None)

    def settle_target(self, final: np.ndarray) -> np.ndarray:
        """The minimum nearest to where the run ends; nan when there is none (nothing to settle in)."""
        nearest = self._nearest(final)
        return frozen([math.nan if nearest is None else nearest.x])

    def hessian(self) -> np.ndarray:
        """f'' at the global minimum (nan where it is not defined, or no minimum)."""
        x = self.minimizer()[0]
        return np.array([[next((s.curvature for s in self.stationary() if s.x == x), math.nan)]])

    def model_hessian(self, final: np.ndarray) -> np.ndarray | None:
        """f'' at the minimum nearest to `final` where it is finite and not 0; None where there is no such
        quadratic model (a kink, f'' growing without bound or 0 there, or no minimum)."""
        nearest = self._nearest(final)
        c = math.nan if nearest is None else nearest.curvature
        return np.array([[c]]) if math.isfinite(c) and c > FLAT * self._curvature_size else None

    def basins(self, positions: np.ndarray) -> list[str]:
        """The label of the minimum whose basin holds each row ('none' without minima): basins are split at
        the barriers."""
        labels = [label for _, _, label in self.minima()] or ["none"]
        tops = [x for x, _ in self.barriers()]
        return [labels[k] for k in np.searchsorted(tops, np.asarray(positions, dtype=float)[:, 0])]

    def basin(self, x: np.ndarray) -> str:
        return self.basins(np.reshape(x, (1, 1)))[0]

    def frame(self, start: float) -> tuple[float, float]:
        """An x range for a picture: the start and every stationary point, with a margin of 15 % each side."""
        xs = [start, *(s.x for s in self.stationary())]
        pad = max(0.15 * (max(xs) - min(xs)), 0.5)
        return min(xs) - pad, max(xs) + pad

    def left_view(self, traj) -> dict:
        """The claim "left_view" of a run (a Trajectory on this problem): the first step at which it was outside
        the view ("step", None: it stayed in), on which side ("side": 'left' | 'right'), whether it was still
        outside at its end ("outside"), and whether f was defined where it went ("defined": False when the run
        stopped on a step to where f is not a finite real number, as x·log(x) at x < 0)."""
        xs = list(traj.positions[:, 0])
        after, values = self._stopped_on(traj)
        defined = values is None or bool(np.isfinite(values).all())
        xs = np.array(xs if after is None else [*xs, after])
        out = np.flatnonzero(~((xs >= self.low) & (xs <= self.high)))  # nan: outside too
        step = int(out[0]) if len(out) else None
        side = None if step is None else "left" if not xs[step] > self.low else "right"
        outside = bool(len(out)) and bool(out[-1] == len(xs) - 1)
        return {"claim": "left_view", "step": step, "side": side, "outside": outside, "defined": defined}

    def _stopped_on(self, traj) -> tuple[float | None, np.ndarray | None]:
        """The step that stopped a run, taken again: where it would have gone and f, f' there; (None, None)
        when the run did not stop on a step it could not take."""
        if traj.diverged_at is None or traj.diverged_at != len(traj.positions):
            return None, None
        rule = RULES[traj.variant]
        after, _ = rule(traj.positions[-1], traj.states[-1], self.grad, traj.lr, traj.beta)
        with np.errstate(all="ignore"):
            return float(after[0]), np.array([self.loss(after), *self.grad(after)])

    def shape(self, point: Stationary) -> str:
        """How f is shaped at a stationary point, which decides whether a rate ρ applies there: 'quadratic'
        (f'' finite and not 0: the quadratic model of model_hessian), 'flat' (f'' is 0: flatter than any
        parabola), 'kink' (f' jumps: a corner) or 'steep' (f'' grows without bound)."""
        if not point.smooth:  # f' jumps as seen from the grid: a corner, or f'' growing so fast (|x|^1.5)
            h = np.array([1e-6, 1e-10]) * (self.high - self.low)
            jumps = np.abs(self._parts[1][1](point.x + h) - self._parts[1][1](point.x - h))
            return "kink" if jumps[1] > 0.1 * jumps[0] else "steep"  # a corner's jump does not shrink
        if math.isnan(point.curvature):
            return "steep"
        return "quadratic" if point.curvature > FLAT * self._curvature_size else "flat"

    def minima_claim(self) -> dict:
        """The claim "minima": the view ("view": [x_min, x_max]) and its minima, left to right ("minima": x, f,
        label each; none: there is nothing for a ball to settle in)."""
        found = [{"x": x, "f": f, "label": label} for x, f, label in self.minima()]
        return {"claim": "minima", "view": [self.low, self.high], "minima": found}

    def end(self, traj, run: str) -> dict:
        """The claim "end" of a run (a Trajectory on this problem, named `run`): where it ended ("x", "f": its
        last step's) and f at its start ("start_f"); the minimum nearest its end, which the theory reads
        ("minimum": x, f, label, curvature — None where f'' is not defined — and shape, see `shape`; None when
        the view has no minimum); and the step it could not take, if it stopped on one ("stop": its "step",
        where it would have gone, "x", and "why": 'undefined' where f or f' is not a real number there, as
        x·log(x) at x < 0, 'overflow' where they are too large for a float; else None)."""
        nearest = self._nearest(traj.positions[-1])
        minimum = None
        if nearest is not None:
            label = next(name for x, _, name in self.minima() if x == nearest.x)
            c = None if math.isnan(nearest.curvature) else nearest.curvature
            minimum = {
                "x": nearest.x,
                "f": nearest.f,
                "label": label,
                "curvature": c,
                "shape": self.shape(nearest),
            }
        after, values = self._stopped_on(traj)
        stop = None
        if after is not None:
            why = "undefined" if math.isfinite(after) and np.isnan(values).any() else "overflow"
            stop = {"step": traj.diverged_at, "x": after, "why": why}
        last = traj.positions[-1, 0]
        return {
            "claim": "end",
            "run": run,
            "x": float(last),
            "f": float(traj.losses[-1]),
            "start_f": float(traj.losses[0]),
            "minimum": minimum,
            "stop": stop,
        }

    def describe(self) -> dict:
        def number(v: float) -> float | None:
            return None if math.isnan(v) else v

        return {
            **super().describe(),
            "function": self.text,
            "view": [self.low, self.high],
            "stationary": [
                {"x": s.x, "f": s.f, "kind": s.kind, "curvature": number(s.curvature)}
                for s in self.stationary()
            ],
            "minima": [{"x": x, "f": f, "kind": label} for x, f, label in self.minima()],
            "barriers": [{"x": x, "f": f} for x, f in self.barriers()],
        }


@functools.lru_cache(maxsize=32)
def built(text: str, low: float, high: float) -> TypedFunction:
    """TypedFunction(text, low, high), made once: a comparison's runs and an explorer's grid share it."""
    return TypedFunction(text, low, high)


def _curvature(second, x: float, width: float, size: float) -> float:
    """f''(x) where f'' is defined there: finite, and the same a ten-millionth of the view either side (to
    1 %, or 1e-5 of `size`, its largest size on the view); else nan (|x|^1.5 at 0: f'' grows without bound)."""
    near = second(np.array([x, x - 1e-7 * width, x + 1e-7 * width]))
    if not np.isfinite(near).all() or np.max(np.abs(near[1:] - near[0])) > 0.01 * abs(near[0]) + 1e-5 * size:
        return math.nan
    return float(near[0])


def _formula(expr) -> Formula:
    text = expression.caption(expr)
    return Formula(expression.tex(expr), text, "say_function", {"text": text})


def _lowest(fun, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each bracket [a, b], the x where fun is lowest (golden-section search; fun unimodal there)."""
    for _ in range(80):  # the bracket shrinks to GOLDEN**80 ≈ 2e-17 of its width
        c, d = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
        left = fun(c) <= fun(d)
        a, b = np.where(left, a, c), np.where(left, d, b)
    return (a + b) / 2


def _bisected(fun, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Brackets [a, b] where fun changes sign, shrunk by bisection to neighbouring floats."""
    side = np.sign(fun(a))
    for _ in range(100):
        m = (a + b) / 2
        same = np.sign(fun(m)) == side
        a, b = np.where(same, m, a), np.where(same, b, m)
    return a, b


def _violated(xs: np.ndarray, guard, condition: str) -> tuple[float, str] | None:
    """Where a condition of the domain fails on the view and how ('real' or 'finite'), or None: it holds.
    condition: 'positive' (a logarithm's argument, a base with a negative power), 'nonnegative' (a root's
    base) or 'nonzero' (a divisor); checked on the grid and at the lowest point of each dip between."""
    values = guard(xs)
    if np.iscomplexobj(values) or np.isnan(values).any():
        bad = np.flatnonzero(np.iscomplex(values) | np.isnan(values))
        return float(xs[bad[0]]), "real"
    sized = np.abs(values) if condition == "nonzero" else values
    floor = NEAR_ZERO * max(1.0, float(np.max(np.abs(values))))
    dips = np.flatnonzero((sized[1:-1] <= sized[:-2]) & (sized[1:-1] <= sized[2:])) + 1
    near = _lowest(
        lambda x: np.abs(guard(x)) if condition == "nonzero" else guard(x), xs[dips - 1], xs[dips + 1]
    )
    points = np.concatenate([xs, near])
    lows = np.concatenate([sized, np.abs(guard(near)) if condition == "nonzero" else guard(near)])
    crossing = np.flatnonzero(np.sign(values[1:]) * np.sign(values[:-1]) < 0)
    if condition == "nonzero" and len(crossing):
        return float(xs[crossing[0]]), "finite"
    if condition != "nonzero" and (lows < -floor).any():
        return float(points[np.argmax(lows < -floor)]), "real"
    if condition != "nonnegative" and (lows <= floor).any():
        return float(points[np.argmax(lows <= floor)]), "finite"
    return None


def _extrema(xs: np.ndarray, slope, size: float | None = None) -> list[tuple[float, str, bool]]:
    """(x, kind, smooth) where f' changes sign between points of xs: a minimum (− to +) or a maximum (+ to −),
    at the grid's point where f' is 0, else refined by bisection; smooth when f' goes through 0 there
    (within FLAT of `size`, by default its largest size on xs), not at a kink, where it jumps."""
    g = slope(xs)
    keep = np.flatnonzero(np.isfinite(g) & (g != 0))
    signs = np.sign(g[keep])
    change = np.flatnonzero(signs[1:] != signs[:-1])
    if not len(change):
        return []
    a, b = _bisected(slope, xs[keep[change]], xs[keep[change + 1]])
    left, right = keep[change], keep[change + 1]
    at = np.where(right - left > 1, xs[(left + right) // 2], (a + b) / 2)  # a grid point where f' is 0
    step = 1e-12 * (xs[-1] - xs[0])
    jump = np.maximum(np.abs(slope(at - step)), np.abs(slope(at + step)))
    size = float(np.max(np.abs(g[keep]))) if size is None else size
    kinds = np.where(signs[change] < 0, "minimum", "maximum")
    return [(float(x), str(k), bool(j <= FLAT * size)) for x, k, j in zip(at, kinds, jump)]


def _flats(xs: np.ndarray, slope) -> list[tuple[float, str, bool]]:
    """(x, kind, smooth) where f' dips to 0 between grid points of one sign without changing sign on the
    grid: flat where it touches 0; a minimum and a maximum where it crosses 0 twice between two points."""
    g = slope(xs)
    size = np.where(np.isfinite(g), np.abs(g), np.inf)
    s = np.sign(g)
    dip = (
        (size[1:-1] <= size[:-2])
        & (size[1:-1] <= size[2:])
        & ((size[1:-1] < size[:-2]) | (size[1:-1] < size[2:]))
    )
    inner = np.flatnonzero(dip & (s[:-2] * s[2:] > 0) & (s[1:-1] * s[:-2] >= 0)) + 1
    if not len(inner):
        return []
    sign, a, b = s[inner - 1], xs[inner - 1], xs[inner + 1]
    at = _lowest(lambda x: sign * slope(x), a, b)
    low = sign * slope(at)
    scale = FLAT * float(np.max(size[np.isfinite(size)]))
    found = [(float(x), "flat", True) for x, v in zip(at, low) if abs(v) <= scale]
    for k in np.flatnonzero(low < -scale):  # two roots between grid points: a narrow dip below 0
        found += _extrema(np.array([a[k], at[k], b[k]]), slope, scale / FLAT)
    return found
