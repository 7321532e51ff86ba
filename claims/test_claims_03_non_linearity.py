"""Lesson 03's conclusions, over seeds other than the stored 42 (the seed sets the initial weights
and the loop, as ``helpers.set_seed(42)`` does; the circles and the split are the lesson's).

Section 3 of the lesson trains its three settings from seeds 0 to 11 and draws them; its prose
says what holds at every one of those seeds and what at most, so the claims are checked over the
same twelve seeds."""

import pytest
import torch
from _lesson_runs import CircleModelV2, circles, largest_rise, lesson_03, settled_epoch

import helpers

SEEDS = tuple(range(12))  # the lesson's `seeds = range(12)`


@pytest.mark.parametrize("seed", SEEDS)
def test_v2_sgd_not_finished(seed):
    acc = lesson_03(seed)["sgd_0.1"]["test_acc"][-1]
    assert acc < 99, f"03: 'SGD at lr 0.1 is not finished after 1000 epochs, at every seed' (seed {seed}: {acc:.1f}%)"


def test_v2_sgd_final_accuracy_depends_on_the_seed():
    accs = [lesson_03(seed)["sgd_0.1"]["test_acc"][-1] for seed in SEEDS]
    assert min(accs) < 60 and max(accs) >= 90, (
        f"03: 'the final accuracies printed above run from about a coin flip to the 90s' (seeds {SEEDS}: {accs})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_v2_loss_still_falling(seed):
    losses = lesson_03(seed)["sgd_0.1"]["train_loss"]
    assert losses[-1] < losses[900] < losses[800], (
        f"03: 'the loss curve (still falling)' "
        f"(seed {seed}: {losses[800]:.4f}, {losses[900]:.4f}, {losses[-1]:.4f} at epochs 800, 900, 999)"
    )


def _most_not_all(passed):
    return len(SEEDS) / 2 < sum(passed) < len(SEEDS)


def test_lr_1_reaches_99_at_most_seeds_not_all():
    settled = [settled_epoch(lesson_03(seed)["sgd_1.0"]["test_acc"]) < 1000 for seed in SEEDS]
    assert _most_not_all(settled), (
        f"03: 'The larger learning rate passes 99% within the same 1000 epochs at most seeds, not all' "
        f"(settled at 99% or more, seeds {SEEDS}: {settled})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_lr_1_loss_jumps(seed):
    rise = largest_rise(lesson_03(seed)["sgd_1.0"]["train_loss"])
    assert rise > 0.01, (
        f"03: 'At every seed, SGD at lr 1.0's training loss jumps: its largest rise from one epoch to the next "
        f"is above 0.01' (seed {seed}: {rise:.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_lr_1_accuracy_swings_on_the_way_to_99(seed):
    acc = lesson_03(seed)["sgd_1.0"]["test_acc"]
    if settled_epoch(acc) >= len(acc):
        pytest.skip(f"seed {seed}: SGD at lr 1.0 never settles at 99% (counted by the test above)")
    before = acc[: settled_epoch(acc)]
    assert min(before[10:]) < 60 and max(before) > 95, (
        f"03: 'the accuracy swings between about a coin flip and the high 90s' on its way to 99% "
        f"(seed {seed}: {min(before[10:]):.1f}% to {max(before):.1f}% before it settles)"
    )


def test_adam_settles_sooner_at_most_seeds_not_all():
    sooner = []
    for seed in SEEDS:
        runs = lesson_03(seed)
        adam, sgd = settled_epoch(runs["adam"]["test_acc"]), settled_epoch(runs["sgd_1.0"]["test_acc"])
        sooner.append(adam < min(sgd, 400))
    assert _most_not_all(sooner), (
        f"03: 'Adam settles sooner than SGD at lr 1.0 at most seeds, not all' (seeds {SEEDS}: {sooner})"
    )


def test_adam_reaches_99_at_most_seeds_not_all():
    accs = [lesson_03(seed)["adam"]["test_acc"][-1] for seed in SEEDS]
    assert _most_not_all([acc >= 99 for acc in accs]), (
        f"03: '400 epochs, which will turn out to be plenty here (at most seeds, not all' ... "
        f"'it too stays short of 99% at some seeds' (seeds {SEEDS}: {accs})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_loss_never_rises(seed):
    rise = largest_rise(lesson_03(seed)["adam"]["train_loss"])
    assert rise < 0.01, f"03: 'Adam's never rises by more than a hair' (seed {seed}: {rise:.4f})"


def test_the_worst_adam_seed_starts_with_most_first_layer_units_dead_and_every_setting_fails():
    accs = {seed: lesson_03(seed)["adam"]["test_acc"][-1] for seed in SEEDS}
    worst = min(accs, key=accs.get)
    X_train = circles()[0]
    helpers.set_seed(worst)
    model = CircleModelV2()
    with torch.inference_mode():
        dead = int((model.layer_1(X_train) <= 0).all(dim=0).sum())
    finals = {name: run["test_acc"][-1] for name, run in lesson_03(worst).items()}
    assert dead > model.layer_1.out_features / 2 and all(acc < 99 for acc in finals.values()), (
        f"03: 'Most of that draw's first-layer units are dead from the start' ... 'every setting fails at that "
        f"seed' (seed {worst}: {dead} dead; final accuracies {finals})"
    )
