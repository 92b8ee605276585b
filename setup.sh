#!/usr/bin/env bash
# Set up what is missing, then run the command given (if any) inside the project's .venv:
#   bash setup.sh python render.py --scene parabola --quality high
#   bash setup.sh python -m pytest
# System packages are installed only when missing (apt-get, --no-install-recommends); the .venv is created
# and the project (with its test extras) installed only when pyproject.toml changed. A second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")"

# pango headers + pkg-config: manimpango builds from source on Linux. LaTeX + dvisvgm: MathTex.
# espeak-ng: the offline voice of --voice.
PACKAGES=(pkg-config libpango1.0-dev texlive-latex-base texlive-latex-extra texlive-fonts-recommended
          dvisvgm espeak-ng)

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
if [ ! -e "$stamp" ]; then
    echo "setup: installing the project into .venv" >&2
    .venv/bin/python -m pip install -q --upgrade pip >&2
    .venv/bin/python -m pip install -q -e '.[test]' >&2
    rm -f .venv/.installed-* && touch "$stamp"
fi

if (($#)); then
    export PATH="$PWD/.venv/bin:$PATH"
    exec "$@"
fi
