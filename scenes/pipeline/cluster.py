"""Batches on a Dask cluster: each video renders on a worker, in a temporary folder of its own, and comes
back as bytes that this machine installs as a local render does (all or nothing). A single split render
(--jobs N) sends its chunks instead: each is drawn on a worker, its segments come back as bytes into this
machine's segment cache, and they are joined here as a local split render's are. No shared folder is
needed: `dask scheduler` on one machine, `dask worker tcp://HOST:PORT` on each machine with the project.

Dask is the optional extra `cluster`; nothing here imports it until a batch is sent."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import chunks, segments
from .batch import outcome, start
from .chunks import Piece, Tally
from .compat import seal
from .files import cache_dir, private_prefix, sweep
from .render import DECK, SUFFIXES, Interrupted, RenderError, finished, land, signals_held
from .request import Job, OptionError

# tcp://HOST:PORT, HOST a name, an IPv4 address or an IPv6 one in brackets
ADDRESS = re.compile(
    r"tcp://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):(?P<port>\d+)"
)
TIMEOUT = 5  # seconds a scheduler has to answer before the address counts as dead
INSTALL = "pip install 'momentum-lectures[cluster]' (or: bash setup.sh python -m pytest)"
RETRIES = 1  # a render that raised on its worker (not one that failed cleanly) is tried once more
KEY = re.compile(r"[0-9A-Za-z_]+")  # a segment's name as Manim makes it (its hash): nothing else is written


class ClusterError(Exception):
    """A cluster that cannot take the batch, said in one line."""


@dataclass(frozen=True)
class Rendered:
    """What a worker sends back: the video's folder under the output (<scene>/<quality>), its name and every
    file of the render by its path relative to that folder (the deck's assets under <name>/); or the last
    line the render said when it failed."""

    folder: str = ""
    name: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    error: str = ""


def check_address(address: str) -> str:
    """`address` if it reads tcp://HOST:PORT with a port from 1 to 65535, else a ClusterError."""
    match = ADDRESS.fullmatch(address)
    if match is None or not 0 < int(match["port"]) < 65536:
        raise ClusterError(
            f"{address!r} is not a scheduler address tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786)"
        )
    return address


def connect(address: str):
    """A Dask client of the scheduler at `address` (the caller closes it). ClusterError when Dask is not
    installed, the address is not tcp://HOST:PORT or no Dask scheduler answers there within TIMEOUT seconds."""
    check_address(address)
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(f"needs Dask's distributed package; install it with: {INSTALL}") from None
    with ThreadPoolExecutor(1) as asking:  # its own event loop, whether or not this thread runs one
        kind = asking.submit(asyncio.run, identity(address)).result()
    if kind != "Scheduler":
        raise ClusterError(
            f"{address} does not answer as a Dask scheduler "
            + (f"(it is a Dask {kind})" if kind else f"(no answer in Dask's protocol within {TIMEOUT} s)")
        )
    try:
        return Client(address, timeout=TIMEOUT, set_as_default=False)
    except Exception as err:  # noqa: BLE001 -- a scheduler that went away meanwhile
        raise ClusterError(f"{address} does not answer: {type(err).__name__}: {err}") from None


@contextlib.contextmanager
def reach(address: str | None):
    """The Dask client of the scheduler at `address` (None: no cluster), closed afterwards; OptionError
    (naming --cluster) when connect refuses it."""
    if address is None:
        yield None
        return
    try:
        client = connect(address)
    except ClusterError as err:
        raise OptionError(str(err), "cluster") from None
    with contextlib.closing(client):
        yield client


async def identity(address: str) -> str:
    """What answers at `address`: 'Scheduler', 'Worker', …, or '' (nothing within TIMEOUT, or no Dask).
    Asked before a Client is made: a Client that fails to connect takes 10 s more to give up."""
    from distributed.core import rpc

    async def ask() -> str:
        async with rpc(address, timeout=TIMEOUT) as remote:
            return str((await remote.identity()).get("type", ""))

    try:
        return await asyncio.wait_for(ask(), TIMEOUT)
    except Exception:  # noqa: BLE001 -- refused, timed out, or a server that speaks something else
        return ""


def render_on_worker(job: Job) -> Rendered:
    """Run on a worker: render `job` in a process of its own (scenes.pipeline.batch.start, as a local batch
    does) into a temporary folder of this worker's; the files, as bytes. The same job run twice renders
    twice into two folders (a rerun after a worker died starts clean)."""
    sweep(Path(tempfile.gettempdir()))  # folders of workers that were killed mid-render
    work = Path(tempfile.mkdtemp(prefix=private_prefix(hidden=False)))
    try:
        job = dataclasses.replace(job, output=work)
        ended = outcome(start(job), job)
        return Rendered(error=ended.error) if ended.video is None else collected(ended.video, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def collected(video: Path, work: Path) -> Rendered:
    """The render whose mp4 is `video` (under the output folder `work`) as bytes."""
    name, folder = video.stem, video.parent
    files = {
        f"{name}{suffix}": (folder / f"{name}{suffix}").read_bytes()
        for suffix in SUFFIXES + DECK[:-1]
        if (folder / f"{name}{suffix}").is_file()
    }
    for path in sorted((folder / name).rglob("*")):  # the HTML deck's folder, with --slides
        if path.is_file():
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return Rendered(folder.relative_to(work).as_posix(), name, files)


def arrive(rendered: Rendered, output: Path) -> Path:
    """Install a worker's render into `output` as a local render does (scenes.pipeline.render.land: all or
    nothing); return the video's path. RenderError when a folder refuses it, Interrupted when a signal came
    while installing (the install finishes first)."""
    parts = PurePosixPath(rendered.folder).parts
    if PurePosixPath(rendered.folder).is_absolute() or ".." in parts or not rendered.name:
        raise RenderError(f"the worker sent a render with a bad folder {rendered.folder!r}")
    folder, name = Path(output, *parts), rendered.name
    work = Path(tempfile.mkdtemp(prefix=private_prefix(hidden=False)))
    try:
        try:
            for key, data in rendered.files.items():
                (work / key).parent.mkdir(parents=True, exist_ok=True)
                (work / key).write_bytes(data)
        except OSError as err:
            raise RenderError(
                f"could not receive the video: the temporary folder (TMPDIR) {work.parent} refused a file: "
                f"{err.strerror or err}"
            ) from err
        made = {suffix: work / f"{name}{suffix}" for suffix in SUFFIXES + DECK}
        with signals_held() as got:
            land({s: path for s, path in made.items() if path.exists()}, folder, name, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if got:
        raise Interrupted(folder / f"{name}.mp4")
    return folder / f"{name}.mp4"


def run_on_cluster(
    jobs: Sequence[Job],
    client,
    done: Callable[[Job, Path], None],
    progress: Callable[[str], None],
) -> list[str]:
    """Render every job on the cluster of `client`, as scenes.pipeline.batch.run_batch does here: done(job,
    video) as each lands, '[k/n] elapsed' lines and failures to `progress`; returns the failed jobs' labels.
    A job whose video its output folder has whole already (scenes.pipeline.render.finished) is not sent."""
    from distributed import as_completed

    tally, there = Tally(len(jobs), progress), [finished(job) for job in jobs]
    futures = {
        client.submit(render_on_worker, job, pure=False, retries=RETRIES): job
        for job, path in zip(jobs, there)
        if path is None
    }
    try:
        for job, path in zip(jobs, there):
            if path is not None:
                done(job, path)
                tally.count(job.label)
        for future in as_completed(futures, loop=client.loop):
            tally.count(futures[future].label, received(future, futures[future], done))
    finally:
        client.cancel(list(futures))  # an interrupted batch leaves nothing running on the workers
    return tally.failed


def received(future, job: Job, done: Callable[[Job, Path], None]) -> str:
    """Land the render of a finished `future` and hand its video to `done`; '' or why it failed, in a line."""
    try:
        rendered = future.result()
    except Exception as err:  # noqa: BLE001 -- a worker's exception (or KilledWorker) fails its job alone
        said = (str(err).strip().splitlines() or [""])[0]
        return f"Error: on the cluster: {type(err).__name__}{': ' if said else ''}{said}"
    if rendered.error:
        return rendered.error
    try:
        video = arrive(rendered, job.output)
    except RenderError as err:
        return f"Error: {err}"
    done(job, video)
    return ""


@dataclass(frozen=True)
class Drawn:
    """What a worker sends back for a chunk: its plays' records and seconds (scenes.pipeline.chunks.draw), and each
    play's segment (its encoded frames) by the play's key."""

    records: list
    seconds: float
    segments: dict[str, bytes]


def here(settings: dict, work: Path) -> dict:
    """A render's Manim settings from another machine, pointed at this one's folders: `work` for the chunk's
    own files, this machine's LaTeX, text and segment caches (the same quality and encoder folder)."""
    return {
        **settings,
        "media_dir": str(work),
        "tex_dir": str(cache_dir() / "tex"),
        "text_dir": str(cache_dir() / "texts"),
        "partial_movie_dir": str(segments.root() / Path(settings["partial_movie_dir"]).name),
    }


def draw_on_worker(piece: Piece) -> Drawn:
    """Run on a worker: draw the chunk in a fresh process of its own (scenes.pipeline.chunks.run), with this worker's
    caches; its records and segments, as bytes. A rerun after a worker died starts clean."""
    sweep(Path(tempfile.gettempdir()))  # folders of workers that were killed mid-chunk
    work = Path(tempfile.mkdtemp(prefix=private_prefix(hidden=False)))
    try:
        piece = dataclasses.replace(piece, settings=here(piece.settings, work))
        folder = Path(piece.settings["partial_movie_dir"])
        with segments.in_use(folder):
            [(records, seconds)] = chunks.run([piece])
            made = {key: segments.path(folder, key).read_bytes() for key, *_ in records}
        segments.bound()
        return Drawn(records, seconds, made)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def draw_on_cluster(client, pieces: list[Piece], tally: Tally) -> list[tuple[list, float]]:
    """Draw every piece on the cluster of `client` (as scenes.pipeline.chunks.run does here, `tally` counting each);
    each piece's segments land in this machine's segment cache; return each piece's plays and seconds, in
    order. A piece that fails (after Dask ran it again, if its worker died) is a RenderError in a line, and
    nothing is left running on the workers."""
    from distributed import as_completed

    futures = {
        client.submit(draw_on_worker, piece, pure=False, retries=RETRIES): i for i, piece in enumerate(pieces)
    }
    results: dict[int, tuple[list, float]] = {}
    try:
        for future in as_completed(futures, loop=client.loop):
            i = futures[future]
            results[i] = arrived(future, Path(pieces[i].settings["partial_movie_dir"]))
            tally.count(chunks.label(pieces[i]))
    finally:
        client.cancel(list(futures))
    return [results[i] for i in range(len(pieces))]


def arrived(future, folder: Path) -> tuple[list, float]:
    """The records and seconds of a finished chunk's `future`, its segments written into `folder` (each whole,
    by a rename). RenderError when the chunk failed or sent a bad segment name."""
    try:
        drawn = future.result()
    except Exception as err:  # noqa: BLE001 -- a worker's exception (or KilledWorker), in one line
        said = (str(err).strip().splitlines() or [""])[0]
        raise RenderError(f"on the cluster: {type(err).__name__}{': ' if said else ''}{said}") from None
    folder.mkdir(parents=True, exist_ok=True)
    for key, data in drawn.segments.items():
        if not isinstance(key, str) or not KEY.fullmatch(key):
            raise RenderError(f"the worker sent a segment with a bad name {key!r}")
        seal(segments.path(folder, key), data)  # with its record, as a segment drawn here
    return drawn.records, drawn.seconds
