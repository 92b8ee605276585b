"""The language files: scenes/words/locales/<code>.po, one per language, in gettext PO (Poedit, Weblate, Crowdin
and Pontoon open it), read with Babel. A message's msgctxt is its name (what the code asks for), its msgid
the English text and its msgstr the language's. A plural message chooses its form by the CLDR plural rules
of the file's Language (Babel's), for the number given as {count}.

A file is checked whole before anything renders: it reads, it has every message of English's and no other,
none empty or fuzzy, each with English's placeholders, and its Plural-Forms header agrees with CLDR. Any
fault is a LanguageError: one line naming the file and the message. `python -m scenes.words.locales check`."""

from __future__ import annotations

import contextlib
import functools
import gettext
import hashlib
import io
import os
import re
import string
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SOURCE = "en"  # the language whose file defines the messages and their placeholders
COUNT = "count"  # the placeholder that chooses a plural message's form
SYMBOL, PAGE = "symbol ", "page_"  # names of the symbols read aloud and of the class page's words
DECIMAL = "decimal_sign"  # an optional message: the decimal sign, when it is not CLDR's for the Language
OPTIONAL = (DECIMAL,)  # messages a file may have that English's need not
CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")  # plural categories in gettext's form order
# one line of a PO file: a keyword and a quoted string, or a quoted string that goes on (comments aside)
PO_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')
SAMPLES = (*range(10_001), 10**6, 2 * 10**6)  # counts on which Plural-Forms must agree with CLDR
# What a message's text (outside its {placeholders}) may contain: plain text in any script. Of ASCII, letters,
# digits, the space, a line break and this punctuation, none of it code to TeX (\ { } $ & # ^ _ ~ % are);
# beyond ASCII, letters, marks, numbers, punctuation, symbols and spaces, and the joiners some scripts need
# (no control, format, private-use or unassigned character: they hide text or reorder it).
PLAIN_ASCII = frozenset(string.ascii_letters + string.digits + " \n!\"'()*+,-./:;<=>?@[]`|")
PLAIN_KINDS = ("L", "M", "N", "P", "S", "Zs")  # Unicode general categories (or their first letter)
JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner (Persian, Indic scripts)
LONGEST = 1000  # characters in one form of a message; the longest shipped is about 220


class LanguageError(ValueError):
    """A language file that cannot be used: its message is one line naming the file and the message."""


def folder() -> Path:
    """Where the language files are: scenes/words/locales, or the folder $MOMENTUM_LOCALES names."""
    return Path(os.environ.get("MOMENTUM_LOCALES") or Path(__file__).parent)


def available() -> list[str]:
    """The codes of the languages whose file is present, sorted."""
    return sorted(path.stem for path in folder().glob("*.po"))


@dataclass(frozen=True)
class Language:
    """One language file, checked: its messages by name (a plural message as a tuple of forms, in the
    order of `categories`, CLDR's plural categories for `locale`)."""

    code: str
    path: Path
    locale: str
    categories: tuple[str, ...]
    messages: dict
    digest: str  # SHA-1 of the file: a video made from other words is another video

    def message(self, key: str, count: float | None = None) -> str:
        """The text of message `key`; for a plural message the form CLDR's rules give `count`."""
        text = self.messages[key]
        if isinstance(text, tuple):
            if count is None:
                raise TypeError(f"message {key!r} is plural: give its {{{COUNT}}}")
            return text[self.categories.index(plural_rule(self.locale)(count))]
        return text

    @property
    def name(self) -> str:
        """The language's own name (Français)."""
        return self.messages["language_name"]

    @property
    def voice(self) -> str:
        """The espeak-ng voice that speaks it with --voice."""
        return self.messages["voice"]

    @functools.cached_property
    def symbols(self) -> list[tuple[str, str]]:
        """(symbol, words read aloud), the longest symbol first: "ŷ − y" is replaced before "ŷ"."""
        pairs = [(key[len(SYMBOL) :], text) for key, text in self.messages.items() if key.startswith(SYMBOL)]
        return sorted(pairs, key=lambda pair: -len(pair[0]))

    @functools.cached_property
    def decimal_sign(self) -> str:
        """How the language writes the decimal sign ("." or ","): its decimal_sign message, else CLDR's for
        its locale (Babel): "," for es and fr, "." for en and es_MX."""
        from babel.numbers import get_decimal_symbol

        return self.messages.get(DECIMAL) or get_decimal_symbol(self.locale)

    def page_words(self) -> dict[str, str]:
        """The class page's words, by their name without the page_ prefix."""
        return {key[len(PAGE) :]: text for key, text in self.messages.items() if key.startswith(PAGE)}


def load(code: str) -> Language:
    """The language file of `code`, read and checked (against English's); raises LanguageError."""
    path = folder() / f"{code}.po"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise LanguageError(
            f"{path}: no such language file (present: {', '.join(available()) or 'none'})"
        ) from None
    return _load(path, stamp)


@functools.cache
def _load(path: Path, stamp: int) -> Language:
    catalog = _read(path)
    locale, categories = _plurals(path, catalog)
    messages = _messages(path, catalog, len(categories))
    english = messages if path.stem == SOURCE else load(SOURCE).messages
    if path.stem == SOURCE:  # every other file must have English's messages
        _check_lectures(path, messages)
    _compare(path, messages, english)
    _check_decimal(path, messages.get(DECIMAL))
    for name, text in messages.items():
        for form in forms(text):
            _check_plain(path, name, form)
    return Language(
        path.stem, path, locale, categories, messages, hashlib.sha1(path.read_bytes()).hexdigest()
    )


def _read(path: Path):
    """The file as a Babel catalog, after checking that every line is PO (Babel itself lets a lost quote
    pass, and the message would lose its text silently)."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError) as err:
        raise LanguageError(f"{path}: not a readable UTF-8 file: {err}") from None
    name = None
    for number, line in enumerate(lines, 1):
        name = line.split('"')[1] if line.startswith('msgctxt "') and line.count('"') > 1 else name
        if line.strip() and not line.startswith("#") and not PO_LINE.match(line):
            where = f"message {name!r}" if name else "the header"
            raise LanguageError(f"{path}: {where}: line {number} is not gettext PO: {line.strip()[:50]!r}")
    try:
        with (
            path.open("rb") as handle,
            contextlib.redirect_stdout(io.StringIO()),
        ):  # Babel prints its warnings
            return read_po(handle)
    except (PoFileError, UnicodeError, ValueError, LookupError) as err:
        raise LanguageError(f"{path}: not a readable .po file: {' '.join(str(err).split())}") from None


@functools.cache
def plural_rule(locale: str):
    """CLDR's plural rule for `locale` (Babel): a function from a number to its category, 'one', 'other'…"""
    from babel import Locale

    return Locale.parse(locale).plural_form


def _plurals(path: Path, catalog) -> tuple[str, tuple[str, ...]]:
    """The file's locale (its Language header, else its name) and CLDR's plural categories for it, after
    checking that the Plural-Forms header (what translators' tools read) gives every count CLDR's form."""
    from babel import UnknownLocaleError

    locale = catalog.locale_identifier or path.stem
    try:
        rule = plural_rule(locale)
    except (UnknownLocaleError, ValueError):
        raise LanguageError(
            f"{path}: Language {locale!r} is not a locale CLDR knows: set the Language header "
            "to the language's code (ca, pt_BR…)"
        ) from None
    categories = tuple(tag for tag in CLDR_ORDER if tag in rule.tags or tag == "other")
    header = f"nplurals={catalog.num_plurals}; plural={catalog.plural_expr};"
    try:
        form = gettext.c2py(catalog.plural_expr)
        wrong = next((n for n in SAMPLES if form(n) != categories.index(rule(n))), None)
    except (ValueError, SyntaxError, RecursionError):
        wrong = -1
    if catalog.num_plurals != len(categories) or wrong is not None:
        at = (
            ""
            if wrong in (None, -1)
            else f" (at n = {wrong} it gives form {form(wrong)}, CLDR form {categories.index(rule(wrong))})"
        )
        raise LanguageError(
            f"{path}: Plural-Forms {header!r} disagrees with CLDR's plural rules of {locale}: "
            f"{len(categories)} forms, {', '.join(categories)}{at}"
        )
    return locale, categories


def _messages(path: Path, catalog, forms: int) -> dict:
    """Every message by its name (msgctxt), a plural one as a tuple of its `forms` forms."""
    out = {}
    for message in catalog:
        if not message.id:
            continue  # the header
        name = message.context
        if name is None:
            raise LanguageError(f"{path}: message {message.id!r} has no msgctxt (its name)")
        if message.fuzzy:
            raise LanguageError(
                f"{path}: message {name!r} is marked fuzzy: check its text, then remove the flag"
            )
        text = tuple(message.string) if message.pluralizable else message.string
        if isinstance(text, tuple) and len(text) != forms:
            raise LanguageError(
                f"{path}: message {name!r} has {len(text)} plural forms, Plural-Forms says {forms}"
            )
        if not all(text if isinstance(text, tuple) else [text]):
            raise LanguageError(f"{path}: message {name!r} has no translation (an empty msgstr)")
        out[name] = text
    return out


def placeholders(path: Path, name: str, text: str) -> set[str]:
    """The {names} in one form of a message; a brace that opens no placeholder is a LanguageError."""
    try:
        fields = [part[1:] for part in string.Formatter().parse(text) if part[1] is not None]
    except ValueError as err:
        raise LanguageError(f"{path}: message {name!r}: broken placeholder ({err}) in {text!r}") from None
    for field, spec, conversion in fields:
        if not field.isidentifier() or spec or conversion:  # a format spec can ask for a gigabyte of padding
            shown = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise LanguageError(f"{path}: message {name!r}: placeholder {{{shown}}} is not a plain name")
    return {field for field, *_ in fields}


def forms(text) -> tuple[str, ...]:
    return text if isinstance(text, tuple) else (text,)


def _compare(path: Path, messages: dict, english: dict) -> None:
    """The same messages as English's, plural where English's is, with English's placeholders (a plural
    form may leave out {count}: "once")."""
    missing = next((name for name in english if name not in messages), None)
    if missing is not None:
        raise LanguageError(f"{path}: message {missing!r} is missing")
    extra = next((name for name in messages if name not in english and name not in OPTIONAL), None)
    if extra is not None:
        raise LanguageError(f"{path}: message {extra!r} is not one of English's ({SOURCE}.po)")
    for name, text in messages.items():
        if name not in english:
            continue  # an optional message (OPTIONAL): checked on its own
        want = english[name]
        if isinstance(want, tuple) != isinstance(text, tuple):
            kind = "plural" if isinstance(want, tuple) else "not plural"
            raise LanguageError(f"{path}: message {name!r} must be {kind}, as in {SOURCE}.po")
        expected = set().union(*(placeholders(path, name, form) for form in forms(want)))
        for form in forms(text):
            got = placeholders(path, name, form)
            if got != expected and not (isinstance(text, tuple) and got == expected - {COUNT}):
                shown = ", ".join(f"{{{p}}}" for p in sorted(got)) or "none"
                raise LanguageError(
                    f"{path}: message {name!r}: placeholders {shown} differ from English's "
                    + ", ".join(f"{{{p}}}" for p in sorted(expected))
                )


def _check_plain(path: Path, name: str, form: str) -> None:
    """One form of a message is plain text (PLAIN_ASCII, PLAIN_KINDS, JOINERS) around its placeholders, and
    at most LONGEST characters: anything else is a LanguageError naming the character and the text."""
    if len(form) > LONGEST:
        raise LanguageError(f"{path}: message {name!r} is {len(form)} characters long (at most {LONGEST})")
    literal = "".join(part[0] for part in string.Formatter().parse(form))
    char = next((char for char in literal if not plain(char)), None)
    if char is not None:
        shown = form if len(form) <= 40 else form[:37] + "..."
        raise LanguageError(
            f"{path}: message {name!r}: {char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}) in "
            f"{shown!r} is not plain text: TeX's \\ {{ }} $ & # ^ _ ~ %, control and format characters are refused"
        )


def plain(char: str) -> bool:
    """Whether `char` may stand in a message's text (PLAIN_ASCII, PLAIN_KINDS, JOINERS)."""
    if char.isascii():
        return char in PLAIN_ASCII
    kind = unicodedata.category(char)
    return char in JOINERS or kind in PLAIN_KINDS or kind[0] in PLAIN_KINDS


def lecture_names() -> list[str]:
    """The messages that name the lectures (the class page's cards, filters and menus, the explorer's title):
    page_scene_<scene> for every problem gdcore registers and every module in scenes/lectures."""
    import pkgutil

    from gdcore import LECTURES

    lectures = Path(__file__).parents[2] / "lectures"  # read as a folder: the words import no lecture
    modules = [found.name for found in pkgutil.iter_modules([str(lectures)])]
    return [f"{PAGE}scene_{scene}" for scene in sorted({*LECTURES, *modules})]


def _check_lectures(path: Path, messages: dict) -> None:
    """Every lecture has its name (lecture_names): a missing one is a LanguageError naming it."""
    missing = next((name for name in lecture_names() if name not in messages), None)
    if missing is not None:
        raise LanguageError(
            f"{path}: message {missing!r} is missing: every lecture is named in every language"
        )


def _check_decimal(path: Path, sign: str | None) -> None:
    """A decimal_sign message, when there is one, is one character that is neither a digit nor a space."""
    if sign is not None and (len(sign) != 1 or sign.isdigit() or sign.isspace() or sign in "{}-+"):
        raise LanguageError(
            f'{path}: message {DECIMAL!r}: {sign!r} is not a decimal sign (one character, as "." or ",")'
        )
