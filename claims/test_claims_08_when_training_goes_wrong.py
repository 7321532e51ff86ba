"""Lesson 08's conclusions, over seeds the lesson does not use. The lesson runs every setup on
SEEDS = (42, 0, 1, 2, 3) (the starting weights, the loops' randomness and the permutation of C's
labels); here each claim is checked on seeds 4 to 8 (claims/_lesson_runs.py's SEEDS, 0 to 5,
overlap the lesson's). The circles and the blobs are the lesson's (random_state 42).

Two claims first failed here and were corrected in the lesson: "every point is called class 1"
(seed 7: one output within 1e-7 of 0, whose sigmoid is exactly 0.5 in float32) and the loss
without zero_grad climbing back by more than 0.05 (seed 6: by 0.046; the lesson now says 0.03).
"""

import math

import pytest
import torch
from _lesson_runs import (
    L08_PLANTED,
    circles,
    gallery_setup,
    lesson_08_dropout,
    lesson_08_e_mechanism,
    lesson_08_errors,
    lesson_08_examine,
    lesson_08_gallery,
    lesson_08_linear_blobs,
    lesson_08_lr_fix,
    lesson_08_mystery_h,
    lesson_08_mystery_i,
    lesson_08_small_batch,
    lesson_08_standardised,
    lesson_08_start_losses,
    lesson_08_watched,
    neighbour_agreement,
)

import helpers

LESSON_SEEDS = (42, 0, 1, 2, 3)
SEEDS = (4, 5, 6, 7, 8)
LN2, LN4 = math.log(2), math.log(4)
NEAR_LN2 = 0.05  # "on the dashed line" / "near ln 2": within 0.05 of ln 2 = 0.693
BROKEN = "ABCDEFG"


def test_the_seeds_are_not_the_lessons():
    assert not set(SEEDS) & set(LESSON_SEEDS), f"claims must use seeds the lesson does not ({SEEDS} vs {LESSON_SEEDS})"


# ------------------------------------------------------------------ §1 the gallery


@pytest.mark.parametrize("seed", SEEDS)
def test_good_setup_reaches_95(seed):
    acc = lesson_08_gallery("good", seed)["test_acc"]
    assert acc >= 95, f"08 §1: 'the good setup should reach 95% on every seed' (seed {seed}: {acc:.1f}%)"


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", BROKEN)
def test_broken_setup_at_most_75(name, seed):
    acc = lesson_08_gallery(name, seed)["test_acc"]
    assert acc <= 75, (
        f"08 §1: every broken setup stays at or below 75% (the gallery's assert) ({name}, seed {seed}: {acc:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", "AFG")
def test_a_f_g_sit_on_ln2(name, seed):
    losses = lesson_08_gallery(name, seed)["losses"]
    off = max(abs(value - LN2) for value in losses)
    assert off < NEAR_LN2, (
        f"08 §1: 'A, F and G sit on the dashed line, ln 2 ≈ 0.693' ({name}, seed {seed}: the loss strays up to "
        f"{off:.3f} from ln 2)"
    )


def test_g_same_accuracy_on_every_seed():
    accs = [lesson_08_gallery("G", seed)["test_acc"] for seed in SEEDS]
    assert len(set(accs)) == 1, (
        f"08 §1: 'G scores the same 46% on every seed' ... 'every seed finds the same best line' "
        f"(seeds {SEEDS}: {accs})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_g_below_guessing_about_51_on_training(seed):
    g = lesson_08_gallery("G", seed)
    assert g["test_acc"] < 50 and 50 <= g["train_acc"] <= 52, (
        f"08 §1: G 'a little *below* guessing' ... 'about 51% right on the training points' (seed {seed}: test "
        f"{g['test_acc']:.1f}%, train {g['train_acc']:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_b_loss_falls_yet_accuracy_50(seed):
    run = lesson_08_gallery("B", seed)
    drop = 100 * (1 - run["losses"][-1] / run["losses"][0])
    assert drop > 10 and run["test_acc"] <= 55, (
        f"08 §1: 'B's loss falls by a good share ... yet it scores 50%' (the cell's assert: by more than 10%, "
        f"at most 55%) (seed {seed}: fell by {drop:.0f}%, test {run['test_acc']:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_c_hardly_leaves_ln2(seed):
    losses = lesson_08_gallery("C", seed)["losses"]
    off = max(abs(value - LN2) for value in losses)
    assert off < NEAR_LN2, f"08 §1: 'C hardly leaves ln 2' (seed {seed}: up to {off:.3f} from ln 2)"


def test_c_accuracy_on_both_sides_of_50():
    accs = [lesson_08_gallery("C", seed)["test_acc"] for seed in SEEDS]
    assert min(accs) < 50 < max(accs), (
        f"08 §1: 'Its test accuracy wanders with the seed, on both sides of 50%' (C, seeds {SEEDS}: {accs})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_d_starts_far_above_ln2_then_stalls(seed):
    losses = lesson_08_gallery("D", seed)["losses"]
    assert losses[0] > 3 * LN2 and losses[-1] > LN2 - 0.1, (
        f"08 §1: 'D starts far above ln 2 ... and then stalls' (the cell's assert: first loss above 3 ln 2 = "
        f"{3 * LN2:.2f}; stalled: it ends near ln 2) (seed {seed}: {losses[0]:.2f} -> {losses[-1]:.3f})"
    )


def test_d_starts_by_a_different_amount_on_every_seed():
    firsts = [round(lesson_08_gallery("D", seed)["losses"][0], 2) for seed in SEEDS]
    assert len(set(firsts)) == len(SEEDS), (
        f"08 §1: 'D starts far above ln 2, by a different amount on every seed' (seeds {SEEDS}: {firsts})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_e_climbs_above_ln2_and_stays(seed):
    losses = lesson_08_gallery("E", seed)["losses"]
    assert min(losses[-100:]) > 3 * LN2, (
        f"08 §1, §5: 'E climbs above it and stays there' ... 'far *above* ln 2' (seed {seed}: lowest loss of the "
        f"last 100 epochs {min(losses[-100:]):.2f})"
    )


# ------------------------------------------------------------------ §2 the doctor on the gallery


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", L08_PLANTED)
def test_doctor_names_exactly_the_planted_finding(name, seed):
    ids = lesson_08_examine(name, seed).ids
    planted = L08_PLANTED[name]
    assert ids == ([planted] if planted else []), (
        f"08 §2-§6: the doctor names each setup's slip ({name}: {planted or 'nothing wrong found'}) "
        f"(seed {seed}: {ids})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_b_learns_read_right_loss_above_floor(seed):
    X_train, X_test, y_train, y_test = circles()
    run = lesson_08_gallery("B", seed)
    with torch.inference_mode():
        probabilities = run["model"](X_test).squeeze(1)
    read_right = helpers.accuracy_fn(y_test, torch.round(probabilities))
    read_twice = helpers.accuracy_fn(y_test, torch.round(torch.sigmoid(probabilities)))
    floor_1 = -math.log(torch.sigmoid(torch.tensor(1.0)).item())
    floor = torch.where(y_train == 1, torch.tensor(floor_1), torch.tensor(LN2)).mean().item()
    assert read_right >= 95 and read_twice <= 55 and run["losses"][-1] >= floor, (
        f"08 §2: 'The model does learn' (round(output) >= 95%), 'The numbers around it "
        f"lie' (round(sigmoid(output)) <= 55%), 'the loss can never go below a floor' (seed {seed}: "
        f"{read_right:.1f}%, {read_twice:.1f}%, loss {run['losses'][-1]:.3f}, floor {floor:.3f})"
    )


@pytest.mark.parametrize(
    "seed",
    SEEDS,
)
def test_b_second_sigmoid_calls_every_point_class_1(seed):
    _, X_test, _, _ = circles()
    model = lesson_08_gallery("B", seed)["model"]  # trained outside inference mode
    with torch.inference_mode():
        probabilities = model(X_test).squeeze(1)
    called_1 = int(torch.round(torch.sigmoid(probabilities)).sum())
    almost_0 = int((torch.sigmoid(probabilities) == 0.5).sum())  # exactly 0.5 in float32: rounds to 0
    assert called_1 == len(X_test) - almost_0 and almost_0 <= 2, (
        f"08 §2: 'every point is called class 1 (all but an output within about 1e-7 of 0)' (seed {seed}: "
        f"{called_1} of {len(X_test)}; smallest output {probabilities.min().item():.2g})"
    )


# ------------------------------------------------------------------ §3 errors with a cause


@pytest.mark.parametrize("seed", SEEDS)
def test_unsqueezed_logits_raise_and_watch_names_shape(seed):
    run = lesson_08_errors(seed)
    assert run["unsqueezed_error"] is not None and run["unsqueezed"].ids == ["shape_mismatch"], (
        f"08 §3: '[N, 1] logits against [N] labels': 'PyTorch names the two shapes; the doctor says which one to "
        f"change' (seed {seed}: raised {run['unsqueezed_error']!r}, watch {run['unsqueezed'].ids})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_squeezed_loop_watched_is_ok(seed):
    ids = lesson_08_errors(seed)["squeezed"].ids
    assert ids == [], (
        f"08 §3: the same loop with .squeeze(1), watched for 100 epochs: nothing wrong (seed {seed}: {ids})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_float_labels_for_cross_entropy(seed):
    run = lesson_08_errors(seed)
    assert run["float_error"] is not None and run["float_labels"].ids == ["float_labels"] and run["long_labels"].ok, (
        f"08 §3: float labels for CrossEntropyLoss: PyTorch raises, the doctor names it; 'With labels of type "
        f"torch.int64, the setup passes' (seed {seed}: raised {run['float_error']!r}, doctor "
        f"{run['float_labels'].ids}, then {run['long_labels'].ids})"
    )


# ------------------------------------------------------------------ §4 scales, and a NaN column


@pytest.mark.parametrize("seed", SEEDS)
def test_d_fixed_by_standardising(seed):
    run = lesson_08_standardised(seed)
    assert run["report"].ok and run["fixed_acc"] >= 95, (
        f"08 §4: 'Standardise ... ask again, and train on every seed': nothing wrong found and >= 95% "
        f"(seed {seed}: {run['report'].ids}, {run['fixed_acc']:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_nan_column_every_loss_nan_and_doctor_names_the_column(seed):
    run = lesson_08_standardised(seed)
    all_nan = all(math.isnan(value) for value in run["nan_losses"])
    (finding,) = run["nan_report"].problems or (None,)
    assert (
        all_nan
        and run["nan_outputs"] == run["n_test"]
        and run["nan_report"].ids == ["non_finite_data"]
        and "column 2" in finding.message
    ), (
        f"08 §4: a constant column standardised: 'NaN, in every row. The symptom is the loudest there is' ... "
        f"'The doctor names the column' (seed {seed}: every loss NaN {all_nan}, NaN test outputs "
        f"{run['nan_outputs']} of {run['n_test']}, doctor {run['nan_report'].ids})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_nan_column_dropped_is_ds_fix(seed):
    run = lesson_08_standardised(seed)
    assert run["kept"] == [0, 1] and run["kept_report"].ok and run["kept_is_standardised"], (
        f"08 §4: 'drop it ... and ask again. What remains is the standardised circles, exactly what D's fix "
        f"trained on' (seed {seed}: kept {run['kept']}, doctor {run['kept_report'].ids}, same data "
        f"{run['kept_is_standardised']})"
    )


# ------------------------------------------------------------------ §5 a learning rate far off


@pytest.mark.parametrize("seed", SEEDS)
def test_lr_fix_followed_reaches_95_with_adam(seed):
    run = lesson_08_lr_fix("F", seed)
    assert run["report"].ok and run["test_acc"] >= 95, (
        f"08 §5: 'Adam (F's fix) is the steadier recipe': nothing wrong found, >= 95% (seed {seed}: lr "
        f"{run['lr']:g}, doctor {run['report'].ids}, {run['test_acc']:.1f}%)"
    )


def test_lr_fix_for_plain_sgd_reaches_95_on_most_draws():
    draws = range(20, 40)  # draws the lesson does not show (it shows 42, 0-3, and 0-19 for this count)
    accs = {seed: lesson_08_lr_fix("E", seed)["test_acc"] for seed in draws}
    reached = sum(a >= 95 for a in accs.values())
    assert reached > len(accs) / 2, (
        f"08 §5: E's fix reaches 95% on 'most draws, not all' (seeds 20-39: {reached} of 20; "
        f"{ {s: a for s, a in accs.items() if a < 95} })"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_e_fixed_crawls_a_plateau_near_ln2(seed):
    run = lesson_08_lr_fix("E", seed)
    off = max(abs(value - LN2) for value in run["losses"][:50])
    assert off < NEAR_LN2 and run["plateau"] is not None and run["plateau"] >= 50, (
        f"08 §5: E at the fixed rate 'first crawls along a plateau near ln 2' (seed {seed}: first 50 epochs "
        f"within {off:.3f} of ln 2, loss first below 0.6 at epoch {run['plateau']})"
    )


def test_e_fixed_plateau_length_depends_on_the_seed():
    plateaus = [lesson_08_lr_fix("E", seed)["plateau"] for seed in SEEDS]
    assert len(set(plateaus)) > 1, (
        f"08 §5: 'for a number of epochs that depends on the seed' (loss first below 0.6 at epochs {plateaus}, "
        f"seeds {SEEDS})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_e_second_layer_all_dead(seed):
    alive = lesson_08_e_mechanism(seed)["alive"]
    assert alive == 0, (
        f"08 §5: 'with lr 30 the first steps ... push every unit of the second layer below zero for every point' "
        f"(seed {seed}: {alive} of 10 alive)"
    )


# ------------------------------------------------------------------ §6 only straight lines


@pytest.mark.parametrize("seed", SEEDS)
def test_only_linear_on_blobs_ok_and_90(seed):
    run = lesson_08_linear_blobs(seed)
    assert run["report"].ok and run["test_acc"] >= 90, (
        f"08 §6: 'On the blobs of lesson 04, the same stack of Linear layers is fine, and the doctor says so' "
        f"(seed {seed}: doctor {run['report'].ids}, {run['test_acc']:.1f}% after 300 epochs)"
    )


# ------------------------------------------------------------------ §7 zero_grad, and eval mode


@pytest.mark.parametrize(
    "seed",
    SEEDS,
)
def test_no_zero_grad_adam_loss_climbs_back(seed):
    run = lesson_08_watched(seed, False, "adam")
    losses = run["losses"]
    rise = losses[-1] - min(losses)
    assert run["report"].ids == ["no_zero_grad"] and rise > 0.03, (
        f"08 §7: 'The loss comes down at first, then, on most seeds, climbs back' (the cell's assert: up by more than 0.03) and "
        f"the watch names no_zero_grad (Adam 0.01, seed {seed}: lowest {min(losses):.3f}, last {losses[-1]:.3f}, "
        f"up by {rise:.3f}; watch {run['report'].ids})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_no_zero_grad_sgd_loss_climbs_back(seed):
    run = lesson_08_watched(seed, False, "sgd")
    losses = run["losses"]
    rise = losses[-1] - min(losses)
    assert run["report"].ids == ["no_zero_grad"] and rise > 0.05, (
        f"08 §7: 'The loss comes down at first, then, on most seeds, climbs back' (SGD 0.1, seed {seed}: lowest "
        f"{min(losses):.3f}, last {losses[-1]:.3f}; watch {run['report'].ids})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_with_zero_grad_watched_is_the_good_run(seed):
    run = lesson_08_watched(seed, True, "adam")
    good = lesson_08_gallery("good", seed)["test_acc"]
    assert run["report"].ok and run["test_acc"] == good, (
        f"08 §7: 'the gallery's good run, now watched': nothing wrong found and the same test accuracy "
        f"(seed {seed}: {run['report'].ids}, {run['test_acc']:.1f}% vs {good:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_dropout_eval_missing_flagged_and_eval_ok(seed):
    missing, called = lesson_08_dropout(seed, False), lesson_08_dropout(seed, True)
    assert missing["report"].ids == ["eval_in_train_mode"] and called["report"].ok, (
        f"08 §7: 'The doctor flagged the loop without model.eval() on every seed, and found nothing in the loop "
        f"with it' (seed {seed}: {missing['report'].ids}, {called['report'].ids})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_dropout_train_mode_noisy_and_at_worst_lower(seed):
    missing, called = lesson_08_dropout(seed, False), lesson_08_dropout(seed, True)
    repeats, once = called["in_train_mode"], called["in_eval_mode"]
    assert (
        max(repeats) - min(repeats) > 0 and min(repeats) < once and min(missing["test_accs"]) < min(called["test_accs"])
    ), (
        f"08 §7: 'The same weights give a different accuracy at every evaluation in training mode, and a lower one "
        f"at worst'; the loop's 'test numbers are noisy and, at worst, lower' (seed {seed}: 20 evaluations in "
        f"training mode {min(repeats):.1f} to {max(repeats):.1f}%, eval mode {once:.1f}%; last 50 epochs' lowest "
        f"without eval {min(missing['test_accs']):.1f}%, with {min(called['test_accs']):.1f}%)"
    )


# ------------------------------------------------------------------ §8 the checks by hand


@pytest.mark.parametrize("seed", SEEDS)
def test_neighbour_check_catches_c(seed):
    X_train, _, y_train, _ = circles()
    _, _, X_c, y_c, _ = gallery_setup("C", seed)
    good, c = neighbour_agreement(X_train, y_train), neighbour_agreement(X_c, y_c)
    assert good > 95 and 35 < c < 65, (
        f"08 §8: C 'shows only when labels are set against their neighbours: they agree about half the time' "
        f"(seed {seed}: good {good:.1f}%, C {c:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_e_last_bias_flips_and_the_loss_is_half_of_it(seed):
    run = lesson_08_e_mechanism(seed)
    last_loss = lesson_08_gallery("E", seed)["losses"][-1]
    b = run["biases"]
    flips = all(x * x_next < 0 for x, x_next in zip(b, b[1:]))
    assert flips and abs(last_loss - abs(b[0]) / 2) < 0.05 * last_loss, (
        f"08 §5: 'lr 30 throws [the last bias] from one side of zero to the other at every step'; 'the loss is "
        f"about half the bias' (seed {seed}: biases {[round(x, 2) for x in b]}, last loss {last_loss:.3f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("data", ["circles", "blobs, raw", "blobs, standardised"])
def test_start_loss_within_the_doctors_thresholds(data, seed):
    value = lesson_08_start_losses(seed)[data]
    chance = LN2 if data == "circles" else LN4
    assert 0.5 * chance < value < 3 * chance, (
        f"08 §8: 'A fresh model lands *near* it': between the doctor's thresholds 0.5 ln C and 3 ln C "
        f"({data}, seed {seed}: {value:.3f}; ln C = {chance:.3f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_start_loss_standardised_blobs_near_ln4_raw_further(seed):
    start = lesson_08_start_losses(seed)
    raw, std = abs(start["blobs, raw"] - LN4), abs(start["blobs, standardised"] - LN4)
    assert std < 0.25 and raw > std, (
        f"08 §8: standardised blobs start within 0.25 of ln 4 (the cell's assert); 'Features with a large spread "
        f"start further from ln C' (seed {seed}: raw {start['blobs, raw']:.3f}, standardised "
        f"{start['blobs, standardised']:.3f}; ln 4 = {LN4:.3f})"
    )


def test_raw_blobs_can_start_below_ln4():
    starts = [round(lesson_08_start_losses(seed)["blobs, raw"], 3) for seed in SEEDS]
    assert min(starts) < LN4, (
        f"08 §8: 'a fresh model on the raw blobs can start below ln 4 by luck' (seeds {SEEDS}: {starts})"
    )


def test_baseline_lists():
    _, _, y_train, y_test = circles()
    majority = torch.mode(y_train).values.item()
    baseline = 100 * (y_test == majority).float().mean().item()
    accs = {name: [lesson_08_gallery(name, seed)["test_acc"] for seed in SEEDS] for name in L08_PLANTED}
    at_baseline = {name for name, values in accs.items() if all(abs(a - baseline) <= 2.5 for a in values)}
    near_it = {name for name, values in accs.items() if max(values) <= baseline + 10} - at_baseline
    assert at_baseline == set("BEF") and near_it == set("ACDG"), (
        f"08 §8: 'At the baseline (within 2.5 points) on all 5 seeds: B, E, F'; 'Never more than 10 points above "
        f"it: A, C, D, G'; the good setup in neither (baseline {baseline:.1f}%; seeds {SEEDS}: {accs})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_small_batch_relu_100_linear_below_90_near_majority(seed):
    run = lesson_08_small_batch(seed)
    assert run["relu"] == 100 and run["linear"] < 90 and abs(run["linear"] - run["majority_share"]) <= 100 / 32, (
        f"08 §8: 'Any model worth training can learn 32 points by heart'; 'Only Linear layers cannot'; 'The "
        f"linear model ends near the larger class's share of the 32 points' (seed {seed}: ReLU {run['relu']:.1f}%, "
        f"only Linear {run['linear']:.1f}%, larger class {run['majority_share']:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_small_batch_relu_memorises_some_shuffled_labels(seed):
    run = lesson_08_small_batch(seed)
    assert run["shuffled"] > run["majority_share"], (
        f"08 §8: 'A ReLU model can memorise some of them too, so this check does not catch C' (beyond the "
        f"majority answer) (seed {seed}: {run['shuffled']:.1f}% of the shuffled 32, larger class "
        f"{run['majority_share']:.1f}%)"
    )


# ------------------------------------------------------------------ §9 your turn: two mysteries


@pytest.mark.parametrize("seed", SEEDS)
def test_mystery_h_one_unit_is_too_little_and_the_doctor_says_capacity(seed):
    slip, fixed = lesson_08_mystery_h(seed, width=1), lesson_08_mystery_h(seed, width=8)
    assert slip["test_acc"] < 95 <= fixed["test_acc"], (
        f"08 §9: Mystery H 'reaches nowhere near lesson 04's 99%'; the fix 'nn.Linear(8, 8)' solves it (seed {seed}: "
        f"{slip['test_acc']:.1f}% with one unit, {fixed['test_acc']:.1f}% with eight)"
    )
    assert (
        not slip["report"].ok and slip["report"].ids[0] in ("cannot_fit_batch", "dead_units") and fixed["report"].ok
    ), (
        f"08 §9: the doctor finds the model lacks capacity (seed {seed}: {slip['report'].ids}; fixed: "
        f"{fixed['report'].summary()})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_mystery_i_zero_grad_between_backward_and_step(seed):
    slip, fixed = (
        lesson_08_mystery_i(seed, order="backward, zero_grad, step"),
        lesson_08_mystery_i(seed, order="zero_grad, backward, step"),
    )
    assert abs(slip["last_loss"] - LN2) < NEAR_LN2 and slip["test_acc"] < 95 <= fixed["test_acc"], (
        f"08 §9: Mystery I 'the loss never leaves ln 2'; moving zero_grad before backward solves it (seed {seed}: "
        f"last loss {slip['last_loss']:.3f}, {slip['test_acc']:.1f}%; fixed {fixed['test_acc']:.1f}%)"
    )
    assert slip["examine"].ok and slip["watch"].ids == ["zero_grad_before_step"] and fixed["watch"].ok, (
        f"08 §9: '`examine` finds nothing ... only `watch` sees it' (seed {seed}: examine {slip['examine'].ids}, "
        f"watch {slip['watch'].ids}, watch on the fix {fixed['watch'].ids})"
    )
