"""tests/core needs only numpy, SymPy (a teacher's typed function), click, Babel, pytest and hypothesis (the README's promise): run here, in a
Python that sees nothing else of what is installed (no Manim, no PyAV, no Jinja2, no ruff, not even the
project's own package metadata), it passes, or skips a test with a reason."""

import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
CORE = ("numpy", "sympy", "click", "babel", "pytest", "hypothesis")  # what the README says tests/core needs


def needed(names) -> set[str]:
    """The installed distributions that `names` need, themselves included (markers evaluated here, extras
    left out), by canonical name."""
    found, todo = set(), list(names)
    while todo:
        dist = metadata.distribution(todo.pop())
        name = canonicalize_name(dist.metadata["Name"])
        if name not in found:
            found.add(name)
            wanted = (Requirement(line) for line in dist.requires or [])
            todo += [r.name for r in wanted if r.marker is None or r.marker.evaluate({"extra": ""})]
    return found


def only(names, folder: Path) -> Path:
    """`folder` with links to the files of the distributions `names` need (packages, modules, metadata),
    nothing else: a site folder for `python -S`."""
    folder.mkdir()
    for name in needed(names):
        dist = metadata.distribution(name)
        for top in {
            Path(f).parts[0] for f in dist.files or [] if not str(f).startswith((".", "__pycache__"))
        }:
            if not (folder / top).exists():
                (folder / top).symlink_to(dist.locate_file(top))
    return folder


def test_tests_core_needs_only_numpy_click_babel_pytest_and_hypothesis(tmp_path):
    """Every test but hypothesis's property tests (pure numbers, the slow half) and this one."""
    site = only(CORE, tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{site}", "PYTEST_ADDOPTS": ""}
    run = [sys.executable, "-S", "-m", "pytest", "tests/core", "-q", "-rs", "-p", "no:cacheprovider"]
    run += ["-o", "addopts=", "--basetemp", str(tmp_path / "base"), "-m", "not hypothesis"]
    run += ["--ignore", str(Path(__file__).relative_to(ROOT))]
    done = subprocess.run(run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout.splitlines()[-1]
