"""The caption catalogue: every line fits, can be spoken, and takes its formulas from the problem."""
import pytest

from gdcore import DISPLACEMENT_TEXT, Quadratic, lesson
from scenes.captions import CATALOGUE, SUPERSCRIPT, fmt, fmt_param, speech, spoken, text, wrap
from scenes.style import CAPTION_CHARS


def test_every_catalogue_line_can_be_spoken():
    for lang, lines in CATALOGUE.items():
        for line in lines.values():
            said = spoken(lang, line)
            assert not set(said) & set("αβρκ∇ŷ₀₁₂·−²≥*"), said


def test_every_language_has_every_line():
    assert all(set(lines) == set(CATALOGUE["en"]) for lines in CATALOGUE.values())


@pytest.mark.parametrize("a", [1 / 6, 0.25, 0.3])
def test_the_parabola_caption_names_the_problem_that_is_run(a):
    p = Quadratic(a)
    for lang in CATALOGUE:
        shown, said = text(lang, "parabola", **p.formulas), speech(lang, "parabola", **p.formulas)
        assert p.formula.text in shown and p.derivative.text in shown
        assert p.formula.spoken[lang] in said and not set(said) & set("²·−")


def test_the_legend_names_the_momentum_step_of_the_rule():
    assert "−α·m" in text("en", "legend", state=DISPLACEMENT_TEXT["ema"])
    assert "−α·m" not in text("en", "legend", state=DISPLACEMENT_TEXT["classic"])


def test_every_caption_fits_two_lines_with_long_numbers():
    values = dict(beta="0.95", lr="0.123456", state="−α·m", k=10000, n=10000, rho="0.9999", crit="0.4675",
                  limit="9.6", truth="−12.5·x₁ − 3.25·x₂ + 1.75", gap="2.779e-09", m=10000,
                  label="β = 0.123456", symbol="β", values="0.123456, 0.25, 0.5, 0.75, 0.95", c=12, x="-2.136",
                  x0="-999.5", where="hoyo poco hondo", by=9999, plain_limit="11.94", plain_rho="0.9833",
                  labels="α = 0.1235, α = 0.25", **{f"{w}_{q}": "-0.621" for w in ("local", "barrier", "global")
                                                       for q in ("x", "f")},
                  **{**lesson("regression").problem.formulas, **Quadratic(0.3).formulas})
    for lang, lines in CATALOGUE.items():
        longest_variant = max((lines[v] for v in ("classic", "ema", "nesterov")), key=len)
        run = dict(problem=max(text(lang, "ls_problem_parabola", formula="0.3·x²"),
                               text(lang, "ls_problem_regression"), key=len),
                   shape=text(lang, "ls_rises", m=9999, n=10000), outcome=text(lang, "ls_not_settled", n=10000),
                   kappa="1234", variant=longest_variant,
                   question=max((lines[k] for k in lines if "question" in k), key=len))
        for key in lines:
            line = text(lang, key, **run, **values)
            assert len(wrap(line, CAPTION_CHARS).splitlines()) <= 2, (lang, key)


@pytest.mark.parametrize("value", [0.0, 1.5, -0.00123456, 123.456789, 99999.4, 1e5, -2.5e-7, 3.14159e12])
def test_fmt_shows_the_number_to_its_precision(value):
    shown = fmt(value)
    assert float(shown) == pytest.approx(value, rel=5e-4, abs=5e-5)
    assert len(shown) <= 10


@pytest.mark.parametrize("value", [0.3, -0.0, 0.123456, 0.95, 12345.678, 2.7e-5, -3.3e-9, 1e6, 1e-320, 1000.0])
def test_fmt_param_shows_at_most_4_digits_never_minus_zero_and_powers_of_ten(value):
    shown = fmt_param(value)
    mantissa, _, power = shown.partition("×10")
    back = float(mantissa) * 10 ** int(power.translate({v: k for k, v in SUPERSCRIPT.items()}) or 0)
    assert back == pytest.approx(value, rel=5e-4) and not shown.startswith("-0")
    assert len(mantissa.replace("-", "").replace(".", "").lstrip("0")) <= 4 and "e" not in shown
    tex = fmt_param(value, tex=True)
    assert ("\\times 10^{" in tex) == bool(power) and "×" not in tex
