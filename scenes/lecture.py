"""The base of every lecture: captions from the catalogue, each beat held long enough to be read."""
from __future__ import annotations

from typing import Callable

from manim import FadeIn, FadeOut, Mobject, Scene, ThreeDScene, config

from . import captions, style
from .components import caption_bar
from .narration import Voice, webvtt
from .pacing import Schedule

READING_RATE = 2.6  # words per second a class reads comfortably
MIN_CAPTION = 2.5  # seconds
AFTER_SPEECH = 0.4  # seconds of quiet after a spoken sentence before the next caption


class Lecture(Scene):
    """A scene with a language, a caption bar and a record of cues (start, end, text) in video time."""

    def __init__(self, lang: str = "en", voice: Voice | None = None, **kwargs):
        super().__init__(**kwargs)
        self.lang, self.voice = lang, voice
        self.cues: list[list] = []  # [start, end, text]: the one timeline of captions and subtitles
        self.needs: list[float] = []  # seconds each cue must stay up: to be read, and to be spoken
        self.beats: dict[str, float] = {}  # beat name → its start in video time (seconds)
        self.caption = None
        self.camera.background_color = style.BACKGROUND

    def words(self, key: str, **values) -> str:
        return captions.text(self.lang, key, **values)

    @property
    def now(self) -> float:
        return float(self.renderer.time)

    def say(self, key: str, **values) -> None:
        """Replace the caption with catalogue entry `key` (numbers filled in) and start its cue, once the
        previous caption has been read (and spoken) in full."""
        if self.cues:
            self.hold()
        line = self.words(key, **values)
        bar = caption_bar(line)
        if self.cues:
            self.cues[-1][1] = self.now
        self.cues.append([self.now, None, line])
        need = max(MIN_CAPTION, len(line.split()) / READING_RATE)
        if self.voice:
            wav, seconds = self.voice.speak(line)
            self.add_sound(str(wav))
            need = max(need, seconds + AFTER_SPEECH)
        self.needs.append(need)
        self.pin(bar)
        swap = [FadeIn(bar, shift=0.1 * style.UP)] + ([FadeOut(self.caption)] if self.caption else [])
        self.play(*swap, run_time=0.4)
        self.bring_to_back(bar)  # static from now on: behind the moving layer, so not redrawn every frame
        self.caption = bar

    def hold(self, at_least: float = 0.0) -> None:
        """Wait until the current caption has been read (and spoken), and at least `at_least` seconds more."""
        remaining = max(at_least, self.needs[-1] - (self.now - self.cues[-1][0]))
        if remaining > 0:
            self.wait(max(remaining, 1 / config.frame_rate))

    def pin(self, *mobjects: Mobject) -> None:
        """Keep flat things (captions, panels) fixed in the frame when the camera is 3-D."""
        if isinstance(self, ThreeDScene):
            self.add_fixed_in_frame_mobjects(*mobjects)

    def drive(self, still: Mobject, layer: Mobject, schedule: Schedule, frame: Callable[[int, float], None],
              captions: list[tuple[str, dict]]) -> None:
        """Play the run: one clock moves `layer` through the schedule, calling frame(k, s) each frame (k the
        last step reached, s the eased progress to k + 1), while `captions` follow one another.

        `still` holds the run's parts that never change (panel labels, inset axes): added before the layer,
        they are drawn once into Manim's static background instead of on every frame."""
        clock = [0.0]
        last = len(schedule.durations)

        def update(_: Mobject, dt: float) -> None:
            clock[0] += dt
            k, s = schedule.at(clock[0])
            frame(min(k, last), s)

        frame(0, 0.0)
        self.play(FadeIn(still), FadeIn(layer), run_time=0.8)
        layer.add_updater(update)
        self.beats["clock"] = self.now  # step k rests at this time + schedule.rest_time(k)
        for key, values in captions:
            self.say(key, **values)
            self.hold(0.5)
        self.hold(schedule.total - clock[0] + 0.6)
        layer.remove_updater(update)

    def tear_down(self) -> None:
        """Close the last cue at the end of the video; hand every cue to Manim's .srt writer; pad the voice
        track with silence to the video's length."""
        self.cues[-1][1] = self.now
        for start, end, line in self.cues:
            self.add_subcaption(line, duration=end - start, offset=start - self.now)
        if self.voice:
            from pydub import AudioSegment
            self.renderer.file_writer.add_audio_segment(AudioSegment.silent(0), time=self.now)
        super().tear_down()

    def subtitles_vtt(self) -> str:
        return webvtt([tuple(cue) for cue in self.cues])
