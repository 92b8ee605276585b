"""The ravine lecture's problem and options: f(x, y) = ½(x² + κ·y²) against its closed forms and finite
differences, ρ per direction against the eigenvalues of the 2×2 momentum matrix built here, the command line
(--list, bad --kappa, --export-data with columns x and y) and the (α, β) map of the ravine."""

import csv

import numpy as np
import pytest
from click.testing import CliRunner

import render
from gdcore import LECTURES, VARIANTS, landscape, lesson
from gdcore.problems import Ravine


def invoke(*args):
    return CliRunner().invoke(render.main, [str(a) for a in args])


@pytest.mark.parametrize("kappa", [1.0, 25.0, 1000.0, 3.7])
def test_the_ravine_is_its_closed_form(kappa):
    p = Ravine(kappa)
    rng = np.random.default_rng(int(kappa))
    points = rng.uniform(-5, 5, (20, 2))
    for x, y in points:
        assert p.loss(np.array([x, y])) == pytest.approx(0.5 * x * x + 0.5 * kappa * y * y, rel=1e-12)
        assert p.grad(np.array([x, y])) == pytest.approx([x, kappa * y], rel=1e-12)
    assert p.losses(points) == pytest.approx([p.loss(q) for q in points], rel=1e-14)
    assert p.grads(points) == pytest.approx(np.array([p.grad(q) for q in points]), rel=1e-14)
    assert p.minimizer().tolist() == [0.0, 0.0] and p.lowest_loss == 0.0
    assert p.curvatures.tolist() == [1.0, kappa]  # κ is the Hessian's condition number
    assert p.quadratic and p.param_names == ("x", "y") and LECTURES["ravine"] is Ravine


def test_the_gradient_and_hessian_are_those_of_finite_differences():
    p, h = Ravine(25.0), 1e-5
    for point in np.random.default_rng(1).uniform(-3, 3, (10, 2)):
        numeric = [(p.loss(point + h * e) - p.loss(point - h * e)) / (2 * h) for e in np.eye(2)]
        assert p.grad(point) == pytest.approx(numeric, rel=1e-6, abs=1e-6)
        hessian = [(p.grad(point + h * e) - p.grad(point - h * e)) / (2 * h) for e in np.eye(2)]
        assert p.hessian() == pytest.approx(np.array(hessian).T, rel=1e-6)


def test_a_level_curve_is_where_the_loss_has_that_value():
    p = Ravine(40.0)
    for value in (0.01, 1.0, 30.0):
        assert [p.loss(q) for q in p.level(value)] == pytest.approx([value] * 120, rel=1e-9)


def momentum_matrix(variant: str, a: float, b: float, lam: float) -> np.ndarray:
    """The 2×2 map of (error, state) along one direction of curvature lam, from the update rules:
    classic v' = βv − α∇, x' = x + v'; nesterov v' = βv − α∇(x + βv), x' = x + v';
    ema m' = βm + (1 − β)∇, x' = x − αm'."""
    if variant == "classic":
        return np.array([[1 - a * lam, b], [-a * lam, b]])
    if variant == "nesterov":
        return np.array([[1 - a * lam, b * (1 - a * lam)], [-a * lam, b * (1 - a * lam)]])
    return np.array([[1 - a * (1 - b) * lam, -a * b], [(1 - b) * lam, b]])


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("lr", "beta"), [(0.07, 0.7), (0.02, 0.3), (0.14, 0.7), (0.07, 0.0), (0.5, 0.99)])
def test_rho_per_direction_is_the_spectral_radius_of_that_directions_matrix(variant, lr, beta):
    kappa = 25.0
    claim = Ravine(kappa).direction_rates(variant, lr, beta)
    assert claim["claim"] == "direction_rates"
    for row, lam in zip(claim["directions"], (1.0, kappa)):
        assert row["curvature"] == lam
        for key, b in (("rho", beta), ("plain_rho", 0.0)):
            radius = max(abs(np.linalg.eigvals(momentum_matrix(variant, lr, b, lam))))
            assert row[key] == pytest.approx(radius, rel=1e-9)
    rhos = {row["name"]: row["rho"] for row in claim["directions"]}
    slow = "both" if np.isclose(rhos["x"], rhos["y"], rtol=1e-4) else max(rhos, key=rhos.get)
    assert claim["slowest"] == slow
    assert (claim["plain_slowest"] is None) == (beta == 0)
    # the lesson's ρ is the slower direction's
    one = lesson("ravine", lr=lr, beta=beta, variant=variant)
    assert one.verdict.rho == pytest.approx(max(rhos.values()), rel=1e-9)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(
    ("lr", "beta", "kappa"),
    [(0.07, 0.7, 25.0), (0.07, 0.05, 25.0), (0.009, 0.9, 200.0), (0.04, 0.5, 25.0), (0.07, 0.0, 25.0)],
)
def test_each_directions_claim_is_its_matrixs_eigenvalues(variant, lr, beta, kappa):
    """A direction's eigenvalues are those of its 2×2 matrix built here (dominant first), its regime what
    they say (a complex pair swings, a negative dominant one flips, a real non-negative pair does not
    swing), plain gradient descent's factor is 1 − αλ, and the critical β is where the discriminant is 0."""
    for row, lam in zip(Ravine(kappa).direction_rates(variant, lr, beta)["directions"], (1.0, kappa)):
        assert row["claim"] == "direction" and row["moves"] and row["curvature"] == lam
        truth = sorted(np.linalg.eigvals(momentum_matrix(variant, lr, beta, lam)), key=lambda z: -abs(z))
        said = [complex(*z) for z in row["eigenvalues"]]
        assert abs(said[0]) == pytest.approx(abs(truth[0]), rel=1e-9, abs=1e-12)
        assert sorted(said, key=lambda z: (z.real, z.imag)) == pytest.approx(
            sorted(truth, key=lambda z: (z.real, z.imag)), abs=1e-9
        )
        swings, dominant = abs(truth[0].imag) > 1e-12, truth[0].real
        expected = "under-damped" if swings else "flipping" if dominant < 0 else None
        if expected:
            assert row["regime"] == expected
        else:
            assert row["regime"] in ("over-damped", "critically damped")
        assert row["plain_eigenvalue"] == pytest.approx(1 - lr * lam, abs=1e-12)
        if row["critical_beta"] is not None:  # the discriminant T² − 4D of the block is 0 there
            block = momentum_matrix(variant, lr, row["critical_beta"], lam)
            t, d = np.trace(block), np.linalg.det(block)
            assert t * t - 4 * d == pytest.approx(0, abs=1e-9)


def test_a_start_on_an_axis_moves_in_one_direction_and_that_one_is_the_slowest():
    """From y0 = 0 only x moves: it is the slowest direction said even where y's ρ is the larger (α near
    the steep direction's limit), with momentum and without; from x0 = 0 only y moves."""
    p = Ravine(25.0)
    for start, name in (((-5.0, 0.0), "x"), ((0.0, 2.0), "y")):
        claim = p.direction_rates("classic", 0.087, 0.1, start)
        assert [row["moves"] for row in claim["directions"]] == [name == "x", name == "y"]
        assert claim["slowest"] == claim["plain_slowest"] == name
    rows = {row["name"]: row for row in p.direction_rates("classic", 0.087, 0.1)["directions"]}
    assert rows["y"]["rho"] > rows["x"]["rho"]  # the case where it matters


def test_the_sweep_of_a_direction_runs_from_plain_gradient_descent_to_the_runs_beta():
    one = lesson("ravine", lr=0.07, beta=0.7, kappa=25.0)
    for lam in (1.0, 25.0):
        betas, eigs = one.eigen_sweep(curvature=lam)
        assert betas[0] == 0 and betas[-1] == 0.7
        assert eigs[0, 0] == pytest.approx(1 - 0.07 * lam)
        truth = max(abs(np.linalg.eigvals(momentum_matrix("classic", 0.07, 0.7, lam))))
        assert abs(eigs[-1, 0]) == pytest.approx(truth, rel=1e-9)
    assert np.array_equal(one.eigen_sweep()[1], one.eigen_sweep(curvature=one.verdict.mode)[1])


def test_the_error_along_each_direction_shrinks_by_its_rho():
    """Along y alone (x0 = 0), the run's error shrinks per step by the y direction's ρ, in the long run."""
    one = lesson("ravine", x0=0.0, y0=1.0, lr=0.02, beta=0.3, steps=400)
    rho_y = one.problem.direction_rates("classic", 0.02, 0.3)["directions"][1]["rho"]
    y = np.abs(one.run.positions[:, 1])
    assert np.all(one.run.positions[:, 0] == 0.0)
    measured = (y[150] / y[50]) ** (1 / 100)
    assert measured == pytest.approx(rho_y, rel=1e-3)


def test_the_defaults_show_momentum_beating_plain_gradient_descent():
    one = lesson("ravine")
    p = one.params
    assert (p["kappa"], p["x0"], p["y0"]) == (25.0, -5.0, 2.0)
    assert 0.8 * 2 / p["kappa"] < p["lr"] < 2 / p["kappa"]  # near plain gradient descent's limit 2/κ
    f = one.facts()
    assert f["faster"]["winner"] == "momentum" and f["plain_outcome"]["outcome"] == "settled"
    plain_y = one.baseline.positions[:8, 1]
    assert np.all(plain_y[1:] * plain_y[:-1] < 0)  # plain gradient descent zig-zags across the ravine


def test_list_shows_the_ravine_and_its_options():
    result = invoke("--list")
    assert result.exit_code == 0
    block = result.output.split("ravine\n", 1)[1].split("landscape\n", 1)[0]
    for flag in ("--kappa", "--x0", "--y0", "--lr", "--beta", "--steps", "--variant"):
        assert flag in block
    assert "[1, 1000]" in next(line for line in block.splitlines() if "--kappa" in line)


@pytest.mark.parametrize("args", [["--kappa", "0"], ["--kappa", "2000"], ["--kappa", "nan"], ["--y0", "1e9"]])
def test_bad_kappa_is_one_line_exit_2_and_nothing_written(tmp_path, args):
    for extra in (["--export-data", tmp_path / "data"], ["--output", tmp_path / "out"]):
        result = invoke("--scene", "ravine", *args, *extra)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        assert [line for line in result.output.splitlines() if line.startswith("Error:")] != []
        assert args[0] in result.output
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").iterdir())


def test_kappa_is_an_option_of_the_ravine_only():
    result = invoke("--scene", "parabola", "--kappa", "5", "--export-data", "x")
    assert result.exit_code == 2 and "--kappa does not apply to --scene parabola" in result.output


def test_export_writes_columns_x_and_y_of_the_run(tmp_path):
    result = invoke("--scene", "ravine", "--kappa", "9", "--x0", "3", "--y0", "-1", "--export-data", tmp_path)
    assert result.exit_code == 0, result.output
    with open(tmp_path / "trajectory.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {"step", "x", "y", "loss"} <= set(rows[0])
    xy = np.array([[float(r["x"]), float(r["y"])] for r in rows])
    assert xy[0].tolist() == [3.0, -1.0]
    # each step is the heavy ball's rule on ∇f = (x, 9y), computed here
    v = np.zeros(2)
    for k in range(len(xy) - 1):
        v = 0.7 * v - 0.07 * xy[k] * [1.0, 9.0]
        assert xy[k + 1] == pytest.approx(xy[k] + v, rel=1e-12, abs=1e-15)
    losses = [float(r["loss"]) for r in rows]
    assert losses == pytest.approx([0.5 * (x * x + 9 * y * y) for x, y in xy], rel=1e-12)


def test_the_map_of_the_ravine_works_by_itself(tmp_path):
    land = landscape("ravine", kappa=16.0)
    assert land.kappa == pytest.approx(16.0)
    lr, beta = land.optimum  # Polyak's for curvatures 1 and 16: α* = 4/(√16 + √1)², β* = ((4 − 1)/(4 + 1))²
    assert (lr, beta) == (pytest.approx(4 / 25), pytest.approx(0.36))
    result = invoke("--scene", "landscape", "--problem", "ravine", "--kappa", "4", "--export-data", tmp_path)
    assert result.exit_code == 0, result.output
    with open(tmp_path / "landscape.csv", newline="") as f:
        rows = np.array([[float(v) for v in row] for row in list(csv.reader(f))[1:]])
    # ρ of a cell: the slower direction's, curvatures 1 and 4
    for a, b, rho in rows[:: len(rows) // 50]:
        radius = max(max(abs(np.linalg.eigvals(momentum_matrix("classic", a, b, lam)))) for lam in (1.0, 4.0))
        assert rho == pytest.approx(radius, rel=1e-6)


def test_at_kappa_200_the_verdict_says_who_ended_closer_and_why_per_direction():
    """Issue 32's case: neither ball settles in 100 steps; the verdict says momentum ended nearer and by how
    much (distances from runs made here with NumPy), and, per direction, that along y plain gradient descent
    shrinks by |1 − ακ| = 0.8 a step while momentum swings there with ρ the size of its 2×2 matrix's
    complex eigenvalues (0.949): it zig-zags more in y, and wins along the slow x."""
    from scenes.words import story

    kappa, lr, beta = 200.0, 0.009, 0.9
    one = lesson("ravine", kappa=kappa, lr=lr, beta=beta)
    scale = np.array([1.0, kappa])

    def end(b: float) -> float:
        x, v = one.run.positions[0].copy(), np.zeros(2)
        for _ in range(100):
            v = b * v - lr * scale * x
            x = x + v
        return float(np.linalg.norm(x))

    lines = story.ravine_verdict(one)
    said = {line.key: line for line in lines}
    assert "race_neither_momentum" in said
    assert float(said["race_neither_momentum"].values["ratio"]) == pytest.approx(
        end(0.0) / end(beta), rel=0.01
    )
    steep = np.linalg.eigvals(momentum_matrix("classic", lr, beta, kappa))
    assert abs(steep[0].imag) > 0
    y = [line for line in lines if line.values.get("dir") == "y"]
    assert [line.key for line in y] == ["rav_gd_flip", "rav_dir_swing"]
    assert float(y[0].values["plain_eig"]) == pytest.approx(1 - lr * kappa, abs=1e-4)
    assert float(y[1].values["rho"]) == pytest.approx(abs(steep[0]), abs=1e-4) and abs(steep[0]) > 0.8
