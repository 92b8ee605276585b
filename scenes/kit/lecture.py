"""The base of every lecture: captions from the language file, each beat held long enough to be read."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Circumscribe,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    ManimColor,
    Mobject,
    Scene,
    ShowPassingFlash,
    Text,
    ThreeDScene,
    UpdateFromAlphaFunc,
    VGroup,
    Wait,
    Write,
    config,
    smooth,
)

from gdcore import DISPLACEMENT_TEXT, HYPERPARAMETERS, Lesson, Outcome, Subject, equations

from ..words import captions, locales, story
from ..words.captions import fmt, fmt_param
from ..words.narration import Voice, webvtt
from . import style
from .eigenplane import EigenPlane
from .pacing import Schedule, frame_times, nice_ceiling
from .pieces import BallOnCurve, LossInset, Window, caption_bar, inset_at, label, math

READING_RATE = 2.6  # words per second a class reads comfortably
MIN_CAPTION = 2.5  # seconds
AFTER_SPEECH = 0.4  # seconds of quiet after a spoken sentence before the next caption
READING_CHARS = 17  # characters per second: no caption is up for less than its length at this rate
LONGEST = 12.0  # seconds: no caption is up for longer
CAPTION_FADE = 0.4  # seconds a caption takes to fade in
RUN_HOLD = 0.5  # seconds a caption of the run stays up at least after its fade-in
SHORTEST = CAPTION_FADE + RUN_HOLD  # seconds a caption of the run is up at least (Lecture.paced plans them)
RUN_FADE = 0.8  # seconds the run's pieces take to fade in before its clock starts
PIECE = 2.5  # seconds: the longest play of a wait while the run moves (a split render cuts between plays)


def split_sum(tex: str) -> tuple[str, str] | None:
    """`tex` cut before its first + or − outside brackets right of "=" (the part that goes on a second line),
    or None when there is none."""
    depth, start = 0, tex.find(" = ")
    for i in range(max(start, 0), len(tex) - 2):
        depth += (tex[i] in "({") - (tex[i] in ")}")
        if depth == 0 and tex[i : i + 3] in (" - ", " + "):
            return tex[:i], "{}" + tex[i:]
    return None


def rule_lines(lines: dict[str, str], size: float, width: float) -> list[Mobject]:
    """The rule's lines (TeX → colour) in TeX at `size`; a line that would have to shrink below the smallest
    readable size to fit in `width` goes on two, its sum's second term indented."""
    out = []
    for tex, colour in lines.items():
        line, parts = math(tex, size, colour), split_sum(tex)
        if line.width * style.SMALL_SIZE / size > width and parts is not None:
            first, second = (math(part, size, colour) for part in parts)
            line = VGroup(first, second).arrange(DOWN, buff=0.1, aligned_edge=LEFT)
            second.shift(RIGHT * size / 40)  # a quad's indent
        out.append(line)
    return out


class Lecture(Scene):
    """A scene that teaches a Lesson, a Comparison or a Landscape (the subject): captions from the language file
    with a record of cues (start, end, text) in video time. It draws the subject's numbers; it computes none.
    `lesson` is the subject's (first) single run."""

    TEACHES: type  # what it draws (gdcore's Lesson, Comparison or Landscape): render finds it by this
    BEATS: tuple[str, ...] = ()  # the lecture's storyboard: names of methods played in order
    VERDICT = "verdict"  # the beat whose first caption says what happened (the class page's one-line verdict)
    TITLE, QUESTION = "title", "question"  # message names of the opening beat

    def __init__(self, subject: Subject, lang: str = "en", voice: Voice | None = None, **kwargs):
        super().__init__(**kwargs)
        self.subject, self.lang, self.voice = subject, lang, voice
        self.lesson: Lesson = subject.lesson
        self.cues: list[list] = []  # [start, end, text]: the one timeline of captions and subtitles
        self.spoken: list[str] = []  # each cue's words as read aloud (with --voice)
        self.claims: list[list[dict]] = []  # each cue's claims: what its sentence rests on
        self.needs: list[float] = []  # seconds each cue must stay up: to be read, and to be spoken
        self.speeches: dict[str, tuple[Path, float]] = {}  # each sentence as spoken: its WAV and length
        self.clock: Schedule | None = None  # the run's schedule as played (Lecture.paced)
        self.draw_time = 1.5  # seconds a verdict sentence's picture takes to draw (say_drawn)
        self.beats: dict[str, float] = {}  # beat name → its start in video time (seconds); "clock": the run
        self.bar = None
        self.step_shown, self.at_rest = None, False  # the run's step drawn last (set_step); unchanged since
        self.clocked = None  # the run's moving layer, which the clock's updater drives
        self.updaters_seen: tuple[int, bool] = (-1, False)  # (play, only the run's clock has updaters)
        self.camera.background_color = ManimColor(style.BACKGROUND)

    def construct(self) -> None:
        for i, name in enumerate(self.BEATS):
            if i and hasattr(self, "next_slide"):  # rendered as a manim-slides deck: each beat is a slide
                self.next_slide()
            self.beats[name] = self.now
            getattr(self, name)()

    def chapters(self) -> list[dict]:
        """The beats as chapters: title (from the language file), start and end in video time."""
        ends = [self.beats[name] for name in self.BEATS[1:]] + [self.now]
        return [
            {"beat": name, "title": self.words(f"beat_{name}"), "start": self.beats[name], "end": end}
            for name, end in zip(self.BEATS, ends)
        ]

    def opening(self, beat: str) -> str:
        """The first caption of `beat`: for VERDICT the verdict in one line, for predict the question."""
        return next(line for start, _, line in self.cues if start >= self.beats[beat])

    def words(self, key: str, **values) -> str:
        return captions.text(self.lang, key, **values)

    def tex_words(self, key: str, **values) -> str:
        """words(key) as TeX text (captions.tex_text): the language file's words are never TeX code."""
        return captions.tex_text(self.words(key, **values))

    @property
    def sign(self) -> str:
        """The language's decimal sign: "." or "," (locales.Language.decimal_sign)."""
        return locales.load(self.lang).decimal_sign

    def number(self, shown: str, tex: bool = False) -> str:
        """`shown` (numbers as fmt writes them) with the language's decimal sign ("0,95"; in TeX "0{,}95")."""
        return captions.decimals(self.lang, shown, tex)

    @property
    def now(self) -> float:
        return float(self.renderer.time)

    def wait(self, duration: float = 1.0, stop_condition=None, frozen_frame: bool | None = None) -> None:
        """Scene.wait; one while something moves (the run's clock) is played as plays of at most PIECE
        seconds with the frames of one wait, so that a split render (scenes.pipeline.chunks) can share the run's long
        waits between its processes: each frame is drawn at the same time, and the timeline is the same."""
        moving = self.updaters or any(m.has_time_based_updater() for m in self.get_mobject_family_members())
        if stop_condition is not None or frozen_frame or not moving:
            return super().wait(duration, stop_condition, frozen_frame)
        rate, frames = config.frame_rate, len(frame_times(duration))
        count = -(-frames // round(PIECE * rate))
        for i in range(count):  # as even as whole frames allow; k frames are those of (k - 0.5) / rate
            super().wait((frames // count + (i < frames % count) - 0.5) / rate, frozen_frame=False)

    @contextmanager
    def caption(
        self, key: str, at_least: float = 0.0, claims: Sequence[dict] = (), hold: bool = True, **values
    ) -> Iterator[None]:
        """Show message `key` of the language file (the problem's formulas and `values` filled in) while the
        body plays, then hold it until it has been read (and spoken), and at least `at_least` seconds more.
        `claims`: what the sentence rests on (gdcore.claims), recorded beside it in the sidecar."""
        self._show(key, {**self.subject.problem.formulas, **values})
        self.claims.append(list(claims))
        yield
        if hold:  # else it stays up while the next beat draws, and the next caption waits until it is read
            self.hold(at_least)

    def tell(self, key: str, at_least: float = 0.0, claims: Sequence[dict] = (), hold: bool = True, **values):
        """Show message `key` as `caption` does, with nothing playing meanwhile."""
        with self.caption(key, at_least, claims, hold, **values):
            pass

    def say(self, lines: Sequence[story.Line], at_least: float = 0.0) -> None:
        """Each line of the story in turn, with its claims; the last one held `at_least` seconds more."""
        for i, said in enumerate(map(self.as_said, lines)):
            self.tell(said.key, at_least if i == len(lines) - 1 else 0.0, said.claims, **said.values)

    def as_said(self, said: story.Line) -> story.Line:
        """A line of the story as this lecture says it."""
        return said

    def _show(self, key: str, values: dict) -> None:
        if self.cues:
            self.hold()  # the caption up is read before another takes its place
        line = self.words(key, **values)
        bar = caption_bar(line)
        if self.cues:
            self.cues[-1][1] = self.now
        self.cues.append([self.now, None, line])
        self.needs.append(self.needed(key, values))
        if self.voice:
            said, wav, _ = self.voiced(key, values)
            self.spoken.append(said)
            if wav is not None:  # a chunk's replay of the parent's voice has no file (scenes.pipeline.chunks)
                self.add_sound(str(wav))
        self.pin(bar)
        # The new bar fades in over the old one (its band hides it), then the old one goes and the new one
        # moves to the back: static from then on, so the moving layer alone is redrawn every frame.
        self.play(FadeIn(bar, shift=0.1 * UP), run_time=CAPTION_FADE)
        if self.bar:
            self.remove(self.bar)
        self.bring_to_back(bar)
        self.bar = bar

    def needed(self, key: str, values: dict) -> float:
        """Seconds message `key` stays up: long enough to be read at either rate (and spoken), but never so
        long that the picture seems stuck (a frame's slack over the reading time; at most 9 s, leaving room for
        the animations before the next)."""
        values = {**self.subject.problem.formulas, **values}
        line = self.words(key, **values)
        need = min(
            max(MIN_CAPTION, len(line.split()) / READING_RATE, len(line) / READING_CHARS) + 0.2, LONGEST - 3
        )
        return max(need, self.voiced(key, values)[2] + AFTER_SPEECH) if self.voice else need

    def voiced(self, key: str, values: dict) -> tuple[str, Path, float]:
        """Message `key` as read aloud, its WAV file and its length in seconds (each sentence spoken once)."""
        said = captions.speech(self.lang, key, **values)
        if said not in self.speeches:
            self.speeches[said] = self.voice.speak(said)
        return said, *self.speeches[said]

    def hold(self, at_least: float = 0.0) -> None:
        """Wait until the current caption has been read (and spoken), and at least `at_least` seconds more."""
        remaining = max(at_least, self.needs[-1] - (self.now - self.cues[-1][0]))
        if remaining > 0:
            self.wait(max(remaining, 1 / config.frame_rate))

    def pin(self, *mobjects: Mobject) -> None:
        """Keep flat things (captions, panels) fixed in the frame when the camera is 3-D."""
        if isinstance(self, ThreeDScene):
            self.add_fixed_in_frame_mobjects(*mobjects)

    # 1 — the title (at most 4 s), then the question the lecture answers
    def intro(self) -> None:
        """The title (2 s), then the question over the lecture's picture in motion: set_stage() draws it,
        preview() moves it while the question is read (a lecture without them reads it while the next beat
        draws)."""
        self.show_title()
        self.set_stage()
        key, values = self.question()
        with self.caption(key, hold=False, **values):
            self.preview()

    def show_title(self) -> None:
        """The lecture's title, 1.7 s."""
        title = self.title(self.TITLE, **self.title_values())
        self.play(Write(title), run_time=0.9)
        self.wait(0.4)
        self.play(FadeOut(title), run_time=0.4)

    def set_stage(self) -> None:
        """Draw the picture the question is about (a lecture's hook; none by default)."""

    def preview(self) -> None:
        """Move the picture while the question is read (a lecture's hook; nothing by default)."""

    def sweep(self, pieces: Sequence, steps: tuple[float, float], seconds: float) -> None:
        """Play `pieces` from step steps[0] to steps[1] (fractional steps, either way) in `seconds`, eased."""

        def at(_: Mobject, alpha: float) -> None:
            t = steps[0] + (steps[1] - steps[0]) * smooth(alpha)
            self.set_step(pieces, int(t), t - int(t))

        self.play(UpdateFromAlphaFunc(VGroup(*(p.moving for p in pieces)), at), run_time=seconds)

    # before the run: a question about this run, with its values, and a pause to predict (the class page
    # stops here); the verdict answers it
    def predict(self) -> None:
        self.say([story.predict(self.subject)], at_least=1.5)

    def title_values(self) -> dict:
        return {}

    def question(self) -> tuple[str, dict]:
        return self.QUESTION, {}

    def title(self, key: str, **values) -> Text:
        title = Text(self.words(key, **values), font=style.FONT, font_size=style.TITLE_SIZE, color=style.TEXT)
        title.scale_to_fit_width(min(title.width, style.CAPTION_WIDTH))  # a long title stays inside the frame
        self.pin(title)
        return title

    def write_rule(self, at: tuple[float, float], width: float, size: float = style.PANEL_SIZE) -> None:
        """Write the rule that is run at `at` (rule_group), then say what it does (rule_shown moves the
        picture meanwhile)."""
        self.play(Write(self.rule_group(at, width, size)), run_time=1.5)
        key, values = self.rule_caption()
        with self.caption(key, **values):
            self.rule_shown()

    def rule_group(self, at: tuple[float, float], width: float, size: float = style.PANEL_SIZE) -> VGroup:
        """The rule that is run (in the problem's symbols, with α and β as values) placed at `at`, at most
        `width` wide (self.rule, pinned). Several rules (a comparison of variants) take the place of the
        problem's formulas (`self.formulas`, faded out), each line in the colour of the first run using it."""
        p, params = self.subject.problem, self.subject.params
        variants = params["variant"] if isinstance(params["variant"], list) else [params["variant"]]
        colours = style.RUNS if len(variants) > 1 else [style.TEXT]
        seen = {}
        for variant, colour in zip(variants, colours):
            for line in equations(variant, p.param_tex, p.loss_symbol):
                seen.setdefault(line, colour)
        lines = rule_lines(seen, size, width)

        def value(name: str) -> str:
            v = params[name]
            shown = [fmt_param(one, tex=True) for one in (v if isinstance(v, list) else [v])]
            listed = captions.listed(self.lang, shown, tex=True)
            return (r" \in \{" + listed + r"\}") if isinstance(v, list) else f" = {listed}"

        colour = style.TEXT if self.subject.compared else style.VELOCITY
        values = math(rf"\alpha{value('lr')} \qquad \beta{value('beta')}", size, colour)
        if values.width > width:  # a list of values: α and β on lines of their own, the rule stays readable
            values = VGroup(
                math(rf"\alpha{value('lr')}", size, colour), math(rf"\beta{value('beta')}", size, colour)
            )
            values.arrange(DOWN, buff=0.14)
        self.rule = VGroup(*lines, values).arrange(DOWN, buff=0.14)
        self.rule.scale_to_fit_width(min(self.rule.width, width)).move_to([*at, 0])
        if len(variants) > 1:
            self.play(FadeOut(self.formulas), run_time=0.5)
            self.rule.align_to(self.formulas, UP)
        self.pin(self.rule)
        return self.rule

    def rule_shown(self) -> None:
        """What moves while the rule's caption is read (a lecture's hook: nothing by default)."""

    def rule_caption(self) -> tuple[str, dict]:
        params = self.lesson.params
        key = (
            "rule_plain" if params["beta"] == 0 else f"rule_{params['variant']}"
        )  # β = 0: no momentum at all
        return key, dict(
            variant=self.words(params["variant"]), beta=fmt_param(params["beta"]), lr=fmt_param(params["lr"])
        )

    def schedule(self) -> Schedule:
        """The run's clock: every step of the longest run, fast-forward once every ball has settled (or
        left), plain gradient descent's beside a single run too, so that a long run does not spend most of
        its time on balls at rest."""
        lessons = self.subject.lessons
        n = max(one.run.last_step for one in lessons)
        ends = [
            one.run.last_step if one.verdict.outcome is Outcome.NOT_SETTLED else one.verdict.step
            for one in lessons
        ]
        plain = None if self.subject.compared else self.lesson.baseline
        if plain is not None:  # the violet ball of plain gradient descent, to its own end past a diverged run
            n = max(n, plain.last_step)
            ends.append(plain.diverged_at or plain.converged_at or plain.last_step)
        return Schedule.for_steps(max(n, 1), max(ends))

    def loss_inset(self, x: float, runs, title: str, width: float, height: float):
        """pieces.inset_at for `runs` with the lecture's steps, its words (`title`, "step") and its
        decimal sign."""
        words = self.words(title), self.words("step")
        return inset_at(x, runs, self.inset_steps(), *words, width, height, self.sign)

    def inset_steps(self) -> int:
        """How many steps the loss inset shows: all of them, or, when the run ends in a time-lapse, up to a
        round number a little past the step where every ball had settled or left (not a tail of balls at rest)."""
        schedule = self.schedule()
        n = len(schedule.durations)
        return n if schedule.fast_from is None else min(n, nice_ceiling(1.25 * max(schedule.fast_from, 1)))

    def drive(self, pieces: Sequence, cues: Sequence[tuple[str, dict]], shown: Sequence = ()) -> None:
        """Play the run: one clock moves every piece through the schedule with set_step(k, s) (k the last
        step reached, s the eased progress to k + 1), while the captions `cues` follow one another, then a
        caption at each of the run's events (story.run_events) when its step comes, and a time-lapse is said.
        A cue is (key, values) or (key, values, show): show() plays what the caption names as it is read.

        The pieces' `still` parts are added before their `moving` parts: they are drawn once into Manim's
        static background instead of on every frame. `shown`: pieces already on screen (not faded in)."""
        clock, schedule = [0.0], self.paced(cues)
        self.clock, last = schedule, len(schedule.durations)
        layer = VGroup(*(p.moving for p in pieces))

        def update(_: Mobject, dt: float) -> None:
            # the time of the frame being drawn (not a sum of dt: a play's frames fall short of its run time)
            clock[0] = self.now - self.beats["clock"]
            k, s = schedule.at(clock[0])
            self.at_rest = (id(pieces), min(k, last), s) == self.step_shown  # between steps, or settled
            if not self.at_rest:
                self.set_step(pieces, min(k, last), s)

        self.set_step(pieces, 0, 0.0)
        self.bring_in(pieces, layer, shown)
        layer.add_updater(update)
        self.clocked = layer
        self.beats["clock"] = self.now  # step k rests at this time + schedule.rest_time(k)
        for key, values, *shows in cues:  # (key, values[, what it draws as it is read])
            with self.caption(key, at_least=RUN_HOLD, **values):
                for show in shows:
                    show()
        for step, said in self.run_lines(schedule):
            self.wait_run(schedule.rest_time(step) - clock[0])
            with self.caption(said.key, at_least=RUN_HOLD, claims=said.claims, **self.as_said(said).values):
                if shown := self.event_shown(said):
                    self.play(*shown, run_time=1.0)
        self.wait_run(schedule.total - clock[0] + 0.6)
        layer.remove_updater(update)
        self.at_rest = False

    def bring_in(self, pieces: Sequence, layer: VGroup, shown: Sequence) -> None:
        """Fade in the pieces not `shown` yet; then their still parts (static from now on), and `layer`, their
        moving parts; what a piece `replaces` is drawn by it from now on."""
        faded = [VGroup(p.still, p.moving) for p in pieces if not any(p is q for q in shown)]
        self.play(*map(FadeIn, faded), run_time=RUN_FADE)
        self.remove(*faded, *(part for p in shown for part in (p.still, p.moving)))
        self.add(VGroup(*(p.still for p in pieces)), layer)
        self.remove(*(m for p in pieces for m in getattr(p, "replaces", ())))

    def step_times(self) -> list[float] | None:
        """When the run rests at each of its steps 0..n, in video time (seconds), or None without a run."""
        if self.clock is None:
            return None
        start = self.beats["clock"]
        return [round(start + self.clock.rest_time(k), 4) for k in range(len(self.clock.durations) + 1)]

    def run_lines(self, schedule: Schedule) -> list[tuple[int, story.Line]]:
        """The captions at the run's events (story.run_events), and the time-lapse's, by step."""
        last = len(schedule.durations)
        events = [(min(step, last), said) for step, said in story.run_events(self.subject)]
        runs = [one.run for one in self.subject.lessons] + [self.lesson.baseline] * (
            not self.subject.compared
        )
        seen = any(
            run is not None and not run.diverged for run in runs
        )  # a time-lapse of nothing is not said
        if schedule.fast_from is not None and seen:
            events.append(
                (schedule.fast_from, story.Line("ev_timelapse", dict(k=schedule.fast_from, n=last), []))
            )
        return sorted(events, key=lambda event: event[0])

    def paced(self, cues: Sequence[tuple[str, dict]]) -> Schedule:
        """The run's schedule, slowed where need be so that each event's caption starts as its step is
        reached, not after it: the captions before it (`cues`, then the events before) have been read; and
        so that the run goes on until the last caption has been read."""
        schedule, before = self.schedule(), 0  # the cues said as the first steps go, slowed if need be
        up = self.needs[-1] - (self.now + RUN_FADE - self.cues[-1][0]) if self.cues else 0.0
        t = max(up, 0.0) + sum(max(self.needed(key, values), SHORTEST) for key, values, *_ in cues)
        for step, said in self.run_lines(schedule):
            said = self.as_said(said)
            schedule, before = schedule.reaching(step, t, before), step
            t = max(t, schedule.rest_time(step)) + max(self.needed(said.key, said.values), SHORTEST)
        return schedule.reaching(len(schedule.durations), t, before)  # still moving while the last is read

    def wait_run(self, seconds: float) -> None:
        """Wait `seconds` of the run, if any (the picture moves: a caption may stay up while it does)."""
        if seconds > 0:
            self.wait(seconds)

    def set_step(self, pieces: Sequence, k: int, s: float) -> None:
        """One frame of the run: every piece at step k + s."""
        for piece in pieces:
            piece.set_step(k, s)
        self.step_shown = (id(pieces), k, s)

    def frame_unchanged(self) -> bool:
        """Whether this frame is the one before it (scenes.pipeline.compat then sends that one again, undrawn): a
        wait while the run is at rest (the clock's updater moved nothing), and no other updater runs."""
        if not self.at_rest or not all(isinstance(one, Wait) for one in self.animations):
            return False
        play = self.renderer.num_plays
        if self.updaters_seen[0] != play:  # what has updaters is the same during a play: looked at once
            moved = [m for m in self.get_mobject_family_members() if m.updaters]
            self.updaters_seen = (play, not self.updaters and len(moved) == 1 and moved[0] is self.clocked)
        return self.updaters_seen[1]

    def say_drawn(self, lines: Sequence[story.Line]) -> None:
        """Each line of the story with its picture drawn as it is read (picture)."""
        for said in map(self.as_said, lines):
            with self.caption(said.key, claims=said.claims, **said.values):
                self.draw_time = max(1.5, self.needs[-1] - 3.0)  # the picture moves while most of it is read
                self.picture(said)

    def picture(self, said: story.Line) -> None:
        """What a verdict sentence draws as it is read, from the claims it rests on: the run's settling step
        marked on the loss plot (`self.inset`) with its ρ envelope; a divergence's step, ρ = 1 and the run
        replayed; both runs' marks for a race; plain gradient descent's envelope for "why"; the eigenvalues'
        plane swept from β = 0 to the run's β for a stable limit (the dot crossing the unit circle) and, with
        the run replayed (`self.racers`), for how it moved; a still run's flat slope. What is drawn already
        lights up again instead."""
        key, kinds, v = said.key, {claim["claim"] for claim in said.claims}, self.lesson.verdict
        if "still" in kinds:
            self.play(
                *self.once("flat", self.flat_slopes),
                *(Indicate(b.ball) for b in self.racers),
                run_time=self.draw_time,
            )
        elif "damping" in kinds:
            self.sweep_plane(replay=True)
        elif key == "why_rates":
            mine = lambda: self.envelope(0, v.rho, self.run_colour())  # noqa: E731
            plain = lambda: self.envelope(1, v.plain_rho, style.GHOST)  # noqa: E731
            self.play(
                *self.once("envelope", mine), *self.once("plain envelope", plain), run_time=self.draw_time
            )
        elif "faster" in kinds:  # the race again, its finishes marked
            if marks := self.marks(diverged="race_diverged" == key):
                self.play(*marks, run_time=0.6)
            end = max(t.converged_at or t.diverged_at or 0 for t in (self.lesson.run, self.lesson.baseline))
            self.sweep(self.racers, (0, min(self.lesson.run.last_step, end + 4)), max(self.draw_time, 3.0))
        elif "stable_limit" in kinds and v.outcome.value != "diverged" or key.startswith("plain_diverged"):
            self.sweep_plane(replay=False)
        elif v.outcome.value == "diverged":
            self.diverged_picture()
        elif "outcome" in kinds:
            self.settled_picture()

    def diverged_picture(self) -> None:
        """ρ = 1 on the loss plot and the step the run diverged from, then the run's first steps again."""
        self.play(*self.once("edge", self.rho_one), *self.marks(runs=(0,), diverged=True), run_time=1.2)
        self.sweep(self.racers, (0, min(3, self.lesson.run.last_step)), max(2.5, self.draw_time - 1.2))

    def settled_picture(self) -> None:
        """The settling step marked, the ρ envelope drawn and a flash run along the loss that hugs it."""
        envelope = lambda: self.envelope(0, self.lesson.verdict.rho, self.run_colour())  # noqa: E731
        trace = self.inset.traces[0].copy().set_stroke(style.TEXT, width=6)
        self.play(
            *self.marks(runs=(0,)),
            *self.once("envelope", envelope),
            ShowPassingFlash(trace, time_width=0.4),
            run_time=self.draw_time,
        )

    def once(self, name: str, make) -> list:
        """The animation that draws `make()` the first time `name` is drawn, and lights it up after."""
        drawn = self.__dict__.setdefault("drawn", {})
        if name in drawn:
            return [Indicate(drawn[name], scale_factor=1.05)]
        drawn[name] = make()
        return [Create(drawn[name])]

    def flat_slopes(self) -> VGroup:
        """A flat tangent through each ball that never moves: the slope that is 0 there."""
        return VGroup(
            *(
                Line(b.ball.get_center() + 1.1 * LEFT, b.ball.get_center() + 1.1 * RIGHT, color=style.TEXT)
                for b in self.racers
            )
        )

    def run_colour(self) -> str:
        """The colour of the lesson's run: momentum's, or plain gradient descent's for β = 0."""
        return style.BALL if self.lesson.baseline is not None else style.GHOST

    def rho_one(self) -> VGroup:
        """ρ = 1 on the loss plot, named: the line past which a run diverges."""
        return self.inset.named(self.inset.edge(), math(r"\rho = 1", style.LABEL_SIZE, style.BAD))

    def envelope(self, run: int, rho: float, colour: str) -> VGroup:
        """Run `run`'s ρ envelope on the loss plot, named with its ρ."""
        name = math(self.number(rf"\rho = {fmt(rho)}", tex=True), style.LABEL_SIZE, colour)
        return self.inset.named(self.inset.envelope(run, rho, colour), name)

    def marks(self, runs=(0, 1), diverged: bool = False) -> list:
        """The marks, on the loss plot, of where the lesson's run (0) and plain gradient descent's (1) settled
        (or, with `diverged`, started to diverge): drawn, or lit up when drawn already."""
        both = (self.lesson.run, self.lesson.baseline)
        return [a for i in runs if both[i] is not None for a in self.mark(i, both[i], diverged)]

    def mark(self, i: int, run, diverged: bool) -> list:
        """Run i's mark on the loss plot at the step it settled (or, `diverged`, started to diverge), in its
        colour (red for a divergence): drawn once, lit up after; none if it did not."""
        step = run.diverged_at if diverged else run.converged_at
        if step is None:
            return []
        colour = style.BAD if diverged else self.mark_colour(i)
        return self.once(f"mark {i} {diverged}", lambda: self.inset.mark(i, step, colour))

    def mark_colour(self, i: int) -> str:
        """The colour of the run drawn i-th on the loss plot: the lesson's, then plain gradient descent's."""
        return (self.run_colour(), style.GHOST)[i]

    def event_shown(self, said: story.Line) -> list:
        """What a caption at a run's event shows as it starts: the run it is about lights up (its ball) and
        where it settled or started to diverge is marked on the loss plot."""
        runs, balls = self.event_runs(), getattr(self, "racers", [])
        if said.values.get("label"):
            i = [self.subject.label(j) for j in range(len(runs))].index(said.values["label"])
        else:
            i = int(said.key.endswith("_plain") and len(runs) > 1)
        ball = getattr(balls[i], "ball", None) if i < len(balls) else None
        # a ring drawn around it: Indicate would hold the ball still against the clock that moves it
        shown = [] if ball is None else [Circumscribe(ball, Circle, color=style.TEXT, buff=0.08)]
        ends = said.key.startswith(("ev_settled", "ev_diverged"))
        if ends and isinstance(getattr(self, "inset", None), LossInset):
            shown += self.mark(i, runs[i], "diverged" in said.key)
        return shown

    def event_runs(self) -> list:
        """The runs in the order they are drawn: a comparison's, or the lesson's and plain gradient descent's."""
        if self.subject.compared:
            return [one.run for one in self.subject.lessons]
        return [run for run in (self.lesson.run, self.lesson.baseline) if run is not None]

    def sweep_plane(self, replay: bool) -> None:
        """The eigenvalues' plane appears (at `self.plane_at`), β sweeps from 0 to the run's, then (`replay`)
        the run is replayed: how it moves is what its eigenvalues say."""
        lesson = self.lesson
        betas, eigs = lesson.eigen_sweep()
        crit = None if np.isnan(lesson.verdict.critical_beta) else lesson.verdict.critical_beta
        at = np.array([*self.plane_at, 0.0])
        if getattr(self, "plane", None) is None:
            self.plane = EigenPlane(betas, eigs, crit, self.run_colour(), unit=0.8, at=at, sign=self.sign)
            self.play(FadeIn(self.plane), run_time=0.6)
        beta, sweep = lesson.params["beta"], max(2.5, self.draw_time - 0.6 - 4.0 * replay)
        self.play(UpdateFromAlphaFunc(self.plane, lambda m, a: m.set_beta(a * beta)), run_time=sweep)
        self.plane.show_rho()
        if replay:
            end = min(lesson.run.last_step, (lesson.verdict.step or lesson.run.last_step) + 4)
            self.sweep(self.racers, (0, end), 4.0)

    def verdict_head(self) -> Text:
        """'Converged in k steps' (green), 'Not settled after n steps' (yellow) or 'Diverged at step k' (red)."""
        v = self.lesson.verdict
        key, colour = {
            Outcome.DIVERGED: ("diverged_short", style.BAD),
            Outcome.CONVERGED: ("converged_short", style.GOOD),
            Outcome.NOT_SETTLED: ("not_settled_short", style.VELOCITY),
        }[v.outcome]
        return label(self.words(key, k=v.step, count=v.step), style.PANEL_SIZE, colour)

    def verdict_panel(self) -> VGroup:
        """The verdict in formulas, unplaced: its head, ρ and why it diverged (α over its limit) or ρ and β
        against β_c, and plain gradient descent's line when it ran beside."""
        v, params = self.lesson.verdict, self.lesson.params
        if v.outcome is Outcome.DIVERGED:
            lines = [
                self.number(rf"\rho = {fmt(v.rho)} > 1", tex=True),
                self.number(
                    rf"\alpha = {fmt_param(params['lr'], tex=True)} > \alpha_{{\max}} = {fmt_param(v.lr_limit, tex=True)}",
                    tex=True,
                ),
            ]
        else:
            betas = [
                rf"\beta = {fmt_param(params['beta'], tex=True)}",
                rf"\beta_c = {fmt_param(v.critical_beta, tex=True)}",
            ]
            lines = [
                self.number(rf"\rho = {fmt(v.rho)}\ ", tex=True) + self.tex_words("per_step"),
                captions.listed(self.lang, betas, tex=True),
            ]
        gd = [label(self.plain_line(), style.PANEL_SIZE, style.GHOST)] if self.lesson.baseline else []
        panel = VGroup(self.verdict_head(), *(math(line, style.PANEL_SIZE) for line in lines), *gd)
        return panel

    def plain_line(self) -> str:
        """Plain gradient descent's line in a verdict panel: when it settled, or diverged, or neither."""
        plain = self.lesson.baseline
        if plain.diverged:
            return self.words("gd_line_diverged", k=plain.diverged_at)
        if plain.converged_at is not None:
            return self.words("gd_line", count=plain.converged_at)
        return self.words("gd_line_not_settled")

    def state_text(self) -> str:
        """The momentum step's symbol in captions: v, or −α·m for ema."""
        return DISPLACEMENT_TEXT[self.lesson.params["variant"]]

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


class Comparing:
    """What the comparison lectures share (mixed in before a lecture): run colours and labels, the rule's
    caption, the verdict table and its captions. `self.subject` is a gdcore Comparison."""

    def run_tex(self, i: int) -> str:
        """Run i's name on screen: β = 0.5, or the variant's name in the language."""
        c = self.subject
        tex = HYPERPARAMETERS[c.varied].tex
        return (
            captions.tex_text(self.run_name(i))
            if tex is None
            else self.number(f"{tex} = {fmt_param(c.values[i], tex=True)}", tex=True)
        )

    def run_name(self, i: int) -> str:
        """Run i's label as the class reads it: a rule's name in the language (its label is gdcore's)."""
        return self.named(self.subject.label(i))

    def named(self, run: str) -> str:
        return self.words(f"run_{run}") if self.subject.varied == "variant" else self.number(run)

    def as_said(self, said: story.Line) -> story.Line:
        """The story's line with the runs' labels in the language; its claims keep gdcore's labels."""
        return story.Line(said.key, self.named_values(said.values), said.claims)

    def named_values(self, values: dict) -> dict:
        named = dict(values)
        if "label" in values:
            named["label"] = self.named(values["label"])
        for key in ("labels", "values"):  # lists of runs' labels
            if isinstance(values.get(key), captions.Listing):
                named[key] = captions.Listing(map(self.named, values[key]))
            elif isinstance(values.get(key), str):
                named[key] = ", ".join(map(self.named, values[key].split(", ")))
        return named

    def balls(self, axes, f) -> list:
        """One ball per run on the curve y = f(x), in its colour, concentric (the first the largest, so balls
        at the same place stay visible), each with a marker row of its own for when it leaves the view."""
        runs = [one.run for one in self.subject.lessons]
        window = Window(axes, self.sign)  # shared: the plot follows a ball that leaves it (pieces.Follow)
        return [
            BallOnCurve(
                axes,
                f,
                run.positions[:, 0],
                style.RUNS[i],
                radius=0.12 + 0.06 * (len(runs) - 1 - i),
                escape=style.RUNS[i],
                escape_row=i,
                window=window,
            )
            for i, run in enumerate(runs)
        ]

    def value_list(self) -> str | captions.Listing:
        return (
            ", ".join(self.named(str(v)) for v in self.subject.values)
            if self.subject.varied == "variant"
            else captions.Listing(map(fmt_param, self.subject.values))
        )

    TITLE = "cmp_title"

    def title_values(self) -> dict:
        return {"count": len(self.subject.values)}

    def question(self) -> tuple[str, dict]:
        c = self.subject
        if c.problem.COMPARES == c.varied:  # a lecture that compares this by design asks its own question
            return super().question()
        key = "cmp_question_variants" if c.varied == "variant" else "cmp_question"
        return key, dict(
            count=len(c.values), symbol=HYPERPARAMETERS[c.varied].symbol, values=self.value_list()
        )

    def rule_caption(self) -> tuple[str, dict]:
        c, params = self.subject, self.subject.params
        if len(c.values) == 1:  # one run of a lecture that compares by design: its rule, as a single run's
            return super().rule_caption()
        if c.varied == "variant":
            return "cmp_rule_variants", dict(
                count=len(c.values), lr=fmt_param(params["lr"]), beta=fmt_param(params["beta"])
            )
        return "cmp_rule", dict(
            variant=self.words(params["variant"]),
            symbol=HYPERPARAMETERS[c.varied].symbol,
            values=self.value_list(),
        )

    def verdict_table(self, width: float, columns=None) -> VGroup:
        """One row per run: its name in its colour, then one cell per column (header key, cell text of a
        Lesson); by default the step it settled at (or —, or where it diverged) and ρ. At most `width` wide."""
        columns = columns or [
            ("settled_at", self.settled_cell),
            ("rate", lambda one: self.number(fmt(one.verdict.rho))),
        ]
        cells = [
            math(r"\;"),
            *(
                label(self.words(key).replace(" ", "\n", 1), style.SMALL_SIZE, style.MUTED)
                for key, _ in columns
            ),
        ]  # headings on two lines: the table stays narrow
        for i, one in enumerate(self.subject.lessons):
            cells += [
                label(self.run_name(i), style.PANEL_SIZE - 2, style.RUNS[i]),
                *(label(cell(one), style.PANEL_SIZE - 2) for _, cell in columns),
            ]
        table = VGroup(*cells).arrange_in_grid(
            rows=len(self.subject.lessons) + 1,
            cols=len(columns) + 1,
            buff=(0.3, 0.18),
            col_alignments="l" + "r" * len(columns),
        )
        return table.scale_to_fit_width(min(table.width, width))

    def settled_cell(self, one) -> str:
        v = one.verdict
        return {
            Outcome.CONVERGED: str(v.step),
            Outcome.NOT_SETTLED: "—",
            Outcome.DIVERGED: self.words("diverged_cell", k=v.step).replace(
                " ", "\n", 1
            ),  # as narrow as a heading
        }[v.outcome]

    def picture(self, said: story.Line) -> None:
        """What a comparison's verdict sentence draws as it is read: the runs it is about (by its claims'
        labels: a run's outcome, the first to settle, the nearest, a run that never moved) light up, ball and
        table row, and where each settled or diverged is marked on the loss plot."""
        labels = [self.subject.label(i) for i in range(len(self.subject.values))]
        named = set()
        for claim in said.claims:
            named |= {claim["run"]} if "run" in claim else set(claim.get("winners", ()))
        chosen = [labels.index(label) for label in named if label in labels] or range(len(labels))
        width = len(self.table) // (len(labels) + 1)  # the verdict table's cells, row by row
        shown = []
        for i in sorted(chosen):
            run = self.subject.lessons[i].run
            shown.append(Indicate(VGroup(*self.table[(i + 1) * width : (i + 2) * width]), scale_factor=1.1))
            shown.append(Indicate(self.racers[i].ball, scale_factor=1.5))
            if self.subject.lessons[i].verdict.still is None:
                shown += self.mark(i, run, run.diverged)
        self.play(*shown, run_time=self.draw_time)

    def mark_colour(self, i: int) -> str:
        return style.RUNS[i]

    def say_verdict(self) -> None:
        """Which run settled first (or a tie, or none) and why, from the theory; then each divergence."""
        self.say(story.compare_verdict(self.subject), at_least=1.0)
