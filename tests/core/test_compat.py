"""Manim's internals in two places: what Manim lets a subclass change is changed by the subclasses of
scenes/pipeline/extensions.py, every replacement left in scenes/pipeline/compat.py has a one-line reason and its
upstream issue (or says there is none, with the code it replaces), and no other module touches a private member
of Manim or manim-slides. Read from the source with ast: no Manim needed."""

import ast
import re
from pathlib import Path

import pytest

from scenes.pipeline import compat

ROOT = Path(__file__).resolve().parents[2]
FOREIGN = ("manim", "manim_slides", "manimpango")  # the packages whose private code only INSIDE may touch
# compat.py replaces Manim's code, extensions.py subclasses it: both only with the versions compat.TESTED names
INSIDE = ("compat.py", "extensions.py")
UPSTREAM = re.compile(
    r"(no upstream issue: )?https://github\.com/(ManimCommunity/manim|ManimCommunity/ManimPango|jeertmans/manim-slides)"
    r"/(issues/\d+|pull/\d+|blob/main/[\w/]+\.py)"
)
# What Manim (or manim-slides) lets a project change without replacing its code, and how
EXTENSION_POINTS = {
    "manim.renderer.cairo_renderer:CairoRenderer": "a renderer given to Scene(renderer=…)",
    "manim.scene.video_segment_encoder:VideoSegmentEncoder": "the file writer given to CairoRenderer(file_writer_class=…)",
    "manim_slides.slide.manim:Slide": "the deck's own class",
    "manim:logger": "Python's logging, configured once",
}


def sources() -> dict[Path, ast.Module]:
    files = [
        *sorted((ROOT / "scenes").rglob("*.py")),
        *sorted((ROOT / "gdcore").glob("*.py")),
        ROOT / "render.py",
    ]
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in files}


def private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def defined_here(trees) -> set[str]:
    """The private names the project defines itself: functions, classes, and attributes it assigns."""
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {name for name in names if private(name)}


def foreign_module(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in FOREIGN


def skipped_supers(tree: ast.Module) -> list[str]:
    """super(X, self) calls whose X is not the class they are written in: they skip X's own method."""
    found = []

    def visit(node, cls):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call) and getattr(child.func, "id", None) == "super" and child.args:
                if getattr(child.args[0], "id", None) != cls:
                    found.append(f"line {child.lineno}: super({ast.unparse(child.args[0])}, …)")
            visit(child, child.name if isinstance(child, ast.ClassDef) else cls)

    visit(tree, None)
    return found


def touches(tree: ast.Module, own: set[str]) -> list[str]:
    """Where `tree` imports from a private module of Manim or manim-slides, imports a private name from
    them, uses a private attribute the project does not define, or skips a class's method with super."""
    found = skipped_supers(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and foreign_module(node.module):
            if any(private(part) for part in node.module.split(".")):
                found.append(f"line {node.lineno}: from {node.module} import …")
            found += [f"line {node.lineno}: import {a.name}" for a in node.names if private(a.name)]
        elif isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: import {a.name}"
                for a in node.names
                if foreign_module(a.name) and any(private(p) for p in a.name.split("."))
            ]
        elif isinstance(node, ast.Attribute) and private(node.attr) and node.attr not in own:
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


def test_the_scan_finds_what_it_looks_for():
    tree = ast.parse(
        "from manim._config import error_console\n"
        "import manim_slides._private\n"
        "from manim.utils import _helper\n"
        "class Deck(Slide):\n"
        "    def __init__(self):\n"
        "        super(Slide, self).__init__()\n"
        "        super(Deck, self).__init__()\n"
        "        super().__init__()\n"
        "        self._save_slides()\n"
        "        self._own = 1\n"
        "        self._own\n"
    )
    found = touches(tree, defined_here([tree]))
    assert [line.split(":")[0] for line in found] == ["line 6", "line 1", "line 2", "line 3", "line 9"]


def test_nothing_outside_compat_touches_a_private_member_of_manim():
    trees = sources()
    own = defined_here(tree for path, tree in trees.items() if path.name not in INSIDE)
    found = {
        str(path.relative_to(ROOT)): touches(tree, own)
        for path, tree in trees.items()
        if path.name not in INSIDE
    }
    assert {path: lines for path, lines in found.items() if lines} == {}


@pytest.mark.parametrize("entry", compat.REPLACEMENTS, ids=lambda e: f"{e.owner}.{e.name}")
def test_every_replacement_has_a_reason_and_an_upstream_link(entry):
    assert entry.reason.strip() and "\n" not in entry.reason and len(entry.reason) <= 110
    assert UPSTREAM.fullmatch(entry.upstream), entry.upstream
    cited = re.search(r"/(issues|pull)/\d+$", entry.upstream) is not None  # else the code it replaces
    assert cited != entry.upstream.startswith(compat.NONE), entry.upstream
    assert entry.package in compat.TESTED and compat.TESTED[entry.package]
    assert entry.package in compat.UNTESTED


def test_where_manim_has_an_extension_point_nothing_is_replaced():
    """The renderer, the segment encoder, the deck and the log are changed by subclasses (extensions.py),
    never by swapping Manim's own attributes: Manim's classes stay as they are for every other scene."""
    assert {entry.owner for entry in compat.REPLACEMENTS} & set(EXTENSION_POINTS) == set()
    tree = ast.parse((ROOT / "scenes" / "pipeline" / "extensions.py").read_text(encoding="utf-8"))
    bases = {
        ast.unparse(base) for node in ast.walk(tree) if isinstance(node, ast.ClassDef) for base in node.bases
    }
    assert {"CairoRenderer", "SceneFileWriter", "VideoSegmentEncoder"} <= bases


def test_each_replacement_is_listed_once():
    targets = [(entry.owner, entry.name) for entry in compat.REPLACEMENTS]
    assert len(targets) == len(set(targets))


def test_pyproject_pins_what_was_tested():
    pyproject = (ROOT / "pyproject.toml").read_text()
    for package, (version,) in compat.TESTED.items():
        major, minor = version.split(".")
        pin = f'"{package.replace("_", "-")}>={version},<{major}.{int(minor) + 1}"'
        assert pin in pyproject, pin
