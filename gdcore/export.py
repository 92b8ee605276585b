"""Writing a run's numbers as CSV (the export contract: headers below, one row per step, full precision)."""

from __future__ import annotations

import csv
import functools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .compare import Comparison
from .landscape import Landscape
from .noisy import Noise, NoiseComparison
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
    value, named `beta=0.5`), a Landscape (landscape.csv: lr,beta,rho, one row per grid cell) or the noise
    lecture (data.csv and batches.csv once, each run's trajectory.csv in a folder named after it): each
    file's path and a function giving its header and rows."""
    folder = Path(folder)
    if isinstance(subject, Landscape):
        return [(folder / "landscape.csv", lambda: (["lr", "beta", "rho"], subject.rows().tolist()))]
    if isinstance(subject, Noise | NoiseComparison):
        return _noise_files(subject, folder)
    if isinstance(subject, Comparison):
        return [
            entry
            for value, one in zip(subject.values, subject.lessons)
            for entry in planned(one, folder / f"{subject.varied}={value}")
        ]
    return _run_files(subject.run, folder)


def batch_rows(batches) -> tuple[list[str], list[list[int]]]:
    """Header and rows of batches.csv: step,index, one row per sample of each step's mini-batch (step t from
    1: the batch whose gradient took the run from step t − 1 to t; index: its row of data.csv, from 0)."""
    return ["step", "index"], [[t, int(i)] for t, batch in enumerate(batches, start=1) for i in batch]


def _run_files(traj: Trajectory, folder: Path) -> list:
    """trajectory.csv, data.csv for a problem fitted to data (its `data_table`), and batches.csv for a run
    on mini-batches."""
    files = [(folder / "trajectory.csv", lambda: trajectory_rows(traj))]
    if traj.problem.data_table() is not None:
        files.append((folder / "data.csv", traj.problem.data_table))
    if traj.batches is not None:
        files.append((folder / "batches.csv", lambda: batch_rows(traj.batches)))
    return files


def _noise_files(subject: Noise | NoiseComparison, folder: Path) -> list:
    """The noise lecture's files: data.csv, batches.csv (the batches all its runs were given; none for the
    full gradient) and each run's trajectory.csv in its folder: plain/, momentum/, matched/ (a comparison's:
    beta=0.5/, …)."""
    files = [(folder / "data.csv", subject.problem.data_table)]
    schedule = subject.schedule
    if schedule is not None:
        files.append((folder / "batches.csv", lambda: batch_rows(schedule)))
    return files + [
        (folder / subject.folder(i) / "trajectory.csv", functools.partial(trajectory_rows, one.run))
        for i, one in enumerate(subject.lessons)
    ]


def _write(files: list) -> list[Path]:
    for path, rows in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_csv(path, *rows())
    return [path for path, _ in files]


def export(traj: Trajectory, folder: Path) -> list[Path]:
    """Write trajectory.csv (and data.csv with x1,x2,y for the regression, batches.csv on mini-batches) into
    `folder`; return the paths."""
    return _write(_run_files(traj, Path(folder)))


def export_lecture(subject, folder: Path) -> list[Path]:
    """Write every file `planned` for `subject` into `folder` (made if needed); return their paths."""
    return _write(planned(subject, folder))
