"""Decisions: what class a model predicts, and where on the plane.

Compute only, no drawing: ``helpers.plotting`` and the live view draw what these functions
return, and the tests compare it with the model's own outputs. This module is the one home of
running a learner's model without changing it (``run_model``), of the grid over the plane
(``plane_grid``), and of the course's rule for turning logits into labels (``labels_from_logits``):

* one output column (binary): ``p1 = sigmoid(logit)``, class 1 where ``p1 > 0.5`` (so exactly
  0.5, a logit of 0, is class 0, as ``torch.round(torch.tensor(0.5))`` is 0);
* two or more columns (multi-class): ``softmax`` over the columns, class = ``argmax``.

The sigmoid is taken in the logits' own dtype, so the rule gives exactly what
``torch.round(torch.sigmoid(logits))`` gives in a training loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import contourpy  # matplotlib's own contouring (a dependency of matplotlib)
import numpy as np
import torch
from torch import nn

from helpers.validation import as_features, check_extent, check_integer, check_model, check_real

__all__ = [
    "Prediction",
    "Regions",
    "model_device_and_dtype",
    "run_model",
    "labels_from_logits",
    "predict_classes",
    "data_extent",
    "plane_grid",
    "decision_regions",
    "boundary_lines",
]


@dataclass(frozen=True)
class Prediction:
    """What a model predicts for N points.

    Attributes:
        labels: int64 [N], the predicted class of each point.
        probs: float64 [N, K], the probability of each class (rows sum to 1). Binary models
            (one logit) get K = 2 columns: [1 - p1, p1].
        n_classes: K.
    """

    labels: np.ndarray
    probs: np.ndarray
    n_classes: int


@dataclass(frozen=True)
class Regions:
    """A model's predictions on a grid of the plane.

    Attributes:
        xs: float64 [R], the grid's x coordinates (feature 1), increasing.
        ys: float64 [R], the grid's y coordinates (feature 2), increasing.
        labels: int64 [R, R]; ``labels[i, j]`` is the class predicted at ``(xs[j], ys[i])``.
        probs: float64 [R, R, K], the class probabilities at the same points.
        n_classes: K.
        extent: (xmin, xmax, ymin, ymax), the rectangle the grid spans.
    """

    xs: np.ndarray
    ys: np.ndarray
    labels: np.ndarray
    probs: np.ndarray
    n_classes: int
    extent: tuple[float, float, float, float]


def model_device_and_dtype(model: nn.Module) -> tuple[torch.device, torch.dtype]:
    """Where the model's parameters live and their dtype.

    Args:
        model: any module.

    Returns:
        (device, dtype) of its first floating-point parameter or buffer; CPU/float32 if none.
    """
    for tensor in list(model.parameters()) + list(model.buffers()):
        if tensor.is_floating_point():
            return tensor.device, tensor.dtype
    return torch.device("cpu"), torch.float32


def run_model(model: nn.Module, X, *, grad: bool = False):
    """``model(X)`` for prediction only, leaving the model exactly as it was given.

    Args:
        model: any ``torch.nn.Module``.
        X: a tensor (any device; it is copied, never changed) or an array; sent to the model's
            device and dtype.
        grad: run with autograd on (to read the operations of the forward pass), else under
            ``torch.inference_mode()``.

    Returns:
        What the model returns, untouched: callers check it.

    Raises:
        Whatever the model raises: its errors are its own. Afterwards every submodule has its
        own train/eval mode back, and its parameters and buffers their values, even if its
        ``forward`` changed them; the model is never moved.
    """
    device, dtype = model_device_and_dtype(model)
    if isinstance(X, torch.Tensor):
        points = X.detach().clone().to(device=device, dtype=dtype)
    else:
        points = torch.as_tensor(np.asarray(X), dtype=dtype, device=device)
    modes = [(module, module.training) for module in model.modules()]
    state = {key: value.detach().clone() for key, value in model.state_dict().items()}
    model.eval()
    try:
        if grad:
            with torch.enable_grad():
                return model(points)
        with torch.inference_mode():
            return model(points)
    finally:
        for module, training in modes:
            module.training = training
        current = model.state_dict()
        if any(key in current and not torch.equal(current[key], value) for key, value in state.items()):
            with torch.no_grad():
                for key, value in state.items():
                    current[key].copy_(value)


def labels_from_logits(logits: torch.Tensor) -> torch.Tensor:
    """The course's one rule: class 1 where sigmoid(logit) > 0.5 for one logit per sample, argmax
    for several.

    Args:
        logits: [N] or [N, 1] (binary) or [N, K] (K >= 2 classes), any device and float dtype.

    Returns:
        int64 labels [N], on the logits' device.
    """
    if logits.ndim == 2 and logits.shape[1] > 1:
        return logits.argmax(dim=1)
    return (torch.sigmoid(logits.reshape(-1)) > 0.5).long()


def _first_layer_features(model: nn.Module) -> int | None:
    first = next((m for m in model.modules() if isinstance(m, nn.Linear | nn.Bilinear)), None)
    return getattr(first, "in_features", None) if isinstance(first, nn.Linear) else None


def _logits_to_prediction(logits: torch.Tensor, n_points: int) -> Prediction:
    if not isinstance(logits, torch.Tensor):
        raise TypeError(f"model must return a tensor of logits; it returned {type(logits).__name__}.")
    logits = logits.detach().to(device="cpu")
    if not logits.is_floating_point():
        logits = logits.to(torch.float64)
    if logits.ndim == 1:
        logits = logits[:, None]
    if logits.ndim != 2 or logits.shape[0] != n_points or logits.shape[1] == 0:
        raise ValueError(
            f"model returned shape {list(logits.shape)} for {n_points} points; expected "
            f"[{n_points}, 1] (binary logits) or [{n_points}, n_classes]."
        )
    labels = labels_from_logits(logits)
    logits = logits.to(dtype=torch.float64)
    if logits.shape[1] == 1:
        p1 = torch.sigmoid(logits[:, 0])
        probs = torch.stack([1.0 - p1, p1], dim=1)
    else:
        probs = torch.softmax(logits, dim=1)
    return Prediction(labels.numpy(), probs.numpy(), int(probs.shape[1]))


def predict_classes(model, X) -> Prediction:
    """Predict the class of every row of ``X`` with ``model``, by the course's one rule.

    Args:
        model: a ``torch.nn.Module`` taking [N, 2] features. It is run on its own device in eval
            mode under ``torch.inference_mode()``; its parameters, device and the train/eval
            mode of every submodule are as they were afterwards.
        X: features [N, 2]; tensor on any device or NumPy array, any real dtype.

    Returns:
        A ``Prediction`` (labels [N], probs [N, K], n_classes).

    Raises:
        TypeError: ``model`` is not a Module or returns something other than a tensor.
        ValueError: ``X`` is not a finite [N, 2] table, the model's first ``nn.Linear`` takes
            another number of features, or it returns a shape other than [N], [N, 1] or [N, K].
        Exception: whatever the model's ``forward`` raises, unchanged (its errors are its own).
    """
    check_model(model)
    X = as_features(X, "X")
    n_features = _first_layer_features(model)
    if n_features is not None and n_features != 2:
        raise ValueError(
            f"model's first layer takes {n_features} features, but the points have 2: the course's "
            "plots are of two-feature data."
        )
    return _logits_to_prediction(run_model(model, X), X.shape[0])


def data_extent(*Xs, margin: float = 0.1) -> tuple[float, float, float, float]:
    """The rectangle (xmin, xmax, ymin, ymax) that holds every point of every ``X`` given, with
    ``margin`` (a fraction of the data's range) added on each side.

    Give the training and the test features together to draw both panels on the same axes.

    Returns:
        (xmin, xmax, ymin, ymax) as floats.

    Raises:
        TypeError: ``margin`` is not a real number.
        ValueError: no array given, an array is not a finite [N, 2] table, or a negative margin.
    """
    if not Xs:
        raise ValueError("data_extent needs at least one [N, 2] array of features.")
    margin = check_real(margin, "margin", "data_extent", low=0)
    points = np.concatenate([as_features(X, f"X{i}" if len(Xs) > 1 else "X") for i, X in enumerate(Xs)])
    lows, highs = points.min(axis=0), points.max(axis=0)
    pad = np.maximum(highs - lows, 1e-3) * margin + 1e-3
    return (float(lows[0] - pad[0]), float(highs[0] + pad[0]), float(lows[1] - pad[1]), float(highs[1] + pad[1]))


def plane_grid(extent, grid_resolution: int, *, caller: str = "plane_grid"):
    """The course's grid over a rectangle of the plane: ``grid_resolution`` points per side.

    Args:
        extent: (xmin, xmax, ymin, ymax).
        grid_resolution: points per side (>= 2).
        caller: the public function that was given these, for error messages.

    Returns:
        ``(xs, ys, points)``: float64 [R] and [R], increasing, and [R * R, 2] with row
        ``i * R + j`` the point ``(xs[j], ys[i])``.

    Raises:
        TypeError / ValueError: a bad extent or grid_resolution.
    """
    extent = check_extent(extent, caller)
    resolution = check_integer(grid_resolution, "grid_resolution", caller, low=2)
    xs = np.linspace(extent[0], extent[1], resolution)
    ys = np.linspace(extent[2], extent[3], resolution)
    xx, yy = np.meshgrid(xs, ys)  # xx[i, j] = xs[j], yy[i, j] = ys[i]
    return xs, ys, np.column_stack([xx.ravel(), yy.ravel()])


def decision_regions(model, extent, *, grid_resolution: int = 100) -> Regions:
    """Evaluate ``model`` on a ``grid_resolution`` x ``grid_resolution`` grid spanning ``extent``.

    Args:
        model: as for ``predict_classes``.
        extent: (xmin, xmax, ymin, ymax), e.g. from ``data_extent(X_train, X_test)``.
        grid_resolution: points per side (>= 2).

    Returns:
        ``Regions``: ``labels[i, j]`` and ``probs[i, j]`` belong to the point ``(xs[j], ys[i])``.

    Raises:
        TypeError / ValueError: as for ``predict_classes``, or a bad extent or grid_resolution.
    """
    xs, ys, points = plane_grid(extent, grid_resolution, caller="decision_regions")
    prediction = predict_classes(model, points)
    shape = (len(ys), len(xs))
    return Regions(
        xs=xs,
        ys=ys,
        labels=prediction.labels.reshape(shape),
        probs=prediction.probs.reshape(*shape, prediction.n_classes),
        n_classes=prediction.n_classes,
        extent=check_extent(extent, "decision_regions"),
    )


def boundary_lines(regions: Regions, *, level: float = 0.5) -> list[np.ndarray]:
    """The binary model's boundary: the lines on the grid where p(class 1) equals ``level``.

    The same lines ``matplotlib``'s ``contour`` draws for the regions (both use ``contourpy``),
    without making a new artist: the live view moves one set of lines from frame to frame.

    Args:
        regions: from ``decision_regions``, of a binary model (one output column).
        level: the probability of class 1 on the lines, strictly between 0 and 1.

    Returns:
        A list of float64 arrays [M, 2], one per piece of line, of (feature 1, feature 2)
        points; empty when the model is on one side of ``level`` everywhere on the grid.

    Raises:
        TypeError: ``regions`` is not a ``Regions``; ``level`` is not a real number.
        ValueError: ``regions`` is of a multi-class model; ``level`` is not in (0, 1).
    """
    if not isinstance(regions, Regions):
        raise TypeError(
            "The 'regions' parameter of boundary_lines must be a Regions (from decision_regions). "
            f"Got {type(regions).__name__} instead."
        )
    if regions.n_classes != 2:
        raise ValueError(
            f"boundary_lines draws a binary model's boundary; these regions have {regions.n_classes} classes."
        )
    level = check_real(level, "level", "boundary_lines", low=0, high=1, low_open=True, high_open=True)
    generator = contourpy.contour_generator(regions.xs, regions.ys, regions.probs[..., 1], line_type="Separate")
    return [np.asarray(line, dtype=np.float64) for line in generator.lines(level)]
