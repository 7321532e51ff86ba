"""What kind of problem the loss function sets: binary, multi-class, or something else.

The loss says what the model's outputs must be (logits or probabilities), what the labels must
be (floats 0/1, or class indices of type long), how to turn outputs into labels, and what
random guessing costs at the start (ln 2, ln C).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn
from torch.nn import functional as F

BINARY, MULTICLASS, OTHER = "binary", "multiclass", "other"

_KINDS = (
    (nn.BCEWithLogitsLoss, BINARY, True),
    (nn.BCELoss, BINARY, False),
    (nn.CrossEntropyLoss, MULTICLASS, True),
    (nn.NLLLoss, MULTICLASS, False),
)
_FUNCTIONS = {
    F.binary_cross_entropy_with_logits: (BINARY, True),
    F.binary_cross_entropy: (BINARY, False),
    F.cross_entropy: (MULTICLASS, True),
    F.nll_loss: (MULTICLASS, False),
}


@dataclass(frozen=True)
class Task:
    """The problem a loss function sets.

    Attributes:
        kind: ``"binary"``, ``"multiclass"`` or ``"other"`` (regression, a custom loss).
        wants_logits: the loss applies its own sigmoid/softmax (BCEWithLogitsLoss,
            CrossEntropyLoss).
        loss_name: the loss's name as the learner wrote it, e.g. ``"BCEWithLogitsLoss"``.
    """

    kind: str
    wants_logits: bool
    loss_name: str

    @property
    def is_classification(self) -> bool:
        return self.kind in (BINARY, MULTICLASS)

    def chance_loss(self, n_classes: int) -> float | None:
        """The loss of a model that has learned nothing and says 'equally likely' to every class."""
        if self.kind == BINARY:
            return math.log(2)
        if self.kind == MULTICLASS:
            return math.log(n_classes)
        return None

    def predict(self, outputs: torch.Tensor) -> torch.Tensor:
        """Labels from the model's outputs (after :func:`align`): float 0/1 for binary, long otherwise."""
        if self.kind == BINARY:
            threshold = 0.0 if self.wants_logits else 0.5
            return (outputs > threshold).to(outputs.dtype)
        return outputs.argmax(dim=1)

    def labels(self, y: torch.Tensor) -> torch.Tensor:
        """The labels to compare predictions with: class probabilities ``[N, C]`` (a legal target of
        ``CrossEntropyLoss``, e.g. one-hot or smoothed) give their most likely class; others are as given."""
        if self.kind == MULTICLASS and y.ndim == 2 and y.is_floating_point():
            return y.argmax(dim=1)
        return y


def task_of(loss_fn) -> Task:
    """The :class:`Task` of a loss module or function."""
    for cls, kind, wants_logits in _KINDS:
        if isinstance(loss_fn, cls):
            return Task(kind, wants_logits, cls.__name__)
    if loss_fn in _FUNCTIONS:
        kind, wants_logits = _FUNCTIONS[loss_fn]
        return Task(kind, wants_logits, f"F.{loss_fn.__name__}")
    name = type(loss_fn).__name__ if isinstance(loss_fn, nn.Module) else getattr(loss_fn, "__name__", "loss_fn")
    return Task(OTHER, False, name)


def align(task: Task, outputs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The model's outputs shaped as the course's loops shape them for the loss.

    A binary model's ``[N, 1]`` outputs are squeezed to ``[N]`` when the labels are ``[N]``, as
    the lessons' loops do with ``.squeeze(1)``; everything else is returned as it is.
    """
    if task.kind == BINARY and outputs.ndim == 2 and outputs.shape[1] == 1 and y.ndim == 1:
        return outputs.squeeze(1)
    return outputs
