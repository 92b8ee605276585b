"""scenes.pipeline.compat installs every replacement of its table on the tested versions, once, and none on
others; the extensions (scenes.pipeline.extensions) draw a lecture through Manim's extension points, leaving
Manim's own classes as they are."""

import subprocess
import sys
from pathlib import Path

from scenes.pipeline import compat

ROOT = Path(__file__).resolve().parents[2]

# In a fresh process: each package's swapped attributes, after two calls of apply(); Manim's own renderer,
# encoder and deck methods; the renderer, file writer and camera of scenes built by extensions.build; the log
CHECK = """
import importlib, sys
from scenes.pipeline import compat
%s
for package in ("manim", "manim_slides"):
    compat.apply(package)
    compat.apply(package)
for entry in compat.REPLACEMENTS:
    if entry.make is not None:
        module, _, cls = entry.owner.partition(":")
        owner = importlib.import_module(module)
        owner = getattr(owner, cls) if cls else owner
        function = owner.__dict__[entry.name]
        function = getattr(function, "__func__", function)
        print(entry.owner, entry.name, hasattr(function, "original"),
              hasattr(getattr(function, "original", None), "original"))
from manim import Scene, ThreeDScene, logger, tempconfig
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from manim_slides.slide.manim import Slide
from scenes.pipeline import extensions
own = [CairoRenderer.play, CairoRenderer.render, VideoSegmentEncoder.__init__, VideoSegmentEncoder.write_frame,
       VideoSegmentEncoder.finish, Slide.__init__, Slide.render]
print("untouched", all(f.__module__.startswith(("manim.", "manim_slides.")) for f in own))
with tempconfig({"media_dir": sys.argv[1], "disable_caching": True}):
    for kind in (Scene, ThreeDScene):
        renderer = extensions.build(kind).renderer
        print(kind.__name__, type(renderer).__name__, type(renderer.file_writer).__name__,
              type(renderer.camera).__name__)
extensions.log_on_stderr()
print("stderr", all(handler.console.stderr for handler in logger.handlers))
"""


def run(tmp_path, prelude: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHECK % prelude, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tested_versions_get_every_replacement_once_and_the_extensions(tmp_path):
    done = run(tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    swapped = lines[:-4]
    assert len(swapped) == len([entry for entry in compat.REPLACEMENTS if entry.make is not None])
    assert all(line.endswith("True False") for line in swapped), swapped  # replaced, and only once
    assert lines[-4:] == [
        "untouched True",
        "Scene Renderer FileWriter Camera",
        "ThreeDScene Renderer FileWriter ThreeDCamera",
        "stderr True",
    ]
    assert "untested" not in done.stderr


def test_an_untested_version_is_left_as_it_is_and_said_once(tmp_path):
    done = run(tmp_path, "compat.installed_version = lambda package: '9.9.0'")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(line.endswith("False False") for line in lines[:-4]), done.stdout
    assert lines[-4:] == [
        "untouched True",
        "Scene CairoRenderer SceneFileWriter Camera",
        "ThreeDScene CairoRenderer SceneFileWriter ThreeDCamera",
        "stderr True",  # the log is set at Manim's public logger, on any version
    ]
    warnings = [line for line in done.stderr.splitlines() if "untested" in line]
    assert warnings == [
        f"warning: {package} 9.9.0 is untested here and left as it is: {consequence}"
        for package, consequence in (
            (
                "manim",
                "parallel renders may share caches unsafely, LaTeX runs unbounded, and held frames encode slower",
            ),
            ("manim_slides", "--slides may fail"),
        )
    ]
