"""Claims: what a run did and why, as plain data (JSON-ready dicts), worked out from gdcore's runs and theory.

A caption is written from claims and records them in the sidecar, so a sentence never says more than these
numbers show. Every claim is a dict with a "claim" key naming its kind:

- outcome: {"run", "outcome": "settled" | "not_settled" | "diverged", "step"} — the step it settled or
  diverged at (None when it did not settle), "after": the steps it was run for, "start" and "end": its
  distance to the minimum it heads for at step 0 and at its last step (a sense of scale: end/start); a run
  on mini-batches has "batch_size" too: "settled" then means it reached its noise floor;
- plain_outcome: the same for plain gradient descent (β = 0) from the same start, without "run";
- faster: {"winner": "momentum" | "plain" | "tie" | "neither", "steps": [k_momentum, k_plain], "by"} —
  who settled first and by how many steps (a run that diverged or did not settle has no step); with
  "batch_size" on mini-batches (who reached its noise floor first);
- stable_limit: {"lr", "plain", "momentum", "change": "widened" | "narrowed" | "same"} — the largest stable
  α without and with momentum (set by the largest curvature);
- rate: {"run", "rho", "plain_rho"} — the error's factor per step with and without momentum, over the modes
  the run moves in;
- damping: {"run", "beta", "critical_beta", "regime", "eigenvalues": [[re, im], [re, im]], "curvature"} —
  how the run's slowest mode moves (swings, creeps, flips: theory.damping), from that mode's eigenvalues;
- still: {"run", "where": "minimum" | "stationary"} — the run never moves: the slope at its start is 0;
- closer: {"winner": "momentum" | "plain" | "tie", "ends": [d_momentum, d_plain], "start", "ratio"} — when
  neither run settled, which ended nearer the minimum (distances; ratio: the farther over the nearer);
- events: {"run", "first_overshoot": step or None, "swings", "crossings": [steps], "basin"} — the first
  step past the minimum, how often it passed it, when it crossed from one basin to the other, and the
  basin it settled in;
- fastest: {"winners": [labels], "step", "runs": {label: step or None}, "still": [labels]} — a comparison's
  first to settle (two or more winners: a tie; none: no run settled) among the runs that moved; with
  "batch_size" on mini-batches, as faster;
- closest: {"winners": [labels], "ends": {label: distance}, "start"} — when no run of a comparison settled,
  the one(s) that ended nearest the minimum;
- same_rate: {"runs": [labels], "rho"} — runs whose ρ is the same (under-damped heavy ball: ρ = √β for any α);
- fit: {"run", "fitted", "least_squares", "true", "start", "end", "true_gap", "size", "noise", "lowest_loss",
  "unexplained"} — a regression's coefficients (w1, w2, b) at its last step, the least-squares solution θ*
  and the true ones (None: a file's data), the distances of its start and end from θ*, of θ* from the true
  coefficients (None without them) and the coefficients' size max(‖θ_true‖, ‖θ*‖), the data's noise σ
  (None: a file's), L* and the share of y's variance no plane explains (L*/Var y, 1 − R²; 0 for a constant y).
"""

from __future__ import annotations

import math

import numpy as np

from . import theory
from .trajectory import Trajectory


def outcome(traj: Trajectory, run: str | None = None) -> dict:
    """The outcome claim of `traj` (with run=None: the plain_outcome claim)."""
    if traj.diverged:
        kind, step = "diverged", traj.diverged_at
    elif traj.converged_at is not None:
        kind, step = "settled", traj.converged_at
    else:
        kind, step = "not_settled", None
    claim = {"claim": "outcome", "run": run} if run is not None else {"claim": "plain_outcome"}
    start, end = distances(traj)
    found = {**claim, "outcome": kind, "step": step, "after": traj.last_step, "start": start, "end": end}
    return {**found, **on_batches(traj)}


def on_batches(traj: Trajectory) -> dict:
    """{"batch_size": B} for a run on mini-batches of B samples (its settling step is where it reached its
    noise floor), else {}."""
    return {} if traj.batches is None else {"batch_size": int(traj.batches.shape[1])}


def distances(traj: Trajectory) -> tuple[float | None, float | None]:
    """The run's distance to the minimum it heads for (where it ends), at its start and at its last step
    (None, None: there is no minimum to head for)."""
    target = traj.problem.settle_target(traj.positions[-1])
    found = tuple(float(np.linalg.norm(traj.positions[k] - target)) for k in (0, -1))
    return found if all(map(math.isfinite, found)) else (None, None)


TIE = 1.01  # ends closer than 1 % apart are a tie: the picture would not tell them apart


def closer(momentum: Trajectory, plain: Trajectory) -> dict:
    """Of two runs from the same start, which ended nearer the minimum, and by what factor."""
    start, dm = distances(momentum)
    dp = distances(plain)[1]
    ratio = max(dm, dp) / min(dm, dp) if min(dm, dp) > 0 else math.inf
    winner = "tie" if ratio <= TIE else "momentum" if dm < dp else "plain"
    return {"claim": "closer", "winner": winner, "ends": [dm, dp], "start": start, "ratio": ratio}


def closest(labels: list[str], trajs: list[Trajectory]) -> dict:
    """A comparison's run(s) that ended nearest the minimum (within TIE of the nearest)."""
    ends = {label: distances(t)[1] for label, t in zip(labels, trajs)}
    best = min(ends.values())
    return {
        "claim": "closest",
        "winners": [label for label, d in ends.items() if d <= best * TIE],
        "ends": ends,
        "start": distances(trajs[0])[0],
    }


def settled_step(traj: Trajectory) -> int | None:
    """The step a run settled at: 0 for one that never moved (its start is its end), None if it did not."""
    if not moved(traj):
        return 0
    return None if traj.diverged else traj.converged_at


def faster(momentum: Trajectory, plain: Trajectory) -> dict:
    """Which of two runs from the same start settled first, and by how many steps."""
    km, kp = settled_step(momentum), settled_step(plain)
    if km is None and kp is None:
        winner = "neither"
    elif kp is None or (km is not None and km < kp):
        winner = "momentum"
    elif km is None or kp < km:
        winner = "plain"
    else:
        winner = "tie"
    by = abs(km - kp) if km is not None and kp is not None else None
    return {"claim": "faster", "winner": winner, "steps": [km, kp], "by": by, **on_batches(momentum)}


def stable_limit(variant: str, lr: float, beta: float, largest_curvature: float) -> dict:
    """The largest stable α without momentum (2/λ) and with this rule and β; whether momentum widened it."""
    plain = theory.stable_lr_limit("classic", 0.0, largest_curvature)
    with_momentum = theory.stable_lr_limit(variant, beta, largest_curvature)
    change = (
        "same"
        if math.isclose(plain, with_momentum, rel_tol=1e-9)
        else "widened"
        if with_momentum > plain
        else "narrowed"
    )
    return {"claim": "stable_limit", "lr": lr, "plain": plain, "momentum": with_momentum, "change": change}


def events(traj: Trajectory, target: np.ndarray, basins: list[str], run: str) -> dict:
    """The run's events: overshoots of `target` (the minimum it heads for, along its first error's
    direction), its swings, and the steps at which its basin changed."""
    errors = traj.positions - target
    size = float(np.max(np.abs(errors[0])))  # not the norm: its squares underflow for a tiny start
    side = np.sign(errors @ (errors[0] / size)) if size > 0 else np.zeros(len(errors))
    passed = (np.flatnonzero(side[1:] * side[:-1] < 0) + 1).tolist()
    kinds = np.asarray(basins)
    crossings = (np.flatnonzero(kinds[1:] != kinds[:-1]) + 1).tolist()
    return {
        "claim": "events",
        "run": run,
        "first_overshoot": passed[0] if passed else None,
        "swings": len(passed),
        "crossings": crossings,
        "basin": basins[-1] if traj.converged_at is not None and not traj.diverged else None,
    }


STILL = 1e-9  # relative to the start's size: a run that never strays further only moved by rounding errors


def moved(traj: Trajectory) -> bool:
    """Whether the run ever left its start (a start where the slope is 0, up to a rounding error that moves
    it by less than STILL, never does)."""
    start = traj.positions[0]
    return bool(np.abs(traj.positions - start).max() > STILL * (1.0 + np.abs(start).max()))


def fastest(labels: list[str], trajs: list[Trajectory]) -> dict:
    """A comparison's first run(s) to settle: several winners are a tie; a run that never moved is in no
    race ("still": their labels)."""
    steps = {label: settled_step(t) if moved(t) else None for label, t in zip(labels, trajs)}
    done = [k for k in steps.values() if k is not None]
    best = min(done) if done else None
    return {
        "claim": "fastest",
        "winners": [label for label, k in steps.items() if best is not None and k == best],
        "step": best,
        "runs": steps,
        "still": [label for label, t in zip(labels, trajs) if not moved(t)],
        **on_batches(trajs[0]),
    }


def same_rate(labels: list[str], rhos: list[float], diverged: list[bool]) -> dict | None:
    """The stable runs that share the smallest ρ (to 4 digits), when there are two or more of them."""
    stable = [(label, rho) for label, rho, bad in zip(labels, rhos, diverged) if not bad]
    if not stable:
        return None
    low = min(rho for _, rho in stable)
    shared = [label for label, rho in stable if math.isclose(rho, low, rel_tol=1e-4)]
    return {"claim": "same_rate", "runs": shared, "rho": low} if len(shared) > 1 else None


def fit(traj: Trajectory, noise: float | None, run: str = "momentum") -> dict:
    """The fit claim of a regression run `traj` (module docstring); `noise`: the synthetic data's σ, None for
    a file's data."""
    p = traj.problem
    best, end = p.minimizer(), traj.positions[-1]
    true = None if p.true_params is None else np.asarray(p.true_params, dtype=float)
    spread = float(np.var(p.targets))
    return {
        "claim": "fit",
        "run": run,
        "fitted": end.tolist(),
        "least_squares": best.tolist(),
        "true": None if true is None else true.tolist(),
        "start": float(np.linalg.norm(traj.positions[0] - best)),
        "end": float(np.linalg.norm(end - best)),
        "true_gap": None if true is None else float(np.linalg.norm(best - true)),
        "size": float(max(np.linalg.norm(best), 0.0 if true is None else np.linalg.norm(true))),
        "noise": noise,
        "lowest_loss": float(p.lowest_loss),
        "unexplained": float(p.lowest_loss / spread) if spread > 0 else 0.0,
    }
