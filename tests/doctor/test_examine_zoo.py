"""The bug zoo: each planted defect is reported, by its own finding, and nothing else is."""

import re

import pytest
import torch

from helpers.doctor import examine
from helpers.doctor.static import activation_floor

from . import setups
from .loops import lesson_loop
from .plants import PLANTS

SEEDS = (0, 1, 42)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(PLANTS))
def test_each_planted_bug_is_named_and_nothing_else(name, seed):
    plant, expected = PLANTS[name]
    s = plant(seed)
    report = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"], X_test=s["X_test"])
    assert report.ids == [expected], str(report)
    assert report.notes == [], str(report)
    assert not report.ok
    (finding,) = report.problems
    assert re.search(r"\d", finding.message), "a finding shows the numbers that show it"
    assert finding.fix and finding.section, "a finding says how to fix it and where the course explains it"


def test_linear_model_flagged_on_circles_but_not_on_blobs():
    circles = PLANTS["only Linear layers on circles"][0](42)
    blobs = setups.healthy("04 blobs linear 2-8-8-4, SGD 0.1")
    on_circles = examine(circles["model"], circles["loss_fn"], circles["optimizer"], circles["X"], circles["y"])
    on_blobs = examine(blobs["model"], blobs["loss_fn"], blobs["optimizer"], blobs["X"], blobs["y"])
    assert on_circles.ids == ["linear_only"]
    assert "straight lines" in on_circles.problems[0].message
    assert on_blobs.ok and on_blobs.findings == []


def test_a_model_trained_already_is_a_note_not_a_problem():
    s = setups.healthy("09 exercises moons ReLU 2-10-10-1, Adam 0.03")
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    for _ in range(200):
        loss = loss_fn(model(s["X"]).squeeze(1), s["y"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    report = examine(model, loss_fn, optimizer, s["X"], s["y"])
    assert report.ok
    assert [f.id for f in report.notes] == ["pretrained"]


def test_shape_errors_stop_the_examination():
    s = PLANTS["2 outputs against [N] labels for BCEWithLogitsLoss"][0](0)
    report = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"])
    assert report.stopped
    assert report.entries[-1].id == "shape_mismatch", "nothing is measured after a shape error"
    assert "Stopped early" in str(report)


def test_the_loss_at_the_start_is_compared_with_ln_c():
    s = setups.healthy("09 exercises spirals ReLU 2-16-16-3, Adam 0.02")
    report = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"])
    (line,) = [f for f in report.entries if f.id == "initial_loss"]
    assert "ln 3 = 1.099" in line.message


def test_examine_accepts_a_loss_function_and_a_model_in_eval_mode():
    s = setups.healthy("04 blobs ReLU 2-8-8-4, SGD 0.1")
    s["model"].eval()
    report = examine(s["model"], torch.nn.functional.cross_entropy, s["optimizer"], s["X"], s["y"])
    assert report.ok and report.findings == [], str(report)


def test_a_draw_that_kills_most_units_is_told_and_really_fails_in_the_lesson():
    """Seed 10 leaves 7 of the circles model's 10 first-layer units dead: the lesson's own Adam loop
    then stays far from 99%, and the doctor says why before any training."""
    s = setups.healthy("03 circles ReLU, Adam 0.01", seed=10)
    report = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"])
    assert report.ids == ["cannot_fit_batch"]
    assert "are dead from the start" in report.problems[0].message
    assert lesson_loop(s, epochs=400) < 90


@pytest.mark.parametrize(
    ("name", "floor", "predictions"),
    (
        ("sigmoid before BCEWithLogitsLoss", "0.50", "whose output is not 0 in class 1"),
        ("softmax before CrossEntropyLoss", "0.74", "argmax still pick the most likely class"),
    ),
)
def test_an_activation_before_the_loss_is_told_by_its_real_mechanism(name, floor, predictions):
    """The loss has a floor above 0 (sigmoid: ~0.50 on balanced labels; softmax on 4 classes:
    ln(1 + 3/e) = 0.744), and only a second sigmoid's threshold puts every
    prediction on one side: the model itself learns to separate the classes."""
    s = PLANTS[name][0](0)
    report = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"])
    (finding,) = report.problems
    assert f"never go below {floor}" in finding.message
    assert "cannot tell you when you are done" in finding.message
    assert predictions in finding.message
    assert "50%" not in finding.message


def test_the_floor_of_a_sigmoid_before_bce_with_logits_is_what_training_reaches():
    s = PLANTS["sigmoid before BCEWithLogitsLoss"][0](0)
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    for _ in range(300):
        loss = loss_fn(model(s["X"]).squeeze(1), s["y"])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        probabilities = model(s["X_test"]).squeeze(1)
    # the model separates the classes: its outputs are probabilities, read with round() ...
    assert float((torch.round(probabilities) == s["y_test"]).float().mean()) > 0.9
    # ... while a second sigmoid puts every output above 0 in class 1 (float32 rounds the sigmoid of
    # outputs below about 1e-8 to exactly 0.5, which torch.round sends to 0), and the loss stays above the floor
    positive = probabilities > 1e-6
    assert bool((torch.round(torch.sigmoid(probabilities[positive])) == 1).all())
    floor = activation_floor("sigmoid", probabilities, s["y"])
    assert floor <= float(loss.detach()) < floor + 0.1


def test_one_based_labels_are_told_as_such_with_y_minus_1():
    s = PLANTS["labels 1..4 for 4 outputs"][0](0)
    (finding,) = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"]).problems
    assert "1-based" in finding.message and "y = y - 1" in finding.fix
    s = PLANTS["labels 0..3 for 3 outputs"][0](0)
    (finding,) = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"]).problems
    assert "1-based" not in finding.message and "out_features" in finding.fix


def test_a_whole_nan_column_is_named_and_not_told_to_drop_rows():
    s = PLANTS["a constant feature standardised (a NaN column)"][0](0)
    (finding,) = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"]).problems
    assert "column 2 of X" in finding.message and "rows" not in finding.fix
    s = PLANTS["a NaN in the features"][0](0)
    (finding,) = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"]).problems
    assert "in 1 row" in finding.message and "rows" in finding.fix


@pytest.mark.parametrize("seed", SEEDS)
def test_adam_lr_1_is_too_high_and_the_fix_gives_the_rate_as_a_number(seed):
    s = PLANTS["Adam lr 1"][0](seed)
    (finding,) = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"]).problems
    lr = finding.values["lr"]
    assert lr < 1.0 and f"about {lr:g}" in finding.fix and "in range" not in finding.message


def test_squeezed_outputs_are_said_to_be_squeezed():
    s = setups.healthy("03 circles ReLU, Adam 0.01")
    report = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"])
    (line,) = [f for f in report.entries if f.id == "outputs"]
    assert "[800, 1], squeezed to [800]" in line.message and ".squeeze(1)" in line.message
    s = setups.healthy("04 blobs ReLU 2-8-8-4, SGD 0.1")
    report = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"])
    (line,) = [f for f in report.entries if f.id == "outputs"]
    assert "squeezed" not in line.message
