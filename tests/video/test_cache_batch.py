"""Regeneration: the cache returns a finished video untouched, a broken entry is made again, batches run in
parallel and report failures, and interrupted or failing renders leave nothing behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from videos import ROOT, render, small_disk

import render as cli
from gdcore import lesson
from scenes.pipeline.batch import run_batch
from scenes.pipeline.files import cache_dir
from scenes.pipeline.request import Job

TINY = ["--steps", "2", "--x0", "3"]


def stamps(folder: Path) -> dict:
    return {p.name: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_the_same_lecture_comes_from_the_cache_until_forced(tmp_path):
    video, _, first = render(tmp_path, *TINY)
    before = stamps(tmp_path)
    again, _, second = render(tmp_path, *TINY)
    assert again == video and stamps(tmp_path) == before  # nothing rendered or rewritten
    assert "Animation" in first.stderr and "Animation" not in second.stderr
    forced, _, third = render(tmp_path, *TINY, "--force")  # damaged entries: test_reliability.py
    assert (
        forced == video and "Animation" in third.stderr and stamps(tmp_path)[video.name] > before[video.name]
    )


def test_a_batch_renders_every_combination_in_parallel(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "render.py"),
            *TINY,
            "--lang",
            "en,es",
            "--quality",
            "low",
            "--jobs",
            "2",
            "--output",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    paths = [Path(line) for line in proc.stdout.strip().splitlines()]
    assert sorted(p.name.split("-")[1] for p in paths) == ["en", "es"] and all(p.exists() for p in paths)
    assert "[2/2]" in proc.stderr
    page = (tmp_path / "index.html").read_text()  # the class page: one lecture, a button for each language
    assert all(f'data-id="{p.stem}-low"' in page for p in paths) and page.count('class="card"') == 1


def test_one_failed_job_does_not_stop_the_others(tmp_path):
    """Two typed jobs, each rendered in its own process: the one whose output folder cannot be made fails
    alone, in one line naming it; the other lands."""
    (tmp_path / "file").write_text("not a folder")
    subject, done, said = lesson("parabola", steps=2, x0=3), [], []
    good, bad = (
        Job(subject, "en", "low", tmp_path / "out"),
        Job(subject, "es", "low", tmp_path / "file" / "out"),
    )
    failed = run_batch([good, bad], 2, lambda job, video: done.append((job, video)), said.append)
    assert (
        [job for job, _ in done] == [good] and done[0][1].is_file() and done[0][1].is_relative_to(good.output)
    )
    assert failed == [bad.label] == ["parabola es low"]
    assert [line for line in said if line.startswith("failed:")] == [
        f"failed: parabola es low: Error: could not write the video into {bad.output}: Not a directory"
    ]


def test_scene_all_takes_no_hyperparameters(tmp_path):
    result = CliRunner().invoke(cli.main, ["--scene", "all", "--lr", "1", "--output", str(tmp_path)])
    assert result.exit_code == 2 and "--scene all" in result.output and not list(tmp_path.iterdir())


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_render_leaves_nothing_behind(tmp_path, sig):
    temp, out = tmp_path / "tmp", tmp_path / "out"
    temp.mkdir()
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "render.py"), *TINY, "--quality", "low", "--output", str(out)],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(temp.glob("momentum-render-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # well into the render
    proc.send_signal(sig)
    assert proc.wait(timeout=60) != 0
    assert not list(temp.glob("momentum-render-*")) and not [p for p in out.rglob("*") if p.is_file()]


def test_a_full_disk_ends_with_one_line_and_nothing_partial(tmp_path):
    with small_disk(tmp_path / "small", "200k") as small:
        proc = subprocess.run(
            [sys.executable, str(ROOT / "render.py"), *TINY, "--quality", "low", "--output", str(small)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        assert proc.returncode == 1
        last = proc.stderr.strip().splitlines()[-1]
        assert last.startswith("Error:") and str(small) in last and "space" in last.lower()
        assert "Traceback" not in proc.stderr and list(small.rglob("*")) == []


def test_two_renders_share_the_latex_cache_under_a_lock(tmp_path):
    import fcntl

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "from manim import MathTex, tempconfig\n"
        "from scenes.pipeline.compat import apply\nfrom scenes.pipeline.files import cache_dir\n"
        "apply()\n"
        "with tempconfig({'tex_dir': str(cache_dir() / 'tex'), 'media_dir': %r}):\n"
        "    MathTex(r'\\\\frac{a}{%d}')\n" % (str(ROOT), str(tmp_path / "media"), os.getpid())
    )
    lock_path = tmp_path / "momentum-lectures" / ".lock"
    lock_path.parent.mkdir(parents=True)
    with open(lock_path, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(8)  # enough to import Manim and compile the formula (in private: no lock needed)
        shared = tmp_path / "momentum-lectures" / "tex"
        assert proc.poll() is None and not list(shared.glob("*.svg"))  # it waits for the lock to install it
    assert proc.wait(timeout=120) == 0, proc.stderr.read()[-2000:]
    assert list((tmp_path / "momentum-lectures" / "tex").glob("*.svg"))
    assert cache_dir() != tmp_path / "momentum-lectures"  # the test used its own cache
