"""The explorer pages in a real browser: Debian's headless Chromium driven by Playwright (launched as the class
page's tests launch it), pages opened from file://. Truth is gdcore's own Lesson or Comparison for the same
setting, computed here, and the caption catalogue's sentences for its verdict."""

import math
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from videos import PARABOLA, options

import gdcore
from scenes.pages.explore import axes, page_name, setting, timed
from scenes.words import locales, story
from scenes.words.captions import text, written

# One page per lecture, with few steps so that its grid is quick to compute.
PAGES = {
    "parabola": ("en", {"steps": 12, "x0": 4.0}),
    "regression": ("es", {"steps": 8, "samples": 25, "seed": 3}),
    "valleys": ("en", {"steps": 24}),
}
# (α asked for, β, rule, step): the default run, a diverging one, ema's long memory, Nesterov (issue 30's
# −0.1953 that read −0.1955), plain GD, one diverging from its first step on
POINTS = [
    (None, None, "classic", 7),
    (30.0, 0.9, "classic", 12),
    (0.05, 0.95, "ema", 40),
    (0.45, 0.8, "nesterov", 12),
    (1.0, 0.0, "classic", 2),
    (10.0, 0.5, "classic", 12),
]


def read(number: str, lang: str) -> float:
    """A number as the page writes it in `lang`: with that language's decimal sign, and no other."""
    sign = locales.load(lang).decimal_sign
    assert sign == "." or "." not in number, number
    return float(number.replace(sign, "."))


@pytest.fixture(scope="session")
def pages(tmp_path_factory):
    """Each lecture's explorer, written once into one folder: {scene: path}."""
    folder = tmp_path_factory.mktemp("explore")
    written = {}
    for scene, (lang, given) in PAGES.items():
        path, size, seconds = timed(scene, lang, folder, given)
        print(f"{path.name}: {size / 1e6:.2f} MB in {seconds:.1f} s")
        assert path == folder / "explore" / page_name(scene, lang, given) and size <= 3e6
        written[scene] = path
    return written


def opened(browser, path: Path, hash: str = "", size=(1366, 768)):
    """The page at `path` (with `hash`), ready; every request other than the page itself is recorded in
    page.problems and refused, as are console errors."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))

    def only_itself(route):
        if route.request.url.split("#")[0] == path.as_uri():
            return route.continue_()
        page.problems.append(route.request.url)
        return route.abort()

    page.route("**/*", only_itself)
    page.goto(path.as_uri() + hash)
    page.wait_for_function("window.explorer && window.explorer.ready", timeout=20_000)
    return page


def truth(scene: str, lang: str, given: dict, lr: float, beta: float, variant: str, step: int) -> dict:
    """What gdcore says for this setting: position and loss at `step` (a run that diverged stays at its last
    step) and the verdict's sentences, filled as the lecture fills them."""

    def at(run):
        return min(step, run.last_step)

    if scene == "valleys":
        c = gdcore.compare(scene, "beta", (0.0, beta) if beta else (0.0,), lr=lr, variant=variant, **given)
        runs, lines = [one.run for one in c.lessons], story.valleys_verdict(c)
        position = [float(r.positions[at(r), 0]) for r in runs]
        loss = [float(r.losses[at(r)]) for r in runs]
        diverged = runs[-1].diverged_at
    else:
        one = gdcore.lesson(scene, lr=lr, beta=beta, variant=variant, **given)
        lines, r = story.verdict(one), one.run
        position = r.positions[at(r)].tolist()
        position, loss = position[0] if scene == "parabola" else position, float(r.losses[at(r)])
        diverged = r.diverged_at
    words = [
        text(
            lang,
            ln.key,
            **{
                **ln.values,
                **({"where": text(lang, f"val_where_{ln.values['where']}")} if "where" in ln.values else {}),
            },
        )
        for ln in lines
    ]
    return {"position": position, "loss": loss, "verdict": words, "diverged": diverged}


def as_shown(position):
    """A position (a number, or a list) to the 4 significant digits the page and the video write."""
    if isinstance(position, list):
        return [as_shown(p) for p in position]
    return float(f"{position:.4g}")


def numbers_in(position) -> list[float]:
    return [n for p in position for n in numbers_in(p)] if isinstance(position, list) else [position]


@pytest.mark.parametrize("scene", PAGES)
def test_the_page_shows_gdcores_runs_and_verdicts(browser, pages, scene):
    lang, given = PAGES[scene]
    page = opened(browser, pages[scene])
    params, start = setting(scene, given)
    lrs, betas = axes(scene, params, start)
    words = locales.load(lang).messages
    for lr, beta, variant, step in POINTS:
        asked = {"variant": variant, "step": step, **({"lr": lr, "beta": beta} if lr else {})}
        shown = page.evaluate("s => explorer.set(s)", asked)
        # the sliders snap to the grid, and say the value they snapped to
        assert shown["lr"] in lrs and shown["beta"] in betas and shown["variant"] == variant
        if lr and lrs[0] <= lr <= lrs[-1]:
            assert abs(math.log(shown["lr"] / lr)) <= max(abs(math.log(b / a)) for a, b in pairwise(lrs)) / 2
        elif lr:
            assert shown["lr"] == (lrs[0] if lr < lrs[0] else lrs[-1])
        assert read(page.text_content("#lr-out"), lang) == shown["lr"]
        assert read(page.text_content("#beta-out"), lang) == shown["beta"]
        k = min(step, params["steps"])
        want = truth(scene, lang, given, shown["lr"], shown["beta"], variant, k)
        # positions to the digits the page writes, written as the video writes them (captions.written)
        assert shown["position"] == as_shown(want["position"])
        said = page.text_content("#picture-text")
        assert said.startswith(f"{words['explore_step']} {k}: ")
        for number in numbers_in(want["position"]):
            assert f"= {written(lang, number)}" in said or f"{written(lang, number)} (β" in said, (
                said,
                number,
            )
        # where it diverged: gdcore's Trajectory.diverged_at, as the video and the sidecar say it
        assert shown["diverged"] == want["diverged"]
        gone = f"{words['explore_diverged']}: {words['explore_step'].lower()} {want['diverged']}"
        assert said.endswith(gone) == (want["diverged"] is not None and want["diverged"] <= k), said
        assert np.allclose(shown["loss"], want["loss"], rtol=3e-3, atol=1e-12)
        assert shown["verdict"] == want["verdict"]
        assert page.text_content("#verdict li").startswith(want["verdict"][0])
    assert page.problems == []


def test_the_url_holds_the_setting_and_the_command_makes_its_video(browser, pages):
    page = opened(browser, pages["parabola"], "#lr=0.3&beta=0.6&variant=ema&step=12")
    assert {
        k: v for k, v in page.evaluate("explorer.state()").items() if k in ("lr", "beta", "variant", "step")
    } == {"lr": 0.3, "beta": 0.6, "variant": "ema", "step": 12}
    page.evaluate("explorer.set({beta: 0.9, step: 3})")
    assert page.evaluate("location.hash") == "#lr=0.3&beta=0.9&variant=ema&step=3"
    assert (
        page.text_content("#command")
        == "python render.py --scene parabola --lr 0.3 --beta 0.9 --variant ema --steps 12 --x0 4"
    )
    page.evaluate("location.hash = '#lr=2&beta=0&variant=nesterov&step=5'")
    page.wait_for_function("explorer.state().variant === 'nesterov'")
    assert page.evaluate("[explorer.state().lr, explorer.state().beta, explorer.state().step]")[1:] == [0, 5]
    valleys = opened(browser, pages["valleys"])
    assert "--beta 0,0.8 --variant classic --steps 24" in valleys.text_content("#command")
    assert len(valleys.evaluate("explorer.state().position")) == 2  # a ball per β: plain GD and β = 0.8
    assert page.problems == [] and valleys.problems == []


def test_every_control_is_reached_with_tab_moved_with_arrows_and_labelled(browser, pages):
    page = opened(browser, pages["regression"])
    page.focus("body")
    reached = []
    for _ in range(20):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.id"))
    assert {"lr", "beta", "variant", "step", "play", "copy", "map"} <= set(reached)
    labelled = page.evaluate("""["lr", "beta", "variant", "step", "map"].map(id => {
        const e = document.getElementById(id);
        const by = e.getAttribute("aria-labelledby");
        return (e.labels && e.labels.length ? e.labels[0].textContent : "") + (by ? document.getElementById(by).textContent : "");
    })""")
    assert all(label.strip() for label in labelled)
    before = page.evaluate("explorer.state()")
    lrs = axes("regression", *setting("regression", PAGES["regression"][1]))[0]
    page.focus("#lr")
    page.keyboard.press("ArrowRight")
    page.focus("#step")
    page.keyboard.press("ArrowRight")
    page.focus("#map")
    page.keyboard.press("ArrowUp")
    after = page.evaluate("explorer.state()")
    assert after["lr"] == lrs[lrs.index(before["lr"]) + 1] and after["step"] == before["step"] + 1
    assert after["beta"] == 0.525  # the next β of the grid after 0.5
    said = f"α = {after['lr']:g}; β = 0.525".replace(".", ",")  # the Spanish page's numbers and list
    assert page.get_attribute("#map", "aria-valuetext").startswith(said)
    page.focus("#variant")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("explorer.state().variant") == "ema"
    page.click("#play")
    page.wait_for_function("explorer.state().step > 2")
    page.click("#play")
    assert page.get_attribute("#play", "aria-pressed") == "false"
    assert page.problems == []


def test_a_click_on_the_map_chooses_alpha_and_beta(browser, pages):
    page = opened(browser, pages["parabola"])
    box = page.locator("#map").bounding_box()
    # the map's cells: 62 px of axis at the left, 10 at the top, 388 px of 41 cells, on a 460 px canvas
    cell = lambda i, j: (
        box["x"] + (62 + (i + 0.5) * 388 / 41) * box["width"] / 460,
        box["y"] + (10 + (40 - j + 0.5) * 388 / 41) * box["height"] / 460,
    )
    page.mouse.click(*cell(5, 36))
    lrs, betas = axes("parabola", *setting("parabola", PAGES["parabola"][1]))
    state = page.evaluate("explorer.state()")
    assert (state["lr"], state["beta"]) == (lrs[5], betas[36])


TAPPED = "button, select, input, summary, canvas"  # what a finger presses


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("size", [(390, 844), (1366, 768), (1920, 1080)])
@pytest.mark.parametrize("scene", PAGES)
def test_the_page_fits_a_phone_and_a_projector(browser, pages, scene, size, tmp_path_factory):
    page = opened(browser, pages[scene], "#step=6", size)
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    shot = tmp_path_factory.getbasetemp() / f"explore-{scene}-{size[0]}.png"
    page.screenshot(path=str(shot), full_page=True)
    print(shot)
    # every control a finger presses is at least 44 px each way
    small = page.eval_on_selector_all(
        TAPPED,
        """els => els.filter(e => e.offsetParent !== null).map(e => {
        const r = e.getBoundingClientRect(); return [e.id || e.tagName, r.width, r.height]; })
        .filter(([, w, h]) => w < 44 || h < 44)""",
    )
    assert small == []
    picture, verdict, lr = box(page, "#picture"), box(page, "#verdict li"), box(page, "#lr")
    if size[0] < 1000:  # a phone: the picture, then what happened, then the sliders, all on the first screen
        assert picture["y"] < 100 and picture["y"] + picture["height"] <= verdict["y"]
        assert verdict["y"] + verdict["height"] <= lr["y"]
        assert all(box(page, s)["y"] + box(page, s)["height"] <= size[1] for s in ("#lr", "#beta", "#step"))
    else:  # beside one another, above the fold
        assert lr["x"] + lr["width"] <= picture["x"] and picture["y"] + picture["height"] <= size[1]
    assert page.problems == []


def test_numbers_are_written_as_the_video_writes_them(browser, pages):
    """The page's number formatter (JavaScript) against captions.written (Python) on many numbers: every
    magnitude, signs, whole numbers (1000, not 1), ties (Python rounds half to even), the [10⁻⁴, 10⁴) edges,
    the smallest doubles; in English and in Spanish (its decimal comma)."""
    rng = np.random.default_rng(30)
    many = rng.normal(size=1500) * 10.0 ** rng.integers(-320, 308, 1500)
    edges = [0.0, -0.0, 1000.0, 5630.06, -0.19534, 12345.0, 0.125, 9999.5, 9999.4, 99995.0, 1e-4, 9.9995e-5]
    edges += [1e4, 0.00012345, 2.5e-7, 5e-324, 1.7976931348623157e308, 3.0, -7.25, 0.1 + 0.2, 1 / 3, 2**60]
    numbers = [float(x) for x in [*edges, *many[np.isfinite(many)], *rng.uniform(-3, 3, 300).round(4)]]
    for scene in ("parabola", "regression"):
        page, lang = opened(browser, pages[scene]), PAGES[scene][0]
        shown = page.evaluate("xs => xs.map(x => explorer.written(x))", numbers)
        wrong = [(x, js, written(lang, x)) for x, js in zip(numbers, shown) if js != written(lang, x)]
        assert wrong == [] and shown[2:4] == [written(lang, 1000.0), written(lang, 5630.06)]
    assert shown[:5] == ["0", "0", "1000", "5630", "-0,1953"]  # the Spanish page's


ODD = {  # an address → the setting shown, and the values the note names (none: no note)
    "#lr=Infinity&beta=1e308&step=": ({"lr": -1, "beta": -1}, ["Infinity", "1e308", "''"]),
    "#lr=-Infinity&beta=-5&step=1e9": ({"lr": 0, "beta": 0, "step": 12}, ["-Infinity", "-5", "1e9"]),
    "#lr=abc&beta=0.6&variant=adam": ({"beta": 0.6}, ["abc", "adam"]),
    "#lr=0.3&beta=0.6&variant=ema&step=12": ({"lr": 0.3, "beta": 0.6, "step": 12}, []),
}


@pytest.mark.parametrize("address", ODD)
def test_an_odd_address_snaps_to_the_nearest_grid_value_and_says_so(browser, pages, address):
    page = opened(browser, pages["parabola"], address)
    lrs, betas = axes("parabola", *setting("parabola", PAGES["parabola"][1]))
    state, (want, named) = page.evaluate("explorer.state()"), ODD[address]
    grid = {"lr": lrs, "beta": betas}
    for key, value in want.items():  # α and β: an index into the grid (-1: its end); else the value
        assert state[key] == (grid[key][value] if isinstance(value, int) and key in grid else value), key
    note = page.text_content("#address-note")
    assert page.is_visible("#address-note") == bool(named)
    for asked in named:
        assert (f"= {asked.strip(chr(39))}," in note) or (asked == "''" and "= ," in note), (asked, note)
    if "lr=abc" in address:  # no number: the page's own setting stays, and it is named
        assert state["lr"] == 0.3 and written("en", 0.3) in note and state["variant"] == "classic"
    assert page.problems == []


def test_a_long_run_has_its_explorer_under_3_mb(browser, tmp_path_factory):
    """300 steps (the render used to write no explorer): the page stores every other step and the last,
    and what it shows at those steps is gdcore's run, to the digits it writes."""
    path, size, seconds = timed("parabola", "en", tmp_path_factory.mktemp("long"), {"steps": 300})
    print(f"{path.name}: {size / 1e6:.2f} MB in {seconds:.1f} s")
    assert size <= 3e6
    page, one = opened(browser, path), gdcore.lesson("parabola", steps=300)
    kept = page.evaluate("JSON.parse(document.getElementById('data').textContent).shown")
    assert kept[0] == 0 and kept[-1] == 300 and len(set(np.diff(kept[:-1]))) == 1 and len(kept) >= 60
    assert page.get_attribute("#step", "max") == str(len(kept) - 1)
    between = kept[len(kept) // 2] + 1  # no stored step: the nearest one is shown, and said so
    for step in (300, between, 0):
        shown = page.evaluate("s => explorer.set({step: s})", step)
        k = min(kept, key=lambda s: abs(s - step))
        assert shown["step"] == k and shown["position"] == as_shown(float(one.run.positions[k, 0]))
        assert page.is_visible("#address-note") == (step == between)
    assert page.problems == []


def test_a_render_writes_its_explorer_and_the_class_page_links_it(browser, media, parabola_en):
    video, meta, _ = parabola_en
    name = page_name("parabola", meta["lang"], options(PARABOLA))
    assert (media / "explore" / name).is_file()
    index = browser.new_page()
    index.goto((media / "index.html").as_uri())
    links = index.eval_on_selector_all(".card a.explore", "a => a.map(e => e.getAttribute('href'))")
    assert f"explore/{name}#lr=0.4&beta=0.7&variant=classic" in links  # the video's own setting


@pytest.fixture
def bowl(tmp_path, monkeypatch):
    """A lecture the project does not have, declared for this test only: f(x) = (x − 1)²/4 with an explorer
    (Explorer()), its name in a copy of the language files; gone from gdcore.LECTURES afterwards."""
    from dataclasses import dataclass
    from typing import ClassVar

    from gdcore.explorer import Explorer
    from gdcore.problems import Formula, Problem, frozen

    @dataclass(frozen=True)
    class Bowl(Problem):
        name: ClassVar[str] = "bowl"
        param_names: ClassVar[tuple] = ("x",)
        param_tex, loss_symbol, loss_tex, grad_tex = "x", "f", "f(x)", "f'(x)"
        DEFAULTS: ClassVar[dict] = {"lr": 0.5, "beta": 0.5, "steps": 10, "variant": "classic", "x0": 3.0}
        EXPLORER: ClassVar[Explorer] = Explorer()
        formula = derivative = Formula("(x-1)^2/4", "(x − 1)²/4", "say_x_squared")

        @classmethod
        def from_params(cls, params):
            return cls()

        def start(self, params):
            return np.array([params["x0"]])

        def loss(self, x):
            return float((x[0] - 1.0) ** 2 / 4)

        def grad(self, x):
            return np.array([(x[0] - 1.0) / 2])

        def hessian(self):
            return np.array([[0.5]])

        def minimizer(self):
            return frozen([1.0])

    named = 'msgctxt "page_scene_bowl"\nmsgid "Bowl"\nmsgstr "Bowl"\n'
    for path in locales.folder().glob("*.po"):
        header, rest = path.read_text(encoding="utf-8").split("\n\n", 1)
        (tmp_path / path.name).write_text(f"{header}\n\n{named}\n{rest}", encoding="utf-8")
    monkeypatch.setenv("MOMENTUM_LOCALES", str(tmp_path))
    yield Bowl
    gdcore.LECTURES.pop("bowl")


def test_a_new_lecture_gets_its_explorer_by_declaring_one(browser, bowl, tmp_path):
    """No lecture's name is in the explorer's code: a problem that declares an EXPLORER has a page showing
    gdcore's runs and the story's verdict for it, to the digits the page writes."""
    for code in (Path(__file__).parents[2] / "scenes" / "pages").glob("explore.*"):
        if code.suffix in (".py", ".js", ".html"):
            said = code.read_text(encoding="utf-8")
            assert not [s for s in gdcore.LECTURES if f'"{s}"' in said or f"'{s}'" in said], code
    path, size, _ = timed("bowl", "en", tmp_path / "out", {"steps": 10})
    page = opened(browser, path, "#lr=0.5&beta=0.5&step=7")
    one = gdcore.lesson("bowl", steps=10, lr=0.5, beta=0.5)
    shown = page.evaluate("explorer.state()")
    assert shown["position"] == as_shown(float(one.run.positions[7, 0]))
    assert shown["verdict"] == truth("bowl", "en", {}, 0.5, 0.5, "classic", 7)["verdict"]
    assert page.title() == locales.load("en").message("explore_title").format(scene="Bowl")
    assert page.problems == []
