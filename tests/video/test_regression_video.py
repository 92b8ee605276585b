"""The regression lecture rendered at low quality with few steps, and the numbers it puts on screen."""

import numpy as np
import pytest
from videos import REGRESSION, frame_at, options, probe, render

from gdcore import lesson
from scenes.lectures.regression import verdict_rows


@pytest.fixture(scope="module")
def english(regression_en):
    return regression_en


def cyan_pixels(frame: np.ndarray) -> int:
    """Pixels of the plane's colour (cyan: blue and green well above red) in the 3-D half of the frame."""
    rgb = frame[: int(frame.shape[0] * 0.85), : int(frame.shape[1] * 0.5)].astype(int)
    return int(((rgb[..., 2] > rgb[..., 0] + 50) & (rgb[..., 1] > rgb[..., 0] + 30)).sum())


def test_file_size_rate_and_duration(english, media):
    video, meta, _ = english
    assert video.parent == media / "regression" / "low" and video.name.startswith("regression-en-")
    info = probe(video)
    assert (info["width"], info["height"], round(info["fps"])) == (854, 480, 15)
    assert 30 < info["duration"] < 150 and meta["beats"]["verdict"] < info["duration"]


def test_sidecar_params_and_summary(english):
    _, meta, _ = english
    assert meta["params"] == {**lesson("regression").params, **options(REGRESSION)}
    truth = lesson("regression", **meta["params"])
    assert meta["summary"]["final_position"] == dict(zip(("w1", "w2", "b"), truth.run.positions[-1].tolist()))
    assert meta["summary"]["final_loss"] == truth.run.losses[-1] and meta["summary"]["diverged"] is False
    assert meta["summary"]["convergence_factor"] == truth.verdict.rho


def test_plane_is_drawn_during_the_run_and_not_before(english):
    video, meta, _ = english
    before = frame_at(video, meta["beats"]["show_rule"] + 0.5)
    during = frame_at(video, meta["steps"][2])
    assert during.std() > 10
    assert cyan_pixels(before) < 200 < cyan_pixels(during)


def test_spanish_and_divergent_runs_render(tmp_path, english, regression_es):
    es, es_meta, _ = regression_es
    assert es != english[0] and es.name.startswith("regression-es-") and es_meta["lang"] == "es"
    t = 1.0
    assert np.abs(frame_at(es, t).astype(int) - frame_at(english[0], t).astype(int)).mean() > 1
    bad, bad_meta, _ = render(
        tmp_path, "--scene", "regression", "--steps", "40", "--samples", "25", "--lr", "1.3"
    )
    truth = lesson("regression", **bad_meta["params"])
    assert truth.run.diverged and 1.3 > truth.verdict.lr_limit
    assert bad_meta["summary"]["diverged_at"] == truth.run.diverged_at and probe(bad)["duration"] > 30


def test_verdict_rows_are_the_trajectory_numbers():
    taught = lesson("regression", steps=200, samples=40, seed=11, true_w1=-3, true_w2=0.25, true_b=4)
    rows = dict(verdict_rows(taught))
    x = np.column_stack([taught.problem.features, np.ones(40)])
    lstsq = np.linalg.lstsq(x, taught.problem.targets, rcond=None)[0]
    for key, expected in (
        ("fitted", taught.run.positions[-1]),
        ("true", [-3, 0.25, 4]),
        ("least_squares", lstsq),
    ):
        np.testing.assert_allclose([float(v) for v in rows[key]], expected, atol=5e-5)
