"""Decisions: what class a model predicts, and where on the plane.

Compute only, no drawing: ``helpers.plotting`` and the live view draw what these functions
return, and the tests compare it with the model's own outputs. This module is the one home of
the course's rule for turning logits into labels:

* one output column (binary): ``p1 = sigmoid(logit)``, class 1 where ``p1 > 0.5`` (so exactly
  0.5, a logit of 0, is class 0, as ``torch.round(torch.tensor(0.5))`` is 0);
* two or more columns (multi-class): ``softmax`` over the columns, class = ``argmax``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from helpers._inputs import as_features, check_model, run_model

__all__ = ["Prediction", "Regions", "predict_classes", "data_extent", "decision_regions"]


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


def _logits_to_prediction(logits: torch.Tensor, n_points: int) -> Prediction:
    if not isinstance(logits, torch.Tensor):
        raise TypeError(f"model must return a tensor of logits; it returned {type(logits).__name__}.")
    logits = logits.detach().to(device="cpu", dtype=torch.float64)
    if logits.ndim == 1:
        logits = logits[:, None]
    if logits.ndim != 2 or logits.shape[0] != n_points or logits.shape[1] == 0:
        raise ValueError(
            f"model returned shape {list(logits.shape)} for {n_points} points; expected "
            f"[{n_points}, 1] (binary logits) or [{n_points}, n_classes]."
        )
    if logits.shape[1] == 1:
        p1 = torch.sigmoid(logits[:, 0])
        probs = torch.stack([1.0 - p1, p1], dim=1)
        labels = (p1 > 0.5).long()
    else:
        probs = torch.softmax(logits, dim=1)
        labels = logits.argmax(dim=1)
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
        ValueError: ``X`` is not a finite [N, 2] table, or the model cannot be evaluated on it
            or returns a shape other than [N], [N, 1] or [N, K].
    """
    check_model(model)
    X = as_features(X, "X")
    try:
        logits = run_model(model, X)
    except Exception as error:  # a model built for another number of features, say
        raise ValueError(
            f"model could not be evaluated on points with 2 features: {type(error).__name__}: {error}"
        ) from error
    return _logits_to_prediction(logits, X.shape[0])


def data_extent(*Xs, margin: float = 0.1) -> tuple[float, float, float, float]:
    """The rectangle (xmin, xmax, ymin, ymax) that holds every point of every ``X`` given, with
    ``margin`` (a fraction of the data's range) added on each side.

    Give the training and the test features together to draw both panels on the same axes.

    Raises:
        ValueError: no array given, an array is not a finite [N, 2] table, or a bad margin.
    """
    if not Xs:
        raise ValueError("data_extent needs at least one [N, 2] array of features.")
    if isinstance(margin, bool) or not isinstance(margin, (int, float, np.floating)):
        raise TypeError(f"margin must be a number; got {type(margin).__name__}.")
    if not np.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be a finite number >= 0; got {margin}.")
    points = np.concatenate([as_features(X, f"X{i}" if len(Xs) > 1 else "X") for i, X in enumerate(Xs)])
    lows, highs = points.min(axis=0), points.max(axis=0)
    pad = np.maximum(highs - lows, 1e-3) * margin + 1e-3
    return (float(lows[0] - pad[0]), float(highs[0] + pad[0]), float(lows[1] - pad[1]), float(highs[1] + pad[1]))


def _check_extent(extent) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in extent)
    except (TypeError, ValueError) as error:
        raise TypeError(f"extent must be four numbers (xmin, xmax, ymin, ymax); got {extent!r}.") from error
    if len(values) != 4 or not np.all(np.isfinite(values)):
        raise ValueError(f"extent must be four finite numbers (xmin, xmax, ymin, ymax); got {extent!r}.")
    xmin, xmax, ymin, ymax = values
    if not (xmin < xmax and ymin < ymax):
        raise ValueError(f"extent must have xmin < xmax and ymin < ymax; got {values}.")
    return values


def decision_regions(model, extent, *, grid_resolution: int = 100) -> Regions:
    """Evaluate ``model`` on a ``grid_resolution`` x ``grid_resolution`` grid spanning ``extent``.

    Args:
        model: as for ``predict_classes``.
        extent: (xmin, xmax, ymin, ymax), e.g. from ``data_extent(X_train, X_test)``.
        grid_resolution: points per side (>= 2).

    Returns:
        ``Regions``: ``labels[i, j]`` and ``probs[i, j]`` belong to the point ``(xs[j], ys[i])``.
    """
    extent = _check_extent(extent)
    if isinstance(grid_resolution, bool) or not isinstance(grid_resolution, (int, np.integer)):
        raise TypeError(f"grid_resolution must be an integer; got {type(grid_resolution).__name__}.")
    if grid_resolution < 2:
        raise ValueError(f"grid_resolution must be at least 2; got {grid_resolution}.")
    xs = np.linspace(extent[0], extent[1], int(grid_resolution))
    ys = np.linspace(extent[2], extent[3], int(grid_resolution))
    xx, yy = np.meshgrid(xs, ys)  # xx[i, j] = xs[j], yy[i, j] = ys[i]
    prediction = predict_classes(model, np.column_stack([xx.ravel(), yy.ravel()]))
    shape = xx.shape
    return Regions(
        xs=xs,
        ys=ys,
        labels=prediction.labels.reshape(shape),
        probs=prediction.probs.reshape(*shape, prediction.n_classes),
        n_classes=prediction.n_classes,
        extent=extent,
    )
