"""Held frames are converted once (scenes.patches): the video must be the same as Manim's."""

from fractions import Fraction

import av
import numpy as np

from scenes import patches


def test_held_frames_give_the_same_video_as_manims_encoder(tmp_path):
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    patches.apply()
    ours = VideoSegmentEncoder.write_frame
    spec = VideoEncoderSpec(
        "mp4", "libx264", "yuv420p", 320, 180, Fraction(30), (("crf", "23"), ("preset", "superfast"))
    )
    rng = np.random.default_rng(0)
    background = rng.integers(0, 255, (180, 320, 4), dtype=np.uint8)
    background[..., 3] = 255

    def moved(i: int) -> np.ndarray:
        frame = background.copy()
        frame[60:100, 10 * i : 10 * i + 40, :3] = 255
        return frame

    shots = [(moved(i), 1) for i in range(10)] + [(moved(10), 25)] + [(moved(i), 1) for i in range(11, 16)]
    decoded = []
    for write, name in [(ours.original, "manim"), (ours, "ours")]:
        encoder = VideoSegmentEncoder(target=tmp_path / f"{name}.mp4", spec=spec)
        for frame, repeat in shots:
            write(encoder, frame.copy(), repeat=repeat)
        encoder.finish()
        with av.open(str(tmp_path / f"{name}.mp4")) as box:
            decoded.append([(f.pts, f.to_ndarray(format="yuv420p")) for f in box.decode(video=0)])
    assert len(decoded[0]) == len(decoded[1]) == 40
    for (pts_a, a), (pts_b, b) in zip(*decoded):
        assert pts_a == pts_b and np.array_equal(a, b)
