"""Renders shared by the video tests: each lecture once per language at low quality with few steps."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the tests' helper module `videos`

from videos import PARABOLA, REGRESSION, VOICED, render  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def manim_files(tmp_path_factory):
    """Mobjects built inside the tests write Manim's LaTeX and text files to a temporary folder, not to the
    repository's media/."""
    from manim import tempconfig

    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("manim"))}):
        yield


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's chromium-headless-shell) for every browser test of the session."""
    import shutil

    from playwright.sync_api import sync_playwright

    found = next(filter(None, map(shutil.which, ("chromium-headless-shell", "chromium"))), None)
    assert found, "no headless Chromium: `bash setup.sh python -m pytest` installs chromium-headless-shell"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=found, args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"]
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


def rendered(*args: str):
    """A session fixture: the lecture rendered once with these options into the shared media folder."""

    @pytest.fixture(scope="session")
    def fixture(media):
        return render(media, *args)

    return fixture


parabola_en = rendered(*PARABOLA)
parabola_es = rendered(*PARABOLA, "--lang", "es", "--slides")
parabola_en_medium = rendered(*PARABOLA, "--quality", "medium")  # the same lecture at a second quality
regression_en = rendered(*REGRESSION)
regression_es = rendered(*REGRESSION, "--lang", "es", "--slides")
parabola_compare = rendered("--lr", "0.5,2,13", "--steps", "30")
regression_compare_es = rendered(
    "--scene",
    "regression",
    "--variant",
    "classic,ema,nesterov",
    "--steps",
    "5",
    "--samples",
    "25",
    "--seed",
    "3",
    "--lang",
    "es",
)
landscape_en = rendered("--scene", "landscape", "--steps", "20")
valleys_es = rendered("--scene", "valleys", "--steps", "60", "--lang", "es")


@pytest.fixture(scope="session")
def parabola_voiced(tmp_path_factory):
    """The voiced lecture drawn afresh in one process (--force: no segment of a split render in it), in a
    folder of its own (the class page's tests count the shared folder's videos). Needs espeak-ng."""
    return render(tmp_path_factory.mktemp("voiced"), *VOICED, "--force")
