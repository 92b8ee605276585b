"""Manim extended at its own extension points, where compat.py would otherwise replace its code: the renderer
a scene is given (`Scene(renderer=…)`: plays left undrawn move the clock as drawn ones, a frame unchanged is
not drawn again), its file writer (`CairoRenderer(file_writer_class=…)`) and that writer's segment encoder
(a held frame converted once; a segment written under a private name and sealed with its record), the
deck's own methods (manim-slides' settings that Manim 0.22 lacks), and Manim's log on stderr.

Imported only to render (it imports Manim). These subclasses read members of the classes they extend that
Manim does not document, so they are used only with the versions in compat.TESTED (`build`: Manim's own
renderer on others), and tests/core/test_compat.py lets this module and compat.py alone touch them."""

from __future__ import annotations

import inspect
import os
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

import av
from manim import Camera, Wait, config, error_console, logger
from manim._config.video_encoder import video_encoder_fingerprint
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from manim.utils.hashing import get_hash_from_play_call

from ..kit.pacing import frame_times
from . import compat
from .files import private_prefix

# x264's search for a segment of one picture held still: its bitstream headers (SPS, PPS) are those of every
# other segment, so the join stays valid, and its pictures decode the same to within 90 dB PSNR, for 30 % less
# CPU (6.1 → 4.2 ms a frame at 1080p, measured here on lecture frames)
STILL = "b-adapt=0:scenecut=0:subme=0"


def log_on_stderr() -> None:
    """Every handler of Manim's logger prints on Manim's stderr console, so that stdout ends with the video's
    path (Manim's handler prints on stdout); set once per process, again changes nothing."""
    for handler in logger.handlers:
        handler.console = error_console


def camera_class(scene: type) -> type:
    """The camera `scene` asks Scene for (ThreeDScene's ThreeDCamera…): the first default of `camera_class`
    along its classes' own __init__, else Manim's Camera."""
    for cls in scene.__mro__:
        init = cls.__dict__.get("__init__")
        wanted = inspect.signature(init).parameters.get("camera_class") if init else None
        if wanted is not None and wanted.default is not inspect.Parameter.empty:
            return wanted.default
    return Camera


def build(scene: type, *args, **kwargs):
    """scene(*args, **kwargs), drawn by a Renderer when compat applied its replacements (a tested Manim), by
    Manim's own renderer otherwise."""
    if compat.applied():
        kwargs["renderer"] = Renderer(camera_class=camera_class(scene))
    return scene(*args, **kwargs)


class SegmentEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, encoding into a private file beside the segment that `finish` renames into
    place with its record (compat.seal): a render sharing the segment cache never takes a half-written one.
    A frame held still is converted to the video's pixel format once, not once per repeat (a held 1080p frame
    cost 17.5 ms, now 7.3 ms, measured here), and never copied (Manim hands the pixels over)."""

    def __init__(self, *, target: Path, spec) -> None:
        self.final = Path(target)
        self.final.parent.mkdir(parents=True, exist_ok=True)
        handle, private = tempfile.mkstemp(dir=self.final.parent, prefix=private_prefix(), suffix=".mp4")
        os.close(handle)
        self.last_frame = (None, None)  # the pixels sent last and their converted frame
        super().__init__(target=Path(private), spec=spec)

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        """Encode `pixels` `repeat` times: the same pictures x264 gets from Manim's, made faster; a segment of
        one picture held still (freeze_current_frame) is searched less (STILL)."""
        self._validate_frame(pixels, repeat)
        if repeat > 1 and self._next_pts == 0 and self.spec.codec == "libx264":  # a segment held still
            context = self._stream.codec_context
            context.options = {**context.options, "x264-params": STILL}
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            frame = self.converted(pixels)
            for _ in range(repeat):
                frame.pts, frame.time_base = self._next_pts, time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    def converted(self, pixels):
        """`pixels` as a frame of the video's pixel format, converted as the encoder itself would (the same
        swscale threads); the same array sent again (Renderer.render) is converted once."""
        if self.last_frame[0] is not pixels:
            frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
            threads = self._stream.codec_context.thread_count
            self.last_frame = (pixels, frame.reformat(format=self._stream.pix_fmt, threads=threads))
        return self.last_frame[1]

    def finish(self) -> None:
        """Flush and close the segment, then rename it into place with its record."""
        done = self._closed
        super().finish()
        if not done:
            compat.seal(self.final, made=self.target)
            self.target = self.final


class FileWriter(SceneFileWriter):
    """Manim's file writer, its segments encoded by SegmentEncoder."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        return SegmentEncoder(target=target, spec=self.video_encoder)


class Renderer(CairoRenderer):
    """Manim's Cairo renderer, writing with FileWriter. A play that is not drawn (outside
    from_animation_number / upto_animation_number, found whole in the segment cache, or after play
    `drawn_upto`: -1 for every one) is played without drawing, the clock and the updaters as in a drawn
    render (Manim's moves the clock by the run time, not by frames: chunks drifted from one render).
    `played`: each play's segment key (or None), frames, whether it is held still and whether it was
    reused; `reuse` False draws every play again; `stopped` (an Event) set stops the render at the next
    frame."""

    def __init__(self, camera_class: type | None = None, **kwargs):
        super().__init__(file_writer_class=FileWriter, camera_class=camera_class, **kwargs)
        self.played, self.reuse, self.drawn_upto, self.stopped = [], True, None, None
        self.undrawn, self.drawn_frame = False, (None, None)

    def play(self, scene, *args, **kwargs) -> None:
        self.skip_animations = self._original_skipping_status
        self.update_skipping_status()
        scene.compile_animation_data(*args, **kwargs)
        later = self.drawn_upto is not None and self.num_plays > self.drawn_upto  # than what is drawn
        key = None if self.skip_animations or later else segment_key(self, scene)
        found = key is not None and not key.startswith("uncached_") and self.reuse and reusable(self, key)
        self.skip_animations = self.skip_animations or found or later
        self.file_writer.add_partial_movie_file(key)
        self.animations_hashes.append(key)
        self.file_writer.begin_animation(not self.skip_animations, animation_index=self.num_plays)
        scene.begin_animations()
        held, start = scene.is_current_animation_frozen_frame(), self.time
        if self.skip_animations:
            undrawn(self, scene, held)
        else:
            self.save_static_frame_data(scene, scene.static_mobjects)
            if held:
                self.update_frame(scene, mobjects=scene.moving_mobjects)
                self.freeze_current_frame(scene.duration)
            else:
                scene.play_internal()
        self.file_writer.end_animation(not self.skip_animations)
        self.played.append((key, round((self.time - start) * self.camera.frame_rate), held, bool(found)))
        self.num_plays += 1
        self.skip_animations = self._original_skipping_status  # a sound added after a skipped play is kept

    def render(self, scene, time, moving_mobjects=None) -> None:
        """Draw and add a frame; while a play is undrawn, only advance the clock by one frame, as add_frame
        does; send the play's last frame again, undrawn, when the scene says nothing changed since (its
        `frame_unchanged()`, scenes.kit.lecture: the run at rest)."""
        if self.stopped is not None and self.stopped.is_set():
            raise KeyboardInterrupt  # asked to stop (scenes.pipeline.chunks): Manim removes the unfinished segment
        if self.undrawn:
            self.time += 1 * (1 / self.camera.frame_rate)
            return
        if self.drawn_frame[0] == self.num_plays and getattr(scene, "frame_unchanged", bool)():
            self.add_frame(self.drawn_frame[1])  # the same array: the encoder converts it once
            return
        self.update_frame(scene, moving_mobjects)
        self.drawn_frame = (self.num_plays, self.get_frame())
        self.add_frame(self.drawn_frame[1])


def segment_key(renderer, scene) -> str:
    """Manim's cache key of the play about to run (its hash, or uncached_<n> with caching off)."""
    if config["disable_caching"]:
        return f"uncached_{renderer.num_plays:05}"
    return get_hash_from_play_call(
        scene,
        renderer.camera,
        scene.animations,
        scene.mobjects,
        backend="cairo",
        encoder_fingerprint=video_encoder_fingerprint(scene.session_spec.video_encoder),
        renderer_state=(),
    )


def undrawn(renderer, scene, held: bool) -> None:
    """Play the compiled animation without drawing or encoding: the clock advances by its frames at once (as
    freeze_current_frame does for a still one), and a moving one's animations and updaters are brought to
    its last frame's time in one update (Renderer.render only counts the frame). The lectures' updaters are
    functions of the clock, not of the frames before: what a drawn render shows at that frame (a wait until
    a condition, which the lectures do not use, is updated at every frame)."""
    dt = 1 / renderer.camera.frame_rate
    if held:
        renderer.time += int(scene.duration / dt) * dt
        return
    waits = any(isinstance(a, Wait) and a.stop_condition is not None for a in scene.animations)
    last = -1.0 if waits else frame_times(scene.duration)[-1]
    update = scene.update_to_time
    scene.update_to_time = lambda t: update(t) if t >= last else None
    renderer.skip_animations, renderer.undrawn = False, True
    try:
        scene.play_internal()
    finally:
        renderer.skip_animations, renderer.undrawn = True, False
        del scene.update_to_time


def reusable(renderer, key: str) -> bool:
    """Whether the play's segment is in the cache, whole. A damaged one is drawn again, said in one line
    (the new one is renamed over it: a render joining the old one meanwhile never loses a file)."""
    if not renderer.file_writer.is_already_cached(key):
        return False
    path = renderer.file_writer.output_plan.segment_path(key)
    state = compat.check(path)
    if state == "damaged":
        print(f"warning: a damaged animation in the cache is drawn again: {path}", file=sys.stderr)
    return state == "whole"


class DeckMethods:
    """Mixed in before manim-slides' Slide (scenes.pipeline.slides.as_slides): Slide.__init__ without its
    config["write_to_movie"] = True, and Slide.render without config["flush_cache"] (settings Manim 0.22 no
    longer has)."""

    def __init__(self, *args, **kwargs) -> None:
        from manim_slides.slide.manim import Slide

        super(Slide, self).__init__(*args, **kwargs)

    def render(self, *args, **kwargs) -> None:
        """Render, then save the slides (the render's settings keep every partial movie: max_files_cached -1)."""
        from manim_slides.slide.manim import Slide

        super(Slide, self).render(*args, **kwargs)
        self._save_slides(
            use_cache=not (config.disable_caching or self.disable_caching),
            flush_cache=self.flush_cache,
            skip_reversing=self.skip_reversing,
        )
