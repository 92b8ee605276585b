"""Each language writes its numbers its own way: the decimal sign from CLDR (Babel) for the file's Language or
from its decimal_sign message, in every caption, subtitle, transcript line and spoken sentence; lists that stay
readable; English unchanged; the data (claims, params, CSV) untouched."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol
from click.testing import CliRunner

import render
from gdcore import Comparison, Landscape
from scenes.api import lesson
from scenes.words import locales, story
from scenes.words.captions import Listing, Percent, decimals, fmt, speech, text
from scenes.words.narration import transcript, webvtt

SHIPPED = Path(locales.__file__).parent
POINT = re.compile(r"\d\.\d")  # a number written with "." as its decimal sign
NUMBER = re.compile(r"\d+\.\d+(?:e[-+]\d+)?")
LECTURES = {  # scene → options: single runs, comparisons, a divergence, the map
    "parabola": {"steps": (40,)},
    "parabola_div": {"lr": (7.5,), "steps": (30,)},
    "parabola_cmp": {"beta": (0.0, 0.5, 0.9), "steps": (40,)},
    "regression": {"steps": (40,)},
    "regression_cmp": {"lr": (0.05, 0.1), "steps": (40,)},
    "valleys": {"steps": (60,)},
    "ravine": {"steps": (40,)},
    "ravine_cmp": {"beta": (0.5, 0.9), "steps": (40,)},
    "landscape": {"steps": (30,)},
}


def subject(name: str):
    return lesson(name.split("_")[0], **LECTURES[name])


def lines(s) -> list[story.Line]:
    """The lecture's decisive captions, as the scenes say them: the question, the events, the verdict."""
    if isinstance(s, Landscape):  # its tour's captions are the scene's (tests/video: the sidecar)
        return [story.predict(s), story.map_limit(s)]
    said = [story.predict(s)] + [one for _, one in story.run_events(s)]
    if isinstance(s, Comparison):
        return said + (story.valleys_verdict(s) if s.scene == "valleys" else story.compare_verdict(s))
    return said + story.verdict(s)


def filled(lang: str, s, line: story.Line) -> str:
    return text(lang, line.key, **{**s.problem.formulas, **line.values})


def rhos(claims) -> list[float]:
    """Every ρ the claims hold (rate, same_rate, direction rates…), found by walking them."""
    if isinstance(claims, dict):
        found = [v for k, v in claims.items() if k in ("rho", "plain_rho") and isinstance(v, float)]
        return found + [r for v in claims.values() for r in rhos(v)]
    if isinstance(claims, list):
        return [r for v in claims for r in rhos(v)]
    return []


def test_the_decimal_sign_is_cldrs_for_each_files_language():
    for code in ("en", "es", "fr"):
        language = locales.load(code)
        assert language.decimal_sign == get_decimal_symbol(language.locale)
    assert [locales.load(c).decimal_sign for c in ("en", "es", "fr")] == [".", ",", ","]


@pytest.mark.parametrize("name", LECTURES)
@pytest.mark.parametrize("lang", ["es", "fr"])
def test_a_lecture_in_spanish_or_french_writes_every_number_with_a_comma(name, lang):
    s = subject(name)
    said = lines(s)
    cues = [(2.0 * i, 2.0 * i + 1.5, filled(lang, s, one)) for i, one in enumerate(said)]
    for (_, _, caption), one in zip(cues, said):
        english = filled("en", s, one)
        assert not POINT.search(caption), caption
        for number in NUMBER.findall(english):  # each number the English line shows, with a comma
            assert number.replace(".", ",") in caption, (number, caption)
        for rho in rhos(one.claims):  # the claims' ρ as the caption writes it
            if fmt(rho) in english:
                assert fmt(rho).replace(".", ",") in caption
    # the subtitles and the transcript are the same cues: no "." number outside the WebVTT timestamps
    vtt = [row for row in webvtt(cues).splitlines() if "-->" not in row]
    chapters = [{"title": text(lang, "beat_intro"), "start": 0.0, "end": cues[-1][1]}]
    for row in vtt + transcript(text(lang, "title"), chapters, cues).splitlines():
        assert not POINT.search(row), row


@pytest.mark.parametrize("name", LECTURES)
def test_english_captions_are_the_messages_filled_as_before(name):
    """English: the msgstr of en.po (read with Babel alone) formatted with the values as Python writes them."""
    with (SHIPPED / "en.po").open("rb") as handle:
        catalog = {m.context: m.string for m in read_po(handle) if m.id}
    s = subject(name)
    for one in lines(s):
        message = catalog[one.key]
        if isinstance(message, tuple):
            message = message[0 if one.values.get("count") == 1 else 1]
        values = {**s.problem.formulas, **one.values}
        plain = {
            k: ", ".join(v)
            if isinstance(v, Listing)
            else f"{float(f'{v:.2g}') * 100:.10g}%"  # CLDR's English percent, as Python writes it
            if isinstance(v, Percent)
            else getattr(v, "text", v)
            for k, v in values.items()
            if not hasattr(v, "key")  # a Phrase: its own message
        }
        if any(hasattr(v, "key") for v in values.values()):
            continue
        assert filled("en", s, one) == message.format(**plain)


def test_a_list_of_numbers_reads_back_as_its_values():
    """β = 0 ; 0,5 ; 0,9 in French: the numbers after "β = " are the values, a semicolon between them."""
    c = subject("parabola_cmp")
    for lang in ("es", "fr"):
        said = filled(lang, c, story.predict(c)).split("β = ", 1)[1]
        numbers = list(re.finditer(r"\d+(?:,\d+)?", said))[: len(c.values)]
        assert [float(n.group().replace(",", ".")) for n in numbers] == list(c.values), said
        between = [said[a.end() : b.start()] for a, b in zip(numbers, numbers[1:])]
        assert all(gap.strip() == ";" for gap in between), said
        assert not re.search(r"\d, \d", said)  # no comma that could be a list's or a number's


def copy_of(tmp_path, monkeypatch, source: str, edit) -> str:
    for path in SHIPPED.glob("*.po"):
        shutil.copy(path, tmp_path / path.name)
    po = (SHIPPED / f"{source}.po").read_text(encoding="utf-8")
    (tmp_path / "xx.po").write_text(edit(po), encoding="utf-8")
    monkeypatch.setenv("MOMENTUM_LOCALES", str(tmp_path))
    return "xx"


OVERRIDE = 'msgctxt "decimal_sign"\nmsgid "."\nmsgstr "{}"\n\n'


@pytest.mark.parametrize(
    "source, header, sign, expected",
    [
        ("es", "es", ".", "."),  # a class in Mexico: Spanish words, "0.95"
        ("es", "es_MX", None, "."),  # the same by the Language header alone: CLDR's es_MX
        ("es", "es", None, ","),  # the copy as shipped
        ("en", "en", ",", ","),  # any language may say its sign
    ],
)
def test_a_copied_file_writes_the_sign_it_declares(tmp_path, monkeypatch, source, header, sign, expected):
    def edit(po):
        po = po.replace(f'"Language: {source}\\n"', f'"Language: {header}\\n"')
        return po.replace('msgctxt "title"', OVERRIDE.format(sign) + 'msgctxt "title"', 1) if sign else po

    code = copy_of(tmp_path, monkeypatch, source, edit)
    assert locales.load(code).decimal_sign == expected
    said = text(code, "predict_race", lr="0.3", beta="0.95")
    assert f"0{expected}3" in said and f"0{expected}95" in said
    assert decimals(code, r"\beta = 0.95", tex=True) == (
        r"\beta = 0{,}95" if expected == "," else r"\beta = 0.95"
    )


@pytest.mark.parametrize("bad", ["", "ab", "5", " ", "{"])
def test_a_decimal_sign_that_is_not_one_is_refused_in_one_line(tmp_path, monkeypatch, bad):
    code = copy_of(
        tmp_path,
        monkeypatch,
        "es",
        lambda po: po.replace('msgctxt "title"', OVERRIDE.format(bad) + 'msgctxt "title"', 1),
    )
    with pytest.raises(locales.LanguageError) as err:
        locales.load(code)
    assert "decimal_sign" in str(err.value) and "\n" not in str(err.value)
    result = CliRunner().invoke(render.main, ["--lang", code, "--output", str(tmp_path / "out")])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("lang, comma, point", [("es", "koma", "punto"), ("fr", "virgyl", "pwE~")])
def test_the_voice_reads_the_decimal_comma(lang, comma, point):
    """speech() gives espeak-ng "0,95": it says "coma" / "virgule" (its phonemes), never "punto" / "point"."""
    said = speech(lang, "predict_race", lr="0.3", beta="0.95")
    assert "0,95" in said and "0.95" not in said
    voice = locales.load(lang).voice
    phonemes = subprocess.run(
        ["espeak-ng", "-v", voice, "-q", "-x", said], capture_output=True, text=True, check=True
    ).stdout
    bare = re.sub(r"[',_\s]", "", phonemes)
    assert comma in bare and point not in bare, phonemes
