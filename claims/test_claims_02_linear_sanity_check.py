"""Lesson 02's conclusions, over seeds other than the stored 42 (the seed sets both copies of V1's
starting weights and the loops; the rings and the blobs are the lesson's, random_state=42), and
the sanity check's outcome over other draws of the blobs; and section 4.1's stack trained on
y = 0.7x + 0.3 (x = 0 to 0.99, ordered 80/20 split, the lesson's), over the same seeds."""

import math

import pytest
from _lesson_runs import SEEDS, lesson_02, lesson_02_line, settled_epoch

BLOB_DRAWS = (0, 1, 2, 3, 4, 5)  # make_blobs random_states other than the lesson's 42


@pytest.mark.parametrize("seed", SEEDS)
def test_both_copies_start_from_the_same_weights(seed):
    assert lesson_02(seed)["same_start"], f"02: 'both start from exactly the same weights' (seed {seed})"


@pytest.mark.parametrize("seed", SEEDS)
def test_the_blobs_are_learned(seed):
    blobs = lesson_02(seed)["blobs"]
    train, test = blobs["train_acc"][-1], blobs["test_acc"][-1]
    assert train == 100 and test == 100, (
        f"02: 'learned two blobs a straight line separates to 100% training and test accuracy' "
        f"(seed {seed}: train {train:.1f}%, test {test:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_blobs_reach_100_within_the_first_hundred_epochs(seed):
    settled = settled_epoch(lesson_02(seed)["blobs"]["train_acc"], level=100.0)
    assert settled <= 100, (
        f"02: 'On the blobs the model reaches 100% within the first hundred epochs' "
        f"(seed {seed}: training accuracy stays at 100% only from epoch {settled})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_blobs_loss_keeps_falling_toward_0_after_100(seed):
    blobs = lesson_02(seed)["blobs"]
    losses = blobs["train_loss"][settled_epoch(blobs["train_acc"], level=100.0) :]
    rises = sum(later > earlier for earlier, later in zip(losses, losses[1:]))
    assert rises == 0 and losses[-1] < 0.01, (
        f"02: 'its loss keeps falling after that, toward 0' / 'the loss kept falling after the accuracy had "
        f"reached 100%' (seed {seed}: {rises} epochs where it rose, last {losses[-1]:.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_rings_stay_at_chance_and_ln2(seed):
    circles = lesson_02(seed)["circles"]
    test_acc, loss = circles["test_acc"][-1], circles["train_loss"][-1]
    assert 40 <= test_acc <= 60 and abs(loss - math.log(2)) < 0.01, (
        f"02: 'stayed at 50% on the rings' / 'on the rings it stayed near 0.693' "
        f"(seed {seed}: test accuracy {test_acc:.1f}%, training loss {loss:.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("data", ["circles", "blobs"])
def test_the_stack_collapses_to_one_linear_function(seed, data):
    run = lesson_02(seed)[data]
    assert run["W_shape"] == [1, 2] and run["b_shape"] == [1], (
        f"02: 'One weight of shape [1, 2] and one bias' ({data}, seed {seed}: {run['W_shape']}, {run['b_shape']})"
    )
    assert run["allclose"] and run["same_labels"], (
        f"02: 'the single linear function gives the same logits as the whole three-layer model ... "
        f"so it gives the same labels too' ({data}, seed {seed})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_v1_on_the_rings_is_confident_nowhere(seed):
    logit = lesson_02(seed)["circles"]["largest_abs_logit"]
    assert logit < 0.2, (
        f"02: 'V1 is confident nowhere: its probability stays within a hair of 0.5' (seed {seed}: the largest "
        f"|logit| on the 1000 points is {logit:.3f}, p between {1 / (1 + math.exp(logit)):.3f} and "
        f"{1 / (1 + math.exp(-logit)):.3f})"
    )


@pytest.mark.parametrize("draw", BLOB_DRAWS)
def test_other_draws_of_the_blobs_pass_the_check_too(draw):
    """Not a sentence of the lesson (its blobs are random_state=42, every learner's): the check's
    outcome does not hinge on that one draw. A draw may put one point of 800 across the line
    (random_state 4 and 5 do), so this asks for 99%, not 100%."""
    run = lesson_02(42, blobs_random_state=draw)
    train, test = run["blobs"]["train_acc"][-1], run["blobs"]["test_acc"][-1]
    assert train >= 99 and test >= 99, (
        f"02: the blobs drawn with random_state {draw}: train {train:.1f}%, test {test:.1f}%"
    )


# ---- section 4.1: the collapse seen on a stack trained on y = 0.7x + 0.3 (the brief's regression)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_line_is_learned_to_a_few_hundredths(seed):
    low, high = sorted(lesson_02_line(seed)["test_losses"][-2:])
    assert low < 0.01 and high < 0.1, (
        f"02: 'The stack learned the line, to within a few hundredths on the 20 test points' "
        f"(seed {seed}: test L1 loss of the last two epochs {low:.4f} and {high:.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_test_loss_alternates_every_other_epoch(seed):
    """Over the last 50 epochs: low every other epoch, high in between, so the even epochs the log
    prints (0, 100, ..., 900) all fall on one side and 999 on the other."""
    losses = lesson_02_line(seed)["test_losses"]
    shown = range(len(losses) - 50, len(losses))
    steps = [losses[epoch] - losses[epoch - 1] for epoch in shown]
    turns = sum((s > 0) != (t > 0) for s, t in zip(steps, steps[1:]))
    even = [losses[epoch] for epoch in shown if epoch % 2 == 0]
    odd = [losses[epoch] for epoch in shown if epoch % 2 == 1]
    low, high = sorted((even, odd), key=max)
    assert turns == len(steps) - 1 and min(high) > 3 * max(low), (
        f"02: 'And then they zig-zag ... The loss is low one epoch and high the next' "
        f"(seed {seed}: {turns} changes of direction in {len(steps) - 1} epochs; low side up to {max(low):.4f}, "
        f"high side from {min(high):.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_fit_is_close_but_visibly_imperfect(seed):
    run = lesson_02_line(seed)
    assert run["W"] < 0.69 and 0.02 < run["largest_gap"] < 0.1, (
        f"02: 'The fit is close but visibly imperfect: the slope is short of 0.7, so the line is flatter "
        f"than the data and misses it by a few hundredths at its worst' "
        f"(seed {seed}: W {run['W']:.3f}, largest gap over the 100 inputs {run['largest_gap']:.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_collapsed_line_is_near_0_7_and_0_3(seed):
    run = lesson_02_line(seed)
    assert abs(run["W"] - 0.7) < 0.1 and abs(run["b"] - 0.3) < 0.1, (
        f"02: 'a slope and an intercept within 0.1 of the true line's 0.7 and 0.3' "
        f"(seed {seed}: W {run['W']:.3f}, b {run['b']:.3f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_stack_and_its_collapsed_line_agree(seed):
    assert lesson_02_line(seed)["allclose"], (
        f"02: 'The stack and the single line W·x + b give the same outputs for all 100 inputs' (seed {seed})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_training_longer_closes_the_gap_only_slowly(seed):
    run = lesson_02_line(seed)
    assert run["W"] < run["W_longer"] < 0.7 and run["largest_gap_longer"] < run["largest_gap"], (
        f"02: 'Five times the training moves the slope towards 0.7 and shrinks the largest gap, but only part of "
        f"the way: the gap closes, slowly' (seed {seed}: slope {run['W']:.3f} -> {run['W_longer']:.3f}, largest gap "
        f"{run['largest_gap']:.3f} -> {run['largest_gap_longer']:.3f})"
    )
