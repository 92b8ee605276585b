"""A language per file, seen in the rendered lecture: the transcript beside every video, linked from the class
page and part of the cache; French on screen; a language added as one file renders with no code change."""

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from videos import ROOT, render

from scenes.words import locales
from scenes.words.captions import text

TINY = ["--steps", "3", "--x0", "3"]


@pytest.fixture(scope="module")
def parabola_fr(tmp_path_factory):
    return render(tmp_path_factory.mktemp("fr"), *TINY, "--lang", "fr")


def paragraphs(transcript: str) -> list[str]:
    """The transcript's blocks, a heading's underline dropped: title, chapter titles and captions in order."""
    return [block.splitlines()[0] for block in transcript.strip().split("\n\n")]


def test_the_transcript_has_the_title_the_chapters_and_every_caption_in_order(parabola_fr):
    video, meta, _ = parabola_fr
    raw = video.with_suffix(".txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with its mark, so that a browser shows the accents
    transcript = raw.decode("utf-8-sig")
    assert meta["transcript"] == video.stem + ".txt"
    expected = ["La descente de gradient avec momentum"]
    for chapter in meta["chapters"]:
        expected.append(chapter["title"])
        expected += [c["text"] for c in meta["captions"] if chapter["start"] <= c["start"] < chapter["end"]]
    assert paragraphs(transcript) == expected
    assert len(meta["captions"]) == len(expected) - 1 - len(meta["chapters"])  # none left out
    # headings are underlined, so a reader (and a screen reader) can tell them from captions
    assert re.search(r"^Le verdict\n-{10}$", transcript, re.MULTILINE)
    assert transcript.splitlines()[1] == "=" * len(expected[0])


def test_the_lecture_is_in_french_with_its_typography(parabola_fr):
    _, meta, _ = parabola_fr
    texts = [c["text"] for c in meta["captions"]]
    assert texts[0].startswith("Prédisez") and texts[0].endswith("\u202f?")
    assert meta["chapters"][0]["title"] == "La question"
    assert all(" :" not in t and " ?" not in t for t in texts)  # the narrow no-break space, never a space


def test_the_class_page_links_the_transcript(parabola_fr):
    video, _, _ = parabola_fr
    page = (video.parents[2] / "index.html").read_text(encoding="utf-8")
    links = [html.unescape(h) for h in re.findall(r'href="([^"]+\.txt)"', page)]
    assert links == [f"parabola/low/{video.stem}.txt"] and (video.parents[2] / links[0]).is_file()
    assert 'data-w="transcript">Transcription</span>' in page and "Français" in page  # the page's word, the
    # language's own name, in the language of the page (that of its videos)


def test_a_missing_transcript_is_a_broken_cache_entry(tmp_path):
    video, _, _ = render(tmp_path, *TINY)
    video.with_suffix(".txt").unlink()
    again, _, second = render(tmp_path, *TINY)
    assert again == video and "Animation" in second.stderr and video.with_suffix(".txt").is_file()


def test_a_language_added_as_one_file_renders_with_its_words(tmp_path):
    folder = tmp_path / "locales"
    shutil.copytree(locales.folder(), folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    po = (folder / "fr.po").read_text(encoding="utf-8")
    (folder / "xx.po").write_text(
        po.replace('msgstr "La question"', 'msgstr "Xx question"'), encoding="utf-8"
    )
    env = {**os.environ, "MOMENTUM_LOCALES": str(folder)}
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "render.py"),
            "--quality",
            "low",
            "--output",
            str(tmp_path),
            *TINY,
            "--lang",
            "xx",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    video = Path(proc.stdout.strip().splitlines()[-1])
    meta = json.loads(video.with_suffix(".json").read_text())
    assert video.name.startswith("parabola-xx-") and meta["lang"] == "xx"
    assert meta["chapters"][0]["title"] == "Xx question" and meta["chapters"][1]["title"] == text(
        "fr", "beat_predict"
    )


POINT = re.compile(r"\d\.\d")  # a number with "." as its decimal sign


def test_the_french_lecture_writes_every_number_with_a_comma_and_keeps_its_data(parabola_fr):
    """Captions, .srt, .vtt and transcript say "0,6", every ρ of a caption's claims as it writes it; the
    sidecar's claims and params stay JSON numbers."""
    video, meta, _ = parabola_fr
    rows = [c["text"] for c in meta["captions"]]
    for suffix in (".srt", ".vtt"):
        rows += [
            r for r in video.with_suffix(suffix).read_text(encoding="utf-8").splitlines() if "-->" not in r
        ]
    rows += video.with_suffix(".txt").read_text(encoding="utf-8-sig").splitlines()
    assert rows and not [r for r in rows if POINT.search(r)]
    rates = [
        (c["text"], claim) for c in meta["captions"] for claim in c["claims"] if claim["claim"] == "rate"
    ]
    assert rates
    for caption, claim in rates:
        assert isinstance(claim["rho"], float) and f"{claim['rho']:.4f}".replace(".", ",") in caption
    assert all(isinstance(meta["params"][k], float) for k in ("lr", "beta", "x0"))
    assert "β = 0,6" in " ".join(rows) and meta["params"]["beta"] == 0.6


def test_the_axis_numbers_of_a_spanish_map_are_written_with_a_comma():
    """The map's β axis (Manim's DecimalNumber tick numbers) reads 0,2 … 1,0 in Spanish: its "." glyph is a
    comma (it goes below the digits' baseline, as the comma TeX draws does), its value unchanged."""
    from manim import MathTex

    from scenes.kit.pieces import written_ticks
    from scenes.lectures.landscape import map_axes
    from scenes.pipeline.request import resolve

    land, numbers = resolve("landscape", {"steps": (10,)}), {}
    for lang in ("en", "es"):  # the map's axes as LandscapeLecture makes them, with its language's sign
        numbers[lang] = list(written_ticks(map_axes(land), locales.load(lang).decimal_sign).y_axis.numbers)
    assert [n.get_value() for n in numbers["es"]] == [n.get_value() for n in numbers["en"]]
    assert [n.written for n in numbers["es"]][:3] == ["0,2", "0,4", "0,6"]
    assert not hasattr(numbers["en"][0], "written")  # English: Manim's own numbers, untouched
    comma = MathTex("0{,}")
    descent = (comma[0][0].get_bottom()[1] - comma[0][1].get_bottom()[1]) / comma.height  # of the comma, > 0
    for es, en in zip(numbers["es"], numbers["en"]):
        digit, sign = es[0], es[1]
        assert digit.get_bottom()[1] - sign.get_bottom()[1] == pytest.approx(descent * es.height, rel=0.15)
        assert abs(en[0].get_bottom()[1] - en[1].get_bottom()[1]) < 0.02 * en.height  # "." on the baseline
        assert sign.get_top()[1] == pytest.approx(en[1].get_top()[1], abs=1e-6)


def test_a_tex_comma_in_braces_compiles_and_adds_no_space():
    """TeX reads a bare comma in math as punctuation (a space after it); `{,}` is a decimal comma: "0{,}95"
    is as wide as "0.95", narrower than "0,95"."""
    from manim import MathTex

    braced, bare, point = (MathTex(t).width for t in ("0{,}95", "0,95", "0.95"))
    assert braced == pytest.approx(point, rel=0.02) and bare > braced * 1.05
