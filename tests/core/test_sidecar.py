"""The sidecar as one typed record: what the render writes is what the cache and the class page read back,
and a sidecar that is not whole is refused with what is wrong named."""

import contextlib
import hashlib
import json
import os
import signal
import time
from pathlib import Path

import numpy as np
import pytest

from gdcore import Comparison, Landscape, Lesson, Subject, compare, landscape, lesson
from scenes.pipeline.render import cached
from scenes.pipeline.sidecar import FILES, Sidecar, SidecarError


def example(**changes) -> Sidecar:
    record = dict(
        scene="parabola",
        quality="low",
        lang="es",
        params={"lr": 0.3, "beta": 0.6},
        problem={"name": "parabola", "formula": r"\frac{x^2}{6}"},
        summary={"outcome": "settled", "convergence_factor": np.float64(0.77)},
        headline="La bola se asentó en el paso 12.",
        question="¿Cuál llega antes?",
        subtitles={"srt": "a.srt", "vtt": "a.vtt", "chapters": "a.chapters.vtt"},
        transcript="a.txt",
        poster="a.jpg",
        voice=False,
        captions=[{"start": 0.0, "end": 2.5, "text": "Hola", "claims": []}],
        beats={"intro": 0.0},
        chapters=[{"beat": "intro", "title": "Inicio", "start": 0.0, "end": 2.5}],
        duration=2.5,
        versions={"manim": "0.22.0"},
    )
    return Sidecar(**{**record, **changes})


def test_what_is_written_is_read_back_and_json_keeps_the_words():
    meta = example(runs=[{"params": {"beta": 0.5}}], files={".mp4": "ab" * 32})
    text = meta.dumps()
    assert "¿Cuál" in text  # UTF-8, not \\u escapes
    back = Sidecar.loads(text)
    assert back.summary["convergence_factor"] == 0.77 and back.runs == meta.runs and back.files == meta.files
    assert json.loads(text)["captions"][0]["text"] == "Hola"


def test_none_for_runs_and_slides_leaves_their_keys_out():
    record = json.loads(example().dumps())
    assert "runs" not in record and "slides" not in record and Sidecar.loads(example().dumps()).runs is None


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (lambda r: r.pop("poster"), "it has no poster"),
        (lambda r: r.update(duration="long"), "its duration is of the wrong type"),
        (lambda r: r.update(voice=3), "its voice is of the wrong type"),
        (lambda r: r.update(duration=True), "its duration is of the wrong type"),
        (lambda r: r.update(captions={}), "its captions is not a list"),
    ],
)
def test_a_sidecar_that_is_not_whole_is_refused_naming_what_is_wrong(edit, said):
    record = json.loads(example().dumps())
    edit(record)
    with pytest.raises(SidecarError, match=said):
        Sidecar.loads(json.dumps(record))


def test_text_that_is_not_a_json_object_is_refused():
    for text in ("", "[1, 2]", "{"):
        with pytest.raises(SidecarError):
            Sidecar.loads(text)


def test_an_integer_duration_is_a_number():
    assert Sidecar.loads(example(duration=3).dumps()).duration == 3


def test_every_subject_is_the_one_protocol():
    subjects = [lesson("parabola", steps=5), compare("parabola", "beta", [0.0, 0.5], steps=5), landscape()]
    for subject, kind in zip(subjects, (Lesson, Comparison, Landscape)):
        assert isinstance(subject, Subject) and isinstance(subject, kind)
        assert subject.lesson in subject.lessons and subject.problem is subject.lesson.problem
    assert [s.compared for s in subjects] == [None, "beta", None]
    assert subjects[0].runs() is None and len(subjects[1].runs()) == 2 and len(subjects[2].runs()) == 3


# ---- a sidecar is untrusted: a shared output folder may hold one a stranger wrote


class Hung(BaseException):
    """A read that did not return in time (a BaseException: `except Exception` does not swallow it)."""


@contextlib.contextmanager
def within(seconds: int):
    """The block must finish within `seconds`; Hung is raised in it otherwise (a FIFO waited on, /dev/zero
    read forever)."""

    def hung(signum, frame):
        raise Hung(f"still running after {seconds} s")

    before = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


def on_disk(folder: Path, record: dict | None = None, text: bytes | None = None) -> Path:
    """A finished render `a` in `folder`: a.json (`record`, else example()'s, or the bytes `text`) and
    every file the example names (a.mp4, a.srt, …), a few bytes each, its files' hashes recorded."""
    for suffix in FILES[:6]:
        (folder / f"a{suffix}").write_bytes(f"content of a{suffix}".encode())
    if record is None:
        files = {s: hashlib.sha256(f"content of a{s}".encode()).hexdigest() for s in FILES[:6]}
        record = json.loads(example(files=files).dumps())
    path = folder / "a.json"
    path.write_bytes(json.dumps(record).encode() if text is None else text)
    return path


def edited(**changes) -> dict:
    """example()'s record with these keys changed (a value None: the key removed)."""
    record = json.loads(example().dumps())
    record.update(changes)
    return {k: v for k, v in record.items() if v is not None}


ZERO = "/" + "../" * 40 + "dev/zero"  # from any folder: /dev/zero
CHAPTER = {"beat": "intro", "title": "Inicio", "start": 0.0, "end": 2.5}
CAPTION = {"start": 0.0, "end": 2.5, "text": "Hola", "claims": []}
SUBTITLES = {"srt": "a.srt", "vtt": "a.vtt", "chapters": "a.chapters.vtt"}
HOSTILE = {  # what a stranger's sidecar may say → the field the one-line refusal names
    "a poster out of the folder": (edited(poster="../../etc/passwd"), "poster"),
    "a transcript at an absolute path": (edited(transcript="/etc/passwd"), "transcript"),
    "a subtitle file with a scheme": (edited(subtitles={**SUBTITLES, "vtt": "javascript:alert(1)"}), "vtt"),
    "a deck on the web": (edited(slides={"pptx": "a.pptx", "html": "https://x.example/a.html"}), "html"),
    "a deck of the wrong kind": (edited(slides={"pptx": "a.pptx", "html": "a.pptx"}), "html"),
    "the folder above as a poster": (edited(poster=".."), "poster"),
    "a hidden file as a transcript": (edited(transcript=".a.txt"), "transcript"),
    "a files key out of the folder": (edited(files={ZERO: "0" * 64}), "files"),
    "a files key that is no suffix": (edited(files={".evil": "0" * 64}), "files"),
    "a files hash that is no SHA-256": (edited(files={".mp4": "zz"}), "files"),
    "a language out of the folder": (edited(lang="../../../../tmp/evil"), "lang"),
    "a language without its file": (edited(lang="de"), "lang"),
    "a scene out of the folder": (edited(scene="../x"), "scene"),
    "a quality that is none": (edited(quality="low/.."), "quality"),
    "a chapter that is null": (edited(chapters=[None]), r"chapters\[0\]"),
    "no chapters": (edited(chapters=[]), "chapters"),
    "a chapter's start as text": (edited(chapters=[{**CHAPTER, "start": "0"}]), r"chapters\[0\]\.start"),
    "a chapter's beat with markup": (edited(chapters=[{**CHAPTER, "beat": "<b>"}]), r"chapters\[0\]\.beat"),
    "a chapter with another key": (edited(chapters=[{**CHAPTER, "onclick": "x"}]), r"chapters\[0\]"),
    "a caption's text as a number": (edited(captions=[{**CAPTION, "text": 5}]), r"captions\[0\]\.text"),
    "a claim that is null": (edited(captions=[{**CAPTION, "claims": [None]}]), "claims"),
    "a subtitle file as a list": (edited(subtitles={**SUBTITLES, "vtt": ["a.vtt"]}), "vtt"),
    "a huge integer end": (edited(chapters=[{**CHAPTER, "end": 10**400}]), r"chapters\[0\]\.end"),
    "a negative duration": (edited(duration=-1.0), "duration"),
    "a parameter of the wrong kind": (edited(params={"lr": "0.3"}), r"params\.lr"),
    "a parameter that is none": (edited(params={"evil": 1}), "params"),
    "a voice without its version": (edited(voice={"engine": "espeak-ng"}), "voice"),
    "a voice of 0": (edited(voice=0), "voice"),
    "a summary nested too deep": (edited(summary={"x": json.loads("[" * 20 + "]" * 20)}), "summary"),
    "a key the sidecar has not": (edited(onload="alert(1)"), "onload"),
    "a beat that is no name": (edited(beats={"a b": 0.0}), "beats"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_sidecar_is_refused_in_one_line_naming_the_field(tmp_path, case):
    record, field = HOSTILE[case]
    with pytest.raises(SidecarError, match=field) as refused:
        Sidecar.read(on_disk(tmp_path, record))
    assert "\n" not in str(refused.value)


HOSTILE_TEXT = {  # sidecars that are not JSON a render writes
    "a duration of 1e999 (inf)": example().dumps().replace('"duration": 2.5', '"duration": 1e999'),
    "a duration of NaN": example().dumps().replace('"duration": 2.5', '"duration": NaN'),
    "a learning rate of Infinity": example().dumps().replace('"lr": 0.3', '"lr": Infinity'),
    "an integer of 5000 digits": example().dumps().replace('"duration": 2.5', '"duration": 1' + "0" * 5000),
    "arrays nested 100 000 deep": example()
    .dumps()
    .replace('"duration": 2.5', '"duration": ' + "[" * 100_000),
    "latin-1, not UTF-8": example().dumps().encode("latin-1"),
    "6 MB of caption": example(captions=[{**CAPTION, "text": "x" * (6 << 20)}]).dumps(),
}


@pytest.mark.parametrize("case", HOSTILE_TEXT)
def test_a_sidecar_that_is_not_sane_json_is_refused_in_one_line(tmp_path, case):
    text = HOSTILE_TEXT[case]
    path = on_disk(tmp_path, text=text if isinstance(text, bytes) else text.encode())
    with pytest.raises(SidecarError) as refused:
        Sidecar.read(path)
    assert "\n" not in str(refused.value)


def test_a_sidecar_as_written_is_read_back_with_its_files(tmp_path):
    path = on_disk(tmp_path)
    assert Sidecar.read(path) == Sidecar.loads(path.read_text())
    assert Sidecar.read(path).named("a") == [f"a{s}" for s in (".mp4", ".srt", ".vtt", ".chapters.vtt")] + [
        "a.txt",
        "a.jpg",
        *(f"a{s}" for s in FILES[:6]),
    ]


def test_a_number_that_is_not_finite_is_written_as_null():
    meta = example(summary={"final_loss": float("inf"), "rho": np.float32("nan")}, duration=2.5)
    assert json.loads(meta.dumps())["summary"] == {"final_loss": None, "rho": None}  # valid JSON, read back
    assert Sidecar.loads(meta.dumps()).summary == {"final_loss": None, "rho": None}


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.symlink_to("/etc/passwd"),  # a link to a file out of the folder
        lambda p: os.mkfifo(p),  # a FIFO: reading it waits forever
        lambda p: p.mkdir(),
    ],
    ids=["link to /etc/passwd", "FIFO", "folder"],
)
@pytest.mark.parametrize("name", ["a.vtt", "a.jpg", "a.mp4", "a.json"])
def test_a_file_it_names_or_the_sidecar_itself_must_be_a_regular_file(tmp_path, make, name):
    path = on_disk(tmp_path)
    target = tmp_path / name
    if name == "a.json":  # the sidecar itself: a good one elsewhere, linked to or replaced
        (tmp_path / "elsewhere.json").write_bytes(path.read_bytes())
    target.unlink()
    make(target)
    with within(5), pytest.raises(SidecarError, match=name):
        Sidecar.read(path)


def files_to_zero(folder: Path, path: Path) -> None:
    """A files key that leads out of the folder to /dev/zero (through the deck folder --slides makes)."""
    (folder / "a").mkdir()
    record = json.loads(path.read_text())
    path.write_text(json.dumps({**record, "files": {**record["files"], ZERO: "0" * 64}}))


def replaced(name: str, make):
    """The file `name` of the render replaced by what make(path) makes."""

    def replace(folder: Path, path: Path) -> None:
        (folder / name).unlink()
        make(folder / name)

    return replace


@pytest.mark.parametrize(
    "hostile",
    [
        files_to_zero,
        replaced("a.srt", lambda p: p.symlink_to("/dev/zero")),
        replaced("a.mp4", lambda p: p.symlink_to("/dev/zero")),
        replaced("a.vtt", os.mkfifo),
        replaced("a.json", os.mkfifo),
    ],
    ids=["files key to /dev/zero", "srt linked to /dev/zero", "mp4 linked to /dev/zero", "vtt FIFO", "FIFO"],
)
def test_the_cache_check_says_not_cached_at_once_for_a_device_or_fifo(tmp_path, hostile):
    path = on_disk(tmp_path)
    params = json.loads(path.read_text())["params"]
    assert cached(tmp_path, "a", params)  # whole, its hashes recorded: a cache hit
    hostile(tmp_path, path)
    start = time.monotonic()
    with within(10):
        assert not cached(tmp_path, "a", params)
    assert time.monotonic() - start < 1
