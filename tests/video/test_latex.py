"""LaTeX, which Manim runs for every formula: words are typeset as they are written (captions.tex_text), and
LaTeX itself (scenes.pipeline.compat) reads and writes nothing outside its folder, runs no command, is stopped after
its time limit and with the render, and compiles without holding the shared cache lock."""

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from manim import MathTex, tempconfig
from manim.mobject.text import tex_mobject

from scenes.pipeline import compat, files
from scenes.words.captions import tex_text

ROOT = Path(__file__).resolve().parents[2]
HANG = r"\def\x{\x}\x"  # a macro that expands to itself: TeX loops forever at full CPU

WORDS = [
    r"\input /etc/hostname",
    HANG,
    "^^5cinput /etc/hostname",
    r"\catcode`\^^M=13",
    "50 % & #1 ~ ^ _ $ {x}",
    "<a> |b|",
    "l’étape d’aujourd’hui",
    "Ça a été",
    "«\u202fpar pas\u202f» ¿paso?",
]


@pytest.mark.parametrize("words", WORDS)
def test_words_are_typeset_as_written(words):
    # one glyph a character, spaces aside; an accented letter is two in TeX's fonts (its decomposition)
    shown = MathTex(tex_text(words)).family_members_with_points()
    assert len(shown) == len(unicodedata.normalize("NFD", "".join(words.split())))


def made(tex_dir: Path) -> list[str]:
    return sorted(path.name for path in tex_dir.iterdir()) if tex_dir.exists() else []


@pytest.mark.parametrize(
    "tex, complaint",
    [
        (r"\input /etc/hostname", "can't find file `/etc/hostname"),
        (r"\input ../../../../../../../etc/hostname", "can't find file `../"),
        (r"\input|" '"kpsewhich -var-value=TEXMFDIST"', "can't find file"),  # a command (shell escape)
    ],
)
def test_latex_reads_no_file_outside_its_folder_and_runs_no_command(tex, complaint, tmp_path):
    compat.apply()
    with tempconfig({"tex_dir": str(tmp_path / "tex")}), pytest.raises(compat.TexError, match=complaint):
        tex_mobject.tex_to_svg_file(rf"\text{{{tex} }}")
    assert made(tmp_path / "tex") == []  # nothing cached, no private folder left


def test_latex_writes_no_file_outside_its_folder(tmp_path):
    compat.apply()
    target = tmp_path / "written.tex"
    tex = rf"\newwrite\out\immediate\openout\out={target}\immediate\write\out{{x}}\immediate\closeout\out x"
    with (
        tempconfig({"tex_dir": str(tmp_path / "tex")}),
        pytest.raises(compat.TexError, match="write on file"),
    ):
        tex_mobject.tex_to_svg_file(tex)
    assert not target.exists()


def latex_of(parent: int, within: float = 30.0) -> int:
    """The pid of the latex that process `parent` started (waiting for it up to `within` seconds)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        found = subprocess.run(["pgrep", "-P", str(parent), "latex"], capture_output=True, text=True).stdout
        if found.split():
            return int(found.split()[0])
        time.sleep(0.05)
    raise AssertionError(f"process {parent} started no latex in {within} s")


def running(pid: int) -> bool:
    """Whether `pid` is a live process (not gone, not a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def gone_within(pid: int, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while running(pid) and time.monotonic() < end:
        time.sleep(0.05)
    return not running(pid)


def test_a_hanging_latex_is_stopped_at_its_time_limit_holding_no_lock(tmp_path, monkeypatch):
    compat.apply()
    monkeypatch.setattr(compat, "TEX_SECONDS", 2)
    errors = []

    def compile_hanging():
        try:
            tex_mobject.tex_to_svg_file(HANG)
        except Exception as err:  # the thread's outcome, read below
            errors.append(err)

    with tempconfig({"tex_dir": str(tmp_path / "tex")}):
        thread, start = threading.Thread(target=compile_hanging, daemon=True), time.monotonic()
        thread.start()
        pid = latex_of(os.getpid())
        try:
            files.cache_dir().mkdir(parents=True, exist_ok=True)
            with open(files.cache_dir() / ".lock", "w") as lock:  # another taker: free while LaTeX runs
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            thread.join(10)
            assert not thread.is_alive() and time.monotonic() - start < 2 + 3
        finally:
            if running(pid):
                os.kill(pid, signal.SIGKILL)  # the code before this fix: unstuck, so the thread ends
    assert len(errors) == 1 and isinstance(errors[0], compat.TexError), errors
    assert "took longer than 2 s" in str(errors[0]) and "\n" not in str(errors[0])
    assert not running(pid) and made(tmp_path / "tex") == []


# A render in miniature: SIGTERM ends it as Ctrl-C does (render.py), and it compiles a formula that hangs
RENDER = """
import signal, sys
from manim import tempconfig
from manim.mobject.text import tex_mobject
from scenes.pipeline import compat
signal.signal(signal.SIGTERM, signal.default_int_handler)
compat.apply()
compat.TEX_SECONDS = int(sys.argv[2])
with tempconfig({"tex_dir": sys.argv[1]}):
    tex_mobject.tex_to_svg_file(sys.argv[3])
"""


@pytest.mark.parametrize(
    "sent, seconds",
    [(signal.SIGTERM, 1), (signal.SIGINT, 1), (signal.SIGKILL, 20)],
    ids=["SIGTERM", "SIGINT", "SIGKILL"],
)
def test_a_render_stopped_by_a_signal_leaves_no_latex_running(sent, seconds, tmp_path):
    # SIGKILL cannot be caught: its orphaned latex stops at its CPU limit (2 s here)
    command = [sys.executable, "-c", RENDER, str(tmp_path / "tex"), "2" if sent == signal.SIGKILL else "600"]
    render = subprocess.Popen([*command, HANG], cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE)
    pid = None
    try:
        pid = latex_of(render.pid)
        render.send_signal(sent)
        render.wait(10)
        assert gone_within(pid, seconds), f"latex {pid} still runs after the render ended by {sent!r}"
    finally:
        for leftover in (render.pid, pid):
            if leftover is not None and running(leftover):
                os.kill(leftover, signal.SIGKILL)
        render.wait()
        render.stderr.close()
