"""The lecture kit: the Lecture base and its comparing form, pacing, the pieces lectures draw with, the style
and the layout audit."""
