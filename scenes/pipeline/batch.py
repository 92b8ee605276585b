"""Batches: several videos at once, each a typed Job rendered in a process of its own (scenes.pipeline.render
.render_job, the function a single render calls), handed to it pickled.

One process per video keeps Manim's global configuration apart and lets a failed render fail alone."""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .chunks import Tally  # with it, how a subject's read-only params are pickled
from .request import Job

ROOT = Path(__file__).resolve().parents[2]  # the project, whose modules the job's process imports
# A job's process: reads its pickled Job on stdin; argv names the project and (for `ps`) the output folder
CHILD = "import sys; sys.path.insert(0, sys.argv[1]); from scenes.pipeline.render import child; child()"
GRACE = 4.0  # seconds a stopped render has to clean up after itself before it is killed


@dataclass(frozen=True)
class Outcome:
    """How a job's process ended: the video's path, or the last line it said (`error`)."""

    video: Path | None = None
    error: str = ""


def start(job: Job) -> subprocess.Popen:
    """A process rendering `job` (scenes.pipeline.render.child), stopped when this one dies; its Job is sent
    by `outcome`."""
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ROOT), str(job.output)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def outcome(proc: subprocess.Popen, job: Job) -> Outcome:
    """Send `job` to its process `proc` (start) and wait for its end: the video, or its last line."""
    out, err = (text.decode(errors="replace") for text in proc.communicate(pickle.dumps(job)))
    if proc.returncode == 0:
        return Outcome(Path(out.strip().splitlines()[-1]))
    return Outcome(error=(err.strip().splitlines() or ["no message"])[-1])


def run_batch(
    jobs: Sequence[Job],
    workers: int,
    done: Callable[[Job, Path], None],
    progress: Callable[[str], None],
) -> list[str]:
    """Render every job, each in its own process, `workers` at a time. done(job, video) as each lands;
    '[k/n] elapsed' lines and failures go to `progress`. Returns the failed jobs' labels. If this process is
    interrupted, no queued job starts and the running ones are stopped (they clean up after themselves,
    within GRACE seconds) before the interruption goes on."""
    running, lock, stopping = set(), threading.Lock(), threading.Event()
    tally, pool = Tally(len(jobs), progress), ThreadPoolExecutor(max_workers=workers)
    try:
        futures = {pool.submit(one, job, running, lock, stopping): job for job in jobs}
        for future in as_completed(futures):
            ended, job = future.result(), futures[future]
            if ended.video is not None:
                done(job, ended.video)
            tally.count(job.label, ended.error)
    except BaseException:
        stop(stopping, lock, running)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return tally.failed


def one(job: Job, running: set, lock: threading.Lock, stopping: threading.Event) -> Outcome:
    """Render `job` in its own process to its end (none once `stopping` is set), known in `running`."""
    with lock:
        if stopping.is_set():
            return Outcome(error="stopped")
        proc = start(job)
        running.add(proc)
    try:
        return outcome(proc, job)
    finally:
        with lock:
            running.discard(proc)


def stop(stopping: threading.Event, lock: threading.Lock, running: set) -> None:
    """Start no more renders, ask the running ones to stop, and kill those still there after GRACE."""
    with lock:
        stopping.set()
        procs = list(running)
    for proc in procs:
        proc.terminate()
    deadline = time.monotonic() + GRACE
    for proc in procs:
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            proc.kill()
