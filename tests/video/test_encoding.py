"""Held frames are converted once, and a segment held still is searched less (scenes.pipeline.compat): the video must
be the same as Manim's, and a still segment joinable with any other."""

from fractions import Fraction

import av
import numpy as np

from scenes.pipeline import compat

SPEC = ("mp4", "libx264", "yuv420p", 320, 180, Fraction(30), (("crf", "23"), ("preset", "superfast")))


def background() -> np.ndarray:
    rng = np.random.default_rng(0)
    frame = rng.integers(0, 255, (180, 320, 4), dtype=np.uint8)
    frame[..., 3] = 255
    return frame


def encoded(path, write, shots) -> tuple[bytes, list[np.ndarray]]:
    """The segment's bitstream headers (SPS and PPS) and its decoded frames, `shots` (frame, repeat) written."""
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    encoder = VideoSegmentEncoder(target=path, spec=VideoEncoderSpec(*SPEC))
    for frame, repeat in shots:
        write(encoder, frame.copy(), repeat=repeat)
    encoder.finish()
    with av.open(str(path)) as box:
        headers = bytes(box.streams.video[0].codec_context.extradata)
        return headers, [f.to_ndarray(format="yuv420p") for f in box.decode(video=0)]


def test_held_frames_give_the_same_video_as_manims_encoder(tmp_path):
    from manim._config.video_encoder import VideoEncoderSpec
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    compat.apply()
    ours = VideoSegmentEncoder.write_frame
    spec = VideoEncoderSpec(*SPEC)
    base = background()

    def moved(i: int) -> np.ndarray:
        frame = base.copy()
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


def test_a_segment_held_still_has_every_segment_s_headers_and_manims_pictures(tmp_path):
    """The headers must be those of a moving segment (the join keeps the first segment's), and the
    pictures Manim's own encoder makes, to within rounding."""
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    compat.apply()
    ours, still = VideoSegmentEncoder.write_frame, [(background(), 40)]
    moving, _ = encoded(tmp_path / "moving.mp4", ours, [(np.roll(background(), i, 1), 1) for i in range(5)])
    headers, pictures = encoded(tmp_path / "ours.mp4", ours, still)
    manims_headers, manims = encoded(tmp_path / "manim.mp4", ours.original, still)
    assert headers == moving == manims_headers and len(pictures) == len(manims) == 40
    worst = max(np.mean((a.astype(float) - b.astype(float)) ** 2) for a, b in zip(pictures, manims))
    assert worst == 0 or 10 * np.log10(255**2 / worst) >= 60, worst
