"""A function of x typed by a teacher, read into a SymPy expression without evaluating the text.

Python's own parser reads the text into a tree (ast.parse in 'eval' mode builds a tree and runs nothing), and
the tree is walked: numbers, x, pi, e, + - * / ** (^ is read as **), a sign and the FUNCTIONS below with one
argument each are allowed; anything else is refused with its column. The work is bounded: at most MAX_LENGTH
characters and MAX_DEPTH levels of nesting, constant exponents at most MAX_EXPONENT in size, and every
constant part (a number, or a part without x) at most MAX_CONSTANT in size, checked before SymPy computes the
next step (9**9**9 is refused, never computed). SymPy is imported here only, and only when a text is read.
"""

from __future__ import annotations

import ast
import functools
import math
import re

MAX_LENGTH = 200  # characters
MAX_DEPTH = 30  # levels of the tree: sums, products, powers and calls inside one another
MAX_EXPONENT = 1000  # a constant exponent's size
MAX_CONSTANT = 1e100  # a constant's size: SymPy computes with constants this large in no time
FUNCTIONS = ("abs", "atan", "cos", "cosh", "exp", "log", "sin", "sinh", "sqrt", "tan", "tanh")
ALLOWED = "numbers, x, pi, e, + - * / ** (or ^), parentheses and " + ", ".join(FUNCTIONS)
OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
DECIMAL = re.compile(r"(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")  # 12, 0.5, .5, 6e-3: not 0x10, 1_0 or 1j


class ExpressionError(ValueError):
    """A text that is not an allowed function of x; the message says why in a line (with a column)."""


@functools.cache
def sympy():
    """The SymPy module, the real symbol x, the names and the functions a text may use."""
    import sympy as sp

    x = sp.Symbol("x", real=True)
    functions = {name: getattr(sp, name) for name in FUNCTIONS if name not in ("abs",)}
    return sp, x, {"x": x, "pi": sp.pi, "e": sp.E}, {**functions, "abs": sp.Abs}


@functools.lru_cache(maxsize=128)
def parse(text: str):
    """The SymPy expression of `text`, a function of the real symbol x (ExpressionError: why not).

    >>> parse("x^4/4 - x**2 + 0.3*x")
    x**4/4 - x**2 + 0.3*x
    """
    source = text.strip()
    if not source:
        raise ExpressionError(f"it is empty: type a function of x, such as x**2/2 ({ALLOWED})")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"it is {len(source)} characters long: at most {MAX_LENGTH}")
    bad = next((i for i, c in enumerate(source) if not (c.isascii() and c.isprintable())), None)
    if bad is not None:
        raise ExpressionError(
            f"the character {source[bad]!r} at column {bad + 1} is not allowed (allowed: {ALLOWED})"
        )
    if "#" in source:  # Python's parser would skip the rest as a comment, and it would be kept as typed
        raise ExpressionError(f"'#' at column {source.index('#') + 1} is not allowed (allowed: {ALLOWED})")
    parsed = source.replace("^", "**")  # a power as teachers write it, with the precedence of **
    try:
        tree = ast.parse(parsed, mode="eval")
    except SyntaxError as err:  # offset 0: the text ended too soon
        at = column(source, err.offset) if err.offset else len(source) + 1
        end = " (the end)" if at > len(source) else ""
        raise ExpressionError(f"syntax error at column {at}{end}: {err.msg}") from None
    expr = Reader(source, parsed).read(tree.body, 1)
    if sympy()[1] not in expr.free_symbols:
        raise ExpressionError("it does not depend on x: every point would be a minimum")
    return expr


def column(source: str, offset: int) -> int:
    """The column (from 1) in `source` of column `offset` of the text parsed, where each ^ became **."""
    parsed = 0
    for i, c in enumerate(source):
        parsed += 2 if c == "^" else 1
        if parsed >= offset:
            return i + 1
    return len(source) + 1


class Reader:
    """Walks the tree of one text, building its SymPy expression part by part (each part checked)."""

    def __init__(self, source: str, parsed: str):
        self.source, self.parsed = source, parsed

    def where(self, node: ast.AST) -> str:
        """'x**x' at column 3: the node's text and where it starts in what was typed."""
        return f"{ast.get_source_segment(self.parsed, node)!r} at column {column(self.source, node.col_offset + 1)}"

    def read(self, node: ast.AST, depth: int):
        """The expression of `node`, `depth` levels down the tree."""
        sp, _, names, _ = sympy()
        if depth > MAX_DEPTH:
            raise ExpressionError(f"it is nested too deeply (more than {MAX_DEPTH} levels)")
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            if not DECIMAL.fullmatch(ast.get_source_segment(self.parsed, node)):
                raise ExpressionError(f"{self.where(node)} is not a plain decimal number")
            number = sp.Integer(node.value) if isinstance(node.value, int) else sp.Float(node.value)
            return self.bounded(number, node)
        if isinstance(node, ast.Name) and node.id in names:
            return names[node.id]
        if isinstance(node, ast.Name):
            raise ExpressionError(f"unknown name {self.where(node)} (allowed: {ALLOWED})")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = self.read(node.operand, depth + 1)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp) and isinstance(node.op, OPERATORS):
            left, right = self.read(node.left, depth + 1), self.read(node.right, depth + 1)
            return self.bounded(self.combined(node, left, right), node)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Attribute):
            raise ExpressionError(f"attribute access is not allowed: {self.where(node)} (allowed: {ALLOWED})")
        raise ExpressionError(f"{self.where(node)} is not allowed (allowed: {ALLOWED})")

    def combined(self, node: ast.BinOp, left, right):
        """left (op) right; a power's size is checked before SymPy computes it."""
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
        if not right.free_symbols:
            power = float(right)  # bounded: every constant part is
            if abs(power) > MAX_EXPONENT:
                raise ExpressionError(
                    f"the exponent of {self.where(node)} is too large (at most {MAX_EXPONENT})"
                )
            size = abs(complex(left)) if not left.free_symbols else 1.0
            if size > 0 and power * math.log10(size) > math.log10(MAX_CONSTANT):
                raise ExpressionError(
                    f"{self.where(node)} is too large (constants are at most {MAX_CONSTANT:g})"
                )
        return left**right

    def call(self, node: ast.Call, depth: int):
        """The allowed function of one argument that `node` calls."""
        functions = sympy()[3]
        if isinstance(node.func, ast.Attribute):
            raise ExpressionError(
                f"attribute access is not allowed: {self.where(node.func)} (allowed: {ALLOWED})"
            )
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in functions:
            raise ExpressionError(f"unknown function {self.where(node.func)} (allowed: {ALLOWED})")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(f"{self.where(node)}: {name} takes one argument")
        return self.bounded(functions[name](self.read(node.args[0], depth + 1)), node)

    def bounded(self, value, node: ast.AST):
        """`value` if it depends on x or is a finite real number at most MAX_CONSTANT in size."""
        sp = sympy()[0]
        if value.free_symbols:
            return value
        if value.has(sp.zoo, sp.oo, -sp.oo, sp.nan):
            why = (
                "too large" if isinstance(node, ast.Constant) else "not a finite number (a division by zero?)"
            )
            raise ExpressionError(f"{self.where(node)} is {why}")
        real, imaginary = value.evalf(20).as_real_imag()
        if imaginary != 0:
            raise ExpressionError(f"{self.where(node)} is not a real number")
        if abs(real) > MAX_CONSTANT:
            raise ExpressionError(f"{self.where(node)} is too large (constants are at most {MAX_CONSTANT:g})")
        return value


def caption(expr) -> str:
    """The expression as a caption writes it: x⁴/4 − x² + 0.3·x.

    >>> caption(parse("x^4/4 - x**2 + 0.3*x")), caption(parse("abs(x)**1.5 - e**x"))
    ('x⁴/4 − x² + 0.3·x', '−exp(x) + abs(x)^1.5')
    """
    text = sympy()[0].sstr(expr)
    text = re.sub(r"\*\*(\d+)(?![\d.])", lambda m: m.group(1).translate(SUPERSCRIPT), text)
    text = text.replace("**", "^").replace("*", "·").replace(" - ", " − ").replace("Abs(", "abs(")
    text = re.sub(r"\bpi\b", "π", re.sub(r"\bE\b", "e", text))
    return "−" + text[1:] if text.startswith("-") else text


def tex(expr) -> str:
    """The expression in LaTeX, written by SymPy from the tree (never from the text typed)."""
    return sympy()[0].latex(expr)


def derivatives(expr) -> tuple:
    """f' and f'' by SymPy; f'' without the Dirac deltas of a kink (|x|'' is 0 away from 0, undefined at it)."""
    sp, x, _, _ = sympy()
    first = sp.diff(expr, x)
    return first, sp.diff(first, x).replace(sp.DiracDelta, lambda *args: sp.S.Zero)


def numeric(expr):
    """The expression as a NumPy function of an array of x, giving an array of floats of its shape."""
    import numpy as np

    sp, x, _, _ = sympy()
    function = sp.lambdify(x, expr, modules="numpy")  # generated from the tree built here, not the text

    def evaluate(xs: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):  # not finite or not real: the caller checks
            values = np.broadcast_to(function(xs), np.shape(xs))
        return np.array(values, dtype=complex if np.iscomplexobj(values) else float)

    return evaluate


def guards(expr) -> list[tuple]:
    """Where the expression is real and finite: (part, 'positive' | 'nonnegative' | 'nonzero') for each
    logarithm's argument, root's or power's base, divisor and tangent's cosine in it."""
    sp = sympy()[0]
    found = []
    for part in sp.preorder_traversal(expr):
        if isinstance(part, sp.log):
            found.append((part.args[0], "positive"))
        elif isinstance(part, sp.tan):
            found.append((sp.cos(part.args[0]), "nonzero"))
        elif part.is_Pow:
            base, power = part.args
            whole = not power.free_symbols and float(power).is_integer()
            if power.free_symbols or (not whole and power < 0):
                found.append((base, "positive"))
            elif not whole:
                found.append((base, "nonnegative"))
            elif power < 0:
                found.append((base, "nonzero"))
    return list(dict.fromkeys(found))  # each once
