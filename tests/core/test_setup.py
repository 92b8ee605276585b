"""setup.sh's choice of Python (`bash setup.sh --which-python`), without an old system: stub interpreters
that answer `--version` like real ones, on a PATH that holds nothing else."""

import shutil
import subprocess
from pathlib import Path

import pytest

SETUP = Path(__file__).resolve().parents[2] / "setup.sh"
BASH = shutil.which("bash")

UBUNTU_2204 = 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nID=ubuntu\nVERSION_ID="22.04"\nUBUNTU_CODENAME=jammy\n'
UBUNTU_2004 = 'PRETTY_NAME="Ubuntu 20.04.6 LTS"\nID=ubuntu\nVERSION_ID="20.04"\nUBUNTU_CODENAME=focal\n'
DEBIAN_11 = 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\nID=debian\nVERSION_ID="11"\n'

FETCHING = (
    "setup: Manim needs Python 3.11 or newer, and this computer has {have}.\n"
    "setup: fetching Python 3.12 with uv (no root needed; a few minutes, internet needed once)\n"
)
DEADSNAKES = (
    "setup: on Ubuntu 22.04.4 LTS, with sudo: run these once (they need internet), then run me again:\n"
    "  sudo apt-get install -y software-properties-common\n"
    "  sudo add-apt-repository -y ppa:deadsnakes/ppa\n"
    "  sudo apt-get install -y python3.12 python3.12-venv python3.12-dev\n"
)


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def python(path, version, pip="missing"):
    """A stub interpreter: `--version` prints `Python <version>`; `-m pip` is missing, fails as offline, or
    (pip="installs") puts a stub uv into ~/.local/bin; `-m venv` makes a half .venv and fails."""
    pips = {
        "missing": 'echo "No module named pip" >&2; exit 1',
        "offline": '[ "$3" = --version ] && { echo "pip 20.0.2"; exit 0; }\n'
        '        echo "ERROR: No matching distribution found for uv" >&2; exit 1',
        "installs": f'{python.mkdir} -p "$HOME/.local/bin" && {python.cp} "$UV_STUB" "$HOME/.local/bin/uv"',
    }
    return write(
        path,
        f"""#!/bin/sh
case "$1 $2" in
    "--version "*) echo "Python {version}" ;;
    "-m pip") {pips[pip]} ;;
    "-m venv") {python.mkdir} -p "$3/bin" && echo > "$3/bin/python"
               echo "Error: ensurepip is not available" >&2; exit 1 ;;
    *) exit 1 ;;
esac
""",
    )


python.mkdir, python.cp = shutil.which("mkdir"), shutil.which("cp")


def uv(path, found, downloads=True, log=None):
    """A stub uv: `python install 3.12` succeeds (or fails as offline); `python find --system 3.12` prints
    `found`. Each call is appended to `log`."""
    install = "exit 0" if downloads else 'echo "error: Failed to download (dns error)" >&2; exit 1'
    return write(
        path,
        f"""#!/bin/sh
echo "$*" >> {log}
case "$1 $2" in
    "python install") {install} ;;
    "python find") echo {found} ;;
    *) exit 2 ;;
esac
""",
    )


@pytest.fixture
def machine(tmp_path):
    """A machine with no Python: a bin dir with just the utilities setup.sh needs before choosing, an
    empty home, Ubuntu 22.04's os-release, and a copy of setup.sh (nothing runs in the repository)."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for tool in ("dirname", "rm"):
        (bin_ / tool).symlink_to(shutil.which(tool))
    (tmp_path / "home").mkdir()
    os_release = tmp_path / "os-release"
    os_release.write_text(UBUNTU_2204)
    shutil.copy(SETUP, tmp_path / "setup.sh")
    env = {
        "PATH": str(bin_),
        "HOME": str(tmp_path / "home"),
        "OS_RELEASE": str(os_release),
        "UV_STUB": str(tmp_path / "uv-stub"),
    }
    return tmp_path, bin_, env


def run(tmp_path, env, *args, **extra):
    return subprocess.run(
        [BASH, str(tmp_path / "setup.sh"), *(args or ["--which-python"])],
        env={**env, **extra},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    "present, chosen",
    [
        ({"python3": "3.10.12", "python3.12": "3.12.3"}, "python3.12"),
        ({"python3": "3.8.10", "python3.11": "3.11.9", "python3.13": "3.13.1"}, "python3.13"),
        ({"python3": "3.11.2"}, "python3"),
        ({"python3": "3.12.3", "python3.11": "3.11.0rc1"}, "python3.11"),  # the versioned names come first
        ({"python3": "3.10.12", "python3.12": "2.7.18"}, None),  # a name is not a version
    ],
)
def test_the_first_new_enough_interpreter_on_path_is_chosen(machine, present, chosen):
    tmp_path, bin_, env = machine
    for name, version in present.items():
        python(bin_ / name, version)
    uv(bin_ / "uv", tmp_path / "managed/python3.12", log=tmp_path / "uv.log")
    python(tmp_path / "managed/python3.12", "3.12.12")
    result = run(tmp_path, env)
    assert result.returncode == 0
    if chosen:
        assert (result.stdout, result.stderr) == (f"{bin_ / chosen}\n", "")
        assert not (tmp_path / "uv.log").exists()
    else:
        assert result.stdout == f"{tmp_path / 'managed/python3.12'}\n"


def test_python_set_and_new_enough_wins_over_the_path(machine):
    tmp_path, bin_, env = machine
    python(bin_ / "python3.13", "3.13.1")
    mine = python(tmp_path / "opt/python3.11", "3.11.9")
    result = run(tmp_path, env, PYTHON=str(mine))
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{mine}\n", "")


@pytest.mark.parametrize("old", ["python3.10", "/nowhere/python3.12"])
def test_python_set_but_too_old_or_missing_is_named_and_the_search_goes_on(machine, old):
    tmp_path, bin_, env = machine
    python(bin_ / "python3.10", "3.10.12")
    python(bin_ / "python3.12", "3.12.3")
    result = run(tmp_path, env, PYTHON=old)
    assert result.returncode == 0
    assert result.stdout == f"{bin_ / 'python3.12'}\n"
    assert (
        result.stderr
        == f"setup: ignoring PYTHON={old}, it is not Python 3.11 or newer; looking for another\n"
    )


def test_an_old_python3_and_uv_on_path_gets_python_from_uv(machine):
    tmp_path, bin_, env = machine
    python(bin_ / "python3", "3.10.12")
    managed = python(tmp_path / "home/.local/share/uv/python/cpython-3.12/bin/python3.12", "3.12.12")
    uv(bin_ / "uv", managed, log=tmp_path / "uv.log")
    result = run(tmp_path, env)
    assert (result.returncode, result.stdout) == (0, f"{managed}\n")
    assert result.stderr == FETCHING.format(have="Python 3.10.12")
    assert (tmp_path / "uv.log").read_text() == "python install 3.12\npython find --system 3.12\n"


def test_without_uv_pip_installs_it_into_the_user_directory_and_it_is_used(machine):
    tmp_path, bin_, env = machine
    python(bin_ / "python3", "3.8.10", pip="installs")
    managed = python(tmp_path / "managed/python3.12", "3.12.12")
    uv(tmp_path / "uv-stub", managed, log=tmp_path / "uv.log")
    result = run(tmp_path, env)
    assert (result.returncode, result.stdout) == (0, f"{managed}\n")
    assert (tmp_path / "home/.local/bin/uv").exists()
    assert "python install 3.12" in (tmp_path / "uv.log").read_text()


def test_ubuntu_2204_offline_stops_with_the_deadsnakes_and_uv_commands(machine):
    tmp_path, bin_, env = machine
    python(bin_ / "python3", "3.10.12", pip="offline")
    result = run(tmp_path, env)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        FETCHING.format(have="Python 3.10.12")
        + "setup: that failed: pip could not install uv (no pip, or no internet).\n"
        + DEADSNAKES
        + "setup: or, on Ubuntu 22.04.4 LTS without sudo: run these once the computer is online, "
        "then run me again:\n"
        "  python3 -m pip install --user uv\n"
        "  ~/.local/bin/uv python install 3.12\n"
    )


def test_ubuntu_2004_without_pip_gets_the_uv_installer_not_deadsnakes(machine):
    tmp_path, bin_, env = machine
    (tmp_path / "os-release").write_text(UBUNTU_2004)
    python(bin_ / "python3", "3.8.10", pip="missing")
    result = run(tmp_path, env)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        FETCHING.format(have="Python 3.8.10")
        + "setup: that failed: pip could not install uv (no pip, or no internet).\n"
        "setup: on Ubuntu 20.04.6 LTS without sudo: run these once the computer is online, then run me again:\n"
        "  wget -qO- https://astral.sh/uv/install.sh | sh\n"
        "  ~/.local/bin/uv python install 3.12\n"
    )
    assert "deadsnakes" not in result.stderr


def test_uv_present_but_offline_names_that_uv(machine):
    tmp_path, bin_, env = machine
    (tmp_path / "os-release").write_text(DEBIAN_11)
    python(bin_ / "python3", "3.9.2", pip="offline")
    stub = uv(bin_ / "uv", "nothing", downloads=False, log=tmp_path / "uv.log")
    result = run(tmp_path, env)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        FETCHING.format(have="Python 3.9.2") + "error: Failed to download (dns error)\n"
        "setup: that failed: uv could not download Python 3.12 (no internet?).\n"
        "setup: on Debian GNU/Linux 11 (bullseye) without sudo: run these once the computer is online, "
        "then run me again:\n"
        f"  {stub} python install 3.12\n"
    )


@pytest.mark.parametrize("python3, have", [(None, "no python3"), ("exit 1", "a python3 that does not start")])
def test_no_working_python_and_no_os_release(machine, python3, have):
    tmp_path, bin_, env = machine
    if python3:
        write(bin_ / "python3", f"#!/bin/sh\n{python3}\n")
    result = run(tmp_path, env, OS_RELEASE=str(tmp_path / "absent"))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(FETCHING.format(have=have))
    assert "setup: on this system without sudo: run these once the computer is online" in result.stderr
    assert "wget -qO- https://astral.sh/uv/install.sh | sh\n" in result.stderr


def test_a_failed_venv_is_removed_so_the_next_run_tries_again(machine):
    tmp_path, bin_, env = machine
    python(bin_ / "python3.12", "3.12.3")
    result = run(tmp_path, env, "true")  # no dpkg-query on this PATH: straight to the .venv
    assert result.returncode == 1
    assert "ensurepip is not available" in result.stderr
    assert not (tmp_path / ".venv").exists()
