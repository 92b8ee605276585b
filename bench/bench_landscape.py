"""Time the (α, β) map: ρ on the landscape's grid, in closed form, for each problem and rule (best of 5).

.venv/bin/python bench/bench_landscape.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gdcore import VARIANTS, lesson, theory  # noqa: E402
from gdcore.landscape import GRID  # noqa: E402


def main() -> None:
    for problem in ("parabola", "regression"):
        lams = lesson(problem).problem.curvatures
        lrs = np.linspace(0.01, 4.4 / lams[-1], GRID[0])
        betas = np.linspace(0, 0.995, GRID[1])
        for variant in VARIANTS:
            best = float("inf")
            for _ in range(5):
                start = time.perf_counter()
                theory.convergence_factors(variant, lrs[None, :], betas[:, None], lams)
                best = min(best, time.perf_counter() - start)
            print(
                f"{problem:<10} {variant:<8} {GRID[0]}x{GRID[1]} cells, {len(lams)} curvature(s): "
                f"{best * 1000:.1f} ms (target < 1000 ms)"
            )


if __name__ == "__main__":
    main()
