"""A cached animation segment is reused only if it is what its record, written with it, says: cut, changed in
its middle, replaced by something that is not a file, or with a bad record, it is damaged. No Manim needed."""

import os
from pathlib import Path

import pytest

from scenes.pipeline import compat, segments

VIDEO = bytes(range(256)) * 400  # 100 KiB standing in for an encoded segment


@pytest.fixture
def sealed(tmp_path):
    """A segment installed as a render installs one (from its private file), and its path."""
    made, path = tmp_path / "private.mp4", tmp_path / "0123abcd.mp4"
    made.write_bytes(VIDEO)
    compat.seal(path, made=made)
    assert not made.exists() and path.read_bytes() == VIDEO
    return path


def test_a_segment_as_it_was_written_is_whole(sealed, tmp_path):
    assert compat.check(sealed) == "whole"
    compat.seal(tmp_path / "sent.mp4", VIDEO)  # as a cluster's segment arrives: bytes
    assert compat.check(tmp_path / "sent.mp4") == "whole"
    assert compat.record(sealed).read_text() == compat.record(tmp_path / "sent.mp4").read_text()


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(VIDEO[: len(VIDEO) // 2]),  # cut
        lambda p: p.write_bytes(VIDEO[:5000] + bytes(1000) + VIDEO[6000:]),  # zeroed in its middle, same size
        lambda p: p.write_bytes(b""),
        lambda p: (p.unlink(), os.mkfifo(p)),  # not a file: never opened (a FIFO would hang a read)
        lambda p: compat.record(p).write_bytes(b"\xff\xfe not a record"),
        lambda p: compat.record(p).write_text(f"{len(VIDEO)} {'0' * 64}\n"),
        lambda p: (compat.record(p).unlink(), os.symlink("/dev/zero", compat.record(p))),
    ],
    ids=["cut", "zeroed", "emptied", "fifo", "bad record", "other hash", "record is a device"],
)
def test_a_damaged_segment_is_never_whole(sealed, damage):
    damage(sealed)
    assert compat.check(sealed) == "damaged"


def test_a_segment_without_a_record_is_unrecorded(sealed):
    """A cache made before records were kept: drawn again, but not called damaged."""
    compat.record(sealed).unlink()
    assert compat.check(sealed) == "unrecorded"


def test_the_bound_removes_a_segment_s_record_with_it(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    where = segments.folder("low", {"crf": "23"})
    where.mkdir(parents=True)
    for age in range(3):
        compat.seal(where / f"{age}.mp4", VIDEO)
        used = 1_700_000_000 - 3600 * age
        os.utime(where / f"{age}.mp4", (used, used))
    assert segments.bound(limit=len(VIDEO)) == 2
    assert sorted(p.name for p in where.iterdir()) == ["0.mp4", "0.sha256"]
    assert compat.check(where / "0.mp4") == "whole"


def test_segments_drawn_by_other_code_are_not_reused(tmp_path):
    """Manim's hash of a play does not see the code its updaters call: the folder is per version of it."""
    trees = [tmp_path / name for name in "abc"]
    for tree in trees:
        for package in ("gdcore", "scenes/kit"):
            (tree / package).mkdir(parents=True)
            (tree / package / "m.py").write_text("STEP = 0.7\n")
    (trees[1] / "scenes/kit/m.py").write_text("STEP = 0.6\n")  # the code that moves a ball changed
    (trees[2] / "scenes/kit/notes.txt").write_text("not code")
    a, b, c = (segments.code_version(tree) for tree in trees)
    assert a != b and a == c
    assert segments.code_version() == segments.code_version(Path(segments.__file__).resolve().parents[2])
