"""Lesson 06's figures: decision regions side by side, one dot per seed."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch

from helpers.playground.experiments import trained_run
from helpers.playground.figures import draw_boundaries
from helpers.plotting import drawn_regions


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_draw_boundaries_draws_each_runs_own_model():
    runs = [trained_run("data=xor layers=0", 2), trained_run("data=xor layers=1 units=4", 2)]
    axes = draw_boundaries(runs, ["a", "b"], suptitle="t", show_train=True, max_val_points=30)
    assert len(axes) == 2
    for ax, run in zip(axes, runs):
        regions = drawn_regions(ax)
        grid = torch.as_tensor(np.stack([regions.xs, np.full(len(regions.xs), regions.ys[0])], axis=1))
        with torch.inference_mode():
            p = torch.sigmoid(run.model(grid.float())).squeeze(1).numpy()
        np.testing.assert_allclose(regions.probs[0, :, 1], p, atol=1e-5)
        assert f"validation accuracy {run.result().val_acc:.0f}%" in ax.get_title()
        # 30 validation points of each panel, plus the training points in two groups
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
    with pytest.raises(ValueError, match="max_val_points"):
        draw_boundaries([run], ["a"], suptitle="t", max_val_points=0)
