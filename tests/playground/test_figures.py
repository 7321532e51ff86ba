"""Lesson 06's figures: decision regions side by side, one dot per seed."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from helpers.playground.experiments import trained_run
from helpers.playground.figures import draw_boundaries, plot_seed_spread
from helpers.plotting import drawn_regions


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_draw_boundaries_draws_each_runs_own_model():
    runs = [trained_run("data=xor layers=0", 2), trained_run("data=xor layers=1 units=4", 2)]
    axes = draw_boundaries(runs, ["a", "b"], suptitle="t", show_train=True, max_test_points=30)
    assert len(axes) == 2
    for ax, run in zip(axes, runs):
        regions = drawn_regions(ax)
        grid = torch.as_tensor(np.stack([regions.xs, np.full(len(regions.xs), regions.ys[0])], axis=1))
        with torch.inference_mode():
            p = torch.sigmoid(run.model(grid.float())).squeeze(1).numpy()
        np.testing.assert_allclose(regions.probs[0, :, 1], p, atol=1e-5)
        assert f"test accuracy {run.result().test_acc:.0f}%" in ax.get_title()
        # 30 test points of each panel, plus the training points in two groups
        sizes = [
            len(c.get_offsets()) for c in ax.collections if hasattr(c, "get_offsets") and c.get_offsets().ndim == 2
        ]
        assert sum(sizes) >= 30 + len(run.X_train)


@pytest.mark.parametrize(
    "runs, titles, kwargs, error",
    [
        ([], [], {}, TypeError),
        (["run"], ["a"], {}, TypeError),
        (None, ["a"], {}, TypeError),
        ("one", ["a", "b"], {}, TypeError),
    ],
)
def test_draw_boundaries_checks_its_inputs(runs, titles, kwargs, error):
    with pytest.raises(error):
        draw_boundaries(runs, titles, suptitle="t", **kwargs)


def test_draw_boundaries_needs_one_title_per_run():
    run = trained_run("data=xor layers=0", 1)
    with pytest.raises(ValueError, match="'titles' parameter of draw_boundaries must hold 1"):
        draw_boundaries([run], ["a", "b"], suptitle="t")
    with pytest.raises(ValueError, match="max_test_points"):
        draw_boundaries([run], ["a"], suptitle="t", max_test_points=0)


def test_plot_seed_spread_draws_one_dot_per_seed_and_the_stars():
    ax = plot_seed_spread(
        [[1.0, 2.0, 3.0], [4, 5, 6]], ["a", "b"], seeds=range(3), stored=[1.5, 4.5], title="t", ylabel="y"
    )
    lines = [line for line in ax.get_lines() if len(line.get_xdata())]
    assert [list(line.get_ydata()) for line in lines] == [[1.0, 2.0, 3.0], [4, 5, 6], [1.5, 4.5]]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["seed 42 (above)", "seeds 0 to 2, one dot each"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"] and ax.get_ylabel() == "y"


def test_plot_seed_spread_draws_on_a_given_axes():
    _, given = plt.subplots()
    assert plot_seed_spread([[1.0]], ["a"], seeds=[7], title="t", ylabel="y", ax=given) is given


@pytest.mark.parametrize(
    "values, labels, kwargs, error",
    [
        ([[1.0, 2.0]], ["a"], {}, ValueError),  # two values, three seeds
        ([[1.0, 2.0, 3.0]], ["a", "b"], {}, ValueError),
        ([["x", 2.0, 3.0]], ["a"], {}, TypeError),
        ("values", ["a"], {}, TypeError),
        ([[1.0, 2.0, 3.0]], ["a"], {"stored": [1.0, 2.0]}, ValueError),
        ([[1.0, 2.0, 3.0]], ["a"], {"ax": "axes"}, TypeError),
    ],
)
def test_plot_seed_spread_checks_its_inputs(values, labels, kwargs, error):
    with pytest.raises(error):
        plot_seed_spread(values, labels, seeds=range(3), title="t", ylabel="y", **kwargs)
