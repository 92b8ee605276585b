"""Comparisons and the (α, β) map against independent truth: runs re-made one by one, eigenvalues of the
iteration matrix, decay rates measured from long runs, and the CSV written by the command line."""

import csv

import numpy as np
import pytest
from click.testing import CliRunner

import gdcore
import render
from gdcore import compare, landscape, lesson, theory


def test_a_comparison_is_the_single_runs_side_by_side():
    c = compare("parabola", "beta", [0, 0.5, 0.9], lr=1.2, steps=40)
    for value, one in zip(c.values, c.lessons):
        alone = lesson("parabola", beta=value, lr=1.2, steps=40)
        np.testing.assert_array_equal(one.run.positions, alone.run.positions)
        assert one.summary() == alone.summary()
    assert c.params["beta"] == [0.0, 0.5, 0.9] and c.params["lr"] == 1.2
    assert [r["params"]["beta"] for r in c.runs()] == [0.0, 0.5, 0.9]


def test_the_fastest_run_settled_first_and_the_theory_says_why():
    c = compare("parabola", "beta", [0, 0.5, 0.95], lr=1.2, steps=40)
    steps = {v: one.run.converged_at for v, one in zip(c.values, c.lessons)}
    settled = {v: k for v, k in steps.items() if k is not None}
    assert c.values[c.fastest] == min(settled, key=settled.get)
    # critical β for α = 1.2 on x²/6: (1 − √0.4)² ≈ 0.135, nearest to β = 0 of the three
    assert c.at_critical == (c.values[c.fastest] == 0.0)
    assert compare("parabola", "lr", [20, 30], steps=30).fastest is None


@pytest.mark.parametrize(
    "values, varied",
    [
        ([0.5], "beta"),
        ([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], "beta"),
        ([0.5, 0.5], "beta"),
        ([10, 20], "steps"),
        ([1.0, 2.0], "samples"),
    ],
)
def test_bad_lists_are_refused(values, varied):
    scene = "regression" if varied == "samples" else "parabola"
    with pytest.raises(gdcore.ParameterError) as err:
        compare(scene, varied, values)
    assert err.value.name == varied


@pytest.fixture(scope="module")
def maps():
    return {problem: landscape(problem) for problem in ("parabola", "regression")}


@pytest.mark.parametrize("problem", ["parabola", "regression"])
def test_the_map_is_the_spectral_radius_of_the_iteration_matrix(maps, problem):
    land = maps[problem]
    assert land.rho.shape == (len(land.betas), len(land.lrs)) and min(land.rho.shape) >= 300
    rng = np.random.default_rng(1)
    hessian = land.problem.hessian()
    for i, j in zip(rng.integers(0, len(land.betas), 25), rng.integers(0, len(land.lrs), 25)):
        m = theory.iteration_matrix("classic", land.lrs[j], land.betas[i], hessian)
        assert land.rho[i, j] == pytest.approx(max(abs(np.linalg.eigvals(m))), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("variant", gdcore.VARIANTS)
def test_the_map_agrees_with_the_decay_of_long_runs(variant):
    land = landscape("parabola", variant=variant)
    rng = np.random.default_rng(7)
    checked = 0
    while checked < 20:
        i, j = rng.integers(0, len(land.betas)), rng.integers(0, len(land.lrs))
        rho = land.rho[i, j]
        if not 0.3 < rho < 0.98 or abs(rho - 1) < 0.02:  # measurable in 600 steps, away from roundoff
            continue
        run = lesson(
            "parabola", variant=variant, lr=float(land.lrs[j]), beta=float(land.betas[i]), steps=600, x0=10
        ).run
        err = np.abs(run.positions[:, 0]) + np.abs(run.states[:, 0])
        alive = np.flatnonzero(err > 1e-200)
        t = min(int(alive[-1]), 400)
        s = max(5, t // 4)
        measured = (np.max(err[t - 5 : t + 1]) / np.max(err[s - 5 : s + 1])) ** (1 / (t - s))
        assert measured == pytest.approx(rho, rel=0.03), (land.lrs[j], land.betas[i])
        checked += 1


def test_the_theory_curves(maps):
    land = maps["parabola"]  # f = x²/6: λ = 1/3
    for a, b in land.boundary:
        assert a == pytest.approx(6 * (1 + b))  # α < 2(1 + β)/λ
    for a, b in land.critical[::25]:
        m = theory.iteration_matrix("classic", a, b, 1 / 3)
        ev = np.linalg.eigvals(m)
        assert abs(ev[0] - ev[1]) < 1e-5  # the eigenvalues meet
    assert land.optimum is None
    lr, beta = maps["regression"].optimum
    lams = maps["regression"].problem.curvatures
    for lam in (lams[0], lams[-1]):  # Polyak: the same rate on both extreme curvatures
        assert theory.convergence_factor("classic", lr, beta, lam) == pytest.approx(
            (np.sqrt(lams[-1] / lams[0]) - 1) / (np.sqrt(lams[-1] / lams[0]) + 1), rel=1e-6
        )


def test_the_tour_visits_each_region_and_its_runs_do_what_the_map_says(maps):
    for land in maps.values():
        regions = [region for region, _ in land.tour]
        assert regions == ["over-damped", "under-damped", "diverged"]
        for region, one in land.tour:
            rho = max(
                abs(
                    np.linalg.eigvals(
                        theory.iteration_matrix(
                            "classic", one.params["lr"], one.params["beta"], land.problem.hessian()
                        )
                    )
                )
            )
            assert (rho > 1) == (region == "diverged") == one.run.diverged
            crit = (1 - np.sqrt(one.params["lr"] * land.problem.curvatures[0])) ** 2
            if region != "diverged":
                assert (one.params["beta"] > crit) == (region == "under-damped")


def test_export_of_the_map_and_of_a_comparison(tmp_path):
    result = CliRunner().invoke(
        render.main, ["--scene", "landscape", "--export-data", str(tmp_path / "map"), "--variant", "nesterov"]
    )
    assert result.exit_code == 0, result.output
    with open(tmp_path / "map" / "landscape.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["lr", "beta", "rho"]
    data = np.array(rows[1:], dtype=float)
    assert len(data) >= 300 * 300
    for lr, beta, rho in data[::9973]:  # closed form per row: nesterov's 2×2 block on λ = 1/3
        a = lr / 3
        t, d = (1 + beta) * (1 - a), beta * (1 - a)
        assert rho == pytest.approx(max(abs(np.roots([1, -t, d]))), rel=1e-9, abs=1e-12)
    result = CliRunner().invoke(
        render.main, ["--beta", "0,0.9", "--steps", "12", "--export-data", str(tmp_path / "cmp")]
    )
    assert result.exit_code == 0, result.output
    for beta in (0.0, 0.9):
        with open(tmp_path / "cmp" / f"beta={beta}" / "trajectory.csv", newline="") as f:
            x = np.array([row[1] for row in list(csv.reader(f))[1:]], dtype=float)
        np.testing.assert_array_equal(x, lesson("parabola", beta=beta, steps=12).run.positions[:, 0])


BAD_LISTS = [
    ["--beta", "0,0.5", "--lr", "1,2"],
    ["--beta", "0.5,"],
    ["--beta", "0,0.1,0.2,0.3,0.4,0.5"],
    ["--steps", "5,6"],
    ["--scene", "regression", "--x0", "1,2"],
    ["--scene", "landscape", "--beta", "0,0.5"],
    ["--scene", "landscape", "--problem", "nope"],
    ["--problem", "regression"],
    ["--beta", "0.5,0.5"],
    ["--variant", "classic,adam"],
    ["--scene", "regression", "--samples", "10,20"],
]


@pytest.mark.parametrize("args", BAD_LISTS, ids=[" ".join(a) for a in BAD_LISTS])
def test_bad_lists_exit_2_with_one_line_and_write_nothing(tmp_path, args):
    for extra in (["--export-data", str(tmp_path)], ["--output", str(tmp_path)]):
        result = CliRunner().invoke(render.main, [*args, *extra])
        assert result.exit_code == 2 and "Error:" in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()[-1]) > 10 and not list(tmp_path.iterdir())
