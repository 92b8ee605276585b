#!/usr/bin/env bash
# Set up what is missing, then run the command given (if any) inside the project's .venv:
#   bash setup.sh python render.py --scene parabola --quality high
#   bash setup.sh python -m pytest
# System packages are installed only when missing (apt-get, --no-install-recommends); the .venv is created
# and the project installed only when pyproject.toml changed. A second run takes seconds.
# When the command runs pytest, set-up also installs what only the tests need: the test extras (Playwright for
# Python among them), the extras `cluster` (Dask, for --cluster's tests) and `notebook` (a Jupyter kernel
# for the notebooks' test) and a headless Chromium from Debian (chromium-headless-shell) for the class page.
set -euo pipefail
cd "$(dirname "$0")"

# The Python the .venv is made with: $PYTHON, else the first of python3.13, python3.12, python3.11, python3
# that is 3.11 or newer (Manim needs it), else a Python 3.12 that uv fetches without root (internet, once).
# `bash setup.sh --which-python` prints that choice (fetching it if needed) and stops, before anything else.
new_enough() {  # "$1" runs and says it is Python 3.11 or newer
    [[ $("$1" --version 2>&1) =~ ^Python\ 3\.([0-9]+) ]] && ((BASH_REMATCH[1] >= 11))
}
choose_python() {  # prints the path of the interpreter, or the one message naming what to run and returns 1
    local c py uv why have="no python3" userbin=${PYTHONUSERBASE:-$HOME/.local}/bin
    if [ -n "${PYTHON:-}" ]; then
        new_enough "$PYTHON" && { command -v "$PYTHON"; return; }
        echo "setup: ignoring PYTHON=$PYTHON, it is not Python 3.11 or newer; looking for another" >&2
    fi
    for c in python3.13 python3.12 python3.11 python3; do
        command -v "$c" >/dev/null && new_enough "$c" && { command -v "$c"; return; }
    done
    if command -v python3 >/dev/null; then
        have=$(python3 --version 2>&1) || have="a python3 that does not start"
    fi
    echo "setup: Manim needs Python 3.11 or newer, and this computer has $have." >&2
    echo "setup: fetching Python 3.12 with uv (no root needed; a few minutes, internet needed once)" >&2
    uv=$(command -v uv || true)
    [ -z "$uv" ] && [ -x "$userbin/uv" ] && uv=$userbin/uv
    if [ -z "$uv" ]; then
        python3 -m pip install --user --quiet --retries 1 uv >/dev/null 2>&1 || true
        [ -x "$userbin/uv" ] && uv=$userbin/uv || why="pip could not install uv (no pip, or no internet)"
    fi
    if [ -n "$uv" ]; then
        "$uv" python install 3.12 >&2 && py=$("$uv" python find --system 3.12) && new_enough "$py" \
            && { echo "$py"; return; }
        why="uv could not download Python 3.12 (no internet?)"
    fi
    python_help "$why" "$uv"
    return 1
}
python_help() {  # what to run on this distribution: $1 says what failed, $2 is uv if there is one
    local os_release=${OS_RELEASE:-/etc/os-release} system codename or=""
    local get_uv="python3 -m pip install --user uv" uv_cmd=${2:-'~/.local/bin/uv'}
    system=$(. "$os_release" 2>/dev/null; echo "${PRETTY_NAME:-this system}")
    codename=$(. "$os_release" 2>/dev/null; echo "${UBUNTU_CODENAME:-}")
    python3 -m pip --version >/dev/null 2>&1 || get_uv="wget -qO- https://astral.sh/uv/install.sh | sh"
    [ -n "$2" ] && get_uv=""
    echo "setup: that failed: $1." >&2
    case $codename in
        ""|xenial|bionic|focal) ;;  # not Ubuntu, or a release the deadsnakes archive dropped
        *) echo "setup: on $system, with sudo: run these once (they need internet), then run me again:" >&2
           echo "  sudo apt-get install -y software-properties-common" >&2
           echo "  sudo add-apt-repository -y ppa:deadsnakes/ppa" >&2
           echo "  sudo apt-get install -y python3.12 python3.12-venv python3.12-dev" >&2
           or="or, " ;;
    esac
    echo "setup: ${or}on $system without sudo: run these once the computer is online, then run me again:" >&2
    [ -n "$get_uv" ] && echo "  $get_uv" >&2
    echo "  $uv_cmd python install 3.12" >&2
}
if [ "${1:-}" = --which-python ]; then choose_python; exit; fi

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

if [ ! -x .venv/bin/python ]; then
    py=$(choose_python)
    "$py" -m venv .venv >&2 || { rm -rf .venv; exit 1; }  # a half-made .venv would be taken as done next time
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -e "$stamp$tests" ] && [ ! -e "$stamp-test" ]; then
    echo "setup: installing the project into .venv" >&2
    .venv/bin/python -m pip install -q --upgrade pip >&2
    .venv/bin/python -m pip install -q -e ".${tests:+[test,cluster,notebook]}" >&2
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
    # the tests in two processes, each file's tests in one (pytest-xdist, a test extra): 9 minutes on 2 cores
    # instead of 13 (docs/setup.md); PYTEST_ADDOPTS set by hand wins (PYTEST_ADDOPTS= runs them in one process)
    [ -n "$tests" ] && export PYTEST_ADDOPTS="${PYTEST_ADDOPTS--n 2 --dist loadfile}"
    exec "$@"
fi
