"""Lecture 1: a ball with momentum on f(x) = x²/6. Beats: question, parabola, rule, run, verdict."""
from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, UP, Axes, Create, FadeIn, FadeOut, Mobject, Text, VGroup, Write

from gdcore import theory
from gdcore.optimizers import displacement

from . import style
from .captions import fmt, fmt_param
from .components import LossInset, Readout, StepArrow, ball, label, math
from .lecture import Lecture
from .pacing import Schedule

X_VIEW = 6.5  # the plot shows x in [−6.5, 6.5]; a ball beyond it has left the view
TRAIL = 8  # past positions kept in the fading trail
MAX_ARROW = 3.5  # scene units: a longer arrow is cut here so it stays inside the frame


def plot_axes() -> Axes:
    axes = Axes(x_range=[-X_VIEW, X_VIEW, 1], y_range=[0, 7.2, 1], x_length=7.8, y_length=5.0, tips=False,
                axis_config={"color": style.MUTED, "font_size": style.SMALL_SIZE},
                x_axis_config={"numbers_to_include": range(-6, 7, 2)},
                y_axis_config={"numbers_to_include": range(2, 8, 2)})
    return axes.move_to([-2.95, 0.3, 0])


class ParabolaLecture(Lecture):
    BEATS = ("intro", "show_parabola", "show_rule", "run_balls", "verdict")

    # 1 — title and question
    def intro(self) -> None:
        title = Text(self.words("title"), font=style.FONT, font_size=style.TITLE_SIZE, color=style.TEXT)
        self.play(Write(title), run_time=1.2)
        self.say("question")
        self.hold()
        self.play(FadeOut(title), run_time=0.5)

    # 2 — the parabola, its formula and derivative
    def show_parabola(self) -> None:
        self.axes = plot_axes()
        self.curve = self.axes.plot(lambda x: x * x / 6, x_range=[-X_VIEW, X_VIEW], color=style.CURVE,
                                    stroke_width=4)
        names = VGroup(self.axes.get_x_axis_label(math("x", style.LABEL_SIZE), edge=RIGHT, direction=DOWN),
                       self.axes.get_y_axis_label(math("f(x)", style.LABEL_SIZE), edge=UP, direction=RIGHT))
        formula = math(r"f(x) = \frac{x^2}{6} \qquad f'(x) = \frac{x}{3}")
        self.formula = formula.move_to([style.RIGHT_COLUMN_X, 3.4, 0])
        self.play(Create(self.axes), FadeIn(names), run_time=1.2)
        self.play(Create(self.curve), Write(formula), run_time=1.5)
        self.say("parabola")
        self.hold()

    # 3 — the update rule that is actually run, with α and β as values
    def show_rule(self) -> None:
        self.write_rule(at=(style.RIGHT_COLUMN_X, 2.2), width=5.6)

    # 4 — the run: ball, ghost, arrows, trail, readout, loss inset, all driven by one clock
    def run_balls(self) -> None:
        t, axes = self.traj, self.axes
        n = t.last_step
        schedule = Schedule.for_steps(max(n, 1))
        xs = t.positions[:, 0]
        moves = np.array([displacement(t.variant, s, t.lr)[0] for s in t.states])
        pushes = -t.lr * t.gradients[:, 0]
        unit = axes.x_length / (2 * X_VIEW)  # scene units per unit of x: arrows are drawn to scale

        state_tex = "-\\alpha m" if t.variant == "ema" else "v"
        rows = [("\\text{%s}" % self.words("step"), style.TEXT), ("x", style.BALL), (state_tex, style.VELOCITY),
                ("f(x)", style.TEXT)]
        if self.ghost:
            rows.append(("x_{\\mathrm{GD}}", style.GHOST))
        readout = Readout(rows).move_to([style.RIGHT_COLUMN_X - 0.4, 0.45, 0])
        runs = [(t.losses, style.BALL)] + ([(self.ghost.losses, style.GHOST)] if self.ghost else [])
        inset = LossInset(runs, n, self.words("loss_axis"), self.words("step"), width=4.0)
        inset.move_to([style.RIGHT_COLUMN_X - 0.1, -1.85, 0])

        ghost = ball(style.GHOST, opacity=0.55) if self.ghost else None
        trail = VGroup(*(ball(style.BALL, 0.07, 0.5 * (1 - i / TRAIL)) for i in range(TRAIL)))
        velocity = StepArrow(state_tex, style.VELOCITY)
        push = StepArrow("-\\alpha \\nabla f", style.GRADIENT)
        main = ball()
        escaped = label("", style.LABEL_SIZE, style.BAD)  # where the ball is once it has left the view

        def point(x: float) -> np.ndarray:
            return axes.c2p(x, x * x / 6)

        def place(mob: Mobject, x: float) -> None:
            mob.move_to(point(x)).set_opacity(0 if abs(x) > X_VIEW else mob.opacity)

        for m in [*trail, main] + ([ghost] if ghost else []):
            m.opacity = m.get_fill_opacity()

        def frame(k: int, s: float) -> None:
            nxt = min(k + 1, n)
            x = xs[k] + s * (xs[nxt] - xs[k])
            place(main, x)
            if ghost:
                gx = self.ghost.positions[:, 0]
                j, jn = min(k, len(gx) - 1), min(nxt, len(gx) - 1)
                place(ghost, gx[j] + s * (gx[jn] - gx[j]))
            here = point(x)
            velocity.show(here + UP * 0.42, RIGHT * np.clip(moves[k] * unit, -MAX_ARROW, MAX_ARROW))
            push.show(here + UP * 0.82, RIGHT * np.clip(pushes[k] * unit, -MAX_ARROW, MAX_ARROW))
            if abs(x) > X_VIEW:
                velocity.set_opacity(0), push.set_opacity(0)
            for i, dot in enumerate(trail):
                place(dot, xs[max(k - 1 - i, 0)])
            numbers = [xs[k], moves[k], t.losses[k]]
            if self.ghost:
                numbers.append(self.ghost.positions[min(k, self.ghost.last_step), 0])
            readout.show_numbers(numbers, k)
            if abs(xs[k]) > X_VIEW:
                side = np.sign(xs[k])
                words = f"x = {fmt(xs[k])} →" if side > 0 else f"← x = {fmt(xs[k])}"
                if getattr(escaped, "words", None) != words:
                    escaped.become(label(words, style.LABEL_SIZE, style.BAD)).next_to(
                        axes.c2p(side * X_VIEW, 6.6), -side * RIGHT, buff=0.1)
                    escaped.words = words
            inset.reveal(k + s)

        # Everything that changes is in one layer, added after the static picture.
        still = VGroup(readout.still, inset.still)
        layer = VGroup(readout.moving, inset.moving, trail, *([ghost] if ghost else []), velocity, push, main,
                       escaped)
        legend = ("legend", {"state": state_tex.replace("-\\alpha m", "−α·m")})
        ghost_caption = [("ghost", {"lr": fmt_param(t.lr)})] if self.ghost else []
        self.drive(still, layer, schedule, frame, [legend, *ghost_caption])
        self.readout, self.inset = readout, inset

    # 5 — the verdict from the theory
    def verdict(self) -> None:
        t = self.traj
        rho = fmt(t.convergence_factor)
        crit = theory.critical_beta(t.variant, t.lr, t.problem.curvature)
        if t.diverged:
            lines = [rf"\rho = {rho} > 1", rf"\alpha = {fmt_param(t.lr)} > \alpha_{{\max}} = {fmt_param(t.lr_limit, 4)}"]
        else:
            lines = [rf"\rho = {rho}\ \text{{{self.words('per_step')}}}",
                     rf"\beta = {fmt_param(t.beta)},\ \beta_c = {fmt_param(crit, 4)}"]
        panel = VGroup(self.verdict_head(), *(math(line, style.PANEL_SIZE) for line in lines))
        panel.arrange(DOWN, buff=0.14).move_to(self.rule)
        self.play(FadeOut(self.rule), FadeIn(panel), run_time=0.8)
        self.say_verdict()
        if not t.diverged:
            kind = theory.damping(t.variant, t.lr, t.beta, t.problem.curvature)
            self.say(kind, beta=fmt_param(t.beta), crit=fmt_param(crit, 4))
        self.hold(1.0)
