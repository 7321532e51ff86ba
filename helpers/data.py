"""Data: the spirals data set used in the exercises."""

from __future__ import annotations

import numpy as np
import torch

from helpers.validation import check_integer, check_real

__all__ = ["make_spirals"]


def make_spirals(n_per_class: int = 100, n_classes: int = 3, *, noise: float = 0.2, seed: int = 42):
    """Interleaved spirals, one arm per class (the toy data set of Stanford's CS231n notes).

    Class ``j`` has ``n_per_class`` points at radius ``r = linspace(0, 1, n_per_class)`` and angle
    ``t = linspace(4j, 4(j + 1), n_per_class) + noise * standard_normal``; a point is
    ``(r sin t, r cos t)``. The noise comes from a private generator seeded with ``seed``, so
    the same arguments always give the same data and the global random state is left alone.

    Args:
        n_per_class: points per class (>= 1).
        n_classes: classes (>= 2).
        noise: the angle's noise (>= 0).
        seed: the generator's seed (0 to 2**32 - 1).

    Returns:
        ``(X, y)``: ``X`` float32 tensor of shape [n_per_class * n_classes, 2]; ``y`` int64 tensor
        of shape [n_per_class * n_classes] holding 0 .. n_classes - 1, in class order.

    Raises:
        TypeError / ValueError: counts that are not positive integers, a negative or non-finite
            noise, a seed outside [0, 2**32 - 1].
    """
    n_per_class = check_integer(n_per_class, "n_per_class", "make_spirals", low=1)
    n_classes = check_integer(n_classes, "n_classes", "make_spirals", low=2)
    noise = check_real(noise, "noise", "make_spirals", low=0)
    seed = check_integer(seed, "seed", "make_spirals", low=0, high=2**32 - 1)

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
