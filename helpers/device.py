"""Device choice and seeding: where tensors live, and how to make runs repeatable."""

from __future__ import annotations

import os
import random

import numpy as np
import torch

from helpers.environment import DEVICE_ENV_VAR
from helpers.validation import check_integer

__all__ = ["get_device", "set_seed"]

_DEVICES = ("cuda", "mps", "cpu")


def _available(device: str) -> bool:
    if device == "cuda":
        return torch.cuda.is_available()
    if device == "mps":
        mps = getattr(torch.backends, "mps", None)
        return bool(mps is not None and mps.is_available())
    return True


def get_device() -> str:
    """The device to train on: "cuda" if an NVIDIA GPU is usable, else "mps" (Apple silicon), else "cpu".

    The environment variable ``COURSE_DEVICE`` ("cpu", "cuda" or "mps") overrides the choice,
    e.g. ``COURSE_DEVICE=cpu`` to reproduce the stored outputs exactly on a machine with a GPU.

    Returns:
        The device name as a string, usable as ``tensor.to(device)``.

    Raises:
        ValueError: ``COURSE_DEVICE`` names something other than cpu, cuda or mps.
        RuntimeError: ``COURSE_DEVICE`` forces a device this machine does not have.
    """
    forced = os.environ.get(DEVICE_ENV_VAR, "").strip().lower()
    if forced:
        if forced not in _DEVICES:
            raise ValueError(f"{DEVICE_ENV_VAR}={forced!r} is not a device; use one of: cpu, cuda, mps.")
        if not _available(forced):
            raise RuntimeError(
                f"{DEVICE_ENV_VAR}={forced!r} but this machine has no usable {forced} device; "
                f"unset {DEVICE_ENV_VAR} or set it to cpu."
            )
        return forced
    for device in _DEVICES:
        if _available(device):
            return device
    return "cpu"  # pragma: no cover - cpu is always available


def set_seed(seed: int = 42) -> None:
    """Seed Python's ``random``, NumPy and torch (CPU, CUDA and MPS) with ``seed``.

    Call it right before creating a model and right before a training loop: the same seed then
    gives the same initial weights and the same results on the same device.

    Raises:
        TypeError: ``seed`` is not an integer.
        ValueError: ``seed`` is negative or does not fit in 32 bits (NumPy's limit).
    """
    seed = check_integer(seed, "seed", "set_seed", low=0, high=2**32 - 1)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA and MPS device
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)
