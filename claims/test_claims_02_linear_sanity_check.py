"""Lesson 02's conclusions, over seeds other than the stored 42 (the seed sets the initial weights
and the loop; the line and its ordered split are the lesson's)."""

import pytest
from _lesson_runs import SEEDS, lesson_02

PRINTED = range(100, 1000, 100)  # the epochs the training cell prints (besides 0)


@pytest.mark.parametrize("seed", SEEDS)
def test_test_loss_zig_zags(seed):
    late = lesson_02(seed)["test_losses"][100:]
    high = sum(v > 0.02 for v in late)
    assert high > 100 and min(late) < 0.01, (
        f"02: 'the test loss zig-zags from one epoch to the next, between a few thousandths and several "
        f"hundredths' (seed {seed}: {high} of 900 epochs above 0.02, lowest {min(late):.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_last_four_epochs_show_the_zig_zag(seed):
    last4 = lesson_02(seed)["test_losses"][-4:]
    assert max(last4) > 0.02 and min(last4) < 0.01, f"02: 'the last four epochs show it' (seed {seed}: {last4})"


@pytest.mark.parametrize("seed", SEEDS)
def test_zig_zag_most_of_the_run(seed):
    late = lesson_02(seed)["test_losses"][100:]
    steps = [b - a for a, b in zip(late, late[1:])]
    turns = sum((s > 0) != (t > 0) for s, t in zip(steps, steps[1:])) / (len(steps) - 1)
    assert turns > 0.8, (
        f"02: 'For most of the run the test loss **zig-zags** from one epoch to the next' "
        f"(seed {seed}: the loss changes direction at {turns:.0%} of epochs 100-999)"
    )


def test_what_the_printed_lines_catch_is_luck():
    caught = [sum(lesson_02(seed)["test_losses"][e] > 0.02 for e in PRINTED) for seed in SEEDS]
    assert min(caught) < max(caught), (
        f"02: 'whether an epoch that is a multiple of 100 lands on a high step or a low one is luck' "
        f"(printed epochs above 0.02, seeds {SEEDS}: {caught})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_smaller_lr_settles(seed):
    fine = lesson_02(seed)["fine_test_losses"]
    assert max(fine[-50:]) < 0.01, (
        f"02: 'over the last 50 epochs the test loss never rises above a few thousandths' "
        f"(seed {seed}: up to {max(fine[-50:]):.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_model_learned_the_line(seed):
    final = lesson_02(seed)["fine_test_losses"][-1]
    assert final < 0.01, (
        f"02: 'learned y = 0.7x + 0.3 to a test L1 loss of a few thousandths' (seed {seed}: {final:.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_collapsed_weight_and_bias_near_the_line(seed):
    r = lesson_02(seed)
    assert abs(r["W"] - 0.7) < 0.02 and abs(r["b"] - 0.3) < 0.02, (
        f"02: 'One weight and one bias, close to the 0.7 and 0.3 of the true line' (seed {seed}: {r['W']:.3f}, {r['b']:.3f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_collapse_gives_the_same_outputs(seed):
    gap = lesson_02(seed)["collapse_gap"]
    assert gap < 1e-5, f"02: 'the single linear function gives the same outputs' (seed {seed}: gap {gap:.2e})"
