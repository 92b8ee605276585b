"""The base of every lecture: captions from the catalogue, each beat held long enough to be read."""
from __future__ import annotations

from typing import Callable

from manim import DOWN, FadeIn, Mobject, Scene, Text, ThreeDScene, VGroup, Write, config

from gdcore import Trajectory, equations, run

from . import captions, style
from .captions import fmt, fmt_param
from .components import caption_bar, label, math
from .narration import Voice, webvtt
from .pacing import Schedule

READING_RATE = 2.6  # words per second a class reads comfortably
MIN_CAPTION = 2.5  # seconds
AFTER_SPEECH = 0.4  # seconds of quiet after a spoken sentence before the next caption


class Lecture(Scene):
    """A scene that teaches one run: captions from the catalogue with a record of cues (start, end, text) in
    video time, the run's trajectory and, when β > 0, plain gradient descent from the same start to compare."""

    def __init__(self, trajectory: Trajectory, lang: str = "en", voice: Voice | None = None, **kwargs):
        super().__init__(**kwargs)
        self.traj, self.lang, self.voice = trajectory, lang, voice
        t = trajectory
        self.ghost = run(t.problem, t.variant, t.lr, 0.0, t.last_step, t.positions[0]) if t.beta else None
        self.cues: list[list] = []  # [start, end, text]: the one timeline of captions and subtitles
        self.needs: list[float] = []  # seconds each cue must stay up: to be read, and to be spoken
        self.beats: dict[str, float] = {}  # beat name → its start in video time (seconds); "clock": the run
        self.caption = None
        self.camera.background_color = style.BACKGROUND

    BEATS: tuple[str, ...] = ()  # the lecture's storyboard: names of methods played in order

    def construct(self) -> None:
        for name in self.BEATS:
            self.beats[name] = self.now
            getattr(self, name)()

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
        # The new bar fades in over the old one (its band hides it), then the old one goes and the new one
        # moves to the back: static from then on, so the moving layer alone is redrawn every frame.
        self.play(FadeIn(bar, shift=0.1 * style.UP), run_time=0.4)
        if self.caption:
            self.remove(self.caption)
        self.bring_to_back(bar)
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

    def write_rule(self, at: tuple[float, float], width: float, size: float = style.PANEL_SIZE,
                  param: str = "x", loss: str = "f") -> None:
        """Write the rule that is run (in the lecture's symbols, with α and β as values) at `at`, at most
        `width` wide, and say what it does."""
        t = self.traj
        lines = [math(line, size) for line in equations(t.variant, param, loss)]
        values = math(rf"\alpha = {fmt_param(t.lr)} \qquad \beta = {fmt_param(t.beta)}", size, style.VELOCITY)
        self.rule = VGroup(*lines, values).arrange(DOWN, buff=0.14)
        self.rule.scale_to_fit_width(min(self.rule.width, width)).move_to([*at, 0])
        self.pin(self.rule)
        self.play(Write(self.rule), run_time=1.5)
        self.say(f"rule_{t.variant}", variant=self.words(t.variant), beta=fmt_param(t.beta), lr=fmt_param(t.lr))
        self.hold()

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

    def verdict_head(self) -> Text:
        """'Converged in k steps' (green), 'Not settled after n steps' (yellow) or 'Diverged at step k' (red)."""
        t = self.traj
        if t.diverged:
            return label(self.words("diverged_short", k=t.diverged_at), style.PANEL_SIZE, style.BAD)
        if t.converged_at is not None:
            return label(self.words("converged_short", k=t.converged_at), style.PANEL_SIZE, style.GOOD)
        return label(self.words("not_settled_short", n=t.last_step), style.PANEL_SIZE, style.VELOCITY)

    def say_verdict(self) -> None:
        """The verdict's caption: why it diverged (the stable limit), or how fast it converged (ρ)."""
        t = self.traj
        if t.diverged:
            self.say("diverged", k=t.diverged_at, lr=fmt_param(t.lr), limit=fmt_param(t.lr_limit, 4),
                     beta=fmt_param(t.beta))
        elif t.converged_at is not None:
            self.say("converged", k=t.converged_at, rho=fmt(t.convergence_factor))
        else:
            self.say("not_settled", n=t.last_step, rho=fmt(t.convergence_factor))

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
