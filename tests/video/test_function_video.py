"""The function lecture (--scene function) at low quality: its sidecar against gdcore and SymPy, the balls where
the runs are on the curve, the run under way by 12 s, SymPy's formula in the captions and the verdict saying
where each ball ended, the way the numbers say."""

import numpy as np
import pytest
from videos import frame_at, hex_rgb, pixel, render

from gdcore import lesson
from gdcore.typed import TypedFunction
from scenes.kit import style
from scenes.lectures.function import framed, plot_axes
from scenes.words import story
from scenes.words.captions import text

DEFAULT = ["--scene", "function", "--steps", "40"]  # plain descent settles at step 11, momentum at 33


@pytest.fixture(scope="session")
def function_en(media):
    return render(media, *DEFAULT)


def taught(meta):
    """The lesson the sidecar's parameters give, worked out again."""
    return lesson("function", **meta["params"])


def test_the_sidecar_is_the_lesson_and_its_formula_sympys(function_en):
    _, meta, _ = function_en
    one, p = taught(meta), TypedFunction("x**4/4 - x**2 + 0.3*x", -10.0, 10.0)
    assert meta["scene"] == "function" and meta["params"]["function"] == "x**4/4 - x**2 + 0.3*x"
    assert meta["problem"]["formula"] == p.formula.tex == r"\frac{x^{4}}{4} - x^{2} + 0.3 x"
    assert meta["summary"]["final_position"]["x"] == one.run.positions[-1, 0]
    assert [m["kind"] for m in meta["problem"]["minima"]] == ["global", "local"]
    assert meta["steps"][0] <= 12.0  # the run is under way by 12 s


@pytest.mark.parametrize("k", [0, 3, 6])
def test_balls_are_drawn_where_the_runs_are_on_the_curve(function_en, k):
    """At the time the sidecar gives step k, each ball's colour is at the point of the curve of its run's
    position (the picture's frame worked out from the problem); the momentum ball is not yet where it goes."""
    video, meta, _ = function_en
    one = taught(meta)
    frame = framed(one.problem, [one.run.positions[0, 0]])
    axes, (low, top) = plot_axes(frame), frame[1]
    at = lambda x: axes.c2p(x, (one.problem.loss(np.array([x])) - low) / (top - low))  # noqa: E731
    picture = frame_at(video, meta["steps"][k])
    ball, ghost = at(one.run.positions[k, 0]), at(one.baseline.positions[k, 0])
    apart = np.linalg.norm(ball - ghost) > 0.4  # else the momentum ball covers plain descent's
    for point, colour in ((ball, style.BALL), *([(ghost, style.GHOST)] if apart else [])):
        row, col = pixel(point, picture.shape)
        near = picture[row - 5 : row + 6, col - 5 : col + 6].astype(
            int
        )  # plain descent's ball: a light centre
        assert np.abs(near - hex_rgb(colour)).max(axis=2).min() < 45, (k, colour)
    row, col = pixel(at(one.run.positions[k + 4, 0]), picture.shape)
    assert np.abs(picture[row, col].astype(int) - hex_rgb(style.BALL)).max() > 60


def test_the_captions_give_sympys_formula_and_say_where_each_ball_ended(function_en):
    _, meta, _ = function_en
    one = taught(meta)
    said = [cue["text"] for cue in meta["captions"]]
    assert any("x⁴/4 − x² + 0.3·x" in line and "x³ − 2·x + 0.3" in line for line in said), said
    verdict = [
        text("en", line.key, **{**one.problem.formulas, **line.values})
        for line in story.function_verdict(one)
    ]
    assert all(line in said for line in verdict), (verdict, said)
    assert verdict[1].startswith("Plain gradient descent settled first, at step 11, in the local minimum")
    assert "momentum settled at step 33, in the global one" in verdict[1]
