"""The three momentum rules, each written once. β = 0 makes every one plain gradient descent.

Each rule maps (x, state, grad_fn, lr, beta) to (new x, new state). The state is the velocity v for
`classic` and `nesterov` and the averaged gradient m for `ema`; it starts at zero.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

Grad = Callable[[np.ndarray], np.ndarray]


def classic(x, v, grad: Grad, lr: float, beta: float):
    """Heavy ball: v ← β·v − α·∇f(x); x ← x + v."""
    v = beta * v - lr * grad(x)
    return x + v, v


def ema(x, m, grad: Grad, lr: float, beta: float):
    """Exponentially weighted average of gradients: m ← β·m + (1 − β)·∇f(x); x ← x − α·m."""
    m = beta * m + (1.0 - beta) * grad(x)
    return x - lr * m, m


def nesterov(x, v, grad: Grad, lr: float, beta: float):
    """Nesterov: v ← β·v − α·∇f(x + β·v); x ← x + v."""
    v = beta * v - lr * grad(x + beta * v)
    return x + v, v


RULES = {"classic": classic, "ema": ema, "nesterov": nesterov}

# The rule as typeset on screen, named after the function that runs it (X: the parameters, F: the loss).
EQUATIONS = {
    "classic": (r"v_{t+1} = \beta\, v_t - \alpha\, \nabla F(X_t)", r"X_{t+1} = X_t + v_{t+1}"),
    "ema": (r"m_{t+1} = \beta\, m_t + (1-\beta)\, \nabla F(X_t)", r"X_{t+1} = X_t - \alpha\, m_{t+1}"),
    "nesterov": (r"v_{t+1} = \beta\, v_t - \alpha\, \nabla F(X_t + \beta\, v_t)", r"X_{t+1} = X_t + v_{t+1}"),
}


def equations(variant: str, param: str = "x", loss: str = "f") -> tuple[str, str]:
    """The LaTeX lines of `variant`'s rule, with the parameter and loss symbols of the lecture."""
    return tuple(line.replace("X", param).replace("F", loss) for line in EQUATIONS[variant])


def displacement(variant: str, state: np.ndarray, lr: float) -> np.ndarray:
    """The step the momentum term alone would take, in parameter units: v, or −α·m for ema."""
    return -lr * state if variant == "ema" else state
