"""Captions: every line fits, can be spoken, and takes its formulas from the problem."""

import pytest

from gdcore import DISPLACEMENT_TEXT, Quadratic, lesson
from gdcore.problems import DoubleWell
from scenes.kit.style import CAPTION_CHARS
from scenes.words import locales, story
from scenes.words.captions import (
    SUPERSCRIPT,
    Listing,
    Percent,
    Phrase,
    decimals,
    fmt,
    fmt_param,
    say,
    speech,
    spoken,
    text,
    times,
    wrap,
)

LANGS = locales.available()
NOT_SHOWN = (
    "symbol ",
    "say_",
    "page_",
    "explore_",
    "voice",
    "language_name",
)  # messages that are not captions


def captions(lang):
    """(name, text) of every form of every message shown in a video."""
    for name, message in locales.load(lang).messages.items():
        if not name.startswith(NOT_SHOWN):
            yield from ((name, form) for form in locales.forms(message))


@pytest.mark.parametrize("lang", LANGS)
def test_every_caption_can_be_spoken(lang):
    for _, line in captions(lang):
        said = spoken(lang, line)
        assert not set(said) & set("αβρκ∇ŷ₀₁₂·−²≥*\u202f"), said


@pytest.mark.parametrize("a", [1 / 6, 0.25, 0.3])
def test_the_parabola_caption_names_the_problem_that_is_run(a):
    p = Quadratic(a)
    for lang in LANGS:
        shown, said = text(lang, "parabola", **p.formulas), speech(lang, "parabola", **p.formulas)
        # as the language writes its numbers: "0,3·x²" in es and fr
        assert decimals(lang, p.formula.text) in shown and decimals(lang, p.derivative.text) in shown
        assert say(lang, p.formula) in said and not set(said) & set("²·−")
    english = {1 / 6: "x squared over 6", 0.25: "x squared over 4", 0.3: "0.3 times x squared"}[a]
    assert say("en", p.formula) == english


def test_formulas_are_read_in_each_language_from_its_file():
    well = DoubleWell()
    assert say("en", well.formula) == "x squared minus 4, squared, over 16, plus 0.3 times x"
    assert say("es", Quadratic().formula) == "x al cuadrado entre 6"
    assert say("fr", Quadratic().formula) == "x au carré sur 6"
    assert say("fr", Quadratic(0.3).derivative) == "0,6 fois x"  # French's decimal comma


def test_the_legend_names_the_momentum_step_of_the_rule():
    assert "−α·m" in text("en", "legend", state=DISPLACEMENT_TEXT["ema"])
    assert "−α·m" not in text("en", "legend", state=DISPLACEMENT_TEXT["classic"])


def test_counts_follow_each_languages_plural_rules():
    assert [
        text("en", "val_crossed_local", label="β = 0.8", times=times(c), k=9, x="1")
        .split("barrier ")[1]
        .split(" and")[0]
        for c in (1, 2, 3)
    ] == ["once", "twice", "3 times"]
    assert [text("es", "gd_line", count=c) for c in (1, 2)] == ["GD simple: 1 paso", "GD simple: 2 pasos"]
    assert [text("fr", "gd_line", count=c) for c in (1, 2)] == [
        "GD simple\u202f: 1 pas",
        "GD simple\u202f: 2 pas",
    ]
    # French takes the singular for 0 as well, English and Spanish the plural
    assert text("fr", "cmp_title", count=0).endswith("0 essai")
    assert text("fr", "cmp_title", count=2).endswith("2 essais")
    assert text("en", "cmp_title", count=0).endswith("0 runs")
    assert text("es", "cmp_title", count=1).endswith("1 ejecución")
    assert text("fr", "val_crossed_global", label="β", times=times(2), k=9, x="1").count("deux fois") == 1


def test_a_phrase_is_written_and_spoken_in_its_sentence():
    outcome, shape = Phrase("ls_converged", {"count": 1}), Phrase("ls_rises", {"m": 2, "count": 60})
    line = text("en", "ls_run", lr="0.1", beta="0.5", rho="0.3", outcome=outcome, shape=shape)
    assert line.endswith("ρ = 0.3: settled in 1 step; the loss rose at 2 of 60 steps.")
    said = speech(
        "fr",
        "ls_map",
        variant=Phrase("classic"),
        problem=Phrase("ls_problem_parabola", {"formula": Quadratic().formula}),
    )
    assert "x au carré sur 6" in said and "rhô" in said and "²" not in said


def test_every_caption_fits_two_lines_with_long_numbers():
    values = dict(
        beta="0.95",
        lr="0.123456",
        state="−α·m",
        k=10000,
        rho="0.9999",
        crit="0.4675",
        limit="9.6",
        truth="−12.5·x₁ − 3.25·x₂ + 1.75",
        gap="2.779e-09",
        m=10000,
        label="β = 0.123456",
        symbol="β",
        values=Listing(["0.123456", "0.25", "0.5", "0.75", "0.95"]),  # as the language lists them
        x="-2.136",
        x0="-999.5",
        plain_limit="11.94",
        plain_rho="0.9833",
        labels=Listing(["α = 0.1235", "α = 0.25"]),
        n=10000,
        slow="x",
        mslow="y",
        other="y",  # the ravine's directions
        dir=Phrase("rav_xy"),  # its longest: both directions at once
        plain_eig="-0.9999",
        share=Percent(0.0012),
        ratio="1.2×10⁴",
        eig="-0.9999",
        batch=99999,
        noise="999.5",
        loss="1.235e+11",
        **dict.fromkeys(("x1", "x2", "y"), "Abcdefghijkl mnopqrstuvw"),  # a data file's names: 24 characters
        **{f"{w}_{q}": "-0.621" for w in ("local", "barrier", "global") for q in ("x", "f")},
        **{**lesson("regression").problem.formulas, **Quadratic(0.3).formulas},
    )
    for lang in LANGS:
        language = locales.load(lang)

        def longest(*phrases, lang=lang):
            return max(phrases, key=lambda p: len(text(lang, p.key, **p.values)))

        run = dict(
            problem=longest(
                Phrase("ls_problem_parabola", {"formula": Quadratic(0.3).formula}),
                Phrase("ls_problem_regression"),
            ),
            shape=longest(Phrase("ls_rises", {"m": 9999, "count": 10000}), Phrase("ls_falls")),
            outcome=longest(
                *(
                    Phrase(k, {"k": 10000, "count": 10000})
                    for k in ("ls_not_settled", "ls_converged", "ls_diverged")
                )
            ),
            kappa="1234",
            **dict.fromkeys(
                ("minimum", "plain_minimum"),
                longest(*(Phrase(k, {"n": 10}) for k in ("fn_min_global_n", "fn_min_local_n"))),
            ),
            plain_f="-0.621",
            f="-1.235e+11",
            low="-999.5",
            high="999.5",
            side=longest(*(Phrase(f"fn_side_{side}") for side in ("left", "right"))),
            variant=longest(*map(Phrase, ("classic", "ema", "nesterov"))),
            times=longest(times(12), times(2), times(1)),
            question=max((language.message(k) for k in language.messages if k.endswith("question")), key=len),
            # the noise lecture's runs, by name, and its spreads
            name=longest(
                *(Phrase(k, {"lr": "0.1235", "beta": "0.95", "lr2": "2.469"}) for k in story.NOISE_NAMES)
            ),
            names=Listing(["β = 0.1235", "β = 0.25"]),
            lr2="2.469",
            b=99999,
            p="0.123",
            e="0.123",
            a="0.123",
            rho2="1.0297",
        )
        for key, _ in captions(lang):
            for count in (1, 2, 10000):
                line = text(lang, key, **run, **values, count=count)
                assert len(wrap(line, CAPTION_CHARS).splitlines()) <= 2, (lang, key, line)


@pytest.mark.parametrize("value", [0.0, 1.5, -0.00123456, 123.456789, 99999.4, 1e5, -2.5e-7, 3.14159e12])
def test_fmt_shows_the_number_to_its_precision(value):
    shown = fmt(value)
    assert float(shown) == pytest.approx(value, rel=5e-4, abs=5e-5)
    assert len(shown) <= 10


@pytest.mark.parametrize(
    "value", [0.3, -0.0, 0.123456, 0.95, 12345.678, 2.7e-5, -3.3e-9, 1e6, 1e-320, 1000.0]
)
def test_fmt_param_shows_at_most_4_digits_never_minus_zero_and_powers_of_ten(value):
    shown = fmt_param(value)
    mantissa, _, power = shown.partition("×10")
    back = float(mantissa) * 10 ** int(power.translate({v: k for k, v in SUPERSCRIPT.items()}) or 0)
    assert back == pytest.approx(value, rel=5e-4) and not shown.startswith("-0")
    assert len(mantissa.replace("-", "").replace(".", "").lstrip("0")) <= 4 and "e" not in shown
    tex = fmt_param(value, tex=True)
    assert ("\\times 10^{" in tex) == bool(power) and "×" not in tex


def test_a_share_is_written_as_each_language_writes_percentages():
    """CLDR's percent patterns: "0.31%" in English, a comma and a no-break space in Spanish and French; a
    share too small to write is bounded, never rounded to 0."""
    assert text("en", "cmp_fate_not_settled", label="β = 0.5", count=60, share=Percent(0.003141)).endswith(
        "0.31% of its starting distance."
    )
    assert "0,31\xa0%" in text(
        "fr", "cmp_fate_not_settled", label="β = 0.5", count=60, share=Percent(0.003141)
    )
    assert "< 0,01\xa0%" in text("es", "cmp_fate_not_settled", label="β = 0.5", count=60, share=Percent(1e-9))
