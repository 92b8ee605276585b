"""Render a lecture and an empty Manim scene of the same duration at the same quality; print the ratio of
their wall times and the peak memory of each.

    .venv/bin/python bench/bench_render.py --scene parabola --quality high
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scenes.render import QUALITY  # noqa: E402  (--quality → Manim's quality name)

EMPTY = """
import sys
from manim import Scene, tempconfig
class Empty(Scene):
    def construct(self):
        self.wait(float(sys.argv[2]))
with tempconfig({"quality": sys.argv[1], "media_dir": sys.argv[3], "disable_caching": True,
                 "verbosity": "WARNING", "progress_bar": "none"}):
    Empty().render()
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Run `cmd`; return its wall time (s) and peak resident memory (MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scene", default="parabola")
    ap.add_argument("--quality", default="high", choices=QUALITY)
    ap.add_argument("extra", nargs="*", help="more render.py options, after --")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        render = [
            sys.executable,
            "render.py",
            "--scene",
            args.scene,
            "--quality",
            args.quality,
            "--output",
            tmp,
            *args.extra,
        ]
        timed(render)  # warm-up: fills the LaTeX cache, so the measured run is what a teacher re-renders
        lecture_s, lecture_mb = timed([*render, "--force"])  # rendered again, not taken from the cache
        with av.open(str(next(Path(tmp).rglob("*.mp4")))) as box:
            duration = float(box.duration) / 1e6
        empty_s, empty_mb = timed(
            [sys.executable, "-c", EMPTY, QUALITY[args.quality][0], str(duration), str(Path(tmp) / "empty")]
        )
    print(f"scene={args.scene} quality={args.quality} video={duration:.1f}s")
    print(f"lecture: {lecture_s:.1f} s wall, peak {lecture_mb:.0f} MiB")
    print(f"empty:   {empty_s:.1f} s wall, peak {empty_mb:.0f} MiB")
    print(f"ratio:   {lecture_s / empty_s:.2f}x the empty scene")


if __name__ == "__main__":
    main()
