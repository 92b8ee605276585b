"""Mini-batches: which samples each step's gradient averages, and when a noisy run has reached its floor.

Each step draws its B samples anew, B distinct ones of the N, independently of the steps before (what the
theory of gdcore.noise assumes; reshuffling once per epoch would make the spread about half of it). Every
run of a lecture is handed the same schedule, so momentum and plain gradient descent see the same batches.
"""

from __future__ import annotations

import numpy as np

from .validation import ParameterError, Range, check

# The indices a run may draw, batch size × steps: batches.csv has one row per index.
MAX_DRAWN = 1_000_000
# A noisy run reached its floor when the mean of its excess loss f − f* over every later window of a quarter
# of its steps stays within BAND × the predicted floor E[f] − f* (see reached_floor).
BAND = 3.0


def consistent(params: dict, size) -> dict:
    """`params` (checked) with batch_size = `size` (as given; None: not given) checked against their samples
    and steps: ParameterError naming batch_size and the range of this data. A batch of all the samples is the
    full gradient: it is left out (the lecture without it)."""
    if size is None:
        return params
    n, steps = (
        params["samples"] if params.get("data") is None else len(params["data"].targets),
        params["steps"],
    )
    top = min(n, MAX_DRAWN // steps)
    valid = Range(1, top, integer=True)
    if not valid.holds(size) and not (Range(n, n, integer=True).holds(size)):
        why = (
            "at most the number of samples"
            if top == n
            else f"batch size × steps at most {MAX_DRAWN}; or {n}, all"
        )
        raise ParameterError("batch_size", size, f"{valid.text()} ({why})")
    size = check("batch_size", size)
    return params if size == n else {**params, "batch_size": size}


def stream(seed: int) -> np.random.Generator:
    """The random numbers of the batches: numpy.random.default_rng on the data's seed spawned once.

    One seed makes the whole lecture, data and batches, reproducible from its options; spawned, the batches'
    numbers are independent of the data's (the same seed would replay the stream that drew the features).
    Another draw of batches on the same data is what a Monte Carlo over seeds does, not a lecture."""
    return np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])


def schedule(samples: int, size: int, steps: int, seed: int) -> np.ndarray:
    """(steps, size) read-only: row t − 1 holds the indices (rows of the data, from 0) of step t's batch,
    each row `stream(seed).choice(samples, size, replace=False)` in turn: the first k rows do not depend on
    how many are drawn."""
    rng = stream(seed)
    rows = np.array([rng.choice(samples, size, replace=False) for _ in range(steps)], dtype=np.int64)
    rows.setflags(write=False)
    return rows.reshape(steps, size)


def reached_floor(excess: np.ndarray, floor: float, steps: int, tolerance: float) -> int | None:
    """The step at which a noisy run reached its floor: the first k ≤ steps at which `excess` (f − f*, steps
    0…) is at most BAND × floor and from which, for every j from k to steps, its mean over steps
    j … j + W − 1 is too, W = max(1, steps // 4); None if there is no such k, no finite floor (the spread
    grows without bound) or the run stopped short (diverged). For a floor of 0 (no noise) the bound is
    tolerance² × the start's excess: the full-batch rule's tolerance on the distance, squared as a loss.

    A noisy run never stays within 10⁻³ of its start's distance: it jitters around the minimum at its
    floor, now and then above the band. The windows average that jitter, and the run must be in the band at
    k itself (a fast fall inside the first window does not count as being there); the run is computed to
    2 × steps, so every window is whole."""
    w = max(1, steps // 4)
    if not np.isfinite(floor) or len(excess) < steps + w:
        return None
    bound = max(BAND * floor, tolerance**2 * excess[0])
    sums = np.concatenate([[0.0], np.cumsum(excess)])
    means = (sums[w : steps + w + 1] - sums[: steps + 1]) / w  # the window starting at each step 0…steps
    above = np.flatnonzero(means > bound)
    first = int(above[-1] + 1) if len(above) else 0  # every window from here on is within the bound
    there = np.flatnonzero(excess[first : steps + 1] <= bound)
    return first + int(there[0]) if len(there) else None
