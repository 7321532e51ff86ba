"""Lesson 06's figures: trained runs' decision regions side by side. (Its one-dot-per-seed
figures are ``helpers.spread.plot_spread``, the course's one home for them.)

    axes = draw_boundaries([run_a, run_b], ["no hidden layer", "4 ReLU units"], suptitle="...")

It returns its Axes; the regions a panel drew are ``helpers.plotting.drawn_regions(ax)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D

from helpers.playground.run import PlaygroundRun
from helpers.plotting import plot_decision_boundary
from helpers.style import CLASS_COLOURS, CLASS_MARKERS
from helpers.validation import check_integer

__all__ = ["draw_boundaries"]


def _check_texts(texts, n: int, name: str, caller: str) -> list[str]:
    if isinstance(texts, str) or not isinstance(texts, Sequence) or not all(isinstance(t, str) for t in texts):
        raise TypeError(f"The {name!r} parameter of {caller} must be a list of str. Got {texts!r} instead.")
    if len(texts) != n:
        raise ValueError(
            f"The {name!r} parameter of {caller} must hold {n} texts, one per panel. Got {len(texts)} instead."
        )
    return list(texts)


def draw_boundaries(runs, titles, *, suptitle: str, show_train: bool = False, max_val_points: int | None = None):
    """Each run's decision regions over its validation points, side by side: what the playground shows.

    Args:
        runs: a non-empty list of ``PlaygroundRun`` (``trained_run``); each panel's title also
            gives the run's latest validation accuracy.
        titles: one title per run.
        suptitle: the figure's title.
        show_train: draw the training points on top, large, edged in black.
        max_val_points: draw at most this many validation points per panel (the first ones of the
            validation split, which is already shuffled), so that a few training points stay visible;
            None draws them all. The accuracy in the title is always over the whole validation split.

    Returns:
        The Axes, one per run.

    Raises:
        TypeError: ``runs`` is not a list of ``PlaygroundRun``, ``titles`` not a list of str.
        ValueError: no runs, another number of titles, or ``max_val_points`` < 1.
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
    if max_val_points is not None:
        max_val_points = check_integer(max_val_points, "max_val_points", "draw_boundaries", low=1)
    fig, axes = plt.subplots(
        1,
        len(runs),
        figsize=(3.0 * len(runs) + 1.6, 3.3),  # three panels: 10.6 inches; kept small, lesson 06 stores five
        sharex=True,
        sharey=True,
        layout="constrained",
        squeeze=False,
    )
    axes = list(axes[0])
    for ax, run, title in zip(axes, runs, titles):
        X_val, y_val = run.X_val[:max_val_points], run.y_val[:max_val_points]
        plot_decision_boundary(
            run.model,
            X_val,
            y_val,
            ax=ax,
            grid_resolution=50,
            legend=False,
            class_names=["class 0 (validation)", "class 1 (validation)"] if show_train else None,
            title=f"{title}\nvalidation accuracy {run.result().val_acc:.0f}%",
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
