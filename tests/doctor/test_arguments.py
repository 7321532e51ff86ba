"""The doctor's own arguments: a wrong kind is a TypeError in scikit-learn's wording."""

import numpy as np
import pytest
import torch
from torch import nn

from helpers.doctor import examine, watch


def _parts():
    model = nn.Linear(2, 1)
    return model, nn.BCEWithLogitsLoss(), torch.optim.SGD(model.parameters(), lr=0.1)


@pytest.mark.parametrize(
    "position, value, message",
    [
        (0, "model", "The 'model' parameter of examine must be a torch.nn.Module. Got str instead."),
        (1, 3, "The 'loss_fn' parameter of examine must be a loss module or function"),
        (2, [1], "The 'optimizer' parameter of examine must be a torch.optim.Optimizer. Got list instead."),
        (3, [[1.0, 2.0]], "The 'X' parameter of examine must be a torch.Tensor"),
    ],
)
def test_examine_refuses_the_wrong_kind(position, value, message):
    args = [*_parts(), torch.zeros(4, 2), torch.zeros(4)]
    args[position] = value
    with pytest.raises(TypeError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        examine(*args)


def test_examine_refuses_empty_data():
    with pytest.raises(ValueError, match="must hold at least one sample"):
        examine(*_parts(), torch.zeros(0, 2), torch.zeros(0))


def test_numpy_data_is_a_finding_not_an_error():
    report = examine(*_parts(), np.zeros((4, 2), dtype=np.float32), torch.zeros(4))
    assert report.ids == ["not_a_tensor"]


def test_watch_refuses_the_wrong_kind():
    model, loss_fn, _ = _parts()
    with pytest.raises(TypeError, match="The 'optimizer' parameter of watch"), watch(model, loss_fn, "sgd"):
        pass
