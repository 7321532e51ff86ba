"""Lesson 01's conclusions, over seeds other than the stored 42.

The data (make_circles, random_state=42) is fixed in the lesson; the seed sets the initial weights
and the loop, as ``helpers.set_seed(42)`` does in the notebook. The claims about straight lines
depend on the data only, so they are checked on rings drawn with other random states instead.
"""

import math

import pytest
from _lesson_runs import SEEDS, circles, lesson_01, straight_lines


def chance_sd():
    """One standard deviation of the accuracy of guessing on the test set, in points (the lesson's `chance_sd`)."""
    return 100 * math.sqrt(0.5 * 0.5 / len(circles()[3]))


@pytest.mark.parametrize("seed", SEEDS)
def test_v0_stays_at_chance(seed):
    v0 = lesson_01(seed)["v0"]
    assert abs(v0["test_acc"] - 50) < 2 * chance_sd(), (
        f"01: 'V0 ... no better than chance' ... 'checks that V0 is within two of them' (two standard deviations "
        f"of guessing) (seed {seed}: {v0['test_acc']:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_v0_loss_is_ln2(seed):
    v0 = lesson_01(seed)["v0"]
    assert abs(v0["train_loss"] - math.log(2)) < 0.01, (
        f"01: 'Its training loss ... against ln 2 = 0.6931: the loss of answering 0.5 for everything' "
        f"(seed {seed}: {v0['train_loss']:.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_v0_probabilities_near_half(seed):
    v0 = lesson_01(seed)["v0"]
    assert v0["prob_min"] > 0.45 and v0["prob_max"] < 0.55, (
        f"01: 'All close to 0.5' (seed {seed}: {v0['prob_min']:.3f} to {v0['prob_max']:.3f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_best_line_beats_v0(seed):
    v0, line = lesson_01(seed)["v0"], straight_lines(42)
    assert line["best_acc"] > 55 and line["best_acc"] > v0["train_acc"], (
        f"01: 'a straight line *could* beat chance on the training set, and V0 does not' "
        f"(seed {seed}: line {line['best_acc']:.1f}%, V0 {v0['train_acc']:.1f}%)"
    )


@pytest.mark.parametrize("random_state", SEEDS)
def test_lowest_loss_line_says_half(random_state):
    line = straight_lines(random_state)
    assert abs(line["lowest_loss"] - math.log(2)) < 0.01 and line["lowest_loss_acc"] < line["best_acc"], (
        "01: 'The line with the lowest loss is no better than V0: its loss is within a hair of ln 2' "
        f"(rings with random_state {random_state}: loss {line['lowest_loss']:.4f}, {line['lowest_loss_acc']:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_v1_stays_at_chance(seed):
    v1 = lesson_01(seed)["v1"]
    assert abs(v1["test_acc"] - 50) < 2 * chance_sd() and v1["train_acc"] <= 60, (
        f"01: 'Adding units, layers and epochs did not help' ... 'still chance' "
        f"(seed {seed}: V1 train {v1['train_acc']:.1f}%, test {v1['test_acc']:.1f}%)"
    )
