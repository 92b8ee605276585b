"""The story of a lecture, decided by the outcome: which sentence each decisive caption says, with which
values, and the claims (gdcore.claims) it rests on. No Manim here: the scenes draw, this decides what is
said, and the tests check every line against gdcore's runs without rendering.

A Line is (catalogue key, values, claims). ASSERTS says, for each key a story can pick, what its sentence
asserts about its claims: a line is only ever said when that holds."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from gdcore import HYPERPARAMETERS, Comparison, Landscape, Lesson, claims

from .captions import Listing, Percent, fmt, fmt_param, times


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
        said.append(_race(lesson, f))
        said += _stable_limit(lesson.params, f)
        why = [f["rate"], f["faster"], *([f["closer"]] if "closer" in f else [])]
        if ASSERTS["why_rates"]({c["claim"]: c for c in why}):
            said.append(
                line("why_rates", why, rho=fmt(f["rate"]["rho"]), plain_rho=fmt(f["rate"]["plain_rho"]))
            )
    if f["outcome"]["outcome"] != "diverged":
        said.append(_damping(f))
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
