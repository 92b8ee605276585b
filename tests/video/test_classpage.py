"""The class page and the slide decks, in a real browser: Debian's headless Chromium driven by Playwright,
pages opened from file:// as a teacher opens them. Truth comes from the sidecars, the files on disk and the
video's frames decoded with PyAV."""

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import av
import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from videos import ROOT, frame_at

from scenes.pages.classpage import page_words
from scenes.pipeline.sidecar import FILES
from scenes.words import locales

BAND = 0.15  # the caption band: the bottom 15 % of the frame (style.CAPTION_Y, the band below y = -2.85)
VIEWPORTS = {"phone": (390, 844), "projector": (1366, 768), "full HD": (1920, 1080)}
VIDEO = "document.getElementById('video')"


@pytest.fixture(scope="session")
def page_videos(
    media, parabola_en, parabola_es, parabola_en_medium, regression_en, regression_es, parabola_compare
):
    """The class page after both lectures in both languages (the parabola at two qualities) and a comparison
    landed in one folder."""
    return media / "index.html"


def opened(browser, path: Path, folder: Path, size=(1600, 1000)):
    """A page at `path`, recording console errors and every request that leaves `folder`."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on(
        "request", lambda r: r.url.startswith(("data:", f"file://{folder}/")) or page.problems.append(r.url)
    )
    page.goto(path.as_uri())
    return page


def sidecars(media: Path) -> list[dict]:
    """Every finished video's sidecar under `media`, newest video first, with its path."""
    found = [p for p in media.rglob("*.json") if p.with_suffix(".mp4").is_file()]
    found.sort(key=lambda p: p.with_suffix(".mp4").stat().st_mtime, reverse=True)
    return [{**json.loads(p.read_text()), "id": f"{p.stem}-{p.parent.name}", "path": p} for p in found]


def same_lecture(a: dict, b: dict) -> bool:
    return (a["scene"], a["params"], bool(a["voice"])) == (b["scene"], b["params"], bool(b["voice"]))


def play_file(page, meta: dict) -> None:
    """Open the video of `meta` with its own button on its card, as a teacher does."""
    page.locator(f'button.open[data-id="{meta["id"]}"]').click()
    page.wait_for_function(f"{VIDEO}.readyState >= 2")
    page.evaluate(f"{VIDEO}.muted = true; {VIDEO}.pause()")


def seeked(page, *names: str) -> None:
    names = names or (VIDEO,)
    page.wait_for_function(" && ".join(f"!{n}.seeking && {n}.readyState >= 2" for n in names))


def picture(page, selector: str = "#video") -> Image.Image:
    """What the browser shows of the video's picture: its box, less the bars of object-fit: contain."""
    element = page.locator(selector)
    w, h, pw, ph = element.evaluate("""el => { const r = el.getBoundingClientRect(),
        s = Math.min(r.width / el.videoWidth, r.height / el.videoHeight);
        return [r.width, r.height, el.videoWidth * s, el.videoHeight * s]; }""")
    shot = Image.open(io.BytesIO(element.screenshot())).convert("RGB")
    scale = shot.width / w
    left, top = (w - pw) / 2 * scale, (h - ph) / 2 * scale
    return shot.crop((round(left), round(top), round(left + pw * scale), round(top + ph * scale)))


def differences(shot: Image.Image, frame: np.ndarray) -> tuple[float, float]:
    """Mean absolute difference (0–255) of the whole picture and of its caption band."""
    size = (
        shot.width // 4,
        shot.height // 4,
    )  # compared at a quarter size: scaling's own aliasing averages out
    expected = np.asarray(Image.fromarray(frame).resize(size, Image.BOX), dtype=float)
    diff = np.abs(np.asarray(shot.resize(size, Image.BOX), dtype=float) - expected)
    return diff.mean(), diff[int(diff.shape[0] * (1 - BAND)) :].mean()


def paused_at_predict(page, meta: dict) -> float:
    """Present mode played up to the end of the predict beat and paused there; the time it shows."""
    if page.get_attribute("#present", "aria-pressed") != "true":
        page.locator("#present").click()
    predict = next(c for c in meta["chapters"] if c["beat"] == "predict")
    page.evaluate(f"t => {{ {VIDEO}.currentTime = t; }}", predict["end"] - 1.0)
    seeked(page)
    page.locator("#play").click()
    page.wait_for_function(f"{VIDEO}.paused", timeout=5_000, polling=50)
    seeked(page)
    page.wait_for_timeout(300)
    return page.evaluate(f"{VIDEO}.currentTime")


def test_one_card_per_lecture_and_each_choice_opens_its_own_file(browser, page_videos, media):
    page = opened(browser, page_videos, media)
    metas = sidecars(media)
    cards = page.eval_on_selector_all(
        ".card", "cs => cs.map(c => [...c.querySelectorAll('button.open')].map(b => b.dataset.id).sort())"
    )
    lectures = []
    for meta in metas:
        if not any(same_lecture(meta, other) for other in lectures):
            lectures.append(meta)
    assert sorted(cards) == sorted(sorted(m["id"] for m in metas if same_lecture(m, one)) for one in lectures)
    assert max(map(len, cards)) == 3  # the parabola in English at two qualities and in Spanish
    for meta in metas:
        play_file(page, meta)
        src = page.evaluate(f"{VIDEO}.currentSrc")
        assert src == meta["path"].with_suffix(".mp4").as_uri()
        assert abs(page.evaluate(f"{VIDEO}.duration") - meta["duration"]) < 0.5
        page.evaluate(f"for (const t of {VIDEO}.textTracks) t.mode = 'hidden'")  # loads cues, draws none
        page.wait_for_function(f"[...{VIDEO}.textTracks].every(t => t.cues && t.cues.length)", timeout=10_000)
        tracks = page.evaluate(f"""[...{VIDEO}.textTracks].map(t =>
            ({{kind: t.kind, lang: t.language, cues: t.cues.length, first: t.cues[0].text}}))""")
        # subtitles: the video's own captions only (another language's cues keep another video's timings)
        subtitles = {t["lang"]: t for t in tracks if t["kind"] == "subtitles"}
        assert sorted(subtitles) == [meta["lang"]]
        assert page.eval_on_selector_all("#subs option", "os => os.map(o => o.value)") == ["", meta["lang"]]
        assert " ".join(subtitles[meta["lang"]]["first"].split()) == meta["captions"][0]["text"]
        chapters = next(t for t in tracks if t["kind"] == "chapters")
        assert chapters["cues"] == len(meta["chapters"]) and chapters["first"] == meta["chapters"][0]["title"]
    assert page.problems == []


def test_the_scene_filter_shows_only_that_scene(browser, page_videos, media):
    page = opened(browser, page_videos, media)
    # every control can be named by a screen reader: buttons by their text, selects by their label
    assert (
        page.eval_on_selector_all("button", "bs => bs.filter(b => !(b.textContent.trim() || b.ariaLabel))")
        == []
    )
    assert (
        page.eval_on_selector_all(
            "select, input", "ss => ss.filter(s => !s.labels.length && !s.ariaLabel).map(s => s.id)"
        )
        == []
    )
    page.locator('button.filter[data-scene="regression"]').click()
    visible = page.eval_on_selector_all(
        ".card", "cards => cards.filter(c => !c.hidden).map(c => c.dataset.scene)"
    )
    assert visible and set(visible) == {"regression"}
    assert page.problems == []


def test_a_seek_to_a_beat_lands_inside_it(browser, page_videos, media, parabola_en):
    video, meta, _ = parabola_en
    page = opened(browser, page_videos, media)
    play_file(page, {**meta, "id": f"{video.stem}-low"})
    frame = 1 / 15  # low quality: 15 frames a second
    for k, chapter in enumerate(meta["chapters"]):
        page.locator("#chapters button").nth(k).click()
        seeked(page)
        now = page.evaluate(f"{VIDEO}.currentTime")
        assert chapter["start"] <= now < chapter["start"] + frame, chapter  # its first frame

        def caption(t):
            return [c["text"] for c in meta["captions"] if c["start"] <= t < c["end"]]

        assert caption(now) == caption(chapter["start"] + 1e-3), chapter  # its caption, not the one before
        assert page.get_attribute('#chapters button[aria-current="true"]', "data-k") == str(k)
    assert page.problems == []


def test_nothing_covers_the_caption_band_when_paused_nor_in_full_screen(
    browser, page_videos, media, parabola_en
):
    video, meta, _ = parabola_en
    page = opened(browser, page_videos, media, VIEWPORTS["projector"])
    play_file(page, {**meta, "id": f"{video.stem}-low"})
    stopped = paused_at_predict(page, meta)
    assert page.is_visible("#predict")
    frame, earlier = (
        frame_at(video, stopped),
        frame_at(video, meta["chapters"][2]["start"] + 3),
    )  # another caption
    shot = picture(page)
    whole, band = differences(shot, frame)
    assert band < 10 and whole < 5, (whole, band)  # the banner and the controls leave the picture whole
    assert differences(shot, earlier)[1] > 2 * band  # and the band's pixels tell one caption from another
    banner, box = page.locator("#predict").bounding_box(), page.locator("#video").bounding_box()
    assert banner["y"] >= box["y"] + box["height"] - 1
    page.locator("#full").click()
    page.wait_for_function("document.fullscreenElement && document.fullscreenElement.id === 'stage'")
    page.wait_for_timeout(300)
    whole, band = differences(picture(page), frame)
    assert band < 10 and whole < 5, (whole, band)
    assert page.problems == []


def test_present_mode_pauses_before_the_run_with_the_question_up(browser, page_videos, media, parabola_en):
    video, meta, _ = parabola_en
    page = opened(browser, page_videos, media)
    play_file(page, {**meta, "id": f"{video.stem}-low"})
    predict = next(c for c in meta["chapters"] if c["beat"] == "predict")
    stopped = paused_at_predict(page, meta)
    assert predict["end"] - 0.1 <= stopped < predict["end"]  # the beat's last frame, not the next one's first
    assert page.is_visible("#predict")  # the page says: predict now
    cue = next(c for c in meta["captions"] if c["start"] <= stopped < c["end"])  # the caption on screen
    assert cue["text"] == next(c["text"] for c in meta["captions"] if c["start"] >= predict["start"])
    assert page.inner_text("#question") == cue["text"] == meta["question"]
    highlighted = page.get_attribute('#chapters button[aria-current="true"]', "data-k")
    assert highlighted == str(meta["chapters"].index(predict))
    # with no control focused: → plays the run; ← replays the beat from its start
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"!{VIDEO}.paused")
    assert not page.is_visible("#predict")
    page.keyboard.press("ArrowLeft")
    seeked(page)
    now = page.evaluate(f"{VIDEO}.currentTime")
    run = meta["chapters"][meta["chapters"].index(predict) + 1]
    assert run["start"] <= now < run["start"] + 0.5
    assert page.problems == []


def focus(page, selector: str) -> None:
    """Tab (the keyboard alone) until `selector` has the focus."""
    for _ in range(300):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reaches {selector}")


def press(page, selector: str, key: str = "Enter") -> None:
    """Tab to `selector`, then press `key`."""
    focus(page, selector)
    page.keyboard.press(key)


def toggles(page, key: str = "Space") -> None:
    """`key` pauses the main video if it plays, plays it if paused."""
    was = page.evaluate(f"{VIDEO}.paused")
    page.keyboard.press(key)
    page.wait_for_function(f"{VIDEO}.paused === {str(not was).lower()}")


def paused(page) -> None:
    """Pause the main video with its Play button, from the keyboard, if it plays."""
    if not page.evaluate(f"{VIDEO}.paused"):
        focus(page, "#play")
        toggles(page)


def state(page) -> dict:
    return page.evaluate(f"""({{paused: {VIDEO}.paused, t: {VIDEO}.currentTime, muted: {VIDEO}.muted,
        src: classPage.current.id, full: document.fullscreenElement && document.fullscreenElement.id,
        k: classPage.cmp.k, both: [classPage.cmp.va.paused, classPage.cmp.vb.paused],
        cmp: [classPage.cmp.va.currentTime, classPage.cmp.vb.currentTime]}})""")


def by_keyboard(browser, page_videos, media, own: str):
    """The page with the video `own` opened and playing from its card's button, pressed with Enter."""
    page = opened(browser, page_videos, media)
    press(page, f'button.open[data-id="{own}"]')
    page.wait_for_function(f"!{VIDEO}.paused && {VIDEO}.currentTime > 0.2")
    page.evaluate(f"{VIDEO}.muted = true")
    assert state(page)["src"] == own
    return page


def at_beat(page, chapters: list[dict], k: int, within: float = 0.5) -> None:
    """The main video is at beat k's first frame (or `within` seconds after it, when it plays)."""
    seeked(page)
    assert chapters[k]["start"] <= state(page)["t"] < chapters[k]["start"] + within


def test_after_a_card_s_play_space_pauses_and_plays(browser, page_videos, media, parabola_en):
    video = parabola_en[0]
    page = by_keyboard(browser, page_videos, media, f"{video.stem}-low")
    toggles(page)  # Space on the Play button the card's Play focused: it pauses, plays, pauses
    toggles(page)
    toggles(page)
    focus(page, "#play")
    toggles(page, "Enter")
    page.evaluate("document.activeElement.blur()")  # no control focused: Space plays on and pauses
    toggles(page)
    paused(page)
    assert page.problems == []


def test_the_player_s_buttons_and_shortcuts_from_the_keyboard_alone(browser, page_videos, media, parabola_en):
    video, meta, _ = parabola_en
    page, chapters = by_keyboard(browser, page_videos, media, f"{video.stem}-low"), meta["chapters"]
    paused(page)
    press(page, "#next")  # Enter and Space press a focused button; the arrows and F are shortcuts on it
    at_beat(page, chapters, 1)
    assert not state(page)["paused"]  # Next beat plays it, as on the compare panel
    press(page, "#replay", "Space")
    at_beat(page, chapters, 1)
    page.keyboard.press("ArrowRight")  # → the next beat
    at_beat(page, chapters, 2)
    page.wait_for_timeout(600)
    page.keyboard.press("ArrowLeft")  # ← replays the beat
    at_beat(page, chapters, 2)
    paused(page)
    press(page, '#chapters button[data-k="3"]')  # a chapter: its beat's first frame
    at_beat(page, chapters, 3, 1 / 15)
    press(page, "#mute", "Space")
    assert state(page)["muted"] is False and page.get_attribute("#mute", "aria-pressed") == "false"
    page.keyboard.press("Enter")
    assert state(page)["muted"] is True
    press(page, "#present", "Space")
    assert page.get_attribute("#present", "aria-pressed") == "true"  # Space pressed the button: nothing else
    assert state(page)["paused"]
    page.keyboard.press("f")  # F: full screen, and back
    page.wait_for_function("document.fullscreenElement && document.fullscreenElement.id === 'stage'")
    page.keyboard.press("f")
    page.wait_for_function("!document.fullscreenElement")
    press(page, "#full")
    page.wait_for_function("document.fullscreenElement && document.fullscreenElement.id === 'stage'")
    page.keyboard.press("Enter")
    page.wait_for_function("!document.fullscreenElement")
    assert page.problems == []


def test_menus_sliders_cards_and_filters_keep_their_keys(browser, page_videos, media, parabola_en):
    video, meta, _ = parabola_en
    page, chapters = by_keyboard(browser, page_videos, media, f"{video.stem}-low"), meta["chapters"]
    paused(page)
    focus(page, "#seek")  # the position slider keeps its arrows: a small step, not the next beat
    before = state(page)["t"]
    page.keyboard.press("ArrowRight")
    seeked(page)
    assert before < state(page)["t"] < chapters[1]["start"]
    press(page, "#subs", "ArrowDown")  # the subtitles menu keeps its keys: ↓ picks them, F is no shortcut
    page.keyboard.press("f")
    assert page.evaluate(  # the video's own captions, written under it: no track draws over the picture
        f"[...{VIDEO}.textTracks].filter(t => t.mode !== 'disabled').map(t => [t.language, t.mode])"
    ) == [["en", "hidden"]]
    before = state(page)
    assert before["full"] is None
    press(
        page, 'button.filter[data-scene="regression"]', "Space"
    )  # a filter, a card: the main video never moves
    assert page.get_attribute('button.filter[data-scene="regression"]', "aria-pressed") == "true"
    for key in ("ArrowRight", "ArrowLeft", "f"):
        page.keyboard.press(key)
    press(page, 'button.filter[data-scene=""]')
    focus(page, "button.open")
    for key in ("ArrowRight", "ArrowLeft", "f"):
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    assert state(page) == before
    press(page, "#page-lang", "End")  # the page's language, from its menu: the last one listed
    assert page.evaluate("document.documentElement.lang") == page.evaluate(
        "[...document.getElementById('page-lang').options].at(-1).value"
    )
    assert page.problems == []


def compare_at(page, starts: tuple, k: int, playing: bool = True) -> None:
    """Both compare videos at beat k's first frame (or just after it, playing)."""
    seeked(page, "classPage.cmp.va", "classPage.cmp.vb")
    s = state(page)
    assert s["k"] == k and s["both"] == [not playing] * 2 and s["paused"]  # the main video stays paused
    assert all(a[k] <= t < a[k] + 0.5 for t, a in zip(s["cmp"], starts))


def test_compare_from_the_keyboard_alone(browser, page_videos, media, parabola_en, parabola_compare):
    (video, meta, _), (_, meta_b, _) = parabola_en, parabola_compare
    page = by_keyboard(browser, page_videos, media, f"{video.stem}-low")
    paused(page)
    press(page, "#cmp-a", "Home")  # the first lecture listed, then ↓ down to this one
    below = page.evaluate("classPage.lectures.findIndex(l => l.videos.includes(classPage.current))")
    for _ in range(below):
        page.keyboard.press("ArrowDown")
    press(page, "#cmp-show")
    page.wait_for_function("['cmp-va', 'cmp-vb'].every(id => document.getElementById(id).readyState >= 2)")
    assert page.evaluate("classPage.cmp.a.id") == f"{video.stem}-low"
    starts = [c["start"] for c in meta["chapters"]], [c["start"] for c in meta_b["chapters"]]
    press(page, "#cmp-next")  # Next beat: both at the next beat's first frame, playing, as on the player
    compare_at(page, starts, 1)
    page.keyboard.press("ArrowRight")  # → on the compare panel: its next beat
    compare_at(page, starts, 2)
    page.keyboard.press("ArrowLeft")  # ← replays the beat on both
    compare_at(page, starts, 2)
    press(page, "#cmp-replay")
    compare_at(page, starts, 2)
    press(page, "#cmp-prev", "Space")
    compare_at(page, starts, 1)
    press(page, "#cmp-play", "Space")
    page.wait_for_function("classPage.cmp.va.paused && classPage.cmp.vb.paused")
    page.keyboard.press("Enter")
    page.wait_for_function("!classPage.cmp.va.paused && !classPage.cmp.vb.paused")
    page.evaluate("document.activeElement.blur()")  # the compare panel is the one in use: Space is its
    page.keyboard.press("Space")
    page.wait_for_function("classPage.cmp.va.paused && classPage.cmp.vb.paused")
    assert state(page)["paused"]
    press(page, "#cmp-full")
    page.wait_for_function("document.fullscreenElement && document.fullscreenElement.id === 'compare-panel'")
    page.keyboard.press("f")
    page.wait_for_function("!document.fullscreenElement")
    assert page.problems == []


def test_the_page_speaks_the_language_the_teacher_picks(browser, page_videos, media):
    page = opened(browser, page_videos, media)
    metas = sidecars(media)
    langs = [m["lang"] for m in metas]
    assert page.evaluate("document.documentElement.lang") == max(set(langs), key=langs.count)  # the videos'
    for lang in ("es", "en"):
        page.select_option("#page-lang", lang)
        words = page_words(lang)
        assert page.evaluate("document.documentElement.lang") == lang
        shown = page.eval_on_selector_all(
            "[data-w]", "els => els.map(e => [e.dataset.w, e.textContent, e.lang])"
        )
        assert shown and all(text == words[key] and at == lang for key, text, at in shown)
        labels = page.eval_on_selector_all(
            "[data-w-label]", "els => els.map(e => [e.dataset.wLabel, e.ariaLabel])"
        )
        assert all(label == words[key] for key, label in labels)
        assert page.inner_text("#play") in (words["play"], words["pause"])
        # each card shows (and is marked with) its lecture's video in that language, if there is one
        for card in page.query_selector_all(".card"):
            ids = card.eval_on_selector_all("button.open", "bs => bs.map(b => b.dataset.id)")
            versions = [m for m in metas if m["id"] in ids]
            chosen = next((m for m in versions if m["lang"] == lang), None)
            assert card.get_attribute("lang") in {m["lang"] for m in versions}
            if chosen:
                assert card.get_attribute("lang") == lang
                assert (
                    card.eval_on_selector(".opening", "p => p.textContent") == chosen["captions"][0]["text"]
                )
    assert page.problems == []


def verdict_lines(meta: dict) -> list[str]:
    verdict = next(c for c in meta["chapters"] if c["beat"] == "verdict")
    return [c["text"] for c in meta["captions"] if c["start"] >= verdict["start"] - 1e-6]


def test_no_poster_card_or_banner_shows_the_verdict(browser, page_videos, media):
    page = opened(browser, page_videos, media)
    metas = sidecars(media)
    spoilers = {line for meta in metas for line in verdict_lines(meta)} | {m["headline"] for m in metas}
    paused_at_predict(page, next(m for m in metas if m["id"] == page.evaluate("classPage.current.id")))
    assert page.is_visible("#predict")
    for lang in ("en", "es"):
        page.select_option("#page-lang", lang)
        text = page.inner_text("body")
        assert not [line for line in spoilers if line in text]
    posters = {m["path"].with_name(m["poster"]).as_uri() for m in metas}
    shown = page.eval_on_selector_all(".card img", "imgs => imgs.map(i => i.src)") + [
        page.evaluate(f"{VIDEO}.poster")
    ]
    assert set(shown) <= posters
    assert page.problems == []


@pytest.mark.parametrize("fixture", ["parabola_en", "regression_es", "parabola_compare"])
def test_the_poster_is_a_frame_from_before_the_run(request, fixture):
    """The poster is the first frame of the run beat, and its caption band is none of the verdict's frames."""
    video, meta, _ = request.getfixturevalue(fixture)
    beats = [c["beat"] for c in meta["chapters"]]
    run = meta["chapters"][beats.index("predict") + 1]
    poster = Image.open(video.with_name(meta["poster"])).convert("RGB")
    assert poster.width <= 640
    assert differences(poster, frame_at(video, run["start"]))[0] < 4  # JPEG's loss only
    verdict = meta["chapters"][beats.index("verdict")]
    with av.open(str(video)) as box:
        bands = [
            differences(poster, f.to_ndarray(format="rgb24"))[1]
            for f in box.decode(video=0)
            if verdict["start"] + 0.5 <= f.time < verdict["end"]
        ]
    assert bands and min(bands) > 4 * differences(poster, frame_at(video, run["start"]))[1] + 2


@pytest.mark.parametrize("name", VIEWPORTS)
def test_the_layout_fits_each_screen(browser, page_videos, media, parabola_en, name, tmp_path):
    video, meta, _ = parabola_en
    width, height = VIEWPORTS[name]
    page = opened(browser, page_videos, media, (width, height))
    play_file(page, {**meta, "id": f"{video.stem}-low"})
    paused_at_predict(page, meta)  # the predict banner is up
    page.locator("#cmp-show").click()
    page.wait_for_function("['cmp-va', 'cmp-vb'].every(id => document.getElementById(id).readyState >= 1)")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(tmp_path / f"{width}x{height}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    boxes = {
        s: page.locator(s).bounding_box()
        for s in (
            "#video",
            "#play",
            "#seek",
            "#subs",
            "#now-playing",
            "#predict",
            "#chapters ol",
            "#cmp-a",
            "#cmp-b",
        )
    }
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= width for b in boxes.values())
    if name == "phone":  # stacked: the video full width, then its controls, then the chapters
        assert boxes["#video"]["width"] >= 0.9 * width
        assert (
            boxes["#video"]["y"] + boxes["#video"]["height"]
            <= boxes["#play"]["y"]
            < boxes["#chapters ol"]["y"]
        )
    else:  # everything a teacher needs above the fold, beside a video at least half the screen wide
        assert boxes["#video"]["width"] >= 0.5 * width
        needed = ("#video", "#play", "#seek", "#subs", "#now-playing", "#predict", "#chapters ol")
        assert all(boxes[s]["y"] + boxes[s]["height"] <= height for s in needed)
    assert page.problems == []


def test_compare_plays_two_runs_beat_by_beat(browser, page_videos, media, parabola_en, parabola_compare):
    (a, meta_a, _), (b, meta_b, _) = parabola_en, parabola_compare
    page = opened(browser, page_videos, media)
    lecture = "id => classPage.lectures.find(l => l.videos.some(v => v.id === id)).id"
    page.select_option("#cmp-a", page.evaluate(lecture, f"{a.stem}-low"))
    page.select_option("#cmp-b", page.evaluate(lecture, f"{b.stem}-low"))
    page.get_by_role("button", name="Side by side").click()
    page.wait_for_function("['cmp-va', 'cmp-vb'].every(id => document.getElementById(id).readyState >= 2)")
    assert page.evaluate("[classPage.cmp.a.id, classPage.cmp.b.id]") == [f"{a.stem}-low", f"{b.stem}-low"]
    # the question's beat ends at different times in the two videos: put the left one 0.3 s and the right one 1.2 s before
    # its end; the left one waits for the right one, then both play the run's beat
    k = 1
    ends = [meta_a["chapters"][k]["end"], meta_b["chapters"][k]["end"]]
    assert abs(ends[0] - ends[1]) > 0.2
    page.evaluate(
        """([k, ea, eb]) => { const c = classPage.cmp; c.k = k;
        c.va.currentTime = ea - 0.3; c.vb.currentTime = eb - 1.2; }""",
        [k, *ends],
    )
    seeked(page, "classPage.cmp.va", "classPage.cmp.vb")
    page.get_by_role("button", name="Play both").click()
    page.wait_for_function("classPage.cmp.va.paused && !classPage.cmp.vb.paused", timeout=3_000, polling=20)
    waiting = page.evaluate("classPage.cmp.va.currentTime")
    assert ends[0] - 0.1 <= waiting <= ends[0] + 0.3  # the left video waits at the end of its beat
    page.wait_for_function("classPage.cmp.k === 2", timeout=5_000, polling=20)
    page.wait_for_timeout(500)
    state = page.evaluate(
        "[classPage.cmp.va.paused, classPage.cmp.vb.paused, classPage.cmp.va.currentTime,"
        " classPage.cmp.vb.currentTime]"
    )
    assert state[:2] == [False, False]
    for t, meta in zip(state[2:], (meta_a, meta_b)):
        assert meta["chapters"][2]["start"] < t < meta["chapters"][2]["end"]
    # each figure names its own video's beat, in its language; the beat counter is the page's
    assert page.inner_text("#cmp-la").endswith(meta_a["chapters"][2]["title"])
    assert page.inner_text("#cmp-lb").endswith(meta_b["chapters"][2]["title"])
    assert page.inner_text("#cmp-beat") == page_words("en")["beat_of"].format(k=3, n=len(meta_a["chapters"]))
    # Next beat: both at the same beat's first frame (half a frame in), and playing
    page.locator("#cmp-next").click()
    seeked(page, "classPage.cmp.va", "classPage.cmp.vb")
    times = page.evaluate("[classPage.cmp.va.currentTime, classPage.cmp.vb.currentTime]")
    for t, meta in zip(times, (meta_a, meta_b)):
        assert meta["chapters"][3]["start"] <= t < meta["chapters"][3]["start"] + 0.3
    assert page.evaluate("[classPage.cmp.va.paused, classPage.cmp.vb.paused]") == [False, False]
    assert page.problems == []


@pytest.mark.parametrize("fixture", ["parabola_es", "regression_es"])
def test_the_slide_decks_have_one_slide_per_beat(browser, request, fixture):
    video, meta, _ = request.getfixturevalue(fixture)
    deck = Presentation(str(video.with_suffix(".pptx")))
    assert len(deck.slides) == len(meta["chapters"])
    for slide, chapter in zip(deck.slides, meta["chapters"]):
        assert [s.shape_type for s in slide.shapes] == [MSO_SHAPE_TYPE.MEDIA]
        said = [c["text"] for c in meta["captions"] if chapter["start"] <= c["start"] < chapter["end"]]
        assert slide.notes_slide.notes_text_frame.text == "\n".join(said)
    # the HTML deck works offline: every file it loads is in its folder, and → goes to the next slide
    page = opened(browser, video.with_suffix(".html"), video.parent)
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    assert page.evaluate("Reveal.getTotalSlides()") == len(meta["chapters"])
    page.keyboard.press("ArrowRight")
    page.wait_for_function("Reveal.getIndices().h === 1")
    assert page.problems == []


def test_the_transcript_link_opens_the_text_with_its_accents(browser, page_videos, media, parabola_es):
    """From the card, as a student would: the page links the transcript and Chromium reads it as UTF-8."""
    video, meta, _ = parabola_es
    page = opened(browser, page_videos, media)
    href = page.get_attribute(f'a[href$="{video.stem}.txt"]', "href")
    assert href == f"parabola/low/{video.stem}.txt"
    page.goto((media / href).as_uri())
    shown = page.evaluate("document.body.innerText")
    assert shown.startswith("Descenso de gradiente con momento") and meta["captions"][0]["text"] in shown


# ---- sidecars a stranger wrote into the output folder: each card left out in one line, the others work

SCRIPT_FOLDER = "javascript:alert(document.domain)"  # an output sub-folder named like a link that runs


def linked(video: Path, folder: Path, stem: str, **changes) -> Path:
    """The render of `video` (video, subtitles, chapters, transcript, poster; no decks) hard-linked into
    `folder` under the name `stem`, its sidecar's fields changed by `changes`; the new sidecar's path."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = json.loads(video.with_suffix(".json").read_text())
    for suffix in FILES[:6]:
        os.link(video.with_name(video.stem + suffix), folder / f"{stem}{suffix}")
    renamed = {k: v.replace(video.stem, stem) for k, v in meta.items() if k in ("transcript", "poster")}
    subtitles = {k: v.replace(video.stem, stem) for k, v in meta["subtitles"].items()}
    files = {s: sha for s, sha in meta["files"].items() if s in FILES[:6]}
    meta = {k: v for k, v in meta.items() if k != "slides"}
    path = folder / f"{stem}.json"
    path.write_text(json.dumps({**meta, **renamed, "subtitles": subtitles, "files": files, **changes}))
    return path


def relinked(name: str, make):
    """An edit that replaces the file `<stem><name>` of the render by what make(path) makes."""

    def edit(path: Path) -> None:
        target = path.with_name(path.stem + name)
        target.unlink()
        make(target)

    return edit


def raw(key: str, literal: str):
    """An edit that sets the sidecar's `key` to the JSON text `literal` (one that JSON itself may refuse)."""

    def edit(path: Path) -> None:
        meta = json.loads(path.read_text())
        path.write_text(json.dumps({**meta, key: "\ufffd"}).replace('"\\ufffd"', literal))

    return edit


def latin1(path: Path) -> None:
    """An edit that writes the sidecar in Latin-1, not UTF-8 (its headline says café)."""
    meta = {**json.loads(path.read_text()), "headline": "café"}
    path.write_bytes(json.dumps(meta, ensure_ascii=False).encode("latin-1", "replace"))


def foreign_language(path: Path) -> None:
    """An edit that names as the sidecar's language a whole language file out of the language folder."""
    shutil.copyfile(locales.folder() / "en.po", path.with_name("evil.po"))
    meta = json.loads(path.read_text())
    lang = os.path.relpath(path.with_name("evil"), locales.folder())
    path.write_text(json.dumps({**meta, "lang": lang}))


ZERO = "/" + "../" * 40 + "dev/zero"
STRANGERS = {  # a sidecar's fields changed, or an edit of the sidecar or its files
    "poster out of the folder": {"poster": "../../../../etc/passwd"},
    "transcript at an absolute path": {"transcript": "/etc/passwd"},
    "files key to /dev/zero": {"files": {ZERO: "0" * 64}},
    "files key that is no suffix": {"files": {".evil": "0" * 64}},
    "language out of the folder": foreign_language,
    "a chapter that is null": {"chapters": [None]},
    "a chapter's title that is a list": {"chapters": [{"beat": "intro", "title": [], "start": 0, "end": 1}]},
    "duration 1e999": raw("duration", "1e999"),
    "vtt linked to /etc/passwd": relinked(".vtt", lambda p: p.symlink_to("/etc/passwd")),
    "chapters a FIFO": relinked(".chapters.vtt", os.mkfifo),
    "not UTF-8": latin1,
    "6 MB": raw("question", '"' + "x" * (6 << 20) + '"'),
    "nested 100 000 deep": raw("duration", "[" * 100_000),
}


def build_page(folder: Path) -> str:
    """Build the class page of `folder` in a process of its own (a page that waits on a FIFO fails the test
    instead of hanging it); its stderr."""
    code = "import sys; from pathlib import Path; from scenes.pages.classpage import write_page; write_page(Path(sys.argv[1]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stderr


@pytest.fixture(scope="module")
def strangers(tmp_path_factory, parabola_en, parabola_compare, regression_en):
    """A folder with three good lectures (one in SCRIPT_FOLDER) and a stranger's sidecar for each entry of
    STRANGERS; its class page built. Returns the folder, the good cards' ids, the strangers' sidecars and
    the builder's stderr."""
    folder = tmp_path_factory.mktemp("strangers")
    good = [
        linked(parabola_en[0], folder / "parabola" / "low", parabola_en[0].stem),
        linked(parabola_compare[0], folder / "parabola" / "low", parabola_compare[0].stem),
        linked(regression_en[0], folder / SCRIPT_FOLDER / "low", regression_en[0].stem),
    ]
    bad = []
    for k, edit in enumerate(STRANGERS.values()):  # each its own lecture (x0), were it let in
        params = {**parabola_en[1]["params"], "x0": 1.0 + k / 10}
        changes = edit if isinstance(edit, dict) else {}
        bad.append(
            linked(parabola_en[0], folder / "bad" / str(k), f"parabola-en-bad{k}", params=params, **changes)
        )
        if callable(edit):
            edit(bad[-1])
    said = build_page(folder)
    return folder, [f"{p.stem}-low" for p in good], bad, said


def test_a_stranger_s_sidecar_is_left_out_in_one_line_and_the_others_work(browser, strangers):
    folder, good, bad, said = strangers
    warned = [line for line in said.splitlines() if line.startswith("warning:")]
    assert sorted(warned) == sorted(next(w for w in warned if str(p) in w) for p in bad), said
    assert len(warned) == len(bad)  # one line each, and none for the good ones
    page = opened(browser, folder / "index.html", folder)
    assert sorted(page.eval_on_selector_all("button.open", "bs => bs.map(b => b.dataset.id)")) == sorted(good)
    links = page.eval_on_selector_all("a[href], img[src]", "els => els.map(e => e.href || e.src)")
    assert links and all(link.startswith(folder.as_uri() + "/") for link in links)  # no scheme, nothing out
    # the lecture in the folder named like a script plays from that folder
    page.locator(f'button.open[data-id="{good[2]}"]').click()
    page.wait_for_function(f"{VIDEO}.readyState >= 2")
    src = page.evaluate(f"{VIDEO}.currentSrc")
    assert unquote(src) == unquote((folder / SCRIPT_FOLDER / "low" / f"{good[2][:-4]}.mp4").as_uri())
    # the compare menus list the good lectures, and two parabolas play side by side
    assert len(page.eval_on_selector_all("#cmp-a option", "os => os.map(o => o.value)")) == 3
    lecture = "id => classPage.lectures.find(l => l.videos.some(v => v.id === id)).id"
    page.select_option("#cmp-a", page.evaluate(lecture, good[0]))
    page.select_option("#cmp-b", page.evaluate(lecture, good[1]))
    page.locator("#cmp-show").click()
    page.wait_for_function("['cmp-va', 'cmp-vb'].every(id => document.getElementById(id).readyState >= 2)")
    assert page.evaluate("[classPage.cmp.a.id, classPage.cmp.b.id]") == good[:2]
    assert page.problems == []


# ---- issue 30: the class page says what the video says


def test_each_card_s_explore_link_opens_its_own_setting(browser, page_videos, media):
    """After a comparison was rendered too, each card's Explore link opens the explorer at its own α, β,
    rule and steps (the comparison's at its first run), with no note that anything was snapped."""
    page = opened(browser, page_videos, media)
    links = dict(page.eval_on_selector_all("a.explore", "as => as.map(a => [a.dataset.id, a.href])"))
    metas = [m for m in sidecars(media) if m["scene"] in ("parabola", "regression")]
    assert metas and sorted(links) == sorted(m["id"] for m in metas)
    first = lambda v: v[0] if isinstance(v, list) else v  # noqa: E731 -- a comparison opens on its first run
    for meta in metas:
        explorer = browser.new_page()
        explorer.goto(links[meta["id"]])
        explorer.wait_for_function("window.explorer && window.explorer.ready", timeout=20_000)
        state = explorer.evaluate("explorer.state()")
        want = {k: first(meta["params"][k]) for k in ("lr", "beta", "variant")}
        assert {k: state[k] for k in want} == want, meta["id"]
        steps = explorer.evaluate("JSON.parse(document.getElementById('data').textContent).steps")
        assert steps == meta["params"]["steps"] and not explorer.is_visible("#address-note")
        explorer.close()
    assert page.problems == []


@pytest.fixture(scope="module")
def every_lecture(tmp_path_factory, parabola_en):
    """A folder with a card for every lecture (each scene a sidecar may name: gdcore's problems and the
    (α, β) map), the parabola's render under each name; its class page built."""
    from scenes.pipeline.sidecar import scene_names

    folder = tmp_path_factory.mktemp("every-lecture")
    for k, scene in enumerate(scene_names()):
        params = {**parabola_en[1]["params"], "x0": 1.0 + k / 10}  # each its own lecture
        linked(parabola_en[0], folder / scene / "low", f"{scene}-en-{k}", scene=scene, params=params)
    build_page(folder)
    return folder, scene_names()


def test_every_lecture_is_named_from_its_language_file_in_every_language(browser, every_lecture):
    folder, scenes = every_lecture
    page = opened(browser, folder / "index.html", folder)
    for lang in locales.available():
        page.select_option("#page-lang", lang)
        names = {s: page_words(lang)[f"scene_{s}"] for s in scenes}
        cards = page.eval_on_selector_all(
            ".card", "cs => cs.map(c => [c.dataset.scene, c.querySelector('h3 span').textContent])"
        )
        filters = page.eval_on_selector_all(
            "button.filter[data-scene]:not([data-scene=''])",
            "bs => bs.map(b => [b.dataset.scene, b.textContent])",
        )
        assert sorted(map(tuple, cards)) == sorted(names.items()) == sorted(map(tuple, filters))
        menu = page.eval_on_selector_all("#cmp-a option", "os => os.map(o => o.textContent)")
        assert sorted(name.split(" · ")[0] for name in menu) == sorted(names.values())
        assert page.inner_text("#now-playing").split(" · ")[0] in names.values()
        assert "scene_" not in page.inner_text("body")
    assert page.problems == []


def test_the_subtitles_are_the_video_s_own_and_cover_nothing(browser, page_videos, media, parabola_es):
    """The Spanish video offers Spanish subtitles only, its own cues at its own times, written under the
    picture: the picture is the video's frame, captions and all."""
    video, meta, _ = parabola_es
    page = opened(browser, page_videos, media, VIEWPORTS["projector"])
    play_file(page, {**meta, "id": f"{video.stem}-low"})
    assert page.eval_on_selector_all("#subs option", "os => os.map(o => o.value)") == ["", "es"]
    page.select_option("#subs", "es")
    for cue in meta["captions"][1:-1:3]:
        t = (cue["start"] + cue["end"]) / 2
        page.evaluate(f"t => {{ {VIDEO}.currentTime = t; }}", t)
        seeked(page)
        page.wait_for_function(
            "c => document.getElementById('subtitle').textContent.split(/\\s+/).join(' ') === c",
            arg=cue["text"],
        )
        assert page.evaluate(f"[...{VIDEO}.textTracks].filter(t => t.mode === 'showing').length") == 0
    top, bottom = page.evaluate(  # in one frame: the page may still be scrolling to the player
        "['subtitle', 'video'].map(id => document.getElementById(id).getBoundingClientRect())"
        ".map((r, k) => k ? r.bottom : r.top)"
    )
    assert top >= bottom - 1 and page.get_attribute("#subtitle", "lang") == "es"
    whole, band = differences(picture(page), frame_at(video, t))
    assert band < 10 and whole < 5, (whole, band)
    assert page.problems == []


def test_the_page_s_language_switches_numbers_buttons_and_the_loaded_video(
    browser, page_videos, media, parabola_en, parabola_es
):
    from scenes.pages.classpage import shown

    (en, meta, _), (es, _, _) = parabola_en, parabola_es
    page = opened(browser, page_videos, media)
    play_file(page, {**meta, "id": f"{en.stem}-low"})
    card = page.locator(f'.card:has(button.open[data-id="{en.stem}-low"])')
    for lang, video in (("en", en), ("es", es), ("en", en)):
        page.select_option("#page-lang", lang)
        params = card.locator(".params")
        assert params.inner_text() == shown(meta["params"], lang) and params.get_attribute("lang") == lang
        assert page.inner_text("#cmp-play") == page_words(lang)["play_both"]
        page.wait_for_function(
            f"s => {VIDEO}.currentSrc.endsWith(s) && {VIDEO}.readyState >= 1", arg=video.name
        )
        assert page.evaluate("classPage.current.lang") == lang
    assert "0,4" in shown(meta["params"], "es") and "0.4" in shown(meta["params"], "en")
    assert page.problems == []


def test_a_server_without_byte_ranges_is_named_and_the_projects_server_seeks(
    browser, page_videos, media, parabola_en
):
    """Python's http.server sends videos whole: the page says so and names the server that seeks
    (python -m scenes.pages.serve), whose chapters land inside their beat."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from scenes.pages.serve import server

    video, meta, _ = parabola_en
    plain = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(SimpleHTTPRequestHandler, directory=str(media))
    )
    ranged = server(media, 0)
    for httpd in (plain, ranged):
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        for httpd, seeks in ((plain, False), (ranged, True)):
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/index.html")
            play_file(page, {**meta, "id": f"{video.stem}-low"})
            assert page.is_visible("#no-seek") == (not seeks)
            assert "python -m scenes.pages.serve" in page.inner_text("#no-seek") or seeks
            page.locator("#chapters button").nth(3).click()
            seeked(page)
            start = meta["chapters"][3]["start"]
            assert (start <= page.evaluate(f"{VIDEO}.currentTime") < start + 1 / 15) == seeks
            page.close()
    finally:
        for httpd in (plain, ranged):
            httpd.shutdown()
            httpd.server_close()
