"""Mini-batch gradients (gdcore.noise, gdcore.batches, gdcore.noisy, --batch-size) against independent truth:
Monte Carlo runs of the test's own NumPy over hundreds of seeds (each with its standard error, computed here),
exported runs replayed from their CSV files, and the regression as it was before --batch-size."""

import csv
import json

import numpy as np
import pytest
from click.testing import CliRunner

import render
from gdcore import LECTURES, compare, lesson, noise, noisy
from gdcore.batches import BAND, reached_floor, schedule
from gdcore.export import export_lecture
from gdcore.lesson import checked, teach, teach_grid
from gdcore.noisy import RUNS, last_quarter
from scenes.words import captions, story

SEEDS = 400  # Monte Carlo runs per estimate
SIGMAS = 3.5  # an estimate agrees when it is within this many of its standard errors


def agree(samples: np.ndarray, truth: float) -> None:
    """The mean of independent `samples` is `truth` within SIGMAS standard errors (and the error is small
    enough for the test to mean something: under 5 % of the truth)."""
    mean, error = samples.mean(), samples.std(ddof=1) / np.sqrt(len(samples))
    assert error < 0.05 * abs(truth), (mean, error, truth)
    assert abs(mean - truth) <= SIGMAS * error, (mean, error, truth)


# ---- the additive model: heavy ball's closed form, the Lyapunov solver, a Monte Carlo of the recurrence


@pytest.mark.parametrize(
    "lr, beta, h, var",
    [(0.1, 0.9, 1.0, 1.0), (0.5, 0.5, 3.0, 2.0), (0.3, 0.0, 6.0, 0.5), (0.02, 0.99, 2.0, 1.0)],
)
def test_heavy_balls_stationary_variance_closed_form_lyapunov_and_monte_carlo(lr, beta, h, var):
    """ασ²(1+β)/[h(1−β)(2(1+β) − αh)] = the Lyapunov solution = the variance of the recurrence
    e ← e + v', v' = βv − α(h·e + ξ) with ξ ~ N(0, σ²), estimated over 400 seeds after the transient."""
    closed = noise.heavy_ball_variance(lr, beta, h, var)
    assert noise.additive_covariance("classic", lr, beta, h, var)[0, 0] == pytest.approx(closed, rel=1e-9)
    rng = np.random.default_rng(11)
    e, v = np.zeros(SEEDS), np.zeros(SEEDS)
    burn = int(np.ceil(np.log(1e-8) / np.log(np.sqrt(beta) if beta else abs(1 - lr * h))))
    total = np.zeros(SEEDS)
    keep = 3000
    for t in range(burn + keep):
        v = beta * v - lr * (h * e + np.sqrt(var) * rng.standard_normal(SEEDS))
        e = e + v
        if t >= burn:
            total += e * e
    agree(total / keep, closed)


@pytest.mark.parametrize("variant", ["classic", "ema", "nesterov"])
def test_the_lyapunov_covariance_is_each_rules_monte_carlo_covariance(variant):
    """In 2-D with a tilted Hessian and correlated noise: the stationary covariance of the real rule
    (gdcore.optimizers.RULES) over 400 seeds, entry by entry, is the Lyapunov solution's error block."""
    from gdcore.optimizers import RULES

    hessian, cov = np.array([[2.0, 0.6], [0.6, 0.5]]), np.array([[1.0, 0.3], [0.3, 0.4]])
    lr, beta = 0.3, 0.6
    predicted = noise.additive_covariance(variant, lr, beta, hessian, cov)[:2, :2]
    rng, chol = np.random.default_rng(5), np.linalg.cholesky(cov)
    x, s, total, keep = np.zeros((SEEDS, 2)), np.zeros((SEEDS, 2)), np.zeros((SEEDS, 2, 2)), 2000
    for t in range(300 + keep):
        xi = rng.standard_normal((SEEDS, 2)) @ chol.T
        x, s = RULES[variant](x, s, lambda at, xi=xi: at @ hessian + xi, lr, beta)
        if t >= 300:
            total += x[:, :, None] * x[:, None, :]
    for a, b in ((0, 0), (1, 1), (0, 1)):
        agree(total[:, a, b] / keep, predicted[a, b])


# ---- the exact least-squares moments against a Monte Carlo of the real mini-batch run


def minibatch_runs(problem, variant, lr, beta, batch, steps, seeds=SEEDS, seed=21):
    """(steps+1, seeds): ‖θ_t − θ*‖² of `seeds` runs of the rule on the data, each step's gradient the mean of
    `batch` distinct samples drawn anew per run and step (the test's own NumPy, from lstsq's θ*)."""
    x, y = problem.design, problem.targets
    n, d = x.shape
    best = np.linalg.lstsq(x, y, rcond=None)[0]
    rng = np.random.default_rng(seed)
    theta, state = np.zeros((seeds, d)), np.zeros((seeds, d))
    out = [np.full(seeds, best @ best)]
    for _ in range(steps):
        idx = rng.random((seeds, n)).argsort(axis=1)[:, :batch]
        xs, ys = x[idx], y[idx]

        def grad(at, xs=xs, ys=ys):
            return 2 / batch * np.einsum("sbd,sb->sd", xs, np.einsum("sbd,sd->sb", xs, at) - ys)

        if variant == "ema":
            state = beta * state + (1 - beta) * grad(theta)
            theta = theta - lr * state
        else:
            state = beta * state - lr * grad(theta + beta * state if variant == "nesterov" else theta)
            theta = theta + state
        out.append(((theta - best) ** 2).sum(axis=1))
    return np.array(out)


@pytest.mark.parametrize(
    "variant, lr, beta, batch",
    [("classic", 0.5, 0.0, 20), ("classic", 0.1, 0.8, 6), ("nesterov", 0.1, 0.8, 10), ("ema", 0.3, 0.8, 10)],
)
def test_exact_least_squares_moments_are_the_monte_carlo_of_the_real_minibatch_run(variant, lr, beta, batch):
    """E‖θ_t − θ*‖² from LeastSquaresNoise.moments, at steps of the transient and averaged over the
    stationary tail, is the mean over 1600 seeds of the real mini-batch run (B of N without replacement)."""
    problem = lesson("regression").problem
    steps = 150
    runs = minibatch_runs(problem, variant, lr, beta, batch, steps, seeds=4 * SEEDS)
    start = np.concatenate([-problem.minimizer(), np.zeros(3)])
    _, seconds = problem.noise_theory.moments(variant, lr, beta, batch, start, steps)
    exact = np.trace(seconds[:, :3, :3], axis1=1, axis2=2)
    for t in (3, 15, 60):
        agree(runs[t], exact[t])
    agree(runs[100:].mean(axis=0), exact[100:].mean())
    stationary = problem.noise_theory.stationary(variant, lr, beta, batch)
    assert exact[100:].mean() == pytest.approx(noise.spread(stationary, 3) ** 2, rel=1e-3)


def test_near_the_stability_limit_the_additive_model_underestimates_what_the_exact_one_predicts():
    """Plain SGD at α·h_max = 1.6 with B = 20: the exact second moment holds (previous test), the additive
    model's is more than SIGMAS standard errors below the Monte Carlo (the noise grows with the distance)."""
    problem = lesson("regression").problem
    runs = minibatch_runs(problem, "classic", 0.5, 0.0, 20, 150)[100:].mean(axis=0)
    noisy_at_min = noise.batch_factor(60, 20) * problem.noise_theory.gradient_covariance()
    additive = noise.spread(
        noise.additive_covariance("classic", 0.5, 0.0, problem.hessian(), noisy_at_min), 3
    )
    error = runs.std(ddof=1) / np.sqrt(len(runs))
    assert runs.mean() - additive**2 > SIGMAS * error


def test_each_noise_lecture_runs_predicted_spread_is_the_monte_carlo_spread():
    """The spread claim's `predicted` of each run of the noise lecture (defaults) is √(E‖θ − θ*‖²) at
    stationarity as measured over 400 seeds of the real mini-batch run."""
    subject = noisy()
    facts = subject.facts()["runs"]
    for label, one in zip(RUNS, subject.lessons):
        lr, beta = one.params["lr"], one.params["beta"]
        runs = minibatch_runs(subject.problem, "classic", lr, beta, 10, 250, seed=RUNS.index(label))
        agree(runs[150:].mean(axis=0), facts[label]["spread"]["predicted"] ** 2)


# ---- the batches and when a noisy run reached its floor


def test_each_step_draws_b_distinct_samples_anew_and_independently():
    """Each row holds B distinct indices of the N; every sample is drawn as often as B/N predicts, and
    consecutive steps share as many samples as two independent draws do (B²/N, hypergeometric)."""
    n, b, steps = 60, 6, 4000
    rows = schedule(n, b, steps, seed=7)
    assert rows.shape == (steps, b) and rows.min() >= 0 and rows.max() < n
    assert all(len(set(row)) == b for row in rows)
    counts, p = np.bincount(rows.ravel(), minlength=n), b / n
    assert np.all(np.abs(counts - steps * p) <= 5 * np.sqrt(steps * p * (1 - p)))
    shared = np.array([len(set(a) & set(c)) for a, c in zip(rows[:-1], rows[1:])])
    var = b * p * (1 - p) * (n - b) / (n - 1)
    assert abs(shared.mean() - b * p) <= 5 * np.sqrt(var / len(shared))
    assert np.array_equal(schedule(n, b, 10, seed=7), rows[:10])  # the first rows do not depend on how many


def test_momentum_and_plain_gradient_descent_see_the_same_batches():
    one = lesson("regression", batch_size=5, beta=0.9)
    assert one.run.batches.shape == (60, 5)
    assert np.array_equal(one.run.batches, one.baseline.batches)
    subject = noisy(batch_size=7)
    for other in subject.lessons:
        assert np.array_equal(other.run.batches, subject.schedule)


@pytest.mark.parametrize(
    "excess, floor, expected",
    [
        ([1.0] * 80, 1.0, 0),  # at its floor from the start
        ([100.0] * 5 + [1.0] * 75, 1.0, 5),  # windows of 10 holding a 100 are above 3 × 1
        ([10.0, 10.0] + [1.0] * 78, 1.0, 2),  # the first window averages to 2.8, but step 0 is at 10
        ([1.0] * 45 + [100.0] + [1.0] * 34, 1.0, None),  # a window from a shown step is above the band
        ([1.0] * 80, np.inf, None),  # no floor: the spread grows without bound
        ([1.0] * 30, 1.0, None),  # stopped short: it diverged
        ([2.0**-t for t in range(80)], 0.0, 20),  # no noise: 10⁻⁶ of the start's excess, 2⁻²⁰ < 10⁻⁶ < 2⁻¹⁹
    ],
)
def test_a_noisy_run_reaches_its_floor_by_the_stated_rule(excess, floor, expected):
    """40 steps shown, windows of 10, the band BAND × floor (3), on runs computed to 80 steps."""
    assert BAND == 3.0
    assert reached_floor(np.array(excess), floor, 40, 1e-3) == expected


@pytest.mark.parametrize("variant", ["classic", "ema", "nesterov"])
def test_a_batch_grid_is_each_point_taught_alone(variant):
    """An explorer's grid on mini-batches (iterate_many, every run on the same batches) is teach() at each α
    and β, number for number, with the same floor and divergence steps."""
    params = checked("regression", {"batch_size": 5, "steps": 20, "variant": variant})
    lrs, betas = [0.05, 0.3, 1.5], [0.0, 0.7, 0.95]
    grid = teach_grid("regression", params, lrs, betas)
    for i, lr in enumerate(lrs):
        for j, beta in enumerate(betas):
            alone = teach("regression", {**params, "lr": lr, "beta": beta}).run
            run = grid[i][j].run
            for name in ("positions", "states", "losses", "batches"):
                assert np.array_equal(getattr(run, name), getattr(alone, name)), (lr, beta, name)
            assert (run.converged_at, run.diverged_at) == (alone.converged_at, alone.diverged_at)


# ---- the regression as it was, and --batch-size on the command line

BEFORE = {  # the regression's parameters before --batch-size existed (the video's name hashes them)
    "lr": 0.5,
    "beta": 0.5,
    "steps": 60,
    "variant": "classic",
    "samples": 60,
    "noise": 0.5,
    "seed": 7,
    "true_w1": 2.0,
    "true_w2": -1.0,
    "true_b": 1.0,
}


def test_the_default_regression_is_the_lecture_before_batches():
    """Its params are the ones before (so its name and sidecar), its run is heavy ball on the full gradient
    (the test's own, from lstsq), and a batch of all 60 samples, or None, is that same lecture."""
    default = lesson("regression")
    assert dict(default.params) == BEFORE and default.run.batches is None
    x, y = default.problem.design, default.problem.targets
    theta, v = np.zeros(3), np.zeros(3)
    for t in range(1, 61):
        v = 0.5 * v - 0.5 * (2 / 60) * x.T @ (x @ theta - y)
        theta = theta + v
        np.testing.assert_allclose(default.run.positions[t], theta, rtol=1e-10, atol=1e-12)
    for same in (lesson("regression", batch_size=60), lesson("regression", batch_size=None)):
        assert dict(same.params) == BEFORE and same.run.batches is None
        assert np.array_equal(same.run.positions, default.run.positions)
        assert same.facts() == default.facts()


def invoke(*args):
    return CliRunner().invoke(render.main, [str(a) for a in args])


@pytest.mark.parametrize(
    "options, valid",
    [
        (("--batch-size", "0"), "[1, 60]"),
        (("--batch-size", "61"), "[1, 60]"),
        (("--batch-size", "-3"), "[1, 60]"),
        (("--samples", "20", "--batch-size", "30"), "[1, 20]"),
        (("--steps", "10000", "--samples", "5000", "--batch-size", "200"), "[1, 100]"),
        (("--batch-size", "2.5"), "integer"),
        (("--batch-size", "all"), "integer"),
    ],
)
def test_a_bad_batch_size_is_one_line_exit_2_and_nothing_written(tmp_path, options, valid):
    out = tmp_path / "out"
    result = invoke("--scene", "regression", *options, "--export-data", out)
    errors = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert result.exit_code == 2 and len(errors) == 1, result.output
    assert "--batch-size" in errors[0] and valid in errors[0]
    assert not out.exists() or list(out.iterdir()) == []


def rows_of(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], np.array(rows[1:], dtype=float)


def replay(folder, run_folder, variant, lr, beta):
    """The run of trajectory.csv in `run_folder`, stepped again by the test from data.csv and batches.csv in
    `folder`: (what the file says, what the replay gives), positions and velocities, step by step."""
    _, data = rows_of(folder / "data.csv")
    header, batches = rows_of(folder / "batches.csv")
    _, said = rows_of(run_folder / "trajectory.csv")
    assert header == ["step", "index"]
    x, y = np.column_stack([data[:, :2], np.ones(len(data))]), data[:, 2]
    theta, state, out = np.zeros(3), np.zeros(3), [np.zeros(6)]
    for t in range(1, len(said)):
        idx = batches[batches[:, 0] == t, 1].astype(int)

        def grad(at, idx=idx):
            return 2 / len(idx) * x[idx].T @ (x[idx] @ at - y[idx])

        if variant == "ema":
            state = beta * state + (1 - beta) * grad(theta)
            theta = theta - lr * state
        else:
            state = beta * state - lr * grad(theta + beta * state if variant == "nesterov" else theta)
            theta = theta + state
        out.append(np.concatenate([theta, state]))
    return said[:, 1:7], np.array(out)


@pytest.mark.parametrize("variant", ["classic", "ema", "nesterov"])
def test_an_exported_noisy_regression_replays_from_its_batches(tmp_path, variant):
    result = invoke(
        "--scene", "regression", "--batch-size", 7, "--beta", 0.9, "--lr", 0.2, "--variant", variant,
        "--steps", 40, "--export-data", tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    _, batches = rows_of(tmp_path / "batches.csv")
    assert np.array_equal(np.bincount(batches[:, 0].astype(int)), [0] + [7] * 40)
    said, again = replay(tmp_path, tmp_path, variant, 0.2, 0.9)
    np.testing.assert_allclose(said, again, rtol=1e-10, atol=1e-12)


def test_the_exported_noise_lecture_replays_its_three_runs(tmp_path):
    """data.csv and batches.csv once, each run's trajectory.csv in its folder: plain SGD at α, momentum,
    plain SGD at α/(1 − β), all from the same batches."""
    subject = noisy(steps=30, batch_size=4, lr=0.05, beta=0.8)
    export_lecture(subject, tmp_path)
    for label, lr, beta in (("plain", 0.05, 0.0), ("momentum", 0.05, 0.8), ("matched", 0.05 / 0.2, 0.0)):
        said, again = replay(tmp_path, tmp_path / label, "classic", lr, beta)
        np.testing.assert_allclose(said, again, rtol=1e-10, atol=1e-12)


# ---- the noise lecture's claims, decided by what happened


@pytest.mark.parametrize(
    "given",
    [{}, {"batch_size": 1}, {"batch_size": 59}, {"beta": 0.0}, {"beta": 0.99}, {"lr": 0.6}, {"lr": 1.2}],
)
def test_the_noise_claims_say_what_the_runs_did(given):
    """At B = 1, B = N − 1, β = 0, β = 0.99 and α near or past the stable limit: each spread's `measured` is
    the RMS distance from lstsq's solution over the last quarter (recomputed here), `predicted` is None
    exactly when the second moment has no fixed point, who is calmer follows the measured spreads, and who
    reached its floor first follows the runs' floor steps; all of it JSON."""
    subject = noisy(**given)
    facts = json.loads(json.dumps(subject.facts(), allow_nan=False))
    best = np.linalg.lstsq(subject.problem.design, subject.problem.targets, rcond=None)[0]
    tail, seen = last_quarter(subject.params["steps"]), {}
    for label, one in zip(RUNS, subject.lessons):
        spread = facts["runs"][label]["spread"]
        if one.run.diverged:
            assert spread["measured"] is None and facts["runs"][label]["outcome"]["outcome"] == "diverged"
        else:
            rms = np.sqrt(np.mean(np.sum((one.run.positions[tail] - best) ** 2, axis=1)))
            assert spread["measured"] == pytest.approx(rms, rel=1e-9, abs=1e-12)
        assert (spread["predicted"] is None) == (facts["runs"][label]["stability"]["second_moment_rho"] >= 1)
        seen[label] = spread["measured"]
    for claim in facts["calmer"]:
        a, b = claim["run"], claim["than"]
        if seen[a] is None or seen[b] is None:
            expected = "neither" if seen[a] is None and seen[b] is None else (a if seen[b] is None else b)
        elif abs(seen[a] - seen[b]) <= 0.02 * max(seen[a], seen[b]):
            expected = "tie"
        else:
            expected = a if seen[a] < seen[b] else b
        assert claim["winner"] == expected
    steps = {label: one.run.converged_at for label, one in zip(RUNS, subject.lessons)}
    done = [k for k in steps.values() if k is not None]
    winners = [label for label, k in steps.items() if done and k == min(done)]
    assert facts["floor_first"]["winners"] == winners


def test_at_beta_zero_the_three_runs_are_one_and_nothing_is_calmer():
    facts = noisy(beta=0.0).facts()
    assert [c["winner"] for c in facts["calmer"]] == ["tie", "tie"]
    assert facts["floor_first"]["winners"] == list(RUNS)


def test_the_batch_claim_is_the_covariance_of_a_mean_without_replacement():
    """c_B = (N − B)/(B(N − 1)): the variance of the mean of B of N numbers drawn without replacement, per
    unit of their population variance, estimated over 20 000 draws."""
    rng = np.random.default_rng(3)
    values = rng.standard_normal(60)
    draws = np.array([values[rng.choice(60, 6, replace=False)].mean() for _ in range(20000)])
    factor = noisy(batch_size=6).facts()["batch"]["factor"]
    assert draws.var() == pytest.approx(factor * values.var(), rel=0.04)


# ---- --scene noise: registered, its bad input, its export, its story against NumPy


def rms_from_best(subject, i: int) -> float:
    """Run i's RMS distance from numpy.linalg.lstsq's solution over its last quarter, recomputed here."""
    p = subject.problem
    design = np.column_stack([p.features, np.ones(len(p.targets))])
    best = np.linalg.lstsq(design, p.targets, rcond=None)[0]
    positions = subject.lessons[i].run.positions
    tail = last_quarter(subject.params["steps"])
    if len(positions) <= tail[-1]:  # it diverged: its run stops there
        return float("inf")
    return float(np.sqrt(np.mean(np.sum((positions[tail] - best) ** 2, axis=1))))


def test_the_noise_lecture_is_listed_with_its_batch_size_and_no_explorer():
    result = invoke("--list")
    assert result.exit_code == 0
    block = result.output.split("\nnoise\n")[1].split("\nfunction\n")[0]
    assert "--batch-size" in block and "--beta" in block and "--data" not in block
    assert LECTURES["noise"].EXPLORER is None


@pytest.mark.parametrize("size, valid", [("0", "[1, 60]"), ("61", "[1, 60]"), ("2.5", "integer")])
def test_a_bad_batch_size_for_the_noise_lecture_is_one_line_exit_2_and_nothing_written(tmp_path, size, valid):
    out = tmp_path / "out"
    for mode in (("--export-data", out), ("--output", out)):
        result = invoke("--scene", "noise", "--batch-size", size, *mode)
        errors = [line for line in result.output.splitlines() if line.startswith("Error")]
        assert result.exit_code == 2 and len(errors) == 1, result.output
        assert "--batch-size" in errors[0] and valid in errors[0]
        assert not out.exists() or list(out.iterdir()) == []


def test_the_noise_lectures_export_from_the_command_line_replays_its_three_runs(tmp_path):
    result = invoke(
        "--scene", "noise", "--batch-size", 6, "--lr", 0.08, "--beta", 0.75, "--steps", 25,
        "--export-data", tmp_path,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    _, batches = rows_of(tmp_path / "batches.csv")
    assert np.array_equal(np.bincount(batches[:, 0].astype(int)), [0] + [6] * 25)
    for label, lr, beta in (("plain", 0.08, 0.0), ("momentum", 0.08, 0.75), ("matched", 0.08 / 0.25, 0.0)):
        said, again = replay(tmp_path, tmp_path / label, "classic", lr, beta)
        np.testing.assert_allclose(said, again, rtol=1e-10, atol=1e-12)


def test_a_noise_comparison_exports_one_folder_per_value_on_the_same_batches(tmp_path):
    result = invoke("--scene", "noise", "--beta", "0,0.9", "--steps", 20, "--export-data", tmp_path)
    assert result.exit_code == 0, result.output
    for beta in (0.0, 0.9):
        said, again = replay(tmp_path, tmp_path / f"beta={beta}", "classic", 0.1, beta)
        np.testing.assert_allclose(said, again, rtol=1e-10, atol=1e-12)


ISSUE_VALUES = [{}, {"batch_size": 1}, {"batch_size": 59}, {"beta": 0.0}, {"beta": 0.99}, {"lr": 0.6}]


@pytest.mark.parametrize("given", ISSUE_VALUES)
def test_the_verdict_says_who_jittered_less_as_numpy_measures_it(given):
    """Momentum against plain SGD at α and at α/(1 − β): "more", "less" or "alike" as the RMS distances from
    lstsq's solution, recomputed here, compare (within 2 %); a run that diverged is not compared."""
    subject = lesson("noise", **given)
    said = {line.key: line for line in story.noise_verdict(subject)}
    if given.get("beta") == 0.0:
        assert "noise_one" in said and story.noise_runs(subject) == [0]
        return
    measured = {label: rms_from_best(subject, i) for i, label in enumerate(RUNS)}
    for than in ("plain", "matched"):
        a, b = measured["momentum"], measured[than]
        if not (np.isfinite(a) and np.isfinite(b)) or max(a, b) > 1e6:
            continue
        kind = "alike" if abs(a - b) <= 0.02 * min(a, b) else "less" if a < b else "more"
        assert f"noise_vs_{than}_{kind}" in said, (than, a, b, list(said))


@pytest.mark.parametrize("given", [*ISSUE_VALUES, {"batch_size": 60}])
@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_every_line_of_the_noise_story_is_written_in_every_language(given, lang):
    subject = lesson("noise", **given)
    lines = [story.noise_predict(subject), *(said for _, said in story.noise_events(subject))]
    for said in lines + story.noise_verdict(subject):
        text = captions.text(lang, said.key, **said.values)
        assert text and "{" not in text


def test_at_the_full_gradient_the_verdict_says_there_is_no_noise():
    subject = lesson("noise", batch_size=60)
    assert story.noise_verdict(subject)[0].key == "noise_full"


def test_a_noise_comparison_names_the_run_numpy_finds_calmest():
    subject = compare("noise", "beta", [0.0, 0.5, 0.9])
    measured = [rms_from_best(subject, i) for i in range(3)]
    first = story.noise_compare_verdict(subject)[0]
    assert first.key == "noise_cmp_calmest"
    assert first.values["name"] == subject.label(int(np.argmin(measured)))
