"""Slips in the learner's own loop, seen by watch: each reported by its own finding, nothing else."""

import re

import pytest
import torch
from torch import nn

from helpers.doctor import watch
from helpers.doctor.task import task_of

from . import plants, setups
from .loops import lesson_loop


def _with_dropout(seed):
    return setups.setup(
        setups.moons_data(),
        lambda: nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 1)),
        nn.BCEWithLogitsLoss(),
        lambda p: torch.optim.Adam(p, lr=0.01),
        seed=seed,
    )


def _sgd(base, lr):
    def make(seed):
        s = base(seed)
        s["optimizer"] = torch.optim.SGD(s["model"].parameters(), lr=lr)
        return s

    return make


def _circles(seed):
    return setups.healthy("03 circles ReLU 2-10-10-1, SGD 0.1", seed)


# name -> (setup, loop switches, epochs, expected finding, the loop raises)
LOOP_PLANTS = {
    "no zero_grad": (plants._moons, {"zero_grad": False}, 100, "no_zero_grad", False),
    "no optimizer.step()": (plants._moons, {"step": False}, 100, "no_step", False),
    "evaluation without model.eval(), with dropout": (
        _with_dropout,
        {"call_eval": False},
        100,
        "eval_in_train_mode",
        False,
    ),
    "model.train() never restored, with dropout": (
        _with_dropout,
        {"call_train": False},
        100,
        "train_not_restored",
        False,
    ),
    "'test' accuracy on the training tensors": (plants._moons, {"evaluate_on": "train"}, 100, "eval_on_train", False),
    "[N, 1] logits against [N] labels": (plants._moons, {"squeeze": False}, 100, "shape_mismatch", True),
    "sigmoid before BCEWithLogitsLoss": (plants.sigmoid_before_logits_loss, {}, 100, "activation_before_loss", False),
    "optimizer before the model was made again": (plants.optimizer_before_model, {}, 100, "optimizer_not_model", False),
    "lr 1e-6: a flat loss": (_sgd(plants._moons, 1e-6), {}, 100, "loss_flat", False),
    "lr 50: an oscillating loss": (_sgd(plants._moons, 50), {}, 100, "loss_oscillates", False),
    "lr 30: a climbing loss": (_sgd(_circles, 30), {}, 100, "loss_diverges", False),
}


@pytest.mark.parametrize("seed", (0, 42))
@pytest.mark.parametrize("name", list(LOOP_PLANTS))
def test_each_slip_in_the_loop_is_named_and_nothing_else(name, seed):
    make, switches, epochs, expected, raises = LOOP_PLANTS[name]
    s = make(seed)
    if raises:
        with pytest.raises(ValueError) as error, watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
            lesson_loop(s, epochs=epochs, **switches)
        assert any(expected in note or "[800, 1]" in note for note in error.value.__notes__), (
            "the learner's traceback carries the diagnosis"
        )
    else:
        with watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
            lesson_loop(s, epochs=epochs, **switches)
    assert report.ids == [expected], str(report)
    assert report.notes == [], str(report)


def test_no_zero_grad_says_how_much_the_gradients_grew():
    s = plants._moons(0)
    # SGD with a tiny step: the gradient barely changes, so n steps without zero_grad pile up ~n of them
    s["optimizer"] = torch.optim.SGD(s["model"].parameters(), lr=1e-5)
    with watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
        lesson_loop(s, epochs=30, zero_grad=False)
    (finding,) = report.problems
    assert finding.id == "no_zero_grad"
    assert finding.message.startswith("Your loop never calls optimizer.zero_grad()"), finding.message
    step, ratio = (
        int(finding.message.split("after ")[1].split(" steps")[0]),
        float(finding.message.split("uses is ")[1].split(" times")[0]),
    )
    assert step == 11 and ratio == pytest.approx(11, rel=0.05)
    assert "every step is larger than it should be" in finding.message


def test_no_zero_grad_with_adam_does_not_say_the_steps_grow():
    """Adam divides each step by a running size of the gradients: the sum grows, its steps do not."""
    s = plants._moons(0)
    s["optimizer"] = torch.optim.Adam(s["model"].parameters(), lr=1e-5)
    with watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
        lesson_loop(s, epochs=30, zero_grad=False)
    (finding,) = report.problems
    assert "Adam rescales its steps" in finding.message and "larger than it should be" not in finding.message


@pytest.mark.parametrize("seed", (0, 42))
def test_evaluation_without_eval_and_without_inference_mode_is_still_seen(seed):
    """The commonest form: neither model.eval() nor torch.inference_mode(); the evaluation runs with
    gradients on, so only its missing backward pass tells it from a training forward pass."""
    s = _with_dropout(seed)
    with watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
        lesson_loop(s, epochs=50, call_eval=False, inference_mode=False)
    assert report.ids == ["eval_in_train_mode"], str(report)
    assert "50 of the 50 evaluation forward passes" in report.problems[0].message


def test_evaluation_with_gradients_on_but_in_eval_mode_is_a_note_not_a_problem():
    s = _with_dropout(0)
    with watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
        lesson_loop(s, epochs=50, inference_mode=False)
    assert report.ok and [f.id for f in report.notes] == ["eval_with_gradients"], str(report)
    assert "50 forward passes" in report.notes[0].message
    (modes,) = [f for f in report.entries if f.id == "modes"]
    assert "evaluation in eval mode" in modes.message


def test_a_loop_with_no_evaluation_says_so():
    s = plants._moons(0)
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    with watch(model, loss_fn, optimizer) as report:
        for _ in range(30):
            loss = loss_fn(model(s["X"]).squeeze(1), s["y"])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    (modes,) = [f for f in report.entries if f.id == "modes"]
    assert "no evaluation seen" in modes.message and report.notes == []


def test_model_train_not_restored_without_dropout_is_a_note():
    s = plants._moons(0)
    with watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
        lesson_loop(s, epochs=50, call_train=False)
    assert report.ok
    assert [f.id for f in report.notes] == ["train_not_restored"]


def test_gradient_accumulation_on_purpose_is_not_a_missing_zero_grad():
    s = plants._moons(0)
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    with watch(model, loss_fn, optimizer) as report:
        for _ in range(30):
            optimizer.zero_grad()
            for X_part, y_part in ((s["X"][:400], s["y"][:400]), (s["X"][400:], s["y"][400:])):
                (loss_fn(model(X_part).squeeze(1), y_part) / 2).backward()
            optimizer.step()
    assert "no_zero_grad" not in report.ids and report.ok, str(report)


def test_model_zero_grad_counts_as_zero_grad():
    s = plants._moons(0)
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    with watch(model, loss_fn, optimizer) as report:
        for _ in range(30):
            loss = loss_fn(model(s["X"]).squeeze(1), s["y"])
            model.zero_grad()
            loss.backward()
            optimizer.step()
    assert report.ok and report.findings == [], str(report)


@pytest.mark.parametrize("seed", (0, 42))
def test_zero_grad_between_backward_and_step_is_named_not_the_learning_rate(seed):
    s = plants._moons(seed)
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    with watch(model, loss_fn, optimizer) as report:
        for _ in range(100):
            loss = loss_fn(model(s["X"]).squeeze(1), s["y"])
            loss.backward()
            optimizer.zero_grad()  # the gradients just computed, cleared before the step
            optimizer.step()
    assert report.ids == ["zero_grad_before_step"], str(report)
    assert "learning rate" not in report.problems[0].fix


@pytest.mark.parametrize("seed", (0, 42))
def test_a_loss_still_at_chance_after_many_steps_is_not_a_pass(seed):
    """Mini-batches sorted by label with shuffle=False: each batch one class, the loss stays near ln 2."""
    s = setups.healthy("03 circles ReLU, Adam 0.01", seed)
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    order = torch.argsort(s["y"], stable=True)
    dataset = torch.utils.data.TensorDataset(s["X"][order], s["y"][order])
    loader = torch.utils.data.DataLoader(dataset, batch_size=32, shuffle=False)
    with watch(model, loss_fn, optimizer) as report:
        for _ in range(10):
            for X_batch, y_batch in loader:
                loss = loss_fn(model(X_batch).squeeze(1), y_batch)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    assert report.ids == ["loss_at_chance"], str(report)
    assert "shuffle=True" in report.problems[0].fix
    with watch(model, loss_fn, optimizer) as short:  # a few steps near ln 2 are a start, not a problem
        for X_batch, y_batch in list(loader)[:10]:
            loss = loss_fn(model(X_batch).squeeze(1), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    assert "loss_at_chance" not in short.ids


@pytest.mark.parametrize("compare", ["operator", "torch.eq"])
def test_a_metric_that_broadcasts_n_1_against_n_is_named(compare):
    """A hand-written accuracy with [N, 1] predictions against [N] labels counts N * N pairs."""
    s = plants._moons(0)
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    with watch(model, loss_fn, optimizer) as report:
        for _ in range(30):
            model.train()
            loss = loss_fn(model(s["X"]).squeeze(1), s["y"])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            model.eval()
            with torch.inference_mode():
                test_preds = torch.round(torch.sigmoid(model(s["X_test"])))  # [N, 1]: not squeezed
                same = test_preds == s["y_test"] if compare == "operator" else torch.eq(test_preds, s["y_test"])
                accuracy = same.sum().item() / len(s["y_test"]) * 100
    assert accuracy > 100 or same.shape == (len(s["y_test"]), len(s["y_test"]))  # the broadcast it names
    assert report.ids == ["metric_broadcast"], str(report)
    assert f"[{len(s['y_test'])}, 1]" in report.problems[0].message


def test_comparisons_are_restored_after_watch_also_when_the_loop_raises():
    s = plants._moons(0)
    before = (torch.Tensor.__eq__, torch.eq)
    with pytest.raises(RuntimeError), watch(s["model"], s["loss_fn"], s["optimizer"]):
        assert torch.Tensor.__eq__ is not before[0]
        lesson_loop(s, epochs=3, fail_at=1)
    assert (torch.Tensor.__eq__, torch.eq) == before
    a = torch.tensor([[1.0], [0.0]])
    assert (a == torch.tensor([1.0, 0.0])).shape == (2, 2)  # what the loop computes is unchanged


def _minibatch_loop(s, *, epochs, zero_grad_per_batch):
    """A mini-batch loop (DataLoader, 32 a batch): zero_grad per batch, or once per epoch (the slip)."""
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(s["X"], s["y"]),
        batch_size=32,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),
    )
    for _ in range(epochs):
        model.train()
        if not zero_grad_per_batch:
            optimizer.zero_grad()  # once per epoch: the batches after the first pile up
        for X_batch, y_batch in loader:
            logits = model(X_batch)
            loss = loss_fn(logits.squeeze(1) if task_of(loss_fn).kind == "binary" else logits, y_batch)
            if zero_grad_per_batch:
                optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return len(loader)


@pytest.mark.parametrize("seed", (0, 42))
@pytest.mark.parametrize("lr", (1e-5, 0.1))
def test_zero_grad_once_per_epoch_in_a_minibatch_loop_is_counted_not_called_never(seed, lr):
    s = _sgd(_circles, lr)(seed)
    with watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
        batches = _minibatch_loop(s, epochs=20, zero_grad_per_batch=False)
    assert report.ids == ["no_zero_grad"], str(report)
    message = report.problems[0].message
    assert "never" not in message and "not before every backward pass" in message, message
    assert f"only 20 of the {20 * batches} backward passes" in message, message
    ratio = float(re.search(r"after \d+ steps the gradient the optimizer uses is ([\d.e+-]+) times", message).group(1))
    assert ("larger" in message) == (ratio >= 1), message
    assert "once per batch" in report.problems[0].fix


@pytest.mark.parametrize("seed", (0, 42))
@pytest.mark.parametrize("name", list(setups.HEALTHY))
def test_a_healthy_minibatch_loop_gets_no_zero_grad_finding(name, seed):
    """zero_grad before every batch's backward pass: the corpus's setups, in mini-batches, pass the check."""
    s = setups.healthy(name, seed)
    with watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
        batches = _minibatch_loop(s, epochs=3, zero_grad_per_batch=True)
    assert not {"no_zero_grad", "zero_grad_before_step"} & set(report.ids), str(report)
    assert f"Gradients start from zero at each of the {3 * batches} steps." in str(report), str(report)
