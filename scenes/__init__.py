"""The momentum lectures in Manim: kit (the lecture kit), lectures (one module each), words (captions, story,
voice, language files), pipeline (render, sidecar, chunks, batch, cluster, Manim compatibility) and pages (the
class page, the explorer). `scenes.pipeline.render.render_lecture` is the entry point."""
