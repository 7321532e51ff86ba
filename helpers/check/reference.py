"""The reference data sets the checks compare with: the exercise's frozen split, and fresh
samples of the same generators (another seed, never the exercise's 42) that catch a model which
learned the test rows. Cached and frozen (``requires_grad`` off); the checks hand the learner's
code copies, so nothing a learner does can change them. Not part of the notebook's ``check``:
the tests reach them as fixtures (tests/check/conftest.py).
"""

from __future__ import annotations

import functools

import torch

from helpers.data import make_spirals

__all__ = ["FRESH_SEED", "DATASETS", "split", "split3", "fresh", "size"]

#: Seed of the fresh samples the accuracy checks add to the test set.
FRESH_SEED = 2024
DATASETS = ("moons", "spirals", "noisy_moons")


def _generate(name: str, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    from sklearn.datasets import make_moons  # here: sklearn takes ~1 s to import, a not-attempted check none

    if name == "moons":
        X, y = make_moons(n_samples=1000, noise=0.03, random_state=seed)
        return torch.from_numpy(X).type(torch.float32), torch.from_numpy(y).type(torch.float32)
    if name == "spirals":
        return make_spirals(seed=seed)
    if name == "noisy_moons":  # task 8: noisy enough that a wide model overfits, and choices matter
        X, y = make_moons(n_samples=500, noise=0.3, random_state=seed)
        return torch.from_numpy(X).type(torch.float32), torch.from_numpy(y).type(torch.float32)
    raise ValueError(f"The 'name' parameter of split must be one of {DATASETS}. Got {name!r} instead.")


def _frozen(*tensors) -> tuple[torch.Tensor, ...]:
    return tuple(t.requires_grad_(False) for t in tensors)


@functools.cache
def split(name: str) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The exercise's split of a data set, as the solution makes it.

    Args:
        name: "moons" (make_moons(1000, noise=0.03, random_state=42), float32 labels) or
            "spirals" (helpers.make_spirals(), int64 labels).

    Returns:
        (X_train, X_test, y_train, y_test), 80/20 with random_state=42; shared: do not change them.

    Raises:
        ValueError: an unknown name.
    """
    from sklearn.model_selection import train_test_split  # here: as in _generate

    X, y = _generate(name, 42)
    return _frozen(*train_test_split(X, y, test_size=0.2, random_state=42))


@functools.cache
def split3(name: str) -> tuple[torch.Tensor, ...]:
    """Task 8's three-way split, as the solution makes it: 20% test first, then a quarter of the rest
    for validation (60/20/20), both with random_state=42.

    Args:
        name: "noisy_moons" (make_moons(500, noise=0.3, random_state=42), float32 labels).

    Returns:
        (X_train, X_val, X_test, y_train, y_val, y_test); shared: do not change them.

    Raises:
        ValueError: an unknown name.
    """
    from sklearn.model_selection import train_test_split  # here: as in _generate

    X, y = _generate(name, 42)
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25, random_state=42)
    return _frozen(X_train, X_val, X_test, y_train, y_val, y_test)


@functools.cache
def fresh(name: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Fresh samples of the same generator, seed ``FRESH_SEED``.

    Args:
        name: "moons" or "spirals".

    Returns:
        (X, y), shared: do not change them.

    Raises:
        ValueError: an unknown name.
    """
    return _frozen(*_generate(name, FRESH_SEED))


def size(name: str) -> tuple[int, int]:
    """The sizes of the exercise's split.

    Args:
        name: "moons" or "spirals".

    Returns:
        (training samples, test samples).
    """
    X_train, X_test, _, _ = split(name)
    return len(X_train), len(X_test)
