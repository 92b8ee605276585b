"""The regression lecture rendered at low quality with few steps, and the numbers it puts on screen."""

import numpy as np
import pytest
from videos import REGRESSION, frame_at, options, probe, render

from gdcore import lesson
from scenes.kit import style
from scenes.lectures.regression import FittedPlane, ParameterPanel, box_heights, verdict_rows


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


def test_the_plane_comes_with_the_question_and_the_fit_starts_by_12_s(english):
    video, meta, _ = english
    before = frame_at(video, meta["beats"]["predict"] - 0.2)  # the cloud alone
    asked = frame_at(video, meta["beats"]["predict"] + 0.8)
    during = frame_at(video, meta["steps"][2])
    assert during.std() > 10
    assert cyan_pixels(before) < 200 < min(cyan_pixels(asked), cyan_pixels(during))
    assert meta["steps"][0] < 12 and meta["beats"]["predict"] < 4


def test_the_fit_is_said_as_shares_of_its_start_and_of_the_coefficients(english):
    """The verdict's fit sentences rest on a fit claim whose numbers are NumPy's least squares; the shares
    shown are the claim's distances over the start's and over the coefficients' size."""
    _, meta, _ = english
    said = {c["text"]: c["claims"] for c in meta["captions"]}
    fits = [(text, claim) for text, claims in said.items() for claim in claims if claim["claim"] == "fit"]
    assert fits, list(said)
    taught = lesson("regression", **meta["params"])
    x = np.column_stack([taught.problem.features, np.ones(len(taught.problem.targets))])
    best = np.linalg.lstsq(x, taught.problem.targets, rcond=None)[0]
    for _, fit in fits:
        np.testing.assert_allclose(fit["least_squares"], best, rtol=1e-9)
        start = np.linalg.norm(taught.run.positions[0] - best)
        assert fit["start"] == pytest.approx(start) and fit["fitted"] == taught.run.positions[-1].tolist()
        true_gap = np.linalg.norm(best - np.array([2.0, -1.0, 1.0]))
        assert fit["true_gap"] == pytest.approx(true_gap, rel=1e-9)
    truth = next(text for text, fit in fits if "true" in text)
    assert f"{100 * true_gap / max(np.linalg.norm(best), np.sqrt(6)):.2g}%" in truth, truth


def test_a_few_noisy_samples_keep_the_plane_and_the_panel_in_view():
    """Five samples with noise 50: the coefficients are in the hundreds. The plane stays drawn at every step,
    and the (w1, w2) panel shows the start, the least-squares point and its nearest level curve whole."""
    from manim import ThreeDAxes

    taught = lesson("regression", samples=5, noise=50, steps=60)
    p, shown = taught.problem, np.arange(5)
    z_range = box_heights(p, shown, [taught.run.positions[0]])
    axes = ThreeDAxes(x_range=[-3, 3, 1], y_range=[-3, 3, 1], z_range=[*z_range, 10])
    plane = FittedPlane(axes, p, shown, taught.run.positions, z_range)
    paths = [(taught.run.positions, style.BALL), (taught.baseline.positions, style.GHOST)]
    gap = taught.run.losses[0] - p.lowest_loss
    panel = ParameterPanel(p, paths, gap)
    nearest = p.level_curve(0.01 * gap)
    for k in range(taught.run.last_step + 1):
        plane.set_step(k)
        panel.set_step(k)
        assert plane.plane.get_fill_opacity() > 0, k
        box = panel.shown_box()
        for w in (taught.run.positions[0, :2], p.minimizer()[:2], *nearest):
            assert np.all((box[:, 0] <= w) & (w <= box[:, 1])), (k, w, box)


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


def test_a_class_file_is_drawn_with_its_column_names_and_no_true_coefficients(tmp_path):
    rng = np.random.default_rng(3)
    x = rng.normal(5, 2, (30, 2))
    y = 3.0 * x[:, 0] - 0.5 * x[:, 1] + 2.0 + rng.normal(0, 0.3, 30)
    rows = ["hours,sleep,score", *(",".join(f"{v:.4f}" for v in row) for row in np.column_stack([x, y]))]
    (tmp_path / "class.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = ["--data", str(tmp_path / "class.csv"), "--lr", "0.01", "--beta", "0.8", "--steps", "4"]
    video, meta, _ = render(tmp_path / "out", "--scene", "regression", *args)
    texts = [c["text"] for c in meta["captions"]]
    assert any("hours" in t and "sleep" in t and "score" in t for t in texts), texts
    fits = [claim for c in meta["captions"] for claim in c["claims"] if claim["claim"] == "fit"]
    assert fits and all(fit["true"] is None and fit["true_gap"] is None for fit in fits)
    design = np.column_stack([x, np.ones(30)])
    unexplained = np.mean((design @ np.linalg.lstsq(design, y, rcond=None)[0] - y) ** 2) / np.var(y)
    assert fits[0]["unexplained"] == pytest.approx(unexplained, rel=1e-3)  # the file's 4 decimals
    assert not any("true" in t for t in texts) and probe(video)["duration"] > 20
