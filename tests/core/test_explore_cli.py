"""render.py --explore through click's CliRunner, and the explorer's writing around a render (no browser here:
tests/video/test_explore.py opens the pages)."""

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import render
from gdcore import landscape, lesson
from gdcore.lesson import teach
from scenes.pages.explore import (
    BETAS,
    SIDE,
    as_written,
    axes,
    page_name,
    point,
    points,
    setting,
    stored_steps,
    write_explorer_safely,
)


def invoke(*args):
    return CliRunner().invoke(render.main, [str(a) for a in args])


def data(path):
    """The page's data block."""
    found = re.search(
        r'<script id="data" type="application/json">(.*?)</script>',
        path.read_text(encoding="utf-8"),
        re.DOTALL,
    )
    return json.loads(found.group(1))


def test_explore_writes_one_page_per_language_without_a_video(tmp_path):
    pytest.importorskip("jinja2", reason="Jinja2 (the page's template) is not installed")
    result = invoke(
        "--explore",
        "--scene",
        "parabola",
        "--steps",
        "4",
        "--lr",
        "0.37",
        "--lang",
        "en,es",
        "--output",
        tmp_path,
    )
    assert result.exit_code == 0, result.output
    paths = result.stdout.strip().splitlines()
    given = {"steps": 4, "lr": 0.37}
    assert paths == [str(tmp_path / "explore" / page_name("parabola", lang, given)) for lang in ("en", "es")]
    assert all(Path(p).name.startswith(f"parabola-{lang}-") for p, lang in zip(paths, ("en", "es")))
    assert result.output.count("MB, written in") == 2
    assert sorted(os.listdir(tmp_path)) == ["explore"]  # no video, no class page
    shown = data(Path(paths[1]))
    assert len(shown["lrs"]) >= SIDE and len(shown["betas"]) >= SIDE and 0.37 in shown["lrs"]
    assert shown["betas"][0] == 0 and shown["steps"] == 4 and shown["start"]["lr"] == 0.37
    assert shown["command"] == ["python render.py --scene parabola", "--steps 4 --lang es"]
    assert os.path.getsize(paths[0]) < 3e6


def test_valleys_opens_on_its_first_beta_above_zero(tmp_path):
    pytest.importorskip("jinja2", reason="Jinja2 (the page's template) is not installed")
    result = invoke(
        "--explore", "--scene", "valleys", "--steps", "3", "--beta", "0,0.9", "--output", tmp_path
    )
    assert result.exit_code == 0, result.output
    shown = data(tmp_path / "explore" / page_name("valleys", "en", {"steps": 3, "beta": (0.0, 0.9)}))
    assert shown["start"] == {"lr": 0.2, "beta": 0.9, "variant": "classic"} and 0.9 in shown["betas"]
    assert tuple(shown["betas"]) == BETAS


BAD = [
    ["--scene", "landscape"],
    ["--scene", "all"],
    ["--slides"],
    ["--voice"],
    ["--export-data", "data"],
    ["--lr", "0.1,0.2"],
    ["--samples", "10"],
    ["--beta", "1.5"],
    ["--scene", "valleys", "--beta", "0,1.5"],
    ["--scene", "ravine"],  # a lecture that declares no explorer
    ["--scene", "function"],
]


@pytest.mark.parametrize("args", BAD, ids=[" ".join(a) for a in BAD])
def test_explore_usage_errors_exit_2_and_write_nothing(tmp_path, args):
    result = invoke("--explore", *args, "--output", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Error:" in result.output
    assert not (tmp_path / "out" / "explore").exists()


def test_a_page_that_cannot_be_written_is_one_warning_and_no_failure(tmp_path, capsys):
    (tmp_path / "explore").write_text("a file where the folder should be")
    write_explorer_safely(lesson("parabola", steps=3), "en", tmp_path)
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 1 and said[0].startswith("warning: could not write the explorer")
    write_explorer_safely(
        landscape("parabola", steps=3), "en", tmp_path
    )  # the map has no explorer: no warning
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "scene, given",
    [
        ("parabola", {"steps": 12}),
        ("regression", {"steps": 40, "samples": 25}),
        ("valleys", {"steps": 30, "beta": (0.0, 0.9)}),
    ],
)
@pytest.mark.parametrize("variant", ["classic", "ema", "nesterov"])
def test_the_grid_taught_at_once_is_each_point_taught_alone(scene, given, variant):
    """points() teaches a rule's whole (α, β) grid together; point() teaches one Lesson (the valleys: one
    Comparison) with gdcore's public calls: the same numbers, verdict lines and claims at every point tried."""
    params, start = setting(scene, given)
    lrs, betas = axes(scene, params, start)
    fixed = {k: v for k, v in params.items() if k not in ("lr", "beta")}
    shown = stored_steps(scene, params)
    rows = points(scene, {**fixed, "variant": variant}, lrs, betas, shown)
    assert len(rows) == len(lrs) and all(len(row) == len(betas) for row in rows)
    for i in range(0, len(lrs), 6):
        for j in (0, 1, 13, 24, 36, 39, 40):
            want = point(scene, {**fixed, "variant": variant, "lr": lrs[i], "beta": betas[j]}, shown)
            got = rows[i][j]
            assert np.array_equal(got[0], want[0]) and got[1:] == want[1:]
            assert got[4] == teach_one(scene, {**fixed, "variant": variant, "lr": lrs[i], "beta": betas[j]})
    assert {p[3] for row in rows for p in row} == {0, 1, 2}  # settled, not settled and diverged points


def teach_one(scene: str, params: dict):
    """Where gdcore's own run of this setting diverged (Trajectory.diverged_at): what a grid point keeps."""
    return teach(scene, params).run.diverged_at


def test_a_long_run_keeps_sampled_steps_with_its_first_and_last(tmp_path):
    """10 000 steps (the most a lecture takes) keep a few hundred steps of each run: the page samples them."""
    params, _ = setting("parabola", {"steps": 10_000})
    kept = stored_steps("parabola", params)
    assert kept[0] == 0 and kept[-1] == 10_000 and len(kept) < 400
    assert len(set(np.diff(kept[:-1]))) == 1  # evenly, but for the last
    assert stored_steps("parabola", setting("parabola", {"steps": 60})[0]) == tuple(range(61))


def test_positions_are_stored_as_python_writes_them():
    """as_written keeps each value's 4 significant digits exactly as Python's formatting rounds them (ties to
    even, powers of ten, the smallest doubles), which the page writes back with the same digits."""
    rng = np.random.default_rng(7)
    values = rng.normal(size=4000) * 10.0 ** rng.integers(-320, 300, 4000)
    edges = [0.0, -0.0, 5e-324, 12345.0, 0.12345, 9999.5, 99995.0, 1e-4, 9.9995e-5, 5630.06, -0.19534]
    values = np.concatenate([values[np.isfinite(values)], edges])
    digits, powers = as_written(values[:, None]).T
    for v, d, p in zip(values, digits, powers):
        assert (d == 0) if v == 0 else f"{float(f'{d}e{p}'):.3e}" == f"{v:.3e}" and 1000 <= abs(d) <= 9999


def test_a_lecture_without_an_explorer_has_no_page_and_says_so(tmp_path, capsys):
    from gdcore import ParameterError
    from scenes.pages.explore import declared, link

    with pytest.raises(ParameterError, match="has no explorer"):
        declared("ravine")
    write_explorer_safely(lesson("ravine", steps=3), "en", tmp_path)  # none written, nothing said
    assert not (tmp_path / "explore").exists() and capsys.readouterr().err == ""
    assert link(tmp_path, "ravine", "en", {"steps": 3}) is None
