"""The theory drawn: one mode's two eigenvalues in the complex plane against the unit circle, moving as β is
swept from 0 to the run's β (after Goh, "Why Momentum Really Works", Distill 2017). What decides how a run
moves is seen there: a complex pair swings, a negative real eigenvalue flips, a positive one creeps, and a
dot outside the circle diverges."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    DashedVMobject,
    Dot,
    Line,
    NumberLine,
    Triangle,
    VGroup,
)

from . import style
from .pieces import math, tick_value


class EigenPlane(VGroup):
    """The complex plane of a mode's eigenvalues at `at` (scene point of 0), `unit` scene units per 1: the
    unit circle (|z| = 1: outside it a run diverges), the real axis, the run's two eigenvalues as dots in
    `colour`, plain gradient descent's (β = 0) as a violet dot, and a β axis below with β_c marked. The sweep
    (`betas`, `eigs` from Lesson.eigen_sweep) is followed by set_beta(b); `rho_circle` is the dashed circle
    |z| = ρ, shown by show_rho()."""

    def __init__(
        self,
        betas: np.ndarray,
        eigs: np.ndarray,
        beta_c: float | None,
        colour: str = style.BALL,
        unit: float = 1.0,
        at: np.ndarray | None = None,
        sign: str = ".",
    ):
        self.betas, self.eigs = np.asarray(betas, dtype=float), np.asarray(eigs, dtype=complex)
        self.colour = colour
        reach = max(1.15, float(np.abs(self.eigs).max()) * 1.08)  # the plane shows every eigenvalue
        self.unit = unit / reach
        self.origin = np.zeros(3) if at is None else np.asarray(at, dtype=float)
        circle = Circle(radius=self.unit, color=style.MUTED, stroke_width=3).move_to(self.origin)
        axis = Line(self.point(-reach), self.point(reach), color=style.MUTED, stroke_width=2)
        imag = Line(self.point(-reach * 1j), self.point(reach * 1j), color=style.MUTED, stroke_width=1.5)
        ones = VGroup(
            *(
                tick_value(text)
                .next_to(self.point(v), side, buff=0.06)
                .shift(DOWN * 0.2)  # outside the circle, under the axis
                for text, v, side in (("1", 1.0, RIGHT), ("-1", -1.0, LEFT))
            )
        )
        self.dots = VGroup(*(Dot(radius=0.09, color=colour) for _ in range(2))).set_z_index(2)
        self.plain = Dot(self.point(self.eigs[0, 0]), radius=0.11, color=style.GHOST).set_z_index(1)
        self.rho_circle = DashedVMobject(
            Circle(radius=self.unit * abs(self.eigs[-1, 0]), color=colour, stroke_width=2.5), num_dashes=40
        ).move_to(self.origin)
        self.rho_circle.set_opacity(0)
        self.axis = self.beta_axis(beta_c, colour, sign)
        super().__init__(circle, axis, imag, ones, self.rho_circle, self.plain, self.dots, self.axis)
        self.set_beta(0.0)

    def point(self, z: complex) -> np.ndarray:
        """The scene point of the complex number z."""
        return self.origin + self.unit * np.array([z.real, z.imag, 0.0])

    def beta_axis(self, beta_c: float | None, colour: str, sign: str) -> VGroup:
        """A β axis from 0 to 1 under the plane, its marker at the β shown, β_c ticked when it is in [0, 1)."""
        line = NumberLine(x_range=[0, 1, 0.5], length=2.2 * self.unit * 1.15, color=style.MUTED)
        line.next_to(self.point(-1.15j), DOWN, buff=0.45)
        name = math(r"\beta", style.LABEL_SIZE, style.TEXT).next_to(line, LEFT, buff=0.15)
        ends = VGroup(
            *(
                tick_value(t).next_to(line.n2p(v), DOWN, buff=0.12)
                for t, v in (("0", 0), ("1", 1))
                if beta_c is None or abs(beta_c - v) > 0.2  # β_c's own label takes its place
            )
        )
        self.marker = Triangle(color=colour, fill_opacity=1, stroke_width=0).scale(0.09).rotate(np.pi)
        self.line = line
        parts = [line, name, ends, self.marker]
        if beta_c is not None and 0 < beta_c < 1:
            tick = Line(line.n2p(beta_c) + 0.14 * UP, line.n2p(beta_c) + 0.14 * DOWN, color=style.TEXT)
            crit = math(r"\beta_c", style.LABEL_SIZE, style.TEXT).next_to(tick, DOWN, buff=0.06)
            self.critical = VGroup(tick, crit)
            parts.append(self.critical)
        else:
            self.critical = None
        return VGroup(*parts)

    def set_beta(self, beta: float) -> EigenPlane:
        """The dots at the eigenvalues for `beta` (interpolated along the sweep), the marker at `beta`."""
        top = self.betas[-1]
        t = 0.0 if top == 0 else float(np.clip(beta / top, 0, 1)) * (len(self.betas) - 1)
        i = min(int(t), len(self.betas) - 2) if len(self.betas) > 1 else 0
        frac = t - i if len(self.betas) > 1 else 0.0
        pair = self.eigs[i] + frac * (self.eigs[min(i + 1, len(self.eigs) - 1)] - self.eigs[i])
        for dot, z in zip(self.dots, pair):
            dot.move_to(self.point(z))
            dot.set_color(style.BAD if abs(z) > 1 + 1e-9 else self.colour)
        self.marker.next_to(self.line.n2p(min(beta, 1.0)), UP, buff=0.02)
        return self

    def show_rho(self) -> None:
        self.rho_circle.set_opacity(1)
