"""Manim scenes of the momentum lectures. `scenes.render.render_lecture` is the entry point."""
