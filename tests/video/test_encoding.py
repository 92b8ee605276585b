"""Held frames are converted once, and a segment held still is searched less (scenes.pipeline.extensions'
SegmentEncoder): the video must be the same as Manim's encoder makes, and a still segment joinable with any
other."""

from fractions import Fraction

import av
import numpy as np

SPEC = ("mp4", "libx264", "yuv420p", 320, 180, Fraction(30), (("crf", "23"), ("preset", "superfast")))


def background() -> np.ndarray:
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 255, (180, 320, 4), dtype=np.uint8)
    frame[..., 3] = 255
    return frame


def encoders():
    """Manim's segment encoder and ours."""
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from scenes.pipeline.extensions import SegmentEncoder

    return VideoSegmentEncoder, SegmentEncoder


def encoded(path, kind, shots) -> tuple[bytes, list[np.ndarray]]:
    """The segment's bitstream headers (SPS and PPS) and its decoded frames, `shots` (frame, repeat) written
    by an encoder of `kind`."""
    from manim._config.video_encoder import VideoEncoderSpec

    encoder = kind(target=path, spec=VideoEncoderSpec(*SPEC))
    for frame, repeat in shots:
        encoder.write_frame(frame.copy(), repeat=repeat)
    encoder.finish()
    with av.open(str(path)) as box:
        headers = bytes(box.streams.video[0].codec_context.extradata)
        return headers, [f.to_ndarray(format="yuv420p") for f in box.decode(video=0)]


def test_held_frames_give_the_same_video_as_manims_encoder(tmp_path):
    from manim._config.video_encoder import VideoEncoderSpec

    spec = VideoEncoderSpec(*SPEC)
    base = background()

    def moved(i: int) -> np.ndarray:
        frame = base.copy()
        frame[60:100, 10 * i : 10 * i + 40, :3] = 255
        return frame

    shots = [(moved(i), 1) for i in range(10)] + [(moved(10), 25)] + [(moved(i), 1) for i in range(11, 16)]
    decoded = []
    for kind, name in zip(encoders(), ("manim", "ours")):
        encoder = kind(target=tmp_path / f"{name}.mp4", spec=spec)
        for frame, repeat in shots:
            encoder.write_frame(frame.copy(), repeat=repeat)
        encoder.finish()
        with av.open(str(tmp_path / f"{name}.mp4")) as box:
            decoded.append([(f.pts, f.to_ndarray(format="yuv420p")) for f in box.decode(video=0)])
    assert len(decoded[0]) == len(decoded[1]) == 40
    for (pts_a, a), (pts_b, b) in zip(*decoded):
        assert pts_a == pts_b and np.array_equal(a, b)


def test_a_segment_held_still_has_every_segment_s_headers_and_manims_pictures(tmp_path):
    """The headers must be those of a moving segment (the join keeps the first segment's), and the
    pictures Manim's own encoder makes, to within rounding."""
    manim, ours = encoders()
    still = [(background(), 40)]
    moving, _ = encoded(tmp_path / "moving.mp4", ours, [(np.roll(background(), i, 1), 1) for i in range(5)])
    headers, pictures = encoded(tmp_path / "ours.mp4", ours, still)
    manims_headers, manims = encoded(tmp_path / "manim.mp4", manim, still)
    assert headers == moving == manims_headers and len(pictures) == len(manims) == 40
    worst = max(np.mean((a.astype(float) - b.astype(float)) ** 2) for a, b in zip(pictures, manims))
    assert worst == 0 or 10 * np.log10(255**2 / worst) >= 60, worst
