"""What a lecture teaches: the one protocol that a Lesson, a Comparison and a Landscape share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from .lesson import Lesson
    from .problems import Problem


@runtime_checkable
class Subject(Protocol):
    """scene: the lecture's name; params: its hyperparameters (a compared one as the tuple of its values);
    problem: the loss it minimises; lesson: its first (or only) single run; lessons: the runs drawn side by
    side (a Lesson and a Landscape: one); compared: the hyperparameter the runs differ in, None for one run;
    summary(): plain numbers for the sidecar; runs(): one entry per run or tour stop, None for a Lesson."""

    scene: str
    params: Mapping

    @property
    def problem(self) -> Problem: ...

    @property
    def lesson(self) -> Lesson: ...

    @property
    def lessons(self) -> tuple[Lesson, ...]: ...

    @property
    def compared(self) -> str | None: ...

    def summary(self) -> dict: ...

    def runs(self) -> list[dict] | None: ...
