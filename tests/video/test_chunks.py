"""One lecture drawn by several processes and made of reused segments equals a cold one-process render,
frame by frame and cue by cue; a bad --jobs is one line."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pytest
from click.testing import CliRunner
from videos import ROOT, render

import render as cli

STEPS = ["--steps", "8", "--lr", "0.4", "--x0", "4.5"]


def frame_pairs(a: Path, b: Path):
    """The decoded frames of two videos side by side, one pair at a time (None where one has run out)."""
    with av.open(str(a)) as one, av.open(str(b)) as two:
        left = (f.to_ndarray(format="rgb24") for f in one.decode(one.streams.video[0]))
        right = (f.to_ndarray(format="rgb24") for f in two.decode(two.streams.video[0]))
        while True:
            x, y = next(left, None), next(right, None)
            if x is None and y is None:
                return
            yield x, y


def psnr(x: np.ndarray, y: np.ndarray) -> float:
    if np.array_equal(x, y):
        return float("inf")
    mse = np.mean((x.astype(np.float64) - y.astype(np.float64)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255**2 / mse)


def reported(stderr: str) -> dict:
    """The render's line 'animations: D drawn, R reused from the cache (F of T frames), in N processes'."""
    found = re.search(
        r"animations: (\d+) drawn, (\d+) reused from the cache \((\d+) of (\d+) frames\), in (\d+)", stderr
    )
    assert found, stderr[-2000:]
    return dict(zip(("drawn", "reused", "reused_frames", "frames", "processes"), map(int, found.groups())))


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    """β = 0.7 in one process (the cache gets its segments), then β = 0.5 in 3 processes (reusing what did
    not change), and β = 0.5 cold in one process (--force: nothing reused)."""
    root = tmp_path_factory.mktemp("chunks")
    render(root / "first", *STEPS, "--beta", "0.7", "--jobs", "1")
    split = render(root / "split", *STEPS, "--beta", "0.5", "--jobs", "3")
    cold = render(root / "cold", *STEPS, "--beta", "0.5", "--jobs", "1", "--force")
    return split, cold


def test_three_processes_and_reused_segments_equal_a_cold_render_frame_by_frame(renders):
    (video, _, _), (cold, _, _) = renders
    count, worst = 0, float("inf")
    for x, y in frame_pairs(video, cold):
        assert x is not None and y is not None, f"frame counts differ after {count} frames"
        worst, count = min(worst, psnr(x, y)), count + 1
    assert count > 100 and worst >= 45, (count, worst)


def test_the_timeline_is_the_one_process_one(renders):
    (video, meta, proc), (cold, cold_meta, _) = renders
    for key in ("captions", "chapters", "beats", "duration"):
        assert meta[key] == cold_meta[key], key
    for suffix in (".srt", ".vtt", ".chapters.vtt", ".txt"):
        assert video.with_suffix(suffix).read_bytes() == cold.with_suffix(suffix).read_bytes(), suffix
    assert reported(proc.stderr)["processes"] == 3


def test_a_new_beta_reuses_exactly_the_animations_before_the_rule(renders):
    """The title, the question and the parabola do not depend on β; the rule shows β: every frame before it
    (the chapters' own clock) is reused, none after."""
    (_, meta, proc), (_, _, cold_proc) = renders
    said, cold = reported(proc.stderr), reported(cold_proc.stderr)
    start = next(c["start"] for c in meta["chapters"] if c["beat"] == "show_rule")
    assert said["reused_frames"] == round(start * 15) and said["drawn"] > 0
    assert cold["reused"] == 0 and cold["frames"] == said["frames"] == round(meta["duration"] * 15)


def test_the_same_lecture_again_draws_nothing(tmp_path, renders):
    (video, _, _), _ = renders
    again, _, proc = render(tmp_path, *STEPS, "--beta", "0.5", "--jobs", "1")
    assert reported(proc.stderr)["drawn"] == 0
    assert again.read_bytes() == video.read_bytes()  # the same segments, joined the same way


@pytest.mark.parametrize("value", ["0", "-2", "1.5", "two", "65"])
def test_a_bad_jobs_is_one_line_and_writes_nothing(tmp_path, value):
    result = CliRunner().invoke(
        cli.main, ["--quality", "low", "--output", str(tmp_path / "out"), "--jobs", value]
    )
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert result.exit_code == 2 and len(errors) == 1 and "--jobs" in errors[0], result.output
    assert not (tmp_path / "out").exists() and os.listdir(tmp_path) == []


def test_a_split_render_signalled_stops_its_processes_and_leaves_nothing(tmp_path):
    temp, cache = tmp_path / "tmp", tmp_path / "cache"
    temp.mkdir()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "render.py"), "--quality", "low", *STEPS, "--jobs", "2"]
        + ["--output", str(tmp_path / "out")],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temp), "XDG_CACHE_HOME": str(cache)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list(cache.rglob("segments/*/.momentum-part-*")) and time.monotonic() < deadline:
        time.sleep(0.05)  # until a chunk's process is drawing a segment
    proc.send_signal(signal.SIGTERM)  # the parent only, not its process group
    sent = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 6.0
    assert proc.returncode == 1 and err.strip().splitlines()[-1].startswith("Error: interrupted: nothing")
    assert "Traceback" not in err
    assert not list(temp.iterdir()) and not (tmp_path / "out" / "parabola").exists()
    assert not list(cache.rglob(".momentum-part-*"))  # the stopped chunks removed their unfinished segments
