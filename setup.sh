#!/usr/bin/env bash
# Set up what is missing, then run the command given (if any) inside the project's .venv:
#   bash setup.sh python render.py --scene parabola --quality high
#   bash setup.sh python -m pytest
# System packages are installed only when missing (apt-get, --no-install-recommends); the .venv is created
# and the project installed only when pyproject.toml changed. A second run takes seconds.
# When the command runs pytest, set-up also installs what only the tests need: the test extras (Playwright for
# Python among them) and a headless Chromium from Debian (chromium-headless-shell) for the class page's tests.
set -euo pipefail
cd "$(dirname "$0")"

tests=""
for arg in "$@"; do [ "$arg" = pytest ] && tests="-test"; done

# pango headers + pkg-config: manimpango builds from source on Linux. LaTeX + dvisvgm: MathTex.
# espeak-ng: the offline voice of --voice.
PACKAGES=(pkg-config libpango1.0-dev texlive-latex-base texlive-latex-extra texlive-fonts-recommended
          dvisvgm espeak-ng)
[ -n "$tests" ] && PACKAGES+=(chromium-headless-shell)

missing=()
if command -v dpkg-query >/dev/null; then
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
fi
if ((${#missing[@]})); then
    install="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    if [ "$(id -u)" = 0 ]; then sudo=""
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"
    else
        echo "setup: missing system packages: ${missing[*]}" >&2
        echo "setup: run this once, then run me again:" >&2
        echo "  sudo sh -c '$install'" >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]} (about a minute)" >&2
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is needed"' >&2
    "$PYTHON" -m venv .venv >&2
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -e "$stamp$tests" ] && [ ! -e "$stamp-test" ]; then
    echo "setup: installing the project into .venv" >&2
    .venv/bin/python -m pip install -q --upgrade pip >&2
    .venv/bin/python -m pip install -q -e ".${tests:+[test]}" >&2
    rm -f .venv/.installed-* && touch "$stamp$tests"
fi

# reveal.js for HTML slide decks that work offline (--slides), from the npm registry when npm is there
reveal=.venv/share/reveal.js
if [ ! -d "$reveal/dist" ] && command -v npm >/dev/null; then
    version=$(.venv/bin/python -c 'from manim_slides.convert import RevealJS
print(RevealJS.model_fields["reveal_version"].default)')
    tmp=$(mktemp -d)
    if (cd "$tmp" && npm pack --silent "reveal.js@$version" >/dev/null 2>&1) && mkdir -p "$reveal" &&
        tar xzf "$tmp"/reveal.js-*.tgz -C "$reveal" --strip-components=1; then
        echo "setup: fetched reveal.js $version for offline slide decks" >&2
    else
        echo "setup: could not fetch reveal.js with npm: HTML slide decks will load it from the internet" >&2
        rm -rf "$reveal"
    fi
    rm -rf "$tmp"
fi

if (($#)); then
    export PATH="$PWD/.venv/bin:$PATH"
    exec "$@"
fi
