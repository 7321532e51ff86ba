"""Spreads over runs: one dot per seed (or per sample), so that a reader sees how much a result
varies before trusting a conclusion drawn from one run.

``seed_spread`` computes (each column's values, where its dots go, how many lie above a level);
``plot_spread`` draws a ``Spread`` and returns it, with the axes it drew on; ``describe_spread``
says one spread in one line of text (lowest to highest, and in how many runs a claim holds). The dots are one
neutral colour and one marker: a column is a setting, not a class, so the class palette would
mean nothing here. The stored run (the one the lesson printed) is a black star.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import matplotlib.pyplot as plt
import numpy as np

from helpers.validation import as_numpy, check_real

__all__ = ["Spread", "seed_spread", "plot_spread", "describe_spread", "DOT_COLOUR"]

#: The dots' colour: Okabe-Ito blue, one colour for every column.
DOT_COLOUR = "#0072B2"


@dataclass(frozen=True)
class Spread:
    """What ``seed_spread`` computed, and ``plot_spread`` drew.

    Attributes:
        labels: the columns' names, in order.
        values: one 1-D float array per column, the values in the order given.
        positions: one 1-D array per column, where each dot is drawn along x (column index, spread
            by ``jitter`` so that equal values do not hide each other).
        stored: one value per column for the stored run, or None.
        ax: the axes it was drawn on (None until drawn).
    """

    labels: tuple[str, ...]
    values: tuple[np.ndarray, ...]
    positions: tuple[np.ndarray, ...]
    stored: tuple[float, ...] | None = None
    ax: plt.Axes | None = None

    def count_above(self, level: float = 0.0) -> dict[str, int]:
        """How many values of each column lie strictly above ``level``: {label: count}."""
        level = check_real(level, "level", "Spread.count_above")
        return {label: int((column > level).sum()) for label, column in zip(self.labels, self.values)}

    def count_below(self, level: float = 0.0) -> dict[str, int]:
        """How many values of each column lie strictly below ``level``: {label: count}."""
        level = check_real(level, "level", "Spread.count_below")
        return {label: int((column < level).sum()) for label, column in zip(self.labels, self.values)}


def _column(values, label: str) -> np.ndarray:
    name = f"values_by_label[{label!r}]"
    if isinstance(values, (list, tuple)):
        try:
            values = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{name} must be a sequence of numbers; got {values!r}.") from error
    column = as_numpy(values, name).astype(np.float64)
    if column.ndim != 1 or column.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers; got shape {list(column.shape)}.")
    if not np.isfinite(column).all():
        raise ValueError(f"{name} must hold finite numbers; got {column.tolist()}.")
    return column


def seed_spread(values_by_label: Mapping, *, stored=None, jitter: float = 0.12) -> Spread:
    """Each column's values and the x positions of its dots.

    Args:
        values_by_label: {column name: values}, one value per seed (a list, tuple, array or 1-D
            tensor of finite numbers); the columns are drawn in this order.
        stored: the stored run's value for each column, as {column name: value} with the same
            names, or None.
        jitter: the dots of a column spread over [-jitter, +jitter] around its index.

    Returns:
        A ``Spread``.

    Raises:
        TypeError: ``values_by_label`` is not a mapping of str to numbers; ``stored`` is not a
            mapping of numbers; ``jitter`` is not a real number.
        ValueError: no columns, an empty, 2-D or non-finite column, names in ``stored`` that are
            not the columns' names, or ``jitter`` outside [0, 0.5).
    """
    caller = "seed_spread"
    if not isinstance(values_by_label, Mapping):
        raise TypeError(
            f"The 'values_by_label' parameter of {caller} must be a mapping {{column name: values}}. "
            f"Got {type(values_by_label).__name__} instead."
        )
    if not values_by_label:
        raise ValueError(f"The 'values_by_label' parameter of {caller} must have at least one column. Got {{}}.")
    for label in values_by_label:
        if not isinstance(label, str):
            raise TypeError(f"The column names of {caller} must be str; got {label!r}.")
    jitter = check_real(jitter, "jitter", caller, low=0, high=0.5, high_open=True)
    labels = tuple(values_by_label)
    values = tuple(_column(values_by_label[label], label) for label in labels)
    positions = tuple(
        index + (np.linspace(-jitter, jitter, len(column)) if len(column) > 1 else np.zeros(1))
        for index, column in enumerate(values)
    )
    if stored is not None:
        if not isinstance(stored, Mapping):
            raise TypeError(
                f"The 'stored' parameter of {caller} must be a mapping {{column name: value}} or None. "
                f"Got {type(stored).__name__} instead."
            )
        if set(stored) != set(labels):
            raise ValueError(
                f"The 'stored' parameter of {caller} must name the same columns as values_by_label "
                f"({list(labels)}). Got {list(stored)} instead."
            )
        stored = tuple(check_real(stored[label], f"stored[{label!r}]", caller) for label in labels)
    return Spread(labels=labels, values=values, positions=positions, stored=stored)


def _shown(column: np.ndarray, budget) -> np.ndarray:
    """Where a column's values are drawn: at most at the budget (a run that never got there)."""
    return column if budget is None else np.minimum(column, budget)


def plot_spread(
    values_by_label: Mapping,
    *,
    stored=None,
    ax=None,
    title: str,
    ylabel: str,
    xlabel: str | None = None,
    dots_label: str = "one dot per seed",
    stored_label: str = "the run above",
    reference: tuple[float, str] | None = None,
    log: bool = False,
    budget=None,
    budget_label: str = "never within its budget",
    pair_seeds: bool = False,
) -> Spread:
    """Draw one dot per value in columns, the stored run as a black star, and a reference line.

    Args:
        values_by_label, stored: as ``seed_spread``.
        ax: the axes to draw on, or None for a new figure.
        title, ylabel, xlabel: the labels (xlabel may be None: the column names say it).
        dots_label, stored_label: the legend's words for the dots and for the star.
        reference: (value, legend label) of a dotted horizontal line (a 50/50 guess, no change),
            or None.
        log: a log-scale y axis (then every value must be positive).
        budget: for values that are "when it happened" (an epoch), {column name: budget} with the
            same names as the columns, or None: a value at or above its column's budget is a run
            where it never happened. All such runs of a column are drawn as ONE cross, at the
            column's centre and the budget, labelled "×n" when it stands for n > 1 runs (crosses
            jittered apart would be counted as more runs than there are).
        budget_label: the legend's words for the crosses.
        pair_seeds: join the i-th values of neighbouring columns with a thin grey line (the
            columns then hold the same seeds in the same order, so the line joins one seed's runs).

    Returns:
        The ``Spread`` that was drawn, its ``ax`` set; its ``positions`` are where each value was
        drawn (a run that never got there: its column's index).

    Raises:
        TypeError, ValueError: as ``seed_spread``; ``ax`` not an Axes; ``reference`` not a
            (number, str) pair; ``log`` with a value that is not positive; ``budget`` not a
            mapping of numbers with the columns' names; ``pair_seeds`` with columns of
            different lengths.
    """
    caller = "plot_spread"
    spread = seed_spread(values_by_label, stored=stored)
    if reference is not None:
        if not (isinstance(reference, tuple) and len(reference) == 2 and isinstance(reference[1], str)):
            raise TypeError(
                f"The 'reference' parameter of {caller} must be a (value, label) pair or None. Got {reference!r} instead."
            )
        reference = (check_real(reference[0], "reference[0]", caller), reference[1])
    if log:
        everything = np.concatenate([*spread.values, spread.stored or [], [reference[0]] if reference else []])
        if (everything <= 0).any():
            raise ValueError(f"{caller} with log=True needs positive values; got {everything.min():g}.")
    budgets = None
    if budget is not None:
        if not isinstance(budget, Mapping):
            raise TypeError(
                f"The 'budget' parameter of {caller} must be a mapping {{column name: budget}} or None. "
                f"Got {type(budget).__name__} instead."
            )
        if set(budget) != set(spread.labels):
            raise ValueError(
                f"The 'budget' parameter of {caller} must name the same columns as values_by_label "
                f"({list(spread.labels)}). Got {list(budget)} instead."
            )
        budgets = tuple(check_real(budget[label], f"budget[{label!r}]", caller) for label in spread.labels)
    if pair_seeds and len({len(column) for column in spread.values}) != 1:
        raise ValueError(
            f"{caller} with pair_seeds=True needs columns of the same length (one value per seed); "
            f"got {[len(column) for column in spread.values]}."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(1.6 + 1.6 * len(spread.labels), 3.6))
    elif not isinstance(ax, plt.Axes):
        raise TypeError(f"The 'ax' parameter of {caller} must be a matplotlib Axes or None. Got {ax!r} instead.")

    if budgets is not None:  # every run of a column that never got there is drawn at one spot, counted
        positions = tuple(
            np.where(column >= budgets[index], float(index), x)
            for index, (x, column) in enumerate(zip(spread.positions, spread.values))
        )
        spread = replace(spread, positions=positions)
    if pair_seeds:
        for index in range(len(spread.labels) - 1):
            ys = [_shown(spread.values[i], None if budgets is None else budgets[i]) for i in (index, index + 1)]
            for x0, x1, y0, y1 in zip(spread.positions[index], spread.positions[index + 1], *ys):
                ax.plot([x0, x1], [y0, y1], color="grey", linewidth=0.6, alpha=0.6, zorder=1)
    crossed = False
    for index, (x, column) in enumerate(zip(spread.positions, spread.values)):
        never = np.zeros(len(column), bool) if budgets is None else column >= budgets[index]
        ax.plot(
            x[~never],
            column[~never],
            "o",
            color=DOT_COLOUR,
            alpha=0.8,
            linestyle="none",
            label=dots_label if index == 0 else None,
        )
        if never.any():
            ax.plot(
                [index],
                [budgets[index]],
                "X",
                color=DOT_COLOUR,
                markersize=8,
                linestyle="none",
                label=None if crossed else budget_label,
            )
            crossed = True
            if never.sum() > 1:  # one cross stands for them all: say how many
                ax.annotate(
                    f"\u00d7{int(never.sum())}",
                    (index, budgets[index]),
                    xytext=(8, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize="small",
                )
    if spread.stored is not None:
        ax.plot(
            range(len(spread.labels)),
            spread.stored,
            "*",
            color="black",
            markersize=13,
            linestyle="none",
            label=stored_label,
        )
    if reference is not None:
        ax.axhline(reference[0], color="grey", linestyle=":", label=reference[1])
    if log:
        ax.set_yscale("log")
    ax.set_xticks(range(len(spread.labels)), spread.labels)
    ax.set_xlim(-0.5, len(spread.labels) - 0.5)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize="small")
    return replace(spread, ax=ax)


def describe_spread(what: str, values, fmt: str = ".2f", claim: str | None = None, holds=None) -> str:
    """One line for a spread: its lowest to its highest value, and in how many runs ``claim`` holds.

    Args:
        what: what the values are, the start of the line.
        values: one number per run (a list, tuple, array or 1-D tensor of finite numbers).
        fmt: the format of each number, as in an f-string (".2f", "+d", ".0%").
        claim: a few words saying what ``holds`` counts, or None for no count.
        holds: one truth value per run (same length as ``values``), required with ``claim``.

    Returns:
        The line, e.g. "  recall lost: 0.05 to 0.23; lost in 10 of 10 runs"; "0.66 in each" when
        every value prints the same.

    Raises:
        TypeError: ``what``, ``fmt`` or ``claim`` not a str; ``values`` not numbers.
        ValueError: ``values`` empty, 2-D or not finite; ``fmt`` not a number format; ``claim``
            without ``holds`` (or ``holds`` without ``claim``), or ``holds`` of another length.
    """
    caller = "describe_spread"
    for name, text in (("what", what), ("fmt", fmt)):
        if not isinstance(text, str):
            raise TypeError(f"The '{name}' parameter of {caller} must be a str. Got {text!r} instead.")
    if claim is not None and not isinstance(claim, str):
        raise TypeError(f"The 'claim' parameter of {caller} must be a str or None. Got {claim!r} instead.")
    column = _column(values, what)
    low, high = column.min(), column.max()
    if fmt.endswith("d"):  # integer formats: whole numbers only
        if not (column == np.round(column)).all():
            raise ValueError(f"The 'fmt' parameter of {caller} is {fmt!r}, for whole numbers; got {column.tolist()}.")
        low, high = int(low), int(high)
    try:
        low_text, high_text = f"{low:{fmt}}", f"{high:{fmt}}"
    except ValueError as error:
        raise ValueError(f"The 'fmt' parameter of {caller} must be a number format. Got {fmt!r} instead.") from error
    line = f"  {what}: {low_text} in each" if low_text == high_text else f"  {what}: {low_text} to {high_text}"
    if (claim is None) != (holds is None):
        raise ValueError(f"{caller} needs 'claim' and 'holds' together. Got claim={claim!r}, holds={holds!r}.")
    if claim is not None:
        holds = np.asarray(holds, dtype=bool)
        if holds.shape != column.shape:
            raise ValueError(
                f"The 'holds' parameter of {caller} must hold one truth value per run ({len(column)}). "
                f"Got shape {list(holds.shape)} instead."
            )
        line += f"; {claim} in {int(holds.sum())} of {len(holds)} runs"
    return line
