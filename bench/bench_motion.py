"""How much each lecture shows while it tells: render it (low quality by default) and print, per video, how
long it is, when its run starts, the longest stretch in which nothing above the caption band moves, the share
of the video that is still, and the share of captions that start with a change in the picture within 2 s;
with the render's wall time.

    .venv/bin/python bench/bench_motion.py                          # every lecture at its defaults
    .venv/bin/python bench/bench_motion.py --scene parabola -- --lr 13 --lang fr   # one lecture, other values

The picture is compared frame to frame above the caption band (84 % of the height) in 16×16 blocks: a block
whose mean absolute change exceeds 3 grey levels is motion, and a change seen in one frame alone (an encoder's
key frame) is not. Targets (issue 33, low quality): the run starts by 12 s, no still stretch over 6 s, at least
90 % of captions start with motion. The renders use a cache folder of their own (XDG_CACHE_HOME).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BAND, THRESHOLD, BLOCK = 0.84, 3.0, 16


def moving(video: Path) -> tuple[np.ndarray, float]:
    """Per frame, whether the picture above the caption band changed from the frame before; the frame rate."""
    moved, before = [], None
    with av.open(str(video)) as box:
        fps = float(box.streams.video[0].average_rate)
        for frame in box.decode(video=0):
            grey = frame.to_ndarray(format="gray").astype(np.int16)
            grey = grey[: int(grey.shape[0] * BAND)]
            if before is not None:
                d = np.abs(grey - before)
                h, w = (d.shape[0] // BLOCK) * BLOCK, (d.shape[1] // BLOCK) * BLOCK
                blocks = d[:h, :w].reshape(h // BLOCK, BLOCK, w // BLOCK, BLOCK).mean(axis=(1, 3))
                moved.append(bool(blocks.max() > THRESHOLD))
            else:
                moved.append(True)
            before = grey
    moved = np.array(moved)
    twice = moved[1:] & moved[:-1]  # a change of one frame alone is a key frame, not motion
    kept = np.zeros_like(moved)
    kept[1:] |= twice
    kept[:-1] |= twice
    kept[0] = True
    return kept, fps


def figures(video: Path) -> dict:
    """The figures of one rendered lecture (its sidecar beside it)."""
    meta = json.loads(video.with_suffix(".json").read_text())
    moved, fps = moving(video)
    t = np.arange(len(moved)) / fps
    longest = run = 0
    for m in moved:
        run = 0 if m else run + 1
        longest = max(longest, run)
    cues = [c for c in meta["captions"] if c.get("text")]
    with_motion = sum(bool(moved[(t >= c["start"]) & (t < c["start"] + 2)].any()) for c in cues)
    steps = meta.get("steps") or [float("nan")]
    return {
        "duration": round(len(moved) / fps, 1),
        "run_starts": round(float(steps[0]), 1),
        "still_longest": round(longest / fps, 1),
        "still_share": round(1 - float(moved.mean()), 3),
        "cues_with_motion": round(with_motion / max(len(cues), 1), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", action="append", help="a lecture (default: every lecture with a video)")
    parser.add_argument("--quality", default="low")
    parser.add_argument("extra", nargs="*", help="more options for render.py, after --")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from scenes.pipeline.request import videos

    print(f"load average {os.getloadavg()[0]:.1f}; quality {args.quality}; {' '.join(args.extra)}")
    print(
        f"{'lecture':<12}{'render s':>9}{'length s':>9}{'run at s':>9}{'still max':>10}{'still %':>8}{'cues':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        for scene in args.scene or videos():
            command = [sys.executable, "render.py", "--scene", scene, "--quality", args.quality]
            start = time.perf_counter()
            done = subprocess.run(
                [*command, "--output", str(Path(tmp) / "out"), *args.extra],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                print(f"{scene:<12}failed: {done.stderr.strip().splitlines()[-1]}")
                continue
            f = figures(Path(done.stdout.strip().splitlines()[-1]))
            print(
                f"{scene:<12}{time.perf_counter() - start:>9.1f}{f['duration']:>9.1f}{f['run_starts']:>9.1f}"
                f"{f['still_longest']:>10.1f}{100 * f['still_share']:>7.0f}%{100 * f['cues_with_motion']:>6.0f}%"
            )


if __name__ == "__main__":
    main()
