"""Writing a run's numbers as CSV (the export contract: headers below, one row per step, full precision)."""
from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

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
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".csv")
    try:
        with os.fdopen(fd, "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(header)
            out.writerows([[repr(v) if isinstance(v, float) else v for v in r] for r in rows])
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def export(traj: Trajectory, folder: Path) -> list[Path]:
    """Write trajectory.csv (and data.csv with x1,x2,y for the regression) into `folder`; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "trajectory.csv"]
    _write_csv(written[0], *trajectory_rows(traj))
    if traj.problem.param_names != ("x",):
        data = [[float(a), float(b), float(y)] for (a, b), y in zip(traj.problem.features, traj.problem.targets)]
        written.append(folder / "data.csv")
        _write_csv(written[1], ["x1", "x2", "y"], data)
    return written


def export_lecture(subject, folder: Path) -> list[Path]:
    """What --export-data writes for a Lesson (its run), a Comparison (one folder per value, named
    `beta=0.5`) or a Landscape (landscape.csv: lr,beta,rho, one row per grid cell)."""
    folder = Path(folder)
    if hasattr(subject, "rho"):
        folder.mkdir(parents=True, exist_ok=True)
        _write_csv(folder / "landscape.csv", ["lr", "beta", "rho"], subject.rows().tolist())
        return [folder / "landscape.csv"]
    if hasattr(subject, "lessons"):
        return [path for value, one in zip(subject.values, subject.lessons)
                for path in export(one.run, folder / f"{subject.varied}={value}")]
    return export(subject.run, folder)
