"""The explorer: <output>/explore/<scene>-<lang>.html, one self-contained page (template explore.html) where a
student moves α, β, the rule and the step and sees gdcore's run, loss, (α, β) map and verdict for them.

Every number on the page is gdcore's: a grid of Lessons over (rule, α, β), computed here when the page is
written (a rule's whole grid taught at once, gdcore.lesson.teach_grid: the same Lessons as one by one) and
stored compactly; the page's JavaScript only looks them up (it runs no update rule). A grid point's
arrays are quantized to int32 (positions and arrows to QUANTUM × the run's scale, the loss's excess over its
minimum as log₁₀ to LOG_QUANTUM decades), delta-coded along the steps and deflated; the verdict's sentences
and claims are tables of unique strings with indices. The grid is cached: a second language costs no run."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import pickle
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gdcore import LECTURES, VARIANTS, Comparison, Lesson, ParameterError, check, compare
from gdcore.compare import gather
from gdcore.lesson import checked, teach, teach_grid

from ..kit import style
from ..pipeline.files import cache_dir, replace_file
from ..words import locales, story
from ..words.captions import text

SCENES = ("parabola", "regression", "valleys")  # the lectures with an explorer
SIDE = 41  # grid values of α and of β
BETAS = tuple(k / 40 for k in range(40)) + (
    0.99,
)  # β = 0 first: plain gradient descent is the grid's column 0
LR_LOW = 0.1  # α from this share of the lecture's default α ...
LR_TOP = 1.15 * 4.0  # ... to a little past the widest stable α of the heavy ball, 4/λ_max (the (α, β) map's)
QUANTUM, LOG_QUANTUM, LOG_FLOOR = 1e-4, 1e-3, -30.0
MAX_STEPS = (
    400  # the page holds every step of 3 × 41 × 41 runs: more would outgrow MAX_BYTES and take minutes
)
MAX_BYTES = 3_000_000  # a page that a USB stick, a phone and a notebook cell take
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


# The explorer's own words (the captions come from the caption catalogue).
def words(lang: str) -> dict[str, str]:
    """The explorer's interface words in `lang`, from its language file (the explore_… messages)."""
    prefix = "explore_"
    return {
        key[len(prefix) :]: text
        for key, text in locales.load(lang).messages.items()
        if key.startswith(prefix)
    }


@dataclass(frozen=True)
class Grid:
    """gdcore's runs over (rule, α, β): runs[v][i][j] is (numbers (L, C) float, lines, ρ, outcome) for
    VARIANTS[v], lrs[i], betas[j]; numbers' columns are the scene's CHANNELS; params: the fixed ones."""

    scene: str
    params: dict
    lrs: tuple
    betas: tuple
    runs: tuple
    lowest: float
    scale: float


# What each grid point stores per step, besides the loss: the positions, and for the parabola its arrows.
CHANNELS = {"parabola": ("x", "move", "push"), "regression": ("w1", "w2", "b"), "valleys": ("x",)}
OUTCOMES = ("converged", "not settled", "diverged")
GRID_FORMAT = 1  # raise it when `point` stores something else: cached grids are then computed again


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
    """The grid's α values (geometric, from LR_LOW × the default α to past the widest stable α) and β values,
    each holding the value asked for."""
    top = LR_TOP / float(LECTURES[scene].from_params(params).curvatures[-1])
    low = LR_LOW * LECTURES[scene].DEFAULTS["lr"]
    lrs = with_value(nice(np.geomspace(low, top, SIDE)), given.get("lr"), log=True)
    return lrs, with_value(list(BETAS), given.get("beta") or None, log=False)


def setting(scene: str, given: dict) -> tuple[dict, dict]:
    """(the lecture's checked parameters, the setting shown first) from the options given; valleys' β list
    opens on its first β > 0. Raises ParameterError for a bad value."""
    given = dict(given)
    beta = given.get("beta")
    if isinstance(beta, (tuple, list)):
        given["beta"] = next((b for b in (check("beta", b) for b in beta) if b), 0.0)
    elif beta is None and LECTURES[scene].COMPARES == "beta":
        given["beta"] = next(b for b in LECTURES[scene].DEFAULTS["beta"] if b)
    params = checked(scene, given)
    if params["steps"] > MAX_STEPS:
        raise ParameterError("steps", params["steps"], f"an integer in [1, {MAX_STEPS}] for the explorer")
    return params, {"lr": params["lr"], "beta": params["beta"], "variant": params["variant"]}


def point(scene: str, params: dict) -> tuple:
    """One grid point: (numbers (L, C+1): CHANNELS then loss, verdict Lines, ρ, outcome) from gdcore's Lesson
    taught alone (valleys: its Comparison of β = 0 with β). `grid` teaches them together: the same numbers."""
    if scene == "valleys":
        shared = {k: v for k, v in params.items() if k != "beta"}
        c: Comparison = compare(scene, "beta", (0.0, params["beta"]) if params["beta"] else (0.0,), **shared)
        return stored(scene, c.lessons[-1], story.valleys_verdict(c))
    one: Lesson = teach(scene, params)
    return stored(scene, one, story.verdict(one))


def stored(scene: str, one: Lesson, lines: list) -> tuple:
    """What a grid point keeps of its Lesson and verdict lines (see `point`)."""
    run = one.run
    columns = [run.positions] + (
        [one.moves[: len(run.losses)], one.pushes[: len(run.losses)]] if scene == "parabola" else []
    )
    numbers = np.column_stack([*columns, run.losses])
    return numbers, lines, float(one.verdict.rho), OUTCOMES.index(one.verdict.outcome.value)


def points(scene: str, params: dict, lrs: tuple, betas: tuple) -> list[list[tuple]]:
    """[i][j]: point(scene, {**params, "lr": lrs[i], "beta": betas[j]}), from gdcore's Lessons of the whole
    (α, β) grid of one rule taught at once (gdcore.lesson.teach_grid)."""
    columns = betas if 0.0 in betas or scene != "valleys" else (0.0, *betas)
    rows = []
    for lessons in teach_grid(scene, params, lrs, columns):
        by_beta = dict(zip(columns, lessons))
        if scene == "valleys":  # each β beside plain gradient descent, as the lecture compares them
            pairs = [(by_beta[0.0], by_beta[b]) if b else (by_beta[0.0],) for b in betas]
            rows.append(
                [stored(scene, pair[-1], story.valleys_verdict(gather("beta", pair))) for pair in pairs]
            )
        else:
            rows.append([stored(scene, by_beta[b], story.verdict(by_beta[b])) for b in betas])
    return rows


def grid(scene: str, params: dict, lrs: tuple, betas: tuple) -> Grid:
    """gdcore's runs at every (rule, α, β) of the grid, the other parameters `params`; from the cache when
    the same grid was computed by the same code before."""
    fixed = {k: v for k, v in params.items() if k not in ("lr", "beta", "variant")}
    path = cache_dir() / "explore" / f"{_key(scene, fixed, lrs, betas)}.pickle"
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    runs = tuple(tuple(map(tuple, points(scene, {**fixed, "variant": v}, lrs, betas))) for v in VARIANTS)
    problem = LECTURES[scene].from_params(params)
    start = problem.start(params) - problem.minimizer()
    made = Grid(
        scene,
        fixed,
        lrs,
        betas,
        runs,
        float(problem.lowest_loss),
        float(max(np.max(np.abs(start)), np.max(np.abs(problem.minimizer())), 1.0)),
    )
    _store(path, pickle.dumps(made))
    return made


def _key(scene: str, fixed: dict, lrs: tuple, betas: tuple) -> str:
    """The cache key: the grid, what a point holds (GRID_FORMAT) and the source of the code that computes
    its runs and picks its verdict's lines."""
    root = Path(__file__).parents[2]
    sources = sorted((root / "gdcore").glob("*.py")) + [Path(story.__file__)]
    code = b"".join(p.read_bytes() for p in sources)
    what = json.dumps([GRID_FORMAT, scene, fixed, lrs, betas, np.__version__], sort_keys=True).encode()
    return hashlib.sha1(what + code).hexdigest()[:16]


def _store(path: Path, data: bytes) -> None:
    """Write `data` atomically, its folder made if need be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, data)


def packed(data: bytes) -> str:
    """Deflated (zlib) and base64: the page inflates it with the browser's DecompressionStream."""
    return base64.b64encode(zlib.compress(data, 6)).decode("ascii")


def numbers(g: Grid) -> tuple[list[int], str]:
    """Each run's length and all runs' steps as one packed int32 array: per run (L, C+1) rows, each column
    quantized (positions and arrows to QUANTUM × scale, the loss as log₁₀ of its excess to LOG_QUANTUM),
    delta-coded along the steps (a settled run's tail is zeros), zigzag-coded (small steps of either sign
    are small numbers) and split into its four byte planes (which deflate far better than whole words)."""
    rows = [values for by_lr in g.runs for by_beta in by_lr for values, *_ in by_beta]
    lengths = [len(values) for values in rows]
    every = np.concatenate(rows)
    excess = np.maximum(every[:, -1] - g.lowest, 1e-300)
    q = np.column_stack(
        [every[:, :-1] / (QUANTUM * g.scale), np.maximum(np.log10(excess), LOG_FLOOR) / LOG_QUANTUM]
    )
    limit = 2**30 - 1  # deltas of values within ±2³⁰ fit the int32 the page decodes
    q = np.clip(np.rint(q), -limit, limit).astype(np.int64)
    steps = np.diff(q, axis=0, prepend=0)
    firsts = np.cumsum([0, *lengths[:-1]])
    steps[firsts] = q[firsts]  # each run starts from its own first row
    steps = steps.ravel()
    zigzag = ((steps << 1) ^ (steps >> 63)).astype("<u4")
    return lengths, packed(zigzag.view(np.uint8).reshape(-1, 4).T.tobytes())


def sentence(lang: str, line: story.Line) -> str:
    """A verdict line in `lang`, filled as the lecture fills it (valleys name the basin in words)."""
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

    per_run = []
    for rows in g.runs:
        for row in rows:
            for _, lines, *_ in row:
                per_run.append(
                    [
                        [sentences.setdefault(sentence(lang, one), len(sentences)), *map(claim, one.claims)]
                        for one in lines
                    ]
                )
    table = {"sentences": list(sentences), "claims": list(claims), "runs": per_run}
    return packed(json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode())


def picture(scene: str, params: dict) -> dict:
    """What the page draws under the runs, computed by gdcore's problem: the curve f(x) (parabola, valleys),
    or the loss's level curves over (w1, w2) with b at its optimum, the least-squares and true coefficients."""
    problem = LECTURES[scene].from_params(params)
    if scene == "regression":
        start = problem.start(params)
        gap0 = problem.loss(start) - problem.lowest_loss
        levels = [
            problem.level_curve(gap0 * share, 72).round(4).tolist()
            for share in (1.05, 0.5, 0.25, 0.1, 0.03, 0.01, 0.003)
        ]
        return {
            "levels": levels,
            "best": problem.minimizer().tolist(),
            "truth": problem.true_params.tolist(),
            "start": start.tolist(),
        }
    reach = max(abs(params["x0"]) * 1.25, 1.0) if scene == "parabola" else 3.4
    xs = np.linspace(-reach, reach, 161)
    drawn = {"xs": xs.round(4).tolist(), "ys": [round(problem.loss(np.array([x])), 5) for x in xs]}
    if scene == "valleys":
        drawn["marks"] = [[x, f, kind] for x, f, kind in problem.minima()] + [[*problem.barrier(), "barrier"]]
    return drawn


def command(scene: str, lang: str, params: dict) -> tuple[str, str]:
    """The render.py command around what the grid varies (the page puts α, β and the rule between): the
    scene, and the options that differ from the lecture's defaults."""
    defaults = LECTURES[scene].DEFAULTS
    fixed = [
        f"--{k.replace('_', '-')} {v:g}" if not isinstance(v, str) else f"--{k} {v}"
        for k, v in params.items()
        if k not in ("lr", "beta", "variant") and v != defaults[k]
    ]
    return f"python render.py --scene {scene}", " ".join(
        [*fixed, *([f"--lang {lang}"] if lang != "en" else [])]
    )


def page_data(g: Grid, lang: str, params: dict, start: dict) -> dict:
    """Everything the page shows, as JSON: the grid's axes, the runs, ρ and outcome per point, the verdicts."""
    lengths, runs = numbers(g)
    flat = [p for rows in g.runs for row in rows for p in row]
    return {
        "scene": g.scene,
        "lang": lang,
        "decimal": locales.load(lang).decimal_sign,  # how the page writes its numbers: "0,95" in es and fr
        "listSeparator": locales.load(lang).message(
            "list_separator"
        ),  # "; " between them where "," is decimal
        "words": words(lang),
        "lrs": list(g.lrs),
        "betas": list(g.betas),
        "variants": list(VARIANTS),
        "steps": params["steps"],
        "channels": list(CHANNELS[g.scene]),
        "quantum": QUANTUM * g.scale,
        "logQuantum": LOG_QUANTUM,
        "logFloor": LOG_FLOOR,
        "lowest": g.lowest,
        "start": start,
        "command": command(g.scene, lang, params),
        "picture": picture(g.scene, params),
        "rho": [round(p[2], 5) for p in flat],
        "outcome": [p[3] for p in flat],
        "lengths": lengths,
        "runs": runs,
        "text": verdicts(g, lang),
        "colors": COLORS,
    }


def write_explorer(scene: str, lang: str, output: Path, given: dict) -> Path:
    """Write <output>/explore/<scene>-<lang>.html for the lecture with the options `given` (its setting is
    the page's first), atomically; return its path. Raises ParameterError for a bad value, or for steps that
    would make a page over MAX_BYTES."""
    params, start = setting(scene, given)
    lrs, betas = axes(scene, params, start)
    g = grid(scene, params, lrs, betas)
    data = page_data(g, lang, params, start)
    from jinja2 import Environment, select_autoescape  # once the options are checked: a bad one needs none

    env = Environment(autoescape=select_autoescape(default=True))
    html = env.from_string(TEMPLATE.read_text(encoding="utf-8")).render(
        data=data, words=words(lang), lang=lang, scene=scene, script=SCRIPT.read_text(encoding="utf-8")
    )
    path, page = Path(output) / "explore" / f"{scene}-{lang}.html", html.encode("utf-8")
    if len(page) > MAX_BYTES:
        raise ParameterError(
            "steps",
            params["steps"],
            f"fewer steps: the explorer would be {len(page) / 1e6:.1f} MB, over {MAX_BYTES / 1e6:g} MB",
        )
    if not (path.is_file() and path.read_bytes() == page):  # a video from the cache rewrites nothing
        _store(path, page)
    return path


def subject_options(subject) -> dict:
    """The options of a rendered Lesson or Comparison as the explorer takes them (a comparison opens on its
    first run, valleys on its list of β)."""
    if isinstance(subject, Comparison) and subject.scene != "valleys":
        return dict(subject.lessons[0].params)
    return dict(subject.params)


def write_explorer_safely(subject, lang: str, output: Path) -> None:
    """Write the explorer of a rendered lecture (none for scenes without one); a page that cannot be written
    is said in one line and never fails a render."""
    if subject.scene not in SCENES:
        return
    try:
        write_explorer(subject.scene, lang, Path(output), subject_options(subject))
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
