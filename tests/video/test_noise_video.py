"""The noise lecture rendered at low quality with few steps: the run starts early, each run's exact ellipse
appears (in decoded frames) when its run reaches its floor and not before, and the sidecar carries every
spread claim with the numbers NumPy recomputes from the runs."""

import numpy as np
import pytest
from videos import frame_at, options, pixel, render

from gdcore import lesson
from gdcore.noisy import RUNS, last_quarter

NOISE = ["--scene", "noise", "--steps", "40", "--samples", "25", "--batch-size", "5", "--seed", "3"]


@pytest.fixture(scope="module")
def noise_en(tmp_path_factory):
    """The noise lecture rendered once, in a folder of its own (the class page's tests count the shared
    folder's videos)."""
    return render(tmp_path_factory.mktemp("noise"), *NOISE)


def colour_near(frame: np.ndarray, points: np.ndarray, colour: str, tolerance: int = 90) -> float:
    """The share of scene `points` with a pixel within 2 px of them close to `colour` (#rrggbb)."""
    want = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    hits = 0
    for point in points:
        r, c = pixel(point, frame.shape)
        patch = frame[max(r - 2, 0) : r + 3, max(c - 2, 0) : c + 3].reshape(-1, 3).astype(int)
        hits += bool((np.abs(patch - want).sum(axis=1) < tolerance).any())
    return hits / len(points)


def test_the_runs_move_by_twelve_seconds(noise_en):
    _, sidecar, _ = noise_en
    assert sidecar["steps"][0] <= 12.5
    assert sidecar["chapters"][2]["beat"] == "run_noise"


def test_each_ellipse_appears_when_its_run_reaches_its_floor(noise_en):
    """The matched run's ellipse (from the exact covariance, placed as the lecture places it) is not on screen
    the step before its floor step and is there a few steps after; at the end, the run that never reached a
    floor has none."""
    from scenes.lectures.noise import COLOURS, NoisePanel

    video, sidecar, _ = noise_en
    subject = lesson("noise", **options(NOISE))
    floors = [sidecar["summary"][label]["floor_step"] for label in RUNS]
    runs = [
        (one.run.positions, COLOURS[i], th.covariance, floors[i])
        for i, (one, th) in enumerate(zip(subject.lessons, subject.theories))
    ]
    panel = NoisePanel(subject.problem, runs)
    i = RUNS.index("matched")
    ring = panel.ellipses[i].get_anchors()[::7]
    k = floors[i]
    before = colour_near(frame_at(video, sidecar["steps"][k - 1] + 0.05), ring, COLOURS[i])
    after = colour_near(frame_at(video, sidecar["steps"][k + 3] + 0.05), ring, COLOURS[i])
    assert before < 0.5 < 0.8 < after, (before, after)
    assert floors[0] is None and len(panel.ellipses[0].get_anchors()) > 0
    last = frame_at(video, sidecar["duration"] - 0.1)
    assert colour_near(last, panel.ellipses[0].get_anchors()[::7], COLOURS[0]) < 0.8


def test_the_sidecar_carries_each_runs_spread_as_numpy_measures_it(noise_en):
    _, sidecar, _ = noise_en
    subject = lesson("noise", **options(NOISE))
    p = subject.problem
    design = np.column_stack([p.features, np.ones(len(p.targets))])
    best = np.linalg.lstsq(design, p.targets, rcond=None)[0]
    tail = last_quarter(40)
    claims = [c for cue in sidecar["captions"] for c in cue.get("claims", []) if c["claim"] == "spread"]
    assert {c["run"] for c in claims} == set(RUNS)
    for c in claims:
        positions = subject.lessons[RUNS.index(c["run"])].run.positions
        rms = np.sqrt(np.mean(np.sum((positions[tail] - best) ** 2, axis=1)))
        assert c["measured"] == pytest.approx(rms, rel=1e-9)
        assert c["predicted"] == pytest.approx(sidecar["summary"][c["run"]]["spread"]["predicted"])
