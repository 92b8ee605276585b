"""The exercise in a notebook (Jupyter, Colab): sliders for α, β, the rule, the steps and the start that re-run
gdcore at once and redraw the exercise's plots, the verdict's sentences from the language file under them,
and a button that renders the lecture and plays it inline, with its explorer.

    Exercise("parabola", "es")    shown by the notebook; its `update()` and `render()` are the callbacks

ipywidgets and matplotlib are the notebook's own (the extra `notebook`), imported here only.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import numpy as np

from gdcore import LECTURES, Lesson
from gdcore.validation import HYPERPARAMETERS

from . import api
from .words import captions, story

# what a student moves, and over what range: (low, high, step); a lecture shows the ones it takes
SLIDERS = {
    "lr": (0.01, 1.0, 0.01),
    "beta": (0.0, 0.99, 0.01),
    "steps": (5, 200, 1),
    "x0": (-10.0, 10.0, 0.1),
    "start_w1": (-5.0, 5.0, 0.1),
    "start_w2": (-5.0, 5.0, 0.1),
}


def controls(scene: str) -> dict:
    """The widgets of lecture `scene`, by option name, at its defaults: a slider per number, the rule's list."""
    import ipywidgets as w

    defaults = LECTURES[scene].DEFAULTS
    made = {
        "variant": w.Dropdown(options=HYPERPARAMETERS["variant"].valid.options, value=defaults["variant"])
    }
    for name, (low, high, step) in SLIDERS.items():
        if name in defaults:
            kind = w.IntSlider if name == "steps" else w.FloatSlider
            made[name] = kind(min=low, max=high, step=step, value=defaults[name], continuous_update=False)
    for name, widget in made.items():
        widget.description = HYPERPARAMETERS[name].symbol or name
    return made


def gaps(losses: np.ndarray, lowest: float) -> np.ndarray:
    """The loss above its minimum at each step, for a log scale: nan where it is 0 or not finite."""
    gap = np.asarray(losses, dtype=float) - lowest
    return np.where(np.isfinite(gap) & (gap > 0), gap, np.nan)


def draw_path(ax, lesson: Lesson) -> None:
    """The path on the function (one parameter) or over the loss's contours in (w₁, w₂), b at its best."""
    xs, best = lesson.run.positions, lesson.problem.minimizer()
    if xs.shape[1] == 1:
        reach = max(np.nanmax(np.abs(np.where(np.isfinite(xs), xs, 0))), 1.0) * 1.1
        grid = np.linspace(-reach, reach, 200)
        ax.plot(grid, lesson.problem.losses(grid[:, None]), color="0.6")
        ax.plot(xs[:, 0], lesson.run.losses, "o-", ms=3, label="path")
        ax.set_xlabel("x")
        return
    w1, w2 = np.meshgrid(*(np.linspace(best[i] - 4, best[i] + 4, 80) for i in (0, 1)))
    points = np.column_stack([w1.ravel(), w2.ravel(), np.full(w1.size, best[2])])
    ax.contour(w1, w2, lesson.problem.losses(points).reshape(w1.shape), levels=20, colors="0.7")
    ax.plot(xs[:, 0], xs[:, 1], "o-", ms=3, label="path")
    ax.set_xlabel("w₁")
    ax.set_ylabel("w₂")


def draw(axes, lesson: Lesson) -> None:
    """The three plots of the exercise: the path, the loss above its minimum per step (log scale, plain
    gradient descent in grey), the momentum step per step (each parameter)."""
    for ax in axes:
        ax.clear()
    draw_path(axes[0], lesson)
    lowest = lesson.problem.lowest_loss
    if lesson.baseline is not None:
        axes[1].semilogy(gaps(lesson.baseline.losses, lowest), color="0.6", label="β = 0")
    axes[1].semilogy(gaps(lesson.run.losses, lowest), label="loss")
    axes[1].set_xlabel("t")
    axes[1].set_title(f"{lesson.problem.loss_symbol} − {lesson.problem.loss_symbol}*")
    for column in lesson.moves.T:
        axes[2].plot(column, label="velocity")
    axes[2].set_xlabel("t")
    axes[2].set_title("v")


def verdict(lesson: Lesson, lang: str) -> str:
    """The verdict's sentences in `lang`, as the video says them, one HTML paragraph each."""
    said = (captions.text(lang, line.key, **line.values) for line in story.verdict(lesson))
    return "".join(f"<p>{html.escape(sentence)}</p>" for sentence in said)


class Exercise:
    """One lecture's exercise: its `controls`, the `figure` (its `axes`) redrawn by update(), the `words` of
    the verdict, and the `button` whose click render()s the lecture into `shown`."""

    def __init__(self, scene: str, lang: str = "en", button: str = "▶", output="media", quality="low"):
        import ipywidgets as w
        from matplotlib.figure import Figure

        self.scene, self.lang, self.output, self.quality = scene, lang, Path(output), quality
        self.controls = controls(scene)
        self.figure = Figure(figsize=(13, 3.6), layout="constrained")
        self.axes = self.figure.subplots(1, 3)
        self.image, self.words, self.shown = w.Image(format="png"), w.HTML(), w.Output()
        self.button = w.Button(description=button, button_style="primary")
        for widget in self.controls.values():
            widget.observe(lambda change: self.update(), names="value")
        self.button.on_click(lambda clicked: self.render())
        row = w.HBox(list(self.controls.values()), layout=w.Layout(flex_flow="row wrap"))
        self.box = w.VBox([row, self.image, self.words, self.button, self.shown])
        self.lesson = self.update()

    def params(self) -> dict:
        """The values the controls hold, by option name."""
        return {name: widget.value for name, widget in self.controls.items()}

    def update(self) -> Lesson:
        """Run gdcore with the controls' values, redraw the plots and the verdict; return the lesson."""
        self.lesson = api.lesson(self.scene, **self.params())
        draw(self.axes, self.lesson)
        png = io.BytesIO()
        self.figure.savefig(png, format="png", dpi=80)
        self.image.value = png.getvalue()
        self.words.value = verdict(self.lesson, self.lang)
        return self.lesson

    def render(self) -> api.Video:
        """Render the lecture for the controls' values; show the video, then its explorer, in `shown`."""
        from IPython.display import HTML, display

        self.shown.clear_output()
        with self.shown:
            video = api.render(self.lesson, self.quality, self.lang, self.output)
            display(video)
            pages = (self.output / "explore").glob(f"{self.scene}-{self.lang}-*.html")
            page = max(pages, key=lambda path: path.stat().st_mtime, default=None)  # the one just written
            if page is not None:
                frame = html.escape(page.read_text(encoding="utf-8"))
                display(
                    HTML(f'<iframe srcdoc="{frame}" width="100%" height="900" style="border:0"></iframe>')
                )
        return video

    def _ipython_display_(self) -> None:
        """Shown in a notebook: the controls, the plots, the verdict and the button."""
        from IPython.display import display

        display(self.box)
