"""The code's own rules, read from the source: ruff's check and format with the project's configuration,
functions that fit on a screen, no private name used across modules, no import cycle (imports inside
functions included)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("gdcore", "scenes")
LONGEST = 40  # lines from `def` to the function's last line


def sources() -> dict[str, Path]:
    """The project's modules outside tests, by dotted name."""
    found = {"render": ROOT / "render.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def imported(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute name of the module a `from … import` reads."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def edges(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the project modules it imports, anywhere in its code (a name imported from a package that
    is one of its modules counts as that module)."""
    graph = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                source = imported(name, path, node)
                subs = [f"{source}.{alias.name}" for alias in node.names]  # `from . import locales`
                targets = [t for t in subs if t in modules] or [source]
            else:
                continue
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def test_ruff_check_and_format_pass_with_the_projects_configuration():
    pytest.importorskip("ruff", reason="ruff (a test extra) is not installed")
    for command in (["check", "."], ["format", "--check", "."]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *command], cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, f"ruff {' '.join(command)}:\n{done.stdout}{done.stderr}"


def test_no_function_is_longer_than_a_screen():
    long = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in sources().values()
        for node in ast.walk(tree(path))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno >= LONGEST
    ]
    assert not long, "\n".join(long)


def test_no_private_name_crosses_a_module():
    modules = sources()
    crossing = []
    for name, path in modules.items():
        project = {}  # local name → project module, for attribute reads such as render._install
        for node in ast.walk(tree(path)):
            if isinstance(node, ast.ImportFrom):
                source = imported(name, path, node)
                for alias in node.names:
                    if source.split(".")[0] in (*PACKAGES, "render"):
                        project[alias.asname or alias.name] = f"{source}.{alias.name}"
                        if alias.name.startswith("_"):
                            crossing.append(f"{name} imports {alias.name} from {source}")
            elif isinstance(node, ast.Import):
                project.update(
                    {a.asname or a.name: a.name for a in node.names if a.name.split(".")[0] in PACKAGES}
                )
        for node in ast.walk(tree(path)):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in project
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                crossing.append(f"{name} reads {node.value.id}.{node.attr}")
    assert not crossing, "\n".join(crossing)


def test_no_import_cycle():
    graph = edges(sources())
    assert graph["scenes.pipeline.render"] >= {
        "scenes.pipeline.sidecar",
        "scenes.pipeline.compat",
    }  # the scan sees imports
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in path:
                cycles.append(" → ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in done:
                visit(nxt, [*path, nxt])
        done.add(node)

    done: set[str] = set()
    for start in sorted(graph):
        if start not in done:
            visit(start, [start])
    assert not cycles, "\n".join(sorted(set(cycles)))


# What each part of scenes/ may import of scenes/: the words no kit or lecture, the kit no lecture, a lecture
# no other lecture, and none of them the pipeline or the pages
BELOW = {
    "scenes.words": ("scenes.words",),
    "scenes.kit": ("scenes.words", "scenes.kit"),
    "scenes.lectures": ("scenes.words", "scenes.kit"),
}
# the audit runs a lecture as a render does (its scene class, Manim's compatibility and extensions, the
# shared caches), and its command line takes the render's options
AUDIT = (
    "scenes.lectures",
    "scenes.pipeline.compat",
    "scenes.pipeline.extensions",
    "scenes.pipeline.files",
    "scenes.pipeline.options",
    "scenes.pipeline.request",
)


def test_the_parts_of_scenes_import_downwards():
    graph = edges(sources())
    upwards = []
    for name, targets in graph.items():
        part = ".".join(name.split(".")[:2])
        allowed = (*BELOW.get(part, ("",)), *(AUDIT if name == "scenes.kit.audit" else ()))
        upwards += [
            f"{name} imports {t}" for t in targets if t.startswith("scenes.") and not t.startswith(allowed)
        ]
    assert not upwards, "\n".join(sorted(upwards))


def test_no_module_defines_a_name_twice():
    twice = []
    for name, path in sources().items():
        defined = [
            node.name
            for node in tree(path).body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ]
        twice += [f"{name}.{d}" for d in sorted(set(defined)) if defined.count(d) > 1]
    assert not twice, "\n".join(twice)


def test_pyproject_ships_every_package_and_its_files():
    import fnmatch
    import tomllib

    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for pkg in PACKAGES
        for p in (ROOT / pkg).rglob("__init__.py")
    }
    assert sorted(tool["packages"]) == sorted(found)
    data = tool["package-data"]
    for package in found:
        folder = ROOT.joinpath(*package.split("."))
        for path in folder.iterdir():
            if path.is_file() and path.suffix not in (".py", ".pyc"):
                assert any(fnmatch.fnmatch(path.name, g) for g in data.get(package, ())), path
