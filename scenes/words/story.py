"""The story of a lecture, decided by the outcome: which sentence each decisive caption says, with which
values, and the claims (gdcore.claims) it rests on. No Manim here: the scenes draw, this decides what is
said, and the tests check every line against gdcore's runs without rendering.

A Line is (catalogue key, values, claims). ASSERTS says, for each key a story can pick, what its sentence
asserts about its claims: a line is only ever said when that holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from gdcore import HYPERPARAMETERS, Comparison, Landscape, Lesson, claims

from .captions import Listing, fmt, fmt_param, times


class Line(NamedTuple):
    key: str
    values: dict
    claims: list


def _winner(name: str, both: bool | None = None) -> Callable[[dict], bool]:
    """The line says `name` settled first (both: with both steps known / with the other one unknown)."""

    def holds(c: dict) -> bool:
        f = c["faster"]
        known = None not in f["steps"]
        return f["winner"] == name and (both is None or known == both)

    return holds


def _outcome(kind: str, claim: str = "outcome") -> Callable[[dict], bool]:
    return lambda c: c[claim]["outcome"] == kind


ASSERTS: dict[str, Callable[[dict], bool]] = {
    "converged": _outcome("settled"),
    "not_settled": _outcome("not_settled"),
    "diverged": _outcome("diverged"),
    "race_momentum": _winner("momentum", True),
    "race_momentum_alone": _winner("momentum", False),
    "race_plain": _winner("plain", True),
    "race_plain_alone": _winner("plain", False),
    "race_tie": _winner("tie"),
    "race_neither": _winner("neither"),
    "plain_diverged_widened": lambda c: (
        _outcome("diverged", "plain_outcome")(c) and c["stable_limit"]["change"] == "widened"
    ),
    "plain_diverged_narrowed": lambda c: (
        _outcome("diverged", "plain_outcome")(c) and c["stable_limit"]["change"] != "widened"
    ),
    "limit_narrowed": lambda c: c["stable_limit"]["change"] == "narrowed",
    "why_rates": lambda c: c["rate"]["rho"] < 1 and c["rate"]["plain_rho"] < 1,
    "under-damped": lambda c: c["damping"]["regime"] == "under-damped" and c["events"]["swings"] > 0,
    "under-damped_still": lambda c: c["damping"]["regime"] == "under-damped" and c["events"]["swings"] == 0,
    "critically damped": lambda c: c["damping"]["regime"] == "critically damped",
    "over-damped": lambda c: c["damping"]["regime"] == "over-damped",
    "cmp_fastest": lambda c: len(c["fastest"]["winners"]) == 1,
    "cmp_fastest_rho": lambda c: len(c["fastest"]["winners"]) == 1 and c.get("same_rate") is None,
    "cmp_same_rho": lambda c: _shares_rate(c),
    "cmp_same_rho_sqrt": lambda c: _shares_rate(c),
    "cmp_tie": lambda c: len(c["fastest"]["winners"]) > 1,
    "cmp_none": lambda c: not c["fastest"]["winners"],
    "cmp_diverged": _outcome("diverged"),
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
        for who in ("momentum", "run")
    },
    **{f"ev_crossed_{who}": lambda c: bool(c["events"]["crossings"]) for who in ("momentum", "run")},
    "ls_gd": lambda c: c["stable_limit"]["change"] == "widened",
    "ls_gd_narrowed": lambda c: c["stable_limit"]["change"] == "narrowed",
}


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
    """A single run's verdict: what happened (and why it diverged), who settled first and by how much,
    plain gradient descent's fate, and why, from ρ and damping."""
    f, v = lesson.facts(), lesson.verdict
    said = [_outcome_line(lesson, f)]
    if "faster" in f:
        said.append(_race(lesson, f))
        said += _stable_limit(lesson.params, f)
    if v.outcome.value != "diverged":
        if (
            "faster" in f and max(f["rate"]["rho"], f["rate"]["plain_rho"]) < 1
        ):  # a factor ≥ 1 shrinks nothing
            rates = dict(rho=fmt(f["rate"]["rho"]), plain_rho=fmt(f["rate"]["plain_rho"]))
            said.append(line("why_rates", [f["rate"]], **rates))
        said.append(_damping(lesson, f))
    return said


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
    if o["outcome"] == "diverged":
        return line(
            "diverged",
            [o, f["stable_limit"]],
            k=o["step"],
            lr=fmt_param(params["lr"]),
            limit=fmt_param(v.lr_limit),
            beta=fmt_param(params["beta"]),
        )
    key = "converged" if o["outcome"] == "settled" else "not_settled"
    return line(key, [o, f["rate"]], count=o["step"] if key == "converged" else o["after"], rho=fmt(v.rho))


def _race(lesson: Lesson, f: dict) -> Line:
    """The answer to the predict question: who settled first, by how many steps."""
    race, (km, kp) = f["faster"], f["faster"]["steps"]
    key = {"momentum": "race_momentum", "plain": "race_plain", "tie": "race_tie", "neither": "race_neither"}[
        race["winner"]
    ]
    if race["winner"] in ("momentum", "plain") and None in race["steps"]:
        key += "_alone"
    count = race["by"] if key in ("race_momentum", "race_plain") else lesson.params["steps"]
    return line(
        key,
        [f["outcome"], f["plain_outcome"], race],
        m=km,
        k=kp if kp is not None else km,
        count=count,
        beta=fmt_param(lesson.params["beta"]),
    )


def _damping(lesson: Lesson, f: dict) -> Line:
    d = f["damping"]
    key = d["regime"]
    if key == "under-damped" and not f["events"]["swings"]:
        key = "under-damped_still"
    crit = fmt_param(d["critical_beta"]) if d["critical_beta"] is not None else "—"
    return line(key, [d, f["events"]], beta=fmt_param(d["beta"]), crit=crit)


def compare_verdict(c: Comparison) -> list[Line]:
    """A comparison's verdict: the first to settle (or a tie, or none), why from ρ, and each divergence."""
    facts = c.facts()
    first, same = facts["fastest"], facts["same_rate"]
    claims = [first, *([same] if same else [])]
    if not first["winners"]:
        said = [line("cmp_none", claims, count=max(one.run.last_step for one in c.lessons))]
    elif len(first["winners"]) > 1:
        said = [line("cmp_tie", claims, labels=", ".join(first["winners"]), k=first["step"])]
    else:
        said = [_sole_winner(c, first, same, claims)]
    for label, f in facts["runs"].items():
        if f["outcome"]["outcome"] == "diverged":
            limits = dict(
                lr=fmt_param(f["stable_limit"]["lr"]), limit=fmt_param(f["stable_limit"]["momentum"])
            )
            claimed = [f["outcome"], f["stable_limit"]]
            said.append(line("cmp_diverged", claimed, label=label, k=f["outcome"]["step"], **limits))
    return said


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
    """Where each ball ended and how often it crossed the barrier; the moral fits where they started."""
    facts, said = c.facts(), []
    start = c.problem.basin(c.lessons[0].run.positions[0])
    for i, one in enumerate(c.lessons):
        f = facts["runs"][c.label(i)]
        o, e = f["outcome"], f["events"]
        crossed = {"times": times(len(e["crossings"]))} if e["crossings"] else {}
        if o["outcome"] == "diverged":
            key, values = "val_diverged", {"k": o["step"]}
        elif o["outcome"] == "not_settled":
            key, values = "val_not_settled_crossed" if crossed else "val_not_settled", {"count": o["after"]}
        else:
            key = f"val_crossed_{e['basin']}" if crossed else f"val_stayed_{e['basin']}"
            values = {"k": o["step"], "x": fmt_param(float(one.run.positions[-1, 0]), 3)}
        said.append(line(key, [o, e], label=c.label(i), **values, **crossed))
    escaped = any(f["events"]["crossings"] for f in facts["runs"].values())
    key = (
        "val_moral"
        if start == "local" and escaped
        else "val_moral_stuck"
        if start == "local"
        else "val_moral_deep"
    )
    said.append(Line(key, {}, [f["events"] for f in facts["runs"].values()]))
    return said


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
        found = _events(f, "momentum" if subject.baseline is not None else "run", "")
        if "plain_outcome" in f:
            found += _ends(f["plain_outcome"], "plain", "")
    ends = [e for e in found if e[1].key.startswith(("ev_settled", "ev_diverged"))]
    rest = [e for e in found if e not in ends]
    chosen = ends[:MAX_EVENTS] + rest[: max(MAX_EVENTS - len(ends), 0)]
    return sorted(chosen, key=lambda event: event[0])


def _events(f: dict, who: str, label: str) -> list[tuple[int, Line]]:
    e = f["events"]
    found = _ends(f["outcome"], who, label)
    if e["first_overshoot"] is not None and f["outcome"]["outcome"] != "diverged":
        found.append(
            (e["first_overshoot"], line(f"ev_overshoot_{who}", [e], k=e["first_overshoot"], label=label))
        )
    found += [(k, line(f"ev_crossed_{who}", [e], k=k, label=label)) for k in e["crossings"][:2]]
    return found


def _ends(o: dict, who: str, label: str) -> list[tuple[int, Line]]:
    if o["outcome"] == "not_settled":
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
