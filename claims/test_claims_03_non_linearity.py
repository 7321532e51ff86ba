"""Lesson 03's conclusions, over seeds other than the stored 42 (the seed sets the initial weights
and the loop, as ``helpers.set_seed(42)`` does; the circles and the split are the lesson's)."""

import pytest
from _lesson_runs import SEEDS, largest_rise, lesson_03, settled_epoch


@pytest.mark.parametrize("seed", SEEDS)
def test_v2_sgd_better_than_chance_not_finished(seed):
    acc = lesson_03(seed)["sgd_0.1"]["test_acc"][-1]
    assert 55 < acc < 99, (
        f"03: 'Much better than lesson 01's coin flip' ... 'SGD at lr 0.1 is not finished after 1000 epochs, "
        f"at every seed' (seed {seed}: {acc:.1f}%)"
    )


def test_v2_sgd_final_accuracy_depends_on_the_seed():
    accs = [lesson_03(seed)["sgd_0.1"]["test_acc"][-1] for seed in SEEDS]
    assert max(accs) - min(accs) > 10, (
        f"03: '*how* unfinished depends on the seed: the spread of final accuracies printed above is wide' "
        f"(seeds {SEEDS}: {accs})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_v2_loss_still_falling(seed):
    losses = lesson_03(seed)["sgd_0.1"]["train_loss"]
    assert losses[-1] < losses[900] < losses[800], (
        f"03: 'The loss is **still going down** at epoch 1000' "
        f"(seed {seed}: {losses[800]:.4f}, {losses[900]:.4f}, {losses[-1]:.4f} at epochs 800, 900, 999)"
    )


def test_lr_1_reaches_99_at_most_seeds():
    reached = [seed for seed in SEEDS if lesson_03(seed)["sgd_1.0"]["test_acc"][-1] >= 99]
    settled = [seed for seed in reached if settled_epoch(lesson_03(seed)["sgd_1.0"]["test_acc"]) < 1000]
    assert len(settled) > len(SEEDS) / 2, (
        f"03: 'The larger learning rate passes 99% within the same 1000 epochs at most seeds, not all' "
        f"(settled at 99% or more at seeds {settled} of {SEEDS})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_lr_1_loss_jumps_above_twice_its_start(seed):
    losses = lesson_03(seed)["sgd_1.0"]["train_loss"]
    assert max(losses) > 2 * losses[0] and largest_rise(losses) > 0.01, (
        f"03: 'the loss jumps up and down, at times to more than twice where it started' "
        f"(seed {seed}: peak {max(losses):.2f}, start {losses[0]:.2f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_lr_1_accuracy_swings(seed):
    acc = lesson_03(seed)["sgd_1.0"]["test_acc"]
    before = acc[: settled_epoch(acc)]
    assert min(before[10:]) < 60 and max(before) > 95, (
        f"03: 'the accuracy swings between about a coin flip and the high 90s' "
        f"(seed {seed}: {min(before[10:]):.1f}% to {max(before):.1f}% before it settles)"
    )


def test_adam_settles_sooner_at_most_seeds():
    sooner = []
    for seed in SEEDS:
        runs = lesson_03(seed)
        adam, sgd = settled_epoch(runs["adam"]["test_acc"]), settled_epoch(runs["sgd_1.0"]["test_acc"])
        sooner.append(adam < min(sgd, 400))
    assert len(SEEDS) / 2 < sum(sooner), (
        f"03: 'Adam settles sooner than SGD at lr 1.0 at most seeds, not all' (seeds {SEEDS}: {sooner})"
    )


def test_adam_reaches_99_at_most_seeds():
    accs = [lesson_03(seed)["adam"]["test_acc"][-1] for seed in SEEDS]
    assert len(SEEDS) / 2 < sum(acc >= 99 for acc in accs), (
        f"03: '400 epochs, which will turn out to be plenty here (at most seeds, not all'  (seeds {SEEDS}: {accs})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_loss_never_rises(seed):
    rise = largest_rise(lesson_03(seed)["adam"]["train_loss"])
    assert rise < 0.01, f"03: 'without the swings': its loss never rises by more than a hair (seed {seed}: {rise:.4f})"
