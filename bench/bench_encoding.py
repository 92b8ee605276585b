"""Choose x264 settings: render one lecture with Manim's default encoder settings and with faster presets,
and print for each the wall time, the file size and the PSNR of frames at the same timestamps against the
default's (targets: PSNR >= 40 dB, size <= 1.5x).

    .venv/bin/python bench/bench_encoding.py --quality high
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RENDER = """
import json, sys
sys.path.insert(0, {root!r})
from gdcore import lesson
from scenes.pipeline.render import render_lecture
print(render_lecture(lesson("parabola", steps={steps}), quality={quality!r}, output={out!r}, force=True,
                     encoder=json.loads({encoder!r})))
"""
PRESETS = [
    {"crf": "23"},
    {"crf": "23", "preset": "veryfast"},
    {"crf": "23", "preset": "superfast"},
    {"crf": "21", "preset": "superfast"},
    {"crf": "23", "preset": "ultrafast"},
]


def frames(video: Path, times: np.ndarray) -> list[np.ndarray]:
    """The frames shown at `times` (seconds), as RGB arrays."""
    out, i = [], 0
    with av.open(str(video)) as box:
        stream = box.streams.video[0]
        last = None
        for frame in box.decode(stream):
            t = float(frame.pts * stream.time_base)
            while i < len(times) and t > times[i] + 1e-6:
                out.append(last)
                i += 1
            last = frame.to_ndarray(format="rgb24")
        out += [last] * (len(times) - i)
    return out


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


def main() -> None:
    import json

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", default="high")
    ap.add_argument("--steps", type=int, default=20)
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, encoder in enumerate(PRESETS):
            code = RENDER.format(
                root=str(ROOT),
                steps=args.steps,
                quality=args.quality,
                out=f"{tmp}/{i}",
                encoder=json.dumps(encoder),
            )
            if i == 0:  # warm-up: fills the LaTeX cache
                subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
            results.append((encoder, time.perf_counter() - start, Path(proc.stdout.strip().splitlines()[-1])))
        with av.open(str(results[0][2])) as box:
            duration = float(box.duration) / 1e6
        times = np.linspace(1, duration - 1, 12)
        reference = frames(results[0][2], times)
        base_time, base_size = results[0][1], results[0][2].stat().st_size
        print(f"quality={args.quality} video={duration:.1f}s, one run each, PSNR over {len(times)} frames")
        for encoder, seconds, video in results:
            worst = min(psnr(a, b) for a, b in zip(reference, frames(video, times)))
            size = video.stat().st_size
            print(
                f"{json.dumps(encoder):<40} {seconds:6.1f} s ({seconds / base_time:.2f}x)  "
                f"{size / 1e6:6.2f} MB ({size / base_size:.2f}x)  worst PSNR {worst:.1f} dB"
            )


if __name__ == "__main__":
    main()
