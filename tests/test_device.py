import random

import numpy as np
import pytest
import torch

import helpers.environment
from helpers import get_device, set_seed


@pytest.fixture
def machine(monkeypatch):
    """Pretend the machine has the given devices, whatever this one really has."""

    def fake(cuda=False, mps=False):
        monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
        monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
        monkeypatch.delenv("COURSE_DEVICE", raising=False)

    return fake


@pytest.mark.parametrize(
    ("cuda", "mps", "expected"),
    [(True, True, "cuda"), (True, False, "cuda"), (False, True, "mps"), (False, False, "cpu")],
)
def test_order_is_cuda_then_mps_then_cpu(machine, cuda, mps, expected):
    machine(cuda=cuda, mps=mps)
    assert get_device() == expected


def test_environment_variable_forces_a_device(machine, monkeypatch):
    machine(cuda=True, mps=True)
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert get_device() == "cpu"
    monkeypatch.setenv("COURSE_DEVICE", " MPS ")
    assert get_device() == "mps"


def test_forcing_a_missing_device_says_so(machine, monkeypatch):
    machine(cuda=False, mps=False)
    monkeypatch.setenv("COURSE_DEVICE", "cuda")
    with pytest.raises(RuntimeError, match="no usable cuda"):
        get_device()


def test_forcing_an_unknown_device_says_so(machine, monkeypatch):
    machine()
    monkeypatch.setenv("COURSE_DEVICE", "tpu")
    with pytest.raises(ValueError, match="cpu, cuda, mps"):
        get_device()


def test_env_var_name_is_exported():
    assert helpers.environment.DEVICE_ENV_VAR == "COURSE_DEVICE"


def test_set_seed_makes_every_generator_repeat():
    def draw():
        return random.random(), np.random.rand(), torch.rand(3)

    set_seed(7)
    first = draw()
    set_seed(7)
    second = draw()
    assert first[0] == second[0] and first[1] == second[1] and torch.equal(first[2], second[2])
    set_seed(8)
    assert not torch.equal(torch.rand(3), first[2])


def test_set_seed_gives_the_same_model():
    set_seed(42)
    a = torch.nn.Linear(2, 5)
    set_seed(42)
    b = torch.nn.Linear(2, 5)
    assert torch.equal(a.weight, b.weight)


@pytest.mark.parametrize(
    ("seed", "error"), [(1.5, TypeError), ("42", TypeError), (True, TypeError), (-1, ValueError), (2**32, ValueError)]
)
def test_set_seed_rejects_bad_seeds(seed, error):
    with pytest.raises(error, match="seed"):
        set_seed(seed)
