"""The lectures, one module each, named as their --scene."""

from __future__ import annotations

import importlib
import importlib.util

from gdcore import Subject


class NoLecture(LookupError):
    """A lecture module with no scene class for the subject's kind."""


def has_lecture(scene: str) -> bool:
    """Whether `scene` has a module that draws it (a problem may come before its lecture: its numbers are
    there, --export-data writes them, but it has no video yet)."""
    return importlib.util.find_spec(f"{__name__}.{scene}") is not None


def scene_class(subject: Subject) -> type:
    """The Manim scene class that draws `subject`: the one in the module scenes.lectures.<its scene> that
    declares it TEACHES the subject's kind (a Lesson, a Comparison or a Landscape); NoLecture when none does."""
    module = importlib.import_module(f"{__name__}.{subject.scene}")
    found = [
        cls
        for cls in vars(module).values()
        if isinstance(cls, type)
        and cls.__module__ == module.__name__
        and getattr(cls, "TEACHES", None) is type(subject)
    ]
    if len(found) != 1:
        raise NoLecture(f"--scene {subject.scene} has no lecture for a {type(subject).__name__}")
    return found[0]
