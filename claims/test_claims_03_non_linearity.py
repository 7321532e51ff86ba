"""Lesson 03's conclusions, over seeds other than the stored 42 (the seed sets the initial weights
and the loop, as ``helpers.set_seed(42)`` does; the circles and the split are the lesson's)."""

import pytest
from _lesson_runs import SEEDS, largest_rise, lesson_03, settled_epoch


@pytest.mark.parametrize("seed", SEEDS)
def test_v2_sgd_stalls_between_65_and_99(seed):
    acc = lesson_03(seed)["sgd_0.1"]["test_acc"][-1]
    assert 65 <= acc < 99, f"03: 'far better than 50%, far from done' (seed {seed}: {acc:.1f}%)"


@pytest.mark.parametrize("seed", SEEDS)
def test_v2_loss_still_falling_steeply(seed):
    losses = lesson_03(seed)["sgd_0.1"]["train_loss"]
    assert losses[900] - losses[-1] > 0.02, (
        f"03: 'The loss is still going down at epoch 1000, and quite steeply' "
        f"(seed {seed}: {losses[900]:.4f} at epoch 900, {losses[-1]:.4f} at 999)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_lr_1_reaches_99(seed):
    run = lesson_03(seed)["sgd_1.0"]
    assert run["test_acc"][-1] >= 99 and settled_epoch(run["test_acc"]) < 1000, (
        f"03: 'the same number of epochs now pass 99%' (seed {seed}: {run['test_acc'][-1]:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_lr_1_loss_jumps_above_twice_its_start(seed):
    losses = lesson_03(seed)["sgd_1.0"]["train_loss"]
    assert max(losses) > 2 * losses[0] and largest_rise(losses) > 0.01, (
        f"03: 'the loss jumps up and down, at times to more than twice where it started' "
        f"(seed {seed}: peak {max(losses):.2f}, start {losses[0]:.2f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_reaches_99_in_400_epochs(seed):
    acc = lesson_03(seed)["adam"]["test_acc"]
    assert acc[-1] >= 99, (
        f"03: Adam at lr 0.01 'a shorter budget of 400 epochs, which will turn out to be plenty' (seed {seed}: {acc[-1]:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_settles_sooner_than_sgd_lr_1(seed):
    runs = lesson_03(seed)
    adam, sgd = settled_epoch(runs["adam"]["test_acc"]), settled_epoch(runs["sgd_1.0"]["test_acc"])
    assert 3 * adam < sgd, (
        f"03: 'Adam settles several times sooner' (seed {seed}: Adam epoch {adam}, SGD lr 1.0 epoch {sgd})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_loss_never_rises(seed):
    rise = largest_rise(lesson_03(seed)["adam"]["train_loss"])
    assert rise < 0.01, f"03: 'its training loss never rises by more than a hair' (seed {seed}: {rise:.4f})"
