"""Batches on a Dask cluster: each video renders on a worker, in a temporary folder of its own, and comes
back as bytes that this machine installs as a local render does (all or nothing). No shared folder is
needed: `dask scheduler` on one machine, `dask worker tcp://HOST:PORT` on each machine with the project.

Dask is the optional extra `cluster`; nothing here imports it until a batch is sent."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .batch import RENDER, Tally
from .patches import private_prefix, sweep
from .render import DECK, SUFFIXES, Interrupted, RenderError, land, signals_held

# tcp://HOST:PORT, HOST a name, an IPv4 address or an IPv6 one in brackets
ADDRESS = re.compile(
    r"tcp://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):(?P<port>\d+)"
)
TIMEOUT = 5  # seconds a scheduler has to answer before the address counts as dead
INSTALL = "pip install 'momentum-lectures[cluster]' (or: bash setup.sh python -m pytest)"
RETRIES = 1  # a render that raised on its worker (not one that failed cleanly) is tried once more
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a child gets when the thread that started it dies


class ClusterError(Exception):
    """A cluster that cannot take the batch, said in one line."""


@dataclass(frozen=True)
class Job:
    """One video of a batch: the command line that renders it here (its label), and what landing it needs."""

    args: tuple[str, ...]
    subject: object  # the Lesson, Comparison or Landscape the args resolve to
    lang: str
    quality: str


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


def die_with_parent() -> None:
    """In a worker's render process: be stopped (SIGTERM: it cleans up) when the worker dies, so a killed
    worker leaves no render running. Linux only; elsewhere a no-op."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def render_on_worker(args: Sequence[str]) -> Rendered:
    """Run on a worker: `render.py ARGS` into a temporary folder of this worker's; the files, as bytes. The
    same job run twice renders twice into two folders (a rerun after a worker died starts clean)."""
    sweep(Path(tempfile.gettempdir()))  # folders of workers that were killed mid-render
    work = Path(tempfile.mkdtemp(prefix=private_prefix(hidden=False)))
    try:
        proc = subprocess.run(
            [sys.executable, str(RENDER), *args, "--output", str(work)],  # the last --output counts
            capture_output=True,
            text=True,
            preexec_fn=die_with_parent,
        )
        if proc.returncode != 0:
            return Rendered(error=(proc.stderr.strip().splitlines() or ["no message"])[-1])
        return collected(Path(proc.stdout.strip().splitlines()[-1]), work)
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


def arrive(rendered: Rendered, job: Job, output: Path) -> Path:
    """Install a worker's render into `output` as a local render does (scenes.render.land: all or nothing,
    then the explorer and the class page); return the video's path. RenderError when a folder refuses it,
    Interrupted when a signal came while installing (the install finishes first)."""
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
            land(
                job.subject,
                job.lang,
                {s: path for s, path in made.items() if path.exists()},
                folder,
                name,
                output,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if got:
        raise Interrupted(folder / f"{name}.mp4")
    return folder / f"{name}.mp4"


def run_on_cluster(
    jobs: Sequence[Job],
    client,
    output: Path,
    done: Callable[[str], None],
    progress: Callable[[str], None],
    landed: Callable[[Job], Path | None] = lambda job: None,
) -> list[str]:
    """Render every job on the cluster of `client`, as scenes.batch.run_batch does here: each finished
    video's path goes to `done` as it lands, '[k/n] elapsed' lines and failures to `progress`; returns the
    failed jobs' labels. `landed(job)`: the path of the job's video when `output` has it whole already (it
    is not sent)."""
    from distributed import as_completed

    tally, there = Tally(len(jobs), progress), [landed(job) for job in jobs]
    futures = {
        client.submit(render_on_worker, list(job.args), pure=False, retries=RETRIES): job
        for job, path in zip(jobs, there)
        if path is None
    }
    try:
        for job, path in zip(jobs, there):
            if path is not None:
                done(str(path))
                tally.count(" ".join(job.args))
        for future in as_completed(futures, loop=client.loop):
            tally.count(" ".join(futures[future].args), received(future, futures[future], output, done))
    finally:
        client.cancel(list(futures))  # an interrupted batch leaves nothing running on the workers
    return tally.failed


def received(future, job: Job, output: Path, done: Callable[[str], None]) -> str:
    """Land the render of a finished `future` and give its path to `done`; '' or why it failed, in a line."""
    try:
        rendered = future.result()
    except Exception as err:  # noqa: BLE001 -- a worker's exception (or KilledWorker) fails its job alone
        said = (str(err).strip().splitlines() or [""])[0]
        return f"Error: on the cluster: {type(err).__name__}{': ' if said else ''}{said}"
    if rendered.error:
        return rendered.error
    try:
        done(str(arrive(rendered, job, output)))
    except RenderError as err:
        return f"Error: {err}"
    return ""
