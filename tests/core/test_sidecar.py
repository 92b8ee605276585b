"""The sidecar as one typed record: what the render writes is what the cache and the class page read back,
and a sidecar that is not whole is refused with what is wrong named."""

import json

import numpy as np
import pytest

from gdcore import Comparison, Landscape, Lesson, Subject, compare, landscape, lesson
from scenes.pipeline.sidecar import Sidecar, SidecarError


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
        (lambda r: r.update(captions={}), "its captions is of the wrong type"),
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
