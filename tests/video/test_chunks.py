"""One lecture drawn by several processes and made of reused segments equals a cold one-process render,
frame by frame and cue by cue; run again, it starts no process; a bad --jobs is one line."""

import multiprocessing.context
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from videos import PARABOLA, ROOT, render, reported, same_frames

import render as cli
from gdcore import lesson
from scenes.lectures import scene_class
from scenes.pipeline import chunks, plans, segments

BETA = PARABOLA.index("--beta")
STEPS = PARABOLA[:BETA] + PARABOLA[BETA + 2 :]  # the shared lecture's options but β (0.7 there)


@pytest.fixture(scope="module")
def renders(tmp_path_factory, parabola_en):
    """β = 0.7 in one process (the shared render: the cache gets its segments), then β = 0.5 in 3 processes
    (reusing what did not change), and β = 0.5 cold in one process (--force: nothing reused); and the
    segments that the cold render added to the cache (none when its plays have the split render's keys)."""
    assert PARABOLA[BETA + 1] == "0.7" and parabola_en
    root = tmp_path_factory.mktemp("chunks")
    split = render(root / "split", *STEPS, "--beta", "0.5", "--jobs", "3")
    kept = set(segments.root().rglob("*.mp4"))
    cold = render(root / "cold", *STEPS, "--beta", "0.5", "--jobs", "1", "--force")
    return split, cold, set(segments.root().rglob("*.mp4")) - kept


def test_three_processes_and_reused_segments_equal_a_cold_render_frame_by_frame(renders):
    (video, _, _), (cold, _, _), _ = renders
    count, worst = same_frames(video, cold)
    assert count > 100 and worst >= 45, (count, worst)


def test_a_play_has_one_key_in_any_process_drawn_or_not(renders):
    """The chunks' plays (after plays undrawn, frames skipped) have the keys of one process drawing them
    all: the cold render rewrote their segments and added none."""
    (_, _, proc), _, added = renders
    assert reported(proc.stderr)["drawn"] > 0 and not added, sorted(p.name for p in added)


def test_the_timeline_is_the_one_process_one(renders):
    (video, meta, proc), (cold, cold_meta, _), _ = renders
    for key in ("captions", "chapters", "beats", "duration"):
        assert meta[key] == cold_meta[key], key
    for suffix in (".srt", ".vtt", ".chapters.vtt", ".txt"):
        assert video.with_suffix(suffix).read_bytes() == cold.with_suffix(suffix).read_bytes(), suffix
    assert reported(proc.stderr)["processes"] == 3 and "[3/3]" in proc.stderr  # a line per chunk drawn


def test_a_new_beta_reuses_exactly_the_animations_before_the_question(renders):
    """The title and the parabola with its balls at their start do not depend on β; the question (the predict
    beat) says β: every frame before it (the chapters' own clock) is reused, none after."""
    (_, meta, proc), (_, _, cold_proc), _ = renders
    said, cold = reported(proc.stderr), reported(cold_proc.stderr)
    start = next(c["start"] for c in meta["chapters"] if c["beat"] == "predict")
    assert said["reused_frames"] == round(start * 15) and said["drawn"] > 0
    assert cold["reused"] == 0 and cold["frames"] == said["frames"] == round(meta["duration"] * 15)


def test_the_same_lecture_again_draws_nothing(tmp_path, renders):
    (video, _, _), *_ = renders
    again, _, proc = render(tmp_path, *STEPS, "--beta", "0.5", "--jobs", "1")
    assert reported(proc.stderr)["drawn"] == 0
    assert again.read_bytes() == video.read_bytes()  # the same segments, joined the same way


def test_a_split_render_already_there_starts_no_process_and_plays_nothing(renders, monkeypatch):
    """The same command again is a cache hit, as with --jobs 1: no process starts, no undrawn pass."""
    (video, _, _), *_ = renders

    def refused(*args, **kwargs):
        raise AssertionError("a split render already there started a process or played its lecture")

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refused)
    monkeypatch.setattr(chunks, "render", refused)
    args = ["--quality", "low", "--output", str(video.parents[2]), *STEPS, "--beta", "0.5", "--jobs", "3"]
    result = CliRunner().invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [str(video)]


@pytest.mark.parametrize("value", ["0", "-2", "1.5", "two", "65", "1_0", "\uff12", "\u0663", ""])
def test_a_bad_jobs_is_one_line_and_writes_nothing(tmp_path, value):
    result = CliRunner().invoke(
        cli.main, ["--quality", "low", "--output", str(tmp_path / "out"), "--jobs", value]
    )
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert result.exit_code == 2 and len(errors) == 1 and "--jobs" in errors[0], result.output
    assert not (tmp_path / "out").exists() and os.listdir(tmp_path) == []


def drawing_split(tmp_path: Path, monkeypatch, planned: bool) -> tuple[subprocess.Popen, Path, Path, int]:
    """A split render (2 processes) started in a cache of its own, once a chunk's process draws a segment
    (and with a plan, the parent too): the render, its TMPDIR, its cache and that process's pid."""
    temp, cache = tmp_path / "tmp", tmp_path / "cache"
    temp.mkdir()
    shared = Path(os.environ["XDG_CACHE_HOME"], "momentum-lectures")
    for made in ("tex", "texts"):  # the session's LaTeX and texts (none of its segments): no LaTeX run here
        if (shared / made).is_dir():
            shutil.copytree(shared / made, cache / "momentum-lectures" / made)
    if planned:  # any plan of the lecture will do: it only balances the pieces
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
        plans.save(scene_class(lesson("parabola")), "en", "low_quality", [(None, 10, False, False)] * 40, 1.0)
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
    drawn = cache / "momentum-lectures" / "segments"  # not the whole cache: LaTeX's folders come and go

    def drawing() -> set[str]:  # the chunks' processes drawing a segment (and with a plan, the parent too)
        pids = {name.split("-")[2] for name in (p.name for p in drawn.glob("*/.momentum-part-*"))}
        return pids - {str(proc.pid)} if not planned or str(proc.pid) in pids else set()

    while not drawing() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert drawing(), "nothing was drawn"
    return proc, temp, cache, int(min(drawing()))


@pytest.mark.parametrize("planned", [False, True], ids=["pass first", "first piece drawn here"])
def test_a_split_render_signalled_stops_its_processes_and_leaves_nothing(tmp_path, monkeypatch, planned):
    """Without a plan the parent plays the lecture undrawn, then waits for its processes; with one it draws
    the first piece itself meanwhile (its own segment must go too)."""
    proc, temp, cache, _ = drawing_split(tmp_path, monkeypatch, planned)
    proc.send_signal(signal.SIGTERM)  # the parent only, not its process group
    sent = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 6.0
    assert proc.returncode == 1 and err.strip().splitlines()[-1].startswith("Error: interrupted: nothing")
    assert "Traceback" not in err
    assert not list(temp.iterdir()) and not (tmp_path / "out" / "parabola").exists()
    assert not list(cache.rglob(".momentum-part-*"))  # the stopped chunks removed their unfinished segments


@pytest.mark.parametrize("planned", [False, True], ids=["pass first", "first piece drawn here"])
def test_a_killed_chunk_process_ends_the_render_in_one_error_line(tmp_path, monkeypatch, planned):
    """SIGKILL to a chunk's process (the OOM killer, say): one Error line naming it, last, no traceback or
    warning after it, nothing written, and its unfinished segment removed."""
    proc, temp, cache, chunk = drawing_split(tmp_path, monkeypatch, planned)
    time.sleep(0.5)  # into its drawing: its progress bars (and their lock) made
    os.kill(chunk, signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    lines = [line.strip() for line in err.splitlines() if line.strip()]
    assert proc.returncode == 1 and "Traceback" not in err, err[-3000:]
    assert [line for line in lines if "Error" in line or "arning" in line] == [lines[-1]], lines[-5:]
    said = r"Error: the process drawing plays \d+-(\d+|the end) of the video died \(killed by SIGKILL\)"
    assert re.fullmatch(said, lines[-1]), lines[-1]
    assert not list(temp.iterdir()) and not (tmp_path / "out" / "parabola").exists()
    assert not list(cache.rglob(".momentum-part-*"))
