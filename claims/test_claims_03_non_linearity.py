"""Lesson 03's conclusions, over seeds other than the stored 42 (the seed sets the initial weights
and the loop, as ``helpers.set_seed(42)`` does; the circles and the split are the lesson's).

Section 3 of the lesson trains its three settings from seeds 0 to 11 and draws them; its prose
says what holds at every one of those seeds and what at most, so the claims are checked over the
same twelve seeds. Each claim that does not name the lesson's twelve seeds is checked again on a
held-out block of 40 seeds that the lesson never shows (200 to 239), chosen after the wording was
fixed: a claim that held only at the seeds it was written from would fail there.
"""

import statistics

import pytest
import torch
from _lesson_runs import CircleModelV2, circles, largest_rise, lesson_03, settled_epoch

import helpers

SEEDS = tuple(range(12))  # the lesson's `seeds = list(range(12))`
HELD_OUT = tuple(range(200, 240))  # never shown in the lesson
EVERY = SEEDS + HELD_OUT
FAILURES_IN_THE_LESSON = 2  # at 2 of its 12 seeds for SGD at lr 1.0 and for Adam (printed in the lesson)


def last_100_share(losses):
    """The lesson's `summary`: the share of the loss's whole fall that its last 100 epochs brought."""
    return (losses[-100] - losses[-1]) / (losses[0] - losses[-1])


def dead_units(seed):
    """The lesson's `dead_units`: first-layer units that output 0 for every training point, before training."""
    helpers.set_seed(seed)
    model = CircleModelV2()
    with torch.inference_mode():
        return int((model.layer_1(circles()[0]) <= 0).all(dim=0).sum())


@pytest.mark.parametrize("seed", SEEDS)
def test_v2_sgd_not_finished_its_loss_still_falls_steeply(seed):
    share = last_100_share(lesson_03(seed)["sgd_0.1"]["train_loss"])
    assert share > 0.05, (
        f"03: 'SGD at lr 0.1 is not finished after 1000 epochs, at every seed' ... 'its last 100 epochs still "
        f"bring a sizeable share of its loss's whole fall' "
        f"(seed {seed}: {share:.1%}; the lesson's check: more than 5%)"
    )


@pytest.mark.parametrize("seeds", [SEEDS, HELD_OUT], ids=["lesson", "held-out"])
@pytest.mark.parametrize("name", ["sgd_1.0", "adam"])
def test_the_other_settings_last_100_epochs_bring_a_sliver_at_the_typical_seed(name, seeds):
    shares = sorted(last_100_share(lesson_03(seed)[name]["train_loss"]) for seed in seeds)
    median = statistics.median(shares)
    lowest_sgd = min(last_100_share(lesson_03(seed)["sgd_0.1"]["train_loss"]) for seed in SEEDS)
    assert median < 0.02 and median < lowest_sgd / 4, (
        f"03: 'where the other two settings' bring a sliver at the typical seed (the medians above)' "
        f"({name}: median {median:.2%}; SGD at lr 0.1 at least {lowest_sgd:.1%} at the lesson's seeds)"
    )


def test_v2_sgd_final_accuracy_runs_from_a_coin_flip_to_the_high_90s():
    accs = [lesson_03(seed)["sgd_0.1"]["test_acc"][-1] for seed in SEEDS]
    assert min(accs) < 60 and 95 <= max(accs) < 99, (
        f"03: 'Its dots on the left end anywhere from about a coin flip to the high 90s, all below the dotted line' "
        f"(seeds {SEEDS}: {accs})"
    )


def test_v2_sgd_final_accuracy_depends_on_the_seed_on_fresh_seeds_too():
    accs = [lesson_03(seed)["sgd_0.1"]["test_acc"][-1] for seed in HELD_OUT]
    assert min(accs) < 65 and max(accs) >= 95, (
        f"03: '*Where* it has got to by then depends on the seed' (held-out seeds: {min(accs)}% to {max(accs)}%)"
    )


def _most_not_all(passed):
    return len(passed) / 2 < sum(passed) < len(passed)


def _passed_99(name, seeds):
    return [lesson_03(seed)[name]["test_acc"][-1] >= 99 for seed in seeds]


def test_lr_1_reaches_99_at_most_seeds_not_all():
    passed = _passed_99("sgd_1.0", SEEDS)
    assert _most_not_all(passed) and len(passed) - sum(passed) == FAILURES_IN_THE_LESSON, (
        f"03: 'The larger learning rate and Adam pass 99% at most seeds, not all' ... 'Each of those two settings "
        f"failed at 2 of these 12 seeds' "
        f"(seeds {SEEDS}: {passed})"
    )


def test_adam_reaches_99_at_most_seeds_not_all():
    passed = _passed_99("adam", SEEDS)
    assert _most_not_all(passed) and len(passed) - sum(passed) == FAILURES_IN_THE_LESSON, (
        f"03: '400 epochs, which will turn out to be plenty here (at most seeds, not all' ... "
        f"'it too stays short of 99% at some seeds' (seeds {SEEDS}: {passed})"
    )


@pytest.mark.parametrize("seed", EVERY)
def test_lr_1_loss_jumps(seed):
    rise = largest_rise(lesson_03(seed)["sgd_1.0"]["train_loss"])
    assert rise > 0.01, (
        f"03: 'At every seed, SGD at lr 1.0's training loss jumps: its largest rise from one epoch to the next "
        f"is above 0.01' (seed {seed}: {rise:.4f})"
    )


@pytest.mark.parametrize("seed", EVERY)
def test_lr_1_accuracy_swings_on_the_way_to_99(seed):
    acc = lesson_03(seed)["sgd_1.0"]["test_acc"]
    if settled_epoch(acc) >= len(acc):
        pytest.skip(f"seed {seed}: SGD at lr 1.0 never settles at 99% (counted by the tests above)")
    before = acc[: settled_epoch(acc)]
    assert min(before[10:]) < 60 and max(before) >= 90, (
        f"03: 'the accuracy swings between about a coin flip and the 90s' on its way to 99% "
        f"(seed {seed}: {min(before[10:]):.1f}% to {max(before):.1f}% before it settles)"
    )


def _sooner(seeds):
    sooner = []
    for seed in seeds:
        runs = lesson_03(seed)
        adam, sgd = settled_epoch(runs["adam"]["test_acc"]), settled_epoch(runs["sgd_1.0"]["test_acc"])
        sooner.append(adam < min(sgd, 400))
    return sooner


def test_adam_settles_sooner_at_most_seeds_not_all():
    sooner = _sooner(SEEDS)
    assert _most_not_all(sooner), (
        f"03: 'Adam is smoother at every seed and settles sooner at most, not all' (seeds {SEEDS}: {sooner})"
    )


def test_adam_settles_sooner_at_most_fresh_seeds():
    sooner = _sooner(HELD_OUT)
    assert sum(sooner) > len(sooner) / 2, (
        f"03: 'Adam settles sooner ... at most seeds' ({sum(sooner)} of {len(sooner)} held-out seeds)"
    )


@pytest.mark.parametrize("seed", EVERY)
def test_adam_loss_never_rises(seed):
    rise = largest_rise(lesson_03(seed)["adam"]["train_loss"])
    assert rise < 0.01, f"03: 'Adam's never rises by more than a hair' (seed {seed}: {rise:.4f})"


def test_the_worst_adam_seed_starts_with_most_first_layer_units_dead_and_every_setting_fails():
    accs = {seed: lesson_03(seed)["adam"]["test_acc"][-1] for seed in SEEDS}
    worst = min(accs, key=accs.get)
    dead = dead_units(worst)
    finals = {name: run["test_acc"][-1] for name, run in lesson_03(worst).items()}
    assert dead > CircleModelV2().layer_1.out_features / 2 and all(acc < 99 for acc in finals.values()), (
        f"03: 'At that seed most of the first-layer units are dead from the start' ... 'every setting fails at that "
        f"seed' (seed {worst}: {dead} dead; final accuracies {finals})"
    )


def test_the_other_failing_seeds_start_with_most_units_alive():
    accs = {seed: lesson_03(seed)["adam"]["test_acc"][-1] for seed in SEEDS}
    worst = min(accs, key=accs.get)
    failing = [
        seed
        for seed in SEEDS
        if seed != worst and min(lesson_03(seed)[name]["test_acc"][-1] for name in ("sgd_1.0", "adam")) < 99
    ]
    dead = {seed: dead_units(seed) for seed in failing}
    assert failing and all(count <= 5 for count in dead.values()), (
        f"03: 'the other failing seeds above start with most of their units alive' (dead units: {dead})"
    )
