"""One wording for every scalar argument (helpers.validation): TypeError for the wrong kind,
ValueError for the wrong range, and NumPy integers accepted wherever an int is."""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

import helpers
from helpers.check import help as check_help
from helpers.decision import data_extent, decision_regions
from helpers.live import TrainingFigure
from helpers.playground.run import PlaygroundRun, first_layer_maps
from helpers.validation import check_choice, check_extent, check_integer, check_real

TEMPLATE = re.compile(r"^The '\w+' parameter of [\w.]+ must be .+\. Got .+ instead\.$")
X = torch.tensor([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
Y = torch.tensor([0, 1, 1, 0])


def test_the_template():
    with pytest.raises(ValueError) as error:
        check_integer(1, "grid_resolution", "decision_regions", low=2)
    assert str(error.value) == (
        "The 'grid_resolution' parameter of decision_regions must be an int in the range [2, inf). Got 1 instead."
    )
    with pytest.raises(TypeError, match=r"must be a real number in the range \(0, 1\]. Got '0.5' instead."):
        check_real("0.5", "max_share", "LiveView", low=0, high=1, low_open=True)
    with pytest.raises(ValueError, match=r"must be one of 'a', 'b'. Got 'c' instead."):
        check_choice("c", "x", "f", ("a", "b"))
    with pytest.raises(TypeError, match="four finite numbers"):
        check_extent("abcd", "f")


@pytest.mark.parametrize("value", [True, 2.0, "2", None, np.float64(2.0)])
def test_integers_refuse_other_kinds_with_a_type_error(value):
    with pytest.raises(TypeError) as error:
        check_integer(value, "n", "f", low=0)
    assert TEMPLATE.match(str(error.value))


@pytest.mark.parametrize("value", [np.int64(3), np.int32(3), np.uint8(3), 3])
def test_integers_take_every_integral_kind(value):
    assert check_integer(value, "n", "f", low=0, high=3) == 3 and type(check_integer(value, "n", "f")) is int


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0])
def test_reals_refuse_values_out_of_range_with_a_value_error(value):
    with pytest.raises(ValueError) as error:
        check_real(value, "noise", "f", low=0)
    assert TEMPLATE.match(str(error.value))


def calls_with(n):
    """Every public function with an integer argument, called with n there: (name, call)."""
    model = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
    extent = (-1.0, 2.0, -1.0, 2.0)
    return [
        ("set_seed", lambda: helpers.set_seed(n(3))),
        ("make_spirals", lambda: helpers.make_spirals(n(5), n(2), seed=n(1))),
        ("decision_regions", lambda: decision_regions(model, extent, grid_resolution=n(5))),
        ("plot_decision_boundary", lambda: helpers.plot_decision_boundary(model, X, Y, grid_resolution=n(5))),
        (
            "plot_train_test_boundaries",
            lambda: helpers.plot_train_test_boundaries(model, X, Y, X, Y, grid_resolution=n(5)),
        ),
        ("TrainingFigure", lambda: TrainingFigure(X, Y, extent, epochs=n(5))),
        ("LiveView", lambda: helpers.LiveView(X, Y, epochs=n(5), grid_resolution=n(5), final_only=True)),
        (
            "LiveView.update",
            lambda: helpers.LiveView(X, Y, final_only=True).update(model, n(0), train_loss=1.0, test_loss=1.0),
        ),
        ("PlaygroundConfig", lambda: helpers.PlaygroundConfig(layers=n(1), units=n(3), batch_size=n(10), seed=n(2))),
        ("PlaygroundRun.train_epochs", lambda: PlaygroundRun("layers=1 units=2").train_epochs(n(1))),
        ("run_config", lambda: helpers.run_config("layers=1 units=2", epochs=n(1))),
        ("generate_code", lambda: helpers.generate_code("layers=1", n(2))),
        ("first_layer_maps", lambda: first_layer_maps(model, extent, grid_resolution=n(4))),
    ]


@pytest.mark.parametrize("name", [name for name, _ in calls_with(int)])
def test_numpy_integers_are_accepted_wherever_an_int_is(name):
    expected = dict(calls_with(int))[name]()
    got = dict(calls_with(np.int64))[name]()
    assert type(got) is type(expected)
    plt.close("all")


@pytest.mark.parametrize("name", [name for name, _ in calls_with(int)])
def test_a_float_where_an_int_belongs_is_a_type_error_in_the_one_wording(name):
    with pytest.raises(TypeError) as error:
        dict(calls_with(lambda value: value + 0.5))[name]()
    assert TEMPLATE.match(str(error.value)), str(error.value)
    plt.close("all")


def test_a_hint_level_may_be_a_numpy_integer(capsys):
    check_help.hint(3, level=np.int64(2))
    assert "hint 2 of 3" in capsys.readouterr().out


def test_a_margin_may_be_a_numpy_float():
    assert data_extent(X, margin=np.float64(0.5)) == data_extent(X, margin=0.5)
    with pytest.raises(ValueError) as error:
        data_extent(X, margin=-1)
    assert TEMPLATE.match(str(error.value))
