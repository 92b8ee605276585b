"""--cluster: a real Dask scheduler and two workers on 127.0.0.1 render a batch whose files come back as bytes
and land here as a local render's do, and a split render's chunks, joined here into the one-process video;
a worker killed mid-render has its job run by the other; bad input is one line, exit 2, nothing written."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import av
import pytest
from click.testing import CliRunner
from videos import PARABOLA, ROOT, VOICED, options, reported, same_frames

import render as cli
from scenes.pages.explore import page_name
from scenes.pipeline import compat
from scenes.pipeline.cluster import Drawn, arrived
from scenes.pipeline.render import RenderError, digest
from scenes.words.narration import ENGINE, engine_available

distributed = pytest.importorskip("distributed", reason="the extra 'cluster' (the test command installs it)")

TINY = ["--steps", "2", "--x0", "3"]
DASK = Path(sys.executable).with_name("dask")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def started(args: list[str], tmpdir: Path) -> subprocess.Popen:
    """A `dask …` process in a session of its own, importing this checkout, with its own TMPDIR."""
    tmpdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmpdir)}
    return subprocess.Popen(
        [str(DASK), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two single-threaded workers without nannies (a killed worker stays dead); yields the
    address, a client and each worker's (process, TMPDIR) by the worker's address."""
    root, port = tmp_path_factory.mktemp("cluster"), free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [started(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], root / "s")]
    flags = ["--nworkers", "1", "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"]
    workers = [(started(["worker", address, *flags], root / f"w{i}"), root / f"w{i}") for i in (1, 2)]
    procs += [proc for proc, _ in workers]
    client = None
    try:
        client = distributed.Client(address, timeout=30, set_as_default=False)
        client.wait_for_workers(2, timeout=60)
        pids = {pid: addr for addr, pid in client.run(os.getpid).items()}
        yield address, client, {pids[proc.pid]: (proc, tmp) for proc, tmp in workers}
    finally:
        if client is not None:
            client.shutdown()  # the scheduler and the workers still there stop
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            with_group(proc, signal.SIGKILL)  # with anything they left running
            proc.wait()


def with_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass


def on_cluster(address: str, output: Path, *args: str, wait: bool = True):
    command = [sys.executable, str(ROOT / "render.py"), "--quality", "low", "--output", str(output), *args]
    proc = subprocess.Popen(
        [*command, "--cluster", address], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT
    )
    if not wait:
        return proc
    out, err = proc.communicate(timeout=600)
    return proc.returncode, out, err


def test_a_batch_renders_on_two_workers_and_lands_here_as_a_local_render(cluster, tmp_path, parabola_en):
    """The shared lecture in two languages: its English one is the one rendered here (parabola_en)."""
    address, _, _ = cluster
    code, out, err = on_cluster(address, tmp_path / "there", *PARABOLA, "--lang", "en,es")
    assert code == 0, err[-2000:]
    paths = [Path(line) for line in out.strip().splitlines()]
    assert sorted(p.name.split("-")[1] for p in paths) == ["en", "es"] and "[2/2]" in err
    for video in paths:  # every file the worker's sidecar lists, byte for byte, and nothing hidden left
        sidecar = json.loads(video.with_suffix(".json").read_text())
        assert {s: digest(video.with_name(video.stem + s)) for s in sidecar["files"]} == sidecar["files"]
    assert not [p for p in (tmp_path / "there").rglob(".momentum-part-*")]
    page = (tmp_path / "there" / "index.html").read_text()
    assert all(f'data-id="{p.stem}-low"' in page for p in paths)
    assert {p.name for p in (tmp_path / "there" / "explore").iterdir()} == {
        page_name("parabola", lang, options(PARABOLA)) for lang in ("en", "es")
    }
    local, here, _ = parabola_en  # the same lecture rendered on this machine
    there = json.loads(next(p for p in paths if "-en-" in p.name).with_suffix(".json").read_text())
    assert local.name in {p.name for p in paths}
    assert there["captions"] == here["captions"] and there["duration"] == here["duration"]
    written = {p: p.stat().st_mtime_ns for p in paths}
    again = on_cluster(address, tmp_path / "there", *PARABOLA, "--lang", "en,es")  # finished: nothing sent
    assert again[0] == 0 and sorted(again[1].split()) == sorted(map(str, paths)) and "[2/2]" in again[2]
    assert {p: p.stat().st_mtime_ns for p in paths} == written  # found whole: not rendered again


def audio_seconds(video: Path) -> float:
    """The length of a video's sound track, by its decoded samples."""
    with av.open(str(video)) as box:
        stream = box.streams.audio[0]
        return sum(frame.samples for frame in box.decode(stream)) / stream.rate


@pytest.mark.skipif(not engine_available(), reason=f"{ENGINE} (the offline voice) is not installed")
def test_a_split_render_s_chunks_are_drawn_on_the_workers_and_equal_one_process(
    cluster, tmp_path, parabola_voiced
):
    """--jobs 2 on the cluster, voiced (--force: the workers draw every play): the two chunks are tasks, and
    the video joined here is the one-process one, frame by frame, with its sound track and cues."""
    address, client, _ = cluster
    before = started_tasks(client, "draw_on_worker")
    code, out, err = on_cluster(address, tmp_path, *VOICED, "--jobs", "2", "--force")
    assert code == 0, err[-2000:]
    video, (alone, alone_meta, _) = Path(out.strip().splitlines()[-1]), parabola_voiced
    meta = json.loads(video.with_suffix(".json").read_text())
    said = reported(err)
    assert said["processes"] == 2 and said["reused"] == 0 and "[2/2]" in err and "failed" not in err
    tries = {key: n for key, n in started_tasks(client, "draw_on_worker").items() if key not in before}
    assert sorted(tries.values()) == [1, 1]  # each chunk a task of its own, sent once
    count, worst = same_frames(video, alone)
    assert count == said["frames"] > 100 and worst >= 45, (count, worst)
    assert abs(audio_seconds(video) - audio_seconds(alone)) < 1e-3
    for key in ("captions", "chapters", "beats", "duration"):  # the captions carry what the voice said
        assert meta[key] == alone_meta[key], key
    for suffix in (".srt", ".vtt", ".chapters.vtt", ".txt"):
        assert video.with_suffix(suffix).read_bytes() == alone.with_suffix(suffix).read_bytes(), suffix


def render_started(tmpdir: Path) -> bool:
    """Whether a render in this worker's TMPDIR has written a partial movie (Manim is rendering)."""
    return any(p.suffix == ".mp4" for p in tmpdir.glob("momentum-render-*/**/*"))


def test_a_worker_killed_mid_render_has_its_job_run_by_the_other(cluster, tmp_path, parabola_en):
    """The shared lecture (its segments in the cache: the render is killed while it joins and writes the
    video, as a drawn one would be, without drawing it twice first)."""
    address, client, workers = cluster
    before = started_tasks(client, "render_on_worker")
    proc = on_cluster(address, tmp_path, *PARABOLA, wait=False)
    deadline = time.monotonic() + 120
    while not any(render_started(tmp) for _, tmp in workers.values()):
        assert time.monotonic() < deadline and proc.poll() is None, "no worker started the render"
        time.sleep(0.2)
    killed = next(addr for addr, (_, tmp) in workers.items() if render_started(tmp))
    victim, tmpdir = workers[killed]
    victim.kill()  # SIGKILL: the worker cannot say goodbye
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-2000:]
    video = Path(out.strip().splitlines()[-1])
    assert video.exists() and "[1/1]" in err and "failed" not in err
    assert list(client.scheduler_info()["workers"]) == [a for a in workers if a != killed]
    tries = {key: n for key, n in started_tasks(client, "render_on_worker").items() if key not in before}
    assert list(tries.values()) == [2]  # one job, sent to a worker twice
    deadline = time.monotonic() + 10  # its render process was stopped with it, not left running
    while orphans(tmpdir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not orphans(tmpdir)


def started_tasks(client, function: str) -> dict[str, int]:
    """How many times the scheduler sent each task of `function` to a worker (its transition log)."""

    def count(dask_scheduler):  # nested: cloudpickle sends it by value to the scheduler
        sent = {}
        for key, _, finish, *_ in dask_scheduler.transition_log:
            if function in str(key) and finish == "processing":
                sent[str(key)] = sent.get(str(key), 0) + 1
        return sent

    return client.run_on_scheduler(count)


def orphans(tmpdir: Path) -> list[int]:
    """The processes still running whose command line names `tmpdir` (a render of the killed worker)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(tmpdir).encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            pass
    return found


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1:8786", "http://127.0.0.1:8786", "tcp://127.0.0.1", "tcp://127.0.0.1:0", "tcp://h:65536"],
)
def test_an_address_that_is_not_tcp_host_port_is_refused(tmp_path, address):
    result = CliRunner().invoke(cli.main, [*TINY, "--output", str(tmp_path / "out"), "--cluster", address])
    assert result.exit_code == 2 and "tcp://HOST:PORT" in result.output and not (tmp_path / "out").exists()


def test_an_address_where_no_scheduler_answers_is_refused_within_seconds(tmp_path, cluster):
    _, client, _ = cluster
    alive = next(iter(client.scheduler_info()["workers"]))  # one that was not killed
    start = time.monotonic()
    for address, split in [(f"tcp://127.0.0.1:{free_port()}", []), (alive, []), (alive, ["--jobs", "2"])]:
        result = CliRunner().invoke(  # nothing there; a worker (for a batch's job, or a split's chunks)
            cli.main, [*TINY, "--output", str(tmp_path / "out"), "--cluster", address, *split]
        )
        assert result.exit_code == 2 and f"{address} does not answer as a Dask scheduler" in result.output
        assert result.output.count("Error:") == 1
    assert "(it is a Dask Worker)" in result.output
    assert time.monotonic() - start < 15 and not (tmp_path / "out").exists()


@pytest.mark.parametrize("other", [["--export-data", "DATA"], ["--explore", "--output", "DATA"]])
def test_cluster_does_not_apply_to_numbers_or_pages(tmp_path, other):
    args = [arg.replace("DATA", str(tmp_path / "data")) for arg in other]
    result = CliRunner().invoke(cli.main, [*TINY, *args, "--cluster", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2 and "--cluster does not apply" in result.output
    assert result.output.count("Error:") == 1 and not list(tmp_path.iterdir())


def test_without_dask_the_error_names_the_extra_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails as if not installed
    result = CliRunner().invoke(
        cli.main, [*TINY, "--output", str(tmp_path / "out"), "--cluster", "tcp://127.0.0.1:8786"]
    )
    assert result.exit_code == 2 and "pip install 'momentum-lectures[cluster]'" in result.output
    assert result.output.count("Error:") == 1 and not (tmp_path / "out").exists()


class Finished:
    """A finished Dask future, as far as scenes.pipeline.cluster.arrived reads one."""

    def __init__(self, value=None, error=None):
        self.value, self.error = value, error

    def result(self):
        if self.error is not None:
            raise self.error
        return self.value


def test_a_chunk_s_segments_land_whole_and_a_failed_chunk_is_one_line(tmp_path):
    folder = tmp_path / "segments"
    drawn = Drawn([("123_456", 3, False, False)], 1.5, {"123_456": b"frames"})
    assert arrived(Finished(drawn), folder) == (drawn.records, 1.5)
    assert sorted(p.name for p in folder.iterdir()) == ["123_456.mp4", "123_456.sha256"]
    assert (folder / "123_456.mp4").read_bytes() == b"frames"
    assert compat.check(folder / "123_456.mp4") == "whole"  # with its record: reused here as one drawn here
    for bad in ("../escape", ".hidden", "a/b", ""):
        with pytest.raises(RenderError, match="bad name"):
            arrived(Finished(Drawn([], 0.0, {bad: b"x"})), folder)
    with pytest.raises(RenderError) as err:
        arrived(Finished(error=OSError("disk full\non the worker")), folder)
    assert str(err.value) == "on the cluster: OSError: disk full"
    assert sorted(p.name for p in folder.iterdir()) == ["123_456.mp4", "123_456.sha256"]
