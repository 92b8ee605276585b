"""Subtitles (.srt, .vtt) and the offline voice, read back with independent parsers and PyAV."""

import subprocess
import wave

import av
import numpy as np
import pytest
import srt
import webvtt
from click.testing import CliRunner
from videos import frame_at, probe

import render as cli
from scenes.pipeline import request
from scenes.words.narration import ENGINE, engine_available

LECTURES = ["parabola_en", "parabola_es", "regression_en", "regression_es"]
needs_voice = pytest.mark.skipif(
    not engine_available(), reason=f"{ENGINE} (the offline voice) is not installed"
)


def seconds(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def cues(video):
    subs = list(srt.parse(video.with_suffix(".srt").read_text(encoding="utf-8")))
    vtt = webvtt.read(str(video.with_suffix(".vtt")))
    return subs, vtt


@pytest.mark.parametrize("lecture", LECTURES)
def test_subtitles_parse_lie_in_the_video_and_do_not_overlap(lecture, request):
    video, meta, _ = request.getfixturevalue(lecture)
    subs, vtt = cues(video)
    duration = probe(video)["duration"]
    assert len(subs) == len(vtt.captions) == len(meta["captions"]) >= 5
    for i, (a, b) in enumerate(zip(subs, vtt.captions)):
        start, end = a.start.total_seconds(), a.end.total_seconds()
        assert 0 <= start < end <= duration + 1e-3
        assert abs(seconds(b.start) - start) < 1e-6 and abs(seconds(b.end) - end) < 1e-6
        assert a.content == b.text == meta["captions"][i]["text"]
        assert len(a.content.split()) / (end - start) <= 3.0  # words per second: readable in its time
        if i:
            assert subs[i - 1].end <= a.start
    assert meta["subtitles"] == {
        kind: video.stem + suffix
        for kind, suffix in [("srt", ".srt"), ("vtt", ".vtt"), ("chapters", ".chapters.vtt")]
    }
    assert meta["voice"] is False
    # the chapters: one cue per beat, from its start to the next one's, titled in the lecture's language
    chapters = webvtt.read(str(video.with_suffix(".chapters.vtt"))).captions
    beats = list(meta["beats"].items())
    assert [c.text for c in chapters] == [c["title"] for c in meta["chapters"]]
    assert [name for name, _ in beats if name != "clock"] == [c["beat"] for c in meta["chapters"]]
    for chapter, (start, end) in zip(
        chapters,
        zip([t for n, t in beats if n != "clock"], [t for n, t in beats[1:] if n != "clock"] + [duration]),
    ):
        assert abs(seconds(chapter.start) - start) < 1e-3 and abs(seconds(chapter.end) - end) < 0.1


@pytest.mark.parametrize("scene", ["parabola", "regression"])
def test_languages_give_different_text(scene, request):
    en = [s.content for s in cues(request.getfixturevalue(f"{scene}_en")[0])[0]]
    es = [s.content for s in cues(request.getfixturevalue(f"{scene}_es")[0])[0]]
    assert len(en) == len(es) and all(a != b for a, b in zip(en, es))


def test_the_caption_on_screen_changes_with_the_cues(parabola_en):
    video, _, _ = parabola_en
    subs, _ = cues(video)
    band = []
    for cue in subs[:3]:
        middle = (cue.start + cue.end).total_seconds() / 2
        band.append(frame_at(video, middle)[int(0.86 * 480) :].astype(int))  # the caption bar
    assert all(b.std() > 5 for b in band)
    assert np.abs(band[0] - band[1]).mean() > 1 and np.abs(band[1] - band[2]).mean() > 1


@needs_voice
def test_voice_track_matches_the_video_and_sentences_are_not_cut(tmp_path, parabola_voiced):
    video, meta, _ = parabola_voiced
    assert "-voice-" in video.name and meta["voice"]["engine"] == ENGINE
    with av.open(str(video)) as box:
        v, a = box.streams.video[0], box.streams.audio[0]
        v_len, a_len = float(v.duration * v.time_base), float(a.duration * a.time_base)
    assert abs(a_len - v_len) <= 1 / 15 + 1e-3
    # every cue lasts at least as long as its sentence, synthesised here again
    for i, cue in enumerate(meta["captions"]):
        wav = tmp_path / f"{i}.wav"
        subprocess.run([ENGINE, "-v", "en-us", "-s", "160", "-w", str(wav), cue["spoken"]], check=True)
        with wave.open(str(wav)) as w:
            said = w.getnframes() / w.getframerate()
        assert cue["end"] - cue["start"] >= said
    # the voice is heard: the audio is not silent while the first sentence is spoken
    with av.open(str(video)) as box:
        samples = np.concatenate(
            [
                f.to_ndarray().ravel()
                for f in box.decode(audio=0)
                if meta["captions"][0]["start"] + 0.5 < f.time < meta["captions"][0]["start"] + 1.5
            ]
        )
    assert np.abs(samples).max() > 0.05


def test_voice_without_engine_fails_fast_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(request, "engine_available", lambda: False)
    result = CliRunner().invoke(cli.main, ["--voice", "--output", str(tmp_path / "out")])
    assert result.exit_code == 2 and "apt-get install" in result.output and ENGINE in result.output
    assert not (tmp_path / "out").exists()
