"""Time ↔ step for the run: early steps slow enough to read, later ones faster, a bounded total."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

MOVE_FRACTION = 0.7  # of each step's time the ball travels; it rests at the new position for the rest
LONGEST_REST = 0.6  # seconds: a step slowed for its captions travels longer, it does not rest longer


def frame_times(seconds: float) -> np.ndarray:
    """The times in seconds, from a play's start, of the frames Manim draws for a play of `seconds` (its
    rule: one every 1 / frame rate from 0, short of `seconds`)."""
    from manim import config

    return np.arange(0, seconds, 1 / config["frame_rate"])


@dataclass(frozen=True)
class Schedule:
    """Step k (1..n) is travelled during [ends[k-1], ends[k-1] + travel[k-1]] (seconds), then rests."""

    durations: np.ndarray
    fast_from: int | None = None  # the step after which the steps share a short tail (a time-lapse), if any

    @classmethod
    def for_steps(
        cls,
        n: int,
        watched: int | None = None,
        tail: float = 5.0,
        first: float = 1.0,
        floor: float = 0.15,
        decay: float = 0.8,
        budget: float = 40.0,
    ) -> Schedule:
        """Durations floor + (first − floor)·decay^k; the floor shrinks when n steps would exceed `budget`.
        After step `watched` there is nothing left to see (every run has settled, or left): if the steps
        after it would last longer than `tail` seconds, they share `tail` seconds, and the first `watched`
        steps are paced as if the run ended there."""
        k = np.arange(n)
        slow = (first - floor) * decay**k
        paced = floor + slow if n * floor + slow.sum() <= budget else max(budget - slow.sum(), 0.0) / n + slow
        if watched is None or watched >= n or paced[watched:].sum() <= tail:
            return cls(paced)
        head = cls.for_steps(watched, first=first, floor=floor, decay=decay, budget=budget).durations
        return cls(np.concatenate([head, np.full(n - watched, tail / (n - watched))]), fast_from=watched)

    @property
    def total(self) -> float:
        return float(self.durations.sum())

    @cached_property  # read every frame: computed once
    def ends(self) -> np.ndarray:
        return np.concatenate([[0.0], np.cumsum(self.durations)])

    @cached_property
    def travel(self) -> np.ndarray:
        """How long each step travels: MOVE_FRACTION of its time, or all but LONGEST_REST seconds of it."""
        return np.maximum(MOVE_FRACTION * self.durations, self.durations - LONGEST_REST)

    def at(self, t: float) -> tuple[int, float]:
        """(k, s): the last step reached at time t, and the eased progress s ∈ [0, 1) toward step k + 1."""
        ends = self.ends
        i = int(np.searchsorted(ends, t, side="right")) - 1
        if i >= len(self.durations):
            return len(self.durations), 0.0
        move = (t - ends[i]) / self.travel[i]
        if move >= 1.0:
            return i + 1, 0.0
        return i, float(3 * move**2 - 2 * move**3)  # smoothstep: the ball starts and stops gently

    def reaching(self, k: int, t: float, after: int = 0) -> Schedule:
        """This schedule with steps after+1..k slowed evenly, if need be, so that step k is not reached (its
        rest time) before t seconds."""
        now = self.rest_time(k)
        if k <= after or now >= t:
            return self
        stretch = (t - self.ends[after]) / (now - self.ends[after])
        durations = self.durations.copy()
        durations[after:k] *= stretch
        return Schedule(durations, self.fast_from)

    def rest_time(self, k: int) -> float:
        """A moment when the ball sits still at step k (the middle of its rest)."""
        if k == 0:
            return 0.0
        start = self.ends[k - 1] + self.travel[k - 1]
        return float(0.5 * (start + self.ends[k]))


def nice_ceiling(x: float) -> int:
    """The smallest of 1, 2, 2.5, 5 × 10ⁿ at least x (x ≥ 1): a round end for an axis of steps.

    >>> nice_ceiling(1702), nice_ceiling(60), nice_ceiling(7)
    (2000, 100, 10)
    """
    power = 10 ** int(np.floor(np.log10(x)))
    return int(np.ceil(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= x)))
