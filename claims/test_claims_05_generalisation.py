"""Lesson 05's conclusions, over seeds other than the stored 42 (the seed sets the initial weights
and the loops; the moons, the circles and their 60/20/20 splits are the lesson's)."""

import math

import pytest
from _lesson_runs import SEEDS, lesson_05_circles, lesson_05_moons, lesson_05_subset


def _best_wd(m):
    return min(m["wd"], key=lambda wd: m["wd"][wd]["eval"]["val_loss"])


@pytest.mark.parametrize("seed", SEEDS)
def test_baseline_training_loss_keeps_falling(seed):
    m = lesson_05_moons(seed)
    h, best = m["base_h"], m["base_best"]
    at_best, final = h["train_loss"][best["epoch"]], h["train_loss"][-1]
    assert final < at_best / 5 and final < 0.05, (
        f"05: 'The training loss heads for zero' (seed {seed}: {at_best:.3f} at the best epoch, {final:.4f} at the end)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_baseline_validation_loss_turns_up(seed):
    m = lesson_05_moons(seed)
    final, lowest = m["base_h"]["val_loss"][-1], m["base_best"]["val_loss"]
    assert final > 2 * lowest, f"05: 'the validation loss climbs' (seed {seed}: lowest {lowest:.3f}, end {final:.3f})"


@pytest.mark.parametrize("seed", SEEDS)
def test_every_sample_of_80_overfits(seed):
    lowest, final = lesson_05_subset(seed)
    assert final > 1.5 * lowest, (
        f"05: 'Every sample overfits: the validation loss always ends well above its lowest' "
        f"(sample and seed {seed}: lowest {lowest:.3f}, final {final:.3f})"
    )


def test_how_much_a_sample_overfits_varies():
    ratios = [final / lowest for lowest, final in map(lesson_05_subset, SEEDS)]
    assert max(ratios) - min(ratios) > 0.5, (
        f"05: 'How far above varies from sample to sample' (samples {SEEDS}: final/lowest {[round(r, 2) for r in ratios]})"
    )


def test_our_80_points_overfit_more_than_most():
    ours = [lesson_05_moons(seed)["base_h"]["val_loss"][-1] for seed in SEEDS]
    others = [lesson_05_subset(seed)[1] for seed in SEEDS]
    assert sum(o > t for o, t in zip(ours, others)) > len(SEEDS) / 2, (
        f"05: 'our 80 points overfit more than most' (final validation loss, ours {ours}, other samples {others})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_baseline_validation_accuracy_hardly_moves(seed):
    m = lesson_05_moons(seed)
    h = m["base_h"]
    at_best, final = h["val_acc"][m["base_best"]["epoch"]], h["val_acc"][-1]
    assert abs(final - at_best) <= 2, (
        f"05: 'The validation accuracy hardly moves while the validation loss quadruples' (seed {seed}: {at_best}% -> {final}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_early_stopping_retraces_and_halves_the_loss(seed):
    m = lesson_05_moons(seed)
    assert m["early_epochs_run"] < 400 / 2, (
        f"05: 'it cost a fraction of the epochs' (seed {seed}: {m['early_epochs_run']} of 400)"
    )
    assert m["early_retraced"] and m["early"]["val_loss"] < m["base"]["val_loss"] / 2, (
        f"05: 'The run retraced the baseline exactly ... a much lower validation loss' (seed {seed}: "
        f"{m['early']['val_loss']:.3f} against {m['base']['val_loss']:.3f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_decay_helps_and_keeps_training_loss_up(seed):
    m = lesson_05_moons(seed)
    d = m["wd"][_best_wd(m)]
    assert d["eval"]["val_loss"] < m["base"]["val_loss"] / 2, (
        f"05: weight decay halves the validation loss (seed {seed})"
    )
    assert d["h"]["train_loss"][-1] > 5 * m["base_h"]["train_loss"][-1], (
        f"05: 'the training loss no longer heads for zero' (seed {seed})"
    )
    assert d["h"]["val_loss"][-1] < 1.1 * min(d["h"]["val_loss"]), (
        f"05: 'The validation loss falls and then stays flat instead of climbing' (seed {seed})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_decay_amount_matters_both_ways(seed):
    m = lesson_05_moons(seed)
    best = _best_wd(m)
    smallest, largest = min(m["wd"]), max(m["wd"])
    assert best not in (smallest, largest), f"05: the middle value is chosen (seed {seed}: {best})"
    assert m["wd"][smallest]["eval"]["val_loss"] > 1.5 * m["wd"][best]["eval"]["val_loss"], (
        f"05: 'with the smallest value the validation loss still ends well above the chosen one's' (seed {seed})"
    )
    assert m["wd"][largest]["h"]["train_loss"][-1] > 2 * m["wd"][best]["h"]["train_loss"][-1], (
        f"05: 'with the largest the training loss itself stays high' (seed {seed})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_weight_decay_weights_several_times_smaller(seed):
    m = lesson_05_moons(seed)
    assert m["wd"][_best_wd(m)]["norm"] < m["base_norm"] / 2, (
        f"05: 'the weights end several times smaller' (seed {seed})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_more_data_helps_loss_and_accuracy(seed):
    m = lesson_05_moons(seed)
    more, base = m["more"], m["base"]
    assert more["val_loss"] < base["val_loss"] / 2 and more["val_acc"] > base["val_acc"], (
        f"05: more data lowers the validation loss and raises the accuracy (seed {seed}: {more}, baseline {base})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_remedies_cut_confident_mistakes(seed):
    m = lesson_05_moons(seed)
    decay = m["wd"][_best_wd(m)]["eval"]
    assert all(r["confident_mistakes"] < m["base"]["confident_mistakes"] for r in (m["early"], decay, m["more"])), (
        f"05: 'all three remedies cut the validation loss and the number of confident mistakes' (seed {seed})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_only_more_data_raises_accuracy(seed):
    m = lesson_05_moons(seed)
    early, decay, more, base = m["early"], m["wd"][_best_wd(m)]["eval"], m["more"], m["base"]
    assert all(abs(r["val_acc"] - base["val_acc"]) <= 2 for r in (early, decay)), (
        f"05: 'early stopping and weight decay land close to the baseline' (seed {seed})"
    )
    assert more["val_acc"] > max(base["val_acc"], early["val_acc"], decay["val_acc"]), (
        f"05: 'More data is the only one that also raised the accuracy' (seed {seed})"
    )


def test_early_stopping_and_weight_decay_usually_cost_a_point_or_two():
    changes = {"early stopping": [], "weight decay": []}
    for seed in SEEDS:
        m = lesson_05_moons(seed)
        changes["early stopping"].append(m["early"]["val_acc"] - m["base"]["val_acc"])
        changes["weight decay"].append(m["wd"][_best_wd(m)]["eval"]["val_acc"] - m["base"]["val_acc"])
    for name, c in changes.items():
        assert sum(x < 0 for x in c) > len(SEEDS) / 2 and min(c) >= -2.5, (
            f"05: 'from the six other seeds usually a point or two *below* it' ({name}, seeds {SEEDS}: {c})"
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_sweep_lr_01_crawls(seed):
    final = lesson_05_circles(seed)["sweep"][0.1]["val_losses"][-1]
    assert final > 0.6, (
        f"05: 'lr 0.1, lesson 03's choice, barely moves the validation loss away from 0.693' (seed {seed}: {final:.4f})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_sweep_chooses_lr_1(seed):
    c = lesson_05_circles(seed)
    final = {lr: s["val_losses"][-1] for lr, s in c["sweep"].items()}
    assert c["chosen_lr"] == 1.0 and final[1.0] < final[3.0], (
        f"05: 'The chosen value ends below the next one up at every seed, so the choice stands' (seed {seed}: {final})"
    )


def test_sweep_chosen_lr_varies_by_ten():
    finals = [lesson_05_circles(seed)["sweep"][1.0]["val_losses"][-1] for seed in SEEDS]
    assert max(finals) > 10 * min(finals) and max(finals) > 0.05, (
        f"05: 'how low it ends varies by more than a factor of ten: at some seeds it ... ends far from zero' "
        f"(seeds {SEEDS}: {[round(f, 4) for f in finals]})"
    )


def test_sweep_next_lr_up_near_ln2_at_most_seeds():
    finals = [lesson_05_circles(seed)["sweep"][3.0]["val_losses"][-1] for seed in SEEDS]
    assert sum(abs(f - math.log(2)) < 0.05 for f in finals) > len(SEEDS) / 2, (
        f"05: 'The next value up ends near ln 2 at most seeds, not all' (seeds {SEEDS}: {[round(f, 4) for f in finals]})"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_sweep_largest_lr_ends_worse_than_it_started(seed):
    losses = lesson_05_circles(seed)["sweep"][10.0]["val_losses"]
    assert losses[-1] > losses[0], f"05: 'at the largest value it ends worse than it started' (seed {seed})"


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_chosen_on_validation(seed):
    c = lesson_05_circles(seed)
    assert c["chosen_optimizer"] == "adam", (
        f"05: 'Chosen on validation: Adam, lr 0.01' (seed {seed}: {c['chosen_optimizer']}; test accuracy {c['test_acc']:.1f}%)"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_chosen_model_on_fresh_test_points(seed):
    c = lesson_05_circles(seed)
    assert c["fresh_test_acc"] >= 97, (
        f"05: the chosen model reaches at least 97% on 200 fresh test points (the notebook's assert; seed {seed}: "
        f"{c['fresh_test_acc']:.1f}%)"
    )
