"""Writing a run's numbers as CSV (the export contract: headers below, one row per step, full precision)."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .compare import Comparison
from .landscape import Landscape
from .trajectory import Trajectory


def trajectory_rows(traj: Trajectory) -> tuple[list[str], list[list]]:
    """Header and rows of trajectory.csv: step, position, state, [grad,] loss."""
    names = traj.problem.param_names
    if names == ("x",):
        header = ["step", "x", "v", "grad", "loss"]
        cols = [traj.positions[:, 0], traj.states[:, 0], traj.gradients[:, 0]]
    else:
        header = ["step", *names, *(f"v_{n}" for n in names), "loss"]
        cols = [*traj.positions.T, *traj.states.T]
    rows = [[t, *(float(c[t]) for c in cols), float(traj.losses[t])] for t in range(traj.last_step + 1)]
    return header, rows


def _write_csv(path: Path, header: list[str], rows) -> None:
    # Written beside the target and renamed, so a failed write never leaves half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".momentum-part-{os.getpid()}-", suffix=".csv")
    try:
        with os.fdopen(fd, "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(header)
            out.writerows([[repr(v) if isinstance(v, float) else v for v in r] for r in rows])
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def planned(subject, folder: Path) -> list[tuple[Path, Callable[[], tuple[list[str], list]]]]:
    """What --export-data writes for a Lesson (its run's files), a Comparison (the same in one folder per
    value, named `beta=0.5`) or a Landscape (landscape.csv: lr,beta,rho, one row per grid cell): each file's
    path and a function giving its header and rows."""
    folder = Path(folder)
    if isinstance(subject, Landscape):
        return [(folder / "landscape.csv", lambda: (["lr", "beta", "rho"], subject.rows().tolist()))]
    if isinstance(subject, Comparison):
        return [
            entry
            for value, one in zip(subject.values, subject.lessons)
            for entry in planned(one, folder / f"{subject.varied}={value}")
        ]
    return _run_files(subject.run, folder)


def _run_files(traj: Trajectory, folder: Path) -> list:
    """trajectory.csv, and data.csv for a problem fitted to data (its `data_table`)."""
    files = [(folder / "trajectory.csv", lambda: trajectory_rows(traj))]
    if traj.problem.data_table() is not None:
        files.append((folder / "data.csv", traj.problem.data_table))
    return files


def _write(files: list) -> list[Path]:
    for path, rows in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_csv(path, *rows())
    return [path for path, _ in files]


def export(traj: Trajectory, folder: Path) -> list[Path]:
    """Write trajectory.csv (and data.csv with x1,x2,y for the regression) into `folder`; return the paths."""
    return _write(_run_files(traj, Path(folder)))


def export_lecture(subject, folder: Path) -> list[Path]:
    """Write every file `planned` for `subject` into `folder` (made if needed); return their paths."""
    return _write(planned(subject, folder))
