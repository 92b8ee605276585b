"""The examples in gdcore's docstrings run and give what they say (as `pytest --doctest-modules gdcore`)."""

import doctest
import importlib
import pkgutil

import pytest

import gdcore

MODULES = [info.name for info in pkgutil.iter_modules(gdcore.__path__, "gdcore.")]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_the_rules_and_the_theory_teach_by_example():
    for name in ("gdcore.optimizers", "gdcore.theory", "gdcore.problems"):
        assert doctest.testmod(importlib.import_module(name)).attempted >= 3, name


def test_the_python_api_teaches_by_example(tmp_path, monkeypatch):
    """scenes.api's examples: lesson() and export() run (in a temporary folder), render's are skipped."""
    from scenes import api

    monkeypatch.chdir(tmp_path)
    result = doctest.testmod(api, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 6
