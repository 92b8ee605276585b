"""Renders shared by the video tests: each lecture once per language at low quality with few steps."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the tests' helper module `videos`

from videos import render  # noqa: E402

PARABOLA = ["--steps", "6", "--lr", "0.4", "--beta", "0.7", "--x0", "4.5"]
REGRESSION = ["--scene", "regression", "--steps", "5", "--samples", "25", "--seed", "3"]


@pytest.fixture(scope="session")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def parabola_en(media):
    return render(media, *PARABOLA)


@pytest.fixture(scope="session")
def parabola_es(media):
    return render(media, *PARABOLA, "--lang", "es")


@pytest.fixture(scope="session")
def regression_en(media):
    return render(media, *REGRESSION)


@pytest.fixture(scope="session")
def regression_es(media):
    return render(media, *REGRESSION, "--lang", "es")
