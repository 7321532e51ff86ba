"""Metrics: classification accuracy as a percentage."""

from __future__ import annotations

import numpy as np

from helpers.validation import as_labels

__all__ = ["accuracy_fn"]


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
            not whole finite numbers (probabilities that were never turned into labels). The
            rules are those of every helper (``helpers.validation.as_labels``).
    """
    y_true = as_labels(y_true, "y_true")
    y_pred = as_labels(y_pred, "y_pred")
    if y_true.shape[0] != y_pred.shape[0]:
        raise ValueError(
            f"y_true has {y_true.shape[0]} labels but y_pred has {y_pred.shape[0]}: "
            "compare predictions with the labels of the same samples."
        )
    return 100.0 * int(np.sum(y_true == y_pred)) / y_true.shape[0]
