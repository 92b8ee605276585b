"""Words: captions filled from claims, the story that picks them, the voice and the language files."""
