"""scenes.pipeline.compat installs every replacement of its table on the tested versions, once, and none on others."""

import subprocess
import sys
from pathlib import Path

from scenes.pipeline import compat

ROOT = Path(__file__).resolve().parents[2]

# In a fresh process: each package's swapped attributes, after two calls of apply(); the log's console
CHECK = """
import importlib, sys
from scenes.pipeline import compat
%s
for package in ("manim", "manim_slides"):
    compat.apply(package)
    compat.apply(package)
for entry in compat.REPLACEMENTS:
    if entry.make is not None:
        module, _, cls = entry.owner.partition(":")
        owner = importlib.import_module(module)
        owner = getattr(owner, cls) if cls else owner
        function = owner.__dict__[entry.name]
        function = getattr(function, "__func__", function)
        print(entry.owner, entry.name, hasattr(function, "original"),
              hasattr(getattr(function, "original", None), "original"))
from manim import logger
print("stderr", all(handler.console.stderr for handler in logger.handlers))
"""


def run(prelude: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHECK % prelude], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_the_tested_versions_get_every_replacement_once():
    done = run()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    swapped = [line for line in lines if not line.startswith("stderr")]
    assert len(swapped) == len([entry for entry in compat.REPLACEMENTS if entry.make is not None])
    assert all(line.endswith("True False") for line in swapped), swapped  # replaced, and only once
    assert "stderr True" in lines and "untested" not in done.stderr


def test_an_untested_version_is_left_as_it_is_and_said_once():
    done = run("compat.installed_version = lambda package: '9.9.0'")
    assert done.returncode == 0, done.stderr
    assert all(line.endswith("False False") for line in done.stdout.splitlines()[:-1]), done.stdout
    assert done.stdout.splitlines()[-1] == "stderr False"
    warnings = [line for line in done.stderr.splitlines() if "untested" in line]
    assert warnings == [
        f"warning: {package} 9.9.0 is untested here and left as it is: {consequence}"
        for package, consequence in (
            (
                "manim",
                "parallel renders may share caches unsafely, LaTeX runs unbounded, and held frames encode slower",
            ),
            ("manim_slides", "--slides may fail"),
        )
    ]
