"""The bug zoo: each planted defect is reported, by its own finding, and nothing else is."""

import re

import pytest
import torch

from helpers.doctor import examine

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
    s = setups.healthy("07 moons ReLU 2-10-10-1, Adam 0.03")
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
    s = setups.healthy("07 spirals ReLU 2-16-16-3, Adam 0.02")
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
