"""Helpers for the video tests: render through the real command line, read the file with PyAV."""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from pathlib import Path

import av
import numpy as np

from gdcore import HYPERPARAMETERS

ROOT = Path(__file__).resolve().parents[2]

# The shared renders' options: few steps, small data, so the video tests stay quick.
PARABOLA = ["--steps", "6", "--lr", "0.4", "--beta", "0.7", "--x0", "4.5"]
REGRESSION = ["--scene", "regression", "--steps", "5", "--samples", "25", "--seed", "3"]
VOICED = ["--steps", "4", "--voice"]  # the voiced lecture: the parabola's default run, few steps


def options(args: list[str]) -> dict:
    """The hyperparameters named in command-line arguments, typed as the table says (--scene left out)."""
    pairs = dict(zip(args[::2], args[1::2]))
    names = {flag: flag[2:].replace("-", "_") for flag in pairs if flag != "--scene"}
    return {name: HYPERPARAMETERS[name].kind(pairs[flag]) for flag, name in names.items()}


def render(output: Path, *args: str) -> tuple[Path, dict, subprocess.CompletedProcess]:
    """Run `python render.py --quality low --output OUTPUT ARGS…`; return the video, its sidecar, the process."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "render.py"), "--quality", "low", "--output", str(output), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    video = Path(proc.stdout.strip().splitlines()[-1])
    return video, json.loads(video.with_suffix(".json").read_text()), proc


def probe(video: Path) -> dict:
    """Duration (s), size and frame rate of the video stream, and the number of decoded frames."""
    with av.open(str(video)) as box:
        stream = box.streams.video[0]
        frames = sum(1 for _ in box.decode(stream))
        return {
            "duration": float(box.duration) / 1e6,
            "width": stream.width,
            "height": stream.height,
            "fps": float(stream.average_rate),
            "frames": frames,
        }


def frame_at(video: Path, t: float) -> np.ndarray:
    """The RGB frame shown at time t (the last one whose timestamp is <= t)."""
    with av.open(str(video)) as box:
        stream = box.streams.video[0]
        chosen = None
        for frame in box.decode(stream):
            if float(frame.pts * stream.time_base) > t + 1e-6:
                break
            chosen = frame
        return chosen.to_ndarray(format="rgb24")


def pixel(
    point, shape, frame_width: float = 14.222222222222221, frame_height: float = 8.0
) -> tuple[int, int]:
    """Scene coordinates → (row, column) in a frame of `shape`."""
    h, w = shape[:2]
    col = (point[0] + frame_width / 2) / frame_width * w
    row = (frame_height / 2 - point[1]) / frame_height * h
    return int(round(row)), int(round(col))


def hex_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])


@contextlib.contextmanager
def small_disk(folder: Path, size: str):
    """`folder` as a tmpfs of `size` (a full disk) for the duration; the test is skipped without root."""
    import pytest

    folder.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    ).returncode:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)])


def frame_pairs(a: Path, b: Path):
    """The decoded frames of two videos side by side, one pair at a time (None where one has run out)."""
    with av.open(str(a)) as one, av.open(str(b)) as two:
        left = (f.to_ndarray(format="rgb24") for f in one.decode(one.streams.video[0]))
        right = (f.to_ndarray(format="rgb24") for f in two.decode(two.streams.video[0]))
        while True:
            x, y = next(left, None), next(right, None)
            if x is None and y is None:
                return
            yield x, y


def psnr(x: np.ndarray, y: np.ndarray) -> float:
    if np.array_equal(x, y):
        return float("inf")
    mse = np.mean((x.astype(np.float64) - y.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


def same_frames(a: Path, b: Path) -> tuple[int, float]:
    """How many frames two videos have (asserting the same number) and the worst PSNR of a pair, in dB."""
    count, worst = 0, float("inf")
    for x, y in frame_pairs(a, b):
        assert x is not None and y is not None, f"frame counts differ after {count} frames"
        worst, count = min(worst, psnr(x, y)), count + 1
    return count, worst


def reported(stderr: str) -> dict:
    """The render's line 'animations: D drawn, R reused from the cache (F of T frames), in N processes'."""
    found = re.search(
        r"animations: (\d+) drawn, (\d+) reused from the cache \((\d+) of (\d+) frames\), in (\d+)", stderr
    )
    assert found, stderr[-2000:]
    return dict(zip(("drawn", "reused", "reused_frames", "frames", "processes"), map(int, found.groups())))
