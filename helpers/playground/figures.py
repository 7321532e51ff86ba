"""Lesson 06's figures: trained runs' decision regions side by side, and one dot per seed.

    axes = draw_boundaries([run_a, run_b], ["no hidden layer", "4 ReLU units"], suptitle="...")
    ax = plot_seed_spread([accs_a, accs_b], ["a", "b"], seeds=range(6), stored=[acc_a, acc_b], title="...")

Each returns its Axes; the regions a panel drew are ``helpers.plotting.drawn_regions(ax)``.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.lines import Line2D

from helpers.playground.run import PlaygroundRun
from helpers.plotting import plot_decision_boundary
from helpers.style import CLASS_COLOURS, CLASS_MARKERS
from helpers.validation import check_integer

__all__ = ["draw_boundaries", "plot_seed_spread"]


def _check_texts(texts, n: int, name: str, caller: str) -> list[str]:
    if isinstance(texts, str) or not isinstance(texts, Sequence) or not all(isinstance(t, str) for t in texts):
        raise TypeError(f"The {name!r} parameter of {caller} must be a list of str. Got {texts!r} instead.")
    if len(texts) != n:
        raise ValueError(
            f"The {name!r} parameter of {caller} must hold {n} texts, one per panel. Got {len(texts)} instead."
        )
    return list(texts)


def draw_boundaries(runs, titles, *, suptitle: str, show_train: bool = False, max_test_points: int | None = None):
    """Each run's decision regions over its test points, side by side: what the playground shows.

    Args:
        runs: a non-empty list of ``PlaygroundRun`` (``trained_run``); each panel's title also
            gives the run's latest test accuracy.
        titles: one title per run.
        suptitle: the figure's title.
        show_train: draw the training points on top, large, edged in black.
        max_test_points: draw at most this many test points per panel (the first ones of the
            test split, which is already shuffled), so that a few training points stay visible;
            None draws them all. The accuracy in the title is always over the whole test split.

    Returns:
        The Axes, one per run.

    Raises:
        TypeError: ``runs`` is not a list of ``PlaygroundRun``, ``titles`` not a list of str.
        ValueError: no runs, another number of titles, or ``max_test_points`` < 1.
    """
    if isinstance(runs, PlaygroundRun) or not isinstance(runs, Sequence) or not runs:
        raise TypeError(
            f"The 'runs' parameter of draw_boundaries must be a non-empty list of PlaygroundRun. Got {runs!r} instead."
        )
    for run in runs:
        if not isinstance(run, PlaygroundRun):
            raise TypeError(
                f"The 'runs' parameter of draw_boundaries must be a list of PlaygroundRun. Got an item of type {type(run).__name__} instead."
            )
    titles = _check_texts(titles, len(runs), "titles", "draw_boundaries")
    if max_test_points is not None:
        max_test_points = check_integer(max_test_points, "max_test_points", "draw_boundaries", low=1)
    fig, axes = plt.subplots(
        1,
        len(runs),
        figsize=(3.4 * len(runs) + 1.6, 3.6),
        sharex=True,
        sharey=True,
        layout="constrained",
        squeeze=False,
    )
    axes = list(axes[0])
    for ax, run, title in zip(axes, runs, titles):
        X_test, y_test = run.X_test[:max_test_points], run.y_test[:max_test_points]
        plot_decision_boundary(
            run.model,
            X_test,
            y_test,
            ax=ax,
            grid_resolution=50,
            legend=False,
            class_names=["class 0 (test)", "class 1 (test)"] if show_train else None,
            title=f"{title}\ntest accuracy {run.result().test_acc:.0f}%",
        )
        if show_train:
            X_train, y_train = run.X_train.cpu().numpy(), run.y_train.cpu().numpy()
            for k in (0, 1):
                rows = y_train == k
                ax.scatter(
                    X_train[rows, 0],
                    X_train[rows, 1],
                    s=110,
                    c=CLASS_COLOURS[k],
                    marker=CLASS_MARKERS[k],
                    edgecolors="black",
                    linewidths=1.8,
                    label=f"class {k} (training)",
                )
    handles, labels = axes[0].get_legend_handles_labels()
    handles.append(Line2D([], [], color="black", linestyle="--", linewidth=1.0))
    labels.append("p = 0.5, the boundary")
    fig.legend(handles, labels, loc="outside right center", fontsize="small")
    fig.suptitle(suptitle)
    return axes


def plot_seed_spread(
    values, labels, *, seeds, stored=None, title: str, ylabel: str, stored_label="seed 42 (above)", ax=None
):
    """One dot per seed for each configuration, side by side, and the stored run as a black star.

    Args:
        values: one list of numbers per configuration, one number per seed (in the order of seeds).
        labels: one name per configuration, for the x axis.
        seeds: the seeds the values come from (for the legend), e.g. ``range(6)``.
        stored: optional, one number per configuration: the run the lesson showed first.
        title: the Axes title.
        ylabel: what the values are.
        stored_label: the legend's name for the stars.
        ax: the Axes to draw on; None makes a new figure.

    Returns:
        The Axes.

    Raises:
        TypeError: values that are not lists of numbers, labels not str, ``ax`` not an Axes.
        ValueError: lengths that do not match (labels, seeds, stored).
    """
    if isinstance(values, (str, np.ndarray)) or not isinstance(values, Sequence) or not values:
        raise TypeError(
            f"The 'values' parameter of plot_seed_spread must be a non-empty list of lists. Got {values!r} instead."
        )
    seeds = list(seeds)
    for column in values:
        if not isinstance(column, Sequence) or not all(isinstance(v, numbers.Real) for v in column):
            raise TypeError(
                f"The 'values' parameter of plot_seed_spread must hold lists of numbers. Got {column!r} instead."
            )
        if len(column) != len(seeds):
            raise ValueError(
                f"The 'values' parameter of plot_seed_spread must hold one number per seed ({len(seeds)}). Got {len(column)} instead."
            )
    labels = _check_texts(labels, len(values), "labels", "plot_seed_spread")
    if stored is not None and len(stored) != len(values):
        raise ValueError(
            f"The 'stored' parameter of plot_seed_spread must hold {len(values)} numbers. Got {len(stored)} instead."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(2 + 2 * len(values), 3.6))
    elif not isinstance(ax, plt.Axes):
        raise TypeError(
            f"The 'ax' parameter of plot_seed_spread must be a matplotlib Axes or None. Got {type(ax).__name__} instead."
        )
    for x, column in enumerate(values):
        offsets = np.linspace(-0.12, 0.12, len(column))
        ax.plot(x + offsets, column, CLASS_MARKERS[x], color=CLASS_COLOURS[x + 2], linestyle="none")
    if stored is not None:
        ax.plot(range(len(stored)), stored, "*", color="black", markersize=12, linestyle="none", label=stored_label)
    first_last = f"seeds {seeds[0]} to {seeds[-1]}" if len(seeds) > 1 else f"seed {seeds[0]}"
    ax.plot([], [], "o", color="grey", linestyle="none", label=f"{first_last}, one dot each")
    ax.set_xticks(range(len(values)), labels)
    ax.set_xlim(-0.5, len(values) - 0.5)
    ax.set_xlabel("configuration")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize="small")
    return ax
