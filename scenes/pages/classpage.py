"""The class page: <output>/index.html, one self-contained page (HTML, CSS and JavaScript from the template
classpage.html) that lists and plays every video under <output>, built from their sidecars."""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path
from urllib.parse import quote

from gdcore import HYPERPARAMETERS

from ..pipeline.files import cache_lock, replace_file
from ..pipeline.sidecar import QUALITY, Sidecar, SidecarError, read_regular
from ..words import captions, locales
from .explore import link

TEMPLATE = Path(__file__).with_name("classpage.html")


def language_name(code: str) -> str:
    """A language's own name from its file (Français), or its code when its file is gone or broken."""
    try:
        return locales.load(code).name
    except locales.LanguageError:
        return code


def page_words(code: str) -> dict[str, str]:
    """Every word of the class page's interface in language `code`, from its file (page_… messages)."""
    return locales.load(code).page_words()


def data_uri(path: Path) -> str:
    """A WebVTT file as a data: URI: browsers refuse <track> files from file:// pages, not embedded ones.
    Only a regular file of at most sidecar.LARGEST bytes is embedded (SidecarError otherwise)."""
    return "data:text/vtt;base64," + base64.b64encode(read_regular(path)).decode()


def href(*parts: str) -> str:
    """A relative link to the path of these segments, each percent-encoded: a folder called
    'javascript:alert(1)' is linked as a folder, never run as a script."""
    return "/".join(quote(part, safe="") for part in parts)


def leave_out(sidecar: Path, why: str) -> None:
    """Say on stderr, in one line (control characters escaped), that the page leaves `sidecar` out."""
    line = f"warning: the class page leaves out {sidecar}: {why}"
    print("".join(c if c.isprintable() else repr(c)[1:-1] for c in line), file=sys.stderr)


def shown(params: dict, lang: str = "en") -> str:
    """'α = 0.3 · β = 0.6 · N = 60 · classic': the hyperparameters as the lecture in `lang` names them (in
    French 'α = 0,3 · β = 0,6 · N = 60 · classic', a list 'β = 0 ; 0,5')."""

    def value(v):
        if isinstance(v, list):  # numbers as the language lists them, names of rules with commas
            numbers = all(isinstance(one, (int, float)) for one in v)
            return captions.listed(lang, v) if numbers else ", ".join(map(str, v))
        return captions.decimals(lang, str(v))

    return " · ".join(
        value(v) if HYPERPARAMETERS[k].symbol is None else f"{HYPERPARAMETERS[k].symbol} = {value(v)}"
        for k, v in params.items()
        if k in HYPERPARAMETERS
    )


def lecture_id(meta: Sidecar) -> str:
    """<scene>-<digest of the run>: the same for every language and quality of one lecture."""
    run = json.dumps([meta.params, bool(meta.voice)], sort_keys=True)
    return f"{meta.scene}-{hashlib.sha1(run.encode()).hexdigest()[:8]}"


def finished(output: Path) -> list[tuple[Path, Sidecar]]:
    """Every finished video's sidecar under `output` (a .json beside an mp4), newest first; a sidecar that
    is not whole or not allowed (Sidecar.read) is named on stderr in one line and left out."""
    found = []
    for path in output.rglob("*.json"):
        movie = path.with_suffix(".mp4")
        if not movie.is_file():
            continue
        try:
            meta = Sidecar.read(path)
        except SidecarError as err:
            leave_out(path, str(err))
        else:
            found.append((movie.stat().st_mtime, path, meta))
    found.sort(key=lambda item: item[0], reverse=True)
    return [(path, meta) for _, path, meta in found]


def video(output: Path, sidecar: Path, meta: Sidecar) -> dict:
    """One file of a lecture as the page plays it: its subtitles are its own captions (another language's
    cues keep another video's timings), its explorer link opens on its own setting."""
    rel, name = sidecar.parent.relative_to(output).parts, sidecar.stem
    vtt = sidecar.with_name(meta.subtitles["vtt"])
    return {
        "id": f"{name}-{meta.quality}",
        "lecture": lecture_id(meta),
        "src": href(*rel, f"{name}.mp4"),
        "poster": href(*rel, meta.poster),
        "scene": meta.scene,
        "lang": meta.lang,
        "language": language_name(meta.lang),
        "quality": meta.quality,
        "fps": int(QUALITY[meta.quality][1].split("p")[1]),
        "voice": bool(meta.voice),
        "params": shown(meta.params, meta.lang),
        "opening": meta.captions[0]["text"],
        "question": meta.question,
        "chapters": meta.chapters,
        "duration": meta.duration,
        "tracks": [{"lang": meta.lang, "label": language_name(meta.lang), "src": data_uri(vtt)}],
        "chapter_track": data_uri(sidecar.with_name(meta.subtitles["chapters"])),
        "slides": {kind: href(*rel, file) for kind, file in (meta.slides or {}).items()},
        "transcript": href(*rel, meta.transcript),
        "explore": link(output, meta.scene, meta.lang, meta.params),
    }


def videos(output: Path) -> list[dict]:
    """Every finished video under `output`, newest first."""
    listed = []
    for sidecar, meta in finished(output):
        try:
            listed.append(video(output, sidecar, meta))
        except (KeyError, TypeError, ValueError, AttributeError, OSError) as err:  # never fails a render
            leave_out(sidecar, f"it cannot be read ({type(err).__name__}: {err})")
    return listed


def lectures(listed: list[dict]) -> list[dict]:
    """One entry per lecture (newest first): its scene and its videos, one per language and quality (the
    newest, when older software made another), each with its parameters as its language writes them."""
    found: dict[str, dict] = {}
    for v in listed:
        entry = found.setdefault(
            v["lecture"],
            {
                "id": v["lecture"],
                "scene": v["scene"],
                "voice": v["voice"],
                "videos": [],
            },
        )
        if not any((o["lang"], o["quality"]) == (v["lang"], v["quality"]) for o in entry["videos"]):
            entry["videos"].append(v)
    for entry in found.values():
        entry["videos"].sort(key=lambda v: (v["lang"], list(QUALITY).index(v["quality"])))
    return list(found.values())


def default_language(listed: list[dict]) -> str:
    """The language most of the videos speak (the newest one's on a tie), if the page has its words."""
    langs = [v["lang"] for v in listed if v["lang"] in locales.available()]
    return max(dict.fromkeys(langs), key=langs.count) if langs else "en"


def write_page(output: Path) -> Path:
    """Write <output>/index.html again from the sidecars under `output`, atomically (a page being read is
    never half-written), under the cache lock (two renders finishing together both leave a full page), and
    only if it changed (a video from the cache rewrites nothing)."""
    from jinja2 import Environment, select_autoescape

    env = Environment(autoescape=select_autoescape(default=True))
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    with cache_lock():
        listed = videos(output)
        lang = default_language(listed)
        languages = {code: language_name(code) for code in locales.available()}
        html = template.render(
            videos=listed,
            lectures=lectures(listed),
            scenes=sorted({v["scene"] for v in listed}),
            lang=lang,
            w=page_words(lang),
            words={k: page_words(k) for k in languages},
            languages=languages,
        )
        page = output / "index.html"
        if page.is_file() and page.read_text(encoding="utf-8") == html:
            return page
        replace_file(page, html.encode("utf-8"))
    return page
