"""One lecture rendered by several processes: its animations split into ranges of play numbers, each range
drawn by its own process with Manim's from_animation_number / upto_animation_number, the segments joined
without re-encoding by Manim's own concatenation.

Every process runs the lecture's construct() from the start: the plays before its range are undrawn
(scenes.pipeline.compat: without drawing, the clock and the updaters brought to each play's end), so the captions
and every frame are those of a one-process render. The parent plays the whole lecture undrawn first: that
gives the timeline (captions, chapters, the voice's track) and each play's frames, by which the ranges are
balanced, and its file writer joins the segments at the end. When the lecture's last plan is in the cache
(scenes.pipeline.plans) the ranges are balanced by it instead, and the parent draws the first range itself while
the processes draw the others, then plays the rest of the lecture undrawn: its timeline (with a cluster, it
plays the whole lecture undrawn while the cluster draws every range)."""

from __future__ import annotations

import contextlib
import copyreg
import multiprocessing
import signal
import sys
import threading
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from . import compat, files, plans
from .files import die_with_parent

# The balance's cost model, fitted by least squares to each play's time in one-process 1080p60 renders of the
# parabola and the regression here (a quiet machine): a moving frame 10.4 and 12.6 ms, a frame held still 3.5
# and 3.7 ms, and 0.18 s a play besides its frames (its key, its segment's first picture).
HELD = 0.33  # a frame held still, as a share of a moving one
PER_PIXEL = 5.0e-9  # seconds per pixel of a moving frame, drawn and encoded
PER_PLAY = 0.18  # seconds
GRACE = 2.0  # seconds a stopped chunk has to clean up after itself before it is killed (run sweeps after it)
TO_THE_END = 1 << 30  # the last piece's last play: every play after its first
CACHES = ("partial_movie_dir", "tex_dir", "text_dir")  # the settings' shared folders a chunk writes into


# a subject's params are a read-only mapping: sent to a chunk's process as a dict, read-only again there
def read_only(mapping: dict) -> types.MappingProxyType:
    return types.MappingProxyType(mapping)


copyreg.pickle(types.MappingProxyType, lambda mapping: (read_only, (dict(mapping),)))


class Tally:
    """The progress lines of a batch of `n` jobs, here or on a cluster: a failure in one line, then
    '[k/n] elapsed' after every job; `failed`: the failed jobs' labels."""

    def __init__(self, n: int, progress: Callable[[str], None]):
        self.n, self.k, self.progress, self.failed = n, 0, progress, []
        self.start = time.monotonic()

    def count(self, label: str, why: str = "") -> None:
        """One more job ended: failed for `why` (a line), or landed when `why` is empty."""
        self.k += 1
        if why:
            self.failed.append(label)
            self.progress(f"failed: {label}: {why}")
        self.progress(f"[{self.k}/{self.n}] {time.monotonic() - self.start:.0f} s")


@dataclass(frozen=True)
class Piece:
    """What one process draws: plays first..last (inclusive) of `cls` teaching `subject`."""

    cls: type
    subject: object
    lang: str
    settings: dict
    first: int
    last: int
    reuse: bool
    said: tuple = ()  # the parent's voice lines: (wav path, seconds) in order


class Recorded:
    """A voice that keeps what it said, for the chunks to replay (or a replay of `said`, without speaking)."""

    def __init__(self, voice=None, said=()):
        self.voice, self.said, self.next = voice, list(said), 0

    def speak(self, words: str) -> tuple[Path | None, float]:
        """The wav file and its length in seconds; a replay says nothing (no file: the parent's movie has the
        sound, and its files may be on another machine)."""
        if self.voice is None:
            self.next += 1
            return None, self.said[self.next - 1][1]
        self.said.append(self.voice.speak(words))
        return self.said[-1]


def pixels() -> int:
    """Pixels of a frame at the quality set (inside Manim's tempconfig)."""
    from manim import config

    return config.pixel_width * config.pixel_height


def processes(jobs: int | None) -> int:
    """How many processes draw one render: `jobs`, or one when --jobs was not given (on a 2-core machine a
    split gained 13-18 % when it was quiet and lost when it was busy: docs/benchmarks.md; it is asked for)."""
    return 1 if jobs is None else jobs


def render(
    make: Callable,
    settings: dict,
    jobs: int,
    reuse: bool,
    progress: Callable[[str], None],
    drawn_by: Callable | None = None,
):
    """Render the lecture that `make()` builds (inside Manim's tempconfig(settings)) with `jobs` processes;
    return the rendered scene, whose file writer has written the movie. One job (or an untested Manim) is an
    ordinary render in this process. `drawn_by(pieces, tally)`: what draws the pieces (`run`: here, a process
    each; scenes.pipeline.cluster.draw_on_cluster: on a Dask cluster), returning each one's plays and seconds."""
    if jobs <= 1 or not compat.applied():
        lecture = make()
        lecture.renderer.played, lecture.renderer.reuse = [], reuse
        lecture.render()
        _report(lecture.renderer.played, 1, progress, "")
        return lecture
    lecture, draw = make(), drawn_by or run
    known = (
        None if lecture.voice is not None else plans.load(type(lecture), lecture.lang, settings["quality"])
    )
    if known is None:  # the pass first: the plays' frames, and the voice's lines the chunks replay
        plan, seconds = undrawn_pass(lecture)
        said = tuple(lecture.voice.said) if lecture.voice is not None else ()
        pieces = _pieces(lecture, settings, reuse, split(costs(plan, seconds, pixels()), jobs), said)
        drawn, note = draw(pieces, Tally(len(pieces), progress)), f"undrawn pass {seconds:.1f} s CPU; "
    else:  # split by the last plan; the first range drawn here, unless on a cluster
        here, seconds = drawn_by is None, known[1]
        pieces = _pieces(lecture, settings, reuse, split(costs(*known, pixels()), jobs, rest=here))
        tally, note = Tally(len(pieces), progress), "the first range here; " if here else ""
        drawn, plan = (
            first_here(lecture, pieces, tally) if here else pass_beside(lecture, pieces, draw, tally)
        )
    plans.save(type(lecture), lecture.lang, settings["quality"], plan, seconds)
    played = [one for records, _ in drawn for one in records]
    join(lecture, plan, played)
    took = ", ".join(f"{spent:.1f}" for _, spent in drawn)
    _report(played, len(pieces), progress, f" ({note}plays {took} s)")
    return lecture


def undrawn_pass(lecture) -> tuple[list, float]:
    """Play the whole lecture undrawn (the timeline, and the segment writer's movie path); return its plays'
    records and the seconds of CPU it took (a busy machine stretches its wall time, not its work: the balance
    would give a third process no range on a loaded 2-core machine)."""
    if lecture.voice is not None:
        lecture.voice = Recorded(lecture.voice)
    lecture.renderer.played, lecture.renderer.drawn_upto = [], -1
    start = time.thread_time()
    lecture.render()
    return lecture.renderer.played, time.thread_time() - start


def first_here(lecture, pieces: list[Piece], tally: Tally) -> tuple[list, list]:
    """The first piece drawn by this process (then the rest of the lecture undrawn: its timeline) while
    processes draw the others (`run`); each piece's plays and seconds, and every play's record."""
    lecture.renderer.stopped = threading.Event()
    drawn, (plan, spent) = beside(
        lambda: run(pieces[1:], tally, stopping=lecture.renderer.stopped.set),
        lambda: drawn_here(lecture, pieces[0], tally),
        grace=GRACE,
    )
    return [(plan[: pieces[0].last + 1], spent), *drawn], plan


def pass_beside(lecture, pieces: list[Piece], draw: Callable, tally: Tally) -> tuple[list, list]:
    """Every piece drawn by draw() (on a cluster) while this process plays the lecture undrawn; each
    piece's plays and seconds, and every play's record."""
    drawn, (plan, _) = beside(lambda: draw(pieces, tally), lambda: undrawn_pass(lecture))
    return drawn, plan


def drawn_here(lecture, piece: Piece, tally: Tally) -> tuple[list, float]:
    """Render the lecture in this process, drawing plays first..last of `piece` (the first: from play 0)
    and the plays after them undrawn, which gives the timeline as an undrawn pass does; return every play's
    record and the seconds it took. `renderer.stopped` set stops it at the next frame (its unfinished
    segment removed)."""
    start, renderer = time.perf_counter(), lecture.renderer
    renderer.played, renderer.reuse, renderer.drawn_upto = [], piece.reuse, piece.last
    lecture.render()
    tally.count(label(piece))
    return renderer.played, time.perf_counter() - start


def _pieces(lecture, settings: dict, reuse: bool, ranges: list, said: tuple = ()) -> list[Piece]:
    """A piece per range; the last one draws to the end, however many plays the lecture has (the ranges may
    come from an earlier plan)."""
    ranges = [*ranges[:-1], (ranges[-1][0], TO_THE_END)]
    return [
        Piece(type(lecture), lecture.subject, lecture.lang, settings, a, b, reuse, said) for a, b in ranges
    ]


def beside(here: Callable, there: Callable, grace: float = 0.0):
    """here() in this thread (signals reach it) and there() in another at the same time; both results. An
    error in here() is raised once there() has ended or `grace` seconds have passed (the other thread is a
    daemon: it ends with the process; here() asks it to end, first_here); one in there() once here() has
    returned."""
    got: dict = {}

    def work():
        try:
            got["value"] = there()
        except BaseException as err:  # raised in this thread below
            got["error"] = err

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        value = here()
    except BaseException:
        thread.join(grace)
        raise
    thread.join()
    if "error" in got:
        raise got["error"]
    return value, got["value"]


def costs(plan: list, seconds: float, pixels: int) -> list[tuple[float, float]]:
    """Each play's (undrawn, drawn) cost in seconds: its share of the parent's undrawn pass by frames, and
    that plus drawing and encoding its frames and the play's own cost."""
    frames = sum(f for _, f, _, _ in plan) or 1
    out = []
    for _, f, held, _ in plan:
        undrawn = seconds * f / frames
        out.append((undrawn, undrawn + PER_PLAY + f * (HELD if held else 1.0) * pixels * PER_PIXEL))
    return out


def split(cost: list[tuple[float, float]], jobs: int, rest: bool = False) -> list[tuple[int, int]]:
    """Consecutive ranges (first, last) of plays, at most `jobs`, that make the slowest process fastest: a
    process plays the plays before its range undrawn, then draws its range; with `rest`, the first one then
    plays every play after its range undrawn too (the parent, first_here)."""
    undrawn = [0.0]
    for u, _ in cost:
        undrawn.append(undrawn[-1] + u)
    low, high = 0.0, undrawn[-1] + sum(d for _, d in cost)
    best = [(0, len(cost) - 1)]
    for _ in range(60):
        limit = (low + high) / 2
        ranges = _greedy(cost, undrawn, limit, rest)
        if ranges is not None and len(ranges) <= jobs:
            best, high = ranges, limit
        else:
            low = limit
    return best


def _greedy(cost, undrawn, limit: float, rest: bool) -> list[tuple[int, int]] | None:
    """The ranges made by filling each process up to `limit` seconds; None if one play alone exceeds it."""
    ranges, first, spent = [], 0, undrawn[0]

    def after(i: int) -> float:  # what the first process plays undrawn after its range, if it ends at play i
        return undrawn[-1] - undrawn[i + 1] if rest and first == 0 else 0.0

    for i, (_, drawn) in enumerate(cost):
        if i > first and undrawn[first] + spent + drawn + after(i) > limit:
            ranges.append((first, i - 1))
            first, spent = i, 0.0
        spent += drawn
        if undrawn[first] + spent + after(i) > limit:
            return None
    return [*ranges, (first, len(cost) - 1)]


def run(
    pieces: list[Piece], tally: Tally | None = None, stopping: Callable = lambda: None
) -> list[tuple[list, float]]:
    """Draw every piece in its own process (spawned: a fresh Manim each, safe beside first_here's thread);
    return each piece's plays and seconds, in order; `tally` counts each piece drawn. An error in one, or an
    interrupt of this process, stops the others (stopping() first) and is raised here; what a process killed
    after GRACE left unfinished in the caches is removed."""
    context = multiprocessing.get_context("spawn")
    procs, links = [], []
    try:
        for piece in pieces:
            here, there = context.Pipe(duplex=False)
            proc = context.Process(target=_draw, args=(piece, there), daemon=True)
            proc.start()
            there.close()
            procs.append(proc)
            links.append(here)
        results: dict[int, tuple[list, float]] = {}
        while len(results) < len(pieces):
            for link in wait([link for i, link in enumerate(links) if i not in results]):
                i = links.index(link)
                try:
                    kind, value = link.recv()
                except EOFError:
                    print(file=sys.stderr)  # it may have left its progress bar's line unfinished
                    kind, value = "error", Died(pieces[i], procs[i])
                if kind == "error":
                    raise value
                results[i] = value
                if tally is not None:
                    tally.count(label(pieces[i]))
        return [results[i] for i in range(len(pieces))]
    except BaseException:
        stopping()
        raise
    finally:
        _stop(procs, pieces)


class Died(RuntimeError):
    """A chunk's process that ended without sending its result (killed, say), in one line."""

    def __init__(self, piece: Piece, proc):
        proc.join(1.0)  # its exit status, once the system has it
        code = proc.exitcode
        how = (
            "still running"
            if code is None
            else f"killed by {signal.Signals(-code).name}"
            if code < 0
            else f"exit status {code}"
        )
        super().__init__(f"the process drawing {label(piece)} of the video died ({how})")


def _stop(procs: list, pieces: list[Piece]) -> None:
    """Ask the processes still running to stop (they clean up), kill those still there after GRACE, and
    remove what those left unfinished in the pieces' caches."""
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + GRACE
    for proc in procs:
        proc.join(max(deadline - time.monotonic(), 0.1))
        if proc.is_alive():
            proc.kill()
            proc.join()
    for folder in {p.settings[key] for p in pieces for key in CACHES if key in p.settings}:
        files.sweep(Path(folder))


def label(piece: Piece) -> str:
    """Which plays a piece draws, counted from 1, as a line names them."""
    last = "the end" if piece.last == TO_THE_END else piece.last + 1
    return f"plays {piece.first + 1}-{last}"


def _interrupted(signum, frame):
    raise KeyboardInterrupt


def draw(piece: Piece) -> tuple[list, float]:
    """Draw plays first..last of the piece (in the current process, inside the render's tempconfig or not);
    return their records and the seconds it took."""
    from manim import tempconfig

    from .extensions import build

    start = time.perf_counter()
    settings = {
        **piece.settings,
        "media_dir": str(Path(piece.settings["media_dir"]) / f"chunk{piece.first}"),
        "from_animation_number": piece.first,
        "upto_animation_number": piece.last,
    }
    with tempconfig(settings):
        voice = Recorded(said=piece.said) if piece.said else None
        lecture = build(piece.cls, piece.subject, lang=piece.lang, voice=voice)
        lecture.renderer.played, lecture.renderer.reuse = [], piece.reuse
        lecture.render()
    return lecture.renderer.played[piece.first : piece.last + 1], time.perf_counter() - start


def _draw(piece: Piece, link) -> None:
    """A chunk's process: draw the piece and send back its records (or the error, which the parent raises:
    a full disk stays an OSError there)."""
    from tqdm import tqdm

    from .extensions import log_on_stderr

    signal.signal(signal.SIGTERM, _interrupted)  # stopped by the parent: Manim removes its unfinished segment
    die_with_parent()
    # Manim's progress bars get a thread lock: tqdm's own, a semaphore, is left to the resource tracker when
    # this process is killed, which then warns, a line after the render's one error line
    tqdm.set_lock(threading.RLock())
    log_on_stderr()
    compat.apply()
    try:
        link.send(("ok", draw(piece)))
    except BaseException as err:
        with contextlib.suppress(Exception):  # the parent may be gone
            try:
                link.send(("error", err))
            except Exception:
                link.send(("error", RuntimeError(f"{type(err).__name__}: {err}")))
        if not isinstance(err, Exception):
            sys.exit(1)


def join(lecture, plan: list, played: list) -> None:
    """Join the drawn (and reused) segments into the lecture's movie with Manim's own concatenation (no
    re-encoding), the lecture's sound track added. Each play must have the frames the undrawn pass counted."""
    if [f for _, f, _, _ in played] != [f for _, f, _, _ in plan]:
        raise RuntimeError("the chunks' timeline differs from the lecture's: not joined")
    writer = lecture.renderer.file_writer
    writer.partial_movie_files = [str(writer.output_plan.segment_path(key)) for key, _, _, _ in played]
    writer.combine_to_movie()


def _report(played: list, count: int, progress: Callable[[str], None], times: str) -> None:
    reused = [f for _, f, _, found in played if found]
    total = sum(f for _, f, _, _ in played)
    progress(
        f"animations: {len(played) - len(reused)} drawn, {len(reused)} reused from the cache "
        f"({sum(reused)} of {total} frames), in {count} process{'es' if count > 1 else ''}{times}"
    )
