"""The project's file helpers: the shared cache folder and its lock, temporary names that carry their owner's
pid (and the sweep that removes a killed process's), a child process that dies with its parent, and a file
written whole by a rename."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import re
import shutil
import signal
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """Manim's LaTeX and text caches live here, outside the output folder, shared between renders."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "momentum-lectures"


@contextlib.contextmanager
def cache_lock():
    """An exclusive lock on the shared caches (and the class page), across processes."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    with open(cache_dir() / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


# What this project's temporary files and folders are called: the owner's pid is in the name, so a later run
# can remove those of a process that was killed (SIGKILL leaves them behind).
TEMPORARY = re.compile(r"^(?:momentum-render|\.momentum-part)-(\d+)-")


def private_prefix(hidden: bool = True) -> str:
    """The start of a temporary file's or folder's name: hidden beside the files it becomes, else the work
    folder in TMPDIR."""
    return f"{'.momentum-part' if hidden else 'momentum-render'}-{os.getpid()}-"


def sweep(folder: Path) -> None:
    """Remove the temporary files and folders in `folder` whose process is gone."""
    with contextlib.suppress(OSError):
        for entry in Path(folder).iterdir():
            match = TEMPORARY.match(entry.name)
            if match and not alive(int(match[1])):
                shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)


PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when the thread that started it dies


def die_with_parent() -> None:
    """In a child process: be stopped (SIGTERM: it cleans up) when its parent dies, so a killed render or
    Dask worker leaves no drawing running. Linux only; elsewhere a no-op."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` under a temporary name beside it, then rename it into place: a reader never
    sees half a file, and a failure leaves the old one whole."""
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=private_prefix())
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
