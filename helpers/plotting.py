"""Plotting: data, decision regions, straight-line predictions, loss curves, confusion matrices.

Drawing only: what a model predicts where comes from ``helpers.decision`` (compute), so tests
can compare a picture's numbers with the model's own outputs. Every function draws into the
``ax`` it is given (so it works inside subplots) or makes a new figure when ``ax`` is None, and
returns what it drew on. None of them changes its inputs: a model keeps its device, parameters
and train/eval mode; tensors stay where they are.

One visual language for the whole course (``helpers.style``: the palette and the figure style):
the Okabe-Ito colours (safe for colour-blind readers), one colour and one marker per class
(class 0 is always orange circles), white opaque figure backgrounds (readable in dark themes),
titles and labelled axes everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.lines import Line2D

from helpers.decision import Regions, data_extent, decision_regions
from helpers.style import CLASS_COLOURS, CLASS_MARKERS, CURVE_COLOURS, apply_course_style, text_colour_on
from helpers.validation import as_features, as_labels, as_numpy, check_extent, check_model, check_real

__all__ = [
    "CLASS_COLOURS",
    "CLASS_MARKERS",
    "CURVE_COLOURS",
    "apply_course_style",
    "regions_to_rgba",
    "plot_data",
    "plot_decision_boundary",
    "plot_train_test_boundaries",
    "drawn_regions",
    "pixel_extent",
    "REGIONS_GID",
    "plot_predictions",
    "plot_loss_curves",
    "plot_confusion_matrix",
]

REGIONS_GID = "decision-regions"
_RGB_TABLE = np.array([to_rgb(c) for c in CLASS_COLOURS])


def _check_n_classes(n_classes: int) -> None:
    if n_classes > len(CLASS_COLOURS):
        raise ValueError(
            f"the course's plots draw at most {len(CLASS_COLOURS)} classes (one colour and one marker "
            f"each); got {n_classes}."
        )


def _new_axes(ax, figsize=(6, 5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    elif not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}.")
    return ax


def regions_to_rgba(regions: Regions, *, show_probability: bool = True) -> np.ndarray:
    """Colour a grid of predictions, for ``Axes.imshow(origin="lower")``.

    The RGB of each pixel is exactly the colour of the predicted class (tests/test_plotting.py
    reads the labels back from the colours). With ``show_probability`` the opacity grows with
    the model's confidence: from 0.05 where the top class is no more likely than a uniform guess
    (0.5 for two classes) to 0.6 where it is certain. Without it, every pixel has opacity 0.35.

    Args:
        regions: from ``helpers.decision.decision_regions``.
        show_probability: shade by confidence.

    Returns:
        float [R, R, 4] RGBA.

    Raises:
        TypeError: not a ``Regions``.
        ValueError: more classes than the palette has colours.
    """
    if not isinstance(regions, Regions):
        raise TypeError(f"regions must come from helpers.decision.decision_regions; got {type(regions).__name__}.")
    _check_n_classes(regions.n_classes)
    rgba = np.empty((*regions.labels.shape, 4))
    rgba[..., :3] = _RGB_TABLE[regions.labels]
    if show_probability:
        k = regions.n_classes
        top = regions.probs.max(axis=-1)
        confidence = np.clip((top - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
        rgba[..., 3] = 0.05 + 0.55 * confidence
    else:
        rgba[..., 3] = 0.35
    return rgba


def drawn_regions(ax) -> Regions | None:
    """What ``plot_decision_boundary`` (or ``plot_train_test_boundaries``) computed and drew on ``ax``.

    Like scikit-learn's ``DecisionBoundaryDisplay.response``: the numbers behind the picture, so
    a check or a test compares them with the model's predictions instead of reading pixels.

    Args:
        ax: a matplotlib Axes.

    Returns:
        The ``helpers.decision.Regions`` drawn last on ``ax`` (grid ``xs``, ``ys``; ``labels``,
        ``probs``), or None if no decision regions were drawn there.

    Raises:
        TypeError: ``ax`` is not an Axes.
    """
    if not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes; got {type(ax).__name__}.")
    images = [image for image in ax.get_images() if image.get_gid() == REGIONS_GID]
    return images[-1].regions if images else None


def pixel_extent(regions: Regions) -> tuple[float, float, float, float]:
    """The ``imshow`` extent that puts each pixel's centre on its grid point.

    Args:
        regions: from ``helpers.decision.decision_regions``.

    Returns:
        (left, right, bottom, top).
    """
    dx = (regions.xs[-1] - regions.xs[0]) / (len(regions.xs) - 1) / 2
    dy = (regions.ys[-1] - regions.ys[0]) / (len(regions.ys) - 1) / 2
    return (regions.xs[0] - dx, regions.xs[-1] + dx, regions.ys[0] - dy, regions.ys[-1] + dy)


def _scatter_classes(ax, X: np.ndarray, y: np.ndarray, class_names=None, **scatter_kwargs) -> None:
    classes = np.unique(y)
    if classes.min() < 0:
        raise ValueError(f"y must hold class labels 0, 1, 2, ...; it contains {classes.min()}.")
    _check_n_classes(int(classes.max()) + 1)
    options = {"s": 22, "linewidths": 0.5}
    options.update(scatter_kwargs)
    for k in classes:
        name = class_names[k] if class_names is not None and k < len(class_names) else f"class {k}"
        rows = y == k
        # a black edge, or a white one on a dark class colour, so that each point of a dense blob shows
        edge = {"edgecolors": text_colour_on(CLASS_COLOURS[k])} if "edgecolors" not in options else {}
        ax.scatter(X[rows, 0], X[rows, 1], c=CLASS_COLOURS[k], marker=CLASS_MARKERS[k], label=name, **edge, **options)


def _label_plane(ax, title):
    ax.set_xlabel("feature 1, X[:, 0]")
    ax.set_ylabel("feature 2, X[:, 1]")
    if title is not None:
        ax.set_title(title)


def plot_data(X, y, *, ax=None, title: str | None = None, class_names=None, equal_aspect: bool = True, extent=None):
    """Scatter two-feature data, one colour and marker per class, with a legend.

    Args:
        X: features [N, 2]; tensor on any device or NumPy array.
        y: labels [N] or [N, 1], whole numbers 0 .. K-1 (float or integer).
        ax: the Axes to draw on; None makes a new figure.
        title: the Axes title.
        class_names: optional names for the legend, one per class.
        equal_aspect: draw one unit the same length on both axes (circles look round).
        extent: (xmin, xmax, ymin, ymax) to show, e.g. ``data_extent(X_train, X_val)`` to give
            panels that are compared the same frame; default: matplotlib's own limits.

    Returns:
        The matplotlib Axes.
    """
    X = as_features(X, "X")
    y = as_labels(y, "y", n_samples=X.shape[0])
    ax = _new_axes(ax)
    _scatter_classes(ax, X, y, class_names)
    if extent is not None:
        xmin, xmax, ymin, ymax = check_extent(extent, "plot_data")
        ax.set_xlim(xmin, xmax)
        ax.set_ylim(ymin, ymax)
    if equal_aspect:
        # "box" (not "datalim"): works on panels that share their axes too
        ax.set_aspect("equal", adjustable="box")
    _label_plane(ax, title)
    ax.legend(loc="best", fontsize="small")
    return ax


def _draw_regions(ax, regions, X, y, *, show_probability, legend, title, class_names, scatter_kwargs):
    image = ax.imshow(
        regions_to_rgba(regions, show_probability=show_probability),
        origin="lower",
        extent=pixel_extent(regions),
        interpolation="nearest",
        aspect="equal",
    )
    image.set_gid(REGIONS_GID)
    image.regions = regions  # the numbers behind the picture: drawn_regions(ax)
    if regions.n_classes == 2:
        # The boundary itself: where the model is exactly undecided, p(class 1) = 0.5.
        ax.contour(
            regions.xs, regions.ys, regions.probs[..., 1], levels=[0.5], colors="black", linewidths=1.0, linestyles="--"
        )
    _scatter_classes(ax, X, y, class_names, **scatter_kwargs)
    xmin, xmax, ymin, ymax = regions.extent
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    _label_plane(ax, title)
    if legend:
        handles, names = ax.get_legend_handles_labels()
        if regions.n_classes == 2:
            handles.append(Line2D([], [], color="black", linestyle="--", linewidth=1.0))
            names.append("p = 0.5")
        ax.legend(handles, names, loc="upper right", fontsize="small", framealpha=0.85)


def plot_decision_boundary(
    model,
    X,
    y,
    *,
    ax=None,
    extent=None,
    grid_resolution: int = 100,
    margin: float = 0.1,
    title: str | None = None,
    show_probability: bool = True,
    legend: bool = True,
    class_names=None,
    **scatter_kwargs,
):
    """Colour the plane by the class ``model`` predicts there, and scatter the data on top.

    Whether the model is binary or multi-class is read from its output width, not from the
    labels in ``y``: one column of logits means binary (class 1 where sigmoid(logit) > 0.5),
    two or more mean multi-class (argmax). See ``helpers.decision``.

    Args:
        model: a ``torch.nn.Module`` taking [N, 2] features; evaluated on its own device in eval
            mode under ``torch.inference_mode()``; its mode is restored afterwards.
        X: features, shape [N, 2]; tensor on any device or NumPy array, any real dtype.
        y: labels, shape [N] or [N, 1]; float (0.0/1.0) or integer.
        ax: the Axes to draw on; None makes a new figure.
        extent: (xmin, xmax, ymin, ymax) to draw; default: the data's own, plus ``margin``.
            Give panels that are compared the same extent (``plot_train_test_boundaries`` does).
        grid_resolution: points per side of the grid the model is evaluated on (>= 2).
        margin: extra space around the data, as a fraction of its range (when no extent is given).
        title: an optional title for the Axes.
        show_probability: shade each region by the model's confidence (pale = unsure); for a
            binary model a dashed line marks p = 0.5.
        legend: draw a legend of the classes.
        class_names: optional names for the legend.
        **scatter_kwargs: passed on to ``Axes.scatter`` for the data points.

    Returns:
        The matplotlib Axes. The regions it computed and drew (grid and labels) are
        ``drawn_regions(ax)``.

    Raises:
        TypeError: ``model`` is not a Module, ``X``/``y`` are not tensors or arrays, ``ax`` is not an Axes.
        ValueError: ``X`` is not [N, 2] or is empty or not finite, ``y`` has another length or
            holds non-integers, a bad extent or ``grid_resolution``, or the model cannot be evaluated.
    """
    check_model(model)
    X = as_features(X, "X")
    y = as_labels(y, "y", n_samples=X.shape[0])
    if extent is None:
        extent = data_extent(X, margin=margin)
    regions = decision_regions(model, extent, grid_resolution=grid_resolution)
    ax = _new_axes(ax)
    _draw_regions(
        ax,
        regions,
        X,
        y,
        show_probability=show_probability,
        legend=legend,
        title=title,
        class_names=class_names,
        scatter_kwargs=scatter_kwargs,
    )
    return ax


def plot_train_test_boundaries(
    model,
    X_train,
    y_train,
    X_test,
    y_test,
    *,
    title: str | None = None,
    show_probability: bool = True,
    grid_resolution: int = 100,
    class_names=None,
    names=("train", "test"),
    extent=None,
    figsize=(11, 5),
):
    """Decision regions for the training and the test data, side by side on the same axes.

    Both panels share one extent (by default covering both data sets; or ``extent``, to match
    other figures) and one grid of predictions, so what differs between them is only the data
    drawn on top. ``names`` label the two panels, e.g. ("train", "validation").

    Args:
        model: as for ``plot_decision_boundary``.
        X_train, y_train, X_test, y_test: the two data sets, as for ``plot_decision_boundary``.
        title: an optional title for the figure.
        show_probability, grid_resolution, class_names, extent: as for ``plot_decision_boundary``.
        names: the two panels' names, in their titles.
        figsize: (width, height) of the figure in inches; narrower than the default for data
            taller than wide, so that the equal-aspect panels leave no wide gap between them.

    Returns:
        [ax_train, ax_test]; the regions both show are ``drawn_regions(ax)`` of either.

    Raises:
        TypeError / ValueError: as for ``plot_decision_boundary``; ``figsize`` not two positive numbers.
    """
    check_model(model)
    if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
        raise TypeError(
            "The 'figsize' parameter of plot_train_test_boundaries must be a (width, height) pair. "
            f"Got {figsize!r} instead."
        )
    figsize = tuple(
        check_real(size, f"figsize[{i}]", "plot_train_test_boundaries", low=0, low_open=True)
        for i, size in enumerate(figsize)
    )
    X_train = as_features(X_train, "X_train")
    X_test = as_features(X_test, "X_test")
    y_train = as_labels(y_train, "y_train", n_samples=X_train.shape[0])
    y_test = as_labels(y_test, "y_test", n_samples=X_test.shape[0])
    if extent is None:
        extent = data_extent(X_train, X_test)
    regions = decision_regions(model, extent, grid_resolution=grid_resolution)
    fig, axes = plt.subplots(1, 2, figsize=figsize, sharex=True, sharey=True)
    for ax, X, y, name, legend in (
        (axes[0], X_train, y_train, names[0], True),
        (axes[1], X_test, y_test, names[1], False),
    ):
        _draw_regions(
            ax,
            regions,
            X,
            y,
            show_probability=show_probability,
            legend=legend,
            title=f"{name} ({X.shape[0]} points)",
            class_names=class_names,
            scatter_kwargs={},
        )
    if title is not None:
        fig.suptitle(title)
    fig.tight_layout()
    return list(axes)


def _as_column(values, name: str) -> np.ndarray:
    values = as_numpy(values, name).astype(np.float64)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise ValueError(f"{name} must have shape [N] or [N, 1]; got shape {list(values.shape)}.")
    if values.shape[0] == 0:
        raise ValueError(f"{name} is empty.")
    return values


def plot_predictions(
    train_data,
    train_labels,
    test_data,
    test_labels,
    predictions=None,
    *,
    ax=None,
    title: str | None = None,
):
    """Scatter a one-feature regression problem: training data, test data and (optionally)
    the model's predictions for the test inputs.

    Args:
        train_data, train_labels: inputs and targets used for training, shape [N] or [N, 1].
        test_data, test_labels: inputs and targets held out for testing, shape [M] or [M, 1].
        predictions: the model's outputs for ``test_data``, shape [M] or [M, 1], or None.
        ax: the Axes to draw on; None makes a new figure.
        title: an optional title.

    Tensors may be on any device (they are copied to the CPU, never moved) or NumPy arrays.

    Returns:
        The matplotlib Axes.

    Raises:
        TypeError / ValueError: an argument is not a tensor/array, is empty, is not one column,
            or its length does not match its partner's.
    """
    pairs = [
        ("train_data", train_data, "train_labels", train_labels),
        ("test_data", test_data, "test_labels", test_labels),
    ]
    if predictions is not None:
        pairs.append(("test_data", test_data, "predictions", predictions))
    arrays = {}
    for x_name, x, y_name, y in pairs:
        arrays[x_name] = _as_column(x, x_name)
        arrays[y_name] = _as_column(y, y_name)
        if arrays[x_name].shape[0] != arrays[y_name].shape[0]:
            raise ValueError(
                f"{x_name} has {arrays[x_name].shape[0]} values but {y_name} has "
                f"{arrays[y_name].shape[0]}: they must have the same length."
            )
    ax = _new_axes(ax, figsize=(7, 4.5))
    ax.scatter(arrays["train_data"], arrays["train_labels"], s=12, c=CURVE_COLOURS["train"], label="training data")
    # Test targets as rings and predictions as crosses: where a prediction is right, the cross
    # sits inside its ring, and both stay visible.
    ax.scatter(
        arrays["test_data"],
        arrays["test_labels"],
        s=60,
        facecolors="none",
        edgecolors=CURVE_COLOURS["val"],
        linewidths=1.5,
        label="test data",
    )
    if predictions is not None:
        ax.scatter(
            arrays["test_data"],
            arrays["predictions"],
            s=30,
            marker="x",
            c=CURVE_COLOURS["test"],
            label="predictions on the test inputs",
        )
    ax.set_xlabel("input x")
    ax.set_ylabel("target y")
    ax.legend()
    if title is not None:
        ax.set_title(title)
    return ax


_PANELS = (("loss", "Loss"), ("acc", "Accuracy (%)"))
_SPLITS = ("train", "val", "test")
_SPLIT_NAMES = {"train": "train", "val": "validation", "test": "test"}


def plot_loss_curves(history, *, axes=None, title: str | None = None, held_out_dashed: bool = False):
    """Draw loss (and accuracy) curves per epoch from the history a training loop keeps.

    Args:
        history: a mapping with ``"train_loss"`` and at least one of ``"val_loss"`` and
            ``"test_loss"``; optionally ``"train_acc"`` with ``"val_acc"`` / ``"test_acc"``
            (the same splits as the losses); each a sequence of numbers (floats, 0-d tensors),
            one value per recorded epoch, all of the same length; and optionally ``"epoch"``,
            the epoch numbers (default 0, 1, 2, ...).
        axes: a sequence of Axes, one per panel (loss, then accuracy if present); None makes a figure.
        title: an optional title for the whole figure.
        held_out_dashed: draw the training curve wide and solid and the held-out curves dashed on top
            of it, so that where the two coincide both stay visible.

    Returns:
        A list of Axes: [loss] or [loss, accuracy].

    Raises:
        TypeError / ValueError: ``history`` is not a mapping, a required key is missing, a
            sequence is empty, not numeric, or of another length than the others.
    """
    if not isinstance(history, Mapping):
        raise TypeError(f"history must be a dict of lists; got {type(history).__name__}.")
    if not isinstance(held_out_dashed, bool):
        raise TypeError(f"held_out_dashed must be True or False; got {held_out_dashed!r}.")
    held_out = [split for split in ("val", "test") if f"{split}_loss" in history]
    if "train_loss" not in history or not held_out:
        raise ValueError(
            "history is missing keys: it needs 'train_loss' and 'val_loss' or 'test_loss' "
            f"(optionally 'train_acc' with 'val_acc'/'test_acc', and 'epoch'). It has {sorted(history)}."
        )
    series = {}
    for key in ["epoch"] + [f"{s}_{p}" for p, _ in _PANELS for s in _SPLITS]:
        if key not in history:
            continue
        try:
            values = np.array([float(v) for v in history[key]], dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise TypeError(f"history[{key!r}] must be a sequence of numbers: {error}") from error
        if values.size == 0:
            raise ValueError(f"history[{key!r}] is empty: record at least one epoch.")
        series[key] = values
    lengths = {key: len(values) for key, values in series.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"history's sequences must all have the same length; got {lengths}.")
    splits = ["train", *held_out]
    has_acc = [f"{s}_acc" in series for s in splits]
    if any(has_acc) and not all(has_acc):
        raise ValueError(
            f"history has accuracies for some splits only: give both or neither of {[f'{s}_acc' for s in splits]}."
        )
    epochs = series.get("epoch", np.arange(lengths["train_loss"]))

    panels = [(name, label) for name, label in _PANELS if f"train_{name}" in series]
    made_figure = axes is None
    if made_figure:
        fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4), squeeze=False)
        axes = list(axes[0])
    else:
        axes = list(np.ravel(axes)) if not isinstance(axes, plt.Axes) else [axes]
        if len(axes) != len(panels) or not all(isinstance(a, plt.Axes) for a in axes):
            raise ValueError(f"axes must hold {len(panels)} matplotlib Axes (one per panel: {[n for n, _ in panels]}).")
    for ax, (name, label) in zip(axes, panels):
        for split in splits:
            style = {}
            if held_out_dashed:
                style = {"linewidth": 2.5} if split == "train" else {"linestyle": "--", "zorder": 3}
            ax.plot(
                epochs,
                series[f"{split}_{name}"],
                color=CURVE_COLOURS[split],
                label=f"{_SPLIT_NAMES[split]} {name}",
                **style,
            )
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.set_title(f"{label.split(' ')[0]} per epoch")
        ax.legend()
    if title is not None:
        axes[0].figure.suptitle(title)
    if made_figure:
        # Laid out once, here: constrained layout would redo it at every draw.
        axes[0].figure.tight_layout()
    return axes


def plot_confusion_matrix(confmat, *, class_names=None, ax=None, title: str | None = "Confusion matrix"):
    """Draw a confusion matrix as a picture, with the count in each cell.

    Args:
        confmat: square matrix [K, K] of non-negative counts; row i = true class i, column j =
            predicted class j (the convention of torchmetrics and scikit-learn). Tensor (any
            device) or NumPy array.
        class_names: K names for the classes; default "0" .. "K-1".
        ax: the Axes to draw on; None makes a new figure.
        title: the Axes title.

    Returns:
        The matplotlib Axes.

    Raises:
        TypeError / ValueError: not a tensor/array, not square, empty, negative or non-finite
            counts, or a wrong number of class names.
    """
    matrix = as_numpy(confmat, "confmat").astype(np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise ValueError(f"confmat must be a square [K, K] matrix; got shape {list(matrix.shape)}.")
    if not np.isfinite(matrix).all() or (matrix < 0).any():
        raise ValueError("confmat must hold finite, non-negative counts.")
    n_classes = matrix.shape[0]
    if class_names is None:
        class_names = [str(i) for i in range(n_classes)]
    class_names = [str(name) for name in class_names]
    if len(class_names) != n_classes:
        raise ValueError(f"class_names has {len(class_names)} names but confmat has {n_classes} classes.")

    ax = _new_axes(ax, figsize=(5, 4.5))
    cmap = LinearSegmentedColormap.from_list("course_counts", ["#ffffff", CLASS_COLOURS[4]])
    image = ax.imshow(matrix, cmap=cmap, vmin=0)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="count")
    for i in range(n_classes):
        for j in range(n_classes):
            value = matrix[i, j]
            text = f"{int(value)}" if value == int(value) else f"{value:.2f}"
            cell_colour = image.cmap(image.norm(value))
            ax.text(j, i, text, ha="center", va="center", color=text_colour_on(cell_colour))
    ax.set_xticks(range(n_classes), class_names)
    ax.set_yticks(range(n_classes), class_names)
    if n_classes <= len(CLASS_COLOURS):  # each class name on a chip of its colour, as in every other figure
        for ticks in (ax.get_xticklabels(), ax.get_yticklabels()):
            for k, tick in enumerate(ticks):
                tick.set_color(text_colour_on(CLASS_COLOURS[k]))
                tick.set_fontweight("bold")
                tick.set_bbox({"boxstyle": "round,pad=0.3", "facecolor": CLASS_COLOURS[k], "edgecolor": "none"})
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if title is not None:
        ax.set_title(title)
    return ax
