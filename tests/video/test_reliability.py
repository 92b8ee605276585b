"""Safe under parallel renders, interrupts and damaged files: the shared caches never poison a later render,
a killed render leaves nothing a later run keeps, damaged cache entries are made again, and every fault is
one line."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from videos import PARABOLA, ROOT, probe, reported, small_disk

from scenes.pipeline import compat
from scenes.pipeline.render import cached, digest

TINY = ["--steps", "2", "--quality", "low"]


def start(output: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "render.py"), *TINY, "--output", str(output), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(proc: subprocess.Popen) -> Path:
    """The video a render printed last; its stderr is kept as `proc.said`."""
    out, proc.said = proc.communicate(timeout=600)
    assert proc.returncode == 0, proc.said[-3000:]
    return Path(out.strip().splitlines()[-1])


def whole(video: Path) -> None:
    """The video decodes to its last frame, and every file the sidecar lists has the content it recorded."""
    meta = json.loads(video.with_suffix(".json").read_text())
    info = probe(video)
    assert info["frames"] >= int(meta["duration"] * info["fps"]) - 2
    for suffix, sha in meta["files"].items():
        assert digest(video.with_name(video.stem + suffix)) == sha, suffix


def test_parallel_renders_on_a_fresh_cache_never_poison_it(tmp_path):
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}  # fresh: every text and formula is made in the rounds
    for round_ in range(2):  # the first makes every shared text, the second new numbers' texts
        x0 = 3 + round_ / 8  # new numbers each round: new texts made by both renders at once
        pair = [start(tmp_path / f"out{i}", "--x0", f"{x0 + i / 16:g}", env=env) for i in (0, 1)]
        for proc in pair:
            whole(finished(proc))
    svgs = list((tmp_path / "cache").rglob("*.svg"))
    assert svgs and all(p.stat().st_size > 0 for p in svgs)
    assert not list((tmp_path / "cache").rglob(".momentum-part-*"))  # no private folder left behind


def test_renders_killed_at_several_moments_are_followed_by_a_correct_one(tmp_path):
    temp, cache = tmp_path / "tmp", tmp_path / "cache"
    temp.mkdir()
    env = {"TMPDIR": str(temp), "XDG_CACHE_HOME": str(cache)}
    for moment in (1.0, 3.0, 6.0):  # importing, making texts and formulas, rendering frames
        proc = start(tmp_path / "out", "--x0", "3.7", env=env)
        time.sleep(moment)
        proc.kill()
        proc.wait()
    video = finished(start(tmp_path / "out", "--x0", "3.7", env=env))
    whole(video)
    assert not list(temp.iterdir())  # the killed renders' work folders were removed by the next run
    assert not list((tmp_path / "out").rglob(".momentum-part-*")) and not list(
        cache.rglob(".momentum-part-*")
    )


def test_the_cache_serves_only_whole_files(tmp_path):
    video = finished(start(tmp_path, "--x0", "3"))
    params = json.loads(video.with_suffix(".json").read_text())["params"]
    assert cached(video.parent, video.stem, params)
    pristine = {p: p.read_bytes() for p in video.parent.iterdir()}
    for suffix in (".mp4", ".srt", ".vtt", ".chapters.vtt", ".jpg"):
        damaged = video.with_name(video.stem + suffix)
        data = bytearray(damaged.read_bytes())
        cut = len(data) // 4  # 300 KB zeroed in the middle of a larger file
        data[len(data) // 2 : len(data) // 2 + min(cut, 300_000)] = bytes(min(cut, 300_000))
        for broken in (bytes(data), b""):
            damaged.write_bytes(broken)
            assert not cached(video.parent, video.stem, params), suffix
        damaged.write_bytes(pristine[damaged])
    video.write_bytes(b"")
    proc = start(tmp_path, "--x0", "3")
    whole(finished(proc))
    assert "Animation" in proc.said  # rendered again, not served


def test_a_damaged_cached_segment_is_drawn_again_with_one_warning_line(tmp_path, parabola_en):
    """Every segment of the session's cache (a copy) cut to its first kilobyte: a render with another β, which
    reuses the animations before the rule, draws each of those again, one line each, and ends whole."""
    cache = tmp_path / "cache" / "momentum-lectures"
    shutil.copytree(Path(os.environ["XDG_CACHE_HOME"], "momentum-lectures"), cache)
    cut = set(cache.glob("segments/*/*.mp4"))
    for path in cut:
        os.truncate(path, 1000)
    beta = PARABOLA.index("--beta")
    args = [*PARABOLA[:beta], "--beta", "0.3", *PARABOLA[beta + 2 :]]  # its --steps after TINY's: it wins
    proc = start(tmp_path / "out", *args, env={"XDG_CACHE_HOME": str(cache.parent)})
    whole(finished(proc))
    said = [line for line in proc.said.splitlines() if "damaged" in line]
    named = {Path(line.split("drawn again: ")[-1]) for line in said}
    assert "Traceback" not in proc.said and said and len(named) == len(said) and named <= cut, said
    assert all(line.startswith("warning: a damaged animation in the cache is drawn again: ") for line in said)
    assert reported(proc.said)["reused"] == 0  # none of them served
    assert all(compat.check(path) == "whole" for path in named)  # each drawn again in its place


def test_a_broken_sidecar_is_left_out_of_the_page_in_one_line(tmp_path):
    broken = tmp_path / "parabola" / "low" / "parabola-en-0123456789.json"
    broken.parent.mkdir(parents=True)
    broken.with_suffix(".mp4").write_bytes(b"")
    broken.write_text(
        json.dumps({"scene": "parabola", "lang": "en", "chapters": [], "params": {}})
    )  # no poster…
    proc = start(tmp_path, "--x0", "2.5")
    video = finished(proc)
    page = (tmp_path / "index.html").read_text()
    assert video.stem in page and broken.stem not in page
    warnings = [line for line in proc.said.splitlines() if str(broken) in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning:") and "poster" in warnings[0]


def test_a_signal_while_installing_finishes_the_install_and_says_so(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    code = (
        "import os, signal, sys\n"
        "sys.path.insert(0, %r)\n"
        "import scenes.pipeline.render as r\n"
        "install = r.install\n"
        "def interrupted(*args):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    install(*args)\n"
        "r.install = interrupted\n"
        "import render\n"
        "sys.argv = ['render.py', *%r, '--x0', '3', '--output', %r]\n"
        "render.main()\n" % (str(ROOT), TINY, str(tmp_path / "out"))
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    video = Path(last.split("landed: ")[1].split(" (")[0])
    assert last.startswith("Error: interrupted after the video landed") and video.is_file()
    whole(video)
    assert (tmp_path / "out" / "index.html").is_file() and not list(temp.iterdir())


def test_a_batch_stops_within_5_s_when_its_parent_alone_is_signalled(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "render.py"),
            "--steps",
            "2",
            "--lang",
            "en,es",
            "--quality",
            "low,medium",
            "--jobs",
            "2",
            "--output",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while len(list(temp.glob("momentum-render-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(3.0)  # well into both renders
    proc.send_signal(signal.SIGTERM)  # the parent only, not its process group
    sent = time.monotonic()
    _, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 5.0
    assert proc.returncode == 1 and err.strip().splitlines()[-1].startswith(
        "Error: interrupted: the batch stopped"
    )
    assert "Traceback" not in err
    time.sleep(0.5)
    assert not list(temp.iterdir())  # the renders it stopped cleaned up, and none started after
    left = subprocess.run(["pgrep", "-f", str(tmp_path / "out")], capture_output=True, text=True).stdout
    assert not left.strip()


@pytest.mark.parametrize("small", ["TMPDIR", "XDG_CACHE_HOME", "--export-data"])
def test_a_full_disk_anywhere_is_one_line_naming_that_folder(tmp_path, small):
    with small_disk(tmp_path / "small", "300k") as disk:
        args = ["--x0", "3.3", "--output", str(tmp_path / "out")]
        env = {small: str(disk)} if small != "--export-data" else {}
        if small == "--export-data":
            args = [
                "--scene",
                "regression",
                "--samples",
                "100000",
                "--steps",
                "10000",
                "--export-data",
                str(disk),
            ]
        cmd = [sys.executable, str(ROOT / "render.py"), *(TINY if small != "--export-data" else []), *args]
        proc = subprocess.run(
            cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, timeout=600
        )
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        last = proc.stderr.strip().splitlines()[-1]
        assert last.startswith("Error:") and str(disk) in last and "space" in last.lower()
        assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
        if small == "--export-data":
            assert not list(disk.iterdir())
