"""The playground: train a small network on a toy data set and watch it learn, with widgets.

    helpers.Playground()                                           # defaults
    helpers.Playground("data=xor layers=0 act=none", fixed=["layers"])  # a guided question

Controls: data set and noise, train share, hidden layers (0-4) and units, activation, optimizer,
learning rate, batch size, weight decay, seed; Play, Pause, Step, Reset; the configuration as one
string (copy it, paste it back, press "Use"); "Show the code" prints the PyTorch cell that
reproduces the run exactly. The picture (decision regions with probability shading and the
training data, loss and accuracy curves) and the first hidden layer's units, each as a small map
of what it computes, update live.

What a run does lives in ``helpers.playground.run`` (data, model, training), its code in
``helpers.playground.code``; the controls are built from ``helpers.playground.config.FIELDS``,
so they offer exactly the values a configuration allows. This module only wires widgets to them. Only ipywidgets API that both 7.7 (Colab) and 8.x support is used.
Training runs in a background thread, a frame (some epochs, then a redraw) at a time, so that the
Pause button is heard between two frames.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
import threading
import time

import ipywidgets as w
import numpy as np
import PIL.Image
from IPython.display import Markdown, display
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from helpers.decision import data_extent, decision_regions
from helpers.environment import making_stored_outputs
from helpers.live import TrainingFigure, png_bytes
from helpers.playground.code import generate_code
from helpers.playground.config import FIELDS, PlaygroundConfig, as_config
from helpers.playground.run import PlaygroundRun, first_layer_maps
from helpers.style import CLASS_COLOURS, CURVE_COLOURS

__all__ = ["Playground"]

# Under the picture a stored notebook shows in place of the live playground.
STATIC_NOTE = "▶ *A picture of the playground: run this cell (Shift+Enter) to start it, with its controls.*"

#: A frame (epochs + redraw) aims at this many seconds: at least 10 frames a second.
FRAME_SECONDS = 0.08
MAX_EPOCHS_PER_FRAME = 25
UNIT_MAP_PIXELS = 32


#: Colours a stored picture keeps exactly: the classes', the curves', black and white (a palette
#: reduced by frequency alone merges thin lines of two near colours, train and validation).
_KEPT_COLOURS = (*CLASS_COLOURS[:2], *CURVE_COLOURS.values(), "#000000", "#ffffff")
STORED_COLOURS = 48


def stored_colours(image: PIL.Image.Image) -> PIL.Image.Image:
    """The picture in STORED_COLOURS colours: the course's colours kept exactly, the rest (shades of the
    regions, antialiasing) chosen by median cut. A stored notebook stays small; its colours stay right.

    Args:
        image: an RGB picture.

    Returns:
        The picture as a palette ("P") image, without dithering.
    """
    kept = [round(255 * c) for colour in _KEPT_COLOURS for c in to_rgb(colour)]
    reduced = image.quantize(colors=STORED_COLOURS - len(_KEPT_COLOURS), method=PIL.Image.Quantize.MEDIANCUT)
    palette = reduced.getpalette()[: 3 * (STORED_COLOURS - len(_KEPT_COLOURS))] + kept
    holder = PIL.Image.new("P", (1, 1))
    holder.putpalette(palette + [0] * (768 - len(palette)))
    return image.quantize(palette=holder, dither=PIL.Image.Dither.NONE)


def _unit_map_rgba(values: np.ndarray, scale: int = 2) -> np.ndarray:
    """One unit's map as a small picture, [R * scale, R * scale, 4] uint8, row 0 at the top: blue
    (class 1's colour) where it is positive, orange (class 0's) where negative, white at 0 (each map
    scaled to its own largest magnitude). Here the colours mean the sign, not a class."""
    top = np.abs(values).max()
    v = values / top if top > 0 else values
    negative, positive = np.array(to_rgb(CLASS_COLOURS[0])), np.array(to_rgb(CLASS_COLOURS[1]))
    white = np.ones(3)
    w = np.abs(v)[..., None]
    rgb = np.where(v[..., None] >= 0, white + w * (positive - white), white + w * (negative - white))
    rgba = np.concatenate([rgb, np.ones((*v.shape, 1))], axis=-1)[::-1]  # row 0 at the top
    rgba = np.repeat(np.repeat(rgba, scale, axis=0), scale, axis=1)
    return (rgba * 255).round().astype(np.uint8)


def _unit_map_png(values: np.ndarray, scale: int = 2) -> bytes:
    """``_unit_map_rgba`` as PNG bytes."""
    return png_bytes(_unit_map_rgba(values, scale))


def _options(field, value) -> list:
    """A drop-down's options, (text, value) pairs: the field's choices, plus ``value`` if a
    configuration holds another one."""
    values = list(field.choices)
    if value not in values:
        values = sorted([*values, value]) if field.kind is not str else [*values, value]
    return [(field.text(v), v) for v in values]


def _control(field, value, layout, style):
    """The widget of one field: a drop-down where it has choices, else a slider (a bounded box
    for a range too wide to slide), with the field's own range."""
    common = {"description": field.label, "layout": layout, "style": style}
    if field.choices:
        return w.Dropdown(options=_options(field, value), value=value, **common)
    if field.kind is float:
        return w.FloatSlider(value=value, min=field.low, max=field.high, step=field.step, **common)
    if field.high - field.low > 100:
        return w.BoundedIntText(value=value, min=field.low, max=field.high, **common)
    return w.IntSlider(value=value, min=field.low, max=field.high, **common)


class Playground:
    """The playground's widgets and its current run.

    Args:
        config: a ``PlaygroundConfig`` or its string (keys left out keep their defaults).
        fixed: controls that stay as ``config`` sets them, by field or string key
            (e.g. ``["layers", "act"]``): a lesson's guided question.
        grid_resolution: points per side of the decision regions' grid.
    """

    def __init__(self, config=None, *, fixed=(), grid_resolution: int = 100):
        self.config = as_config(config if config is not None else PlaygroundConfig())
        by_key = {field.key: field.name for field in FIELDS}
        if isinstance(fixed, str):
            fixed = [fixed]
        self.fixed = {by_key.get(name, name) for name in fixed}
        unknown = self.fixed - set(by_key.values())
        if unknown:
            raise ValueError(f"fixed names unknown controls {sorted(unknown)}; use any of {', '.join(by_key)}.")
        self.grid_resolution = grid_resolution
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread = None
        self._syncing = False
        self.epochs_per_frame = 1
        self.frame_times: list[float] = []  # seconds per frame while playing (for the benchmark)
        self.frame_epochs: list[int] = []

        c = self.config
        wide = w.Layout(width="300px")
        style = {"description_width": "90px"}
        self.controls = {field.name: _control(field, getattr(c, field.name), wide, style) for field in FIELDS}
        for field, control in self.controls.items():
            control.disabled = field in self.fixed
            control.observe(self._on_control, names="value")

        self.play_button = w.Button(description="▶ Play", button_style="success", tooltip="train, a frame at a time")
        self.pause_button = w.Button(description="⏸ Pause", tooltip="stop after the current frame")
        self.step_button = w.Button(description="Step", tooltip="one epoch")
        self.reset_button = w.Button(description="Reset", tooltip="back to epoch 0 (same seed)")
        self.code_button = w.Button(description="Show the code", tooltip="the PyTorch cell that reproduces this run")
        self.play_button.on_click(lambda _: self.play())
        self.pause_button.on_click(lambda _: self.pause())
        self.step_button.on_click(lambda _: self.step())
        self.reset_button.on_click(lambda _: self.reset())
        self.code_button.on_click(lambda _: self.show_code())

        self.config_text = w.Text(
            value=str(c), description="configuration", layout=w.Layout(width="760px"), style=style
        )
        self.use_button = w.Button(description="Use", tooltip="start again from the configuration typed here")
        self.use_button.on_click(lambda _: self._load_typed())
        self.status = w.HTML(value="")
        self.image = w.Image(format="png")
        self.unit_title = w.HTML(value="")
        self.unit_box = w.HBox([])
        self.code_output = w.Output()

        buttons = w.HBox([self.play_button, self.pause_button, self.step_button, self.reset_button, self.code_button])
        # The picture has a row of its own, at its natural size (880 px): beside the controls the
        # browser shrank it to about 70% and its legends to 6 px (browser screenshots). The
        # controls keep their width, the unit maps sit beside them.
        left = w.VBox(list(self.controls.values()), layout=w.Layout(min_width="310px", flex="0 0 auto"))
        right = w.VBox([self.unit_title, self.unit_box], layout=w.Layout(margin="0 0 0 16px"))
        self.unit_box.layout = w.Layout(flex_flow="row wrap", max_width="560px")
        self.widget = w.VBox(
            [
                buttons,
                w.HBox([self.config_text, self.use_button]),
                self.status,
                self.image,
                w.HBox([left, right]),
                self.code_output,
            ]
        )
        self._figure_key = None
        self._show_state(False)
        self.reset()

    # ---------------------------------------------------------------- the run

    def reset(self):
        """Back to epoch 0 of the current configuration (same seed: the same start)."""
        self.pause()
        with self._lock:
            self.run = PlaygroundRun(self.config)
            self._make_figure()
            self.render()

    def _make_figure(self):
        run = self.run
        key = (self.config.dataset, self.config.noise, self.config.train_share, self.config.seed)
        if key != self._figure_key:  # new data: new axes
            self.extent = data_extent(run.X_train, run.X_val)
            self.figure = TrainingFigure(
                run.X_train, run.y_train, self.extent, title=self.config.dataset, held_out="val"
            )
            self._figure_key = key
        else:  # same data: clear the curves, keep the axes
            self.figure.restart()

    def step(self, epochs: int = 1):
        """Train ``epochs`` epochs (the Step button: one) and redraw."""
        self.pause()
        with self._lock:
            self.run.train_epochs(epochs)
            self.render()

    def render(self):
        """Redraw the picture, the unit maps and the status line from the current run."""
        with self._lock:
            run = self.run
            regions = decision_regions(run.model, self.extent, grid_resolution=self.grid_resolution)
            self.image.value = self.figure.draw(regions, run.history, run.epoch)
            maps = first_layer_maps(run.model, self.extent, grid_resolution=UNIT_MAP_PIXELS)
            pictures = [_unit_map_png(unit) for unit in maps]
            if len(self.unit_box.children) != len(pictures):
                self.unit_box.children = [
                    w.Image(format="png", layout=w.Layout(width="64px", height="64px", border="1px solid #999999"))
                    for _ in pictures
                ]
            for picture, png in zip(self.unit_box.children, pictures):
                picture.value = png
            self.unit_title.value = (
                f"<b>First hidden layer</b>: what each of its {len(pictures)} units computes "
                "(blue: positive, orange: negative, white: 0)"
                if len(pictures)
                else "<b>No hidden layer</b>: the output is one straight-line boundary"
            )
            self.status.value = self._status_line()

    def _status_line(self) -> str:
        """The run's numbers. While playing, the browser may show a picture a frame older than the
        text (pictures take longer to arrive and decode), so the epoch is then left to the picture's
        title and the line says that training is running; paused, it names the epoch of the picture."""
        r = self.run.result()
        numbers = (
            f"train loss {r.train_loss:.3f}, accuracy {r.train_acc:.1f}% &nbsp;|&nbsp; "
            f"validation loss {r.val_loss:.3f}, accuracy {r.val_acc:.1f}%"
        )
        if self.playing:
            return f"<b>▶ training</b> (the epoch is in the picture's title) &nbsp; {numbers}"
        return f"<b>⏸ paused at epoch {r.epochs}</b> &nbsp; {numbers}"

    def _show_state(self, playing: bool):
        """Play and Pause say whether training is running: the one that would change nothing is greyed out."""
        self.play_button.disabled = playing
        self.play_button.description = "▶ Playing…" if playing else "▶ Play"
        self.pause_button.disabled = not playing
        self.pause_button.button_style = "warning" if playing else ""

    def play(self):
        """Train in the background, a frame at a time, until ``pause()``."""
        if self.playing:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._play_loop, name="playground", daemon=True)
        self._thread.start()
        self._show_state(True)

    @property
    def playing(self) -> bool:
        """Whether a training thread is running."""
        return self._thread is not None and self._thread.is_alive()

    def _play_loop(self):
        while not self._stop.is_set():
            start = time.perf_counter()
            with self._lock:
                n = self.epochs_per_frame
                self.run.train_epochs(n)
                trained = time.perf_counter()
                self.render()
            done = time.perf_counter()
            self.frame_times.append(done - start)
            self.frame_epochs.append(n)
            # As many epochs as fit in a frame beside the redraw (at least one, at most a few
            # dozen, so that the curves still move smoothly).
            per_epoch = (trained - start) / n
            room = FRAME_SECONDS - (done - trained)
            self.epochs_per_frame = int(min(MAX_EPOCHS_PER_FRAME, max(1, room / max(per_epoch, 1e-6))))
            time.sleep(0.001)  # let the kernel's own thread handle a click

    def pause(self) -> float:
        """Stop playing after the current frame.

        Returns:
            The seconds it took to stop (0 if not playing).
        """
        if not self.playing:
            return 0.0
        start = time.perf_counter()
        self._stop.set()
        self._thread.join()
        stopped = time.perf_counter() - start
        self._show_state(False)
        with self._lock:
            self.status.value = self._status_line()
        return stopped

    # ---------------------------------------------------------------- configuration and code

    def load(self, text):
        """Start again from a configuration (string or PlaygroundConfig); fixed controls keep their values."""
        overrides = {field: getattr(self.config, field) for field in self.fixed}
        config = as_config(text)
        self._set_config(dataclasses.replace(config, **overrides))

    def _load_typed(self):
        try:
            self.load(self.config_text.value)
        except (TypeError, ValueError) as error:  # a typo in the box: say so, keep the current run
            self.status.value = f"<b>Not a valid configuration:</b> {html.escape(str(error))}"

    def _set_config(self, config):
        self.pause()
        self.config = config
        self._syncing = True
        try:
            for field in FIELDS:
                control, value = self.controls[field.name], getattr(config, field.name)
                if field.choices:
                    control.options = _options(field, value)
                control.value = value
            self.config_text.value = str(config)
        finally:
            self._syncing = False
        self.reset()

    def _on_control(self, change):
        if self._syncing:
            return
        values = {field: control.value for field, control in self.controls.items()}
        try:
            config = PlaygroundConfig(**values)
        except ValueError as error:
            self.status.value = f"<b>Not a valid configuration:</b> {html.escape(str(error))}"
            return
        self._set_config(config)

    def code(self) -> str:
        """The PyTorch cell that reproduces this run up to the current epoch (at least one).

        Returns:
            ``generate_code(self.config, epochs)``.
        """
        return generate_code(self.config, max(self.run.epoch, 1))

    def show_code(self):
        """Print the code (the "Show the code" button)."""
        self.code_output.clear_output()
        with self.code_output:
            print(self.code())

    def picture(self) -> bytes:
        """The playground as one still picture: the current frame (decision regions, loss and
        accuracy curves), the first hidden layer's unit maps under it, and the configuration line.
        What a stored notebook shows in place of the live widget.

        Returns:
            PNG bytes, in a palette of STORED_COLOURS colours that keeps the course's own exactly (see ``stored_colours``).
        """
        with self._lock:
            frame = np.asarray(PIL.Image.open(io.BytesIO(self.image.value)).convert("RGBA"))
            maps = first_layer_maps(self.run.model, self.extent, grid_resolution=UNIT_MAP_PIXELS)
            config, epoch = str(self.config), self.run.epoch
        dpi, gap = 80, 10
        tiles = [_unit_map_rgba(unit) for unit in maps]
        tile = 2 * UNIT_MAP_PIXELS
        strip = 28 + (tile + 30 if tiles else 0)
        height, width = frame.shape[0] + strip, frame.shape[1]
        figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="white")
        figure.figimage(frame, xo=0, yo=strip)
        for i, picture in enumerate(tiles):
            x = 16 + i * (tile + gap)
            figure.figimage(picture, xo=x, yo=30)
            figure.patches.append(
                Rectangle((x - 1, 29), tile + 1, tile + 1, transform=None, fill=False, edgecolor="#999999", linewidth=1)
            )
        if tiles:
            figure.text(
                16 / width,
                (30 + tile + 8) / height,
                f"First hidden layer: what each of its {len(tiles)} units computes "
                "(blue: positive, orange: negative, white: 0; here the colours mean the sign, not a class)",
                fontsize=10,
            )
        figure.text(16 / width, 8 / height, f"epoch {epoch}, configuration: {config}", fontsize=9, family="monospace")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, facecolor="white")
        image = PIL.Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
        out = io.BytesIO()
        stored_colours(image).save(out, format="png", optimize=True)
        return out.getvalue()

    def _ipython_display_(self):
        if making_stored_outputs():
            # The notebook's stored output (make outputs, nbval): a picture of the playground and
            # how to start it, never controls that nothing answers (GitHub, static viewers, a
            # notebook opened before its cells run). Running the cell shows the live widget.
            display(
                {
                    "image/png": base64.b64encode(self.picture()).decode("ascii"),
                    "text/plain": f"Playground ({self.config}): run this cell to start it (Jupyter or Colab).",
                },
                raw=True,
            )
            display(Markdown(STATIC_NOTE))
            return
        # The widget, with a short, stable text for places that cannot show widgets (a terminal).
        display(
            {
                "text/plain": f"Playground ({self.config}): open this notebook in Jupyter or Colab to use it.",
                "application/vnd.jupyter.widget-view+json": {
                    "version_major": 2,
                    "version_minor": 0,
                    "model_id": self.widget.model_id,
                },
            },
            raw=True,
        )
