import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from sklearn import metrics
from sklearn.calibration import calibration_curve

from helpers import curves


def random_case(rng, n=None):
    """Labels with both classes and scores with ties (rounded), as real scores often have."""
    n = int(rng.integers(2, 80)) if n is None else n
    while True:
        y = rng.integers(0, 2, n)
        if y.min() != y.max():
            break
    scores = np.round(rng.random(n), int(rng.integers(1, 4)))
    return y, scores


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# ------------------------------------------------------------------ the numbers, against scikit-learn


@pytest.mark.parametrize("seed", range(40))
def test_roc_curve_and_auc_match_scikit_learn(seed):
    y, s = random_case(np.random.default_rng(seed))
    curve = curves.roc_curve(y, s)
    fpr, tpr, thresholds = metrics.roc_curve(y, s, drop_intermediate=False)
    np.testing.assert_allclose(curve.x, fpr)
    np.testing.assert_allclose(curve.y, tpr)
    np.testing.assert_allclose(curve.thresholds[1:], thresholds[1:])
    assert curve.thresholds[0] == np.inf
    assert curve.area == pytest.approx(metrics.roc_auc_score(y, s))


@pytest.mark.parametrize("seed", range(40))
def test_pr_curve_and_average_precision_match_scikit_learn(seed):
    y, s = random_case(np.random.default_rng(seed))
    curve = curves.pr_curve(y, s)
    precision, recall, thresholds = metrics.precision_recall_curve(y, s)
    np.testing.assert_allclose(curve.y, precision[::-1])
    np.testing.assert_allclose(curve.x, recall[::-1])
    np.testing.assert_allclose(curve.thresholds[1:], thresholds[::-1])
    assert curve.area == pytest.approx(metrics.average_precision_score(y, s))


@pytest.mark.parametrize("seed", range(20))
def test_precision_recall_at_thresholds_match_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    y, s = random_case(rng)
    thresholds = [0.0, 0.25, 0.5, float(s[0]), 0.9, 1.5]
    at = curves.precision_recall_at(y, s, thresholds)
    for i, t in enumerate(thresholds):
        y_pred = (s >= t).astype(int)
        assert at.precision[i] == pytest.approx(metrics.precision_score(y, y_pred, zero_division=0))
        assert at.recall[i] == pytest.approx(metrics.recall_score(y, y_pred))
        assert at.n_predicted_positive[i] == y_pred.sum()


@pytest.mark.parametrize("seed", range(20))
def test_reliability_bins_match_calibration_curve(seed):
    rng = np.random.default_rng(seed)
    y, p = random_case(rng, n=200)
    n_bins = int(rng.integers(1, 12))
    bins = curves.reliability_bins(y, p, n_bins=n_bins)
    fraction, mean = calibration_curve(y, p, n_bins=n_bins)
    filled = bins.count > 0
    np.testing.assert_allclose(bins.fraction_positive[filled], fraction)
    np.testing.assert_allclose(bins.mean_predicted[filled], mean)
    assert bins.count.sum() == len(y) and np.isnan(bins.mean_predicted[~filled]).all()
    np.testing.assert_allclose(bins.edges, np.linspace(0, 1, n_bins + 1))


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("goal", [0.5, 0.8, 0.95, 1.0])
def test_threshold_for_recall_is_the_highest_that_meets_the_goal(seed, goal):
    y, s = random_case(np.random.default_rng(seed))
    t = curves.threshold_for_recall(y, s, goal)
    assert metrics.recall_score(y, (s >= t).astype(int)) >= goal
    higher = s[s > t]
    if higher.size:  # the next score up no longer meets it
        assert metrics.recall_score(y, (s >= higher.min()).astype(int)) < goal


def test_threshold_for_recall_counts_an_exact_fraction_as_reached():
    # 19 of 20 positives above 0.5 is recall 0.95 exactly, in floating point too
    y = np.r_[np.ones(20), np.zeros(5)]
    s = np.r_[np.linspace(0.6, 0.99, 19), 0.1, np.full(5, 0.3)]
    assert curves.threshold_for_recall(y, s, 0.95) == pytest.approx(0.6)


def test_perfect_and_reversed_scores():
    y = np.array([0, 0, 1, 1])
    assert curves.roc_curve(y, np.array([0.1, 0.2, 0.8, 0.9])).area == 1.0
    assert curves.roc_curve(y, np.array([0.9, 0.8, 0.2, 0.1])).area == 0.0
    assert curves.pr_curve(y, np.array([0.1, 0.2, 0.8, 0.9])).area == 1.0


def test_logits_give_the_same_curves_as_probabilities():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 100)
    logits = torch.tensor(rng.normal(size=100) + 2 * y)
    for f in (curves.roc_curve, curves.pr_curve):
        a, b = f(y, logits), f(y, torch.sigmoid(logits))
        assert a.area == pytest.approx(b.area)
        np.testing.assert_allclose(a.x, b.x)


# ------------------------------------------------------------------ what a learner has at hand


def test_tensors_arrays_columns_and_float_labels_agree():
    rng = np.random.default_rng(1)
    y, s = random_case(rng, n=50)
    reference = curves.roc_curve(y, s).area
    as_tensors = curves.roc_curve(torch.tensor(y, dtype=torch.float32)[:, None], torch.tensor(s)[:, None])
    float32 = curves.roc_curve(y.astype(np.float32), s.astype(np.float32))
    assert as_tensors.area == pytest.approx(reference) and float32.area == pytest.approx(reference)


def test_numpy_integers_and_floats_are_accepted_as_parameters():
    y, s = random_case(np.random.default_rng(2), n=40)
    assert curves.reliability_bins(y, s, n_bins=np.int64(4)).count.size == 4
    assert curves.threshold_for_recall(y, s, np.float32(0.5)) == curves.threshold_for_recall(y, s, 0.5)
    at = curves.precision_recall_at(y, s, np.array([0.3, 0.6]))
    assert at.thresholds.tolist() == [0.3, 0.6]
    assert curves.precision_recall_at(y, s, 0.5).precision.shape == (1,)
    grid = torch.linspace(0, 1, 11)
    from_tensor = curves.precision_recall_at(y, s, grid)
    np.testing.assert_allclose(from_tensor.recall, curves.precision_recall_at(y, s, grid.tolist()).recall)


def test_inputs_are_not_changed():
    y = torch.tensor([[1.0], [0.0], [1.0], [0.0]])
    s = torch.tensor([[0.9], [0.4], [0.35], [0.1]], requires_grad=True)
    before = (y.clone(), s.detach().clone())
    curves.roc_curve(y, s)
    curves.pr_curve(y, s)
    curves.precision_recall_at(y, s, [0.5])
    curves.threshold_for_recall(y, s, 0.9)
    curves.reliability_bins(y, s)
    curves.plot_roc_curve(y, s)
    assert torch.equal(y, before[0]) and torch.equal(s.detach(), before[1])
    assert s.grad is None and s.requires_grad


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_gpu_tensors_are_read_and_stay_on_the_gpu():
    y = torch.tensor([0.0, 1.0, 1.0, 0.0], device="cuda")
    s = torch.tensor([0.2, 0.7, 0.6, 0.65], device="cuda")
    assert curves.roc_curve(y, s).area == pytest.approx(metrics.roc_auc_score([0, 1, 1, 0], [0.2, 0.7, 0.6, 0.65]))
    assert y.device.type == "cuda" and s.device.type == "cuda"


# ------------------------------------------------------------------ wrong inputs


def test_labels_must_be_binary():
    with pytest.raises(ValueError, match="binary labels 0 and 1.*contains 2"):
        curves.roc_curve(np.array([0, 1, 2]), np.array([0.1, 0.5, 0.9]))


def test_probabilities_as_labels_are_refused_by_the_one_label_rule():
    with pytest.raises(ValueError, match="class labels"):
        curves.pr_curve(np.array([0.2, 0.9]), np.array([0.1, 0.5]))


def test_roc_needs_both_classes_and_pr_needs_a_positive():
    with pytest.raises(ValueError, match="only class 1.*both classes"):
        curves.roc_curve(np.ones(3), np.array([0.1, 0.5, 0.9]))
    with pytest.raises(ValueError, match="no positive"):
        curves.pr_curve(np.zeros(3), np.array([0.1, 0.5, 0.9]))
    with pytest.raises(ValueError, match="no positive"):
        curves.precision_recall_at(np.zeros(3), np.array([0.1, 0.5, 0.9]), 0.5)


def test_lengths_must_match():
    with pytest.raises(ValueError, match="2 scores but y_true has 3 labels"):
        curves.roc_curve(np.array([0, 1, 1]), np.array([0.1, 0.5]))


def test_scores_must_be_one_per_sample_and_finite():
    with pytest.raises(ValueError, match=r"shape \[n_samples\].*got shape \[3, 2\]"):
        curves.roc_curve(np.array([0, 1, 1]), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="NaN or infinite"):
        curves.roc_curve(np.array([0, 1, 1]), np.array([0.1, np.nan, 0.3]))
    with pytest.raises(TypeError, match="not booleans"):
        curves.roc_curve(np.array([0, 1, 1]), np.array([True, False, True]))
    with pytest.raises(TypeError, match="torch.Tensor or a NumPy array"):
        curves.roc_curve([0, 1, 1], np.array([0.1, 0.5, 0.3]))


def test_reliability_needs_probabilities():
    with pytest.raises(ValueError, match="between 0 and 1.*Apply torch.sigmoid"):
        curves.reliability_bins(np.array([0, 1]), np.array([-2.0, 3.0]))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda y, s: curves.threshold_for_recall(y, s, 0.0), ValueError, r"'min_recall'.*\(0.0, 1.0\]. Got 0.0"),
        (lambda y, s: curves.threshold_for_recall(y, s, 1.2), ValueError, "'min_recall'.*Got 1.2 instead"),
        (lambda y, s: curves.threshold_for_recall(y, s, "0.9"), TypeError, "'min_recall'.*Got '0.9' instead"),
        (lambda y, s: curves.threshold_for_recall(y, s, True), TypeError, "'min_recall'"),
        (lambda y, s: curves.reliability_bins(y, s, n_bins=0), ValueError, r"'n_bins'.*\[1, inf\). Got 0"),
        (lambda y, s: curves.reliability_bins(y, s, n_bins=2.5), TypeError, "'n_bins'.*Got 2.5"),
        (lambda y, s: curves.precision_recall_at(y, s, "0.5"), TypeError, "'thresholds'"),
        (lambda y, s: curves.precision_recall_at(y, s, []), ValueError, "'thresholds'.*non-empty"),
        (lambda y, s: curves.precision_recall_at(y, s, [0.5, np.inf]), ValueError, "'thresholds'.*finite"),
        (lambda y, s: curves.plot_pr_curve(y, s, mark_threshold="high"), TypeError, "'mark_threshold'"),
        (lambda y, s: curves.plot_roc_curve(y, s, ax="left"), TypeError, "ax must be a matplotlib Axes"),
    ],
)
def test_parameters_are_checked_with_one_wording(call, error, message):
    y, s = np.array([0, 1, 1, 0]), np.array([0.2, 0.7, 0.6, 0.4])
    with pytest.raises(error, match=message):
        call(y, s)


# ------------------------------------------------------------------ drawing returns what it drew


def test_plot_roc_curve_draws_the_computed_points_and_marks_the_threshold():
    y, s = random_case(np.random.default_rng(3), n=60)
    _, ax = plt.subplots()
    drawn = curves.plot_roc_curve(y, s, ax=ax, mark_threshold=0.5, label="val")
    assert drawn.ax is ax
    expected = curves.roc_curve(y, s)
    line = next(line for line in ax.get_lines() if line.get_label().startswith("val"))
    np.testing.assert_allclose(line.get_xdata(), expected.x)
    np.testing.assert_allclose(line.get_ydata(), expected.y)
    assert f"AUC {expected.area:.3f}" in line.get_label()
    star = next(line for line in ax.get_lines() if line.get_label() == "threshold 0.50")
    y_pred = (s >= 0.5).astype(int)
    fpr = ((y_pred == 1) & (y == 0)).sum() / (y == 0).sum()
    assert star.get_xdata()[0] == pytest.approx(fpr)
    assert star.get_ydata()[0] == pytest.approx(metrics.recall_score(y, y_pred))
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_plot_pr_curve_marks_the_precision_and_recall_at_the_threshold():
    y, s = random_case(np.random.default_rng(4), n=60)
    drawn = curves.plot_pr_curve(y, s, mark_threshold=0.3)
    star = next(line for line in drawn.ax.get_lines() if line.get_label() == "threshold 0.30")
    y_pred = (s >= 0.3).astype(int)
    assert star.get_xdata()[0] == pytest.approx(metrics.recall_score(y, y_pred))
    assert star.get_ydata()[0] == pytest.approx(metrics.precision_score(y, y_pred))
    assert drawn.data.area == pytest.approx(metrics.average_precision_score(y, s))


def test_plot_reliability_diagram_draws_the_filled_bins():
    y, p = random_case(np.random.default_rng(5), n=100)
    drawn = curves.plot_reliability_diagram(y, p, n_bins=20)
    filled = drawn.data.count > 0
    offsets = drawn.ax.collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 0], drawn.data.mean_predicted[filled])
    np.testing.assert_allclose(offsets[:, 1], drawn.data.fraction_positive[filled])


# ------------------------------------------------------------------ plot_pr_and_roc


def test_plot_pr_and_roc_draws_each_models_computed_curves_and_marks_the_threshold():
    rng = np.random.default_rng(6)
    y, s1 = random_case(rng, n=60)
    s2 = np.round(rng.random(60), 2)
    drawn = curves.plot_pr_and_roc(y, {"first": s1, "second": torch.tensor(s2)}, mark_threshold=0.5, title="t")
    pr_ax, roc_ax = drawn.axes
    assert list(drawn.curves) == ["first", "second"]
    for name, scores in (("first", s1), ("second", s2)):
        pr, roc = drawn.curves[name]
        assert pr.area == pytest.approx(metrics.average_precision_score(y, scores))
        assert roc.area == pytest.approx(metrics.roc_auc_score(y, scores))
        for ax, curve in ((pr_ax, pr), (roc_ax, roc)):
            line = next(line for line in ax.get_lines() if line.get_label().startswith(name))
            np.testing.assert_allclose(line.get_xdata(), curve.x)
            np.testing.assert_allclose(line.get_ydata(), curve.y)
            (marked,) = line.get_markevery()  # the point of threshold 0.5: recall and precision / FPR there
            y_pred = (scores >= 0.5).astype(int)
            expected_x = (
                metrics.recall_score(y, y_pred) if ax is pr_ax else ((y_pred == 1) & (y == 0)).mean() / (y == 0).mean()
            )
            assert curve.x[marked] == pytest.approx(expected_x)
    assert pr_ax.get_title() and roc_ax.get_title() and pr_ax.get_xlabel() and roc_ax.get_ylabel()
    assert len(pr_ax.child_axes) == 1 and len(roc_ax.child_axes) == 1  # the zooms
    assert pr_ax.figure.get_size_inches()[0] <= 11.5


def test_plot_pr_and_roc_draws_on_given_axes_without_zoom_or_marks():
    y, s = random_case(np.random.default_rng(7), n=40)
    fig, axes = plt.subplots(1, 2)
    drawn = curves.plot_pr_and_roc(y, {"m": s}, axes=axes, zoom=False, mark_threshold=None)
    assert drawn.axes == tuple(axes)
    assert not axes[0].child_axes and not axes[1].child_axes
    line = next(line for line in axes[0].get_lines() if line.get_label().startswith("m"))
    assert list(line.get_markevery()) == []


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"scores_by_model": [0.2, 0.7, 0.6, 0.4]}, TypeError, "'scores_by_model'.*mapping"),
        ({"scores_by_model": {}}, ValueError, "'scores_by_model'.*1 to 4 models"),
        ({"scores_by_model": {str(k): np.zeros(4) for k in range(5)}}, ValueError, "1 to 4 models"),
        ({"scores_by_model": {1: np.zeros(4)}}, TypeError, "model names of plot_pr_and_roc must be str"),
        ({"mark_threshold": "0.5"}, TypeError, "'mark_threshold'"),
        ({"mark_threshold": np.nan}, TypeError, "'mark_threshold'"),
        ({"axes": "left"}, TypeError, "'axes'.*pair of matplotlib Axes"),
        ({"zoom": 1}, TypeError, "'zoom'.*bool"),
        ({"scores_by_model": {"m": np.zeros(3)}}, ValueError, "3 scores but y_true has 4 labels"),
    ],
)
def test_plot_pr_and_roc_checks_its_parameters(kwargs, error, message):
    y = np.array([0, 1, 1, 0])
    args = {"scores_by_model": {"m": np.array([0.2, 0.7, 0.6, 0.4])}} | kwargs
    with pytest.raises(error, match=message):
        curves.plot_pr_and_roc(y, **args)
