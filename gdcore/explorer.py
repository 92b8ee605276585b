"""What a lecture's explorer page shows, declared on its problem as EXPLORER (scenes/pages/explore.py builds the
page from the declaration alone: a new lecture gets its explorer by declaring one). No words: the page's
words come from the language files, its numbers from gdcore's Lessons."""

from __future__ import annotations

from dataclasses import dataclass

PICTURES = ("curve", "plane")  # f over the one parameter; the loss's level curves over the first two
ARROWS = ("moves", "pushes")  # the Lesson's per-step arrays the page can draw at the ball


@dataclass(frozen=True)
class Explorer:
    """A lecture's explorer.

    picture: "curve" (the ball on f over its one parameter) or "plane" (the path over the loss's level
    curves in its first two parameters: the problem gives level_curve(gap, points));
    arrows: Lesson arrays (ARROWS) drawn at the ball at every step, stored beside the positions;
    pairs: each β is told beside plain gradient descent as a Comparison of β = 0 and β (the lecture's own
    compared form) rather than as one Lesson;
    verdict: the name of the function of scenes/words/story.py that tells a grid point (a Lesson's verdict,
    or for pairs a Comparison's): the sentences the lecture itself says;
    view: the curve's x range (None: the minimizer ± 1.25 × the start's distance to it, at least ± 1);
    marks: mark the problem's minima and its barrier on the curve (problem.minima(), problem.barrier());
    lr_low, lr_high: the α axis runs from lr_low × the lecture's default α to lr_high / its largest
    curvature (4/λ is the widest stable α of the heavy ball)."""

    picture: str = "curve"
    arrows: tuple[str, ...] = ()
    pairs: bool = False
    verdict: str = "verdict"
    view: tuple[float, float] | None = None
    marks: bool = False
    lr_low: float = 0.1
    lr_high: float = 1.15 * 4.0

    def __post_init__(self):
        if self.picture not in PICTURES or not set(self.arrows) <= set(ARROWS):
            raise ValueError(f"an explorer draws a picture of {PICTURES} with arrows of {ARROWS}: {self}")
        if not (self.lr_low > 0 and self.lr_high > 0):
            raise ValueError(f"an explorer's α axis needs lr_low > 0 and lr_high > 0: {self}")
