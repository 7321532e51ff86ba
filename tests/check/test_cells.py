"""helpers.check.cells: the error of the cell run before a check, as IPython reports it."""

from types import SimpleNamespace

import pytest

from helpers import check
from helpers.check import cells


def result(error=None, cell="x = 1"):
    return SimpleNamespace(error_in_exec=error, error_before_exec=None, info=SimpleNamespace(raw_cell=cell))


@pytest.fixture(autouse=True)
def clean():
    cells._after_cell(result())
    yield
    cells._after_cell(result())


def test_the_last_cells_error_is_kept_until_a_cell_runs_through():
    assert cells.last_cell_error() is None
    cells._after_cell(result(ValueError("Target size (torch.Size([800])) must be the same")))
    assert cells.last_cell_error() == "ValueError: Target size (torch.Size([800])) must be the same"
    cells._after_cell(result(NameError("name 'model' is not defined"), cell="check.task_2(model)"))
    assert cells.last_cell_error().startswith("ValueError"), "a check cell's own error is not a blank's"
    cells._after_cell(result(cell="check.task_4b(model, loss_fn, test_loss, test_acc)"))
    assert cells.last_cell_error().startswith("ValueError"), "a check cell that ran through changes nothing"
    cells._after_cell(result())
    assert cells.last_cell_error() is None


def test_a_check_after_a_cell_that_raised_says_so_instead_of_not_attempted():
    cells._after_cell(result(ValueError("shapes [800, 1] and [800]")))
    line = repr(check.task_6(None))
    assert line.startswith("❌ Task 6 failed: the cell you ran before this check raised ValueError: shapes")
    cells._after_cell(result())
    assert repr(check.task_6(None)).startswith("⏳ Task 6 not attempted yet")


def test_outside_ipython_watching_does_nothing():
    cells.watch_cells()  # no shell here: no error, nothing registered
    assert cells.last_cell_error() is None


def test_a_training_step_below_its_target_after_a_cell_that_raised_says_the_loop_stopped(moons):
    from torch import nn

    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))  # untrained: the loop died
    cells._after_cell(result(ValueError("Target size (torch.Size([800])) must be the same as input size")))
    line = repr(check.task_4c(model, nn.BCEWithLogitsLoss(), None, moons[0], moons[2]))
    assert line.startswith("❌ Task 4c failed") and "raised ValueError: Target size" in line
    assert "the model did not train" in line and "more epochs" not in line


def test_a_blank_left_none_by_a_cell_that_raised_names_the_error_not_the_blank(moons):
    """Review 33: test_loss set, then accuracy_fn raised in epoch 0; test_acc is None because of the error."""
    from torch import nn

    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    cells._after_cell(result(ValueError("helpers.accuracy_fn: y_pred must hold class labels")))
    line = check.task_4b(model, nn.BCEWithLogitsLoss(), 0.69, None)
    assert line.status == "failed" and "test_acc is still None because the cell you ran before this check raised" in (
        line.message
    ), line.message
    assert "helpers.accuracy_fn: y_pred must hold class labels" in line.message
    cells._after_cell(result())
    line = check.task_4b(model, nn.BCEWithLogitsLoss(), 0.69, None)
    assert "test_acc is still None: fill in every blank of this step" in line.message
