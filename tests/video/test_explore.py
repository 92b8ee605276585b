"""The explorer pages in a real browser: Debian's headless Chromium driven by Playwright (launched as the class
page's tests launch it), pages opened from file://. Truth is gdcore's own Lesson or Comparison for the same
setting, computed here, and the caption catalogue's sentences for its verdict."""

import math
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

import gdcore
from scenes.pages.explore import QUANTUM, axes, setting, timed
from scenes.words import locales, story
from scenes.words.captions import text

# One page per lecture, with few steps so that its grid is quick to compute.
PAGES = {
    "parabola": ("en", {"steps": 12, "x0": 4.0}),
    "regression": ("es", {"steps": 8, "samples": 25, "seed": 3}),
    "valleys": ("en", {"steps": 24}),
}
# (α asked for, β, rule, step): the default run, a diverging one, ema's long memory, Nesterov, plain GD
POINTS = [
    (None, None, "classic", 7),
    (30.0, 0.9, "classic", 12),
    (0.05, 0.95, "ema", 40),
    (0.2, 0.3, "nesterov", 3),
    (1.0, 0.0, "classic", 2),
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
        assert path == folder / "explore" / f"{scene}-{lang}.html" and size <= 3e6
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
    else:
        one = gdcore.lesson(scene, lr=lr, beta=beta, variant=variant, **given)
        lines, r = story.verdict(one), one.run
        position = r.positions[at(r)].tolist()
        position, loss = position[0] if scene == "parabola" else position, float(r.losses[at(r)])
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
    return {"position": position, "loss": loss, "verdict": words}


@pytest.mark.parametrize("scene", PAGES)
def test_the_page_shows_gdcores_runs_and_verdicts(browser, pages, scene):
    lang, given = PAGES[scene]
    page = opened(browser, pages[scene])
    params, start = setting(scene, given)
    lrs, betas = axes(scene, params, start)
    problem = gdcore.LECTURES[scene].from_params(params)
    scale = max(
        np.max(np.abs(problem.start(params) - problem.minimizer())), np.max(np.abs(problem.minimizer())), 1
    )
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
        want = truth(scene, lang, given, shown["lr"], shown["beta"], variant, min(step, params["steps"]))
        assert np.allclose(shown["position"], want["position"], rtol=0, atol=QUANTUM * scale)
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
    for _ in range(12):
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


@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
@pytest.mark.parametrize("scene", PAGES)
def test_the_page_fits_a_phone_and_a_projector(browser, pages, scene, size, tmp_path_factory):
    page = opened(browser, pages[scene], "#step=10", size)
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    shot = tmp_path_factory.getbasetemp() / f"explore-{scene}-{size[0]}.png"
    page.screenshot(path=str(shot), full_page=True)
    print(shot)
    assert page.problems == []


def test_a_render_writes_its_explorer_and_the_class_page_links_it(browser, media, parabola_en):
    video, meta, _ = parabola_en
    page = media / "explore" / f"parabola-{meta['lang']}.html"
    assert page.is_file()
    index = browser.new_page()
    index.goto((media / "index.html").as_uri())
    links = index.eval_on_selector_all(
        f".card a[href='explore/{page.name}']", "a => a.map(e => e.getAttribute('href'))"
    )
    assert f"explore/{page.name}" in links
