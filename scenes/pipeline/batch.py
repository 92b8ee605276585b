"""Batches: render several videos at once, each in its own process running the command line.

One process per video keeps Manim's global configuration apart and lets a failed render fail alone."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

RENDER = Path(__file__).resolve().parents[2] / "render.py"
GRACE = 4.0  # seconds a stopped render has to clean up after itself before it is killed


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


def run_batch(
    jobs: Sequence[list[str]], workers: int, done: Callable[[str], None], progress: Callable[[str], None]
) -> list[str]:
    """Run `render.py ARGS` for every ARGS in `jobs`, `workers` at a time. Each finished video's path goes to
    `done` as it lands; '[k/n] elapsed' lines and failures go to `progress`. Returns the failed jobs' labels.
    If this process is interrupted, no queued job starts and the running ones are stopped (they clean up
    after themselves, within GRACE seconds) before the interruption goes on."""
    running, lock, stopping = set(), threading.Lock(), threading.Event()
    tally, pool = Tally(len(jobs), progress), ThreadPoolExecutor(max_workers=workers)
    try:
        futures = {pool.submit(one, args, running, lock, stopping): " ".join(args) for args in jobs}
        for future in as_completed(futures):
            result = future.result()
            if result.returncode == 0:
                done(result.stdout.strip().splitlines()[-1])
            tally.count(futures[future], "" if result.returncode == 0 else last_line(result.stderr))
    except BaseException:
        stop(stopping, lock, running)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return tally.failed


def last_line(said: str) -> str:
    return (said.strip().splitlines() or ["no message"])[-1]


def one(args: list[str], running: set, lock: threading.Lock, stopping: threading.Event):
    """Run `render.py ARGS` to its end (none once `stopping` is set), known in `running` meanwhile."""
    with lock:
        if stopping.is_set():
            return subprocess.CompletedProcess(args, -1, "", "stopped")
        proc = subprocess.Popen(
            [sys.executable, str(RENDER), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        running.add(proc)
    out, err = proc.communicate()
    with lock:
        running.discard(proc)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


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
