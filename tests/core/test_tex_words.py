"""Words reach TeX only through captions.tex_text, which writes them as text, never as code: read here as
TeX's tokenizer reads text mode, without TeX (tests/video/test_latex.py typesets them)."""

import ast
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from scenes.words.captions import tex_sign, tex_text

ROOT = Path(__file__).resolve().parents[2]
# What each control sequence typesets in text mode (LaTeX's own meaning of it): the only ones words may become
MEANS = {
    "textbackslash": "\\",
    "textasciicircum": "^",
    "textasciitilde": "~",
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    **{c: c for c in "{}$&#%_"},
}
CODE = set("\\{}$&#^_~%") | {chr(c) for c in range(32)} | {"\x7f"}  # characters TeX does not read as text
TOKEN = re.compile(r"\\([A-Za-z]+|.)(\{\})?|(.)", re.S)  # a control sequence (with an empty group), or a char


def typeset(tex: str) -> str:
    """What `\\text{…}` shows, read token by token; an AssertionError at anything that is code."""
    assert tex.startswith(r"\text{") and tex.endswith("}"), tex
    shown = ""
    for match in TOKEN.finditer(tex[len(r"\text{") : -1]):
        name, char = match[1], match[3]
        if name is not None:
            assert name in MEANS, f"control sequence \\{name} in {tex!r}"
            shown += MEANS[name]
        else:
            assert char not in CODE, f"{char!r} is code to TeX, in {tex!r}"
            shown += char
    return shown


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_words_are_typeset_as_they_are_written_and_never_as_code(words):
    wanted = "".join(c for c in " ".join(words.split()) if c.isprintable())
    assert typeset(tex_text(words)) == wanted


def test_hostile_words_become_their_own_characters():
    for words in (
        r"\input /etc/hostname",
        r"\def\x{\x}\x",
        "^^5cinput",
        r"\catcode`\^^M=13",
        "$ % { & # _ ~",
    ):
        assert typeset(tex_text(words)) == words
    assert tex_text("l’étape d'aujourd'hui\nà 50 %") == r"\text{l’étape d'aujourd'hui à 50 \%}"


def test_a_decimal_sign_is_text_unless_it_is_a_point_or_a_comma():
    assert (tex_sign("."), tex_sign(","), typeset(tex_sign("·"))) == (".", "{,}", "·")


def strings_with_text_macro(path: Path) -> list[tuple[str, int]]:
    """(function, line) of each string in `path`'s code (not a docstring) that writes \\text{."""
    tree, found = ast.parse(path.read_text(encoding="utf-8")), []
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef) else function
            if (
                isinstance(child, ast.Constant)
                and isinstance(child.value, str)
                and id(child) not in docstrings
            ):
                if "\\text{" in child.value:
                    found.append((inner, child.lineno))
            visit(child, inner)

    visit(tree, None)
    return found


def test_words_enter_tex_at_one_place():
    found = {path.name: strings_with_text_macro(path) for path in sorted((ROOT / "scenes").rglob("*.py"))}
    assert {name: where for name, where in found.items() if where} == {
        "captions.py": [("tex_text", found["captions.py"][0][1])]
    }
