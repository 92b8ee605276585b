"""render.py through click's CliRunner: help, list, export, and bad input (exit 2, nothing written)."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import render
from gdcore import HYPERPARAMETERS, LECTURES, lesson
from scenes import api
from scenes.pipeline.options import shown


def invoke(*args):
    return CliRunner().invoke(render.main, [str(a) for a in args])


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], np.array(rows[1:], dtype=float)


def test_help_lists_every_hyperparameter_with_its_default():
    out = " ".join(invoke("--help").output.split())
    for flag in (
        "--scene",
        "--quality",
        "--lang",
        "--output",
        "--lr",
        "--beta",
        "--momentum",
        "--steps",
        "--variant",
        "--x0",
        "--samples",
        "--noise",
        "--seed",
        "--true-w1",
        "--export-data",
        "--list",
    ):
        assert flag in out
    assert "0.3 (parabola)" in out and "1080p60" in out


def test_list_prints_scenes_and_parameters_and_the_docs_show_it():
    result = invoke("--list")
    assert result.exit_code == 0
    assert "parabola" in result.output and "regression" in result.output and "--samples" in result.output
    for scene, cls in LECTURES.items():  # every option of the scene with its default and its valid values
        block = result.output.split(scene + "\n", 1)[1]
        for name, default in cls.DEFAULTS.items():
            line = next(
                line for line in block.splitlines() if line.split()[0] == "--" + name.replace("_", "-")
            )
            assert shown(default, name) in line and HYPERPARAMETERS[name].valid.text() in line
    page = (Path(render.__file__).parent / "docs" / "options.md").read_text()
    assert result.output.strip() in page  # the documented table is the command's output, not a copy by hand


def test_help_and_errors_come_from_the_table():
    out = " ".join(invoke("--help").output.split())
    for row in HYPERPARAMETERS.values():
        if any(row.name in cls.DEFAULTS for cls in LECTURES.values()):
            assert f"{row.help}; {row.valid.text()}" in out
    result = invoke("--scene", "regression", "--samples", "2")
    assert HYPERPARAMETERS["samples"].valid.text() in result.output and "--samples" in result.output


@pytest.mark.parametrize("variant", ["classic", "ema", "nesterov"])
def test_export_parabola_follows_the_update_rule(tmp_path, variant):
    lr, beta = 2.2, 0.85
    result = invoke(
        "--export-data",
        tmp_path,
        "--lr",
        lr,
        "--momentum",
        beta,
        "--steps",
        25,
        "--variant",
        variant,
        "--x0",
        -7.5,
    )
    assert result.exit_code == 0, result.output
    header, rows = read_csv(tmp_path / "trajectory.csv")
    assert header == ["step", "x", "v", "grad", "loss"]
    step, x, v, g, loss = rows.T
    np.testing.assert_array_equal(step, np.arange(len(rows)))
    np.testing.assert_allclose(g, x / 3, rtol=1e-12)
    np.testing.assert_allclose(loss, x**2 / 6, rtol=1e-12)
    for t in range(len(rows) - 1):  # each rule, written out independently of gdcore
        if variant == "classic":
            v_next = beta * v[t] - lr * x[t] / 3
            x_next = x[t] + v_next
        elif variant == "ema":
            v_next = beta * v[t] + (1 - beta) * x[t] / 3
            x_next = x[t] - lr * v_next
        else:
            v_next = beta * v[t] - lr * (x[t] + beta * v[t]) / 3
            x_next = x[t] + v_next
        assert x[t + 1] == pytest.approx(x_next, rel=1e-12, abs=1e-12)
        assert v[t + 1] == pytest.approx(v_next, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("variant", ["classic", "ema", "nesterov"])
def test_export_regression_is_gradient_descent_on_the_exported_data(tmp_path, variant):
    lr, beta = 0.07, 0.93
    result = invoke(
        "--scene",
        "regression",
        "--export-data",
        tmp_path,
        "--lr",
        lr,
        "--beta",
        beta,
        "--steps",
        40,
        "--variant",
        variant,
        "--samples",
        17,
        "--noise",
        1.3,
        "--seed",
        99,
    )
    assert result.exit_code == 0, result.output
    dh, data = read_csv(tmp_path / "data.csv")
    th, traj = read_csv(tmp_path / "trajectory.csv")
    assert dh == ["x1", "x2", "y"] and len(data) == 17
    assert th == ["step", "w1", "w2", "b", "v_w1", "v_w2", "v_b", "loss"] and len(traj) == 41
    x = np.column_stack([data[:, :2], np.ones(17)])
    y = data[:, 2]

    def grad(theta):
        return 2 * x.T @ (x @ theta - y) / len(y)

    for t in range(40):
        theta, v = traj[t, 1:4], traj[t, 4:7]
        if variant == "classic":
            v = beta * v - lr * grad(theta)
            theta = theta + v
        elif variant == "ema":
            v = beta * v + (1 - beta) * grad(theta)
            theta = theta - lr * v
        else:
            v = beta * v - lr * grad(theta + beta * v)
            theta = theta + v
        np.testing.assert_allclose(traj[t + 1, 1:7], np.r_[theta, v], rtol=1e-10, atol=1e-12)
        assert traj[t + 1, 7] == pytest.approx(np.mean((x @ theta - y) ** 2), rel=1e-10)
    np.testing.assert_allclose(
        data[:, :2], lesson("regression", samples=17, noise=1.3, seed=99).problem.features
    )


def test_export_of_a_divergent_run_succeeds_and_stops_at_divergence(tmp_path):
    result = invoke("--export-data", tmp_path, "--lr", 20, "--beta", 0.5, "--steps", 500)
    assert result.exit_code == 0
    _, rows = read_csv(tmp_path / "trajectory.csv")
    assert len(rows) < 100 and np.all(np.isfinite(rows))


BAD = [
    ["--lr", "0"],
    ["--lr", "-0.5"],
    ["--lr", "nan"],
    ["--lr", "inf"],
    ["--beta", "1"],
    ["--momentum", "1.5"],
    ["--beta", "-0.1"],
    ["--beta", "nan"],
    ["--steps", "0"],
    ["--steps", "10001"],
    ["--x0", "nan"],
    ["--x0", "1e9"],
    ["--scene", "nope"],
    ["--variant", "adam"],
    ["--quality", "8k"],
    ["--lang", "de"],
    ["--scene", "regression", "--samples", "2"],
    ["--scene", "regression", "--noise", "-1"],
    ["--scene", "regression", "--true-b", "inf"],
    ["--scene", "regression", "--x0", "1"],
    ["--scene", "parabola", "--samples", "10"],
    ["--lr", "abc"],
    ["--lr", "1_0"],
    ["--steps", "1_0"],
    ["--lr", "1e-320"],
    ["--lr", "0x10"],
    ["--lr", "\u0663"],  # Arabic-Indic 3: Python's float() reads it, the command line does not
    ["--steps", "\uff12\uff10"],  # fullwidth 20
    ["--beta", "\u0660.\u0665"],
    ["--scene", "regression", "--seed", "\U0001d7d1"],  # mathematical bold 3
    ["--x0", "\u00b2"],  # superscript 2: no number
]


@pytest.mark.parametrize("args", BAD, ids=[" ".join(a) for a in BAD])
def test_bad_input_exits_2_with_one_message_and_writes_nothing(tmp_path, args):
    out = tmp_path / "out"
    out.mkdir()
    for extra in (["--export-data", out], ["--output", out]):
        result = invoke(*args, *extra)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and "Error:" in result.output
        assert os.listdir(out) == []


def test_error_names_option_and_valid_range():
    result = invoke("--beta", "1.0")
    assert "--beta" in result.output and "[0, 1)" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_folder_exits_2(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert invoke("--export-data", locked / "x").exit_code == 2


def test_unwritable_folder_exits_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    for option in ("--export-data", "--output"):
        result = invoke(option, blocker / "sub")
        assert result.exit_code == 2 and "not a writable folder" in result.output


@pytest.mark.parametrize(
    "extra", [["--slides"], ["--voice"], ["--quality", "low"], ["--lang", "es"], ["--scene", "all"]]
)
def test_export_data_refuses_the_options_of_a_video(tmp_path, extra):
    result = invoke("--export-data", tmp_path, *extra)
    assert result.exit_code == 2 and "Error:" in result.output and os.listdir(tmp_path) == []


def test_export_data_never_writes_over_files_unless_forced(tmp_path):
    assert invoke("--export-data", tmp_path, "--steps", 5).exit_code == 0
    before = (tmp_path / "trajectory.csv").read_bytes()
    result = invoke("--export-data", tmp_path, "--steps", 7)
    assert result.exit_code == 2 and "trajectory.csv exists" in result.output and "--force" in result.output
    assert (tmp_path / "trajectory.csv").read_bytes() == before
    assert invoke("--export-data", tmp_path, "--steps", 7, "--force").exit_code == 0
    assert len(read_csv(tmp_path / "trajectory.csv")[1]) == 8


def test_an_output_with_a_line_break_is_refused_before_anything_is_made(tmp_path):
    result = invoke("--output", tmp_path / "two\nlines")
    assert result.exit_code == 2 and "line break" in result.output and os.listdir(tmp_path) == []


@pytest.mark.skipif(not Path("/proc/sys").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_takes_no_files_is_said_so():
    result = invoke("--output", "/proc/sys")
    assert result.exit_code == 2 and "no file can be created there" in result.output


def test_a_blank_folder_is_refused_not_taken_for_the_current_one(tmp_path, monkeypatch):
    """An empty --output or --export-data (an unset shell variable) would write into the current folder."""
    monkeypatch.chdir(tmp_path)
    for args in (["--export-data", ""], ["--explore", "--output", ""], ["--output", ""], ["--output", "  "]):
        result = invoke("--steps", 3, *args)
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert result.exit_code == 2 and len(errors) == 1 and args[-2] in errors[0], result.output
        assert "blank" in errors[0] and os.listdir(tmp_path) == []


# What a Latin-1 terminal shows for the characters it lacks, written out by hand
LATIN_1 = {"\u03b1": "alpha", "\u03b2": "beta", "\u03ba": "kappa", "\u2026": "..."}


@pytest.mark.parametrize("flag", ["--help", "--list"])
def test_help_and_list_print_on_a_latin_1_terminal(flag):
    """The help and the list, on a Latin-1 terminal, are the UTF-8 ones with the Greek letters spelled out."""

    def shown(encoding: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "100"}
        cmd = [sys.executable, str(Path(render.__file__)), flag]
        return subprocess.run(cmd, capture_output=True, env=env, timeout=120)

    utf8, latin1 = shown("utf-8"), shown("latin-1")
    assert latin1.returncode == 0 and latin1.stderr == b"", latin1.stderr.decode(errors="replace")[-2000:]
    wanted = utf8.stdout.decode("utf-8")
    assert {"\u03b1", "\u03b2"} <= set(wanted) - set(map(chr, range(256))) <= set(LATIN_1)  # Latin-1 lacks
    for char, spelled in LATIN_1.items():
        wanted = wanted.replace(char, spelled)
    assert latin1.stdout.decode("latin-1") == wanted


def test_minus_zero_is_zero_on_screen_and_in_the_cache():
    from scenes.pipeline.render import video_name

    def name(beta):
        lecture = api.lesson("parabola", beta=beta)
        params = dict(lecture.params)  # the versions given: tests/core has no installed packages' metadata
        return lecture.params["beta"], video_name("parabola", "en", params, "low", found={"manim": "0.22"})

    zero, minus = name(0.0), name(-0.0)
    assert zero == minus and str(minus[0]) == "0.0"
