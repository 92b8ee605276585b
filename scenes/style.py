"""Colours, sizes and layout named once, shared by every lecture."""

BACKGROUND = "#101418"
TEXT = "#E8EAED"
MUTED = "#9AA0A6"
CURVE = "#8AB4F8"
BALL = "#FF8C42"  # the momentum run: ball, its loss curve, its path
GHOST = "#B388FF"  # plain gradient descent, for comparison (apart from the grey of axes and contours)
VELOCITY = "#FFD166"
GRADIENT = "#4CC9F0"
PLANE = "#4CC9F0"
PLANE_DARK = "#2B7A9B"  # the plane's second checkerboard colour
POINTS = "#F28B82"
RESIDUAL = "#FF5A5F"
GOOD = "#81C995"
RUNS = ("#FF8C42", "#B388FF", "#4DD0A1", "#FF6F91", "#FFE082")  # the runs of a comparison, in order
BAD = "#F28B82"

FONT = "DejaVu Sans"
MONO = "DejaVu Sans Mono"
TITLE_SIZE = 48
CAPTION_SIZE = 26
BODY_SIZE = 30  # formulas
PANEL_SIZE = 26  # rule, readout and verdict panels
LABEL_SIZE = 24  # axis and arrow labels
SMALL_SIZE = 24  # the smallest text on screen: a cap height of 2 % of the frame

CAPTION_WIDTH = 13.0  # scene units; the frame is 14.2 wide
CAPTION_Y = -3.45  # centre of the caption bar; the plots stay above -2.85
CAPTION_CHARS = 72  # wrap captions at this many characters per line
RIGHT_COLUMN_X = 4.1  # centre of the right-hand column of panels
FRAME_RIGHT = 7.1  # the frame's right edge (the frame is 14.2 wide)
SAFE_RIGHT = FRAME_RIGHT - 0.03 * 14.2  # inside the 3 % safe margin
SAFE_TOP = 4.0 - 0.03 * 8.0
KEY_CHARS = 18  # a legend entry longer than this goes on two lines (a long word in another language)
