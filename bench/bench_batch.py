"""Regeneration figures, each measured in one run: the cache hit, a batch of 4 low-quality videos with
--jobs 2 against the sum of their one-at-a-time times, and the large inputs (--steps 10000, --samples 100000)
against the defaults, with peak memory.

    .venv/bin/python bench/bench_batch.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOUR = [
    ["--scene", "parabola", "--lang", "en"],
    ["--scene", "parabola", "--lang", "es"],
    ["--scene", "regression", "--lang", "en"],
    ["--scene", "regression", "--lang", "es"],
]


def timed(args: list[str]) -> tuple[float, float]:
    """Run render.py ARGS; return its wall time (s) and peak resident memory (MiB) of it and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "render.py", *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"failed: render.py {' '.join(args)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        common = ["--quality", "low", "--output", out, "--force"]
        timed([*FOUR[0], *common])  # warm-up: fills the LaTeX cache
        alone = [timed([*job, *common])[0] for job in FOUR]
        batch = 0.0
        for scene in ("parabola", "regression"):  # the same 4 videos, 2 at a time
            t0 = time.perf_counter()
            proc = subprocess.run(
                [
                    sys.executable,
                    "render.py",
                    "--scene",
                    scene,
                    "--lang",
                    "en,es",
                    "--quality",
                    "low",
                    "--output",
                    out,
                    "--jobs",
                    "2",
                    "--force",
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            batch += time.perf_counter() - t0
            if proc.returncode:
                raise SystemExit(
                    "batch failed: "
                    + "\n".join(line for line in proc.stderr.splitlines() if "it/s" not in line)[-3000:]
                )
        hit, _ = timed(["--scene", "parabola", "--quality", "low", "--output", out])
        large = {
            scene: [timed(["--scene", scene, *extra, *common]) for extra in ([], *more)]
            for scene, more in [
                ("parabola", [["--steps", "10000"]]),
                ("regression", [["--steps", "10000"], ["--samples", "100000"]]),
            ]
        }
    print(f"cache hit: {hit:.2f} s (target < 2 s)")
    print(
        f"4 low-quality videos: one at a time {sum(alone):.1f} s ({', '.join(f'{t:.1f}' for t in alone)}), "
        f"as batches with --jobs 2 {batch:.1f} s = {batch / sum(alone):.2f}x (target <= 0.65x)"
    )
    for scene, ((base, base_mb), *more) in large.items():
        figures = [
            f"{name} {t:.1f} s = {t / base:.2f}x, {mb:.0f} MiB"
            for name, (t, mb) in zip(["--steps 10000", "--samples 100000"], more)
        ]
        print(
            f"{scene} low: defaults {base:.1f} s, {base_mb:.0f} MiB; {'; '.join(figures)} "
            f"(targets <= 1.3x, < 1536 MiB)"
        )


if __name__ == "__main__":
    main()
