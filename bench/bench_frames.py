"""The cost of a held frame (a wait: the same picture `repeat` times) at 1080p60 in Manim's segment encoder
and in ours (scenes.pipeline.extensions.SegmentEncoder), measured in one run, best of 3.

    .venv/bin/python bench/bench_frames.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from scenes.pipeline.render import ENCODER  # noqa: E402

HELD = 120  # frames: two seconds at 60 fps


def per_frame(kind: type, folder: Path) -> float:
    """Milliseconds per frame for an encoder of `kind` to encode one 1080p picture held for HELD frames,
    best of 3."""
    from manim._config.video_encoder import VideoEncoderSpec

    spec = VideoEncoderSpec(
        "mp4", "libx264", "yuv420p", 1920, 1080, Fraction(60), tuple(ENCODER["high"].items())
    )
    picture = np.zeros((1080, 1920, 4), np.uint8)
    picture[..., 3] = 255
    picture[200:800, 300:1500, :3] = 120
    best = float("inf")
    for i in range(3):
        encoder = kind(target=folder / f"{i}.mp4", spec=spec)
        start = time.perf_counter()
        encoder.write_frame(picture.copy(), repeat=HELD)
        encoder.finish()
        best = min(best, time.perf_counter() - start)
    return best / HELD * 1000


def main() -> None:
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from scenes.pipeline.extensions import SegmentEncoder

    with tempfile.TemporaryDirectory() as tmp:
        manim, fast = per_frame(VideoSegmentEncoder, Path(tmp)), per_frame(SegmentEncoder, Path(tmp))
    print(
        f"held 1080p frame, x264 {ENCODER['high']}: Manim's encoder {manim:.1f} ms, ours {fast:.1f} ms "
        f"per frame ({fast / manim:.2f}x)"
    )


if __name__ == "__main__":
    main()
