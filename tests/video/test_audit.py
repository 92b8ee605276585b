"""The layout audit: it finds each kind of problem on small scenes placed by hand (the truth is where the
things were put), its report and exit status, and the lectures over a matrix of parameter sets."""

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from manim import DOWN, LEFT, RIGHT, UP, Axes, DecimalNumber, Line, Scene, Text

from scenes.kit import audit, style
from scenes.kit.pieces import BallOnCurve, Readout, caption_bar, curve, label
from scenes.lectures.parabola import plot_axes

ROOT = Path(__file__).resolve().parents[2]


def found(*mobjects, bar=None) -> list[dict]:
    """The geometric problems the audit finds in a scene holding `mobjects` (and caption `bar`)."""
    scene = Scene()
    scene.bar = bar
    scene.add(*mobjects, *([bar] if bar is not None else []))
    layout = audit.Layout(scene)
    return [
        p
        for find in (audit.text_problems, audit.outside_problems, audit.hidden_problems)
        for p in find(layout, "beat", 3)
    ]


def kinds(problems) -> set[str]:
    return {p["kind"] for p in problems}


def test_text_touching_text_is_an_overlap_and_text_apart_is_not():
    a, b = label("Gradient"), label("descent")
    b.next_to(a, RIGHT, buff=-0.1)  # 0.1 units into the first
    problems = found(a, b)
    assert kinds(problems) == {"overlap"}
    assert problems[0]["texts"] == ["Gradient", "descent"] and problems[0]["beat"] == "beat"
    assert problems[0]["step"] == 3
    b.next_to(a, RIGHT, buff=0.3)
    assert found(a, b) == []


def test_a_line_through_a_label_crosses_it_and_a_line_beside_it_does_not():
    words = label("local minimum").move_to([1, 1, 0])
    through = Line([-2, 1, 0], [4, 1.02, 0], color=style.MUTED)
    assert kinds(found(words, through)) == {"crossed"}
    beside = Line([-2, 1.5, 0], [4, 1.5, 0], color=style.MUTED)  # 0.35 units above its top
    assert found(words, beside) == []
    # a straight line has its points (Bézier anchors) only at its ends, both outside the box: the segment counts
    corner = words.get_corner(DOWN + LEFT)
    diagonal = Line(corner + [-0.5, -0.5, 0], words.get_corner(UP + RIGHT) + [0.5, 0.5, 0])
    assert kinds(found(words, diagonal)) == {"crossed"}
    past = Line(corner + [-0.6, 0.1, 0], corner + [0.1, -0.6, 0])  # cuts past the corner, outside the box
    assert found(words, past) == []


def test_text_beyond_the_safe_margin_or_in_the_caption_band_is_outside():
    width, height = 14.222, 8.0
    edge = label("edge").move_to([width / 2 - 0.2, 0, 0])  # inside the frame, not inside its 3 % margin
    assert kinds(found(edge)) == {"outside"}
    low = label("low").move_to([0, style.CAPTION_Y, 0])  # where the captions go
    assert "caption band" in found(low)[0]["detail"]
    inside = label("inside").move_to([width / 2 - 0.03 * width - 0.6, height / 2 - 0.03 * height - 0.3, 0])
    assert found(inside) == []
    assert found(bar=caption_bar("A caption of one line.")) == []  # the captions' own place


def test_small_text_is_too_small_and_tick_numbers_have_their_own_threshold():
    assert kinds(found(label("tiny", 16))) == {"too_small"}
    assert found(label("readable", 26)) == []
    # the truth: a capital H of that font, measured
    h = Text("H", font=style.FONT, font_size=16).height
    assert found(label("tiny", 16))[0]["detail"].startswith(f"capital height {h / 8:.1%}")
    axes = Axes(
        x_range=[0, 4, 1],
        y_range=[0, 1, 1],
        x_length=4,
        y_length=2,
        tips=False,
        x_axis_config={"include_numbers": True, "font_size": 20},
    )
    assert kinds(found(axes)) == {"too_small"}  # 20-point tick numbers: a capital of 1.7 % of the frame
    numbers = Axes(
        x_range=[0, 4, 1],
        y_range=[0, 1, 1],
        x_length=4,
        y_length=2,
        tips=False,
        x_axis_config={"include_numbers": True, "font_size": style.TICK_SIZE},
    )
    assert found(numbers) == []
    assert (
        found(DecimalNumber(3, num_decimal_places=0, font_size=style.TICK_SIZE)) != []
    )  # a number, not a tick


def test_a_ball_covering_another_runs_ball_hides_it_and_a_ring_around_it_does_not():
    axes = plot_axes(curve_problem())
    f = curve(curve_problem())
    small = BallOnCurve(axes, f, np.array([1.0]), style.RUNS[1], radius=0.12)
    big = BallOnCurve(axes, f, np.array([1.0]), style.RUNS[0], radius=0.2)
    for piece in (small, big):
        piece.set_step(0)
    problems = [p for p in found(axes, small, big) if p["kind"] == "hidden"]
    assert [p["texts"] for p in problems] == [[f"ball {style.RUNS[1]}", f"ball {style.RUNS[0]}"]]
    assert not [p for p in found(axes, big, small) if p["kind"] == "hidden"]  # the small one on top
    apart = BallOnCurve(axes, f, np.array([3.0]), style.RUNS[0], radius=0.2)
    apart.set_step(0)
    assert not [p for p in found(axes, small, apart) if p["kind"] == "hidden"]


def curve_problem():
    from gdcore import lesson

    return lesson("parabola").problem


def test_captions_held_too_long_or_too_short_are_reported():
    beats = {"intro": 0.0, "run": 10.0, "clock": 11.0}
    line = "x" * 51  # 3 s to read at 17 characters a second
    cues = [[0.0, 2.0, line], [2.0, 5.5, line], [12.0, 25.0, line]]
    problems = audit.caption_problems(cues, beats)
    assert [(p["kind"], p["beat"]) for p in problems] == [("fast_caption", "intro"), ("slow_caption", "run")]
    assert all(p["caption"] for p in problems)


def test_a_readouts_values_are_text_even_drawn_without_their_readout():
    readout = Readout([("x", style.TEXT)])
    readout.show(["123.4567"])
    words = label("loss").next_to(readout.values[0], RIGHT, buff=-0.2)  # into the value's last digits
    # a lecture's moving layer holds the values alone (their names are drawn once, elsewhere)
    assert [p["texts"] for p in found(readout.values, words) if p["kind"] == "overlap"] == [
        ["readout value", "loss"]
    ]
    words.next_to(readout.values[0], RIGHT, buff=0.3)
    assert not [p for p in found(readout.values, words) if p["kind"] == "overlap"]


def test_segments_cross_boxes_as_geometry_says():
    box = np.array([0.0, 0.0, 1.0, 1.0])
    cross = np.array([[[-1, 0.5], [2, 0.5]]], dtype=float)
    miss = np.array([[[-1, 1.5], [2, 1.5]], [[2, -1], [2, 3]]], dtype=float)
    vertical = np.array([[[0.5, -1], [0.5, 2]]], dtype=float)
    assert audit.crossing(cross, box) and audit.crossing(vertical, box) and not audit.crossing(miss, box)


def test_the_command_prints_one_json_object_and_says_so_in_its_exit_status():
    runner = CliRunner()
    bad = runner.invoke(audit.command(), ["--scene", "parabola", "--lr", "abc"])
    assert bad.exit_code == 2
    wrong = runner.invoke(audit.command(), ["--scene", "valleys", "--problem", "regression"])
    assert wrong.exit_code == 2


def test_the_scene_class_comes_from_the_lecture_modules():
    """The one class of scenes.lectures.<scene> that teaches the subject's kind; a kind its module has none for
    (the valleys lecture only compares) is a NoLecture for the audit and one line for a render."""
    from gdcore import compare, lesson
    from scenes.lectures import NoLecture, scene_class
    from scenes.lectures.parabola import ParabolaComparison, ParabolaLecture
    from scenes.pipeline.render import RenderError, lecture_class

    assert scene_class(lesson("parabola")) is ParabolaLecture
    assert scene_class(compare("parabola", "beta", [0.0, 0.5])) is ParabolaComparison
    with pytest.raises(NoLecture):
        audit.audit(lesson("valleys"))
    with pytest.raises(RenderError, match="^--scene valleys has no lecture for a Lesson$"):
        lecture_class(lesson("valleys"), slides=False)


def test_the_module_runs_from_the_command_line():
    proc = subprocess.run(
        [sys.executable, "-m", "scenes.kit.audit", "--scene", "parabola", "--steps", "6"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    report = json.loads(proc.stdout)
    assert set(report) == {"problems", "checked"} and proc.returncode == (1 if report["problems"] else 0)
    # the end of each of the 6 beats, and each of the run's 7 steps (0 to 6: fewer than STEPS_CHECKED)
    assert report["checked"]["beats"] == 6 and report["checked"]["frames"] == 6 + 7
    for problem in report["problems"]:
        assert problem["kind"] in {
            "overlap",
            "crossed",
            "outside",
            "too_small",
            "hidden",
            "slow_caption",
            "fast_caption",
        }
        assert {"beat", "step", "texts"} <= set(problem)


# The matrix: every scene, both languages, divergent, oscillating, tied and long runs (a scene's defaults in
# one language: the video tests render the others).
MATRIX = {
    "parabola-es": ["--scene", "parabola", "--lang", "es"],
    "regression": ["--scene", "regression"],
    "regression-divergent-es": [
        "--scene",
        "regression",
        "--lr",
        "0.9",
        "--beta",
        "0.9",
        "--samples",
        "500",
        "--noise",
        "3",
        "--lang",
        "es",
    ],
    "valleys": ["--scene", "valleys"],
    "valleys-x0-es": [
        "--scene",
        "valleys",
        "--lr",
        "0.1",
        "--beta",
        "0.5,0.9,0.99",
        "--x0",
        "-2.5",
        "--lang",
        "es",
    ],
    "landscape-regression-nesterov-es": [
        "--scene",
        "landscape",
        "--problem",
        "regression",
        "--variant",
        "nesterov",
        "--lang",
        "es",
    ],
    "divergent": ["--lr", "9.8"],
    "oscillating-es": ["--beta", "0.95", "--lang", "es"],
    "tied-es": ["--lr", "0.1,1,5", "--lang", "es"],
    "long": ["--steps", "10000", "--beta", "0.99", "--lr", "0.05"],
    # the ball leaves and comes back, plain GD's marker beside the momentum ball's arrows
    "oscillating-divergent": ["--lr", "11", "--beta", "0.999"],
    # three rules written across the right half, their names in the language
    "regression-variants-es": ["--scene", "regression", "--variant", "classic,ema,nesterov", "--lang", "es"],
    # Nesterov's rule on two lines; momentum leaves, plain GD settles later and is shown to its end
    "regression-nesterov-divergent": [
        "--scene",
        "regression",
        "--variant",
        "nesterov",
        "--lr",
        "0.5",
        "--beta",
        "0.9",
    ],
    "ravine-divergent": ["--scene", "ravine", "--lr", "0.14"],
    # French: the longest words of the verdict panel ("GD simple : divergé au pas 18")
    "divergent-plain-fr": ["--lr", "7.5", "--lang", "fr"],
    "ravine-round": ["--scene", "ravine", "--kappa", "1"],
    "ravine-kappa-1000": ["--scene", "ravine", "--kappa", "1000", "--lr", "0.0019"],
    "ravine-es": ["--scene", "ravine", "--lang", "es"],
    "landscape-ravine": ["--scene", "landscape", "--problem", "ravine", "--kappa", "100"],
}


# The function lecture on functions no one designed it for: three minima, exp/log, |x|^1.5, a kink, tanh, a
# minimum at the view's edge, a flat minimum, huge values, no minimum, a step where f is not defined.
MATRIX.update(
    {
        "function": ["--scene", "function"],
        "function-three-minima-fr": [
            *("--scene", "function", "--function", "x**6 - 5*x**4 + 4*x**2", "--x-min", "-2.5"),
            *("--x-max", "2.5", "--x0", "2.2", "--lr", "0.01", "--lang", "fr"),
        ],
        "function-softplus-es": ["--scene", "function", "--function", "log(1 + exp(x))", "--lang", "es"],
        "function-exp": ["--scene", "function", "--function", "exp(x) - 2*x", "--x0", "3", "--lr", "0.05"],
        "function-abs-1.5": ["--scene", "function", "--function", "abs(x)**1.5", "--x0", "2"],
        "function-kink": ["--scene", "function", "--function", "abs(x)", "--x0", "2"],
        "function-tanh": ["--scene", "function", "--function", "x*tanh(x)", "--x0", "3"],
        "function-edge": [
            *("--scene", "function", "--function", "(x - 3)**2", "--x-min", "-2", "--x-max", "3"),
            *("--x0", "-1"),
        ],
        "function-flat": ["--scene", "function", "--function", "x**4", "--x0", "1.5"],
        "function-huge": [
            *("--scene", "function", "--function", "1e40*x**2", "--lr", "1e-41", "--x0", "5"),
        ],
        "function-cubic": ["--scene", "function", "--function", "x**3", "--x0", "1"],
        "function-undefined": [
            *("--scene", "function", "--function", "x*log(x)", "--x-min", "0.05", "--x-max", "5"),
            *("--x0", "3", "--lr", "0.3", "--beta", "0.6"),  # momentum steps to x < 0 at step 4
        ],
        "function-lr-es": ["--scene", "function", "--lr", "0.05,0.1,0.3", "--lang", "es"],
    }
)


@cache
def report(case: str) -> dict:
    """The audit's report on a case, through its command (in this process: Manim is imported once)."""
    result = CliRunner().invoke(audit.command(), MATRIX[case])
    assert result.exit_code in (0, 1), result.output[-2000:]
    report = json.loads(result.stdout)
    assert result.exit_code == (1 if report["problems"] else 0)
    return report


@pytest.mark.parametrize("case", MATRIX)
def test_the_lectures_have_no_layout_problems(case):
    result = report(case)
    assert result["checked"]["frames"] >= result["checked"]["beats"] + audit.STEPS_CHECKED - 1
    layout = [p for p in result["problems"] if not p["caption"]]
    assert layout == [], json.dumps(layout, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("case", MATRIX)
def test_the_lectures_captions_are_timed_and_sized_to_be_read(case):
    captions = [p for p in report(case)["problems"] if p["caption"]]
    assert captions == [], json.dumps(captions, ensure_ascii=False, indent=1)


def marker_shown(piece: str):
    """A marker as each lecture draws it, shown at the end of a divergent run: the mobjects to place in a
    scene, the marker, and the words it must show (the run's position, written from gdcore's numbers)."""
    from gdcore import lesson
    from scenes.lectures.parabola import X_VIEW
    from scenes.words.captions import fmt, fmt_param

    if piece == "parabola":
        taught = lesson("parabola", lr=9.8)
        axes, f = plot_axes(taught.problem), curve(taught.problem)
        ball = BallOnCurve(axes, f, taught.run.positions[:, 0], escape=style.BALL)
        ball.set_step(taught.run.last_step)
        x = taught.run.positions[-1, 0]
        assert abs(x) > X_VIEW
        return [axes, ball], ball.escape, f"x = {fmt(x)} →" if x > 0 else f"← x = {fmt(x)}"
    if piece == "regression":
        from scenes.lectures.regression import ParameterPanel

        taught = lesson("regression", lr=0.9, beta=0.9, samples=500, noise=3)
        ghost = taught.baseline.positions[: taught.run.last_step + 1]
        panel = ParameterPanel(taught.problem, [(ghost, style.GHOST)], 1.0)
        panel.set_step(taught.run.last_step)
        w1, w2 = ghost[-1, :2]
        return [panel], panel.markers[0], f"({fmt_param(w1, 3)},\n {fmt_param(w2, 3)})"  # on two lines
    from scenes.lectures.ravine import RavineRuns, ValleyPlot, Walker, reach

    taught = lesson("ravine", lr=0.14, steps=12)
    plot = ValleyPlot(taught.problem, reach(taught.run.positions[0]), "x", "y")
    runs = RavineRuns(plot, [Walker(plot, taught.run.positions, style.BALL, 0.13, 1.0, 0)])
    runs.set_step(taught.run.last_step)
    x, y = taught.run.positions[-1]
    return [plot, runs], runs.walkers[0].marker, f"({fmt(x)}, {fmt(y)})"


@pytest.mark.parametrize("piece", ["parabola", "regression", "ravine"])
def test_a_marker_is_read_with_the_words_it_shows_now(piece):
    """A marker's words change as the run goes (become() swaps its glyphs): the audit names it by what it
    shows, and a label put onto it is an overlap between the two."""
    mobjects, marker, words = marker_shown(piece)
    assert marker.get_fill_opacity() > 0
    words = words.replace("\n", " ")  # the audit names a text of several lines on one
    tag = label("label").move_to(marker)
    overlaps = [p["texts"] for p in found(*mobjects, tag) if p["kind"] == "overlap"]
    assert [words, "label"] in overlaps, overlaps
    assert not [p for p in found(*mobjects) if p["kind"] == "overlap" and words in p["texts"]]
