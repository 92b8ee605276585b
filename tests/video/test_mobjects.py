"""Shared visual pieces: the readout shows every character of the trajectory's numbers."""
import numpy as np
import pytest

from scenes.captions import fmt
from scenes.components import Readout
from scenes.pacing import Schedule


@pytest.mark.parametrize("value", [0.0, 3.25, -0.00123, -5.584e-140, 1.976e-323, 9.99e307, -123456.7])
def test_readout_writes_every_character(value):
    readout = Readout([("x", "#FFFFFF"), ("v", "#FFFFFF")])
    readout.show_numbers([value, -value], 10_000)
    for row, text in zip(readout.values, ["10000", fmt(value), fmt(-value)]):
        drawn = [slot for slot in row if len(slot.points)]
        assert len(drawn) == len(text)
        # glyphs sit left to right, one advance apart
        xs = [slot.get_x() for slot in drawn]
        assert all(b > a for a, b in zip(xs, xs[1:]))


def test_schedule_is_bounded_slow_first_and_rests_at_each_step():
    for n in (1, 6, 60, 10_000):
        s = Schedule.for_steps(n)
        assert s.total <= 45 and np.all(np.diff(s.durations) <= 1e-12)
        for k in (0, n // 2, n):
            assert s.at(s.rest_time(k)) == (k, 0.0)
    assert Schedule.for_steps(60).durations[0] >= 0.9
