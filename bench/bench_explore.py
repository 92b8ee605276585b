"""Time the explorer's first write (its grid cache cleared): each lecture at its defaults and at the tests' small
steps, one language. `--before` also times the grid as it was first built, one gdcore Lesson per point
(scenes.pages.explore.point) in the same process pool, for a before/after in one run.

    .venv/bin/python bench/bench_explore.py [--before] [--scenes parabola,valleys]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gdcore import VARIANTS  # noqa: E402
from scenes.pages import explore  # noqa: E402

# The lectures' defaults, and the small settings of tests/video/test_explore.py.
CASES = [
    ("parabola", "defaults", {}),
    ("regression", "defaults", {}),
    ("valleys", "defaults", {}),
    ("parabola", "tests", {"steps": 12, "x0": 4.0}),
    ("regression", "tests", {"steps": 8, "samples": 25, "seed": 3}),
    ("valleys", "tests", {"steps": 24}),
]


def _row(task: tuple) -> list:
    scene, params, betas, shown = task
    return [explore.point(scene, {**params, "beta": b}, shown) for b in betas]


def per_point(scene: str, given: dict) -> float:
    """Seconds for the grid computed one Lesson per point (scenes.pages.explore.point) in up to 4 processes."""
    params, start = explore.setting(scene, given)
    lrs, betas = explore.axes(scene, params, start)
    fixed = {k: v for k, v in params.items() if k not in ("lr", "beta", "variant")}
    shown = explore.stored_steps(scene, params)
    tasks = [(scene, {**fixed, "variant": v, "lr": lr}, betas, shown) for v in VARIANTS for lr in lrs]
    began = time.perf_counter()
    with ProcessPoolExecutor(
        min(os.cpu_count() or 1, 4), mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        list(pool.map(_row, tasks, chunksize=4))
    return time.perf_counter() - began


def first_write(scene: str, given: dict) -> tuple[float, int]:
    """Seconds and bytes of write_explorer with an empty cache (a fresh XDG_CACHE_HOME)."""
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
        os.environ["XDG_CACHE_HOME"] = cache
        _, size, seconds = explore.timed(scene, "en", Path(out), given)
    return seconds, size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", action="store_true", help="also time the grid one Lesson per point")
    parser.add_argument("--scenes", default="parabola,regression,valleys")
    args = parser.parse_args()
    wanted = args.scenes.split(",")
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for scene, label, given in CASES:
        if scene not in wanted:
            continue
        seconds, size = first_write(scene, given)
        line = f"{scene:<10} {label:<8} first write {seconds:7.2f} s ({size / 1e6:.2f} MB)"
        if args.before:
            line += f"   grid one Lesson per point: {per_point(scene, given):7.2f} s"
        print(line + f"   load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
