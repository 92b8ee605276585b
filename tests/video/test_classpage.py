"""The class page and the slide decks, in a real browser: Debian's headless Chromium driven by Playwright,
pages opened from file:// as a teacher opens them. Truth comes from the sidecars and the files on disk."""
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from videos import frame_at

BROWSERS = ("chromium-headless-shell", "chromium")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    found = next(filter(None, map(shutil.which, BROWSERS)), None)
    assert found, "no headless Chromium: `bash setup.sh python -m pytest` installs chromium-headless-shell"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=found, args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def page_videos(media, parabola_en, parabola_es, regression_en, regression_es, parabola_compare):
    """The class page after both lectures in both languages and a comparison landed in one folder."""
    return media / "index.html"


def opened(browser, path: Path, folder: Path):
    """A page at `path`, recording console errors and every request that leaves `folder`."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.on("request", lambda r: r.url.startswith(("data:", f"file://{folder}/")) or page.problems.append(r.url))
    page.goto(path.as_uri())
    return page


def sidecars(media: Path) -> list[dict]:
    """Every finished video's sidecar under `media`, newest video first."""
    found = [p for p in media.rglob("*.json") if p.with_suffix(".mp4").is_file()]
    found.sort(key=lambda p: p.with_suffix(".mp4").stat().st_mtime, reverse=True)
    return [{**json.loads(p.read_text()), "id": p.stem} for p in found]


def test_every_card_plays_with_its_subtitles_and_chapters(browser, page_videos, media):
    page = opened(browser, page_videos, media)
    metas = sidecars(media)
    assert page.eval_on_selector_all(".card", "cards => cards.map(c => c.dataset.id)") == [m["id"] for m in metas]
    for meta in metas:
        page.evaluate("id => classPage.open(classPage.videos.find(v => v.id === id))", meta["id"])
        page.wait_for_function("document.getElementById('video').readyState >= 1", timeout=10_000)
        # hidden tracks load their cues without drawing them
        page.evaluate("for (const t of document.getElementById('video').textTracks) t.mode = 'hidden'")
        page.wait_for_function("[...document.getElementById('video').textTracks].every(t => t.cues && t.cues.length)",
                               timeout=10_000)
        tracks = page.evaluate("""[...document.getElementById('video').textTracks].map(t =>
            ({kind: t.kind, lang: t.language, cues: t.cues.length, first: t.cues[0].text}))""")
        own = next(t for t in tracks if t["kind"] == "subtitles" and t["lang"] == meta["lang"])
        assert own["cues"] == len(meta["captions"]) and own["first"] == meta["captions"][0]["text"]
        chapters = next(t for t in tracks if t["kind"] == "chapters")
        assert chapters["cues"] == len(meta["chapters"]) and chapters["first"] == meta["chapters"][0]["title"]
        duration = page.evaluate("document.getElementById('video').duration")
        assert abs(duration - meta["duration"]) < 0.5
    # the same run in the other language is offered as a second subtitle track
    en = next(m for m in metas if m["scene"] == "regression" and m["lang"] == "en")
    page.evaluate("id => classPage.open(classPage.videos.find(v => v.id === id))", en["id"])
    assert page.evaluate("[...document.getElementById('video').textTracks].filter(t => t.kind === 'subtitles')"
                         ".map(t => t.language).sort()") == ["en", "es"]
    assert page.problems == []


def test_the_scene_filter_shows_only_that_scene(browser, page_videos, media):
    page = opened(browser, page_videos, media)
    # every control can be named by a screen reader: buttons by their text, selects by their label
    assert page.eval_on_selector_all("button", "bs => bs.filter(b => !(b.textContent.trim() || b.ariaLabel))") == []
    assert page.eval_on_selector_all("select", "ss => ss.filter(s => !s.labels.length).map(s => s.id)") == []
    page.get_by_role("button", name="regression", exact=True).click()
    visible = page.eval_on_selector_all(".card", "cards => cards.filter(c => !c.hidden).map(c => c.dataset.scene)")
    assert visible and set(visible) == {"regression"}
    assert page.problems == []


def test_a_chapter_click_seeks_to_its_beat(browser, page_videos, media, parabola_en):
    video, meta, _ = parabola_en
    page = opened(browser, page_videos, media)
    page.locator(f'.card[data-id="{video.stem}"] button.open').click()
    page.wait_for_function("document.getElementById('video').readyState >= 1")
    for k, chapter in enumerate(meta["chapters"]):
        page.locator("#chapters button").nth(k).click()
        page.wait_for_function("document.getElementById('video').seeking === false")
        now = page.evaluate("document.getElementById('video').currentTime")
        assert abs(now - meta["beats"][chapter["beat"]]) < 0.1, chapter
    assert page.problems == []


def test_present_mode_pauses_before_the_run_with_the_question_up(browser, page_videos, media, parabola_en):
    video, meta, _ = parabola_en
    page = opened(browser, page_videos, media)
    page.evaluate("id => classPage.open(classPage.videos.find(v => v.id === id))", video.stem)
    page.wait_for_function("document.getElementById('video').readyState >= 1")
    page.get_by_role("button", name="Present mode").click()
    predict = next(c for c in meta["chapters"] if c["beat"] == "predict")
    page.evaluate("t => { const v = document.getElementById('video'); v.muted = true; v.currentTime = t; }",
                  predict["end"] - 1.0)
    page.wait_for_function("document.getElementById('video').seeking === false")
    page.keyboard.press("Space")
    page.wait_for_function("document.getElementById('video').paused", timeout=5_000, polling=50)
    stopped = page.evaluate("document.getElementById('video').currentTime")
    assert predict["end"] - 0.1 <= stopped <= predict["end"] + 0.3
    assert page.is_visible("#predict")  # the page says: predict now
    # the caption on screen at the pause is the question
    cue = next(c for c in meta["captions"] if c["start"] <= stopped < c["end"])
    assert cue["text"] == next(c["text"] for c in meta["captions"] if c["start"] >= predict["start"])
    assert page.inner_text("#question") == cue["text"]
    highlighted = page.get_attribute('#chapters button[aria-current="true"]', "data-k")
    assert highlighted == str(meta["chapters"].index(predict))
    # → plays the run and pauses at its end; ← replays the beat from its start
    page.keyboard.press("ArrowRight")
    page.wait_for_function("!document.getElementById('video').paused")
    assert not page.is_visible("#predict")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("document.getElementById('video').seeking === false")
    now = page.evaluate("document.getElementById('video').currentTime")
    run = meta["chapters"][meta["chapters"].index(predict) + 1]
    assert run["start"] - 0.05 <= now < run["start"] + 0.5
    # F: the player full screen, and back
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement && document.fullscreenElement.id === 'stage'")
    page.keyboard.press("f")
    page.wait_for_function("!document.fullscreenElement")
    assert page.problems == []


def test_compare_plays_two_runs_beat_by_beat(browser, page_videos, media, parabola_en, parabola_compare):
    (a, meta_a, _), (b, meta_b, _) = parabola_en, parabola_compare
    page = opened(browser, page_videos, media)
    page.select_option("#cmp-a", a.stem)
    page.select_option("#cmp-b", b.stem)
    page.get_by_role("button", name="Side by side").click()
    page.wait_for_function("['cmp-va', 'cmp-vb'].every(id => document.getElementById(id).readyState >= 2)")
    # beat 2 ends at different times in the two videos: put the left one 0.3 s and the right one 1.2 s before
    # its end; the left one waits for the right one, then both play beat 3
    k = 2
    ends = [meta_a["chapters"][k]["end"], meta_b["chapters"][k]["end"]]
    assert abs(ends[0] - ends[1]) > 0.2
    page.evaluate("""([k, ea, eb]) => { const c = classPage.cmp; c.k = k;
        c.va.currentTime = ea - 0.3; c.vb.currentTime = eb - 1.2; }""", [k, *ends])
    page.wait_for_function("!classPage.cmp.va.seeking && !classPage.cmp.vb.seeking")
    page.get_by_role("button", name="Play both").click()
    page.wait_for_function("classPage.cmp.va.paused && !classPage.cmp.vb.paused", timeout=3_000, polling=20)
    waiting = page.evaluate("classPage.cmp.va.currentTime")
    assert ends[0] - 0.1 <= waiting <= ends[0] + 0.3  # the left video waits at the end of its beat
    page.wait_for_function("classPage.cmp.k === 3", timeout=5_000, polling=20)
    page.wait_for_timeout(500)
    state = page.evaluate("[classPage.cmp.va.paused, classPage.cmp.vb.paused, classPage.cmp.va.currentTime,"
                          " classPage.cmp.vb.currentTime]")
    assert state[:2] == [False, False]
    for t, meta in zip(state[2:], (meta_a, meta_b)):
        assert meta["chapters"][3]["start"] < t < meta["chapters"][3]["end"]
    # the step buttons move both to the same beat's start
    page.get_by_role("button", name="Next beat →").last.click()
    page.wait_for_function("!classPage.cmp.va.seeking && !classPage.cmp.vb.seeking")
    times = page.evaluate("[classPage.cmp.va.currentTime, classPage.cmp.vb.currentTime]")
    assert times == pytest.approx([meta_a["chapters"][4]["start"], meta_b["chapters"][4]["start"]], abs=0.1)
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


def test_the_poster_is_the_frame_of_the_verdict(parabola_en):
    from PIL import Image

    video, meta, _ = parabola_en
    verdict = next(c for c in meta["chapters"] if c["beat"] == "verdict")
    shown = Image.fromarray(frame_at(video, min(verdict["end"], verdict["start"] + 6.0) - 0.2))
    poster = Image.open(video.with_name(meta["poster"]))
    assert poster.width <= 640 and abs(poster.width / poster.height - shown.width / shown.height) < 0.01
    expected = np.asarray(shown.resize(poster.size), dtype=float)
    assert np.abs(np.asarray(poster.convert("RGB"), dtype=float) - expected).mean() < 4  # JPEG's loss only
    caption = next(c for c in meta["captions"] if c["start"] >= verdict["start"])["text"]
    assert meta["headline"] == caption


def test_the_transcript_link_opens_the_text_with_its_accents(browser, page_videos, media, parabola_es):
    """From the card, as a student would: the page links the transcript and Chromium reads it as UTF-8."""
    video, meta, _ = parabola_es
    page = opened(browser, page_videos, media)
    href = page.get_attribute(f'.card[data-id="{video.stem}"] a[href$=".txt"]', "href")
    assert href == f"parabola/low/{video.stem}.txt"
    page.goto((media / href).as_uri())
    shown = page.evaluate("document.body.innerText")
    assert shown.startswith("Descenso de gradiente con momento") and meta["captions"][0]["text"] in shown
