"""Copies of the learner's objects, and the random state kept as it was.

The doctor experiments only on copies: a deep copy of the model, an optimizer of the same kind
built on the copy's parameters, and the random number generators (torch's on every device,
NumPy's, Python's) put back as they were afterwards, so that the learner's next cell gives the
numbers it would have given without the doctor.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import random

import numpy as np
import torch
from torch import nn


@contextlib.contextmanager
def preserved_random_state():
    """Save every random generator the learner's code uses, and restore it on exit."""
    python_state = random.getstate()
    numpy_state = np.random.get_state()  # noqa: NPY002 - the learner's global NumPy generator is what we keep
    torch_state = torch.random.get_rng_state()
    cuda_states = torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None
    mps = getattr(torch, "mps", None)
    mps_state = None
    if mps is not None and getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        mps_state = mps.get_rng_state()
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)  # noqa: NPY002
        torch.random.set_rng_state(torch_state)
        if cuda_states is not None:
            torch.cuda.set_rng_state_all(cuda_states)
        if mps_state is not None:
            mps.set_rng_state(mps_state)


def copy_model(model: nn.Module) -> nn.Module:
    """A deep copy of ``model`` in training mode, with no gradients, on the same device."""
    clone = copy.deepcopy(model)
    for parameter in clone.parameters():
        parameter.grad = None
    return clone.train()


def copy_optimizer(optimizer: torch.optim.Optimizer, model: nn.Module, clone: nn.Module, *, lr=None, state=True):
    """An optimizer of the same kind and settings as ``optimizer``, on ``clone``'s parameters.

    Args:
        optimizer: the learner's optimizer (not changed).
        model: the learner's model; ``clone`` is a deep copy of it.
        lr: when given, every parameter group gets this learning rate.
        state: carry a deep copy of the optimizer's state (Adam's running averages...).

    Returns:
        The new optimizer, or ``None`` when this kind of optimizer cannot be rebuilt.
        Parameters of the optimizer that are not the model's are left out.
    """
    mapping = {id(p): c for p, c in zip(model.parameters(), clone.parameters(), strict=True)}
    groups = []
    for group in optimizer.param_groups:
        new_group = {key: value for key, value in group.items() if key != "params"}
        new_group["params"] = [mapping[id(p)] for p in group["params"] if id(p) in mapping]
        if lr is not None:
            new_group["lr"] = lr
        if new_group["params"]:
            groups.append(new_group)
    if not groups:
        return None
    try:
        # the settings are in each group; defaults only for what this class's constructor takes
        accepted = inspect.signature(type(optimizer)).parameters
        defaults = {key: value for key, value in optimizer.defaults.items() if key in accepted}
        new = type(optimizer)(groups, **defaults)
    except Exception:  # an optimizer class whose constructor takes other arguments
        return None
    if state and optimizer.state:
        try:
            full = copy.deepcopy(optimizer.state_dict())
            if len(full["param_groups"]) == len(new.param_groups):
                if lr is not None:
                    for group in full["param_groups"]:
                        group["lr"] = lr
                new.load_state_dict(full)
        except Exception:  # optimizer state that does not fit the rebuilt groups: start fresh
            pass
    return new
