"""A class's own data for the regression: a CSV file read and checked by what is allowed.

The file: UTF-8 text (a byte-order mark is allowed) of at most MAX_BYTES; a header of three distinct plain
names (two features, then the target: letters, digits and single spaces, starting with a letter, at most
MAX_NAME characters, as they are typeset and put into pages); then MIN_ROWS to MAX_ROWS rows of three plain
decimal numbers (123, -4.5, 6e-3), each at most MAX_VALUE in size, separated by commas. Rows are counted as
a spreadsheet shows them: the header is row 1. Refused, in a line naming the row and the column: a missing,
non-numeric, NaN or infinite cell, a ragged row, too few or too many rows, a constant feature or two collinear
features (the least-squares solution would not be unique), and a path that is not a regular file.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass

import numpy as np

MIN_ROWS, MAX_ROWS = 3, 100_000
MAX_BYTES = 16_000_000  # 100 000 rows of three 40-character numbers
MAX_NAME = 24
MAX_VALUE = 1e12  # squares and sums of 100 000 of them stay far from overflow
NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*( [A-Za-z0-9]+)*")
NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
SPECIAL = {"nan": "NaN (not a number)", "inf": "infinite", "infinity": "infinite"}
COLLINEAR = (
    1e-10  # the design's smallest singular value (standardised columns) below this share of its largest
)


class DataError(ValueError):
    """A data file that cannot be used; the message says why in a line, naming the row and column."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """names: the two features' and the target's; features (n, 2); targets (n,); digest: SHA-256 of the
    names and the numbers, which decide the lecture (not the file's path or its spelling of the numbers)."""

    names: tuple[str, str, str]
    features: np.ndarray
    targets: np.ndarray
    digest: str

    def __str__(self) -> str:
        """How the lecture's parameters (its sidecar, its name's hash) show it: names, rows and digest."""
        return f"{', '.join(self.names)}: {len(self.targets)} rows, sha256 {self.digest[:16]}"


def read(path) -> Dataset:
    """The Dataset in the file at `path` (DataError: why not)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a pipe does not block the open
    except OSError as err:
        raise DataError(f"it cannot be read ({err.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise DataError("it is a folder, not a file" if stat.S_ISDIR(mode) else "it is not a regular file")
    with os.fdopen(fd, "rb") as file:
        content = file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise DataError(f"it is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(f"it is not UTF-8 text (byte {err.start + 1} is not)") from None
    return parse(text)


def parse(text: str) -> Dataset:
    """The Dataset in the CSV `text` (DataError: why not)."""
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()  # blank lines at the end
    if not lines:
        raise DataError("it is empty: row 1 must name two features and the target")
    names = header(lines[0])
    if not MIN_ROWS <= len(lines) - 1 <= MAX_ROWS:
        raise DataError(f"it has {len(lines) - 1} rows of data: from {MIN_ROWS} to {MAX_ROWS} are needed")
    table = np.array([row(line, k, names) for k, line in enumerate(lines[1:], start=2)], dtype=float)
    features, targets = table[:, :2], table[:, 2]
    check_design(features, names)
    for part in (features, targets):
        part.setflags(write=False)
    digest = hashlib.sha256("\n".join(names).encode() + table.tobytes()).hexdigest()
    return Dataset(names, features, targets, digest)


def header(line: str) -> tuple[str, str, str]:
    """The three names of row 1 (DataError: not three distinct plain names)."""
    cells = [cell.strip() for cell in line.split(",")]
    if len(cells) != 3:
        raise DataError(
            f"row 1 has {len(cells)} cells: it must name two features and the target, comma-separated"
        )
    for k, cell in enumerate(cells, start=1):
        if len(cell) > MAX_NAME or not NAME.fullmatch(cell):
            raise DataError(
                f"row 1, column {k}: {cell[:40]!r} is not a plain name (letters, digits and single spaces, "
                f"starting with a letter, at most {MAX_NAME} characters)"
            )
    if len({cell.casefold() for cell in cells}) < 3:
        raise DataError(f"row 1 names a column twice ({', '.join(cells)}): the three names must differ")
    return cells[0], cells[1], cells[2]


def row(line: str, k: int, names: tuple[str, ...]) -> list[float]:
    """The three numbers of row k (DataError naming the row and the column of the first bad cell)."""
    cells = [cell.strip() for cell in line.split(",")]
    if len(cells) != 3:
        raise DataError(f"row {k} has {len(cells)} cell{'s' * (len(cells) != 1)}: the header has 3")
    numbers = []
    for j, (cell, name) in enumerate(zip(cells, names), start=1):
        where = f"row {k}, column {j} ({name})"
        if not cell:
            raise DataError(f"{where} is empty")
        if cell.lstrip("+-").casefold() in SPECIAL:
            raise DataError(f"{where} is {SPECIAL[cell.lstrip('+-').casefold()]}: {cell!r}")
        if not NUMBER.fullmatch(cell):
            raise DataError(f"{where}: {cell[:40]!r} is not a number")
        value = float(cell)
        if not abs(value) <= MAX_VALUE:
            raise DataError(
                f"{where}: {cell[:40]} is {'infinite' if abs(value) == np.inf else 'too large'} "
                f"(at most {MAX_VALUE:g} in size)"
            )
        numbers.append(value)
    return numbers


def check_design(features: np.ndarray, names: tuple[str, ...]) -> None:
    """DataError when the least-squares solution is not unique: a constant feature (it cannot be told from
    the intercept) or two collinear features (one is a line of the other)."""
    for j in range(2):
        if np.ptp(features[:, j]) == 0:
            raise DataError(
                f"column {j + 1} ({names[j]}) is constant ({features[0, j]:g} on every row): it cannot be told "
                "from the intercept, so the least-squares solution is not unique"
            )
    centred = features - features.mean(axis=0)
    scaled = centred / np.linalg.norm(centred, axis=0)
    singular = np.linalg.svd(scaled, compute_uv=False)
    if singular[-1] <= COLLINEAR * singular[0]:
        raise DataError(
            f"columns 1 and 2 ({names[0]}, {names[1]}) are collinear (one is a straight-line function of the "
            "other): the least-squares solution is not unique"
        )
