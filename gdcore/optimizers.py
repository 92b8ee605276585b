"""The three momentum rules, each written once. β = 0 makes every one plain gradient descent.

Each rule is a pure function (x, state, grad_fn, lr, beta) → (new x, new state), in the spirit of optax's
update rules. The state is the velocity v for `classic` and `nesterov` and the averaged gradient m for
`ema`; it starts at zero. EQUATIONS holds the same rules as typeset on screen.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Grad = Callable[[np.ndarray], np.ndarray]


def classic(x, v, grad: Grad, lr: float, beta: float):
    """Heavy ball (Polyak 1964): v ← β·v − α·∇f(x); x ← x + v.

    The velocity remembers a share β of every past step, so steps along a consistent slope grow up to
    1/(1 − β) times the plain gradient step, and steps that flip sign cancel out.

    References: B. T. Polyak, "Some methods of speeding up the convergence of iteration methods", USSR
    Computational Mathematics and Mathematical Physics 4(5), 1964; G. Goh, "Why Momentum Really Works",
    Distill, 2017.

    >>> x, v = classic(np.array([3.0]), np.array([0.0]), lambda x: 2 * x, lr=0.1, beta=0.9)
    >>> x, v                      # v = −0.1·6, x = 3 − 0.6
    (array([2.4]), array([-0.6]))
    >>> classic(x, v, lambda x: 2 * x, lr=0.1, beta=0.9)[1]   # 0.9·(−0.6) − 0.1·4.8
    array([-1.02])
    """
    v = beta * v - lr * grad(x)
    return x + v, v


def ema(x, m, grad: Grad, lr: float, beta: float):
    """Exponentially weighted average of gradients: m ← β·m + (1 − β)·∇f(x); x ← x − α·m.

    Differs from `classic` only by scale: with v = −α·m the heavy ball's push is α·∇f, here it is
    α·(1 − β)·∇f, so for the same α the step along a steady slope is 1 − β times as large (and the
    stable α is 1/(1 − β) times larger). This is the form of PyTorch's dampening and of Adam's first moment.

    >>> ema(np.array([3.0]), np.array([0.0]), lambda x: 2 * x, lr=0.1, beta=0.9)   # m = 0.1·6
    (array([2.94]), array([0.6]))
    """
    m = beta * m + (1.0 - beta) * grad(x)
    return x - lr * m, m


def nesterov(x, v, grad: Grad, lr: float, beta: float):
    """Nesterov's accelerated gradient: v ← β·v − α·∇f(x + β·v); x ← x + v.

    Like `classic`, but the slope is measured at the look-ahead point x + β·v, where momentum is about to
    carry the parameters: a step that would overshoot is braked one step earlier.

    Reference: Y. Nesterov, "A method for solving the convex programming problem with convergence rate
    O(1/k²)", Soviet Mathematics Doklady 27, 1983; I. Sutskever et al., "On the importance of initialization
    and momentum in deep learning", ICML 2013.

    >>> nesterov(np.array([3.0]), np.array([-1.0]), lambda x: 2 * x, lr=0.1, beta=0.5)  # ∇f(3 − 0.5) = 5
    (array([2.]), array([-1.]))
    """
    v = beta * v - lr * grad(x + beta * v)
    return x + v, v


RULES = {"classic": classic, "ema": ema, "nesterov": nesterov}

# The rule as typeset on screen, named after the function that runs it (X: the parameters, F: the loss).
EQUATIONS = {
    "classic": (r"v_{t+1} = \beta\, v_t - \alpha\, \nabla F(X_t)", r"X_{t+1} = X_t + v_{t+1}"),
    "ema": (r"m_{t+1} = \beta\, m_t + (1-\beta)\, \nabla F(X_t)", r"X_{t+1} = X_t - \alpha\, m_{t+1}"),
    "nesterov": (r"v_{t+1} = \beta\, v_t - \alpha\, \nabla F(X_t + \beta\, v_t)", r"X_{t+1} = X_t + v_{t+1}"),
}

# The momentum step of each rule, as labelled on screen and in captions: what `displacement` returns.
DISPLACEMENT_TEX = {"classic": "v", "ema": r"-\alpha m", "nesterov": "v"}
DISPLACEMENT_TEXT = {"classic": "v", "ema": "−α·m", "nesterov": "v"}


def equations(variant: str, param: str = "x", loss: str = "f") -> tuple[str, str]:
    """The LaTeX lines of `variant`'s rule, with the parameter and loss symbols of the lecture.

    >>> equations("classic", r"\\theta", "L")[1]
    '\\\\theta_{t+1} = \\\\theta_t + v_{t+1}'
    """
    return tuple(line.replace("X", param).replace("F", loss) for line in EQUATIONS[variant])


def displacement(variant: str, state: np.ndarray, lr: float) -> np.ndarray:
    """The step the momentum term alone would take, in parameter units: v, or −α·m for ema.

    >>> displacement("ema", np.array([0.5]), lr=0.2)
    array([-0.1])
    """
    return -lr * state if variant == "ema" else state
