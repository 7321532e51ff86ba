"""Input checking shared by the helpers (private), and running a learner's model without
changing it.

Every public helper accepts what a learner has at hand (torch tensors on any device, NumPy
arrays, float16/32/64 or integer values) and turns it into a CPU copy it can read. Nothing here
changes the caller's objects: tensors are detached and copied to the CPU, never modified in place.
"""

from __future__ import annotations

import numpy as np
import torch


def as_numpy(value, name: str) -> np.ndarray:
    """Return ``value`` (tensor or array) as a NumPy array on the CPU, without touching ``value``.

    Raises TypeError naming ``name`` for anything that is not a tensor or an array.
    """
    if isinstance(value, torch.Tensor):
        tensor = value.detach()
        if tensor.is_complex():
            raise TypeError(f"{name} must hold real numbers; got a complex tensor ({tensor.dtype}).")
        if tensor.dtype in (torch.float16, torch.bfloat16):
            tensor = tensor.float()
        return tensor.cpu().numpy().copy()
    if isinstance(value, np.ndarray):
        if value.dtype == object or value.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be a numeric array; got an array of dtype {value.dtype}.")
        return np.array(value, copy=True)
    raise TypeError(f"{name} must be a torch.Tensor or a NumPy array; got {type(value).__name__}.")


def as_features(X, name: str = "X") -> np.ndarray:
    """Check that ``X`` is a non-empty [n_samples, 2] table of finite numbers; return it as float64."""
    X = as_numpy(X, name)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            f"{name} must have shape [n_samples, 2] (two features, so it can be drawn on a plane); "
            f"got shape {list(X.shape)}."
        )
    if X.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has 0 samples.")
    X = X.astype(np.float64)
    if not np.isfinite(X).all():
        raise ValueError(f"{name} contains NaN or infinite values; every feature must be finite.")
    return X


def as_labels(y, name: str = "y", n_samples: int | None = None) -> np.ndarray:
    """Check that ``y`` holds one whole-number label per sample ([N] or [N, 1]); return int64 [N].

    The one rule for labels, used by every helper (metrics and plots alike): float labels such
    as 0.0 and 1.0 (what BCE losses need) are accepted; fractions, NaN and infinities are not,
    nor [N, K] scores.
    """
    y = as_numpy(y, name)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim == 2 and y.shape[1] > 1:
        raise ValueError(
            f"{name} has shape {list(y.shape)}: that looks like one score per class (logits or "
            "probabilities), not one label per sample. Take argmax(dim=1) first."
        )
    if y.ndim != 1:
        raise ValueError(
            f"{name} must have shape [n_samples] or [n_samples, 1] (one label per sample); got shape {list(y.shape)}."
        )
    if n_samples is not None and y.shape[0] != n_samples:
        raise ValueError(f"{name} has {y.shape[0]} labels but there are {n_samples} samples: they must match.")
    if y.shape[0] == 0:
        raise ValueError(f"{name} is empty: it has 0 labels.")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            raise ValueError(f"{name} contains NaN or infinite values; labels must be whole numbers.")
        if not np.all(y == np.round(y)):
            bad = y[y != np.round(y)][0]
            raise ValueError(
                f"{name} must hold class labels (whole numbers such as 0, 1, 2); it contains {bad:g}. "
                "If these are probabilities, turn them into labels first: (probs > 0.5) for "
                "binary, probs.argmax(dim=1) for multi-class."
            )
    return y.astype(np.int64)


def check_model(model, name: str = "model") -> torch.nn.Module:
    """Check that ``model`` is a torch.nn.Module."""
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"{name} must be a torch.nn.Module; got {type(model).__name__}.")
    return model


def model_device_and_dtype(model: torch.nn.Module) -> tuple[torch.device, torch.dtype]:
    """Where the model's parameters live and their dtype (CPU/float32 for a model without any)."""
    for tensor in list(model.parameters()) + list(model.buffers()):
        if tensor.is_floating_point():
            return tensor.device, tensor.dtype
    return torch.device("cpu"), torch.float32


def run_model(model: torch.nn.Module, X) -> object:
    """``model(X)`` for prediction only, leaving the model exactly as it was given.

    ``X`` (tensor or array) is sent to the model's device and dtype; the model is evaluated in
    eval mode under ``torch.inference_mode()``, then every submodule gets back its own
    train/eval mode. The model is never moved and its parameters never change. Returns what the
    model returns, untouched: callers check it.
    """
    device, dtype = model_device_and_dtype(model)
    points = torch.as_tensor(X, dtype=dtype, device=device)
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        with torch.inference_mode():
            return model(points)
    finally:
        for module, training in modes:
            module.training = training
