"""The colours: plain gradient descent has one colour no run takes, and the runs' colours stay apart for
colour-blind viewers. Deuteranopia, protanopia and tritanopia are simulated with Machado, Oliveira &
Fernandes (2009), severity 1.0, on linear sRGB; differences are CIE76 ΔE in CIELAB (D65); contrast is WCAG
2's ratio of relative luminances. No Manim needed."""

import itertools
import re
from pathlib import Path

import numpy as np
import pytest

from scenes.kit import style

# Machado et al. 2009, Table 1 at severity 1.0 (applied to linear RGB)
DEUTERANOPIA = np.array(
    [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
)
PROTANOPIA = np.array(
    [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
)
TRITANOPIA = np.array(
    [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
)
VISIONS = {
    "normal": np.eye(3),
    "deuteranopia": DEUTERANOPIA,
    "protanopia": PROTANOPIA,
    "tritanopia": TRITANOPIA,
}
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
D65 = np.array([0.95047, 1.0, 1.08883])


def linear_rgb(colour: str) -> np.ndarray:
    c = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    t = SRGB_TO_XYZ @ np.clip(rgb, 0, 1) / D65
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: np.ndarray) -> float:
    return float(np.linalg.norm(lab(vision @ linear_rgb(a)) - lab(vision @ linear_rgb(b))))


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio (L1 + 0.05) / (L2 + 0.05) of two colours' relative luminances."""
    light, dark = sorted((float(linear_rgb(c) @ [0.2126, 0.7152, 0.0722]) for c in (a, b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_simulation_matches_known_values():
    np.testing.assert_allclose(lab(linear_rgb("#FFFFFF")), [100, 0, 0], atol=0.01)
    np.testing.assert_allclose(lab(linear_rgb("#FF0000")), [53.24, 80.09, 67.20], atol=0.05)
    # the measurement of the old runs 3 and 4 (green and pink) under deuteranopia
    assert delta_e("#4DD0A1", "#FF6F91", DEUTERANOPIA) == pytest.approx(7.5, abs=0.05)
    assert delta_e("#4DD0A1", "#FF6F91", np.eye(3)) > 100  # plain to anyone else
    # the measurements of the old sky blue, green and blue under tritanopia
    assert delta_e("#56B4E9", "#009E73", TRITANOPIA) == pytest.approx(16.1, abs=0.05)
    assert delta_e("#009E73", "#0072B2", TRITANOPIA) == pytest.approx(17.0, abs=0.05)
    # WCAG's own extremes and its example: #777777 on white falls just short of 4.5:1
    assert contrast("#FFFFFF", "#000000") == pytest.approx(21) and contrast("#ABCDEF", "#ABCDEF") == 1
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast("#0072B2", style.BACKGROUND) == pytest.approx(3.6, abs=0.05)  # the blue


@pytest.mark.parametrize("vision", VISIONS)
def test_runs_and_plain_gd_stay_apart(vision):
    colours = {**{f"run {i + 1}": c for i, c in enumerate(style.RUNS)}, "plain GD": style.GHOST}
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        assert delta_e(ca, cb, VISIONS[vision]) >= 20, (vision, a, b)


def test_no_run_takes_plain_gds_colour_and_no_colour_means_two_things():
    assert style.GHOST not in style.RUNS and style.BALL == style.RUNS[0]
    meanings = {
        "plain GD": style.GHOST,
        "velocity": style.VELOCITY,
        "gradient": style.GRADIENT,
        "bad": style.BAD,
        "good": style.GOOD,
        "points": style.POINTS,
        "residual": style.RESIDUAL,
        "curve": style.CURVE,
        "text": style.TEXT,
        "muted": style.MUTED,
    }
    assert len(set(meanings.values())) == len(meanings)
    assert not set(meanings.values()) & set(style.RUNS)


def test_every_run_colour_shows_on_the_background():
    for colour in (*style.RUNS, style.GHOST):
        assert delta_e(colour, style.BACKGROUND, np.eye(3)) >= 40


# every colour text is written in (run names, plain GD's lines, arrow labels, verdict heads, the data card)
TEXT_COLOURS = {
    **{f"run {i + 1}": c for i, c in enumerate(style.RUNS)},
    **{name: getattr(style, name) for name in ("GHOST", "TEXT", "MUTED", "VELOCITY", "GRADIENT")},
    **{name: getattr(style, name) for name in ("GOOD", "BAD", "POINTS")},
}


@pytest.mark.parametrize("name", TEXT_COLOURS)
def test_coloured_text_has_a_contrast_of_4_5_to_1_on_the_background(name):
    assert contrast(TEXT_COLOURS[name], style.BACKGROUND) >= 4.5


def test_a_run_of_beta_0_wears_plain_gradient_descents_colour_and_the_others_the_runs_in_order():
    ghost, runs = style.GHOST, style.RUNS
    assert style.run_colours([0.9]) == (runs[0],) and style.run_colours([0.0]) == (ghost,)
    assert style.run_colours([0.0, 0.5, 0.9]) == (ghost, runs[0], runs[1])
    assert style.run_colours([0.5, 0.0, 0.9, 0.99]) == (runs[0], ghost, runs[1], runs[2])
    assert style.run_colours([0.9] * 5) == runs
    # every run plain gradient descent (α compared at β = 0): told apart, none in momentum's orange
    assert style.run_colours([0.0] * 5) == (ghost, *runs[1:])
    for betas in ([0.0, 0.9], [0.0] * 3, [0.9, 0.0, 0.5, 0.8, 0.95]):
        colours = style.run_colours(betas)
        assert len(set(colours)) == len(betas)
        assert [c == ghost for c in colours] == [b == 0 for b in betas] or set(betas) == {0.0}
        assert all(c != style.BALL for c, b in zip(colours, betas) if b == 0)


def test_the_scenes_colour_runs_through_run_colours_only():
    """No scene indexes style.RUNS itself: a run's colour comes from style.run_colours (Lecture.colour), so a
    run of β = 0 can never wear a run colour."""
    root = Path(__file__).resolve().parents[2] / "scenes"
    indexed = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        if path.name != "style.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bstyle\.RUNS\s*\[\s*[A-Za-z_]", line)  # indexed by a run's number
    ]
    assert indexed == []
