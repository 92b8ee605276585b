"""The story of a lecture, decided by the outcome: which sentence each decisive caption says, with which
values, and the claims (gdcore.claims) it rests on. No Manim here: the scenes draw, this decides what is
said, and the tests check every line against gdcore's runs without rendering.

A Line is (catalogue key, values, claims). ASSERTS says, for each key a story can pick, what its sentence
asserts about its claims: a line is only ever said when that holds."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from gdcore import (
    HYPERPARAMETERS,
    Comparison,
    Landscape,
    Lesson,
    Noise,
    NoiseComparison,
    Outcome,
    claims,
    theory,
)
from gdcore.noisy import RUNS, last_quarter
from gdcore.trajectory import SETTLE_TOL

from .captions import Listing, Percent, Phrase, fmt, fmt_param, times


class Line(NamedTuple):
    key: str
    values: dict
    claims: list


def _winner_is(name: str, both: bool | None = None) -> Callable[[dict], bool]:
    """The line says `name` settled first (both: with both steps known / with the other one unknown)."""

    def holds(c: dict) -> bool:
        f = c["faster"]
        known = None not in f["steps"]
        return f["winner"] == name and (both is None or known == both)

    return holds


def _outcome(kind: str, claim: str = "outcome") -> Callable[[dict], bool]:
    return lambda c: c.get(claim, c.get("outcome"))["outcome"] == kind  # β = 0 alone: plain's is "outcome"


ASSERTS: dict[str, Callable[[dict], bool]] = {
    "converged": lambda c: _outcome("settled")(c) and "still" not in c,
    "not_settled": lambda c: _outcome("not_settled")(c) and c["rate"]["rho"] < 1,
    "not_settled_edge": lambda c: _outcome("not_settled")(c) and c["rate"]["rho"] >= 1,
    "diverged": lambda c: _outcome("diverged")(c) and c["rate"]["rho"] > 1,
    "still_minimum": lambda c: c["still"]["where"] == "minimum",
    "still_stationary": lambda c: c["still"]["where"] == "stationary",
    "race_still": lambda c: "still" in c and c["faster"]["steps"][1] in (0, None),
    "race_diverged": lambda c: _outcome("diverged")(c) and _outcome("diverged", "plain_outcome")(c),
    "race_neither_momentum": lambda c: _winner_is("neither")(c) and c["closer"]["winner"] == "momentum",
    "race_neither_plain": lambda c: _winner_is("neither")(c) and c["closer"]["winner"] == "plain",
    "race_neither_even": lambda c: _winner_is("neither")(c) and c["closer"]["winner"] == "tie",
    "race_momentum": _winner_is("momentum", True),
    "race_momentum_alone": _winner_is("momentum", False),
    "race_plain": _winner_is("plain", True),
    "race_plain_alone": _winner_is("plain", False),
    "race_tie": lambda c: _winner_is("tie")(c) and "still" not in c,
    "plain_diverged_widened": lambda c: (
        _outcome("diverged", "plain_outcome")(c) and c["stable_limit"]["change"] == "widened"
    ),
    "plain_diverged_narrowed": lambda c: (
        _outcome("diverged", "plain_outcome")(c) and c["stable_limit"]["change"] != "widened"
    ),
    "limit_narrowed": lambda c: c["stable_limit"]["change"] == "narrowed",
    "why_rates": lambda c: _rates_explain(c),
    "under-damped": lambda c: _regime(c, "under-damped") and c["events"]["swings"] > 0,
    "under-damped_still": lambda c: _regime(c, "under-damped") and c["events"]["swings"] == 0,
    "critically damped": lambda c: _regime(c, "critically damped") and c["damping"]["beta"] > 0,
    "over-damped": lambda c: _regime(c, "over-damped") and c["damping"]["beta"] > 0,
    "flipping": lambda c: _regime(c, "flipping") and c["damping"]["eigenvalues"][0][0] < 0,
    "plain_critically damped": lambda c: _regime(c, "critically damped") and c["damping"]["beta"] == 0,
    "plain_over-damped": lambda c: _regime(c, "over-damped") and c["damping"]["beta"] == 0,
    "cmp_fastest": lambda c: len(c["fastest"]["winners"]) == 1,
    "cmp_fastest_rho": lambda c: len(c["fastest"]["winners"]) == 1 and c.get("same_rate") is None,
    "cmp_same_rho": lambda c: _shares_rate(c),
    "cmp_same_rho_sqrt": lambda c: _shares_rate(c),
    "cmp_tie": lambda c: len(c["fastest"]["winners"]) > 1,
    "cmp_tie_same_rho": lambda c: len(c["fastest"]["winners"]) > 1 and _tied_share_rate(c),
    "cmp_none": lambda c: not c["fastest"]["winners"] and len(c["closest"]["winners"]) == 1,
    "cmp_none_even": lambda c: not c["fastest"]["winners"] and len(c["closest"]["winners"]) > 1,
    "cmp_still": lambda c: not c["fastest"]["winners"] or c["fastest"]["step"] == 0,
    "cmp_diverged": _outcome("diverged"),
    "cmp_fate_settled": _outcome("settled"),
    "cmp_fate_not_settled": _outcome("not_settled"),
    "cmp_fate_still": lambda c: "still" in c,
    **{
        f"val_stayed_{basin}": (
            lambda b: (
                lambda c: (
                    _outcome("settled")(c) and not c["events"]["crossings"] and c["events"]["basin"] == b
                )
            )
        )(basin)
        for basin in ("local", "global")
    },
    **{
        f"val_crossed_{basin}": (
            lambda b: (
                lambda c: (
                    _outcome("settled")(c) and bool(c["events"]["crossings"]) and c["events"]["basin"] == b
                )
            )
        )(basin)
        for basin in ("local", "global")
    },
    "val_not_settled": lambda c: _outcome("not_settled")(c) and not c["events"]["crossings"],
    "val_not_settled_crossed": lambda c: _outcome("not_settled")(c) and bool(c["events"]["crossings"]),
    "val_diverged": _outcome("diverged"),
    "val_still_stationary": lambda c: c["still"]["where"] == "stationary",
    "val_still_minimum": lambda c: c["still"]["where"] == "minimum",
    "val_moral_still": lambda c: "still" in c,
    **{
        f"ev_settled_{who}": _outcome("settled", "plain_outcome" if who == "plain" else "outcome")
        for who in ("momentum", "plain", "run")
    },
    **{
        f"ev_diverged_{who}": _outcome("diverged", "plain_outcome" if who == "plain" else "outcome")
        for who in ("momentum", "plain", "run")
    },
    **{
        f"ev_overshoot_{who}": lambda c: c["events"]["first_overshoot"] is not None
        for who in ("momentum", "plain", "run")
    },
    **{f"ev_crossed_{who}": lambda c: bool(c["events"]["crossings"]) for who in ("momentum", "plain", "run")},
    "ls_gd": lambda c: c["stable_limit"]["change"] == "widened",
    "ls_gd_narrowed": lambda c: c["stable_limit"]["change"] == "narrowed",
}


def _regime(c: dict, regime: str) -> bool:
    return c["damping"]["regime"] == regime


def _rates_explain(c: dict) -> bool:
    """Both runs shrink (ρ < 1) and the one said to be ahead (first to settle, or nearer) has the smaller ρ."""
    rho, plain = c["rate"]["rho"], c["rate"]["plain_rho"]
    ahead = c["faster"]["winner"] if c["faster"]["winner"] != "neither" else c.get("closer", {}).get("winner")
    return max(rho, plain) < 1 and (
        (ahead == "momentum" and rho < plain) or (ahead == "plain" and plain < rho)
    )


def _tied_share_rate(c: dict) -> bool:
    return c.get("same_rate") is not None and set(c["fastest"]["winners"]) <= set(c["same_rate"]["runs"])


def _shares_rate(c: dict) -> bool:
    return (
        c.get("same_rate") is not None
        and len(c["fastest"]["winners"]) == 1
        and c["fastest"]["winners"][0] in c["same_rate"]["runs"]
    )


def line(key: str, claims: list, **values) -> Line:
    """A Line whose sentence holds for its claims (by kind): asserting otherwise is a bug, caught here. For
    a run on mini-batches, the sentence that says it reached its noise floor instead (on_batches)."""
    key, values = on_batches(key, claims, values)
    by_kind = {claim["claim"]: claim for claim in claims}
    if key in ASSERTS and not ASSERTS[key](by_kind):
        raise AssertionError(f"the caption {key!r} would assert what its claims do not: {claims}")
    return Line(key, values, claims)


def map_intro(land: Landscape) -> Line:
    """What the map is: the rule on the problem, ρ as its colour."""
    problem = Phrase(f"ls_problem_{land.problem_name}", {"formula": land.problem.formula})
    return Line("ls_map", {"variant": Phrase(land.variant), "problem": problem}, [])


def _modes(land: Landscape, one: Lesson) -> dict:
    """The modes claim at a run of the map: how its slowest and its steepest directions move."""
    lams = [float(lam) for lam in land.problem.curvatures]
    lr, beta = one.params["lr"], one.params["beta"]
    moves = [theory.damping(land.variant, lr, beta, lam).value for lam in (lams[0], lams[-1])]
    return {"claim": "modes", "curvatures": lams, "slow": moves[0], "steep": moves[1]}


def map_critical(land: Landscape) -> Line:
    """The pink curve: critical damping of the problem's one curvature, or, with several, of its slowest
    direction (the ravine's x, the regression's slowest mode) alone."""
    c = _modes(land, land.lesson)
    if len(set(c["curvatures"])) == 1:
        return line("ls_critical", [c])
    return line("ls_critical_ravine" if land.problem_name == "ravine" else "ls_critical_slowest", [c])


def map_steep(land: Landscape, one: Lesson) -> Line | None:
    """At a tour's stop where the slowest direction creeps, what the steepest does when it swings or flips
    (the pink curve is not about it); None otherwise."""
    c = _modes(land, one)
    crept = c["slow"] in (theory.Damping.OVER.value, theory.Damping.CRITICAL.value)
    if len(set(c["curvatures"])) == 1 or one.run.diverged or not crept or c["steep"] not in OSCILLATES:
        return None
    modes = "ravine" if land.problem_name == "ravine" else "regression"  # x and y, or the slowest mode
    return line(f"ls_steep_{modes}_{c['steep']}", [c])


OSCILLATES = (theory.Damping.UNDER.value, theory.Damping.FLIP.value)


def _steep(move: str) -> Callable[[dict], bool]:
    """The line says the slowest direction creeps while the steepest moves so (`move`)."""
    return lambda c: (
        c["modes"]["slow"] in ("over-damped", "critically damped") and c["modes"]["steep"] == move
    )


ASSERTS.update(
    {
        "ls_critical": lambda c: len(set(c["modes"]["curvatures"])) == 1,
        **{
            f"ls_critical_{n}": lambda c: len(set(c["modes"]["curvatures"])) > 1
            for n in ("ravine", "slowest")
        },
        **{f"ls_steep_{n}_{move}": _steep(move) for n in ("ravine", "regression") for move in OSCILLATES},
    }
)


def predict(subject) -> Line:
    """The question before the run, about this run with its values."""
    if subject.scene == "function" and (said := function_predict(subject)) is not None:
        return said
    if isinstance(subject, Landscape):
        one = subject.lesson
        return Line(
            "predict_map", dict(lr=fmt_param(one.params["lr"]), beta=fmt_param(one.params["beta"])), []
        )
    if isinstance(subject, Comparison):
        symbol = HYPERPARAMETERS[subject.varied].symbol
        values = (
            ", ".join(map(str, subject.values))
            if symbol is None
            else Listing(fmt_param(v) for v in subject.values)
        )
        key = "predict_variants" if symbol is None else "predict_compare"
        if subject.scene == "valleys" and subject.varied == "beta":  # one start, several β: which end deep
            return Line("predict_valleys", dict(values=values, x0=fmt_param(subject.params["x0"])), [])
        return Line(key, dict(symbol=symbol, values=values), [])
    values = dict(
        lr=fmt_param(subject.params["lr"]), beta=fmt_param(subject.params["beta"]), n=subject.run.last_step
    )
    if subject.baseline is None:
        return Line("predict_plain", {**values, "count": values.pop("n")}, [])
    return Line("predict_race", values, [])


def verdict(lesson: Lesson) -> list[Line]:
    """A single run's verdict: what happened (or that it never moved), who settled first or ended nearer
    (the question's answer), plain gradient descent's fate, why from ρ, and how it moved (its eigenvalues)."""
    f = lesson.facts()
    said = [_outcome_line(lesson, f)]
    if "still" in f:  # no race to tell, unless both balls sit still
        both = "faster" in f and not claims.moved(lesson.baseline)
        return said + ([line("race_still", [f["still"], f["faster"]])] if both else [])
    if "faster" in f:
        said += _race_lines(lesson, f)
    if f["outcome"]["outcome"] != "diverged":
        said.append(_damping(f))
    return said


def _race_lines(lesson: Lesson, f: dict) -> list[Line]:
    """Who settled first (or ended nearer), plain gradient descent's divergence or the stable α, and why
    from ρ when the rates explain it."""
    said = [_race(lesson, f), *_stable_limit(lesson.params, f)]
    why = [f["rate"], f["faster"], *([f["closer"]] if "closer" in f else [])]
    if ASSERTS["why_rates"]({c["claim"]: c for c in why}):
        said.append(line("why_rates", why, rho=fmt(f["rate"]["rho"]), plain_rho=fmt(f["rate"]["plain_rho"])))
    return said


def share(claim: dict) -> Percent:
    """Where a run ended, as a share of its starting distance to the minimum (written as a percentage)."""
    return Percent(claim["end"] / claim["start"] if claim["start"] > 0 else 0.0)


def _stable_limit(params, f: dict) -> list[Line]:
    """Plain gradient descent diverged where momentum did not (momentum widened or narrowed the stable α),
    or momentum narrowed it: one line, or none."""
    limits = dict(
        plain_limit=fmt_param(f["stable_limit"]["plain"]), limit=fmt_param(f["stable_limit"]["momentum"])
    )
    if f["plain_outcome"]["outcome"] == "diverged":
        change = "widened" if f["stable_limit"]["change"] == "widened" else "narrowed"
        claims = [f["plain_outcome"], f["stable_limit"]]
        return [
            line(
                f"plain_diverged_{change}",
                claims,
                k=f["plain_outcome"]["step"],
                lr=fmt_param(params["lr"]),
                **limits,
            )
        ]
    if f["stable_limit"]["change"] == "narrowed":
        values = dict(beta=fmt_param(params["beta"]), variant=params["variant"], **limits)
        return [line("limit_narrowed", [f["stable_limit"]], **values)]
    return []


def _outcome_line(lesson: Lesson, f: dict) -> Line:
    v, params, o = lesson.verdict, lesson.params, f["outcome"]
    if "still" in f:
        x = fmt_param(float(lesson.run.positions[0, 0]), 3)
        return line(f"still_{f['still']['where']}", [f["still"], o], x=x)
    if o["outcome"] == "diverged":
        return line(
            "diverged",
            [o, f["rate"], f["stable_limit"]],
            k=o["step"],
            lr=fmt_param(params["lr"]),
            limit=fmt_param(v.lr_limit),
            beta=fmt_param(params["beta"]),
            rho=fmt(v.rho),
        )
    if o["outcome"] == "settled":
        return line("converged", [o, f["rate"]], count=o["step"], rho=fmt(v.rho))
    key = "not_settled" if v.rho < 1 else "not_settled_edge"
    return line(key, [o, f["rate"]], count=o["after"], rho=fmt(v.rho), share=share(o))


def _race(lesson: Lesson, f: dict) -> Line:
    """The answer to the predict question: who settled first, by how many steps, or who ended nearer."""
    race, (km, kp) = f["faster"], f["faster"]["steps"]
    claims = [f["outcome"], f["plain_outcome"], race]
    if race["winner"] == "neither" and f["outcome"]["outcome"] == f["plain_outcome"]["outcome"] == "diverged":
        values = dict(m=f["outcome"]["step"], k=f["plain_outcome"]["step"])
        return line("race_diverged", claims, **values)
    if race["winner"] == "neither":
        near = f["closer"]
        key = {"momentum": "race_neither_momentum", "plain": "race_neither_plain", "tie": "race_neither_even"}
        ratio = fmt_param(float(f"{near['ratio']:.2g}"))  # 110, not 1.1×10²
        return line(key[near["winner"]], [*claims, near], count=lesson.params["steps"], ratio=ratio)
    key = {"momentum": "race_momentum", "plain": "race_plain", "tie": "race_tie"}[race["winner"]]
    if race["winner"] in ("momentum", "plain") and None in race["steps"]:
        key += "_alone"
    count = race["by"] if key in ("race_momentum", "race_plain") else lesson.params["steps"]
    return line(
        key, claims, m=km, k=kp if kp is not None else km, count=count, beta=fmt_param(lesson.params["beta"])
    )


def _damping(f: dict) -> Line:
    """How the run moved, from its slowest mode's eigenvalues (the story of β against β_c)."""
    d = f["damping"]
    key = d["regime"]
    if key == "under-damped" and not f["events"]["swings"]:
        key = "under-damped_still"
    if d["beta"] == 0 and key in ("over-damped", "critically damped"):
        key = f"plain_{key}"
    crit = fmt_param(d["critical_beta"]) if d["critical_beta"] is not None else "—"
    eig = (
        fmt(d["eigenvalues"][0][0]) if d["eigenvalues"][0][1] == 0 else fmt(math.hypot(*d["eigenvalues"][0]))
    )
    return line(key, [d, f["events"]], beta=fmt_param(d["beta"]), crit=crit, eig=eig)


def compare_verdict(c: Comparison) -> list[Line]:
    """A comparison's verdict: the first to settle (or a tie, or the nearest when none did), why from ρ, then
    every other run's fate: where it settled, how near it ended, where it diverged, or that it never moved."""
    facts = c.facts()
    first, same, near = facts["fastest"], facts["same_rate"], facts["closest"]
    claims = [first, *([same] if same else [])]
    if len(first["still"]) == len(c.lessons):
        return [line("cmp_still", [first])]
    if not first["winners"]:
        key = "cmp_none" if len(near["winners"]) == 1 else "cmp_none_even"
        said = [
            line(
                key,
                [*claims, near],
                count=max(one.run.last_step for one in c.lessons),
                label=near["winners"][0],
                labels=Listing(near["winners"]),
                share=share({"end": near["ends"][near["winners"][0]], "start": near["start"]}),
            )
        ]
    elif len(first["winners"]) > 1:
        key = "cmp_tie_same_rho" if _tied_share_rate({"fastest": first, "same_rate": same}) else "cmp_tie"
        rho = fmt(same["rho"]) if same else ""
        said = [line(key, claims, labels=Listing(first["winners"]), k=first["step"], rho=rho)]
    else:
        said = [_sole_winner(c, first, same, claims)]
    runs = facts["runs"]
    nearest = [
        label
        for label in (near["winners"] if near else [])
        if runs[label]["outcome"]["outcome"] != "diverged"
    ]
    told = set(first["winners"]) | set(nearest)  # the head line told their fate
    return said + [_fate(label, f) for label, f in runs.items() if label not in told]


def _fate(label: str, f: dict) -> Line:
    """One run of a comparison: where it settled, how near it ended, where it diverged, or that it never
    moved."""
    o = f["outcome"]
    if "still" in f:
        return line("cmp_fate_still", [f["still"]], label=label)
    if o["outcome"] == "diverged":
        limits = dict(lr=fmt_param(f["stable_limit"]["lr"]), limit=fmt_param(f["stable_limit"]["momentum"]))
        return line("cmp_diverged", [o, f["stable_limit"]], label=label, k=o["step"], **limits)
    if o["outcome"] == "settled":
        return line("cmp_fate_settled", [o], label=label, k=o["step"])
    return line("cmp_fate_not_settled", [o], label=label, count=o["after"], share=share(o))


def _sole_winner(c: Comparison, first: dict, same: dict | None, claims: list[dict]) -> Line:
    """The one run that settled first, and why: the smallest ρ (shared, or √β for every under-damped run)."""
    winner = first["winners"][0]
    one = c.lessons[[c.label(i) for i in range(len(c.values))].index(winner)]
    if same and winner in same["runs"]:
        key = "cmp_same_rho_sqrt" if _sqrt_beta(c, same["runs"]) else "cmp_same_rho"
        named = (
            HYPERPARAMETERS[c.varied].symbol is not None
        )  # "β = 0.5": numbers, listed as the language lists them
        values = dict(
            rho=fmt(same["rho"]), labels=Listing(same["runs"]) if named else ", ".join(same["runs"])
        )
        return line(key, claims, label=winner, count=first["step"], **values)
    lowest = one.verdict.rho == min(o.verdict.rho for o in c.lessons if not o.run.diverged)
    key = "cmp_fastest_rho" if lowest and not same else "cmp_fastest"
    return line(key, claims, label=winner, count=first["step"], rho=fmt(one.verdict.rho))


def _sqrt_beta(c: Comparison, labels: list[str]) -> bool:
    """Whether the runs named share ρ because each is an under-damped heavy ball (ρ = √β, whatever α)."""
    runs = [one for i, one in enumerate(c.lessons) if c.label(i) in labels]
    return all(
        one.params["variant"] == "classic" and one.verdict.regime.value == "under-damped" for one in runs
    )


def valleys_verdict(c: Comparison) -> list[Line]:
    """Where each ball ended and how often it crossed the barrier (or that it never moved); the moral fits
    where the balls that moved started."""
    facts = c.facts()
    said = [_valley(c.label(i), facts["runs"][c.label(i)], one) for i, one in enumerate(c.lessons)]
    moving = [f for f in facts["runs"].values() if "still" not in f]
    if not moving:
        return said + [line("val_moral_still", [f["still"] for f in facts["runs"].values()])]
    start = c.problem.basin(c.lessons[0].run.positions[0])
    escaped = any(f["events"]["crossings"] for f in moving)
    key = (
        "val_moral"
        if start == "local" and escaped
        else "val_moral_stuck"
        if start == "local"
        else "val_moral_deep"
    )
    return said + [Line(key, {}, [f["events"] for f in moving])]


def _valley(label: str, f: dict, one: Lesson) -> Line:
    """Where one ball of the valleys ended, and how often it crossed the barrier."""
    o, e = f["outcome"], f["events"]
    crossed = {"times": times(len(e["crossings"]))} if e["crossings"] else {}
    if "still" in f:
        key, values = f"val_still_{f['still']['where']}", {"x": fmt_param(float(one.run.positions[0, 0]), 3)}
        return line(key, [f["still"]], label=label, **values)
    if o["outcome"] == "diverged":
        key, values = "val_diverged", {"k": o["step"]}
    elif o["outcome"] == "not_settled":
        key, values = "val_not_settled_crossed" if crossed else "val_not_settled", {"count": o["after"]}
    else:
        key = f"val_crossed_{e['basin']}" if crossed else f"val_stayed_{e['basin']}"
        values = {"k": o["step"], "x": fmt_param(float(one.run.positions[-1, 0]), 3)}
    return line(key, [o, e], label=label, **values, **crossed)


# The function lecture (scenes/lectures/function.py): a function the teacher typed (gdcore.typed). Its runs
# may end in different minima, run away where f has no minimum, or step where f is not defined; its claims
# "end", "minima" and "left_view" are gdcore's (TypedFunction).


def function_runs(subject) -> list[tuple[str, str, object]]:
    """(label as the captions write it, run name in the claims, Trajectory) of each ball: a single run's
    ("β = 0.7", "momentum") and plain gradient descent's ("β = 0", "plain"), or a comparison's runs."""
    if isinstance(subject, Comparison):
        return [(subject.label(i), subject.label(i), one.run) for i, one in enumerate(subject.lessons)]
    beta = f"β = {fmt_param(subject.params['beta'])}"
    if subject.baseline is None:
        return [(beta, "plain", subject.run)]
    return [(beta, "momentum", subject.run), ("β = 0", "plain", subject.baseline)]


def function_predict(subject) -> Line | None:
    """The question before the run when f has several minima (where does each ball end?) or none (where do
    the balls go?); None: one minimum, the question of any lecture (story.predict)."""
    count = len(subject.problem.minima())
    if count == 1:
        return None
    kind = "basins" if count else "none"
    if isinstance(subject, Comparison):
        labels = Listing(subject.label(i) for i in range(len(subject.values)))
        return Line(f"fn_predict_runs_{kind}", {"labels": labels}, [subject.problem.minima_claim()])
    plain = "_plain" if subject.baseline is None else ""
    values = dict(lr=fmt_param(subject.params["lr"]), beta=fmt_param(subject.params["beta"]))
    return Line(f"fn_predict_{kind}{plain}", values, [subject.problem.minima_claim()])


def function_verdict(subject) -> list[Line]:
    """The verdict of a function lecture, single run or comparison: with one minimum and a rate, the
    parabola's or the comparison's; with several minima, where each ball ended (lower or higher) as well as
    when; with none, where each ball went; a minimum with no quadratic model says why no ρ applies."""
    p = subject.problem
    if not p.minima():
        view = dict(low=fmt_param(p.low), high=fmt_param(p.high))
        head = line("fn_no_minimum", [p.minima_claim()], **view)
        return [head, *(_fn_fate(*run, p) for run in function_runs(subject)), *_fn_moral(subject)]
    if isinstance(subject, Comparison):
        return _fn_compare_verdict(subject)
    f = subject.facts()
    if "still" in f:
        return verdict(subject)
    end = p.end(subject.run, function_runs(subject)[0][1])
    said = [_fn_outcome(subject, f, end)]
    if subject.baseline is not None:
        said += _fn_race(subject, f, end)
    if f["outcome"]["outcome"] != "diverged":
        said.append(_damping(f) if end["minimum"]["shape"] == "quadratic" else _fn_shape(end))
    return said + _fn_moral(subject)


def minimum_name(label: str) -> Phrase:
    """A minimum's name in the language: gdcore's label ('global', 'local', 'local 2') as its message."""
    kind, _, n = label.partition(" ")
    return Phrase(f"fn_min_{kind}_n", {"n": n}) if n else Phrase(f"fn_min_{kind}")


def _same_minimum(end: dict, other: dict) -> bool:
    """Whether two runs' ends read the same minimum (the theory of one is then the other's)."""
    if end["minimum"] is None or other["minimum"] is None:
        return False
    return end["minimum"]["x"] == other["minimum"]["x"]


def _explained(one: Lesson) -> bool:
    """Whether the theory tells this run's story: its end reads a quadratic model, and it did not diverge
    or its ρ there is above 1 (not a step off f, nor a run away where f has no minimum)."""
    v = one.verdict
    return not math.isnan(v.rho) and (v.outcome is not Outcome.DIVERGED or v.rho > 1)


def _fn_outcome(one: Lesson, f: dict, end: dict) -> Line:
    """What the lesson's run did: settled in which minimum (at which rate), how near it got, or its fate."""
    o, m = f["outcome"], end["minimum"]
    if o["outcome"] != "settled" and _explained(one):
        return _outcome_line(one, f)
    if o["outcome"] == "settled":
        values = dict(count=o["step"], minimum=minimum_name(m["label"]), x=fmt_param(m["x"]))
        if m["shape"] == "quadratic":
            return line("fn_converged", [o, f["rate"], end], rho=fmt(one.verdict.rho), **values)
        return line("fn_converged_no_rate", [o, end], **values)
    if o["outcome"] == "not_settled":
        values = dict(count=o["after"], share=share(o), minimum=minimum_name(m["label"]))
        return line("fn_not_settled_no_rate", [o, end], **values)
    return _fn_fate(*function_runs(one)[0], one.problem)


def _fn_race(one: Lesson, f: dict, end: dict) -> list[Line]:
    """Momentum against plain gradient descent: both settled in different minima, when and where each
    settled and which ended lower; else who settled first, when both ends read the same minimum (and why,
    when the theory tells both runs' stories), or plain gradient descent's fate."""
    p = one.problem
    plain = {**p.end(one.baseline, "plain"), "claim": "plain_end"}
    settled = f["outcome"]["outcome"] == f["plain_outcome"]["outcome"] == "settled"
    same = _same_minimum(end, plain)
    if settled and not same:  # in different minima: "first" alone would crown the one that stopped higher
        said = _fn_where(f, end, plain)
    elif same:
        said = [_race(one, f)]
    else:
        return [_fn_fate(*function_runs(one)[1], p)]
    plain_ok = f["plain_outcome"]["outcome"] != "diverged" or (f["rate"]["plain_rho"] or 0) > 1
    if same and _explained(one) and plain_ok:
        said += _race_lines(one, f)[1:]  # the stable α, and why from ρ
    return said


def _fn_where(f: dict, end: dict, plain: dict) -> list[Line]:
    """Both balls settled: when and in which minimum each, and which ended lower (when one did)."""
    o, po, race = f["outcome"], f["plain_outcome"], f["faster"]
    m, pm = end["minimum"], plain["minimum"]
    values = dict(m=o["step"], k=po["step"], minimum=minimum_name(m["label"]), f=fmt_param(m["f"]))
    values.update(plain_minimum=minimum_name(pm["label"]), plain_f=fmt_param(pm["f"]))
    said = [line(f"fn_race_where_{race['winner']}", [o, po, race, end, plain], **values)]
    if not math.isclose(m["f"], pm["f"], rel_tol=1e-9, abs_tol=1e-12):
        lower = "momentum" if m["f"] < pm["f"] else "plain"
        said.append(line(f"fn_lower_{lower}", [end, plain], f=values["f"], plain_f=values["plain_f"]))
    return said


def _fn_shape(end: dict) -> Line:
    """Why no rate ρ applies at the minimum a run's end reads: f'' is 0 there, f has a corner, or f'' grows
    without bound."""
    m = end["minimum"]
    return line(f"fn_shape_{m['shape']}", [end], x=fmt_param(m["x"]))


def _fn_compare_verdict(c: Comparison) -> list[Line]:
    """A comparison on a typed function: with one minimum whose theory tells every run's story, the
    comparison's verdict; else the first to settle and where, then every other run's fate."""
    p, runs = c.problem, function_runs(c)
    ends = [p.end(traj, who) for _, who, traj in runs]
    if len(p.minima()) == 1 and all(map(_explained, c.lessons)):  # the question was the parabola's
        return compare_verdict(c)
    first = claims.fastest([label for label, _, _ in runs], [traj for _, _, traj in runs])
    said, told = [], set()
    if len(first["winners"]) == 1:
        winner = first["winners"][0]
        end = ends[[label for label, _, _ in runs].index(winner)]
        m = end["minimum"]
        values = dict(label=winner, k=first["step"], minimum=minimum_name(m["label"]), f=fmt_param(m["f"]))
        said, told = [line("fn_cmp_first", [first, end], **values)], {winner}
    said += [_fn_fate(*run, p) for run in runs if run[0] not in told]
    return said + _fn_moral(c)


def _fn_fate(label: str, who: str, traj, p) -> Line:
    """Where one ball ended: settled in which minimum (crossing barriers on the way), how far it got, where
    it stepped off f, ran away downhill, diverged, or that it never moved."""
    o, end = claims.outcome(traj, who), p.end(traj, who)
    left, m = {**p.left_view(traj), "run": who}, end["minimum"]
    if not claims.moved(traj):
        where = "minimum" if m is not None and math.isclose(m["x"], end["x"], abs_tol=1e-12) else "stationary"
        still = {"claim": "still", "run": who, "where": where}
        return line("fn_fate_still", [still, end], label=label, x=fmt_param(end["x"]))
    if o["outcome"] == "settled":
        events = claims.events(traj, p.settle_target(traj.positions[-1]), p.basins(traj.positions), who)
        values = dict(
            label=label,
            k=o["step"],
            minimum=minimum_name(m["label"]),
            x=fmt_param(m["x"]),
            f=fmt_param(m["f"]),
        )
        if events["crossings"]:
            return line("fn_fate_crossed", [o, end, events], times=times(len(events["crossings"])), **values)
        return line("fn_fate_settled", [o, end], **values)
    if end["stop"] is not None and end["stop"]["why"] == "undefined":
        values = dict(k=end["stop"]["step"], x=fmt_param(end["stop"]["x"]))
        return line("fn_fate_undefined", [o, end], label=label, **values)
    if ASSERTS["fn_fate_ran_away"]({"left_view": left, "end": end}):
        side = Phrase(f"fn_side_{left['side']}")
        return line("fn_fate_ran_away", [left, end], label=label, k=left["step"], side=side)
    if o["outcome"] == "diverged":
        return line("fn_fate_diverged", [o, end], label=label, k=o["step"])
    values = dict(count=o["after"], x=fmt_param(end["x"]), f=fmt_param(end["f"]))
    return line("fn_fate_not_settled", [o, end], label=label, **values)


def _fn_moral(subject) -> list[Line]:
    """The lesson of a ball that ran away downhill (said once), or nothing."""
    p = subject.problem
    for _, who, traj in function_runs(subject):
        left, end = {**p.left_view(traj), "run": who}, p.end(traj, who)
        if _ran_away({"left_view": left, "end": end}) and claims.moved(traj):
            return [line("fn_moral_runaway", [left, end])]
    return []


def function_events(subject, events: list[tuple[int, Line]]) -> list[tuple[int, Line]]:
    """The run's event captions (Lecture.run_lines) for a typed function: a run that stopped on a step where
    f is not defined says so (not that it diverges), each ball leaving the view is said as it leaves, and a
    time-lapse goes unsaid (every ball is at rest: it would name nothing that moves)."""
    p, found = subject.problem, []
    events = [(k, said) for k, said in events if said.key != "ev_timelapse"]
    for label, who, traj in function_runs(subject):
        end, left = p.end(traj, who), {**p.left_view(traj), "run": who}
        kind, name = ("run", label) if isinstance(subject, Comparison) else (who, "")
        if left["step"] is not None and left["step"] <= traj.last_step:
            found.append((left["step"], line(f"ev_left_{kind}", [left], k=left["step"], label=name)))
        if end["stop"] is not None and end["stop"]["why"] == "undefined":  # said instead of "it diverges"
            said = line(f"ev_undefined_{kind}", [end], k=end["stop"]["step"], label=name)
            gone = (f"ev_diverged_{kind}", name)
            events = [(k, said if (e.key, e.values.get("label", "")) == gone else e) for k, e in events]
    return sorted(events + found[: max(MAX_EVENTS - len(events), 0)], key=lambda event: event[0])


ASSERTS.update(
    {
        "fn_no_minimum": lambda c: not c["minima"]["minima"],
        "fn_converged": lambda c: _outcome("settled")(c) and c["rate"]["rho"] < 1 and _shape(c, "quadratic"),
        "fn_converged_no_rate": lambda c: _outcome("settled")(c) and not _shape(c, "quadratic"),
        "fn_not_settled_no_rate": lambda c: _outcome("not_settled")(c) and not _shape(c, "quadratic"),
        **{
            f"fn_shape_{shape}": (lambda s: lambda c: _shape(c, s))(shape)
            for shape in ("flat", "kink", "steep")
        },
        **{
            f"fn_race_where_{who}": (lambda w: lambda c: _winner_is(w)(c) and c["plain_end"]["minimum"])(who)
            for who in ("momentum", "plain", "tie")
        },
        "fn_lower_momentum": lambda c: c["end"]["minimum"]["f"] < c["plain_end"]["minimum"]["f"],
        "fn_lower_plain": lambda c: c["plain_end"]["minimum"]["f"] < c["end"]["minimum"]["f"],
        "fn_cmp_first": lambda c: (
            c["fastest"]["winners"] == [c["end"]["run"]] and c["end"]["minimum"] is not None
        ),
        "fn_fate_still": lambda c: c["still"]["run"] == c["end"]["run"],
        "fn_fate_settled": lambda c: _outcome("settled")(c) and c["end"]["minimum"] is not None,
        "fn_fate_crossed": lambda c: _outcome("settled")(c) and bool(c["events"]["crossings"]),
        "fn_fate_undefined": lambda c: (c["end"]["stop"] or {}).get("why") == "undefined",
        "fn_fate_ran_away": lambda c: _ran_away(c),
        "fn_fate_diverged": _outcome("diverged"),
        "fn_fate_not_settled": _outcome("not_settled"),
        "fn_moral_runaway": lambda c: _ran_away(c),
        **{
            f"ev_left_{who}": lambda c: c["left_view"]["step"] is not None
            for who in ("momentum", "plain", "run")
        },
        **{
            f"ev_undefined_{who}": lambda c: (c["end"]["stop"] or {}).get("why") == "undefined"
            for who in ("momentum", "plain", "run")
        },
    }
)


def _shape(c: dict, shape: str) -> bool:
    return c["end"]["minimum"] is not None and c["end"]["minimum"]["shape"] == shape


def _ran_away(c: dict) -> bool:
    """The run was outside the view at its end and lower than where it started, and it did not stop on a
    step where f is not defined: it ran off downhill."""
    stop = c["end"]["stop"] or {}
    return (
        c["left_view"]["outside"] and c["end"]["f"] < c["end"]["start_f"] and stop.get("why") != "undefined"
    )


MAX_EVENTS = 6  # captions during one run: more would not leave each one time to be read


def run_events(subject) -> list[tuple[int, Line]]:
    """Captions at the run's events, by the step they happen at: each run (and plain gradient descent
    beside a single run) settling or diverging, the first overshoot, barrier crossings. A single run's
    balls are "momentum" and "plain"; a comparison's runs go by their labels."""
    if isinstance(subject, Noise | NoiseComparison):
        return noise_events(subject)
    if isinstance(subject, Comparison):
        runs = [(subject.label(i), one.facts(subject.label(i))) for i, one in enumerate(subject.lessons)]
        # a comparison's overshoots come all at once, early: its runs' endings and crossings say more
        found = [
            event
            for label, f in runs
            for event in _events(f, "run", label)
            if not event[1].key.startswith("ev_overshoot")
        ]
    else:
        f = subject.facts()
        found = _events(f, "momentum" if subject.baseline is not None else "plain", "")
        if "plain_outcome" in f:
            found += _ends(f["plain_outcome"], "plain", "")
    ends = [e for e in found if e[1].key.startswith(("ev_settled", "ev_diverged"))]
    rest = [e for e in found if e not in ends]
    chosen = ends[:MAX_EVENTS] + rest[: max(MAX_EVENTS - len(ends), 0)]
    return sorted(chosen, key=lambda event: event[0])


def _events(f: dict, who: str, label: str) -> list[tuple[int, Line]]:
    e = f["events"]
    if "still" in f:  # a run that never moves has no events (its start is its end)
        return []
    found = _ends(f["outcome"], who, label)
    if e["first_overshoot"] is not None and f["outcome"]["outcome"] != "diverged":
        found.append(
            (e["first_overshoot"], line(f"ev_overshoot_{who}", [e], k=e["first_overshoot"], label=label))
        )
    found += [(k, line(f"ev_crossed_{who}", [e], k=k, label=label)) for k in e["crossings"][:2]]
    return found


def _ends(o: dict, who: str, label: str) -> list[tuple[int, Line]]:
    if o["outcome"] == "not_settled" or o["step"] == 0:  # step 0: it never moved
        return []
    kind = "settled" if o["outcome"] == "settled" else "diverged"
    return [(o["step"], line(f"ev_{kind}_{who}", [o], k=o["step"], label=label))]


# The ravine (scenes/lectures/ravine.py): its question, and its verdict told per direction.


def ravine_predict(subject) -> Line:
    """The ravine's question, about this valley and run: which ball settles first (the question of `predict`
    for a comparison, a run without momentum or a round bowl)."""
    if isinstance(subject, Comparison) or subject.baseline is None or subject.problem.kappa == 1:
        return predict(subject)
    values = {k: fmt_param(subject.params[k]) for k in ("kappa", "lr", "beta")}
    return Line("rav_predict", values, [])


def directions(one: Lesson) -> dict:
    """The claim direction_rates of the run, from where it starts (a direction it has no part in stays at
    rest)."""
    p = one.params
    return one.problem.direction_rates(p["variant"], p["lr"], p["beta"], one.run.positions[0])


def ravine_verdict(one: Lesson) -> list[Line]:
    """What happened and who settled first or ended nearer (verdict's lines, the question's answer), then why,
    direction by direction: the one that sets the pace, and how each direction the run moves in moves, with
    momentum and without, from its own eigenvalues (in place of the slowest mode's alone)."""
    f, said = one.facts(), verdict(one)
    if "still" in f or f["outcome"]["outcome"] == "diverged":
        return said
    told = [s for s in said if s.key != "why_rates" and not any(c["claim"] == "damping" for c in s.claims)]
    rates = directions(one)
    plain = one.baseline is not None and f["plain_outcome"]["outcome"] != "diverged"
    return [*told, _pace(rates, plain), *_motions(rates, one.baseline is not None)]


def _pace(rates: dict, plain: bool) -> Line:
    """The direction that sets the pace (the larger ρ among those the run moves in), with momentum and, when
    plain gradient descent ran beside and did not diverge, without; or the one direction the run moves in."""
    rows = [row for row in rates["directions"] if row["moves"]]
    slow, mslow = rates["plain_slowest"], rates["slowest"]
    values = dict(
        rho=fmt(max(row["rho"] for row in rows)),
        plain_rho=fmt(max(row["plain_rho"] for row in rows)),
        slow=slow if plain else mslow,
        mslow=mslow,
    )
    if len(rows) == 1:
        key = "rav_one_dir" if plain else "rav_one_dir_plain"
        other = next(row["name"] for row in rates["directions"] if not row["moves"])
        return line(key, [rates], dir=mslow, other=other, **values)
    if not plain:
        key = "rav_alike_plain" if mslow == "both" else "rav_slow_plain"
    elif slow == "both":
        key = "rav_alike" if mslow == "both" else "rav_slow_momentum"
    else:
        key = "rav_slow_even" if mslow == "both" else "rav_slow"
    return line(key, [rates], **values)


MOTION = {"under-damped": "rav_dir_swing", "flipping": "rav_dir_flip"}  # else: it comes in from one side


def _motions(rates: dict, momentum: bool) -> list[Line]:
    """How the run moves along each direction it moves in, the steep one (y) first: one direction for both
    when they are alike (κ = 1)."""
    rows = [row for row in reversed(rates["directions"]) if row["moves"]]
    alike = len(rows) == 2 and rows[0]["curvature"] == rows[1]["curvature"]
    named = [(rows[0], Phrase("rav_xy"))] if alike else [(row, row["name"]) for row in rows]
    return [said for row, where in named for said in _motion(row, where, momentum)]


def _motion(row: dict, where, momentum: bool) -> list[Line]:
    """One direction's motion: plain gradient descent's factor 1 − αλ (it flips side when it is negative),
    then with momentum its two eigenvalues (a complex pair swings, a negative dominant one flips, real ones
    that are not negative come in from one side)."""
    gd = "rav_gd_flip" if row["plain_eigenvalue"] < 0 else "rav_gd_side"
    said = [line(gd, [row], dir=where, plain_eig=fmt(row["plain_eigenvalue"]))]
    if momentum:
        key = MOTION.get(row["regime"], "rav_dir_side")
        said.append(line(key, [row], dir=where, rho=fmt(row["rho"]), eig=fmt(row["eigenvalues"][0][0])))
    return said


def _moving(c: dict) -> int:
    return sum(row["moves"] for row in c["direction_rates"]["directions"])


def _dominant(c: dict) -> tuple[float, float]:
    return tuple(c["direction"]["eigenvalues"][0])


ASSERTS.update(
    {
        "rav_slow": lambda c: (
            _moving(c) == 2
            and c["direction_rates"]["plain_slowest"] not in (None, "both")
            and c["direction_rates"]["slowest"] != "both"
        ),
        "rav_slow_even": lambda c: (
            _moving(c) == 2
            and c["direction_rates"]["plain_slowest"] not in (None, "both")
            and c["direction_rates"]["slowest"] == "both"
        ),
        "rav_slow_momentum": lambda c: (
            _moving(c) == 2
            and c["direction_rates"]["plain_slowest"] == "both"
            and c["direction_rates"]["slowest"] != "both"
        ),
        "rav_alike": lambda c: (
            _moving(c) == 2
            and c["direction_rates"]["plain_slowest"] == c["direction_rates"]["slowest"] == "both"
        ),
        "rav_slow_plain": lambda c: _moving(c) == 2 and c["direction_rates"]["slowest"] != "both",
        "rav_alike_plain": lambda c: _moving(c) == 2 and c["direction_rates"]["slowest"] == "both",
        "rav_one_dir": lambda c: _moving(c) == 1,
        "rav_one_dir_plain": lambda c: _moving(c) == 1,
        "rav_dir_swing": lambda c: c["direction"]["regime"] == "under-damped" and _dominant(c)[1] != 0,
        "rav_dir_flip": lambda c: c["direction"]["regime"] == "flipping" and _dominant(c)[0] < 0,
        "rav_dir_side": lambda c: _dominant(c)[1] == 0 and _dominant(c)[0] >= 0,
        "rav_gd_flip": lambda c: c["direction"]["plain_eigenvalue"] < 0,
        "rav_gd_side": lambda c: c["direction"]["plain_eigenvalue"] >= 0,
    }
)


def map_limit(land: Landscape) -> Line:
    """What β does to the stable α on the map, at the run's β (or at 0.9 for a run without momentum)."""
    one = land.lesson
    beta = one.params["beta"] or 0.9
    limit = claims.stable_limit(land.variant, one.params["lr"], beta, float(land.problem.curvatures[-1]))
    key = "ls_gd_narrowed" if limit["change"] == "narrowed" else "ls_gd"
    return line(key, [limit], limit=fmt_param(limit["momentum"]), beta=fmt_param(beta))


# ---- the noise lecture: is momentum less erratic? (gdcore.noisy's claims)

NOISE_NAMES = ("noise_name_plain", "noise_name_momentum", "noise_name_matched")  # Noise's runs, as said
SETTLING = 0.1  # a tail whose exact RMS is over 10 % from the settled spread is still settling
TEXTBOOK = 0.9  # the additive model is said when it predicts under 90 % of the exact spread


def noise_names(subject) -> list:
    """How each run of the noise lecture is named at the start of a sentence: a Phrase for Noise's three
    runs (plain SGD at α, momentum, plain SGD at α/(1 − β)), the label for a comparison's ("β = 0.5")."""
    if isinstance(subject, NoiseComparison):
        return [subject.label(i) for i in range(len(subject.lessons))]
    values = {
        "lr": fmt_param(subject.params["lr"]),
        "beta": fmt_param(subject.params["beta"]),
        "lr2": fmt_param(subject.lessons[2].params["lr"]),
    }
    return [Phrase(key, values) for key in NOISE_NAMES]


def noise_predict(subject) -> Line:
    """The question before the runs, with their values: which will jitter least once settled?"""
    p, b = subject.params, subject.params["batch_size"]
    if isinstance(subject, NoiseComparison):
        symbol = HYPERPARAMETERS[subject.varied].symbol
        if symbol is None:
            return Line("noise_cmp_predict_variants", dict(values=", ".join(subject.values), b=b), [])
        return Line(
            "noise_cmp_predict", dict(symbol=symbol, values=Listing(map(fmt_param, subject.values)), b=b), []
        )
    values = dict(lr=fmt_param(p["lr"]), beta=fmt_param(p["beta"]), b=b)
    key = {1: "noise_predict_plain", 2: "noise_predict_ema", 3: "noise_predict"}[len(noise_runs(subject))]
    return Line(key, {**values, "lr2": fmt_param(subject.lessons[2].params["lr"])}, [])


def noise_runs(subject) -> list:
    """The runs the noise lecture draws, by index: every run of a comparison; Noise's three, or at β = 0 only
    plain SGD's (the three are then one run), and for ema the first two (ema averages the gradients: its
    stride on a steady slope is α itself, so plain SGD at α is also its matched run)."""
    if isinstance(subject, NoiseComparison):
        return list(range(len(subject.lessons)))
    if subject.params["beta"] == 0:
        return [0]
    return [0, 1] if subject.params["variant"] == "ema" else [0, 1, 2]


def noise_events(subject) -> list[tuple[int, Line]]:
    """Captions at the runs' events, by step: each drawn run reaching its floor (the first one also says
    that it jitters inside its band from then on) or diverging."""
    facts, names = subject.facts(), noise_names(subject)
    floor = "noise_ev_floor" if facts["batch"]["factor"] > 0 else "noise_ev_settled"  # no noise: no floor
    found = []
    for i in noise_runs(subject):
        o = facts["runs"][subject.label(i)]["outcome"]
        if o["step"] and o["outcome"] in ("settled", "diverged"):
            found.append(
                (o["step"], floor if o["outcome"] == "settled" else "noise_ev_diverged", names[i], o)
            )
    found.sort(key=lambda event: event[0])
    first = next((j for j, event in enumerate(found) if event[1] == "noise_ev_floor"), None)
    return [
        (k, line(key + ("_first" if j == first else ""), [o], name=name, k=k))
        for j, (k, key, name, o) in enumerate(found)
    ]


def noise_verdict(subject) -> list[Line]:
    """The noise lecture's verdict: did momentum jitter less than plain SGD at the same α, and than plain SGD
    at its effective step; each run's measured spread beside the exact theory's; the textbook model where it
    falls short; who reached its floor first. β = 0 (one run) and the full gradient (no noise) are said as
    such."""
    facts, names = subject.facts(), noise_names(subject)
    first = _noise_first(subject, facts)
    if facts["batch"]["factor"] == 0:
        return [line("noise_full", [facts["batch"]], n=facts["batch"]["samples"]), *first]
    if subject.params["beta"] == 0:
        said = [line("noise_one", facts["calmer"], lr=fmt_param(subject.params["lr"]))]
        return [*said, _spread(facts["runs"]["plain"], names[0]), *first]
    drawn = [RUNS[i] for i in noise_runs(subject)]
    pairs = [_calmer(claim, subject) for claim in facts["calmer"] if claim["than"] in drawn]
    said = [pair for pair in pairs if pair is not None]
    said += [_spread(facts["runs"][label], name) for label, name in zip(RUNS, names) if label in drawn]
    runs = {label: f for label, f in facts["runs"].items() if label in drawn}
    return said + _textbook(runs, names) + first


def noise_compare_verdict(subject) -> list[Line]:
    """A noise comparison's verdict: which run jittered least (or a tie, or none: every run diverged), each
    run's spread beside the theory's, the textbook model where it falls short, who reached its floor first."""
    facts, names = subject.facts(), noise_names(subject)
    calm, runs = facts["calmest"], facts["runs"]
    if not calm["winners"]:
        said = [line("noise_cmp_none", [calm])]
    elif len(calm["winners"]) > 1:
        m = fmt_param(calm["measured"][calm["winners"][0]], 3)
        said = [line("noise_cmp_calmest_tie", [calm], names=Listing(calm["winners"]), m=m)]
    else:
        winner = calm["winners"][0]
        said = [
            line(
                "noise_cmp_calmest",
                [calm],
                name=winner,
                m=fmt_param(calm["measured"][winner], 3),
                count=len(last_quarter(subject.params["steps"])),
            )
        ]
    said += [_spread(runs[label], name) for label, name in zip(runs, names)]
    return said + _textbook(runs, names) + _noise_first(subject, facts)


def _calmer(claim: dict, subject) -> Line | None:
    """Momentum against plain SGD at the same α or at its effective step: more, less or alike, with both
    spreads; None when either has no spread to compare (it diverged: its own line says so)."""
    seen = claim["measured"]
    if None in seen.values():
        return None
    kind = {claim["run"]: "less", claim["than"]: "more", "tie": "alike"}[claim["winner"]]
    return line(
        f"noise_vs_{claim['than']}_{kind}",
        [claim],
        m=fmt_param(seen[claim["run"]], 3),
        p=fmt_param(seen[claim["than"]], 3),
        lr2=fmt_param(subject.lessons[2].params["lr"]),
        count=len(last_quarter(subject.params["steps"])),
    )


def _spread(f: dict, name) -> Line:
    """One run's jitter: measured beside the exact theory's (settled, or still settling over the tail), or
    why it has no floor, or where and why it diverged."""
    s, st, o = f["spread"], f["stability"], f["outcome"]
    rates = dict(rho=fmt(st["rho"]), rho2=fmt(st["second_moment_rho"]))
    count = s["steps"][1] - s["steps"][0] + 1
    if o["outcome"] == "diverged":
        key = "noise_spread_diverged" if st["rho"] >= 1 else "noise_spread_diverged_noise"
        if st["rho"] < 1 and st["second_moment_rho"] < 1:
            key = "noise_ev_diverged"  # neither the mean nor the noise says why: where, only
        return line(key, [o, st], name=name, k=o["step"], **rates)
    m = fmt_param(s["measured"], 3)
    if s["predicted"] is None:
        key = "noise_spread_unbounded" if st["rho"] < 1 else "noise_spread_unstable"
        return line(key, [s, st], name=name, m=m, count=count, **rates)
    settled = abs(s["expected"] - s["predicted"]) <= SETTLING * s["predicted"]
    values = dict(name=name, m=m, p=fmt_param(s["predicted"], 3), count=count)
    if settled:
        return line("noise_spread", [s], **values)
    return line("noise_spread_settling", [s], e=fmt_param(s["expected"], 3), **values)


def _textbook(runs: dict, names: list) -> list[Line]:
    """The additive (textbook) model's spread for the run it falls shortest for, when it predicts under
    TEXTBOOK of the exact spread: the noise of a batch also grows with the distance from the best fit."""
    short = [
        (f["spread"]["additive"] / f["spread"]["predicted"], f["spread"], name)
        for f, name in zip(runs.values(), names)
        if f["spread"]["predicted"] and f["spread"]["additive"] is not None
    ]
    if not short:
        return []
    share, s, name = min(short, key=lambda found: found[0])
    if share >= TEXTBOOK:
        return []
    a, p = fmt_param(s["additive"], 3), fmt_param(s["predicted"], 3)
    return [line("noise_additive", [s], name=name, a=a, p=p)]


def _noise_first(subject, facts: dict) -> list[Line]:
    """Who reached its floor first (one run, several at once, none), or at β = 0 when the one run did."""
    first, names = facts["floor_first"], noise_names(subject)
    labels = [subject.label(i) for i in range(len(subject.lessons))]
    if isinstance(subject, Noise) and subject.params["beta"] == 0:
        k = first["runs"]["plain"]
        if k is None:
            return [line("noise_floor_one_none", [first], count=subject.params["steps"])]
        return [line("noise_floor_one", [first], k=k)]
    kind = "floor" if facts["batch"]["factor"] > 0 else "settled"  # the full gradient: no noise, no floor
    if not first["winners"]:
        return [line(f"noise_{kind}_none", [first], count=subject.params["steps"])]
    if len(first["winners"]) > 1:
        return [line(f"noise_{kind}_tie", [first], k=first["step"])]
    name = names[labels.index(first["winners"][0])]
    return [line(f"noise_{kind}_first", [first], name=name, k=first["step"])]


def _pair(kind: str) -> Callable[[dict], bool]:
    """The calmer line of momentum against `than` says `kind` (more, less, alike) with both spreads measured."""

    def holds(c: dict) -> bool:
        claim = c["calmer"]
        winner = {"less": claim["run"], "more": claim["than"], "alike": "tie"}[kind]
        return claim["winner"] == winner and None not in claim["measured"].values()

    return holds


def _spread_is(kind: str) -> Callable[[dict], bool]:
    """The spread line says the run settled near its theory (settled) or was still settling (settling)."""

    def holds(c: dict) -> bool:
        s = c["spread"]
        if s["predicted"] is None or s["measured"] is None or s["expected"] is None:
            return False
        near = abs(s["expected"] - s["predicted"]) <= SETTLING * s["predicted"]
        return near == (kind == "settled")

    return holds


ASSERTS.update(
    {
        **{
            f"noise_vs_{than}_{kind}": _pair(kind)
            for than in ("plain", "matched")
            for kind in ("more", "less", "alike")
        },
        "noise_one": lambda c: c["calmer"]["winner"] == "tie",
        "noise_full": lambda c: c["batch"]["factor"] == 0,
        "noise_spread": _spread_is("settled"),
        "noise_spread_settling": _spread_is("settling"),
        "noise_spread_unbounded": lambda c: (
            c["stability"]["spread"] == "unbounded"
            and c["stability"]["rho"] < 1
            and c["spread"]["measured"] is not None
        ),
        "noise_spread_unstable": lambda c: c["stability"]["rho"] >= 1 and c["spread"]["measured"] is not None,
        "noise_spread_diverged": lambda c: _outcome("diverged")(c) and c["stability"]["rho"] >= 1,
        "noise_spread_diverged_noise": lambda c: (
            _outcome("diverged")(c) and c["stability"]["rho"] < 1 <= c["stability"]["second_moment_rho"]
        ),
        "noise_additive": lambda c: (
            c["spread"]["additive"] is not None
            and c["spread"]["additive"] < TEXTBOOK * c["spread"]["predicted"]
        ),
        **{
            f"noise_{kind}_first": lambda c: len(c["floor_first"]["winners"]) == 1
            for kind in ("floor", "settled")
        },
        **{
            f"noise_{kind}_tie": lambda c: len(c["floor_first"]["winners"]) > 1
            for kind in ("floor", "settled")
        },
        **{f"noise_{kind}_none": lambda c: not c["floor_first"]["winners"] for kind in ("floor", "settled")},
        "noise_floor_one": lambda c: c["floor_first"]["runs"]["plain"] is not None,
        "noise_floor_one_none": lambda c: c["floor_first"]["runs"]["plain"] is None,
        "noise_ev_floor": _outcome("settled"),
        "noise_ev_settled": _outcome("settled"),
        "noise_ev_floor_first": _outcome("settled"),
        "noise_ev_diverged": _outcome("diverged"),
        "noise_cmp_calmest": lambda c: len(c["calmest"]["winners"]) == 1,
        "noise_cmp_calmest_tie": lambda c: len(c["calmest"]["winners"]) > 1,
        "noise_cmp_none": lambda c: not c["calmest"]["winners"],
    }
)


# ---- the regression: how near the least-squares and the true coefficients its fit ended; runs on mini-batches

# A run on mini-batches never settles exactly: it jitters about the minimum, and "settled" is where it reached
# its noise floor (gdcore.batches.reached_floor). Each sentence that says a run settled has one that says so
# instead, which line() picks when the claims are a noisy run's; sentences that explain by ρ alone have none.
FLOOR_KEYS = {
    "converged": "floor_reached",
    "not_settled": "floor_not_reached",
    "not_settled_edge": "floor_not_reached",
    **{f"race_{who}": f"race_floor_{who}" for who in ("momentum", "momentum_alone", "plain", "plain_alone")},
    "race_tie": "race_floor_tie",
    **{f"race_neither_{who}": f"race_floor_neither_{who}" for who in ("momentum", "plain", "even")},
    **{f"ev_settled_{who}": f"ev_floor_{who}" for who in ("momentum", "plain", "run")},
    **dict.fromkeys(
        ("cmp_fastest", "cmp_fastest_rho", "cmp_same_rho", "cmp_same_rho_sqrt"), "cmp_floor_fastest"
    ),
    **dict.fromkeys(("cmp_tie", "cmp_tie_same_rho"), "cmp_floor_tie"),
    "cmp_none": "cmp_floor_none",
    "cmp_none_even": "cmp_floor_none_even",
    "cmp_fate_settled": "cmp_fate_floor",
    "cmp_fate_not_settled": "cmp_fate_floor_not",
}
PREDICT_FLOOR = {
    key: key.replace("predict_", "predict_floor_")
    for key in ("predict_race", "predict_plain", "predict_compare", "predict_variants")
}
EXACT = 1e-9  # a distance or share this small (relative) is rounding: the fit is exact


def noisy(c: dict) -> bool:
    """Whether the claims (by kind) are about runs on mini-batches."""
    return any(isinstance(claim, dict) and "batch_size" in claim for claim in c.values())


def on_batches(key: str, claims: list, values: dict) -> tuple[str, dict]:
    """The key and values said instead of `key` when its claims are a noisy run's (FLOOR_KEYS; its batch size
    as `batch`), else `key` and `values`."""
    sizes = [claim["batch_size"] for claim in claims if "batch_size" in claim]
    if not sizes or key not in FLOOR_KEYS:
        return key, values
    return FLOOR_KEYS[key], {**values, "batch": sizes[0]}


def predict_fit(subject) -> Line:
    """The regression's question (predict): on mini-batches, who reaches its noise floor first."""
    said, size = predict(subject), subject.params.get("batch_size")
    if size is None or said.key not in PREDICT_FLOOR:
        return said
    return Line(PREDICT_FLOOR[said.key], {**said.values, "batch": size}, said.claims)


def regression_verdict(lesson: Lesson) -> list[Line]:
    """A regression's verdict: verdict() (in a noisy run's words on mini-batches), then how near the
    least-squares coefficients the fit ended (as a share of its start's distance), and how far those are from
    the true coefficients (a share of the coefficients' size) or, for a file's data, how much of y's variance
    no plane explains. Nothing is added after a divergence or for a run that never moved."""
    f = lesson.facts()
    said = verdict(lesson)
    if "still" in f or f["outcome"]["outcome"] == "diverged":
        return said
    synthetic = lesson.problem.true_params is not None
    fit = claims.fit(lesson.run, lesson.params["noise"] if synthetic else None)
    o, gap = f["outcome"], Percent(fit["end"] / fit["start"] if fit["start"] > 0 else 0.0)
    if "batch_size" in o:
        said.append(line("reg_gap_floor", [o, fit], share=gap, batch=o["batch_size"]))
    elif o["outcome"] == "settled":
        said.append(line("reg_gap_settled", [o, fit], share=gap))
    if synthetic:
        key = "reg_truth" if fit["noise"] > 0 else "reg_truth_exact"
        off = Percent(fit["true_gap"] / fit["size"] if fit["size"] > 0 else 0.0)
        return said + [line(key, [fit], share=off, noise=fmt_param(fit["noise"]))]
    key = "reg_residual" if fit["unexplained"] > EXACT else "reg_residual_none"
    values = dict(share=Percent(fit["unexplained"]), loss=fmt(fit["lowest_loss"]), y=lesson.problem.names[2])
    return said + [line(key, [fit], **values)]


def _full_batch(holds: Callable[[dict], bool]) -> Callable[[dict], bool]:
    return lambda c: holds(c) and not noisy(c)


def _on_floor(holds: Callable[[dict], bool]) -> Callable[[dict], bool]:
    return lambda c: holds(c) and noisy(c)


def _floor_asserts() -> dict[str, Callable[[dict], bool]]:
    """Each noise floor's sentence asserts what the first sentence it stands for does, of a noisy run; those
    sentences (and why_rates) of a run on the full gradient only."""
    settled = {key: ASSERTS[key] for key in [*FLOOR_KEYS, "why_rates"]}
    found = {}
    for old, new in FLOOR_KEYS.items():
        found.setdefault(new, _on_floor(settled[old]))
    return {**found, **{key: _full_batch(holds) for key, holds in settled.items()}}


ASSERTS.update(_floor_asserts())
ASSERTS.update(
    {
        "floor_not_reached": _on_floor(_outcome("not_settled")),  # whatever ρ: its words do not name it
        "reg_gap_settled": lambda c: (
            _outcome("settled")(c) and not noisy(c) and c["fit"]["end"] <= SETTLE_TOL * c["fit"]["start"]
        ),
        "reg_gap_floor": lambda c: noisy(c) and c["outcome"]["outcome"] != "diverged",
        "reg_truth": lambda c: c["fit"]["true"] is not None and c["fit"]["noise"] > 0,
        "reg_truth_exact": lambda c: (
            c["fit"]["noise"] == 0 and c["fit"]["true_gap"] <= EXACT * max(c["fit"]["size"], 1.0)
        ),
        "reg_residual": lambda c: c["fit"]["true"] is None and c["fit"]["unexplained"] > EXACT,
        "reg_residual_none": lambda c: c["fit"]["true"] is None and c["fit"]["unexplained"] <= EXACT,
    }
)
