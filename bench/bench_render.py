"""Render lectures with `--jobs 1` and `--jobs N` against Manim's empty scene of the same duration at the same
quality, and a β change (its unchanged animations reused from the segment cache) against a cold render of the
same lecture; print the wall times, their ratios (measured in this one run) and the peak memory of each.

    .venv/bin/python bench/bench_render.py                       # parabola and regression at 1080p60
    .venv/bin/python bench/bench_render.py --scene parabola --quality low --jobs 2 -- --steps 12

The machine's load changes the figures: the load average is printed with them. Targets on 2 cores at 1080p60:
parabola with --jobs N at most 0.5× its empty scene, regression at most 0.58×, a β change at most 0.6× a cold
render. The renders use a cache folder of their own (XDG_CACHE_HOME), filled by a first render that is not
timed, so what is measured is what a teacher re-renders: formulas and texts cached, animations drawn again
(--force) except where the β change reuses them.
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
from scenes.pipeline.render import QUALITY  # noqa: E402  (--quality → Manim's quality name)

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
TARGETS = {"parabola": 0.5, "regression": 0.58}  # × the empty scene, with --jobs N at 1080p60 on 2 cores
BETA_TARGET = 0.6  # a β change × a cold render


def timed(cmd: list[str], env: dict) -> tuple[float, float, float]:
    """Run `cmd`; return its wall time (s), the peak resident memory (MiB) of its largest process and its CPU
    time (s, user and system of its processes together: what a busy machine changes least)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def duration(folder: Path) -> float:
    with av.open(str(next(folder.rglob("*.mp4")))) as box:
        return float(box.duration) / 1e6


def lecture(scene: str, args, env: dict, tmp: Path) -> None:
    """--jobs 1 and --jobs N of `scene`, each against the empty scene of the same duration."""
    render = [sys.executable, "render.py", "--scene", scene, "--quality", args.quality, *args.extra]
    timed([*render, "--output", str(tmp / scene), "--jobs", str(args.jobs)], env)  # fills the caches
    one, one_mb, one_cpu = timed([*render, "--output", str(tmp / scene), "--jobs", "1", "--force"], env)
    many, many_mb, many_cpu = timed(
        [*render, "--output", str(tmp / scene), "--jobs", str(args.jobs), "--force"], env
    )
    seconds = duration(tmp / scene)
    empty, empty_mb, empty_cpu = timed(
        [sys.executable, "-c", EMPTY, QUALITY[args.quality][0], str(seconds), str(tmp / "empty")], env
    )
    target = f" (target ≤ {TARGETS[scene]}x)" if scene in TARGETS and args.quality == "high" else ""
    print(f"{scene} {args.quality} video={seconds:.1f}s  load {os.getloadavg()[0]:.1f}")
    print(f"  empty scene: {empty:.1f} s ({empty_cpu:.1f} s CPU), peak {empty_mb:.0f} MiB")
    print(
        f"  --jobs 1:    {one:.1f} s ({one_cpu:.1f} s CPU), peak {one_mb:.0f} MiB,"
        f" {one / empty:.2f}x the empty scene"
    )
    print(
        f"  --jobs {args.jobs}:    {many:.1f} s ({many_cpu:.1f} s CPU), peak {many_mb:.0f} MiB,"
        f" {many / empty:.2f}x the empty scene{target}, {many / one:.2f}x --jobs 1"
    )


def beta_change(args, env: dict, tmp: Path) -> None:
    """β 0.6 → 0.8 with the segments of β 0.6 in the cache, against β 0.8 drawn cold; both with --jobs N."""
    render = [sys.executable, "render.py", "--scene", "parabola", "--quality", args.quality, *args.extra]
    render += ["--jobs", str(args.jobs)]
    timed([*render, "--beta", "0.6", "--output", str(tmp / "before")], env)
    changed, _, changed_cpu = timed([*render, "--beta", "0.8", "--output", str(tmp / "changed")], env)
    cold, _, cold_cpu = timed([*render, "--beta", "0.8", "--output", str(tmp / "cold"), "--force"], env)
    target = f" (target ≤ {BETA_TARGET}x)" if args.quality == "high" else ""
    print(f"beta change parabola {args.quality}, --jobs {args.jobs}  load {os.getloadavg()[0]:.1f}")
    print(f"  cold β=0.8:            {cold:.1f} s ({cold_cpu:.1f} s CPU)")
    print(
        f"  β 0.6 → 0.8 (reused):  {changed:.1f} s ({changed_cpu:.1f} s CPU),"
        f" {changed / cold:.2f}x the cold render{target}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scene", choices=["parabola", "regression", "both"], default="both")
    ap.add_argument("--quality", default="high", choices=QUALITY)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the --jobs N runs")
    ap.add_argument("--no-beta", action="store_true", help="leave out the β change")
    ap.add_argument("extra", nargs="*", help="more render.py options, after --")
    args = ap.parse_args()
    print(
        f"{os.cpu_count()} CPUs; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (shared machine)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        for scene in ["parabola", "regression"] if args.scene == "both" else [args.scene]:
            lecture(scene, args, env, Path(tmp))
        if not args.no_beta:
            beta_change(args, env, Path(tmp))


if __name__ == "__main__":
    main()
