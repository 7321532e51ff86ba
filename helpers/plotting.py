"""Plotting: decision boundaries, straight-line predictions, loss curves and confusion matrices.

Every function draws into the ``ax`` it is given (so it works inside subplots) or makes a new
figure when ``ax`` is None, and returns the Axes it drew on, so the caller can add to it.
None of them changes its inputs: a model keeps its device and train/eval mode, tensors stay
where they are.
"""
from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.colors import ListedColormap

from helpers._inputs import (
    as_features,
    as_labels,
    as_numpy,
    check_model,
    run_model,
)

__all__ = [
    "plot_decision_boundary",
    "plot_predictions",
    "plot_loss_curves",
    "plot_confusion_matrix",
]

# Colours for up to ten classes: red and blue first (the two circles), then distinct hues.
_CLASS_COLOURS = [
    "#d7301f", "#2b8cbe", "#31a354", "#fe9929", "#756bb1",
    "#636363", "#e7298a", "#66a61e", "#a6761d", "#1b9e77",
]


def _class_colours(n_classes: int) -> ListedColormap:
    if n_classes <= len(_CLASS_COLOURS):
        return ListedColormap(_CLASS_COLOURS[:n_classes])
    return ListedColormap(plt.get_cmap("tab20")(np.linspace(0, 1, n_classes)))


def _new_axes(ax, figsize=(6, 5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    elif not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}.")
    return ax


def predict_labels_on(model: torch.nn.Module, X: np.ndarray) -> tuple[np.ndarray, int]:
    """Evaluate ``model`` on the points ``X`` ([N, 2], NumPy) and return (labels [N], n_classes).

    The model stays on its device and in its train/eval mode; the points are sent to it. One
    output column means binary logits (label 1 where sigmoid(logit) > 0.5); two or more columns
    mean one logit per class (label = argmax).
    """
    try:
        logits = run_model(model, X)
    except Exception as error:  # a model built for another number of features, say
        raise ValueError(
            f"model could not be evaluated on points with 2 features: {type(error).__name__}: {error}"
        ) from error
    if not isinstance(logits, torch.Tensor):
        raise TypeError(f"model must return a tensor of logits; it returned {type(logits).__name__}.")
    logits = logits.detach().float().cpu()
    if logits.ndim == 1:
        logits = logits[:, None]
    if logits.ndim != 2 or logits.shape[0] != X.shape[0] or logits.shape[1] == 0:
        raise ValueError(
            f"model returned shape {list(logits.shape)} for {X.shape[0]} points; expected "
            f"[{X.shape[0]}, 1] (binary logits) or [{X.shape[0]}, n_classes]."
        )
    if logits.shape[1] == 1:
        return (torch.sigmoid(logits[:, 0]) > 0.5).long().numpy(), 2
    return logits.argmax(dim=1).numpy(), logits.shape[1]


def plot_decision_boundary(
    model,
    X,
    y,
    *,
    ax=None,
    grid_resolution: int = 100,
    margin: float = 0.1,
    title: str | None = None,
    alpha: float = 0.35,
    **scatter_kwargs,
):
    """Colour the plane by the class ``model`` predicts there, and scatter the data on top.

    Whether the model is binary or multi-class is read from its output width, not from the
    labels in ``y``: one column of logits means binary (sigmoid, threshold 0.5), two or more
    mean multi-class (argmax).

    Args:
        model: a ``torch.nn.Module`` taking [N, 2] features. It is evaluated on its own device
            in eval mode under ``torch.inference_mode()``; its mode is restored afterwards.
        X: features, shape [N, 2]; tensor on any device or NumPy array, any real dtype.
        y: labels, shape [N] or [N, 1]; float (0.0/1.0) or integer.
        ax: the Axes to draw on; None makes a new figure.
        grid_resolution: points per side of the grid the model is evaluated on (>= 2).
        margin: extra space around the data, as a fraction of its range.
        title: an optional title for the Axes.
        alpha: opacity of the coloured regions.
        **scatter_kwargs: passed on to ``Axes.scatter`` for the data points.

    Returns:
        The matplotlib Axes.

    Raises:
        TypeError: ``model`` is not a Module, ``X``/``y`` are not tensors or arrays, ``ax`` is not an Axes.
        ValueError: ``X`` is not [N, 2] or is empty or not finite, ``y`` has another length or
            holds non-integers, ``grid_resolution`` < 2, or the model cannot be evaluated.
    """
    check_model(model)
    X = as_features(X, "X")
    y = as_labels(y, "y", n_samples=X.shape[0])
    if isinstance(grid_resolution, bool) or not isinstance(grid_resolution, (int, np.integer)):
        raise TypeError(f"grid_resolution must be an integer; got {type(grid_resolution).__name__}.")
    if grid_resolution < 2:
        raise ValueError(f"grid_resolution must be at least 2; got {grid_resolution}.")
    if not np.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be a finite number >= 0; got {margin}.")
    ax = _new_axes(ax)

    lows, highs = X.min(axis=0), X.max(axis=0)
    pad = np.maximum(highs - lows, 1e-3) * margin + 1e-3
    xs = np.linspace(lows[0] - pad[0], highs[0] + pad[0], grid_resolution)
    ys = np.linspace(lows[1] - pad[1], highs[1] + pad[1], grid_resolution)
    xx, yy = np.meshgrid(xs, ys)
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    grid_labels, n_classes = predict_labels_on(model, grid)
    n_classes = max(n_classes, int(y.max()) + 1) if y.min() >= 0 else n_classes

    cmap = _class_colours(n_classes)
    levels = np.arange(n_classes + 1) - 0.5
    ax.contourf(xx, yy, grid_labels.reshape(xx.shape), levels=levels, cmap=cmap, alpha=alpha)
    scatter_options = {"s": 18, "edgecolors": "black", "linewidths": 0.4}
    scatter_options.update(scatter_kwargs)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=-0.5, vmax=n_classes - 0.5, **scatter_options)
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("feature 1, X[:, 0]")
    ax.set_ylabel("feature 2, X[:, 1]")
    if title is not None:
        ax.set_title(title)
    return ax


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
    pairs = [("train_data", train_data, "train_labels", train_labels),
             ("test_data", test_data, "test_labels", test_labels)]
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
    ax.scatter(arrays["train_data"], arrays["train_labels"], s=10, c="#2b8cbe", label="Training data")
    ax.scatter(arrays["test_data"], arrays["test_labels"], s=40, c="#31a354", label="Testing data")
    if predictions is not None:
        ax.scatter(arrays["test_data"], arrays["predictions"], s=12, c="#d7301f", label="Predictions")
    ax.set_xlabel("input x")
    ax.set_ylabel("target y")
    ax.legend()
    if title is not None:
        ax.set_title(title)
    return ax


_CURVES = (("loss", "Loss"), ("acc", "Accuracy (%)"))


def plot_loss_curves(history, *, axes=None, title: str | None = None):
    """Draw training and test curves from the history a training loop keeps.

    Args:
        history: a mapping with ``"train_loss"`` and ``"test_loss"`` (required) and optionally
            ``"train_acc"`` and ``"test_acc"``, each a sequence of numbers (floats, 0-d tensors)
            with one value per recorded epoch, all of the same length; and optionally
            ``"epoch"``, the epoch numbers (default 0, 1, 2, ...).
        axes: a sequence of Axes, one per panel (loss, then accuracy if present); None makes a figure.
        title: an optional title for the whole figure.

    Returns:
        A list of Axes: [loss] or [loss, accuracy].

    Raises:
        TypeError / ValueError: ``history`` is not a mapping, a required key is missing, a
            sequence is empty, not numeric, or of another length than the others.
    """
    if not isinstance(history, Mapping):
        raise TypeError(f"history must be a dict of lists; got {type(history).__name__}.")
    missing = [key for key in ("train_loss", "test_loss") if key not in history]
    if missing:
        raise ValueError(
            f"history is missing {missing}; it needs 'train_loss' and 'test_loss' "
            f"(and optionally 'train_acc', 'test_acc', 'epoch'). It has {sorted(history)}."
        )
    series = {}
    for key in ("epoch", "train_loss", "test_loss", "train_acc", "test_acc"):
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
    if ("train_acc" in series) != ("test_acc" in series):
        raise ValueError("history must have both 'train_acc' and 'test_acc', or neither.")
    epochs = series.get("epoch", np.arange(lengths["train_loss"]))

    panels = [name for name, _ in _CURVES if f"train_{name}" in series]
    made_figure = axes is None
    if made_figure:
        fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 4), squeeze=False)
        axes = list(axes[0])
    else:
        axes = list(np.ravel(axes)) if not isinstance(axes, plt.Axes) else [axes]
        if len(axes) != len(panels) or not all(isinstance(a, plt.Axes) for a in axes):
            raise ValueError(f"axes must hold {len(panels)} matplotlib Axes (one per panel: {panels}).")
    for ax, (name, label) in zip(axes, [c for c in _CURVES if c[0] in panels]):
        ax.plot(epochs, series[f"train_{name}"], label=f"train {name}")
        ax.plot(epochs, series[f"test_{name}"], label=f"test {name}")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.set_title(f"{label.split(' ')[0]} per epoch")
        ax.legend()
    if title is not None:
        axes[0].figure.suptitle(title)
    if made_figure:
        # Laid out once, here: constrained layout would redo it at every draw (about 0.15 s
        # more per figure in a notebook, which draws each figure twice to crop it).
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
    image = ax.imshow(matrix, cmap="Blues", vmin=0)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="count")
    threshold = matrix.max() / 2 if matrix.max() > 0 else 1
    for i in range(n_classes):
        for j in range(n_classes):
            value = matrix[i, j]
            text = f"{int(value)}" if value == int(value) else f"{value:.2f}"
            ax.text(j, i, text, ha="center", va="center",
                    color="white" if value > threshold else "black")
    ax.set_xticks(range(n_classes), class_names)
    ax.set_yticks(range(n_classes), class_names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if title is not None:
        ax.set_title(title)
    return ax
