import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

from helpers import plot_confusion_matrix, plot_decision_boundary, plot_loss_curves, plot_predictions
from helpers.plotting import predict_labels_on


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


class Threshold(nn.Module):
    """Binary logits: positive right of x = 0, so label 1 there."""
    def __init__(self, n_outputs=1):
        super().__init__()
        self.layer = nn.Linear(2, n_outputs)
        with torch.no_grad():
            self.layer.weight.zero_()
            self.layer.bias.zero_()
            self.layer.weight[0, 0] = 5.0

    def forward(self, x):
        return self.layer(x)


def blobs(n=40, classes=2):
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(n, 2, generator=generator)
    y = torch.arange(n) % classes
    return X, y


def contour_levels(ax):
    sets = [c for c in ax.get_children() if hasattr(c, "levels") and hasattr(c, "allsegs")]
    assert sets, "no filled contour was drawn"
    return list(sets[0].levels)


def test_binary_model_regions_follow_sigmoid_threshold():
    labels, n_classes = predict_labels_on(Threshold(), np.array([[-1.0, 0.0], [1.0, 0.0], [0.2, 5.0]]))
    assert n_classes == 2 and labels.tolist() == [0, 1, 1]


def test_multiclass_is_decided_by_output_width_not_by_labels():
    model = nn.Linear(2, 4)
    X, y = blobs(classes=2)  # the data only holds classes 0 and 1
    ax = plot_decision_boundary(model, X, y)
    assert contour_levels(ax) == [-0.5, 0.5, 1.5, 2.5, 3.5]


def test_binary_even_when_labels_show_one_class():
    X, _ = blobs()
    ax = plot_decision_boundary(Threshold(), X, torch.ones(len(X)))
    assert contour_levels(ax) == [-0.5, 0.5, 1.5]


def test_draws_into_given_axes_and_returns_it():
    X, y = blobs()
    fig, axes = plt.subplots(1, 2)
    returned = plot_decision_boundary(Threshold(), X, y, ax=axes[1], title="test set")
    assert returned is axes[1]
    assert axes[1].get_title() == "test set" and axes[1].get_xlabel() and axes[1].get_ylabel()
    assert not axes[0].collections


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_model_mode_device_and_parameters_are_restored(mode):
    model = nn.Sequential(nn.Linear(2, 8), nn.Dropout(0.5), nn.Linear(8, 1))
    model.train(mode == "train")
    before = {k: v.clone() for k, v in model.state_dict().items()}
    X, y = blobs()
    plot_decision_boundary(model, X, y)
    assert model.training == (mode == "train")
    assert all(m.training == (mode == "train") for m in model.modules())
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert next(model.parameters()).device.type == "cpu"


def test_inputs_are_left_untouched():
    X, y = blobs()
    X_before, y_before = X.clone(), y.clone()
    plot_decision_boundary(Threshold(), X, y)
    assert torch.equal(X, X_before) and torch.equal(y, y_before)


@pytest.mark.parametrize(
    ("X", "y"),
    [
        (np.random.default_rng(0).normal(size=(30, 2)), np.arange(30) % 2),  # NumPy float64, int labels
        (torch.randn(30, 2, dtype=torch.float64), (torch.arange(30) % 2).float()),  # float64, float labels
        (torch.randn(30, 2).half(), (torch.arange(30) % 2).reshape(-1, 1)),  # float16, [N, 1] labels
        (torch.randint(-3, 3, (30, 2)), torch.arange(30) % 2),  # integer features
    ],
)
def test_accepts_what_a_learner_has(X, y):
    assert plot_decision_boundary(Threshold(), X, y) is not None


def test_float64_model():
    X, y = blobs()
    assert plot_decision_boundary(Threshold().double(), X, y) is not None


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_gpu_model_and_tensors_stay_on_the_gpu():  # pragma: no cover - runs on GPU machines
    model = Threshold().cuda()
    X, y = blobs()
    X, y = X.cuda(), y.cuda()
    plot_decision_boundary(model, X, y)
    assert next(model.parameters()).is_cuda and X.is_cuda and y.is_cuda


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        (torch.randn(10, 3), torch.zeros(10), r"X must have shape \[n_samples, 2\].*got shape \[10, 3\]"),
        (torch.randn(10), torch.zeros(10), r"got shape \[10\]"),
        (torch.randn(0, 2), torch.zeros(0), "X is empty"),
        (torch.randn(10, 2), torch.zeros(9), "y has 9 labels but there are 10 samples"),
        (torch.full((10, 2), float("nan")), torch.zeros(10), "NaN"),
        (torch.randn(10, 2), torch.full((10,), 0.5), "whole numbers"),
    ],
)
def test_bad_inputs_say_what_is_wrong(X, y, message):
    with pytest.raises(ValueError, match=message):
        plot_decision_boundary(Threshold(), X, y)


def test_not_a_model():
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        plot_decision_boundary(lambda x: x, *blobs())


def test_model_for_other_feature_count():
    with pytest.raises(ValueError, match="could not be evaluated"):
        plot_decision_boundary(nn.Linear(3, 1), *blobs())


def test_model_with_wrong_output_shape():
    class Flat(nn.Module):
        def forward(self, x):
            return x.sum()
    with pytest.raises(ValueError, match="model returned shape"):
        plot_decision_boundary(Flat(), *blobs())


def test_plot_predictions_draws_three_series():
    x = torch.arange(0, 1, 0.01).unsqueeze(1)
    y = 0.7 * x + 0.3
    ax = plot_predictions(x[:80], y[:80], x[80:], y[80:], predictions=y[80:] + 0.01, title="line")
    assert [c.get_offsets().shape[0] for c in ax.collections] == [80, 20, 20]
    assert ax.get_title() == "line" and ax.get_legend() is not None


def test_plot_predictions_without_predictions_and_numpy():
    x = np.linspace(0, 1, 10)
    ax = plot_predictions(x[:8], x[:8], x[8:], x[8:])
    assert len(ax.collections) == 2


def test_plot_predictions_mismatch():
    x = torch.arange(10.0)
    with pytest.raises(ValueError, match="test_data has 2 values but predictions has 3"):
        plot_predictions(x[:8], x[:8], x[8:], x[8:], predictions=torch.zeros(3))


def test_plot_predictions_two_columns():
    with pytest.raises(ValueError, match=r"train_data must have shape \[N\] or \[N, 1\]"):
        plot_predictions(torch.zeros(5, 2), torch.zeros(5), torch.zeros(2), torch.zeros(2))


def test_loss_curves_with_and_without_accuracy():
    history = {"train_loss": [1.0, 0.5], "test_loss": [1.1, 0.6]}
    assert len(plot_loss_curves(history)) == 1
    history.update(train_acc=[50.0, 90.0], test_acc=[48.0, 88.0], epoch=[0, 10])
    loss_ax, acc_ax = plot_loss_curves(history, title="curves")
    assert [line.get_xdata().tolist() for line in acc_ax.lines] == [[0, 10], [0, 10]]
    assert loss_ax.get_ylabel() == "Loss" and acc_ax.get_ylabel() == "Accuracy (%)"


def test_loss_curves_accept_tensors():
    history = {"train_loss": [torch.tensor(1.0), torch.tensor(0.5)], "test_loss": [torch.tensor(0.9), torch.tensor(0.4)]}
    (ax,) = plot_loss_curves(history)
    assert ax.lines[0].get_ydata().tolist() == [1.0, 0.5]


@pytest.mark.parametrize(
    ("history", "error", "message"),
    [
        ([1, 2], TypeError, "history must be a dict"),
        ({"train_loss": [1.0]}, ValueError, "missing"),
        ({"train_loss": [], "test_loss": []}, ValueError, "empty"),
        ({"train_loss": [1.0, 2.0], "test_loss": [1.0]}, ValueError, "same length"),
        ({"train_loss": ["a"], "test_loss": [1.0]}, TypeError, "numbers"),
        ({"train_loss": [1.0], "test_loss": [1.0], "train_acc": [1.0]}, ValueError, "both"),
    ],
)
def test_loss_curves_bad_history(history, error, message):
    with pytest.raises(error, match=message):
        plot_loss_curves(history)


def test_confusion_matrix_writes_counts():
    ax = plot_confusion_matrix(torch.tensor([[5, 1], [0, 4]]), class_names=["a", "b"])
    assert [t.get_text() for t in ax.texts] == ["5", "1", "0", "4"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


@pytest.mark.parametrize(
    ("matrix", "names", "message"),
    [
        (torch.zeros(2, 3), None, "square"),
        (torch.tensor([[1, -1], [0, 1]]), None, "non-negative"),
        (torch.eye(2), ["a"], "class_names has 1 names"),
    ],
)
def test_confusion_matrix_bad_input(matrix, names, message):
    with pytest.raises(ValueError, match=message):
        plot_confusion_matrix(matrix, class_names=names)


def test_mixed_train_eval_modes_are_restored_module_by_module():
    model = nn.Sequential(nn.Linear(2, 8), nn.Dropout(0.5), nn.Linear(8, 1))
    model.train()
    model[1].eval()  # e.g. a learner froze dropout by hand
    before = [m.training for m in model.modules()]
    plot_decision_boundary(model, *blobs())
    assert [m.training for m in model.modules()] == before
