"""The story of a lecture, decided by the outcome: which sentence each decisive caption says, with which
values, and the claims (gdcore.claims) it rests on. No Manim here: the scenes draw, this decides what is
said, and the tests check every line against gdcore's runs without rendering.

A Line is (catalogue key, values, claims). ASSERTS says, for each key a story can pick, what its sentence
asserts about its claims: a line is only ever said when that holds."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from gdcore import HYPERPARAMETERS, Comparison, Landscape, Lesson, Outcome, claims

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
    """A Line whose sentence holds for its claims (by kind): asserting otherwise is a bug, caught here."""
    by_kind = {claim["claim"]: claim for claim in claims}
    if key in ASSERTS and not ASSERTS[key](by_kind):
        raise AssertionError(f"the caption {key!r} would assert what its claims do not: {claims}")
    return Line(key, values, claims)


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
        key = (
            "predict_valleys"
            if subject.scene == "valleys"
            else "predict_variants"
            if symbol is None
            else "predict_compare"
        )
        return Line(key, dict(symbol=symbol, values=values, x0=fmt_param(subject.params.get("x0", 0.0))), [])
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


def map_limit(land: Landscape) -> Line:
    """What β does to the stable α on the map, at the run's β (or at 0.9 for a run without momentum)."""
    one = land.lesson
    beta = one.params["beta"] or 0.9
    limit = claims.stable_limit(land.variant, one.params["lr"], beta, float(land.problem.curvatures[-1]))
    key = "ls_gd_narrowed" if limit["change"] == "narrowed" else "ls_gd"
    return line(key, [limit], limit=fmt_param(limit["momentum"]), beta=fmt_param(beta))
