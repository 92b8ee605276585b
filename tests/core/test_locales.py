"""The language files (scenes/words/locales/*.po): every shipped file is whole, a broken one is refused before
anything renders, a new one is a language with no code change."""

import os
import re
import shutil
import string
import subprocess
import sys
import wave
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

import render
from scenes.pipeline import request
from scenes.words import locales, narration
from scenes.words.captions import text
from scenes.words.locales.__main__ import main as check_command

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "scenes" / "words" / "locales"
FILES = sorted(SHIPPED.glob("*.po"))


def entries(path: Path) -> dict:
    """msgctxt → the list of msgstr forms, read with Babel alone (not with the module under test)."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {m.context: list(m.string) if m.pluralizable else [m.string] for m in catalog if m.id}


def fields(form: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(form) if name is not None}


def test_english_french_and_spanish_are_shipped():
    assert {"en", "es", "fr"} <= {path.stem for path in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_shipped_file_has_every_message_with_englishs_placeholders(path):
    english, own = entries(SHIPPED / "en.po"), entries(path)
    assert set(own) == set(english)
    for name, forms in own.items():
        expected = set().union(*map(fields, english[name]))
        assert all(forms), name  # none empty
        for form in forms:
            assert fields(form) in (expected, expected - {"count"}), (path.name, name, form)
    assert own["voice"][0] and own["language_name"][0]
    locales.load(path.stem)  # and the module accepts it


def test_french_is_written_with_its_typography():
    for name, forms in entries(SHIPPED / "fr.po").items():
        if name.startswith(("symbol ", "say_", "voice")):
            continue
        for form in forms:
            # a narrow no-break space before ? ! : ; and none of the other spaces; typographic apostrophes
            assert set(re.findall(r"(.)[?!:;]", form)) <= {"\u202f"} and not re.match(r"[?!:;]", form), (
                name,
                form,
            )
            assert "'" not in form and " ?" not in form, (name, form)
    fr = locales.load("fr")
    assert fr.voice == "fr" and fr.name == "Français"
    assert text("fr", "beat_show_data") == "Les données" and "é" in text("fr", "question")


def broken(tmp_path, monkeypatch, edit) -> Path:
    """A copy of the shipped files in tmp_path (the folder the module reads), fr.po changed by edit(text)."""
    for path in FILES:
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / "fr.po"
    target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setenv("MOMENTUM_LOCALES", str(tmp_path))
    return target


CASES = {  # what is broken → (how, what the one line must name)
    "syntax": (lambda t: t.replace('msgstr "Les données"', 'msgstr "Les données'), "'beat_show_data': line"),
    "missing": (lambda t: re.sub(r'msgctxt "beat_tour"\n.*\n.*\n', "", t), "'beat_tour' is missing"),
    "placeholder": (lambda t: t.replace("au pas {k} (x = {x})", "au pas {n} (x = {x})", 1), "placeholders"),
    "brace": (
        lambda t: t.replace('Divergence dès le pas {k}"', 'Divergence dès le pas {k"', 1),
        "broken placeholder",
    ),
    "fuzzy": (
        lambda t: t.replace('msgctxt "reg_title"', '#, fuzzy\nmsgctxt "reg_title"'),
        "'reg_title' is marked fuzzy",
    ),
    "empty": (lambda t: t.replace('msgstr "Le verdict"', 'msgstr ""'), "'beat_verdict' has no translation"),
    "plurals": (
        lambda t: t.replace(
            "nplurals=3; plural=(n == 0 || n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);",
            "nplurals=2; plural=(n > 1);",
        ),
        "Plural-Forms",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_broken_file_is_refused_before_anything_renders_in_one_line(case, tmp_path, monkeypatch):
    edit, named = CASES[case]
    target = broken(tmp_path, monkeypatch, edit)
    assert target.read_text(encoding="utf-8") != (SHIPPED / "fr.po").read_text(encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(render.main, ["--lang", "fr", "--output", str(out), "--quality", "low"])
    assert result.exit_code == 2, result.output
    line = result.output.strip().splitlines()[-1]
    assert str(target) in line and named in line, line
    assert not out.exists()  # nothing rendered, nothing written
    assert check_command(["check", "fr"]) == 2 and check_command(["check", "en", "es"]) == 0


def new_language(tmp_path) -> Path:
    """scenes/words/locales plus xx.po: a copy of Spanish with its texts changed and a voice of its own."""
    for path in FILES:
        shutil.copy(path, tmp_path / path.name)
    po = (SHIPPED / "es.po").read_text(encoding="utf-8")
    po = po.replace('msgstr "La pregunta"', 'msgstr "XX pregunta"').replace('msgstr "Español"', 'msgstr "Xx"')
    (tmp_path / "xx.po").write_text(
        po.replace(
            'msgctxt "voice"\nmsgid "en-us"\nmsgstr "es"', 'msgctxt "voice"\nmsgid "en-us"\nmsgstr "ca"'
        ),
        encoding="utf-8",
    )
    return tmp_path / "xx.po"


def test_a_new_file_is_a_new_language_with_no_code_change(tmp_path, monkeypatch):
    new_language(tmp_path)
    env = {**os.environ, "MOMENTUM_LOCALES": str(tmp_path)}
    shown = subprocess.run(
        [sys.executable, "render.py", "--help"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert (
        "en|es|fr|xx" in shown.stdout and "xx" in " ".join(shown.stdout.split()).split("--lang", 1)[1][:200]
    )
    # --lang takes xx: the only error is the bad --steps (checked before anything renders)
    refused = subprocess.run(
        [sys.executable, "render.py", "--lang", "xx", "--steps", "0", "--output", str(tmp_path / "x")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2 and "--steps" in refused.stderr and "--lang" not in refused.stderr, (
        refused.stderr
    )
    monkeypatch.setenv("MOMENTUM_LOCALES", str(tmp_path))
    assert text("xx", "beat_intro") == "XX pregunta" and locales.load("xx").name == "Xx"
    assert text("xx", "cmp_title", count=2) == text(
        "es", "cmp_title", count=2
    )  # Spanish plurals: its Language


def test_the_voice_is_the_one_the_language_file_names(tmp_path, monkeypatch):
    new_language(tmp_path)
    monkeypatch.setenv("MOMENTUM_LOCALES", str(tmp_path))
    calls = []

    def fake_espeak(command, **kwargs):  # records the command, writes a second of silence
        calls.append(command)
        with wave.open(command[command.index("-w") + 1], "wb") as w:
            w.setnchannels(1), w.setsampwidth(2), w.setframerate(22050), w.writeframes(b"\0\0" * 22050)

    monkeypatch.setattr(narration.subprocess, "run", fake_espeak)
    _, seconds = narration.Voice("xx", tmp_path).speak("hola")
    assert calls[0][calls[0].index("-v") + 1] == "ca" and seconds == pytest.approx(1.0)


def test_a_voice_espeak_does_not_have_is_refused_with_the_file_and_message(tmp_path, monkeypatch):
    broken(
        tmp_path,
        monkeypatch,
        lambda t: t.replace('msgid "en-us"\nmsgstr "fr"', 'msgid "en-us"\nmsgstr "zz-nope"'),
    )
    monkeypatch.setattr(request, "engine_available", lambda: True)
    monkeypatch.setattr(request, "voice_known", lambda name: name != "zz-nope")
    result = CliRunner().invoke(render.main, ["--lang", "fr", "--voice", "--output", str(tmp_path / "out")])
    assert result.exit_code == 2 and "fr.po: message 'voice'" in result.output and "zz-nope" in result.output


def test_the_class_page_takes_its_words_and_language_names_from_the_files():
    from scenes.pages.classpage import language_name, page_words

    english, french = page_words("en"), page_words("fr")
    assert set(english) == set(french)
    assert english["transcript"] == "Transcript" and french["transcript"] == "Transcription"
    assert (
        french["beat_of"].replace("{k}", "2").replace("{n}", "6") == "Étape 2 sur 6"
    )  # filled in by the page
    assert [language_name(code) for code in ("en", "es", "fr", "de")] == [
        "English",
        "Español",
        "Français",
        "de",
    ]


def po_string(text: str) -> str:
    """`text` as it is written between the quotes of a .po file."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n")


# msgstrs a hostile translator could send (placeholders' braces doubled, as a translator writes a literal brace)
NOT_PLAIN = {
    "input": r"par \input /etc/hostname",
    "def loop": r"par \def\x{{\x}}\x",
    "catcode": r"\catcode`\^^M=13 par pas",
    "caret code": "^^5cinput /etc/hostname",
    "dollar": "par $x$",
    "percent": "100 % par pas",
    "brace": "par {{pas",
    "tilde": "par~pas",
    "ampersand": "par & pas",
    "hash": "par #1",
    "underscore": "par_pas",
    "tab": "par\tpas",
    "right-to-left override": "par \u202epas",
    "private use": "par \ue000",
    "zero-width space": "par\u200bpas",
    "a novel": "par pas " * 130,
}


@pytest.mark.parametrize("case", NOT_PLAIN)
def test_a_message_that_is_not_plain_text_is_refused_by_the_check_and_by_a_render(
    case, tmp_path, monkeypatch
):
    hostile = po_string(NOT_PLAIN[case])
    target = broken(tmp_path, monkeypatch, lambda t: t.replace('msgstr "par pas"', f'msgstr "{hostile}"', 1))
    assert f'msgstr "{hostile}"' in target.read_text(encoding="utf-8")
    assert check_command(["check", "fr"]) == 2 and check_command(["check", "en", "es"]) == 0
    out = tmp_path / "out"
    result = CliRunner().invoke(render.main, ["--lang", "fr", "--output", str(out), "--quality", "low"])
    assert result.exit_code == 2, result.output
    line = result.output.strip().splitlines()[-1]
    assert str(target) in line and "message 'per_step'" in line, line
    assert not out.exists()


def test_a_placeholder_with_a_format_spec_is_refused(tmp_path, monkeypatch):
    # {k:>999999999} would pad the caption to a gigabyte
    broken(
        tmp_path,
        monkeypatch,
        lambda t: t.replace('"Divergence dès le pas {k}"', '"Divergence {k:>999999999}"'),
    )
    with pytest.raises(locales.LanguageError, match=r"fr\.po: message 'diverged_short': placeholder \{k:>9"):
        locales.load("fr")


@pytest.mark.parametrize("words", ["ρ ανά βήμα", "за шаг", "每一步", "हर\u200d कदम", "«\u202fpar pas\u202f»"])
def test_plain_text_in_any_script_is_accepted(words, tmp_path, monkeypatch):
    broken(tmp_path, monkeypatch, lambda t: t.replace('msgstr "par pas"', f'msgstr "{words}"', 1))
    assert locales.load("fr").message("per_step") == words


@pytest.mark.parametrize("scene", ["ravine", "function", "landscape"])
def test_a_lecture_without_its_name_is_refused_by_the_check_in_one_line(scene, tmp_path, monkeypatch, capsys):
    """Every lecture (each problem gdcore registers, each module in scenes/lectures: the noise and function
    lectures too, when they come) is named by its page_scene_ message; a file set without one is refused."""
    from gdcore import LECTURES

    modules = {p.stem for p in (ROOT / "scenes" / "lectures").glob("*.py") if p.stem != "__init__"}
    assert {*LECTURES, *modules} <= {name[len("page_scene_") :] for name in locales.lecture_names()}
    for path in FILES:
        po = path.read_text(encoding="utf-8")
        (tmp_path / path.name).write_text(re.sub(rf'msgctxt "page_scene_{scene}"\n.*\n.*\n', "", po))
    monkeypatch.setenv("MOMENTUM_LOCALES", str(tmp_path))
    assert check_command(["check"]) == 2
    said = capsys.readouterr().err.strip().splitlines()
    assert said and all(f"'page_scene_{scene}' is missing" in line for line in said), said  # each language


def test_every_lecture_is_named_in_every_language():
    from scenes.pages.classpage import page_words

    for code in locales.available():
        words = page_words(code)
        for name in locales.lecture_names():
            assert words[name[len("page_") :]].strip() and "scene_" not in words[name[len("page_") :]]
