import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from helpers import describe_spread, plot_spread, seed_spread
from helpers.spread import DOT_COLOUR


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_seed_spread_keeps_order_and_values():
    spread = seed_spread({"b": [3, 1, 2], "a": np.array([0.5])}, stored={"a": 1.0, "b": 2})
    assert spread.labels == ("b", "a")
    np.testing.assert_array_equal(spread.values[0], [3.0, 1.0, 2.0])
    np.testing.assert_array_equal(spread.values[1], [0.5])
    assert spread.stored == (2.0, 1.0)  # in the columns' order, not the mapping's


def test_positions_sit_around_the_column_index():
    spread = seed_spread({"a": [1, 2, 3], "b": [4, 5]}, jitter=0.1)
    np.testing.assert_allclose(spread.positions[0], [-0.1, 0.0, 0.1])
    np.testing.assert_allclose(spread.positions[1], [0.9, 1.1])
    assert seed_spread({"a": [7]}).positions[0].tolist() == [0.0]


def test_counts_above_and_below_a_level():
    spread = seed_spread({"early": [-2.0, 0.0, 1.5, 4.0], "decay": [-1.0, -0.5]})
    assert spread.count_above(0) == {"early": 2, "decay": 0}
    assert spread.count_below(0) == {"early": 1, "decay": 2}
    assert spread.count_above(np.float32(1.5)) == {"early": 1, "decay": 0}


def test_accepts_tensors_and_numpy_scalars_and_leaves_them_alone():
    values = torch.tensor([1.0, 2.0], requires_grad=True)
    spread = seed_spread({"t": values}, stored={"t": np.float32(1.5)}, jitter=np.float64(0.2))
    assert spread.values[0].tolist() == [1.0, 2.0] and values.requires_grad
    assert spread.stored == (1.5,)


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"values_by_label": [1, 2]}, TypeError, "must be a mapping"),
        ({"values_by_label": {}}, ValueError, "at least one column"),
        ({"values_by_label": {1: [1.0]}}, TypeError, "must be str"),
        ({"values_by_label": {"a": []}}, ValueError, "non-empty 1-D"),
        ({"values_by_label": {"a": [[1.0, 2.0]]}}, ValueError, "non-empty 1-D"),
        ({"values_by_label": {"a": [1.0, float("nan")]}}, ValueError, "finite"),
        ({"values_by_label": {"a": ["x"]}}, TypeError, "sequence of numbers"),
        ({"values_by_label": {"a": "12"}}, TypeError, "torch.Tensor or a NumPy array"),
        ({"values_by_label": {"a": [1.0]}, "stored": 1.0}, TypeError, "'stored' parameter"),
        ({"values_by_label": {"a": [1.0]}, "stored": {"b": 1.0}}, ValueError, "same columns"),
        ({"values_by_label": {"a": [1.0]}, "stored": {"a": "1"}}, TypeError, "stored['a']"),
        ({"values_by_label": {"a": [1.0]}, "jitter": 0.5}, ValueError, "'jitter' parameter of seed_spread"),
        ({"values_by_label": {"a": [1.0]}, "jitter": "wide"}, TypeError, "'jitter' parameter of seed_spread"),
    ],
)
def test_seed_spread_says_what_is_wrong(kwargs, error, words):
    with pytest.raises(error, match=None) as info:
        seed_spread(**kwargs)
    assert words in str(info.value)


def test_plot_spread_draws_what_it_computed():
    spread = plot_spread(
        {"lr 1": [0.01, 0.3], "lr 3": [0.69, 0.55, 0.7]},
        stored={"lr 1": 0.0135, "lr 3": 0.693},
        title="Near the edge",
        ylabel="validation loss",
        reference=(np.log(2), "ln 2"),
        log=True,
    )
    ax = spread.ax
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(dots) == 2 and all(line.get_color() == DOT_COLOUR for line in dots)  # one neutral colour
    for line, x, column in zip(dots, spread.positions, spread.values):
        np.testing.assert_allclose(line.get_xdata(), x)
        np.testing.assert_allclose(line.get_ydata(), column)
    (star,) = [line for line in ax.lines if line.get_marker() == "*"]
    np.testing.assert_allclose(star.get_ydata(), [0.0135, 0.693])
    assert ax.get_yscale() == "log" and ax.get_title() == "Near the edge"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["lr 1", "lr 3"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["one dot per seed", "the run above", "ln 2"]


def test_plot_spread_draws_into_the_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    spread = plot_spread({"a": [1.0, -1.0]}, ax=right, title="t", ylabel="y", xlabel="x", dots_label="samples")
    assert spread.ax is right and not left.lines and right.get_xlabel() == "x"
    assert spread.stored is None and [t.get_text() for t in right.get_legend().get_texts()] == ["samples"]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"ax": "left"}, TypeError, "'ax' parameter of plot_spread"),
        ({"reference": 0.0}, TypeError, "'reference' parameter of plot_spread"),
        ({"reference": (0.0, 1)}, TypeError, "'reference' parameter of plot_spread"),
        ({"log": True}, ValueError, "positive values"),
        ({"log": True, "reference": (0.0, "zero")}, ValueError, "positive values"),
    ],
)
def test_plot_spread_says_what_is_wrong(kwargs, error, words):
    with pytest.raises(error) as info:
        plot_spread({"a": [1.0, -1.0] if "reference" not in kwargs else [1.0]}, title="t", ylabel="y", **kwargs)
    assert words in str(info.value)


def test_plot_spread_draws_runs_that_never_got_there_as_crosses_at_the_budget():
    """Lesson 03: the epoch from which a run stays at 99%; a run that never does is at its budget."""
    spread = plot_spread(
        {"SGD": [300, 1000, 450], "Adam": [80, 400, 70]},
        budget={"SGD": 1000, "Adam": 400},
        pair_seeds=True,
        title="When it settles",
        ylabel="epoch",
    )
    ax = spread.ax
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    crosses = [line for line in ax.lines if line.get_marker() == "X"]
    np.testing.assert_allclose(dots[0].get_ydata(), [300, 450])
    np.testing.assert_allclose(dots[1].get_ydata(), [80, 70])
    np.testing.assert_allclose([c.get_ydata()[0] for c in crosses], [1000, 400])
    # a column's cross sits at the column's centre, and the returned positions say so
    np.testing.assert_allclose([c.get_xdata()[0] for c in crosses], [0, 1])
    assert spread.positions[0][1] == 0 and spread.positions[1][1] == 1
    pairs = [line for line in ax.lines if line.get_marker() in ("None", "", None) and len(line.get_xdata()) == 2]
    assert len(pairs) == 3  # one grey line per seed, from its SGD run to its Adam run
    np.testing.assert_allclose(pairs[1].get_ydata(), [1000, 400])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["one dot per seed", "never within its budget"]
    assert not ax.texts  # one cross a column: nothing to count


def test_runs_that_never_got_there_are_one_cross_labelled_with_their_count():
    """Lesson 03 review: two crosses jittered apart, one of them labelled "×2", read as three runs."""
    spread = plot_spread(
        {"SGD": [1000, 1000, 300, 1000], "Adam": [400, 80, 70, 90]},
        budget={"SGD": 1000, "Adam": 400},
        pair_seeds=True,
        title="t",
        ylabel="epoch",
    )
    ax = spread.ax
    crosses = [line for line in ax.lines if line.get_marker() == "X"]
    # one marker a column, drawn once: as many crosses on the axes as the columns with a run that never got there
    assert [len(c.get_xdata()) for c in crosses] == [1, 1]
    np.testing.assert_allclose([(c.get_xdata()[0], c.get_ydata()[0]) for c in crosses], [(0, 1000), (1, 400)])
    # the count stands next to the cross it counts, and only where a cross stands for more than one run
    (text,) = ax.texts
    assert text.get_text() == "\u00d73" and tuple(text.xy) == (0, 1000)
    # the dots keep their jittered places; the grey lines of the crossed seeds meet at the cross
    assert len(set(spread.positions[0][[0, 1, 3]])) == 1 and spread.positions[0][2] != 0
    pairs = [line for line in ax.lines if line.get_marker() in ("None", "", None) and len(line.get_xdata()) == 2]
    assert [line.get_xdata()[0] for line in pairs if line.get_ydata()[0] == 1000] == [0, 0, 0]


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"budget": 400}, TypeError, "'budget' parameter of plot_spread"),
        ({"budget": {"b": 400}}, ValueError, "same columns"),
        ({"budget": {"a": "400"}}, TypeError, "budget['a']"),
    ],
)
def test_plot_spread_says_what_is_wrong_with_a_budget(kwargs, error, words):
    with pytest.raises(error) as info:
        plot_spread({"a": [1.0, 2.0]}, title="t", ylabel="y", **kwargs)
    assert words in str(info.value)


def test_paired_seeds_need_columns_of_the_same_length():
    with pytest.raises(ValueError, match="pair_seeds=True needs columns of the same length"):
        plot_spread({"a": [1.0, 2.0], "b": [1.0]}, title="t", ylabel="y", pair_seeds=True)


def test_describe_spread_says_lowest_to_highest_and_counts():
    line = describe_spread(
        "recall lost", torch.tensor([0.23, 0.05, 0.1]), ".2f", claim="lost", holds=[True, True, False]
    )
    assert line == "  recall lost: 0.05 to 0.23; lost in 2 of 3 runs"
    assert describe_spread("loss", np.array([0.661, 0.664])) == "  loss: 0.66 in each"
    assert describe_spread("missed", [3, np.int64(12)], "d") == "  missed: 3 to 12"
    assert describe_spread("gap", [-1, 2], "+d") == "  gap: -1 to +2"
    assert describe_spread("share", (0.0, 0.24), ".0%") == "  share: 0% to 24%"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "words"),
    [
        ((1, [1.0]), {}, TypeError, "'what' parameter of describe_spread"),
        (("x", [1.0], 2), {}, TypeError, "'fmt' parameter of describe_spread"),
        (("x", [1.0], "q"), {}, ValueError, "number format"),
        (("x", [1.5], "d"), {}, ValueError, "whole numbers"),
        (("x", []), {}, ValueError, "non-empty 1-D"),
        (("x", [1.0, float("inf")]), {}, ValueError, "finite"),
        (("x", [1.0]), {"claim": "up"}, ValueError, "'claim' and 'holds' together"),
        (("x", [1.0]), {"holds": [True]}, ValueError, "'claim' and 'holds' together"),
        (("x", [1.0]), {"claim": 3, "holds": [True]}, TypeError, "'claim' parameter"),
        (("x", [1.0, 2.0]), {"claim": "up", "holds": [True]}, ValueError, "one truth value per run"),
    ],
)
def test_describe_spread_says_what_is_wrong(args, kwargs, error, words):
    with pytest.raises(error) as info:
        describe_spread(*args, **kwargs)
    assert words in str(info.value)
