"""Comparison lectures and the (α, β) map rendered at low quality: sidecars against gdcore, balls and map
colours found in the frames where gdcore puts them."""

import json

import numpy as np
import pytest
from videos import frame_at, hex_rgb, options, pixel, probe

from gdcore import compare, landscape
from scenes.kit import style
from scenes.kit.pieces import curve
from scenes.lectures.landscape import DIVERGENT, colours, map_axes
from scenes.lectures.parabola import plot_axes
from scenes.pipeline.render import video_name


def test_comparison_sidecar_holds_every_run(parabola_compare):
    video, meta, _ = parabola_compare
    truth = compare("parabola", "lr", meta["params"]["lr"], steps=meta["params"]["steps"])
    assert meta["params"]["lr"] == [0.5, 2.0, 13.0]
    assert meta["runs"] == json.loads(json.dumps(truth.runs()))
    assert meta["summary"] == json.loads(json.dumps(truth.summary())) and truth.fastest is not None
    assert [r["summary"]["diverged"] for r in meta["runs"]] == [False, False, True]
    single = video_name("parabola", "en", {**truth.lessons[0].params}, "low")
    assert video.stem != single and video.stem == video_name("parabola", "en", meta["params"], "low")


# steps after the plot has followed the third run out of the view and come back (pieces.Follow)
@pytest.mark.parametrize("k", [4, 7])
def test_each_ball_is_where_its_run_is(parabola_compare, k):
    video, meta, _ = parabola_compare
    truth = compare("parabola", "lr", meta["params"]["lr"], steps=meta["params"]["steps"])
    axes, f = plot_axes(truth.problem), curve(truth.problem)
    frame = frame_at(video, meta["steps"][k])
    for i, one in enumerate(truth.lessons[:2]):  # the third has left the view
        x = one.run.positions[k, 0]
        row, col = pixel(axes.c2p(x, f(x)), frame.shape)
        assert np.abs(frame[row, col].astype(int) - hex_rgb(style.RUNS[i])).max() < 45, (i, x)


def test_the_verdict_names_the_fastest_and_the_divergent_run(parabola_compare):
    video, meta, _ = parabola_compare
    truth = compare("parabola", "lr", meta["params"]["lr"], steps=meta["params"]["steps"])
    said = " ".join(c["text"] for c in meta["captions"])
    assert (
        f"Fastest: {truth.label(truth.fastest)}, settled in {truth.lessons[truth.fastest].run.converged_at} steps"
        in said
    )
    assert f"α = 13 diverged from step {truth.lessons[2].run.diverged_at}" in said
    last = frame_at(video, probe(video)["duration"] - 0.3)
    for colour in style.RUNS[:3]:  # each run's name in the table, in its colour
        assert (np.abs(last.astype(int) - hex_rgb(colour)).max(axis=2) < 40).sum() > 30


def test_variant_comparison_in_spanish(regression_compare_es):
    video, meta, _ = regression_compare_es
    params = {**options(["--steps", "5", "--samples", "25", "--seed", "3"])}
    truth = compare("regression", "variant", ["classic", "ema", "nesterov"], **params)
    assert meta["runs"] == json.loads(json.dumps(truth.runs())) and meta["lang"] == "es"
    assert any("Las 3 reglas" in c["text"] for c in meta["captions"])
    assert probe(video)["duration"] > 30


def test_landscape_sidecar_and_tour(landscape_en):
    video, meta, _ = landscape_en
    land = landscape("parabola", steps=20)
    assert meta["params"]["problem"] == "parabola" and meta["params"]["steps"] == 20
    assert meta["runs"] == json.loads(json.dumps(land.runs()))
    assert [r["region"] for r in meta["runs"]] == ["over-damped", "under-damped", "diverged"]
    assert meta["summary"]["run"] == json.loads(json.dumps(land.lesson.summary()))


def test_the_map_on_screen_is_gdcores_rho(landscape_en):
    video, meta, _ = landscape_en
    land = landscape("parabola", steps=20)
    axes = map_axes(land)
    frame = frame_at(video, meta["beats"]["show_theory"] - 0.2)  # the map is up, no curves yet
    rgb = colours(land.rho)
    rng = np.random.default_rng(3)
    for _ in range(30):
        i, j = rng.integers(5, len(land.betas) - 5), rng.integers(5, len(land.lrs) - 5)
        row, col = pixel(axes.c2p(land.lrs[j], land.betas[i]), frame.shape)
        expected = DIVERGENT if land.rho[i, j] >= 1 else rgb[i, j, :3]
        # colours change smoothly across a cell, so compare with the cell's neighbourhood, not a single value
        near = rgb[i - 3 : i + 4, j - 3 : j + 4, :3].reshape(-1, 3).astype(int)
        assert (
            np.abs(near - frame[row, col].astype(int)).max(axis=1).min() < 30
            or np.abs(frame[row, col].astype(int) - expected).max() < 30
        ), (land.lrs[j], land.betas[i])
