"""The doctor's own arguments: the kinds it accepts, checked before anything runs.

A wrong kind of argument is a mistake in calling the doctor (TypeError, in scikit-learn's
wording); what is wrong *inside* the learner's objects is a finding in the report.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def check_arguments(caller: str, model, loss_fn, optimizer, **tensors) -> None:
    """Raise TypeError when an argument is not the kind of object ``caller`` takes."""
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"The 'model' parameter of {caller} must be a torch.nn.Module. Got {type(model).__name__} instead."
        )
    if not callable(loss_fn):
        raise TypeError(
            f"The 'loss_fn' parameter of {caller} must be a loss module or function, e.g. nn.BCEWithLogitsLoss(). "
            f"Got {type(loss_fn).__name__} instead."
        )
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"The 'optimizer' parameter of {caller} must be a torch.optim.Optimizer. Got {type(optimizer).__name__} instead."
        )
    for name, value in tensors.items():
        if value is None and name in ("X_test", "y_test"):
            continue
        if not isinstance(value, (torch.Tensor, np.ndarray)):
            raise TypeError(
                f"The {name!r} parameter of {caller} must be a torch.Tensor (or a NumPy array). "
                f"Got {type(value).__name__} instead."
            )
        if value.ndim == 0 or value.shape[0] == 0:
            raise ValueError(
                f"The {name!r} parameter of {caller} must hold at least one sample. Got shape {list(value.shape)} instead."
            )
