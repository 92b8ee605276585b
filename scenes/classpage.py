"""The class page: <output>/index.html, one self-contained page (HTML, CSS and JavaScript from the template
classpage.html) that lists and plays every video under <output>, built from their sidecars."""
from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
from pathlib import Path

from gdcore import HYPERPARAMETERS

from .patches import cache_lock, private_prefix

TEMPLATE = Path(__file__).with_name("classpage.html")
LANGUAGES = {"en": "English", "es": "Español"}


def data_uri(path: Path) -> str:
    """A WebVTT file as a data: URI: browsers refuse <track> files from file:// pages, not embedded ones."""
    return "data:text/vtt;base64," + base64.b64encode(path.read_bytes()).decode()


def shown(params: dict) -> str:
    """'α = 0.3 · β = 0.6 · N = 60 · classic': the hyperparameters as the lecture names them."""
    def value(v):
        return ", ".join(map(str, v)) if isinstance(v, list) else str(v)
    return " · ".join(value(v) if HYPERPARAMETERS[k].symbol is None else f"{HYPERPARAMETERS[k].symbol} = {value(v)}"
                      for k, v in params.items() if k in HYPERPARAMETERS)


def videos(output: Path) -> list[dict]:
    """Every finished video under `output` (a sidecar with chapters beside an mp4), newest first, each with
    the subtitle tracks of every language rendered of the same run."""
    found = []
    for sidecar in output.rglob("*.json"):
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        movie = sidecar.with_suffix(".mp4")
        if not (isinstance(meta, dict) and "chapters" in meta and movie.is_file()):
            continue
        found.append((movie.stat().st_mtime, sidecar, meta))
    found.sort(key=lambda item: item[0], reverse=True)

    def run(meta: dict) -> tuple:
        return tuple(json.dumps(meta.get(key), sort_keys=True) for key in ("scene", "quality", "params", "voice"))

    runs: dict[tuple, list] = {}
    for _, sidecar, meta in found:
        runs.setdefault(run(meta), []).append((sidecar, meta))
    page = []
    for _, sidecar, meta in found:
        try:
            page.append(card(output, sidecar, meta, runs[run(meta)]))
        except (KeyError, TypeError, ValueError, AttributeError, OSError) as err:
            print(f"warning: the class page leaves out {sidecar}: it cannot be read ({type(err).__name__}: {err})",
                  file=sys.stderr)
    return page


def card(output: Path, sidecar: Path, meta: dict, same_run: list) -> dict:
    """What the page shows of one video, from its sidecar and those of the same run in other languages."""
    rel = sidecar.parent.relative_to(output).as_posix()
    name = sidecar.stem
    explorer = f"explore/{meta['scene']}-{meta['lang']}.html"  # scenes/explore.py writes it
    tracks = [{"lang": m["lang"], "label": LANGUAGES.get(m["lang"], m["lang"]),
               "src": data_uri(s.with_name(m["subtitles"]["vtt"]))}
              for s, m in same_run if isinstance(m.get("subtitles"), dict)]
    return {
        "id": name, "src": f"{rel}/{name}.mp4", "poster": f"{rel}/{meta['poster']}",
        "scene": meta["scene"], "lang": meta["lang"], "language": LANGUAGES.get(meta["lang"], meta["lang"]),
        "quality": meta["quality"], "voice": bool(meta["voice"]), "params": shown(meta["params"]),
        "headline": meta["headline"], "chapters": meta["chapters"], "duration": meta["duration"],
        "question": meta["question"],
        "captions": len(meta["captions"]), "tracks": sorted(tracks, key=lambda t: t["lang"]),
        "chapter_track": data_uri(sidecar.with_name(meta["subtitles"]["chapters"])),
        "slides": {kind: f"{rel}/{file}" for kind, file in meta.get("slides", {}).items()},
        "explore": explorer if (output / explorer).is_file() else None,
    }


def write_page(output: Path) -> Path:
    """Write <output>/index.html again from the sidecars under `output`, atomically (a page being read is
    never half-written), under the cache lock (two renders finishing together both leave a full page), and
    only if it changed (a video from the cache rewrites nothing)."""
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True))
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    with cache_lock():
        listed = videos(output)
        html = template.render(videos=listed, scenes=sorted({v["scene"] for v in listed}))
        page = output / "index.html"
        if page.is_file() and page.read_text(encoding="utf-8") == html:
            return page
        handle, tmp = tempfile.mkstemp(dir=output, prefix=private_prefix())
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(html)
            os.chmod(tmp, 0o644)
            os.replace(tmp, page)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return page
