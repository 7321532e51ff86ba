"""Input checking shared by the helpers: the one home of each rule for an argument.

Arrays: every public helper accepts what a learner has at hand (torch tensors on any device, NumPy
arrays, float16/32/64 or integer values) and turns it into a CPU copy it can read. Nothing here
changes the caller's objects: tensors are detached and copied to the CPU, never modified in place.

Scalars: ``check_integer``, ``check_real``, ``check_choice`` and ``check_extent`` say what is
wrong in one wording (scikit-learn's), TypeError for the wrong kind, ValueError for the wrong range.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch

__all__ = [
    "as_numpy",
    "as_features",
    "as_labels",
    "check_model",
    "check_integer",
    "check_real",
    "check_choice",
    "check_extent",
]


def as_numpy(value, name: str) -> np.ndarray:
    """``value`` (tensor or array) as a NumPy array on the CPU, without touching ``value``.

    Args:
        value: a tensor on any device, or a NumPy array.
        name: its name, for messages.

    Returns:
        A copy (float16/bfloat16 tensors become float32).

    Raises:
        TypeError: not a tensor or an array, complex, or not numeric.
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
    """Check a non-empty [n_samples, 2] table of finite numbers.

    Args:
        X: tensor or array.
        name: its name, for messages.

    Returns:
        float64 [N, 2], a copy.

    Raises:
        TypeError: not a tensor or an array.
        ValueError: another shape, empty, or NaN/infinite values.
    """
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
    """Check one whole-number label per sample ([N] or [N, 1]).

    The one rule for labels, used by every helper (metrics and plots alike): float labels such
    as 0.0 and 1.0 (what BCE losses need) are accepted; fractions, NaN and infinities are not,
    nor [N, K] scores.

    Args:
        y: tensor or array.
        name: its name, for messages.
        n_samples: the number of samples it must match, if known.

    Returns:
        int64 [N], a copy.

    Raises:
        TypeError: not a tensor or an array.
        ValueError: another shape or length, empty, or values that are not whole numbers.
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
    """Check that ``model`` is a torch.nn.Module.

    Args:
        model: the argument.
        name: its name, for the message.

    Returns:
        ``model``.

    Raises:
        TypeError: it is not.
    """
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"{name} must be a torch.nn.Module; got {type(model).__name__}.")
    return model


# ----------------------------------------------------------------------------- scalar arguments
# One wording for every scalar rule (scikit-learn's): TypeError for the wrong kind, ValueError
# for the wrong range. numbers.Integral / numbers.Real let NumPy scalars (np.int64) through.

MESSAGE = "The {name!r} parameter of {caller} must be {constraint}. Got {value!r} instead."


def _bound(value) -> str:
    return "inf" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _constraint(kind: str, low, high, low_open: bool, high_open: bool) -> str:
    if low is None and high is None:
        return kind
    left = "(" if low is None or low_open else "["
    right = ")" if high is None or high_open else "]"
    return f"{kind} in the range {left}{'-inf' if low is None else _bound(low)}, {_bound(high)}{right}"


def check_integer(value, name: str, caller: str, *, low=None, high=None) -> int:
    """Check a whole-number argument (bool excluded; any ``numbers.Integral``, np.int64 included).

    Args:
        value: the argument.
        name: its parameter name, for the message.
        caller: the function it was given to, for the message.
        low, high: inclusive bounds, or None for none.

    Returns:
        ``value`` as a Python int.

    Raises:
        TypeError: not an integer.
        ValueError: outside [low, high].
    """
    constraint = _constraint("an int", low, high, False, False)
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(MESSAGE.format(name=name, caller=caller, constraint=constraint, value=value))
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(MESSAGE.format(name=name, caller=caller, constraint=constraint, value=value))
    return int(value)


def check_real(value, name: str, caller: str, *, low=None, high=None, low_open=False, high_open=False) -> float:
    """Check a finite real-number argument (bool excluded; any ``numbers.Real``, np.float32 included).

    Args:
        value: the argument.
        name: its parameter name, for the message.
        caller: the function it was given to, for the message.
        low, high: bounds, or None for none; inclusive unless ``low_open`` / ``high_open``.

    Returns:
        ``value`` as a Python float.

    Raises:
        TypeError: not a real number.
        ValueError: not finite, or outside its bounds.
    """
    constraint = _constraint("a real number", low, high, low_open, high_open)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(MESSAGE.format(name=name, caller=caller, constraint=constraint, value=value))
    number = float(value)
    outside = (
        not math.isfinite(number)
        or (low is not None and (number <= low if low_open else number < low))
        or (high is not None and (number >= high if high_open else number > high))
    )
    if outside:
        raise ValueError(MESSAGE.format(name=name, caller=caller, constraint=constraint, value=value))
    return number


def check_choice(value, name: str, caller: str, choices) -> str:
    """Check an argument that must be one of ``choices``.

    Args:
        value: the argument.
        name: its parameter name, for the message.
        caller: the function it was given to.
        choices: the allowed values.

    Returns:
        ``value``.

    Raises:
        ValueError: not one of them.
    """
    if value not in choices:
        constraint = "one of " + ", ".join(repr(c) for c in choices)
        raise ValueError(MESSAGE.format(name=name, caller=caller, constraint=constraint, value=value))
    return value


def check_extent(extent, caller: str) -> tuple[float, float, float, float]:
    """Check a rectangle of the plane.

    Args:
        extent: (xmin, xmax, ymin, ymax), finite numbers with xmin < xmax and ymin < ymax.
        caller: the function it was given to, for the message.

    Returns:
        The four numbers as floats.

    Raises:
        TypeError: not four numbers.
        ValueError: not finite, or an empty rectangle.
    """
    constraint = "four finite numbers (xmin, xmax, ymin, ymax) with xmin < xmax and ymin < ymax"
    message = MESSAGE.format(name="extent", caller=caller, constraint=constraint, value=extent)
    try:
        values = tuple(float(v) for v in extent)
    except (TypeError, ValueError) as error:
        raise TypeError(message) from error
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise ValueError(message)
    xmin, xmax, ymin, ymax = values
    if not (xmin < xmax and ymin < ymax):
        raise ValueError(message)
    return values
