"""The valleys lecture at low quality: its sidecar against gdcore, the balls where the runs are, and the
captions' claims (which run ended where) taken from the numbers."""

import json

import numpy as np
from videos import frame_at, hex_rgb, pixel, probe

from gdcore import compare
from gdcore.problems import DoubleWell
from scenes.kit import style
from scenes.kit.pieces import curve
from scenes.lectures.valleys import plot_axes
from scenes.words.captions import decimals


def truth(meta):
    params = {k: v for k, v in meta["params"].items() if k != "beta"}
    return compare("valleys", "beta", meta["params"]["beta"], **params)


def test_sidecar_describes_the_problem_and_every_run(valleys_es):
    video, meta, _ = valleys_es
    p = DoubleWell()
    assert meta["problem"]["name"] == "valleys" and meta["problem"]["formula"] == p.formula.tex
    assert [m["kind"] for m in meta["problem"]["minima"]] == ["global", "local"]
    assert meta["problem"]["barrier"]["x"] == p.barrier()[0]
    c = truth(meta)
    assert meta["runs"] == json.loads(json.dumps(c.runs()))
    assert [r["summary"]["basin"] for r in meta["runs"]] == [one.verdict.basin for one in c.lessons]
    assert probe(video)["duration"] > 40


def test_captions_say_where_each_run_ended(valleys_es):
    _, meta, _ = valleys_es
    c = truth(meta)
    said = [cue["text"] for cue in meta["captions"]]
    for i, one in enumerate(c.lessons):
        mine = [line for line in said if line.startswith(decimals("es", c.label(i)) + " ")]  # "β = 0,8"
        assert len(mine) == 1, (c.label(i), said)
        v = one.verdict
        if v.basin:
            assert {"local": "hoyo poco hondo", "global": "valle hondo"}[v.basin] in mine[0]
            assert f"paso {v.step}" in mine[0]
        else:
            assert "no se había asentado" in mine[0] or "divergió" in mine[0]
        if "divergió" not in mine[0]:  # how often it crossed, in words: never, once, twice, 3 times
            crossed = {0: "nunca cruzó", 1: "una vez", 2: "dos veces"}.get(
                v.crossings, f"{v.crossings} veces"
            )
            assert crossed in mine[0] and "×" not in mine[0]


def test_balls_are_where_the_runs_are(valleys_es):
    video, meta, _ = valleys_es
    c = truth(meta)
    axes, f = plot_axes(c.problem), curve(c.problem)
    k = 3
    frame = frame_at(video, meta["steps"][k])
    last = c.lessons[-1].run.positions[k, 0]  # the smallest ball, drawn on top
    row, col = pixel(axes.c2p(last, f(last)), frame.shape)
    assert (
        np.abs(
            frame[row, col].astype(int)
            - hex_rgb(style.run_colours([one.params["beta"] for one in c.lessons])[-1])
        ).max()
        < 45
    )


def test_the_balls_roll_by_12_s_and_each_verdict_sentence_moves_the_picture(valleys_es):
    """The run starts with the question still fresh (issue 33: by 12 s), and the verdict replays: in the first
    2 s of each of its sentences the picture above the caption band changes (decoded frames), none is read
    over a frozen frame."""
    from scenes.kit import style

    video, meta, _ = valleys_es
    assert meta["steps"][0] <= 12.0
    band = pixel((0, style.BAND_TOP, 0), frame_at(video, 0).shape)[0]
    verdict = [c for c in meta["captions"] if c["start"] >= meta["beats"]["verdict"]]
    assert len(verdict) == len(truth(meta).lessons) + 1  # one sentence per ball, and the moral
    for cue in verdict:
        frames = [frame_at(video, cue["start"] + dt)[:band].astype(int) for dt in (0.45, 1.2, 2.0)]
        change = max(np.abs(a - b).max() for a, b in zip(frames, frames[1:]))
        assert change > 60, cue["text"]
