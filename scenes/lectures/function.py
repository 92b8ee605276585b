"""Lecture 6: a function the teacher types (gdcore's TypedFunction, --scene function --function EXPR). The
parabola lecture's form on any curve: the question over a preview of the race; the race, with SymPy's formula,
the minima and the rule drawn onto it as they are said (scenes.kit.rolling); a verdict whose every sentence draws what it says.
Its story is the one the function's shape calls for (scenes.words.story.function_verdict): one minimum reads
like the parabola, several say where each ball ended, none says where the balls went, and a minimum without
a quadratic model says why no ρ applies."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    BackgroundRectangle,
    Circle,
    Create,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    VGroup,
    VMobject,
)

from gdcore import DISPLACEMENT_TEX, Comparison, Lesson

from ..kit import style
from ..kit.lecture import split_sum
from ..kit.pieces import keep_inside, label, math, near, nice_ticks, tick_value
from ..kit.rolling import RollingComparison, RollingLecture
from ..words import story

# Layout, in frame coordinates (the frame is 14.2 × 8 units, origin at its centre).
PLOT_AT, PLOT_SIZE = (-2.75, 0.45), (7.6, 5.0)
FORMULA_TOP, FORMULA_WIDTH = style.SAFE_TOP - 0.05, 5.2  # f and f' in the right column, from its top
RULE_WIDTH = 5.0
INSET_X, INSET_WIDTH, INSET_HEIGHT = style.RIGHT_COLUMN_X - 0.1, 3.9, 1.55  # its bottom on the caption band
PLANE_AT = (style.RIGHT_COLUMN_X, 2.2)  # the eigenvalues' plane of the verdict, where the rule was
SAMPLES = 601  # points of the view where f is evaluated to frame the picture
HEADROOM = 0.25  # the picture reaches this share of f's range over the points of interest above them
ESCAPE_WIDTH = 3.0  # the width, from the plot's edge, of a marker saying where a ball that left it went
FLOOR = 0.16  # share of the plot's height under the lowest point of the curve: room for a minimum's name
CEILING = 0.12  # share over its highest: room for f(x)'s name and a ball's arrows


def framed(problem, starts) -> tuple[tuple[float, float], tuple[float, float]]:
    """The picture's x range and f range: the starts and every stationary point, widened to a third of the
    view (at least), within the view, and cut where f climbs HEADROOM above the highest of those points (a
    curve that shoots up near the view's edge would flatten the rest); f from a little under its lowest point
    there (room for a name) to a little over its highest (room for the arrows)."""
    points = [*starts, *(s.x for s in problem.stationary())]
    low, high, view = min(points), max(points), (problem.low, problem.high)
    width = max(1.3 * (high - low), (view[1] - view[0]) / 3)
    a = min(max((low + high - width) / 2, view[0]), max(view[1] - width, view[0]))
    xs = np.linspace(a, min(a + width, view[1]), SAMPLES)
    fs = problem.losses(xs[:, None])
    at = problem.losses(np.array(points)[:, None])
    spread = float(at.max() - at.min()) or float(at.max() - fs.min()) or 1.0
    over = fs > at.max() + HEADROOM * spread
    left, right = np.searchsorted(xs, low), np.searchsorted(xs, high, side="right")
    first = int(np.flatnonzero(over[:left])[-1]) + 1 if over[:left].any() else 0
    last = right + int(np.argmax(over[right:])) if over[right:].any() else SAMPLES
    xs, fs = xs[first:last], fs[first:last]
    bottom, top = float(fs.min()), float(fs.max())
    size = max(top - bottom, 1e-9 * max(1.0, abs(top)))
    height = size / (1 - FLOOR - CEILING)  # the plot's range of f
    return (float(xs[0]), float(xs[-1])), (bottom - FLOOR * height, bottom + (1 - FLOOR) * height)


def plot_axes(frame) -> Axes:
    """Axes over the frame's x range, with f's frame scaled to [0, 1] up the y axis (huge and tiny values
    draw alike): the x axis runs along the bottom of the picture, under the curve (the lecture hides the y
    axis: f has its own scale)."""
    (a, b), _ = frame
    axes = Axes(
        x_range=[a, b, b - a],
        y_range=[0, 1, 1],
        x_length=PLOT_SIZE[0],
        y_length=PLOT_SIZE[1],
        tips=False,
        axis_config={"color": style.MUTED, "include_ticks": False},
    )
    return axes.move_to([*PLOT_AT, 0])


class FunctionPicture:
    """What the function lecture and its comparison share (mixed in before the kit's Rolling…): the curve of the
    typed function over its frame with its minima marked, SymPy's formula, the loss above each run's
    minimum, and the verdict's pictures for its own kinds of sentence."""

    TITLE = "fn_title"
    inset = None  # no minimum: nothing to measure a loss above

    def setup(self) -> None:
        super().setup()
        p = self.subject.problem
        self.frame = framed(p, [float(one.run.positions[0, 0]) for one in self.subject.lessons])
        self.f = lambda x: self.height(p.loss(np.array([np.clip(x, *self.frame[0])])))  # beyond: hidden balls

    def height(self, f):
        """Where a value of f is drawn up the plot: its share of the frame's range of f."""
        low, top = self.frame[1]
        return (f - low) / (top - low)

    def draw_plot(self) -> None:
        """The axes (an L: x along the bottom, a bare line up the left), the curve, its minima marked."""
        self.axes = axes = plot_axes(self.frame)
        (a, b), _ = self.frame
        self.plot = axes.plot(self.f, x_range=[a, b, (b - a) / 400], color=style.CURVE, stroke_width=4)
        self.plot.use_smoothing = False
        side = Line(axes.c2p(a, 0), axes.c2p(a, axes.y_range[1]), color=style.MUTED, stroke_width=2)
        x = math("x", style.LABEL_SIZE).next_to(axes.x_axis.get_right(), DOWN, buff=0.18)
        x.align_to(axes.x_axis.get_right(), RIGHT)  # in the numbers' row: beyond, the loss plot's numbers are
        names = VGroup(
            x,
            math(self.subject.problem.loss_tex, style.LABEL_SIZE).next_to(side.get_top(), RIGHT, buff=0.2),
        )
        self.minima_shown = self.minima_marks()
        self.play(
            Create(VGroup(axes.x_axis, side, self.x_numbers(x))),
            Create(self.plot),
            FadeIn(names),
            FadeIn(self.minima_shown),
            run_time=1.0,
        )

    def x_numbers(self, name) -> VGroup:
        """Round values under the x axis, with their ticks, in the language's decimal sign (none that would
        touch the axis's `name`)."""
        axes, (a, b) = self.axes, self.frame[0]
        marks = VGroup()
        for v in nice_ticks(a, b, most=5):
            at = axes.c2p(v, 0)
            value = tick_value(self.number(f"{v:g}", tex=True)).next_to(at, DOWN, buff=0.18)
            if not near(value, name, 0.15):
                marks.add(Line(at + 0.08 * UP, at + 0.08 * DOWN, color=style.MUTED, stroke_width=2), value)
        return marks

    def minima_marks(self) -> VGroup:
        """A dot on each minimum in the frame (a ring on each maximum and flat point), and each minimum's
        name under it where it touches neither the curve nor another name."""
        p, axes, (a, b) = self.subject.problem, self.axes, self.frame[0]
        dots, names = VGroup(), VGroup()
        self.minimum_dots = {}
        for s in p.stationary():
            if not a <= s.x <= b:
                continue
            at = axes.c2p(s.x, self.f(s.x))
            if s.kind != "minimum":
                dots.add(Circle(radius=0.07, color=style.MUTED, stroke_width=2).move_to(at))
                continue
            self.minimum_dots[s.x] = dot = Dot(at, color=style.TEXT, radius=0.07)
            dots.add(dot)
            name = self.minimum_label(next(n for x, _, n in p.minima() if x == s.x))
            for side in (DOWN, UP):  # under the dot, else over it
                if self.clear(name.next_to(at, side, buff=0.3), names):
                    names.add(name)
                    break
        return VGroup(dots, names)

    def minimum_label(self, name: str):
        """A minimum's name on the plot (minimum_words)."""
        return label(self.minimum_words(name), style.SMALL_SIZE, style.TEXT)

    def minimum_words(self, name: str) -> str:
        """'global minimum', 'local minimum 2': a minimum's name (gdcore's label) in the language."""
        kind, _, n = name.partition(" ")
        return f"{self.words(f'fn_{kind}')} {n}".strip()

    def clear(self, name, others: VGroup) -> bool:
        """Whether a name under a minimum is inside the plot, above its x axis, off the curve and apart from
        the other names."""
        axes = self.axes
        (a, b), low = self.frame[0], axes.x_axis.get_y() + 0.1
        xs = np.linspace(a, b, 400)
        curve = np.array([axes.c2p(x, self.f(x)) for x in xs])
        box = (name.get_corner(DOWN + LEFT), name.get_corner(UP + RIGHT))
        hit = np.any(
            np.all((curve[:, :2] >= box[0][:2] - 0.05) & (curve[:, :2] <= box[1][:2] + 0.05), axis=1)
        )
        inside = axes.x_axis.get_left()[0] <= box[0][0] and box[1][0] <= axes.x_axis.get_right()[0]
        apart = not any(near(name, o, 0.1) for o in others) and not self.in_escape_band(box)
        return inside and box[0][1] > low and not hit and apart

    def in_escape_band(self, box) -> bool:
        """Whether a box is where the marker of a ball that leaves the frame on that side is written (low
        by the plot's edge, a row per ball: BallOnCurve.mark_escape)."""
        (a, b), axis = self.frame[0], self.axes.x_axis
        runs = story.function_runs(self.subject)
        xs = np.concatenate([t.positions[:, 0] for _, _, t in runs])
        top = axis.get_y() + 0.27 + 0.32 * len(runs) + 0.25
        left = np.nanmin(xs) < a and box[0][0] < axis.get_left()[0] + ESCAPE_WIDTH
        right = np.nanmax(xs) > b and box[1][0] > axis.get_right()[0] - ESCAPE_WIDTH
        return box[0][1] < top and (left or right)

    def formula_cue(self) -> tuple:
        """The function's caption, f and f' written (SymPy's TeX, each line broken at its sums if need be) as
        it is read."""
        p = self.subject.problem
        lines = [rf"{p.loss_tex} = {p.formula.tex}", rf"{p.grad_tex} = {p.derivative.tex}"]
        self.formulas = VGroup(*(self.formula_line(tex) for tex in lines))
        self.formulas.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.formulas.scale_to_fit_width(min(self.formulas.width, FORMULA_WIDTH))
        self.formulas.move_to([style.RIGHT_COLUMN_X, 0, 0]).align_to([0, FORMULA_TOP, 0], UP)
        return "fn_formula", {}, lambda: self.play(Create(self.formulas), run_time=2.0)

    def formula_line(self, tex: str) -> VGroup:
        """One formula, broken before a + or − outside brackets while it is wider than the column."""
        parts, rest = [], self.number(tex, tex=True)
        while (cut := split_sum(rest)) and math(rest, style.PANEL_SIZE).width > FORMULA_WIDTH:
            parts.append(cut[0])
            rest = r"\quad " + cut[1]
        lines = [math(part, style.PANEL_SIZE) for part in [*parts, rest]]
        return VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    def rule_group(self, at, width, size=style.PANEL_SIZE) -> VGroup:
        """The rule under the formulas, however many lines they took."""
        rule = super().rule_group(at, width, size)
        return rule.next_to(self.formulas, DOWN, buff=0.35)

    def run_lines(self, schedule) -> list:
        """The run's event captions, with a typed function's own: a ball leaving the view, a step off f."""
        return story.function_events(self.subject, super().run_lines(schedule))

    def run_balls(self) -> None:
        """The race: the balls on the curve, and each run's loss above the minimum its end reads (none when
        the view has no minimum)."""
        p, runs = self.subject.problem, story.function_runs(self.subject)
        if p.minima():
            gaps = [
                (np.maximum(t.losses - p.end(t, who)["minimum"]["f"], 0.0), self.colour_of(who))
                for _, who, t in runs
            ]
            self.inset = self.loss_inset(INSET_X, gaps, "fn_loss_axis", INSET_WIDTH, INSET_HEIGHT)
        pieces = [*([self.inset] if self.inset else []), *self.racers]
        self.drive(pieces, self.run_cues(), shown=self.racers)

    def colour_of(self, who: str) -> str:
        """The colour of a run by its name in the claims: a comparison's label, or momentum and plain."""
        if isinstance(self.subject, Comparison):
            return style.RUNS[[self.subject.label(i) for i in range(len(self.subject.values))].index(who)]
        return style.GHOST if who == "plain" else style.BALL

    def ball_of(self, who: str):
        """The ball of a run by its name in the claims."""
        if isinstance(self.subject, Comparison):
            return self.racers[[self.subject.label(i) for i in range(len(self.subject.values))].index(who)]
        return self.others[0] if who == "plain" and self.others else self.ball

    def picture(self, said: story.Line) -> None:
        """What a verdict sentence of the function lecture draws: the curve for "no minimum"; at a minimum, the
        reason no ρ applies; for a rate, the kit's ρ envelope and the quadratic model it comes from; for a
        sentence about where runs ended, their balls (or markers) and minima light up and their marks appear
        (a comparison with a loss plot: the kit's, table row included); the kit's pictures for the rest."""
        key, kinds = said.key, {claim["claim"] for claim in said.claims}
        ends = [c for c in said.claims if c["claim"] in ("end", "plain_end")]
        if "minima" in kinds:
            self.play(Indicate(self.plot, color=style.TEXT, scale_factor=1.0), run_time=self.draw_time)
        elif key.startswith("fn_shape_"):
            self.play(FadeIn(self.shape_sign(ends[0])), *self.lit(ends), run_time=self.draw_time)
        elif key == "fn_converged":
            self.play(*self.lit(ends), run_time=1.0)
            super().picture(said)
            self.play(Create(self.model_curve(ends[0])), run_time=1.0)
        elif key.startswith("fn_race_where"):
            self.sweep(self.racers, (0, self.race_end()), self.draw_time)
            self.play(*self.lit(ends), *self.settled_marks(ends), run_time=1.0)
        elif ends and (self.inset is None or not isinstance(self.subject, Comparison)):
            self.play(*self.lit(ends), *self.settled_marks(ends), run_time=self.draw_time)
        else:
            super().picture(said)

    def race_end(self) -> int:
        """The step a replay of the race goes to: a little past the last step at which a ball settled."""
        steps = [t.converged_at or 0 for _, _, t in story.function_runs(self.subject)]
        return min(max(steps) + 3, max(t.last_step for _, _, t in story.function_runs(self.subject)))

    def lit(self, ends: list[dict]) -> list:
        """Indicates of the runs' balls (or of their markers, for a ball beyond the frame) and of the minima
        their ends read."""
        shown = []
        for end in ends:
            ball = self.ball_of(end["run"])
            gone = ball.escape is not None and ball.escaped_text is not None
            shown.append(Indicate(ball.escape if gone else ball.ball, scale_factor=1.4))
            m = end["minimum"]
            if m is not None and m["x"] in self.minimum_dots and not gone:
                shown.append(Indicate(self.minimum_dots[m["x"]], scale_factor=2.0))
        return shown

    def settled_marks(self, ends: list[dict]) -> list:
        """FadeIns of the marks, on the loss plot, of where these runs settled or diverged (none without it)."""
        found = []
        for end in ends if self.inset is not None else []:
            runs = story.function_runs(self.subject)
            i = [who for _, who, _ in runs].index(end["run"])
            traj = runs[i][2]
            step = traj.diverged_at if traj.diverged else traj.converged_at
            if step is not None and step > 0:
                colour = style.BAD if traj.diverged else self.colour_of(end["run"])
                found.append(FadeIn(self.inset.mark(i, min(step, traj.last_step), colour)))
        return found

    def shape_sign(self, end: dict) -> VGroup:
        """At the minimum an end reads, what f does there in a formula: f'' = 0, f' jumps, f'' → ∞."""
        m = end["minimum"]
        tex = {"flat": r"f''(x) = 0", "kink": r"f'(x)\ \mathrm{jumps}", "steep": r"f''(x) \to \infty"}
        sign = math(tex[m["shape"]], style.LABEL_SIZE, style.TEXT)
        sign.next_to(self.axes.c2p(m["x"], self.f(m["x"])), UP, buff=0.75)
        for arrow in (a for ball in self.racers for _, a in getattr(ball, "arrows", ())):
            if arrow.text.get_fill_opacity() > 0 and near(sign, arrow, 0.15):
                sign.next_to(arrow, UP, buff=0.2)  # above a ball's arrows, which stay while it creeps
        keep_inside(sign)
        return VGroup(BackgroundRectangle(sign, color=style.BACKGROUND, fill_opacity=0.85, buff=0.05), sign)

    def model_curve(self, end: dict) -> VMobject:
        """The quadratic model the rate ρ comes from: f(x*) + f''(x*)·(x − x*)²/2, dashed, where it stays in
        the picture."""
        m, ((a, b), (_, top)) = end["minimum"], self.frame
        xs = np.linspace(a, b, 200)
        ys = m["f"] + m["curvature"] * (xs - m["x"]) ** 2 / 2
        keep = ys <= top
        points = [self.axes.c2p(x, self.height(y)) for x, y in zip(xs[keep], ys[keep])]
        line = VMobject(stroke_color=style.TEXT, stroke_width=2.5).set_points_as_corners(points)
        return DashedVMobject(line, num_dashes=30)

    def verdict_start(self, shown) -> None:
        """The formulas and the rule make way for `shown` (the verdict's head or table)."""
        self.play(FadeOut(self.formulas), FadeOut(self.rule), FadeIn(shown), run_time=0.8)
        self.plane_at = PLANE_AT


class FunctionLecture(FunctionPicture, RollingLecture):
    """A ball with momentum and plain gradient descent's on the teacher's function: the parabola lecture's
    beats, its story the one the function's shape calls for."""

    TEACHES = Lesson

    def set_stage(self) -> None:
        """The curve with its minima, and the balls at their start."""
        self.draw_plot()
        lesson = self.lesson
        ahead = lesson.lookahead[:, 0] if lesson.lookahead is not None else None
        ghost = lesson.baseline.positions[:, 0] if lesson.baseline else None
        state = DISPLACEMENT_TEX[lesson.params["variant"]]
        self.ball, self.others = self.run_balls_of(self.f, state, ahead, ghost)
        self.ball.arrows_on = False
        self.bring_balls([*self.others, self.ball])

    def verdict(self) -> None:
        head = self.verdict_head().move_to([style.RIGHT_COLUMN_X, style.SAFE_TOP - 0.25, 0])
        self.verdict_start(keep_inside(head))
        self.say_drawn(story.function_verdict(self.subject))


class FunctionComparison(FunctionPicture, RollingComparison):
    """The function lecture for 2 to 5 runs that differ in one hyperparameter: one ball per run on the curve,
    their losses on one plot, and a table of where and when each ended that each sentence points at."""

    TEACHES = Comparison

    def set_stage(self) -> None:
        self.draw_plot()
        self.bring_balls(self.balls(self.axes, self.f))

    def verdict(self) -> None:
        def minimum(one) -> str:
            m = one.problem.end(one.run, "")["minimum"]
            settled = one.run.converged_at is not None
            return self.minimum_words(m["label"]).replace(" ", "\n", 1) if settled and m else "—"

        columns = [("fn_ended", minimum), ("settled_at", self.settled_cell)]
        self.table = self.verdict_table(width=2 * (style.SAFE_RIGHT - style.RIGHT_COLUMN_X), columns=columns)
        self.table.move_to([style.RIGHT_COLUMN_X, 0, 0]).align_to([0, style.SAFE_TOP - 0.1, 0], UP)
        self.verdict_start(self.table)
        self.say_drawn(story.function_verdict(self.subject))
