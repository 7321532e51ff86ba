"""Lesson 06's experiment chores: compare, over_seeds, seed_values, trained_run, dead_units, froze_dead."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from helpers.playground.config import PlaygroundConfig
from helpers.playground.experiments import compare, dead_units, froze_dead, over_seeds, seed_values, trained_run
from helpers.playground.run import run_config

CONFIG = "data=xor layers=1 units=4 opt=adam lr=0.03"


def test_compare_gives_run_configs_results_and_prints_one_line_each(capsys):
    results = compare([CONFIG, PlaygroundConfig.from_string("data=circles layers=0")], epochs=5)
    assert results[0] == run_config(CONFIG, epochs=5)
    assert results[1] == run_config("data=circles layers=0", epochs=5)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(CONFIG) and f"{results[0].val_acc:5.1f}%" in lines[0]


def test_compare_can_stay_quiet(capsys):
    compare([CONFIG], epochs=1, show=False)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "configs, epochs, error",
    [
        (CONFIG, 5, TypeError),
        ([], 5, ValueError),
        ([CONFIG], 0, ValueError),
        ([CONFIG], 2.5, TypeError),
        (["layers=9"], 5, ValueError),
    ],
)
def test_compare_checks_its_inputs(configs, epochs, error):
    with pytest.raises(error):
        compare(configs, epochs=epochs)


def test_compare_names_the_parameter():
    with pytest.raises(TypeError, match="The 'configs' parameter of compare must be a list"):
        compare(CONFIG, epochs=5)


def test_over_seeds_replaces_only_the_seed():
    spread = over_seeds([CONFIG], epochs=3, seeds=[np.int64(0), 3])
    assert list(spread) == [CONFIG]
    assert spread[CONFIG] == [run_config(PlaygroundConfig.from_string(CONFIG, seed=seed), epochs=3) for seed in (0, 3)]


@pytest.mark.parametrize(
    "seeds, error", [(5, TypeError), ("01", TypeError), ([], ValueError), ([-1], ValueError), ([1.0], TypeError)]
)
def test_over_seeds_checks_the_seeds(seeds, error):
    with pytest.raises(error, match="seeds"):
        over_seeds([CONFIG], epochs=1, seeds=seeds)


def test_trained_run_is_a_run_after_that_many_epochs():
    run = trained_run(CONFIG, 4)
    assert run.epoch == 4 and run.result() == run_config(CONFIG, epochs=4)
    with pytest.raises(ValueError, match="'epochs' parameter of trained_run"):
        trained_run(CONFIG, 0)


def _model_with_a_dead_unit():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2), nn.ReLU(), nn.Linear(2, 1))
    with torch.no_grad():
        model[0].weight.zero_()
        model[0].bias.copy_(torch.tensor([-1.0, 1.0, -0.5]))  # units 0 and 2 always off
        model[2].weight.fill_(1.0)
        model[2].bias.copy_(torch.tensor([-5.0, 0.0]))  # unit 0 of layer 2 always off
    return model


def test_dead_units_counts_units_that_are_zero_everywhere():
    X = torch.randn(50, 2)
    assert dead_units(_model_with_a_dead_unit(), X) == [2, 1]
    assert dead_units(nn.Sequential(nn.Linear(2, 1)), X) == []


def test_dead_units_changes_nothing_it_was_given():
    model = _model_with_a_dead_unit().train()
    before = [p.clone() for p in model.parameters()]
    X = np.random.default_rng(0).normal(size=(10, 2))
    dead_units(model, X)
    assert model.training and all(torch.equal(p, q) for p, q in zip(before, model.parameters()))
    assert all(p.grad is None for p in model.parameters())


@pytest.mark.parametrize(
    "model, X, error",
    [
        ("model", torch.zeros(3, 2), TypeError),
        (nn.Sequential(nn.Linear(2, 1)), torch.zeros(3, 3), ValueError),
        (nn.Sequential(nn.Linear(2, 1)), [[0, 0]], TypeError),
    ],
)
def test_dead_units_checks_its_inputs(model, X, error):
    with pytest.raises(error):
        dead_units(model, X)


def test_over_seeds_can_keep_the_runs_and_seed_values_reads_either():
    kept = over_seeds([CONFIG], epochs=3, seeds=[0, 1], keep_runs=True)
    results = over_seeds([CONFIG], epochs=3, seeds=[0, 1])
    assert [run.config.seed for run in kept[CONFIG]] == [0, 1] and all(run.epoch == 3 for run in kept[CONFIG])
    assert [run.result() for run in kept[CONFIG]] == results[CONFIG]
    for spread in (kept, results):
        values = seed_values(spread, "val_acc", ["xor"])
        assert values == {"xor": [r.val_acc for r in results[CONFIG]]}
    assert list(seed_values(results, "train_loss")) == [CONFIG]


@pytest.mark.parametrize(
    "spread, field, labels, error",
    [
        ([1, 2], "val_acc", None, TypeError),
        ({CONFIG: []}, "test_acc", None, ValueError),
        ({CONFIG: []}, "val_acc", "a", TypeError),
        ({CONFIG: []}, "val_acc", ["a", "b"], ValueError),
    ],
)
def test_seed_values_checks_its_inputs(spread, field, labels, error):
    with pytest.raises(error):
        seed_values(spread, field, labels)


def test_froze_dead_needs_a_dead_layer_and_a_loss_at_ln_2():
    run = trained_run("data=circles layers=2 units=8 opt=sgd lr=0.3", 3)
    assert not froze_dead(run)
    for layer in (run.model[2],):  # kill the second hidden layer: every input negative
        with torch.no_grad():
            layer.weight.zero_()
            layer.bias.fill_(-1.0)
    run.history["train_loss"][-1] = math.log(2)
    assert froze_dead(run)
    run.history["train_loss"][-1] = 0.5
    assert not froze_dead(run)
    with pytest.raises(TypeError, match="PlaygroundRun"):
        froze_dead("run")
    with pytest.raises(ValueError, match="at least one epoch"):
        froze_dead(trained_run(CONFIG, 1).__class__(CONFIG))
