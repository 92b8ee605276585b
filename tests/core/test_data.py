"""The regression on a class's own data (--data FILE.csv) and from its own start (--start-w1/-w2/-b): the fit
against numpy.linalg.lstsq and a NumPy run written out here, the same claims as for synthetic data, a name
decided by the content, and every fault of a file refused in one line naming its row and column."""

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import render
from gdcore import dataset, lesson
from scenes.pipeline.render import video_name


def invoke(*args):
    return CliRunner().invoke(render.main, [str(a) for a in args])


def write(path: Path, rows, header=("hours", "sleep", "score")) -> Path:
    path.write_text("\n".join(",".join(map(str, row)) for row in [header, *rows]) + "\n", encoding="utf-8")
    return path


def class_data(n=40, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(5, 2, (n, 2))
    y = 3.0 * x[:, 0] - 0.5 * x[:, 1] + 2.0 + rng.normal(0, 0.3, n)
    return np.column_stack([x, y])


def test_the_fit_on_a_file_is_least_squares_and_the_run_is_gradient_descent_on_it(tmp_path):
    table = class_data()
    path = write(tmp_path / "class.csv", [[repr(float(v)) for v in row] for row in table])
    one = lesson("regression", data=str(path), lr=0.01, beta=0.8, steps=50, start_w1=1.0, start_b=-2.0)
    design = np.column_stack([table[:, :2], np.ones(len(table))])
    np.testing.assert_allclose(one.problem.minimizer(), np.linalg.lstsq(design, table[:, 2])[0], rtol=1e-10)
    assert one.problem.names == ("hours", "sleep", "score") and one.problem.true_params is None
    theta, v = np.array([1.0, 0.0, -2.0]), np.zeros(3)
    for t in range(51):  # the heavy ball on the mean squared error, written out
        np.testing.assert_allclose(one.run.positions[t], theta, rtol=1e-9, atol=1e-12)
        assert one.run.losses[t] == pytest.approx(np.mean((design @ theta - table[:, 2]) ** 2), rel=1e-9)
        v = 0.8 * v - 0.01 * 2 * design.T @ (design @ theta - table[:, 2]) / len(table)
        theta = theta + v
    assert {"samples", "noise", "seed", "true_w1"}.isdisjoint(one.params)


def test_the_synthetic_data_read_back_from_its_export_is_the_same_lecture_claim_for_claim(tmp_path):
    assert invoke("--scene", "regression", "--export-data", tmp_path, "--steps", 5).exit_code == 0
    synthetic = lesson("regression", beta=0.9, lr=0.2)
    mine = lesson("regression", beta=0.9, lr=0.2, data=str(tmp_path / "data.csv"))
    assert mine.problem.names == ("x1", "x2", "y")
    assert np.array_equal(mine.problem.minimizer(), synthetic.problem.minimizer())
    assert np.array_equal(mine.run.positions, synthetic.run.positions)
    assert mine.facts() == synthetic.facts() and mine.summary() == synthetic.summary()
    assert mine.verdict == synthetic.verdict


def test_the_export_of_a_file_keeps_its_names_and_numbers(tmp_path):
    table = class_data(12)
    path = write(tmp_path / "class.csv", [[repr(float(v)) for v in row] for row in table])
    out = tmp_path / "out"
    result = invoke("--scene", "regression", "--data", path, "--export-data", out, "--start-w2", 0.5)
    assert result.exit_code == 0, result.output
    with open(out / "data.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["hours", "sleep", "score"] and np.array_equal(np.array(rows[1:], dtype=float), table)
    trajectory = np.loadtxt(out / "trajectory.csv", delimiter=",", skiprows=1)
    assert trajectory[0, 1:4].tolist() == [0.0, 0.5, 0.0]


def test_the_content_not_the_path_names_the_video(tmp_path):
    table = class_data(10)
    rows = [[repr(float(v)) for v in row] for row in table]
    a, b = write(tmp_path / "a.csv", rows), write(tmp_path / "b.csv", rows)
    rows[4][2] = repr(float(table[4, 2]) + 0.5)
    c = write(tmp_path / "c.csv", rows)

    def name(path):
        params = dict(lesson("regression", data=str(path)).params)
        return video_name("regression", "en", params, "low", found={"manim": "0.22"}), json.dumps(
            params, default=str
        )

    assert name(a)[0] == name(b)[0] != name(c)[0]
    assert "a.csv" not in name(a)[1] and "sha256" in name(a)[1]


def test_the_default_regression_is_the_video_it_was():
    before = lesson("regression").params
    assert {"data", "start_w1", "start_w2", "start_b"}.isdisjoint(before)
    same = lesson("regression", data=None, start_w1=0.0, start_w2=0, start_b=-0.0)
    assert dict(same.params) == dict(before)
    assert lesson("regression", start_b=1.5).run.positions[0].tolist() == [0.0, 0.0, 1.5]


GOOD = [["1", "2", "3"], ["2", "1.5", "4"], ["3", "0.5", "7"], ["4", "3", "2"]]


def rows_with(k: int, j: int, cell: str):
    rows = [list(row) for row in GOOD]
    rows[k][j] = cell
    return rows


FAULTS = {  # the file's rows (after a good header), and what the line must say
    "missing cell": (rows_with(1, 1, ""), "row 3, column 2 (sleep) is empty"),
    "non-numeric": (rows_with(2, 2, "abc"), "row 4, column 3 (score): 'abc' is not a number"),
    "NaN": (rows_with(0, 0, "nan"), "row 2, column 1 (hours) is NaN"),
    "infinite": (rows_with(3, 1, "-inf"), "row 5, column 2 (sleep) is infinite"),
    "overflowing": (rows_with(3, 2, "1e999"), "row 5, column 3 (score): 1e999 is infinite"),
    "too large": (rows_with(3, 2, "1e13"), "row 5, column 3 (score): 1e13 is too large"),
    "a formula": (rows_with(0, 1, "=1+1"), "row 2, column 2 (sleep)"),
    "a hex number": (rows_with(0, 1, "0x10"), "is not a number"),
    "ragged long": ([*GOOD[:2], ["1", "2", "3", "4"], *GOOD[2:]], "row 4 has 4 cells"),
    "ragged short": ([*GOOD[:2], ["1", "2"]], "row 4 has 2 cells"),
    "blank row": ([*GOOD[:2], [""], *GOOD[2:]], "row 4 has 1 cell"),
    "two rows": (GOOD[:2], "2 rows of data: from 3"),
    "constant feature": ([[r[0], "7", r[2]] for r in GOOD], "column 2 (sleep) is constant"),
    "collinear features": ([[r[0], str(3 * float(r[0]) - 2), r[2]] for r in GOOD], "collinear"),
}


def check_refused(tmp_path, path, said):
    out = tmp_path / "out"
    for extra in (["--export-data", out], ["--output", out]):
        result = invoke("--scene", "regression", "--data", path, *extra)
        lines = [line for line in result.output.splitlines() if line.startswith("Error")]
        assert result.exit_code == 2 and len(lines) == 1 and "Traceback" not in result.output, result.output
        assert said in lines[0], lines[0]
        assert not out.exists()


@pytest.mark.parametrize("fault", FAULTS)
def test_a_faulty_file_is_refused_in_one_line_naming_the_row_and_column(tmp_path, fault):
    rows, said = FAULTS[fault]
    check_refused(tmp_path, write(tmp_path / "class.csv", rows), said)


HEADERS = {
    "two names": (("hours", "score"), "row 1 has 2 cells"),
    "a number for a name": (("1.5", "2", "3"), "row 1, column 1: '1.5' is not a plain name"),
    "markup": (("hours", "<b>sleep</b>", "score"), "column 2: '<b>sleep</b>' is not a plain name"),
    "TeX": (("hours", "$\\alpha$", "score"), "is not a plain name"),
    "underscore": (("hours", "sleep_h", "score"), "is not a plain name"),
    "quoted": (('"hours"', "sleep", "score"), "is not a plain name"),
    "empty name": (("hours", "", "score"), "is not a plain name"),
    "too long": (("h" * 25, "sleep", "score"), "at most 24 characters"),
    "twice": (("Hours", "sleep", "hours"), "names a column twice"),
}


@pytest.mark.parametrize("fault", HEADERS)
def test_a_header_that_is_not_three_distinct_plain_names_is_refused(tmp_path, fault):
    header, said = HEADERS[fault]
    check_refused(tmp_path, write(tmp_path / "class.csv", GOOD, header), said)


def test_what_is_not_a_text_file_of_the_right_size_is_refused(tmp_path, monkeypatch):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("température,sleep,score\n1,2,3\n".encode("latin-1"))
    check_refused(tmp_path, latin, "not UTF-8 text (byte 5")
    check_refused(tmp_path, tmp_path / "missing.csv", "cannot be read (No such file or directory)")
    check_refused(tmp_path, tmp_path, "is a folder, not a file")
    check_refused(tmp_path, "/dev/null", "not a regular file")
    os.mkfifo(tmp_path / "pipe.csv")
    check_refused(tmp_path, tmp_path / "pipe.csv", "not a regular file")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    check_refused(tmp_path, empty, "it is empty")
    big = write(tmp_path / "big.csv", GOOD)
    monkeypatch.setattr(dataset, "MAX_BYTES", big.stat().st_size - 1)
    check_refused(tmp_path, big, "larger than")


def test_more_than_the_most_rows_is_refused(tmp_path):
    rows = np.arange(3 * (dataset.MAX_ROWS + 1)).reshape(-1, 3) % 97
    check_refused(tmp_path, write(tmp_path / "many.csv", rows.tolist()), "100001 rows of data")


def test_a_byte_order_mark_and_windows_line_ends_are_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        ("\ufeffhours, sleep ,score\r\n" + "\r\n".join(",".join(r) for r in GOOD) + "\r\n").encode()
    )
    one = lesson("regression", data=str(path))
    assert one.problem.names == ("hours", "sleep", "score") and len(one.problem.targets) == 4


@pytest.mark.parametrize(
    "option", [["--samples", "30"], ["--seed", "1"], ["--true-w1", "2"], ["--noise", "0"]]
)
def test_the_options_of_synthetic_data_do_not_apply_to_a_file(tmp_path, option):
    path = write(tmp_path / "class.csv", GOOD)
    result = invoke("--scene", "regression", "--data", path, *option, "--export-data", tmp_path / "out")
    assert result.exit_code == 2 and "does not apply to data from a file" in result.output
    assert option[0] in result.output and not (tmp_path / "out").exists()


def test_a_file_has_no_explorer_yet_but_its_numbers(tmp_path):
    path = write(tmp_path / "class.csv", GOOD)
    result = invoke("--scene", "regression", "--data", path, "--explore", "--output", tmp_path / "out")
    assert result.exit_code == 2 and "--export-data" in result.output and not (tmp_path / "out").exists()
