"""Data: the spirals data set used in the exercises."""

from __future__ import annotations

import numpy as np
import torch

__all__ = ["make_spirals"]


def make_spirals(n_per_class: int = 100, n_classes: int = 3, *, noise: float = 0.2, seed: int = 42):
    """Interleaved spirals, one arm per class (the toy data set of Stanford's CS231n notes).

    Class ``j`` has ``n_per_class`` points at radius ``r = linspace(0, 1, n_per_class)`` and angle
    ``t = linspace(4j, 4(j + 1), n_per_class) + noise * standard_normal``; a point is
    ``(r sin t, r cos t)``. The noise comes from a private generator seeded with ``seed``, so
    the same arguments always give the same data and the global random state is left alone.

    Returns:
        ``(X, y)``: ``X`` float32 tensor of shape [n_per_class * n_classes, 2]; ``y`` int64 tensor
        of shape [n_per_class * n_classes] holding 0 .. n_classes - 1, in class order.

    Raises:
        TypeError / ValueError: counts that are not positive integers, a negative or non-finite
            noise.
    """
    for name, value, least in (("n_per_class", n_per_class, 1), ("n_classes", n_classes, 2)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be an integer; got {type(value).__name__}.")
        if value < least:
            raise ValueError(f"{name} must be at least {least}; got {value}.")
    if isinstance(noise, bool) or not isinstance(noise, (int, float, np.floating)):
        raise TypeError(f"noise must be a number; got {type(noise).__name__}.")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0; got {noise}.")

    rng = np.random.RandomState(seed)
    X = np.zeros((n_per_class * n_classes, 2))
    y = np.zeros(n_per_class * n_classes, dtype=np.int64)
    radius = np.linspace(0.0, 1.0, n_per_class)
    for j in range(n_classes):
        rows = slice(n_per_class * j, n_per_class * (j + 1))
        angle = np.linspace(4.0 * j, 4.0 * (j + 1), n_per_class) + rng.randn(n_per_class) * noise
        X[rows] = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
        y[rows] = j
    return torch.from_numpy(X.astype(np.float32)), torch.from_numpy(y)
