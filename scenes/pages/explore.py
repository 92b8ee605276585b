"""The explorer: <output>/explore/<scene>-<lang>-<grid>.html, one self-contained page (template explore.html)
where a student moves α, β, the rule and the step and sees gdcore's run, loss, (α, β) map and verdict for them.

Any lecture whose problem declares an EXPLORER (gdcore.explorer.Explorer) has one, built from that declaration
alone: what the page draws (a curve or a plane), which arrays it stores beside the positions, how a grid point
is told (the story's function the lecture itself speaks with). Nothing here names a lecture.

Every number on the page is gdcore's: a grid of Lessons over (rule, α, β), computed here when the page is
written (gdcore.lesson.teach_grid, a few α at a time: the same Lessons as one by one) and stored compactly;
the page's JavaScript only looks them up (it runs no update rule). A page stores the steps `stored_steps`
picks (all of them, or every k-th and the last, so that any number of steps fits in MAX_BYTES). Positions
are stored as the page writes them (DIGITS significant digits: each value's digits and exponent), arrows to
QUANTUM × the run's scale, the loss's excess over its minimum as log₁₀ to LOG_QUANTUM decades; delta-coded
along the steps and deflated; the verdict's sentences and claims are tables of unique strings with
indices. The grid is cached: a second language costs no run. A page's name holds a digest of its grid, so
a render never rewrites the page another video's card links to."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import math
import pickle
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import numpy as np

from gdcore import LECTURES, VARIANTS, Lesson, ParameterError, check, compare
from gdcore.compare import gather
from gdcore.explorer import Explorer
from gdcore.lesson import checked, teach, teach_grid

from ..kit import style
from ..pipeline.files import cache_dir, replace_file
from ..words import locales, story
from ..words.captions import text

SIDE = 41  # grid values of α and of β
BETAS = tuple(k / 40 for k in range(40)) + (0.99,)  # β = 0 first: plain gradient descent is column 0
DIGITS = 4  # significant digits of a position, as the page writes it (captions.written)
QUANTUM, LOG_QUANTUM, LOG_FLOOR = 1e-3, 1e-3, -30.0  # arrows (× scale), the loss (decades), its floor
MAX_BYTES = 3_000_000  # a page that a USB stick, a phone and a notebook cell take
KEPT = 4_000_000  # values a grid keeps (runs × steps × columns) at most: a page samples its steps from them
TAUGHT = 1_500_000  # run-steps taught at once (memory: a few hundred MB at most)
TEMPLATE, SCRIPT = Path(__file__).with_name("explore.html"), Path(__file__).with_name("explore.js")
COLORS = {
    "ball": style.BALL,
    "plain": style.GHOST,
    "velocity": style.VELOCITY,
    "push": style.GRADIENT,
    "curve": style.CURVE,
    "bad": style.BAD,
    "text": style.TEXT,
    "muted": style.MUTED,
}
OUTCOMES = ("converged", "not settled", "diverged")
GRID_FORMAT = 2  # raise it when `stored` keeps something else: cached grids are then computed again


def explorable(scene: str) -> bool:
    """Whether lecture `scene` declares an explorer."""
    return scene in LECTURES and LECTURES[scene].EXPLORER is not None


def declared(scene: str) -> Explorer:
    """The explorer lecture `scene` declares; ParameterError when it declares none."""
    if not explorable(scene):
        having = ", ".join(name for name in LECTURES if explorable(name))
        raise ParameterError("scene", scene, f"a lecture with an explorer ({having})", "it has no explorer")
    return LECTURES[scene].EXPLORER


SCENES = tuple(name for name in LECTURES if explorable(name))  # the lectures with one, when gdcore loaded


def words(lang: str, scene: str) -> dict[str, str]:
    """The explorer's interface words in `lang` (its explore_… messages) and the lecture's name ("name")."""
    language, prefix = locales.load(lang), "explore_"
    found = {key[len(prefix) :]: t for key, t in language.messages.items() if key.startswith(prefix)}
    return {**found, "name": language.message(f"page_scene_{scene}")}


@dataclass(frozen=True)
class Grid:
    """gdcore's runs over (rule, α, β): runs[v][i][j] is (numbers (L, C) float, lines, ρ, outcome, diverged
    at) for VARIANTS[v], lrs[i], betas[j]; numbers' rows are the run's stored steps (`shown`, up to its
    last), its columns the positions, the declared arrows and the loss; params: the fixed ones."""

    scene: str
    params: dict
    lrs: tuple
    betas: tuple
    shown: tuple
    runs: tuple
    lowest: float
    scale: float


def nice(values: np.ndarray) -> list[float]:
    """Values rounded to 2 significant digits (3 where 2 would make two of them equal)."""
    for digits in (2, 3, 4):
        out = [float(f"{v:.{digits}g}") for v in values]
        if len(set(out)) == len(out):
            return out
    return [float(v) for v in values]


def with_value(grid: list[float], value: float | None, log: bool) -> tuple:
    """`grid` with its value nearest `value` replaced by `value` (the setting asked for is on the grid)."""
    if value is None or value in grid:
        return tuple(grid)
    scale = np.log if log else (lambda a: np.asarray(a, dtype=float))
    far = np.abs(scale(np.array(grid[1:] if not log else grid)) - scale(value))
    i = int(np.argmin(far)) + (0 if log else 1)  # β's column 0 stays plain gradient descent
    return tuple(sorted({*grid[:i], value, *grid[i + 1 :]}))


def axes(scene: str, params: dict, given: dict) -> tuple[tuple, tuple]:
    """The grid's α values (geometric, from the declared share of the default α to past the widest stable
    α) and β values, each holding the value asked for."""
    lecture, explorer = LECTURES[scene], declared(scene)
    top = explorer.lr_high / float(lecture.from_params(params).curvatures[-1])
    low = explorer.lr_low * lecture.DEFAULTS["lr"]
    lrs = with_value(nice(np.geomspace(low, top, SIDE)), given.get("lr"), log=True)
    return lrs, with_value(list(BETAS), given.get("beta") or None, log=False)


def opening(scene: str, params: dict) -> dict:
    """The options an explorer opens on for a video's parameters (a sidecar's or a subject's): a list on an
    option the lecture does not compare by design gives its first value (a comparison opens on its first
    run); the lecture's compared option keeps its list."""
    compares = LECTURES[scene].COMPARES
    return {
        k: v[0] if isinstance(v, (list, tuple)) and k != compares else v
        for k, v in params.items()
        if k in LECTURES[scene].DEFAULTS
    }


def setting(scene: str, given: dict) -> tuple[dict, dict]:
    """(the lecture's checked parameters, the setting shown first) from the options given; a list of β
    opens on its first β > 0. Raises ParameterError for a bad value or a lecture without an explorer."""
    declared(scene)
    given = dict(given)
    beta = given.get("beta")
    if isinstance(beta, (tuple, list)):
        given["beta"] = next((b for b in (check("beta", b) for b in beta) if b), 0.0)
    elif beta is None and LECTURES[scene].COMPARES == "beta":
        given["beta"] = next(b for b in LECTURES[scene].DEFAULTS["beta"] if b)
    params = checked(scene, given)
    return params, {"lr": params["lr"], "beta": params["beta"], "variant": params["variant"]}


def stored_steps(scene: str, params: dict) -> tuple[int, ...]:
    """The steps a grid keeps: every one when its values fit in KEPT, else every k-th and the last (steps 0,
    k, 2k, …, N)."""
    problem = LECTURES[scene].from_params(params)
    columns = len(problem.param_names) * (1 + len(declared(scene).arrows)) + 1
    runs, steps = len(VARIANTS) * (SIDE + 1) ** 2, params["steps"]
    stride = max(1, math.ceil(runs * (steps + 1) * columns / KEPT))
    return tuple(sorted({*range(0, steps + 1, stride), steps}))


def point(scene: str, params: dict, shown: tuple) -> tuple:
    """One grid point (see Grid.runs) from gdcore's Lesson taught alone (a pairs lecture: its Comparison of
    β = 0 with β). `points` teaches the grid together: the same numbers."""
    explorer = declared(scene)
    tell = getattr(story, explorer.verdict)
    if explorer.pairs:
        shared = {k: v for k, v in params.items() if k != "beta"}
        c = compare(scene, "beta", (0.0, params["beta"]) if params["beta"] else (0.0,), **shared)
        return stored(explorer, c.lessons[-1], tell(c), shown)
    one: Lesson = teach(scene, params)
    return stored(explorer, one, tell(one), shown)


def stored(explorer: Explorer, one: Lesson, lines: list, shown: tuple) -> tuple:
    """What a grid point keeps of its Lesson and verdict lines (see Grid.runs): its rows at the stored steps
    it reached."""
    run = one.run
    rows = [k for k in shown if k <= run.last_step]
    arrays = [run.positions, *(getattr(one, name) for name in explorer.arrows), run.losses[:, None]]
    numbers = np.column_stack([a[rows] for a in arrays])
    outcome = OUTCOMES.index(one.verdict.outcome.value)
    return numbers, lines, float(one.verdict.rho), outcome, run.diverged_at


def points(scene: str, params: dict, lrs: tuple, betas: tuple, shown: tuple) -> list[list[tuple]]:
    """[i][j]: point(scene, {**params, "lr": lrs[i], "beta": betas[j]}, shown), from gdcore's Lessons of the
    (α, β) grid of one rule taught together (gdcore.lesson.teach_grid), as many α at once as TAUGHT allows."""
    explorer = declared(scene)
    tell = getattr(story, explorer.verdict)
    columns = betas if 0.0 in betas or not explorer.pairs else (0.0, *betas)
    at_once = max(1, TAUGHT // (len(columns) * (2 * params["steps"] + 1)))
    rows = []
    for first in range(0, len(lrs), at_once):
        for lessons in teach_grid(scene, params, lrs[first : first + at_once], columns):
            by_beta = dict(zip(columns, lessons))
            if explorer.pairs:  # each β beside plain gradient descent, as the lecture compares them
                pairs = [(by_beta[0.0], by_beta[b]) if b else (by_beta[0.0],) for b in betas]
                rows.append([stored(explorer, p[-1], tell(gather("beta", p)), shown) for p in pairs])
            else:
                rows.append([stored(explorer, by_beta[b], tell(by_beta[b]), shown) for b in betas])
    return rows


def grid(scene: str, params: dict, lrs: tuple, betas: tuple) -> Grid:
    """gdcore's runs at every (rule, α, β) of the grid, the other parameters `params`; from the cache when
    the same grid was computed by the same code before."""
    fixed = {k: v for k, v in params.items() if k not in ("lr", "beta", "variant")}
    path = cache_dir() / "explore" / f"{grid_key(scene, fixed, lrs, betas)}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    shown = stored_steps(scene, params)
    runs = tuple(
        tuple(map(tuple, points(scene, {**fixed, "variant": v}, lrs, betas, shown))) for v in VARIANTS
    )
    problem = LECTURES[scene].from_params(params)
    start = problem.start(params) - problem.minimizer()
    scale = float(max(np.max(np.abs(start)), np.max(np.abs(problem.minimizer())), 1.0))
    made = Grid(scene, fixed, lrs, betas, shown, runs, float(problem.lowest_loss), scale)
    _store(path, pickle.dumps(made))
    return made


def grid_key(scene: str, fixed: dict, lrs: tuple, betas: tuple) -> str:
    """A grid's digest: the grid, what a point holds (GRID_FORMAT, DIGITS, KEPT) and the source of the code
    that computes its runs and picks its verdict's lines."""
    root = Path(__file__).parents[2]
    sources = sorted((root / "gdcore").glob("*.py")) + [Path(story.__file__)]
    code = b"".join(p.read_bytes() for p in sources)
    kept = [GRID_FORMAT, DIGITS, KEPT, np.__version__]
    what = json.dumps([*kept, scene, fixed, lrs, betas], sort_keys=True, default=str).encode()
    return hashlib.sha1(what + code).hexdigest()[:16]


def _store(path: Path, data: bytes) -> None:
    """Write `data` atomically, its folder made if need be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, data)


def packed(data: bytes) -> str:
    """Deflated (zlib) and base64: the page inflates it with the browser's DecompressionStream."""
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def as_written(values: np.ndarray) -> np.ndarray:
    """(n, 2·d) each value of values (n, d) as the page writes it, to DIGITS significant digits: its digits
    as a signed integer and the power of ten of its last one (value = digits × 10^power; 0 is 0 × 10⁰),
    rounded as captions.written rounds (Python's formatting, which this follows where it cannot differ)."""
    flat = values.ravel()
    size = np.abs(flat)
    with np.errstate(all="ignore"):
        power = np.floor(np.log10(np.where(size > 0, size, 1.0))).astype(np.int64) - DIGITS + 1
        scaled = size * 10.0 ** (-power)
        digits = np.rint(scaled)
        # near a half, a power of ten or the smallest doubles float arithmetic could round otherwise: Python's
        unsure = ~np.isfinite(scaled) | (np.abs(scaled % 1 - 0.5) < 1e-6) | (digits < 10 ** (DIGITS - 1))
    unsure |= (digits >= 10**DIGITS) | (power < -300)
    for k in np.flatnonzero(unsure & (size > 0)):
        mantissa, exponent = f"{size[k]:.{DIGITS - 1}e}".split("e")
        digits[k], power[k] = int(mantissa.replace(".", "")), int(exponent) - DIGITS + 1
    digits, power = np.where(size > 0, digits * np.sign(flat), 0), np.where(size > 0, power, 0)
    return np.column_stack([digits, power]).astype(np.int64).reshape(len(values), -1)


def quantized(g: Grid, every: np.ndarray) -> np.ndarray:
    """(rows, columns) integers: each position as written (as_written), each arrow to QUANTUM × scale, the
    loss as log₁₀ of its excess over the minimum to LOG_QUANTUM decades."""
    d = len(LECTURES[g.scene].param_names)
    excess = np.maximum(every[:, -1] - g.lowest, 1e-300)
    arrows = np.rint(every[:, d:-1] / (QUANTUM * g.scale))
    loss = np.rint(np.maximum(np.log10(excess), LOG_FLOOR) / LOG_QUANTUM)
    limit = 2**30 - 1  # deltas of values within ±2³⁰ fit the int32 the page decodes
    arrows = np.clip(arrows, -limit, limit)
    return np.column_stack([as_written(every[:, :d]), arrows, loss]).astype(np.int64)


def sampled(g: Grid, every: int) -> list[int]:
    """Which of the grid's kept steps a page stores: every `every`-th, and the last."""
    return sorted({*range(0, len(g.shown), every), len(g.shown) - 1})


def numbers(g: Grid, rows_kept: list[int]) -> tuple[list[int], str]:
    """Each run's length and all runs' rows at the kept steps `rows_kept` (indices into g.shown; a run has
    those it reached) as one packed int32 array (quantized), delta-coded along the steps, zigzag-coded (small
    steps of either sign are small numbers) and split into its four byte planes (which deflate far better
    than whole words)."""
    every = [values for by_lr in g.runs for by_beta in by_lr for values, *_ in by_beta]
    rows = [values[[k for k in rows_kept if k < len(values)]] for values in every]
    lengths = [len(values) for values in rows]
    q = quantized(g, np.concatenate(rows))
    steps = np.diff(q, axis=0, prepend=0)
    firsts = np.cumsum([0, *lengths[:-1]])
    steps[firsts] = q[firsts]  # each run starts from its own first row
    steps = steps.ravel()
    zigzag = ((steps << 1) ^ (steps >> 63)).astype("<u4")
    return lengths, packed(zigzag.view(np.uint8).reshape(-1, 4).T.tobytes())


def sentence(lang: str, line: story.Line) -> str:
    """A verdict line in `lang`, filled as the lecture fills it (a basin is named in words)."""
    values = line.values
    if "where" in values:
        values = {**values, "where": text(lang, f"val_where_{values['where']}")}
    return text(lang, line.key, **values)


def verdicts(g: Grid, lang: str) -> str:
    """The packed verdict of every run: tables of unique sentences and claims (JSON), and per run a list of
    [sentence, claim, ...] indices."""
    sentences: dict[str, int] = {}
    claims: dict[str, int] = {}
    known: dict[int, int] = {}  # a claim by id: the grid's points share them (plain GD's beside every β)

    def claim(c: dict) -> int:
        if id(c) not in known:
            text = json.dumps(c, sort_keys=True, ensure_ascii=False, default=float)
            known[id(c)] = claims.setdefault(text, len(claims))
        return known[id(c)]

    per_run = [
        [
            [sentences.setdefault(sentence(lang, one), len(sentences)), *map(claim, one.claims)]
            for one in lines
        ]
        for rows in g.runs
        for row in rows
        for _, lines, *_ in row
    ]
    table = {"sentences": list(sentences), "claims": list(claims), "runs": per_run}
    return packed(json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode())


SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def symbol(name: str) -> str:
    """A parameter's name as the page writes it: its trailing digits as subscripts (w1 → w₁)."""
    head = name.rstrip("0123456789")
    return head + name[len(head) :].translate(SUBSCRIPT)


def picture(scene: str, params: dict) -> dict:
    """What the page draws under the runs, computed by gdcore's problem (its kind, as declared): the curve f
    over the view (with its minima and barrier, if declared), or the loss's level curves over the first two
    parameters around the least-squares point, with the start."""
    explorer, problem = declared(scene), LECTURES[scene].from_params(params)
    start = problem.start(params)
    if explorer.picture == "plane":
        gap0 = max(problem.loss(start) - problem.lowest_loss, 1e-12)
        levels = [
            problem.level_curve(gap0 * share, 72).round(4).tolist()
            for share in (1.05, 0.5, 0.25, 0.1, 0.03, 0.01, 0.003)
        ]
        best = problem.minimizer()[:2].tolist()
        return {"kind": "plane", "levels": levels, "best": best, "start": start[:2].tolist()}
    middle = float(problem.minimizer()[0])
    reach = max(1.25 * abs(float(start[0]) - middle), 1.0)
    low, high = explorer.view or (middle - reach, middle + reach)
    xs = np.linspace(low, high, 161)
    ys = [round(problem.loss(np.array([x])), 5) for x in xs]
    marks = []
    if explorer.marks:
        marks = [[x, f, kind] for x, f, kind in problem.minima()] + [[*problem.barrier(), "barrier"]]
    return {"kind": "curve", "xs": xs.round(4).tolist(), "ys": ys, "marks": marks}


def command(scene: str, lang: str, params: dict) -> tuple[str, str]:
    """The render.py command around what the grid varies (the page puts α, β and the rule between): the
    scene, and the options that differ from the lecture's defaults."""
    defaults = LECTURES[scene].DEFAULTS
    fixed = [
        f"--{k.replace('_', '-')} {v:g}" if not isinstance(v, str) else f"--{k.replace('_', '-')} {v}"
        for k, v in params.items()
        if k not in ("lr", "beta", "variant") and v != defaults.get(k)
    ]
    return f"python render.py --scene {scene}", " ".join(
        [*fixed, *([f"--lang {lang}"] if lang != "en" else [])]
    )


def finite(x: float) -> float | None:
    """x to DIGITS significant digits (what the page writes of it), None when it is not finite (JSON)."""
    return float(f"{x:.{DIGITS}g}") if math.isfinite(x) else None


def page_data(g: Grid, lang: str, params: dict, start: dict, every: int = 1, told: str = "") -> dict:
    """Everything the page shows, as JSON: the grid's axes and the steps stored (every `every`-th kept one,
    and the last), what the lecture declares, the runs, ρ, outcome and the step it diverged at per point,
    the verdicts (`told`, when verdicts() was called already)."""
    explorer, language, kept = declared(g.scene), locales.load(lang), sampled(g, every)
    lengths, runs = numbers(g, kept)
    flat = [p for rows in g.runs for row in rows for p in row]
    return {
        "scene": g.scene,
        "lang": lang,
        "decimal": language.decimal_sign,  # how the page writes its numbers: "0,95" in es and fr
        "listSeparator": language.message("list_separator"),  # "; " between them where "," is decimal
        "words": words(lang, g.scene),
        "lrs": list(g.lrs),
        "betas": list(g.betas),
        "variants": list(VARIANTS),
        "steps": params["steps"],
        "shown": [g.shown[k] for k in kept],
        "names": [symbol(name) for name in LECTURES[g.scene].param_names],
        "arrows": list(explorer.arrows),
        "pairs": explorer.pairs,
        "quantum": QUANTUM * g.scale,
        "logQuantum": LOG_QUANTUM,
        "logFloor": LOG_FLOOR,
        "lowest": g.lowest,
        "start": start,
        "command": command(g.scene, lang, params),
        "picture": picture(g.scene, params),
        "rho": [finite(p[2]) for p in flat],
        "outcome": [p[3] for p in flat],
        "diverged": [-1 if p[4] is None else p[4] for p in flat],
        "lengths": lengths,
        "runs": runs,
        "text": told or verdicts(g, lang),
        "colors": COLORS,
    }


def page_name(scene: str, lang: str, given: dict) -> str:
    """The file name of the explorer for these options in `lang`: <scene>-<lang>-<digest of its grid>.html
    (two videos whose grids differ never share a page; a second language reads the same grid)."""
    params, start = setting(scene, given)
    lrs, betas = axes(scene, params, start)
    fixed = {k: v for k, v in params.items() if k not in ("lr", "beta", "variant")}
    digest = hashlib.sha1(json.dumps([fixed, lrs, betas], sort_keys=True, default=str).encode())
    return f"{scene}-{lang}-{digest.hexdigest()[:10]}.html"


def html(data: dict, lang: str) -> bytes:
    """The page of `data` (page_data) in `lang`, from the template."""
    from jinja2 import Environment, select_autoescape  # once the options are checked: a bad one needs none

    env = Environment(autoescape=select_autoescape(default=True))
    return (
        env.from_string(TEMPLATE.read_text(encoding="utf-8"))
        .render(data=data, words=data["words"], lang=lang, script=SCRIPT.read_text(encoding="utf-8"))
        .encode("utf-8")
    )


def fitted(g: Grid, lang: str, params: dict, start: dict) -> bytes:
    """The page with every step the grid kept, or, when that is over MAX_BYTES, with every k-th of them
    (and the last) for the smallest k found to fit: every lecture a teacher can render has its explorer."""
    every, told = 1, verdicts(g, lang)
    while True:
        data = page_data(g, lang, params, start, every, told)
        page = html(data, lang)
        if len(page) <= MAX_BYTES or every >= len(g.shown):
            return page
        room = 0.97 * MAX_BYTES - (len(page) - len(data["runs"]))  # what the runs may take
        every = max(every + 1, math.ceil(every * len(data["runs"]) / max(room, 1.0)))


def write_explorer(scene: str, lang: str, output: Path, given: dict) -> Path:
    """Write the explorer of lecture `scene` with the options `given` (its setting is the page's first) into
    <output>/explore/, atomically; return its path. Raises ParameterError for a bad value or a lecture
    without an explorer."""
    params, start = setting(scene, given)
    lrs, betas = axes(scene, params, start)
    page = fitted(grid(scene, params, lrs, betas), lang, params, start)
    path = Path(output) / "explore" / page_name(scene, lang, given)
    if not (path.is_file() and path.read_bytes() == page):  # a video from the cache rewrites nothing
        _store(path, page)
    return path


def link(output: Path, scene: str, lang: str, params: dict) -> str | None:
    """The class page's link to the explorer of a video (its scene, language and sidecar parameters), with
    the video's own setting in the address (#lr=…&beta=…&variant=…); None when it has none on disk."""
    if not explorable(scene):
        return None
    try:
        given = opening(scene, params)
        name, start = page_name(scene, lang, given), setting(scene, given)[1]
    except (ParameterError, TypeError, ValueError, KeyError, OSError):
        return None
    if not (Path(output) / "explore" / name).is_file():
        return None
    address = "&".join(f"{k}={quote(repr(v) if isinstance(v, float) else str(v))}" for k, v in start.items())
    return f"explore/{quote(name)}#{address}"


def write_explorer_safely(subject, lang: str, output: Path) -> None:
    """Write the explorer of a rendered lecture (none for lectures without one); a page that cannot be
    written is said in one line and never fails a render."""
    if not explorable(subject.scene):
        return
    try:
        write_explorer(subject.scene, lang, Path(output), opening(subject.scene, dict(subject.params)))
    except Exception as err:  # noqa: BLE001 -- the video matters more than its explorer
        with contextlib.suppress(OSError):
            (Path(output) / "explore").rmdir()  # a folder made for it alone
        print(
            f"warning: could not write the explorer {Path(output) / 'explore'}: {type(err).__name__}: {err}",
            file=sys.stderr,
        )


def timed(scene: str, lang: str, output: Path, given: dict) -> tuple[Path, int, float]:
    """write_explorer, with the page's size in bytes and the seconds it took."""
    began = time.perf_counter()
    path = write_explorer(scene, lang, output, given)
    return path, path.stat().st_size, time.perf_counter() - began
