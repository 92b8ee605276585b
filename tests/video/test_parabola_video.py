"""The parabola lecture rendered at low quality with few steps: file, sidecar, frames."""

import json

import numpy as np
import pytest
from videos import PARABOLA, frame_at, hex_rgb, options, pixel, probe, render

from gdcore import lesson
from scenes.kit import style
from scenes.kit.pieces import curve
from scenes.lectures.parabola import plot_axes
from scenes.pages.explore import page_name
from scenes.pipeline.render import video_name


@pytest.fixture(scope="module")
def english(parabola_en):
    return parabola_en


@pytest.fixture(scope="module")
def spanish(parabola_es):
    return parabola_es


def test_video_lands_where_promised_with_only_its_sidecar_subtitles_and_poster(tmp_path):
    video, meta, proc = render(tmp_path, "--steps", "3")
    assert video.parent == tmp_path / "parabola" / "low"
    assert video.name == video_name("parabola", "en", meta["params"], "low") + ".mp4"
    assert proc.stdout.strip().splitlines()[-1] == str(video)
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert files == [
        "explore",
        f"explore/{page_name('parabola', 'en', {'steps': 3})}",
        "index.html",
        "parabola",
        "parabola/low",
        *(
            f"parabola/low/{video.stem}{s}"
            for s in (".chapters.vtt", ".jpg", ".json", ".mp4", ".srt", ".txt", ".vtt")
        ),
    ]


def test_duration_size_and_rate(english):
    video, meta, _ = english
    info = probe(video)
    assert (info["width"], info["height"]) == (854, 480)
    assert info["fps"] == pytest.approx(15, abs=0.01)
    assert info["frames"] == pytest.approx(info["duration"] * 15, abs=1)
    assert 20 < info["duration"] < 120
    assert meta["beats"]["verdict"] < info["duration"]


def test_sidecar_holds_params_summary_and_versions(english):
    _, meta, _ = english
    assert meta["scene"] == "parabola" and meta["quality"] == "low" and meta["lang"] == "en"
    assert meta["params"] == {**lesson("parabola").params, **options(PARABOLA)}
    truth = lesson("parabola", **meta["params"])
    s = meta["summary"]
    assert s["final_position"]["x"] == truth.run.positions[-1, 0] and s["final_loss"] == truth.run.losses[-1]
    assert s["diverged"] is False and s["diverged_at"] is None
    assert s == json.loads(json.dumps(truth.summary()))
    assert set(meta["versions"]) == {"momentum-lectures", "manim", "numpy"}


@pytest.mark.parametrize("k", [0, 2, 4])
def test_ball_is_drawn_where_the_trajectory_says(english, k):
    video, meta, _ = english
    taught = lesson("parabola", **meta["params"])
    xs, f, axes = taught.run.positions[:, 0], curve(taught.problem), plot_axes(taught.problem)
    t = meta["steps"][k]
    frame = frame_at(video, t)
    assert frame.std() > 10  # not blank
    row, col = pixel(axes.c2p(xs[k], f(xs[k])), frame.shape)
    ball = hex_rgb(style.BALL)
    assert np.abs(frame[row, col].astype(int) - ball).max() < 45, (frame[row, col], ball)
    # and not yet where the next step will take it
    row, col = pixel(axes.c2p(xs[k + 1], f(xs[k + 1])), frame.shape)
    assert np.abs(frame[row, col].astype(int) - ball).max() > 60


def test_spanish_is_a_different_file_with_different_pictures(english, spanish):
    (en, _, _), (es, es_meta, _) = english, spanish
    assert en != es and es.name.startswith("parabola-es-") and es_meta["lang"] == "es"
    t = 1.0  # the title
    assert np.abs(frame_at(en, t).astype(int) - frame_at(es, t).astype(int)).mean() > 1


def test_name_follows_the_parameters():
    base = dict(lesson("parabola").params)
    assert video_name("parabola", "en", base, "low") == video_name("parabola", "en", dict(base), "low")
    assert video_name("parabola", "en", base, "low") != video_name(
        "parabola", "en", {**base, "lr": 0.31}, "low"
    )
    assert video_name("parabola", "en", base, "low") != video_name("parabola", "es", base, "low")
    assert video_name("parabola", "en", base, "low") != video_name("parabola", "en", base, "low", encoder={})


def test_name_follows_the_software_versions(monkeypatch):
    from scenes.pipeline import render as renderer

    base = dict(lesson("parabola").params)
    before = video_name("parabola", "en", base, "low")
    monkeypatch.setattr(renderer, "versions", lambda voice=False: {"manim": "0.0.1"})
    assert video_name("parabola", "en", base, "low") != before


def test_divergent_run_renders_and_says_so(tmp_path):
    video, meta, _ = render(tmp_path, "--lr", "13", "--steps", "30")
    truth = lesson("parabola", **meta["params"]).run
    assert truth.diverged and meta["summary"]["diverged"] is True
    assert meta["summary"]["diverged_at"] == truth.diverged_at
    info = probe(video)
    assert info["duration"] > 20
    last = frame_at(video, info["duration"] - 0.2)
    assert (np.abs(last.astype(int) - hex_rgb(style.BAD)).max(axis=2) < 40).sum() > 50  # the red verdict
    assert json.loads(video.with_suffix(".json").read_text())["params"]["lr"] == 13.0


def test_name_follows_the_language_file(tmp_path, monkeypatch):
    """An edited sentence is another video: the cache never returns the one made from the old words."""
    import shutil

    from scenes.words import locales

    base = dict(lesson("parabola").params)
    before = video_name("parabola", "fr", base, "low")
    for path in locales.folder().glob("*.po"):
        shutil.copy(path, tmp_path / path.name)
    po = tmp_path / "fr.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace('msgstr "Le verdict"', 'msgstr "Verdict"'), encoding="utf-8"
    )
    monkeypatch.setenv("MOMENTUM_LOCALES", str(tmp_path))
    assert video_name("parabola", "fr", base, "low") != before
    assert video_name("parabola", "en", base, "low") == video_name("parabola", "en", dict(base), "low")


@pytest.mark.parametrize("fixture", ["valleys_es", "parabola_compare"])
def test_each_event_is_said_as_its_step_is_reached_not_after_the_run(fixture, request):
    """A caption of the run that says a run settled or diverged at step k starts when the video shows step k
    (the sidecar's steps: when each step rests), not before it and not seconds later."""
    _, meta, _ = request.getfixturevalue(fixture)
    steps, run, verdict = meta["steps"], meta["beats"]["clock"], meta["beats"]["verdict"]
    said = [
        (caption["start"], claim["step"])
        for caption in meta["captions"]
        if run <= caption["start"] < verdict
        for claim in caption["claims"]
        if claim.get("claim") in ("outcome", "plain_outcome") and claim.get("step") is not None
    ]
    assert said, "no event was said during the run"
    for start, k in said:
        assert steps[k] - 0.05 <= start <= steps[k] + 2.0, (k, start, steps[k])
