"""--export-data of the largest regression the options allow: 100 000 samples × 10 000 steps (target: at most
10 s), through the real command line, best of 3; and the gradient evaluations it makes per step written.

    .venv/bin/python bench/bench_export.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from gdcore import Regression, lesson  # noqa: E402

ARGS = ["--scene", "regression", "--samples", "100000", "--steps", "10000"]


def passes_over_the_data() -> int:
    """How many times the lesson reads the whole data set (X @ θ or Xᵀ r) while it is computed."""
    count = 0
    predict = Regression.predict

    def counted(self, theta):
        nonlocal count
        count += 1
        return predict(self, theta)

    Regression.predict = counted
    try:
        lesson("regression", samples=100_000, steps=10_000)
    finally:
        Regression.predict = predict
    return count


def main() -> None:
    best = float("inf")
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, str(ROOT / "render.py"), *ARGS, "--export-data", tmp],
                check=True,
                capture_output=True,
            )
            best = min(best, time.perf_counter() - start)
    print(
        f"--export-data {' '.join(ARGS)}: {best:.2f} s (best of 3, target 10 s); "
        f"passes over the 100 000 samples: {passes_over_the_data()}"
    )


if __name__ == "__main__":
    main()
