"""The live training view: watch the decision regions and the curves change while a model trains.

    live = helpers.LiveView(X_train, y_train, X_test, y_test, title="Model V2")
    for epoch in range(epochs):
        ...  # your training loop, unchanged
        if epoch % 50 == 0 or epoch == epochs - 1:
            live.update(model, epoch, train_loss=loss, test_loss=test_loss, train_acc=acc, test_acc=test_acc)
    live.finish()

The loop stays yours: the view only draws. It shows one picture (decision regions with the
training data, the loss curves, the accuracy curves) in one output area that it updates in place
(``IPython.display`` with a display id, which JupyterLab, the classic Notebook, VS Code and Colab
all follow), so a loop does not flood the notebook with figures.

When it draws (``frame_due``): the first update at once, so the picture appears as the loop
starts; then at most ``frames_per_second`` frames a second, and only while what the view has
cost since that first frame (drawing, copying weights), with two more frames in reserve (the one
it would draw now and the last one ``finish()`` always draws), is at most ``max_share`` of the
loop's own time since then (the time not spent in the view), the share benchmarks/bench.py
measures. A loop of one second shows seven frames, one of three seconds twenty-one
(tests/test_live.py pins them with a set clock). The figure is made once and only its artists
change (a full matplotlib figure costs 0.3-0.4 s on a small machine; a frame here about 12 ms).

Under a test runner that does not follow in-place updates (nbval), set the environment variable
``COURSE_LIVE_VIEW=final``: the view then draws nothing until ``finish()``, which draws the final
frame once, so stored outputs are the same on every run. In both modes the output area is made
at the first ``update`` (in "final" mode it holds one white pixel until ``finish()``), so a
cell's outputs come in the same order in both.

``TrainingFigure`` is the picture itself (no display), shared with ``helpers.playground``.
"""

from __future__ import annotations

import copy
import io
import math
import time

import IPython
import IPython.display
import numpy as np
import PIL.Image
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from helpers.decision import boundary_lines, data_extent, decision_regions
from helpers.environment import making_stored_outputs
from helpers.plotting import _label_plane, _scatter_classes, pixel_extent, regions_to_rgba
from helpers.style import CURVE_COLOURS
from helpers.validation import as_features, as_labels, check_extent, check_integer, check_real

__all__ = ["TrainingFigure", "LiveView", "png_bytes", "frame_due"]

_HELD_OUT = {"test": "test", "val": "validation"}  # the held-out split's key and its legend name
FIRST_EPOCH_AXIS = 500  # the curves' x axis when the run's length is not known


def png_bytes(rgba_uint8: np.ndarray) -> bytes:
    """Encode a picture as PNG (fast compression: speed beats size here).

    An opaque picture (every alpha 255, as the course's white figures are) is encoded without its
    alpha channel: the same picture, a quarter less to compress (a fifth of a live frame's cost).

    Args:
        rgba_uint8: [H, W, 4] uint8.

    Returns:
        The PNG file's bytes.
    """
    buffer = io.BytesIO()
    picture = PIL.Image.fromarray(rgba_uint8, "RGBA")
    if picture.getextrema()[3] == (255, 255):
        picture = picture.convert("RGB")
    picture.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


class TrainingFigure:
    """One figure, made once: decision regions with the data, loss curves, accuracy curves.

    ``draw(regions, history, epoch)`` changes the artists in place and returns the PNG bytes.
    ``regions`` comes from ``helpers.decision.decision_regions``; ``history`` maps
    "train_loss", "test_loss", "train_acc", "test_acc" (any may be missing) to lists of numbers
    measured at the epochs in ``history["epoch"]``; with ``held_out="val"`` the held-out curves are
    "val_loss" and "val_acc", drawn and named as a validation set (the playground, lesson 06). ``epochs``: the length of the run if known
    (the curves' x axis); otherwise it starts at 500 epochs and grows fourfold whenever the run
    outgrows it (each growth redraws the whole figure, so it should be rare).

    Speed: the axes, ticks and labels are drawn once and kept as a background picture; a frame
    pastes it back and draws only what changes (the regions, the boundary and the points over
    them, the curves, the title). The whole figure is drawn again only when an axis must grow.

    The regions panel reads as ``helpers.plot_decision_boundary`` does: ticks, one unit the same
    length on both axes, the boundary dashed (p = 0.5, binary models), and the legend beside it,
    off the data.
    """

    def __init__(
        self,
        X,
        y,
        extent,
        *,
        title: str | None = None,
        epochs: int | None = None,
        figsize=(11.0, 3.6),
        dpi: int = 100,
        held_out: str = "test",
    ):
        if not isinstance(held_out, str):
            raise TypeError(f"The 'held_out' parameter of TrainingFigure must be a str. Got {held_out!r} instead.")
        if held_out not in _HELD_OUT:
            raise ValueError(
                f"The 'held_out' parameter of TrainingFigure must be one of {sorted(_HELD_OUT)}. Got {held_out!r} instead."
            )
        self.held_out = held_out
        X = as_features(X, "X")
        y = as_labels(y, "y", n_samples=X.shape[0])
        if epochs is not None:
            epochs = check_integer(epochs, "epochs", "TrainingFigure", low=1)
        self.title = title
        self.epochs = None if epochs is None else int(epochs)
        # A Figure outside pyplot: the inline backend never shows it by itself.
        self.figure = Figure(figsize=figsize, dpi=dpi, facecolor="white")
        self.canvas = FigureCanvasAgg(self.figure)
        self.ax_regions, self.ax_loss, self.ax_acc = self.figure.subplots(1, 3)
        self.image = self.ax_regions.imshow(
            np.zeros((2, 2, 4)), origin="lower", extent=extent, interpolation="nearest", aspect="equal", zorder=0
        )
        # The boundary, p(class 1) = 0.5, as in helpers.plot_decision_boundary: one set of lines
        # whose segments change from frame to frame (binary models only).
        self.boundary = LineCollection([], colors="black", linewidths=1.0, linestyles="--", zorder=1)
        self.ax_regions.add_collection(self.boundary)
        # Small points: the data is there to show where the rings are, the boundary must stay visible.
        _scatter_classes(self.ax_regions, X, y, s=9, linewidths=0.3, zorder=2)
        _label_plane(self.ax_regions, None)
        xmin, xmax, ymin, ymax = check_extent(extent, "TrainingFigure")
        self.ax_regions.set_xlim(xmin, xmax)
        self.ax_regions.set_ylim(ymin, ymax)
        self._legend_has_boundary = None  # set at the first draw, when the model's kind is known
        self.lines = {}
        for ax, quantity, label in ((self.ax_loss, "loss", "loss"), (self.ax_acc, "acc", "accuracy (%)")):
            for split, name in (("train", "train"), (held_out, _HELD_OUT[held_out])):
                (self.lines[f"{split}_{quantity}"],) = ax.plot([], [], color=CURVE_COLOURS[split], label=name)
            ax.set_xlabel("epoch")
            ax.set_ylabel(label)
        # One legend (same colours in both), where a falling loss leaves room.
        self.ax_loss.legend(loc="lower left", fontsize=10)
        # Ticks are drawn once, into the background picture (see render), so they cost only the
        # first frame: enough of them to read values off the curves and the plane.
        for ax in (self.ax_loss, self.ax_acc):
            ax.xaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 2.5, 5, 10]))
        self.ax_loss.yaxis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
        for axis in (self.ax_regions.xaxis, self.ax_regions.yaxis):
            axis.set_major_locator(MaxNLocator(5, steps=[1, 2, 2.5, 5, 10]))
        self.ax_acc.set_yticks([0, 25, 50, 75, 100])
        self.ax_acc.set_ylim(0, 101)
        self.ax_loss.set_ylim(0, 1)
        right = self.epochs or FIRST_EPOCH_AXIS
        self.ax_loss.set_xlim(0, right)
        self.ax_acc.set_xlim(0, right)
        # Titles at an explicit height: matplotlib otherwise measures every tick label at each
        # full draw to see whether a title must move up (a fifth of the first frame's cost).
        self.ax_loss.set_title("Loss", y=1.0)
        self.ax_acc.set_title("Accuracy", y=1.0)
        self._set_region_title(0)
        # Fixed margins for this fixed size: tight_layout would cost a full layout (0.1 s here).
        # The regions keep their aspect (circles look round); their legend sits in the gap to
        # their right, off the data.
        self.figure.subplots_adjust(left=0.06, right=0.985, bottom=0.14, top=0.9, wspace=0.7)
        # What changes from frame to frame, in drawing order (the boundary and the points over
        # the regions).
        self._animated = [
            (self.ax_regions, self.image),
            (self.ax_regions, self.boundary),
            *[(self.ax_regions, c) for c in self.ax_regions.collections if c is not self.boundary],
            (self.ax_regions, self.ax_regions.title),
            *[(line.axes, line) for line in self.lines.values()],
        ]
        for _, artist in self._animated:
            artist.set_animated(True)
        self._background = None
        self.full_draws = 0
        #: What the latest frame cost without a full redraw (pasting the background, drawing what
        #: changes, encoding the PNG); 0 before the first frame.
        self.frame_seconds = 0.0

    def _set_legend(self, binary: bool) -> None:
        """The classes' legend, beside the regions (with the boundary's line for a binary model)."""
        handles, names = self.ax_regions.get_legend_handles_labels()
        if binary:
            handles.append(Line2D([], [], color="black", linestyle="--", linewidth=1.0))
            names.append("p = 0.5")
        self.ax_regions.legend(
            handles, names, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, fontsize=9, markerscale=1.5
        )
        self._legend_has_boundary = binary
        self._background = None  # the legend is part of the background

    def restart(self) -> None:
        """Back to epoch 0 on the same data: the curves' axes of a new run (the next ``draw``
        redraws everything)."""
        self._background = None
        self.ax_loss.set_ylim(0, 1)
        right = self.epochs or FIRST_EPOCH_AXIS
        self.ax_loss.set_xlim(0, right)
        self.ax_acc.set_xlim(0, right)

    def _set_region_title(self, epoch):
        prefix = f"{self.title}: " if self.title else ""
        # An explicit y: matplotlib then never moves the title at a full draw, so the frames
        # that redraw only what changed put it in the same place.
        self.ax_regions.set_title(f"{prefix}epoch {epoch}", fontsize="medium", y=1.0)

    def _fit_axes(self, history) -> bool:
        """Grow the curves' axes to hold the history; whether anything changed."""
        changed = False
        epochs = history.get("epoch", [])
        if epochs:
            right = self.ax_loss.get_xlim()[1]
            while epochs[-1] > right:
                right *= 4
            if right != self.ax_loss.get_xlim()[1]:
                self.ax_loss.set_xlim(0, right)
                self.ax_acc.set_xlim(0, right)
                changed = True
        losses = [
            v for key in ("train_loss", f"{self.held_out}_loss") for v in history.get(key, []) if math.isfinite(v)
        ]
        if losses:
            top = self.ax_loss.get_ylim()[1]
            if self._background is None:  # the first frame: fit the first losses
                top = 1.1 * max(losses) + 1e-9
            while max(losses) > top:
                top *= 2
            if top != self.ax_loss.get_ylim()[1]:
                self.ax_loss.set_ylim(0, top)
                changed = True
        return changed

    def draw(self, regions, history, epoch) -> bytes:
        """Redraw the changing artists for this frame.

        Args:
            regions: from ``helpers.decision.decision_regions``.
            history: the curves' numbers (see the class).
            epoch: shown in the regions' title.

        Returns:
            The frame as PNG bytes.
        """
        self.image.set_data(regions_to_rgba(regions))
        self.image.set_extent(pixel_extent(regions))
        binary = regions.n_classes == 2
        self.boundary.set_segments(boundary_lines(regions) if binary else [])
        if self._legend_has_boundary is not binary:
            self._set_legend(binary)
        epochs = history.get("epoch", [])
        for key, line in self.lines.items():
            values = history.get(key, [])
            line.set_data(epochs[: len(values)], values)
        if self._fit_axes(history):
            self._background = None
        self._set_region_title(epoch)
        return self.render()

    def render(self) -> bytes:
        """Draw the figure (the background once, then only what changes).

        Returns:
            The frame as PNG bytes.
        """
        if self._background is None:
            # The background: everything but the artists that change. They are hidden while it is
            # drawn (matplotlib 3.10, Colab's, still draws "animated" images in canvas.draw(),
            # which left each frame's translucent regions over the last one's).
            for _, artist in self._animated:
                artist.set_visible(False)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
            for _, artist in self._animated:
                artist.set_visible(True)
            self.full_draws += 1
        # A frame's own work (after a full draw too, so that frame_seconds is what every frame costs).
        started = time.perf_counter()
        self.canvas.restore_region(self._background)
        for ax, artist in self._animated:
            ax.draw_artist(artist)
        png = png_bytes(np.asarray(self.canvas.buffer_rgba()))
        self.frame_seconds = time.perf_counter() - started
        return png


def _number(value, name):
    """A float from a Python number, a NumPy scalar or a one-element tensor (None stays None)."""
    if value is None:
        return None
    if hasattr(value, "detach"):
        if value.numel() != 1:
            raise ValueError(f"{name} must be one number; got a tensor of shape {list(value.shape)}.")
        value = value.detach().cpu().item()
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number; got {type(value).__name__}.") from None


def _placeholder_png() -> bytes:
    """One white pixel: what the output area holds until the first frame replaces it."""
    return png_bytes(np.full((1, 1, 4), 255, dtype=np.uint8))


def _in_ipython() -> bool:
    return IPython.get_ipython() is not None


def torch_equal(a, b) -> bool:
    """Same shape and same values.

    Args:
        a, b: tensors.

    Returns:
        True if equal (False for different shapes, where torch.equal may raise).
    """
    return a.shape == b.shape and bool(torch.equal(a, b))


def frame_due(
    now: float,
    *,
    last_frame_at: float | None,
    first_frame_done_at: float | None,
    seconds_since_first: float,
    max_share: float,
    frames_per_second: float,
    frame_seconds: float = 0.0,
) -> bool:
    """Whether the live view draws a frame at this update: the one rule for its pace.

    The first frame is drawn at once, whatever it costs (the whole figure is drawn once): the
    picture appears as the loop starts. A later frame waits at least ``1 / frames_per_second``
    after the previous one, and for what the view has cost since the first frame, with two
    frames in reserve (this one, and the last one that ``finish()`` draws whatever the pace), to
    be within ``max_share`` of the loop's own time since then: the time since the first frame
    less the view's. A ``max_share`` of 1 sets no limit but the pace.

    Args:
        now: the time of this update (``time.perf_counter()``).
        last_frame_at: when the latest frame was drawn; None before the first.
        first_frame_done_at: when the first frame was finished; None before it.
        seconds_since_first: what the view has cost since then.
        max_share: the view's cost, at most this share of the loop's own time (0 < share <= 1).
        frames_per_second: the highest frame rate.
        frame_seconds: what one frame costs (without a full redraw of the figure).

    Returns:
        True when a frame is due.
    """
    if last_frame_at is None or first_frame_done_at is None:
        return True
    paced = now - last_frame_at >= 1.0 / frames_per_second
    if max_share >= 1:
        return paced
    loop_seconds = now - first_frame_done_at - seconds_since_first
    return paced and seconds_since_first + 2 * frame_seconds <= max_share * loop_seconds


class LiveView:
    """A picture of a training run that a learner updates from inside their own loop.

    Args:
        X_train, y_train: the training data, drawn over the decision regions ([N, 2] features,
            [N] labels; tensors on any device or arrays).
        X_test, y_test: optional; only used so that the picture's area also covers them.
        title: shown above the regions, followed by the epoch.
        epochs: the number of epochs the loop will run, if known (fixes the curves' x axis).
        grid_resolution: points per side of the regions' grid.
        max_share: after its first frame, the view may cost at most this share of the loop's
            own time (0 < share <= 1; 1: no limit but ``frames_per_second``), the last frame
            that ``finish()`` draws included.
        frames_per_second: at most this many frames a second (8: the boundary moves smoothly, and a
            loop of a second or two shows it bending).
        final_only: draw only at ``finish()``; None reads ``COURSE_LIVE_VIEW`` ("final"/"live").

    The model given to ``update`` is only evaluated (``helpers.decision.decision_regions``):
    its parameters, device and train/eval mode are left as they were.

    Raises:
        TypeError / ValueError: data as for ``helpers.plot_data``; ``epochs``,
            ``grid_resolution`` or ``max_share`` of the wrong kind or out of range.
    """

    def __init__(
        self,
        X_train,
        y_train,
        X_test=None,
        y_test=None,
        *,
        title: str | None = "Training",
        epochs: int | None = None,
        grid_resolution: int = 100,
        max_share: float = 0.2,
        frames_per_second: float = 8.0,
        final_only: bool | None = None,
    ):
        started = time.perf_counter()
        max_share = check_real(max_share, "max_share", "LiveView", low=0, high=1, low_open=True)
        frames_per_second = check_real(frames_per_second, "frames_per_second", "LiveView", low=0, low_open=True)
        grid_resolution = check_integer(grid_resolution, "grid_resolution", "LiveView", low=2)
        if epochs is not None:
            epochs = check_integer(epochs, "epochs", "LiveView", low=1)
        Xs = [X_train] if X_test is None else [X_train, X_test]
        self.extent = data_extent(*Xs)
        self.grid_resolution = grid_resolution
        self.max_share = float(max_share)
        self.frames_per_second = float(frames_per_second)
        self.final_only = making_stored_outputs() if final_only is None else bool(final_only)
        self.figure = TrainingFigure(X_train, y_train, self.extent, title=title, epochs=epochs)
        self.history = {"epoch": [], "train_loss": [], "test_loss": [], "train_acc": [], "test_acc": []}
        self.frames_drawn = 0
        self.png = None  # the latest frame drawn
        self._regions = None  # regions of the latest update drawn
        self._pending = None  # (model, copy of its weights) of an update not drawn yet
        self._drawn_epoch = None
        self._handle = None
        self._finished = False
        self._made_at = started
        self._last_frame_at = None  # when the latest frame was drawn
        self._after_first_frame = None  # (when, self.seconds) as the first frame was done
        #: Seconds spent inside the view (making it, update, finish): what it adds to a loop.
        self.seconds = time.perf_counter() - started
        #: Of those, the seconds up to and including the first frame (None before it is drawn).
        self.first_frame_seconds = None

    def update(self, model, epoch, *, train_loss=None, test_loss=None, train_acc=None, test_acc=None):
        """Record the latest numbers and the model's regions at ``epoch``; redraw if it is time.

        Args:
            model: the model being trained (only evaluated; it is left as it was).
            epoch: the epoch these numbers belong to (a whole number, increasing).
            train_loss, test_loss, train_acc, test_acc: floats or one-element tensors (``loss``
                itself is fine); accuracies in percent, as ``helpers.accuracy_fn`` gives them (a
                torchmetrics accuracy is a fraction: multiply it by 100). Any may be left out.

        Returns:
            self.

        Raises:
            RuntimeError: the view is finished.
            TypeError / ValueError: an epoch that is not a whole number or does not increase, or a
                number that is not one number.
        """
        started = time.perf_counter()
        if self._finished:
            raise RuntimeError("this LiveView is finished; make a new one for a new training run.")
        epoch = check_integer(epoch, "epoch", "LiveView.update", low=0)
        if self.history["epoch"] and epoch <= self.history["epoch"][-1]:
            raise ValueError(f"epoch {epoch} comes after epoch {self.history['epoch'][-1]}: epochs must increase.")
        values = {"train_loss": train_loss, "test_loss": test_loss, "train_acc": train_acc, "test_acc": test_acc}
        values = {key: _number(value, key) for key, value in values.items()}
        self.history["epoch"].append(int(epoch))
        for key, value in values.items():
            # A missing value becomes NaN, so the curves keep their epochs (matplotlib skips NaN).
            self.history[key].append(math.nan if value is None else value)
        if not self.final_only and self._time_to_draw():
            self._regions = decision_regions(model, self.extent, grid_resolution=self.grid_resolution)
            self._pending = None
            self._draw()
            if self._after_first_frame is None:
                self.first_frame_seconds = self.seconds + time.perf_counter() - started
                self._after_first_frame = (time.perf_counter(), self.first_frame_seconds)
        else:
            if self._handle is None and _in_ipython():
                # The output area is made at the first update in both modes, so a cell's outputs
                # come in the same order whichever mode ran it (nbval compares them in order).
                self._show(_placeholder_png())
            # Not drawn now: keep a copy of the weights (cheaper than evaluating the grid), so
            # that finish() can draw this update even if the model trains on afterwards.
            self._pending = (model, {k: v.detach().clone() for k, v in model.state_dict().items()})
        self.seconds += time.perf_counter() - started
        return self

    def finish(self):
        """Draw the last update (if it is not on screen yet).

        Returns:
            None, so that a cell ending with ``live.finish()`` shows nothing more than the picture.

        Raises:
            RuntimeError: no update yet.
        """
        started = time.perf_counter()
        if not self.history["epoch"]:
            raise RuntimeError("nothing to draw: call update(model, epoch, ...) at least once first.")
        if self._pending is not None:
            self._regions = self._regions_of_snapshot(*self._pending)
            self._pending = None
        if self._drawn_epoch != self.history["epoch"][-1]:
            self._draw()
        self._finished = True
        self.seconds += time.perf_counter() - started

    def _regions_of_snapshot(self, model, state):
        """The regions of ``model`` with the weights ``state``, from a copy: the model is not touched."""
        current = model.state_dict()
        if all(torch_equal(current[k], v) for k, v in state.items()):  # it has not trained since
            return decision_regions(model, self.extent, grid_resolution=self.grid_resolution)
        twin = copy.deepcopy(model)
        twin.load_state_dict(state)
        return decision_regions(twin, self.extent, grid_resolution=self.grid_resolution)

    def _time_to_draw(self) -> bool:
        first = self._after_first_frame
        return frame_due(
            time.perf_counter(),
            last_frame_at=self._last_frame_at,
            first_frame_done_at=None if first is None else first[0],
            seconds_since_first=0.0 if first is None else self.seconds - first[1],
            max_share=self.max_share,
            frames_per_second=self.frames_per_second,
            frame_seconds=self.figure.frame_seconds,
        )

    def _draw(self):
        self._last_frame_at = time.perf_counter()
        self.png = self.figure.draw(self._regions, self.history, self.history["epoch"][-1])
        self._drawn_epoch = self.history["epoch"][-1]
        self.frames_drawn += 1
        self._show(self.png)

    def _show(self, png: bytes):
        if not _in_ipython():  # a plain Python script: nothing to show the picture in
            return
        if self._handle is None:
            self._handle = IPython.display.display(IPython.display.Image(data=png, format="png"), display_id=True)
        else:
            self._handle.update(IPython.display.Image(data=png, format="png"))
