"""Batches: render several videos at once, each in its own process running the command line.

One process per video keeps Manim's global configuration apart and lets a failed render fail alone."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, Sequence

RENDER = Path(__file__).resolve().parents[1] / "render.py"


def run_batch(jobs: Sequence[list[str]], workers: int, done: Callable[[str], None],
              progress: Callable[[str], None]) -> list[str]:
    """Run `render.py ARGS` for every ARGS in `jobs`, `workers` at a time. Each finished video's path goes to
    `done` as it lands; '[k/n] elapsed' lines and failures go to `progress`. Returns the failed jobs' labels.
    If this process is interrupted, the renders still running are stopped (they clean up after themselves)."""
    start, running, lock = time.monotonic(), set(), threading.Lock()

    def one(args: list[str]) -> subprocess.CompletedProcess:
        proc = subprocess.Popen([sys.executable, str(RENDER), *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        with lock:
            running.add(proc)
        out, err = proc.communicate()
        with lock:
            running.discard(proc)
        return subprocess.CompletedProcess(args, proc.returncode, out, err)

    failed = []
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(one, args): " ".join(args) for args in jobs}
            for k, future in enumerate(as_completed(futures), 1):
                result, label = future.result(), futures[future]
                if result.returncode == 0:
                    done(result.stdout.strip().splitlines()[-1])
                else:
                    failed.append(label)
                    reason = (result.stderr.strip().splitlines() or ["no message"])[-1]
                    progress(f"failed: {label}: {reason}")
                progress(f"[{k}/{len(jobs)}] {time.monotonic() - start:.0f} s")
    except BaseException:
        with lock:
            for proc in running:
                proc.terminate()
        raise
    return failed
