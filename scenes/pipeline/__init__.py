"""The render pipeline: a lecture rendered into its video and files (render, sidecar, chunks, plans, segments),
batches and clusters, slide decks, Manim compatibility and the file helpers."""
