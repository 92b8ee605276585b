"""Captions: the messages of a language file (scenes/words/locales) filled in with the run's numbers, as they are
written and as they are read aloud."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from gdcore import Formula

from . import locales


@dataclass(frozen=True)
class Phrase:
    """A message inside another one (a rule's name, a clause, "twice"), written or read aloud as the
    sentence around it is."""

    key: str
    values: dict = field(default_factory=dict)


def fmt(value: float) -> str:
    """A trajectory number as shown on screen: 4 decimals in [0.001, 1e5), else 3-digit scientific; never -0."""
    shown = f"{value:.4f}" if value == 0 or 1e-3 <= abs(value) < 1e5 else f"{value:.3e}"
    return shown[1:] if shown.startswith("-") and float(shown) == 0 else shown


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def fmt_param(value: float, digits: int = 4, tex: bool = False) -> str:
    """A hyperparameter or theory number as shown: at most `digits` significant digits (0.3, not 0.3000),
    never -0, and a×10ⁿ outside [10⁻⁴, 10^digits) (in TeX with `tex`)."""
    shown = f"{float(value) + 0.0:.{digits}g}"
    if "e" not in shown:
        return "0" if shown == "-0" else shown
    mantissa, exponent = shown.split("e")
    power = str(int(exponent))
    return rf"{mantissa} \times 10^{{{power}}}" if tex else f"{mantissa}×10{power.translate(SUPERSCRIPT)}"


DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")  # a "." between digits: the decimal sign of a number


# How each character that TeX reads as code is written as itself in text mode (and <, >, | which OT1 fonts
# draw as other glyphs); every other character stands for itself.
TEX_TEXT = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "$": r"\$",
        "&": r"\&",
        "#": r"\#",
        "%": r"\%",
        "_": r"\_",
        "^": r"\textasciicircum{}",
        "~": r"\textasciitilde{}",
        "<": r"\textless{}",
        ">": r"\textgreater{}",
        "|": r"\textbar{}",
    }
)


def tex_text(words: str) -> str:
    """`words` (a language file's, or anyone's) as TeX: `\\text{…}` that typesets them as they are written,
    never as code. Runs of spaces and line breaks are one space; control and format characters are left out."""
    plain = "".join(c for c in " ".join(words.split()) if c.isprintable())
    return rf"\text{{{plain.translate(TEX_TEXT)}}}"


def tex_sign(sign: str) -> str:
    """The decimal sign `sign` in TeX math: a comma braced (a bare one is punctuation, followed by a space),
    any other but "." as text (tex_text)."""
    return {".": ".", ",": "{,}"}.get(sign) or tex_text(sign)


class Listing(tuple):
    """Values in a list ("0.5, 0.9"), written with the language's list separator ("0,5; 0,9" in es), so that a
    list of numbers stays readable when the decimal sign is a comma."""


class Percent(float):
    """A share (0.25 is 25 %), written as language `lang` writes percentages (CLDR via Babel: "25%",
    "25 %"), to 2 significant digits; below 0.01 % it is "< 0.01 %"."""


def percent(lang: str, share: float) -> str:
    from babel.numbers import format_percent

    locale = locales.load(lang).locale
    if share < 1e-4:
        return "< " + format_percent(1e-4, locale=locale, decimal_quantization=False)
    return format_percent(float(f"{share:.2g}"), locale=locale, decimal_quantization=False)


def decimals(lang: str, shown: str, tex: bool = False) -> str:
    """`shown` (numbers written as fmt and fmt_param write them, with ".") with the decimal sign of language
    `lang`: "0.95" → "0,95" in es and fr; in TeX `tex` "0{,}95" (a bare comma in math mode is punctuation,
    and TeX would put a space after it). English and every other "." language get `shown` unchanged."""
    sign = locales.load(lang).decimal_sign
    if sign == ".":
        return shown
    return DECIMAL_POINT.sub(tex_sign(sign) if tex else sign, shown)


def written(lang: str, value: float, digits: int = 4) -> str:
    """`value` as language `lang` writes a number on screen: fmt_param's rule (`digits` significant digits,
    a×10ⁿ outside [10⁻⁴, 10^digits), never -0) with its decimal sign ("5630", "-0,1953", "1,2×10⁻⁵"). The
    explorer's JavaScript writes numbers by the same rule (tests/video/test_explore.py compares the two)."""
    return decimals(lang, fmt_param(value, digits))


def listed(lang: str, values, tex: bool = False) -> str:
    """Values joined as language `lang` lists them: its list_separator (", " in en, "; " in es), its decimal
    sign in each value; in TeX `tex` ",\\ " or, when the decimal sign is a comma, ";\\ "."""
    if tex:
        separator = r",\ " if locales.load(lang).decimal_sign != "," else r";\ "
        return separator.join(decimals(lang, str(v), tex=True) for v in values)
    return locales.load(lang).message("list_separator").join(decimals(lang, str(v)) for v in values)


def linear(w1: float, w2: float, b: float) -> str:
    """'2·x₁ − 1·x₂ + 1': the data's generating model with its signs written properly."""
    terms = [(w1, "·x₁"), (w2, "·x₂"), (b, "")]
    out = ""
    for i, (value, name) in enumerate(terms):
        sign = "−" if value < 0 else "+"
        number = fmt_param(abs(value)) + name
        out += (("−" if value < 0 else "") + number) if i == 0 else f" {sign} {number}"
    return out


def text(lang: str, key: str, **values) -> str:
    """Message `key` of language `lang` with its {placeholders} filled in: a Formula by its text, a Phrase by
    its own message; a plural message takes the form for values["count"]."""
    return _filled(lang, key, values, aloud=False)


def speech(lang: str, key: str, **values) -> str:
    """The same message as it is read aloud: Formulas in their words (say), symbols by the language's
    "symbol" messages."""
    return spoken(lang, _filled(lang, key, values, aloud=True))


def _filled(lang: str, key: str, values: dict, aloud: bool) -> str:
    def shown(value):
        if isinstance(value, Formula):
            return say(lang, value) if aloud else decimals(lang, value.text)
        if isinstance(value, Phrase):
            return _filled(lang, value.key, value.values, aloud)
        if isinstance(value, Listing):
            return listed(lang, value)
        if isinstance(value, Percent):
            return percent(lang, value)
        return decimals(lang, value) if isinstance(value, str) else value

    message = locales.load(lang).message(key, values.get(locales.COUNT))
    return message.format(**{name: shown(value) for name, value in values.items()})


def say(lang: str, formula: Formula) -> str:
    """A formula in words: the language's message formula.say filled with its parts (Formulas in words too)."""
    parts = {
        name: say(lang, v) if isinstance(v, Formula) else decimals(lang, v) if isinstance(v, str) else v
        for name, v in formula.parts.items()
    }
    return locales.load(lang).message(formula.say).format(**parts)


def spoken(lang: str, line: str) -> str:
    """The caption as it should be read aloud: symbols replaced by words, the longest symbol first."""
    for symbol, words in locales.load(lang).symbols:
        line = line.replace(symbol, f" {words} ")
    line = re.sub(r"\s+", " ", line.replace("\u202f", " "))  # a narrow no-break space is a space to the voice
    return re.sub(r"\( ", "(", re.sub(r" ([,.;:)])", r"\1", line)).strip()


def times(count: int) -> Phrase:
    """How many times, in words: "once", "twice", "3 times" (count ≥ 1)."""
    return Phrase("times_twice") if count == 2 else Phrase("times", {locales.COUNT: count})


def wrap(line: str, width: int) -> str:
    """Break a caption into lines of at most `width` characters (never inside a word, nor at the hyphen of
    "au-dessus" or "heavy-ball")."""
    return "\n".join(textwrap.wrap(line, width, break_on_hyphens=False))
