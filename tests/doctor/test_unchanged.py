"""The learner's objects after examine and after watch: exactly as they were (weights, gradients,
train/eval mode, device, optimizer state, tensors, random state), also when their loop raises;
and every hook watch added is gone."""

import random

import numpy as np
import pytest
import torch

from helpers.doctor import examine, watch

from . import plants, setups
from .loops import lesson_loop


def _random_state():
    return random.getstate(), np.random.get_state()[1].copy(), torch.random.get_rng_state().clone()  # noqa: NPY002


def _snapshot(s):
    model, optimizer = s["model"], s["optimizer"]
    return {
        "weights": {k: v.clone() for k, v in model.state_dict().items()},
        "grads": [None if p.grad is None else p.grad.clone() for p in model.parameters()],
        "modes": [m.training for m in model.modules()],
        "devices": [p.device for p in model.parameters()],
        "requires_grad": [p.requires_grad for p in model.parameters()],
        "optimizer": _clone_state(optimizer.state_dict()),
        "param_ids": [id(p) for group in optimizer.param_groups for p in group["params"]],
        "X": (s["X"].clone(), s["X"].data_ptr()),
        "y": (s["y"].clone(), s["y"].data_ptr()),
        "random": _random_state(),
    }


def _clone_state(state):
    if isinstance(state, torch.Tensor):
        return state.clone()
    if isinstance(state, dict):
        return {k: _clone_state(v) for k, v in state.items()}
    if isinstance(state, list):
        return [_clone_state(v) for v in state]
    return state


def _same(a, b):
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.shape == b.shape and torch.equal(a, b)
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def _hooks(model, loss_fn, optimizer):
    counts = []
    for module in [*model.modules(), loss_fn]:
        counts += [len(module._forward_hooks), len(module._forward_pre_hooks), len(module._backward_hooks)]
    counts += [len(p._backward_hooks or {}) for p in model.parameters()]
    counts += [len(optimizer._optimizer_step_pre_hooks), len(optimizer._optimizer_step_post_hooks)]
    return counts


def _trained_a_little(s, mode="eval"):
    """A setup mid-training: Adam has state, the gradients are there, the model is in eval mode."""
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    for _ in range(3):
        loss = loss_fn(model(s["X"]).squeeze(1), s["y"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    getattr(model, mode)()
    return s


CASES = {
    "healthy, mid-training, eval mode": lambda: _trained_a_little(plants._moons(0)),
    "healthy, train mode": lambda: _trained_a_little(plants._moons(1), "train"),
    "linear on circles (every stage runs)": lambda: plants.linear_on_circles(0),
    "SGD lr 50 (the range test runs)": lambda: plants.lr_far_too_high(0),
    "a frozen layer": lambda: plants.frozen_layer(0),
}


@pytest.mark.parametrize("case", list(CASES))
def test_examine_changes_nothing(case):
    s = CASES[case]()
    random.random(), np.random.rand(), torch.rand(1)  # noqa: NPY002 - a state that is not a fresh seed's
    before = _snapshot(s)
    examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"], X_test=s["X_test"])
    after = _snapshot(s)
    for key in before:
        assert _same(before[key], after[key]), f"examine changed the learner's {key}"


def test_the_next_cell_gives_the_same_numbers_with_or_without_examine():
    def run(with_doctor):
        s = setups.healthy("09 exercises moons ReLU 2-10-10-1, Adam 0.03")
        torch.manual_seed(7)
        if with_doctor:
            examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"])
        lesson_loop(s, epochs=20)
        return torch.rand(3), [p.detach().clone() for p in s["model"].parameters()]

    (noise_a, weights_a), (noise_b, weights_b) = run(False), run(True)
    assert torch.equal(noise_a, noise_b)
    assert all(torch.equal(a, b) for a, b in zip(weights_a, weights_b, strict=True))


def test_a_watched_loop_trains_exactly_as_an_unwatched_one():
    def run(watched):
        s = setups.healthy("04 blobs ReLU 2-8-8-4, SGD 0.1")
        torch.manual_seed(3)
        if watched:
            with watch(s["model"], s["loss_fn"], s["optimizer"]):
                accuracy = lesson_loop(s, epochs=30)
        else:
            accuracy = lesson_loop(s, epochs=30)
        return accuracy, [p.detach().clone() for p in s["model"].parameters()], _random_state()

    plain, watched = run(False), run(True)
    assert plain[0] == watched[0]
    assert _same(plain[1], watched[1]) and _same(plain[2], watched[2])


@pytest.mark.parametrize("fail_at", (0, 5))
def test_watch_removes_every_hook_also_when_the_loop_raises(fail_at):
    s = plants._moons(0)
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    before = _hooks(model, loss_fn, optimizer)
    with (
        pytest.raises(RuntimeError, match="the learner's loop failed here"),
        watch(model, loss_fn, optimizer) as report,
    ):
        lesson_loop(s, epochs=10, fail_at=fail_at)
    assert _hooks(model, loss_fn, optimizer) == before
    assert "the loop raised an error" in report.title
    assert report.ok, "a loop that raised for its own reason is not blamed on anything else"


def test_watch_removes_every_hook_after_a_normal_exit():
    s = plants._moons(0)
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    before = _hooks(model, loss_fn, optimizer)
    with watch(model, loss_fn, optimizer):
        assert _hooks(model, loss_fn, optimizer) != before, "watch does hook in while the loop runs"
        lesson_loop(s, epochs=5)
    assert _hooks(model, loss_fn, optimizer) == before
