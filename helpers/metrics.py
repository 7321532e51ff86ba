"""Metrics: classification accuracy as a percentage."""
from __future__ import annotations

import numpy as np

from helpers._inputs import as_numpy

__all__ = ["accuracy_fn"]


def _as_label_vector(y, name: str) -> np.ndarray:
    y = as_numpy(y, name)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim == 2:
        raise ValueError(
            f"{name} has shape {list(y.shape)}: that looks like one score per class (logits or "
            "probabilities). accuracy_fn compares labels: take argmax(dim=1) first."
        )
    if y.ndim != 1:
        raise ValueError(f"{name} must have shape [N] or [N, 1]; got shape {list(y.shape)}.")
    if y.dtype.kind == "f":
        if np.isnan(y).any():
            raise ValueError(f"{name} contains NaN; labels must be whole numbers.")
        fractional = y[y != np.round(y)]
        if fractional.size:
            raise ValueError(
                f"{name} contains {fractional[0]:g}, which is not a class label. Turn probabilities "
                "into labels first: torch.round(probs) for binary, probs.argmax(dim=1) for multi-class."
            )
    return y


def accuracy_fn(y_true, y_pred) -> float:
    """Percentage of predictions equal to the true labels.

    Args:
        y_true: true labels, shape [N] or [N, 1]; tensor (any device) or NumPy array; float
            (0.0/1.0, as BCE losses need) or integer.
        y_pred: predicted labels, same length as ``y_true``; [N] and [N, 1] may be mixed.

    Returns:
        A float from 0 to 100: ``100 * (number of y_pred == y_true) / N``.

    Raises:
        TypeError: an argument is not a tensor or an array.
        ValueError: empty input, different lengths, logits instead of labels, or values that are
            not whole numbers (probabilities that were never rounded).
    """
    y_true = _as_label_vector(y_true, "y_true")
    y_pred = _as_label_vector(y_pred, "y_pred")
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"y_true has {y_true.shape[0]} labels but y_pred has {y_pred.shape[0]}: "
            "compare predictions with the labels of the same samples."
        )
    if y_true.shape[0] == 0:
        raise ValueError("y_true and y_pred are empty: accuracy needs at least one sample.")
    correct = int(np.sum(y_true.astype(np.float64) == y_pred.astype(np.float64)))
    return 100.0 * correct / y_true.shape[0]
