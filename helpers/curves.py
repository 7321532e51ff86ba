"""Curves of a binary classifier's scores: precision and recall at thresholds, the
precision-recall and ROC curves with their areas, a threshold for a recall goal, and the bins
of a reliability diagram (are the probabilities calibrated?).

Compute apart from drawing: the functions without ``plot_`` return plain numbers and NumPy
arrays, so tests (and notebooks) can check them; the ``plot_`` functions compute through them,
draw, and return what they drew.

Conventions, those of scikit-learn: class 1 is the positive class; a sample is predicted
positive when its score is **at or above** the threshold (``score >= threshold``). Scores may be
probabilities or logits (any order-preserving score gives the same curves); the reliability
diagram needs probabilities. Inputs may be tensors on any device or NumPy arrays, [N] or [N, 1];
they are copied, never changed.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import torch

from helpers.style import CLASS_COLOURS, CLASS_MARKERS, CURVE_COLOURS, MARK_COLOUR
from helpers.validation import as_labels, as_numpy

__all__ = [
    "Curve",
    "PrecisionRecall",
    "ReliabilityBins",
    "precision_recall_at",
    "pr_curve",
    "roc_curve",
    "threshold_for_recall",
    "reliability_bins",
    "plot_pr_curve",
    "plot_roc_curve",
    "plot_reliability_diagram",
    "CurvesDrawn",
    "plot_pr_and_roc",
]


# ------------------------------------------------------------------ input checks


def _param_error(name: str, caller: str, constraint: str, value) -> str:
    return f"The {name!r} parameter of {caller} must be {constraint}. Got {value!r} instead."


def _check_real(value, name: str, caller: str, low: float, high: float, *, low_open: bool = False) -> float:
    """A real number (Python or NumPy, not bool) in [low, high] or (low, high]; returned as float."""
    bracket = "(" if low_open else "["
    constraint = f"a float in the range {bracket}{low}, {high}]"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(_param_error(name, caller, constraint, value))
    value = float(value)
    if not np.isfinite(value) or value > high or value < low or (low_open and value == low):
        raise ValueError(_param_error(name, caller, constraint, value))
    return value


def _check_int(value, name: str, caller: str, low: int) -> int:
    constraint = f"an int in the range [{low}, inf)"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(_param_error(name, caller, constraint, value))
    if value < low:
        raise ValueError(_param_error(name, caller, constraint, value))
    return int(value)


def _binary_labels(y_true, caller: str, *, need_both: bool) -> np.ndarray:
    """One label per sample, each 0 or 1 (float or integer); with ``need_both``, both present."""
    y = as_labels(y_true, "y_true")
    unexpected = np.setdiff1d(np.unique(y), [0, 1])
    if unexpected.size:
        raise ValueError(
            f"y_true of {caller} must hold binary labels 0 and 1 (1 = the positive class); "
            f"it contains {unexpected[0]}. For several classes, compare one class against the rest: (y == k)."
        )
    if need_both and (y.min() == y.max()):
        raise ValueError(
            f"y_true of {caller} holds only class {y[0]}: the curve needs both classes (at least one sample of each)."
        )
    return y


def _scores(y_score, n_samples: int, caller: str, name: str = "y_score") -> np.ndarray:
    """One finite real score per sample, [N] or [N, 1]; returned as float64 [N]."""
    s = as_numpy(y_score, name)
    if s.ndim == 2 and s.shape[1] == 1:
        s = s[:, 0]
    if s.ndim != 1:
        raise ValueError(
            f"{name} of {caller} must have shape [n_samples] or [n_samples, 1] (one score per sample, "
            f"the probability or logit of class 1); got shape {list(s.shape)}."
        )
    if s.dtype.kind == "b":
        raise TypeError(f"{name} of {caller} must hold scores (probabilities or logits), not booleans.")
    if s.shape[0] != n_samples:
        raise ValueError(f"{name} has {s.shape[0]} scores but y_true has {n_samples} labels: they must match.")
    s = s.astype(np.float64)
    if not np.isfinite(s).all():
        raise ValueError(f"{name} of {caller} contains NaN or infinite values; every score must be finite.")
    return s


def _probabilities(y_prob, n_samples: int, caller: str) -> np.ndarray:
    p = _scores(y_prob, n_samples, caller, name="y_prob")
    if p.min() < 0 or p.max() > 1:
        raise ValueError(
            f"y_prob of {caller} must hold probabilities between 0 and 1; it ranges from {p.min():g} to "
            f"{p.max():g}. Logits? Apply torch.sigmoid first."
        )
    return p


# ------------------------------------------------------------------ compute


@dataclass(frozen=True)
class PrecisionRecall:
    """Precision and recall at given thresholds (arrays of the same length as ``thresholds``)."""

    thresholds: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    n_predicted_positive: np.ndarray


@dataclass(frozen=True)
class Curve:
    """Points of a curve: ``x`` and ``y`` (arrays), the threshold of each point, and the area.

    For a ROC curve x = false-positive rate, y = true-positive rate (recall), ``area`` = ROC AUC;
    for a precision-recall curve x = recall, y = precision, ``area`` = average precision.
    ``thresholds[i]`` is the threshold that gives point i (``inf`` for the point where nothing
    is predicted positive).
    """

    x: np.ndarray
    y: np.ndarray
    thresholds: np.ndarray
    area: float
    kind: str


def _counts(y: np.ndarray, s: np.ndarray):
    """True and false positives when the threshold is each distinct score, highest first."""
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last_of_each = np.r_[np.nonzero(np.diff(s))[0], s.size - 1]  # the last sample of each distinct score
    tp = np.cumsum(y)[last_of_each]
    fp = (last_of_each + 1) - tp
    return s[last_of_each], tp.astype(np.float64), fp.astype(np.float64)


def precision_recall_at(y_true, y_score, thresholds) -> PrecisionRecall:
    """Precision and recall of the positive class (1) when ``y_score >= t``, for each threshold t.

    Args:
        y_true: labels 0/1, shape [N] or [N, 1]; tensor (any device) or NumPy array.
        y_score: one score per sample (probability or logit of class 1), same length.
        thresholds: a number, a sequence of numbers, or a 1-d tensor/array of them (finite).

    Returns:
        A ``PrecisionRecall`` with arrays ``thresholds``, ``precision`` (TP / predicted positive;
        0.0 where nothing is predicted positive, as scikit-learn's ``zero_division=0``), ``recall``
        (TP / actual positive) and ``n_predicted_positive``.

    Raises:
        TypeError: an input of the wrong kind (not a tensor/array; thresholds not numbers).
        ValueError: lengths differ, labels other than 0/1, no positive sample, non-finite values.
    """
    caller = "precision_recall_at"
    y = _binary_labels(y_true, caller, need_both=False)
    s = _scores(y_score, y.shape[0], caller)
    if y.sum() == 0:
        raise ValueError("y_true of precision_recall_at has no positive sample (1): recall is undefined.")
    if isinstance(thresholds, torch.Tensor | np.ndarray):  # e.g. torch.linspace(0, 1, 11)
        thresholds = as_numpy(thresholds, "thresholds").tolist()
    values = np.atleast_1d(np.asarray(thresholds, dtype=object))
    if values.ndim != 1 or values.size == 0:
        raise ValueError(_param_error("thresholds", caller, "a number or a non-empty sequence of numbers", thresholds))
    for t in values:
        if isinstance(t, bool) or not isinstance(t, numbers.Real):
            raise TypeError(_param_error("thresholds", caller, "a number or a sequence of numbers", thresholds))
    t = values.astype(np.float64)
    if not np.isfinite(t).all():
        raise ValueError(_param_error("thresholds", caller, "finite numbers", thresholds))
    predicted = s[None, :] >= t[:, None]
    tp = (predicted & (y[None, :] == 1)).sum(axis=1)
    n_pred = predicted.sum(axis=1)
    precision = np.divide(tp, n_pred, out=np.zeros(t.shape), where=n_pred > 0)
    return PrecisionRecall(t, precision, tp / y.sum(), n_pred)


def roc_curve(y_true, y_score) -> Curve:
    """The ROC curve: false-positive rate against true-positive rate at every threshold.

    Args:
        y_true: labels 0/1 with both classes present, [N] or [N, 1]; tensor or NumPy array.
        y_score: one score per sample (probability or logit of class 1), same length.

    Returns:
        A ``Curve`` with x = FPR and y = TPR, from (0, 0) (threshold ``inf``: nothing positive)
        through one point per distinct score, highest threshold first, to (1, 1); ``area`` is
        the ROC AUC (trapezoids; 0.5 for a score that ignores the input, 1.0 for a perfect one).
        The points are scikit-learn's ``roc_curve(..., drop_intermediate=False)``.

    Raises:
        TypeError / ValueError: see ``precision_recall_at``; also a single class in ``y_true``.
    """
    y = _binary_labels(y_true, "roc_curve", need_both=True)
    s = _scores(y_score, y.shape[0], "roc_curve")
    thresholds, tp, fp = _counts(y, s)
    tpr = np.r_[0.0, tp / tp[-1]]
    fpr = np.r_[0.0, fp / fp[-1]]
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    return Curve(fpr, tpr, np.r_[np.inf, thresholds], area, "roc")


def pr_curve(y_true, y_score) -> Curve:
    """The precision-recall curve at every threshold, and its area (average precision).

    Args:
        y_true: labels 0/1 with at least one positive, [N] or [N, 1]; tensor or NumPy array.
        y_score: one score per sample (probability or logit of class 1), same length.

    Returns:
        A ``Curve`` with x = recall and y = precision, one point per distinct score, highest
        threshold first, and a first point (recall 0, precision 1, threshold ``inf``) as
        scikit-learn's ``precision_recall_curve`` has. ``area`` is the average precision,
        sum over points of (R_n - R_(n-1)) * P_n, as scikit-learn's ``average_precision_score``;
        a score that ignores the input gets about the share of positives, a perfect one 1.0.

    Raises:
        TypeError / ValueError: see ``precision_recall_at``; also no positive in ``y_true``.
    """
    y = _binary_labels(y_true, "pr_curve", need_both=False)
    s = _scores(y_score, y.shape[0], "pr_curve")
    if y.sum() == 0:
        raise ValueError("y_true of pr_curve has no positive sample (1): recall is undefined.")
    thresholds, tp, fp = _counts(y, s)
    precision = tp / (tp + fp)
    recall = tp / tp[-1]
    area = float(np.sum(np.diff(np.r_[0.0, recall]) * precision))
    return Curve(np.r_[0.0, recall], np.r_[1.0, precision], np.r_[np.inf, thresholds], area, "pr")


def threshold_for_recall(y_true, y_score, min_recall) -> float:
    """The highest threshold whose recall on (y_true, y_score) is at least ``min_recall``.

    The highest such threshold predicts the fewest samples positive, so it keeps precision as
    high as the goal allows. It is one of the scores, so ``y_score >= threshold`` meets the goal
    on these data; choose it on validation data, then measure it once on test data.

    Args:
        y_true: labels 0/1 with at least one positive, [N] or [N, 1]; tensor or NumPy array.
        y_score: one score per sample (probability or logit of class 1), same length.
        min_recall: the goal, a float in (0, 1].

    Returns:
        The threshold, a float.

    Raises:
        TypeError / ValueError: see ``pr_curve``; ``min_recall`` not a number in (0, 1].
    """
    goal = _check_real(min_recall, "min_recall", "threshold_for_recall", 0.0, 1.0, low_open=True)
    curve = pr_curve(y_true, y_score)
    # recall grows as the threshold falls; the first point reaching the goal has the highest threshold
    # (a small tolerance so that e.g. 19/20 counts as 0.95)
    first = int(np.argmax(curve.x >= goal - 1e-12))
    return float(curve.thresholds[first])


@dataclass(frozen=True)
class ReliabilityBins:
    """Bins of predicted probability: per bin, its edges, how many samples fell in it, the mean
    predicted probability and the fraction that are truly positive (NaN in an empty bin)."""

    edges: np.ndarray
    count: np.ndarray
    mean_predicted: np.ndarray
    fraction_positive: np.ndarray


def reliability_bins(y_true, y_prob, *, n_bins: int = 10) -> ReliabilityBins:
    """Group predictions into ``n_bins`` equal-width bins of probability and compare, in each,
    the mean predicted probability with the fraction of positives (the reliability diagram).

    For calibrated probabilities the two agree: of the samples given about 0.8, about 80% are
    positive. Bins are [0, 1/n], (1/n, 2/n], ..., (1 - 1/n, 1]: a probability on an edge goes to
    the lower bin, as in scikit-learn's ``calibration_curve``.

    Args:
        y_true: labels 0/1, [N] or [N, 1]; tensor or NumPy array.
        y_prob: predicted probability of class 1 per sample, in [0, 1] (sigmoid of the logits).
        n_bins: the number of bins, an int >= 1.

    Returns:
        A ``ReliabilityBins`` with arrays ``edges`` [n_bins + 1] and ``count``,
        ``mean_predicted``, ``fraction_positive`` [n_bins] (the last two NaN in empty bins).
        Over the non-empty bins they equal scikit-learn's ``calibration_curve(y_true, y_prob,
        n_bins=n_bins)`` (strategy "uniform").

    Raises:
        TypeError / ValueError: see ``precision_recall_at``; probabilities outside [0, 1],
            ``n_bins`` not an int >= 1.
    """
    n_bins = _check_int(n_bins, "n_bins", "reliability_bins", 1)
    y = _binary_labels(y_true, "reliability_bins", need_both=False)
    p = _probabilities(y_prob, y.shape[0], "reliability_bins")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    which = np.searchsorted(edges[1:-1], p, side="left")
    count = np.bincount(which, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_predicted = np.bincount(which, weights=p, minlength=n_bins) / count
        fraction_positive = np.bincount(which, weights=y.astype(np.float64), minlength=n_bins) / count
    return ReliabilityBins(edges, count, mean_predicted, fraction_positive)


# ------------------------------------------------------------------ drawing


@dataclass(frozen=True)
class Drawn:
    """What a ``plot_`` function drew: the Axes and the numbers behind the picture."""

    ax: plt.Axes
    data: object


def _axes(ax, figsize=(5, 4.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    elif not isinstance(ax, plt.Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None; got {type(ax).__name__}.")
    return ax


def _mark_threshold(ax, curve: Curve, threshold, caller: str) -> None:
    """A star on the curve's point for ``y_score >= threshold``."""
    if threshold is None:
        return
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not np.isfinite(threshold):
        raise TypeError(_param_error("mark_threshold", caller, "a finite number or None", threshold))
    i = int(np.nonzero(curve.thresholds >= threshold)[0][-1])  # the lowest listed threshold >= it
    ax.plot(
        curve.x[i],
        curve.y[i],
        marker="*",
        markersize=15,
        linestyle="none",
        color=MARK_COLOUR,
        label=f"threshold {threshold:.2f}",
        zorder=3,
    )


def plot_roc_curve(y_true, y_score, *, ax=None, label: str = "model", mark_threshold=None, title: str | None = None):
    """Draw the ROC curve (``roc_curve``) with the diagonal of a score that ignores the input.

    Args:
        y_true, y_score: as for ``roc_curve``.
        ax: the Axes to draw on; None makes a figure.
        label: the curve's name in the legend (its AUC is added).
        mark_threshold: a threshold to mark with a star on the curve, or None.
        title: the Axes title (default: "ROC curve").

    Returns:
        ``Drawn(ax, curve)``: the Axes and the ``Curve`` drawn.
    """
    curve = roc_curve(y_true, y_score)
    ax = _axes(ax)
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="chance (AUC 0.5)")
    ax.plot(curve.x, curve.y, color=CURVE_COLOURS["val"], label=f"{label} (AUC {curve.area:.3f})")
    _mark_threshold(ax, curve, mark_threshold, "plot_roc_curve")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("false-positive rate (FP / all negatives)")
    ax.set_ylabel("true-positive rate = recall")
    ax.set_title(title if title is not None else "ROC curve")
    ax.legend(loc="lower right")
    return Drawn(ax, curve)


def plot_pr_curve(y_true, y_score, *, ax=None, label: str = "model", mark_threshold=None, title: str | None = None):
    """Draw the precision-recall curve (``pr_curve``) with the share of positives as baseline.

    Args:
        y_true, y_score: as for ``pr_curve``.
        ax: the Axes to draw on; None makes a figure.
        label: the curve's name in the legend (its average precision is added).
        mark_threshold: a threshold to mark with a star on the curve, or None.
        title: the Axes title (default: "Precision-recall curve").

    Returns:
        ``Drawn(ax, curve)``: the Axes and the ``Curve`` drawn.
    """
    curve = pr_curve(y_true, y_score)
    share = float(np.mean(as_labels(y_true, "y_true")))
    ax = _axes(ax)
    ax.axhline(share, color="grey", linestyle=":", label=f"chance (share of positives {share:.2f})")
    ax.plot(curve.x, curve.y, color=CURVE_COLOURS["val"], drawstyle="steps-pre", label=f"{label} (AP {curve.area:.3f})")
    _mark_threshold(ax, curve, mark_threshold, "plot_pr_curve")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("recall (TP / all positives)")
    ax.set_ylabel("precision (TP / predicted positive)")
    ax.set_title(title if title is not None else "Precision-recall curve")
    ax.legend(loc="lower left")
    return Drawn(ax, curve)


def plot_reliability_diagram(y_true, y_prob, *, n_bins: int = 10, ax=None, label: str = "model", title=None):
    """Draw the reliability diagram (``reliability_bins``): per bin, the fraction of positives
    against the mean predicted probability, with the diagonal of perfect calibration. Each
    point's size grows with the number of samples in its bin; empty bins are not drawn.

    Args:
        y_true, y_prob, n_bins: as for ``reliability_bins``.
        ax: the Axes to draw on; None makes a figure.
        label: the points' name in the legend.
        title: the Axes title (default: "Reliability diagram").

    Returns:
        ``Drawn(ax, bins)``: the Axes and the ``ReliabilityBins`` drawn.
    """
    bins = reliability_bins(y_true, y_prob, n_bins=n_bins)
    ax = _axes(ax)
    filled = bins.count > 0
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfectly calibrated")
    ax.plot(bins.mean_predicted[filled], bins.fraction_positive[filled], color=CURVE_COLOURS["val"], linewidth=1)
    ax.scatter(
        bins.mean_predicted[filled],
        bins.fraction_positive[filled],
        s=20 + 200 * bins.count[filled] / bins.count.max(),
        color=CURVE_COLOURS["val"],
        marker=CLASS_MARKERS[0],
        edgecolor="black",
        linewidth=0.5,
        label=f"{label} (size: samples in the bin)",
        zorder=3,
    )
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("mean predicted probability in the bin")
    ax.set_ylabel("fraction truly positive in the bin")
    ax.set_title(title if title is not None else "Reliability diagram")
    ax.legend(loc="upper left")
    return Drawn(ax, bins)


@dataclass(frozen=True)
class CurvesDrawn:
    """What ``plot_pr_and_roc`` drew: its two Axes and, per model, its (precision-recall, ROC) curves."""

    axes: tuple
    curves: dict


#: One look a model in ``plot_pr_and_roc`` (colour, marker, line style): Okabe-Ito, none of class 0/1's.
_MODEL_STYLES = (
    (CLASS_COLOURS[2], CLASS_MARKERS[2], "-"),
    (CLASS_COLOURS[3], CLASS_MARKERS[3], "--"),
    (CLASS_COLOURS[4], CLASS_MARKERS[4], ":"),
    (CLASS_COLOURS[5], CLASS_MARKERS[5], "-."),
)


def plot_pr_and_roc(y_true, scores_by_model, *, mark_threshold=0.5, axes=None, zoom: bool = True, title=None):
    """Draw several models' precision-recall curves (left) and ROC curves (right) on the same labels.

    Each model has one colour, marker and line style in both panels; its area (average precision,
    ROC AUC) is in the legend. A big marker shows each curve's point at ``mark_threshold``; with
    ``zoom``, an inset in each panel enlarges the corner where good models crowd together.

    Args:
        y_true: labels 0/1, [N] or [N, 1]; tensor or NumPy array (both classes present).
        scores_by_model: {model name: scores [N]}, one to four models, drawn in this order.
        mark_threshold: the threshold whose point is marked on every curve, or None.
        axes: a pair of Axes (precision-recall, ROC) to draw on; None makes a figure 10.5 inches wide.
        zoom: draw the insets.
        title: the figure's title, or None.

    Returns:
        ``CurvesDrawn(axes, curves)``: the two Axes and {model name: (pr_curve, roc_curve)}.

    Raises:
        TypeError: ``scores_by_model`` not a mapping with str names; ``mark_threshold`` not a
            number or None; ``axes`` not a pair of Axes; ``zoom`` not a bool.
        ValueError: no model or more than four; labels or scores as for ``pr_curve``.
    """
    caller = "plot_pr_and_roc"
    if not isinstance(scores_by_model, Mapping):
        raise TypeError(_param_error("scores_by_model", caller, "a mapping {model name: scores}", scores_by_model))
    if not 1 <= len(scores_by_model) <= len(_MODEL_STYLES):
        raise ValueError(
            _param_error("scores_by_model", caller, f"a mapping of 1 to {len(_MODEL_STYLES)} models", scores_by_model)
        )
    for name in scores_by_model:
        if not isinstance(name, str):
            raise TypeError(f"The model names of {caller} must be str; got {name!r}.")
    if mark_threshold is not None and (
        isinstance(mark_threshold, bool)
        or not isinstance(mark_threshold, numbers.Real)
        or not np.isfinite(mark_threshold)
    ):
        raise TypeError(_param_error("mark_threshold", caller, "a finite number or None", mark_threshold))
    if not isinstance(zoom, bool):
        raise TypeError(_param_error("zoom", caller, "a bool", zoom))
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(10.5, 4.2))
    elif not (
        isinstance(axes, (tuple, list, np.ndarray)) and len(axes) == 2 and all(isinstance(a, plt.Axes) for a in axes)
    ):
        raise TypeError(_param_error("axes", caller, "a pair of matplotlib Axes or None", axes))
    pr_ax, roc_ax = axes
    curves = {name: (pr_curve(y_true, scores), roc_curve(y_true, scores)) for name, scores in scores_by_model.items()}

    share = float(np.mean(as_labels(y_true, "y_true")))
    pr_ax.axhline(share, color="grey", linestyle="-.", linewidth=1, label=f"chance (share of positives {share:.2f})")
    roc_ax.plot([0, 1], [0, 1], color="grey", linestyle="-.", linewidth=1, label="chance (AUC 0.5)")
    zooms = (pr_ax.inset_axes([0.08, 0.3, 0.45, 0.4]), roc_ax.inset_axes([0.4, 0.3, 0.45, 0.4])) if zoom else ()
    for (name, pair), (colour, marker, style) in zip(curves.items(), _MODEL_STYLES):
        for curve, ax, zoomed, area in (
            (pair[0], pr_ax, zooms[:1], f"AP {pair[0].area:.3f}"),
            (pair[1], roc_ax, zooms[1:], f"AUC {pair[1].area:.3f}"),
        ):
            marked = [] if mark_threshold is None else [int(np.nonzero(curve.thresholds >= mark_threshold)[0][-1])]
            for target in (ax, *zoomed):
                target.plot(
                    curve.x,
                    curve.y,
                    color=colour,
                    linestyle=style,
                    linewidth=2,
                    drawstyle="steps-pre" if curve.kind == "pr" else "default",
                    marker=marker,
                    markevery=marked,
                    markersize=10,
                    markeredgecolor="black",
                    label=f"{name} ({area})",
                )
    if zoom:
        zooms[0].set(xlim=(0.7, 1.01), ylim=(0.7, 1.01), title="zoom")
        zooms[1].set(xlim=(-0.01, 0.3), ylim=(0.7, 1.01), title="zoom")
    pr_ax.set(xlabel="recall (TP / all positives)", ylabel="precision (TP / predicted positive)")
    pr_ax.set_title("Precision-recall curves")
    roc_ax.set(xlabel="false-positive rate (FP / all negatives)", ylabel="true-positive rate = recall")
    roc_ax.set_title("ROC curves")
    for ax, corner in ((pr_ax, "lower left"), (roc_ax, "lower right")):
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(-0.02, 1.02)
        ax.legend(loc=corner, fontsize=8)
    if title is not None:
        pr_ax.figure.suptitle(title)
    return CurvesDrawn(tuple(axes), curves)
