"""A split render that finds the lecture's last plan starts its processes at once and draws the first range
itself: the video equals a one-process render frame by frame with the plan of other parameters (an estimate:
another number of plays); and the plan kept is each render's."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from videos import ROOT, render

STEPS = ["--steps", "7", "--lr", "0.4", "--x0", "4.5"]


def frames(video):
    with av.open(str(video)) as box:
        return [f.to_ndarray(format="rgb24") for f in box.decode(box.streams.video[0])]


def worst_psnr(a, b) -> float:
    """The lowest PSNR (dB) over the frames of two videos of the same frame count (inf: all equal)."""
    x, y = frames(a), frames(b)
    assert len(x) == len(y) and len(x) > 50, (len(x), len(y))
    worst = float("inf")
    for one, two in zip(x, y):
        mse = np.mean((one.astype(np.float64) - two.astype(np.float64)) ** 2)
        worst = min(worst, float("inf") if mse == 0 else 10 * np.log10(255**2 / mse))
    return worst


def plays(stderr: str) -> int:
    found = re.search(r"animations: (\d+) drawn, (\d+) reused", stderr)
    assert found, stderr[-2000:]
    return int(found[1]) + int(found[2])


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    """A cache folder of their own (the session's LaTeX and texts in it): the first split render finds no
    plan."""
    folder, shared = tmp_path_factory.mktemp("plans-cache"), Path(os.environ["XDG_CACHE_HOME"])
    for made in ("tex", "texts"):
        if (shared / "momentum-lectures" / made).is_dir():
            shutil.copytree(shared / "momentum-lectures" / made, folder / "momentum-lectures" / made)
    return folder


def split(cache, output, *args):
    old = os.environ["XDG_CACHE_HOME"]
    os.environ["XDG_CACHE_HOME"] = str(cache)
    try:
        return render(output, *STEPS, "--jobs", "2", "--force", *args)
    finally:
        os.environ["XDG_CACHE_HOME"] = old


def kept(cache) -> list:
    (found,) = (cache / "momentum-lectures" / "plans").glob("*.json")
    return json.loads(found.read_text())["plays"]


def test_a_known_plan_and_an_estimate_give_the_one_process_video(cache, tmp_path):
    first, _, proc = split(cache, tmp_path / "a", "--beta", "0.5")  # no plan: the pass first, then kept
    assert len(kept(cache)) == plays(proc.stderr)
    other, other_meta, proc = split(cache, tmp_path / "c", "--beta", "0.0")  # no plain-GD ball: fewer plays
    assert len(kept(cache)) == plays(proc.stderr)
    cold, cold_meta, _ = render(tmp_path / "d", *STEPS, "--beta", "0.0", "--jobs", "1", "--force")
    assert worst_psnr(other, cold) >= 45
    for key in ("captions", "chapters", "beats", "duration"):
        assert other_meta[key] == cold_meta[key], key


def test_an_unreadable_plan_is_no_plan(tmp_path):
    code = (
        "from scenes.pipeline import plans\nfrom scenes.lectures.parabola import ParabolaLecture as L\n"
        "p = plans.path(L, 'en', 'low_quality'); p.parent.mkdir(parents=True); p.write_text('{')\n"
        "print(plans.load(L, 'en', 'low_quality'))\n"
        "plans.save(L, 'en', 'low_quality', [(None, 3, True, False)], 1.5)\n"
        "print(plans.load(L, 'en', 'low_quality'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.splitlines() == ["None", "([(None, 3, True, False)], 1.5)"], done.stderr
