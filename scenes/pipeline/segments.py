"""Manim's per-animation segments (partial movie files, named by Manim's hash of the play) kept in the shared
cache folder, one folder per quality, encoder settings and version of the drawing code (Manim's hash does not
see a change in the code an updater calls): a render reuses every animation that did not
change. Segments are written under a private name and renamed into place (scenes.pipeline.compat), each after its
record (<key>.sha256: size and SHA-256), which is checked before it is reused; a render holds a
shared lock on the cache while it may still join segments, and the size bound removes the least recently
used ones only when no render holds it."""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
from pathlib import Path

from .compat import record
from .files import TEMPORARY, cache_dir, sweep

LIMIT = 2 << 30  # bytes: the segments of every quality together; the least recently used go first
PROJECT = Path(__file__).resolve().parents[2]


def root() -> Path:
    return cache_dir() / "segments"


def folder(quality: str, encoder: dict) -> Path:
    """The segments of renders at `quality` with these x264 options (Manim's hash covers them too) drawn by
    this version of the code."""
    tag = hashlib.sha1(json.dumps([encoder, code_version()], sort_keys=True).encode()).hexdigest()[:8]
    return root() / f"{quality}-{tag}"


@functools.cache
def code_version(here: Path = PROJECT) -> str:
    """SHA-256 of the Python sources of gdcore and scenes under `here` (the project): what a segment looks
    like may change with any of them."""
    digest = hashlib.sha256()
    for source in sorted(f for name in ("gdcore", "scenes") for f in (here / name).rglob("*.py")):
        digest.update(source.relative_to(here).as_posix().encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def path(folder: Path, key: str) -> Path:
    """The segment of the play whose Manim hash is `key` (renders are mp4: scenes.pipeline.render's settings)."""
    return folder / f"{key}.mp4"


@contextlib.contextmanager
def in_use(where: Path):
    """A shared lock on the segment cache for the duration (no bound() removes a segment meanwhile); the
    private files of renders that were killed are removed from `where` first."""
    root().mkdir(parents=True, exist_ok=True)
    sweep(where)
    with open(root() / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        yield


def bound(limit: int = LIMIT) -> int:
    """Remove the least recently used segments (by access time, which Manim sets when it joins one) until
    the cache holds at most `limit` bytes; returns how many were removed. Does nothing while another render
    holds the cache (it runs again at the end of the next render)."""
    if not root().is_dir():
        return 0
    with open(root() / ".lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 0
        files = []
        for path in root().glob("*/*.mp4"):
            with contextlib.suppress(OSError):
                if not TEMPORARY.match(path.name):
                    stat = path.stat()
                    files.append((stat.st_atime, stat.st_size, path))
        total, removed = sum(size for _, size, _ in files), 0
        for _, size, path in sorted(files):
            if total <= limit:
                break
            path.unlink(missing_ok=True)
            record(path).unlink(missing_ok=True)  # after its segment: no segment is left without one
            total, removed = total - size, removed + 1
        return removed
