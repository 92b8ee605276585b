"""The plays of a lecture as its last undrawn pass found them (each play's frames, and whether it is held
still), kept in the cache folder for each lecture, language and quality. A split render (scenes.pipeline.chunks)
balances its processes by the plan it finds and starts them at once, while its own undrawn pass (the
timeline, which the join checks every play against) runs beside them. After a change of parameters the plan
is an estimate: the ranges then balance the work less well, but every play is still drawn once."""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from .files import cache_dir, replace_file


def path(cls: type, lang: str, quality: str) -> Path:
    key = json.dumps([cls.__module__, cls.__qualname__, lang, quality])
    return cache_dir() / "plans" / f"{hashlib.sha1(key.encode()).hexdigest()[:16]}.json"


def load(cls: type, lang: str, quality: str) -> tuple[list, float] | None:
    """The last plan of this lecture (play records as chunks.costs reads them) and the seconds its undrawn
    pass took, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads(path(cls, lang, quality).read_text(encoding="utf-8"))
        plan = [(None, int(frames), bool(held), False) for frames, held in data["plays"]]
        return (plan, float(data["seconds"])) if plan else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(cls: type, lang: str, quality: str, plan: list, seconds: float) -> None:
    """Keep this pass's plan for the next render of the lecture (a cache that cannot be written is skipped)."""
    target = path(cls, lang, quality)
    data = {"plays": [[frames, held] for _, frames, held, _ in plan], "seconds": seconds}
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, json.dumps(data).encode("utf-8"))
