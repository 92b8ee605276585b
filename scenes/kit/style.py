"""Colours, sizes and layout named once, shared by every lecture."""

BACKGROUND = "#101418"
TEXT = "#E8EAED"
MUTED = "#9AA0A6"
CURVE = "#8AB4F8"
# A colour means one thing in every lecture. The runs' colours start from Okabe–Ito's orange and sky blue
# (Okabe & Ito 2008); the others were chosen to stay ΔE ≥ 20 apart from them and from plain gradient descent's
# violet under deuteranopia, protanopia and tritanopia, each a 4.5:1 contrast on the background as text
# (tests/core/test_style.py simulates all three and measures both).
RUNS = ("#E69F00", "#56B4E9", "#F0329B", "#6A9F58", "#EEF5A8")  # the runs of a comparison, in order
BALL = RUNS[0]  # the momentum run: ball, its loss curve, its path (the first run of a comparison)
GHOST = "#A259FF"  # plain gradient descent, in every lecture (the captions call it violet); no run takes it
VELOCITY = "#F0E442"
GRADIENT = "#4CC9F0"
PLANE = "#4CC9F0"
PLANE_DARK = "#2B7A9B"  # the plane's second checkerboard colour
POINTS = "#F28B82"
RESIDUAL = "#FF9E80"
GOOD = "#81C995"
BAD = "#FF5A5F"  # diverged: a verdict's head, the marker of a ball that left the view

FONT = "DejaVu Sans"
MONO = "DejaVu Sans Mono"
TITLE_SIZE = 48
CAPTION_SIZE = 26
# Sizes are those of DejaVu Sans; pieces.math scales TeX to read as large (a TeX capital is 0.70 of a
# DejaVu Sans capital at the same font size). The audit asks for a capital height of 3 % of the frame.
BODY_SIZE = 28  # formulas
PANEL_SIZE = 26  # rule, readout and verdict panels
LABEL_SIZE = 24  # axis and arrow labels
SMALL_SIZE = 24  # the smallest text on screen: a capital height of 3 % of the frame
TICK_SIZE = 26  # axis tick numbers (Manim's TeX numbers, not scaled): a capital height of 2.25 % of the frame
TEX_SCALE = 1.43  # TeX font size per DejaVu Sans font size for the same capital height

CAPTION_WIDTH = 13.0  # scene units; the frame is 14.2 wide
CAPTION_Y = -3.32  # centre of the caption bar: two lines end inside the safe margin
BAND_TOP = -2.76  # the top of the caption band (two lines): everything else stays above it
CAPTION_CHARS = 72  # wrap captions at this many characters per line
RIGHT_COLUMN_X = 4.1  # centre of the right-hand column of panels
FRAME_RIGHT = 7.1  # the frame's right edge (the frame is 14.2 wide)
SAFE_TOP, SAFE_RIGHT = 3.76, 6.68  # the safe area's top and right edge: 3 % of the frame inside it
KEY_CHARS = 18  # a legend entry longer than this goes on two lines (a long word in another language)


def run_colours(betas) -> tuple[str, ...]:
    """The colour of each run, by its β (one β a run, in order): a run of β = 0 is plain gradient descent
    and wears GHOST; the others take RUNS in order. When every run is plain gradient descent (runs that
    differ in α, rule or start at β = 0), the first wears GHOST and the others RUNS after momentum's orange."""
    if all(beta == 0 for beta in betas):
        return (GHOST, *RUNS[1:])[: len(betas)]
    others = iter(RUNS)
    return tuple(GHOST if beta == 0 else next(others) for beta in betas)
