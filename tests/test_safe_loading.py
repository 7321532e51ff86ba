"""Why the course only ever loads with torch.load(..., weights_only=True)."""

import pickle

import pytest
import torch
from torch import nn


class Payload:
    """Unpickling this object would call open() and write a file: it stands for any code."""

    def __init__(self, target):
        self.target = str(target)

    def __reduce__(self):
        return (open, (self.target, "w"))


def test_a_malicious_pickle_is_refused(tmp_path):
    target = tmp_path / "pwned.txt"
    weights = tmp_path / "model.pth"
    with open(weights, "wb") as f:
        pickle.dump({"layer.weight": torch.zeros(2), "surprise": Payload(target)}, f, protocol=2)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(weights, weights_only=True)
    assert not target.exists(), "the payload ran"


def test_a_real_state_dict_loads(tmp_path):
    model = nn.Linear(2, 1)
    torch.save(model.state_dict(), tmp_path / "model.pth")
    loaded = nn.Linear(2, 1)
    loaded.load_state_dict(torch.load(tmp_path / "model.pth", weights_only=True))
    assert all(torch.equal(a, b) for a, b in zip(model.parameters(), loaded.parameters()))
