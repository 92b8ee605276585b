"""Check language files before a render does:  python -m scenes.words.locales check [CODE …]

With no code, every file in scenes/words/locales (or $MOMENTUM_LOCALES). Prints one line per file; a broken one
is named with its message, and the exit status is 2."""

from __future__ import annotations

import sys

from . import LanguageError, available, folder, load


def check(codes: list[str]) -> int:
    """Check each language (every present one if none is named); print what was found; 0 if all are good."""
    status = 0
    for code in codes or available():
        try:
            language = load(code)
        except LanguageError as err:
            print(f"error: {err}", file=sys.stderr)
            status = 2
            continue
        print(
            f"{language.path}: {language.name}, {len(language.messages)} messages, plural forms "
            f"{', '.join(language.categories)} (CLDR {language.locale}), voice {language.voice}: ok"
        )
    return status


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "check":
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print(f"language files in {folder()}: {', '.join(available()) or 'none'}", file=sys.stderr)
        return 2
    return check(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
