import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

from helpers import plot_confusion_matrix, plot_decision_boundary, plot_loss_curves, plot_predictions
from helpers.decision import predict_classes
from helpers.plotting import (
    CLASS_COLOURS,
    CLASS_MARKERS,
    REGIONS_GID,
    drawn_regions,
    plot_data,
    plot_train_test_boundaries,
)


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


def model_labels_at(model, drawn):
    """The model's own labels at the pixel centres of a drawn picture, laid out as the picture."""
    xx, yy = np.meshgrid(drawn.xs, drawn.ys)
    points = torch.tensor(np.column_stack([xx.ravel(), yy.ravel()]), dtype=torch.float32)
    with torch.no_grad():
        logits = model(points)
    # The course's rule, stated independently of helpers.decision
    labels = (torch.sigmoid(logits[:, 0]) > 0.5).long() if logits.shape[1] == 1 else logits.argmax(dim=1)
    return labels.numpy().reshape(xx.shape)


def blobs(n=40, classes=2):
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(n, 2, generator=generator)
    y = torch.arange(n) % classes
    return X, y


def test_binary_model_regions_follow_sigmoid_threshold():
    prediction = predict_classes(Threshold(), np.array([[-1.0, 0.0], [1.0, 0.0], [0.2, 5.0]]))
    assert prediction.n_classes == 2 and prediction.labels.tolist() == [0, 1, 1]


def test_multiclass_is_decided_by_output_width_not_by_labels():
    model = nn.Linear(2, 4)
    X, y = blobs(classes=2)  # the data only holds classes 0 and 1
    ax = plot_decision_boundary(model, X, y)
    drawn = drawn_regions(ax)
    assert set(np.unique(drawn.labels)) <= {0, 1, 2, 3}
    assert set(np.unique(drawn.labels)) == set(np.unique(model_labels_at(model, drawn)))


def test_binary_even_when_labels_show_one_class():
    X, _ = blobs()
    ax = plot_decision_boundary(Threshold(), X, torch.ones(len(X)))
    assert set(np.unique(drawn_regions(ax).labels)) == {0, 1}


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
    with pytest.raises(ValueError, match="first layer takes 3 features"):
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
    assert [line.get_label() for line in plot_loss_curves(history)[0].lines] == ["train loss", "test loss"]
    history.update(train_acc=[50.0, 90.0], test_acc=[48.0, 88.0], epoch=[0, 10])
    loss_ax, acc_ax = plot_loss_curves(history, title="curves")
    assert [line.get_xdata().tolist() for line in acc_ax.lines] == [[0, 10], [0, 10]]
    assert loss_ax.get_ylabel() == "Loss" and acc_ax.get_ylabel() == "Accuracy (%)"


def test_loss_curves_accept_tensors():
    history = {
        "train_loss": [torch.tensor(1.0), torch.tensor(0.5)],
        "test_loss": [torch.tensor(0.9), torch.tensor(0.4)],
    }
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
        ({"train_loss": [1.0], "test_loss": [1.0], "train_acc": [1.0]}, ValueError, "both or neither"),
        ({"train_loss": [1.0], "val_loss": [1.0], "val_acc": [1.0]}, ValueError, "both or neither"),
    ],
)
def test_loss_curves_bad_history(history, error, message):
    with pytest.raises(error, match=message):
        plot_loss_curves(history)


def test_confusion_matrix_writes_counts():
    ax = plot_confusion_matrix(torch.tensor([[5, 1], [0, 4]]), class_names=["a", "b"])
    assert [t.get_text() for t in ax.texts] == ["5", "1", "0", "4"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


def test_confusion_matrix_text_is_readable():
    """Class names sit on chips of their class colour and every count on its cell, each in the text
    colour with the higher contrast: WCAG's 4.5 for normal text, from the colour actually drawn
    (coloured names on white were 2.3:1 for sky blue and orange)."""
    from matplotlib.colors import to_rgb

    from helpers.style import contrast_ratio

    confmat = torch.tensor([[49, 0, 0, 0], [0, 41, 0, 0], [0, 0, 53, 0], [1, 0, 0, 56]])
    ax = plot_confusion_matrix(confmat)
    ax.figure.canvas.draw()
    for ticks in (ax.get_xticklabels(), ax.get_yticklabels()):
        for k, tick in enumerate(ticks):
            chip = tick.get_bbox_patch().get_facecolor()
            assert to_rgb(chip) == to_rgb(CLASS_COLOURS[k])
            assert contrast_ratio(tick.get_color(), chip) >= 4.5, (k, tick.get_color())
    image = ax.get_images()[0]
    for text in ax.texts:
        column, row = (round(v) for v in text.get_position())
        cell = image.cmap(image.norm(float(confmat[row, column])))
        assert contrast_ratio(text.get_color(), cell) >= 4.5, (row, column, text.get_color())


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


# --- Pictures we can test: the drawn numbers are the model's own numbers -----------------------


class Skewed(nn.Module):
    """An asymmetric binary model whose logits near the boundary lie in (0, 0.5]: a picture
    drawn with the features swapped, or with `logit > 0.5` instead of `sigmoid(logit) > 0.5`,
    differs from the model's own predictions."""

    def forward(self, x):
        return (0.3 * x[:, 0] - 0.1 * x[:, 1] ** 2 + 0.2).unsqueeze(1)


@pytest.mark.parametrize("model", [Skewed(), nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))])
def test_drawn_regions_are_the_models_predictions(model):
    torch.manual_seed(0)
    X = torch.randn(60, 2) * torch.tensor([3.0, 1.0]) + torch.tensor([1.0, -2.0])  # not square
    y = torch.arange(60) % 2
    ax = plot_decision_boundary(model, X, y, grid_resolution=41)
    drawn = drawn_regions(ax)
    assert drawn.labels.shape == (41, 41)
    np.testing.assert_array_equal(drawn.labels, model_labels_at(model, drawn))
    # and the picture sits where the data is
    assert drawn.xs.min() < X[:, 0].min() and drawn.xs.max() > X[:, 0].max()
    assert drawn.ys.min() < X[:, 1].min() and drawn.ys.max() > X[:, 1].max()


def test_the_colours_still_encode_the_labels():
    """The picture itself: each pixel's colour is its class's palette colour, centred on its grid
    point (the numbers a check compares come from drawn_regions, this proves the picture shows them)."""
    from matplotlib.colors import to_rgb

    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))
    X, y = blobs(40, classes=3)
    ax = plot_decision_boundary(model, X, y, grid_resolution=37)
    regions = drawn_regions(ax)
    image = next(image for image in ax.get_images() if image.get_gid() == REGIONS_GID)
    rgb = np.asarray(image.get_array())[..., :3]
    palette = np.array([to_rgb(c) for c in CLASS_COLOURS])
    decoded = ((rgb[..., None, :] - palette[None, None]) ** 2).sum(axis=-1).argmin(axis=-1)
    np.testing.assert_array_equal(decoded, regions.labels)
    xmin, xmax, ymin, ymax = image.get_extent()
    edges_x, edges_y = np.linspace(xmin, xmax, 38), np.linspace(ymin, ymax, 38)
    np.testing.assert_allclose((edges_x[:-1] + edges_x[1:]) / 2, regions.xs)
    np.testing.assert_allclose((edges_y[:-1] + edges_y[1:]) / 2, regions.ys)
    assert drawn_regions(plot_data(X, y)) is None


def test_binary_rule_is_sigmoid_above_one_half():
    # logits 0.3 and 0.0: sigmoid gives 0.574 (class 1) and exactly 0.5 (class 0)
    model = nn.Linear(2, 1)
    with torch.no_grad():
        model.weight.zero_()
        model.bias.fill_(0.3)
    assert predict_classes(model, np.zeros((1, 2))).labels.tolist() == [1]
    with torch.no_grad():
        model.bias.zero_()
    assert predict_classes(model, np.zeros((1, 2))).labels.tolist() == [0]


def test_probability_shading_pale_where_unsure():
    from helpers.decision import decision_regions
    from helpers.plotting import regions_to_rgba

    regions = decision_regions(Skewed(), (-3, 3, -6, 6), grid_resolution=30)
    rgba = regions_to_rgba(regions)
    confidence = regions.probs.max(axis=-1)
    unsure, sure = confidence < 0.55, confidence > 0.9
    assert unsure.any() and sure.any()
    assert rgba[..., 3][unsure].max() < rgba[..., 3][sure].min()
    flat = regions_to_rgba(regions, show_probability=False)
    assert np.all(flat[..., 3] == flat[0, 0, 3])


def test_train_and_test_panels_share_their_extent():
    X_train, y_train = blobs(50)
    X_test = X_train[:10] * 0.5
    ax_train, ax_test = plot_train_test_boundaries(Threshold(), X_train, y_train, X_test, y_train[:10])
    assert ax_train.get_xlim() == ax_test.get_xlim() and ax_train.get_ylim() == ax_test.get_ylim()
    assert ax_train.get_title().startswith("train") and ax_test.get_title().startswith("test")
    train_regions, test_regions = drawn_regions(ax_train), drawn_regions(ax_test)
    np.testing.assert_array_equal(train_regions.labels, test_regions.labels)


def test_one_colour_and_marker_per_class_everywhere():
    X, y = blobs(40, classes=3)
    data_ax = plot_data(X, y)
    boundary_ax = plot_decision_boundary(nn.Linear(2, 3), X, y)
    for ax in (data_ax, boundary_ax):
        colours = [tuple(c.get_facecolor()[0][:3]) for c in ax.collections if c.get_offsets().shape[0]]
        from matplotlib.colors import to_rgb

        assert colours[:3] == [to_rgb(CLASS_COLOURS[k]) for k in range(3)]
        assert [t.get_text() for t in ax.get_legend().get_texts()][:3] == ["class 0", "class 1", "class 2"]
    assert len(set(CLASS_MARKERS)) == len(CLASS_MARKERS) == len(CLASS_COLOURS)


def test_figures_have_an_opaque_white_background():
    from matplotlib.colors import to_rgba

    X, y = blobs()
    fig = plot_decision_boundary(Threshold(), X, y).figure
    assert to_rgba(fig.get_facecolor()) == (1.0, 1.0, 1.0, 1.0)


def test_confusion_matrix_rows_are_true_classes():
    """Cell (row i, column j) shows how many samples of true class i were predicted as j,
    counted here pair by pair; an asymmetric matrix catches a transposed picture."""
    from torchmetrics.classification import MulticlassConfusionMatrix

    y_true = torch.tensor([0, 0, 0, 1, 1, 2, 2, 2, 2])
    y_pred = torch.tensor([0, 1, 1, 1, 2, 2, 2, 0, 2])
    confmat = MulticlassConfusionMatrix(num_classes=3)(y_pred, y_true)
    ax = plot_confusion_matrix(confmat)
    drawn = {(round(t.get_position()[1]), round(t.get_position()[0])): int(t.get_text()) for t in ax.texts}
    for i in range(3):
        for j in range(3):
            counted = int(((y_true == i) & (y_pred == j)).sum())
            assert drawn[(i, j)] == counted, (i, j)
    image = ax.get_images()[0]
    np.testing.assert_array_equal(np.asarray(image.get_array()), confmat.numpy())
    assert ax.get_ylabel() == "true class" and ax.get_xlabel() == "predicted class"


def test_plot_data_on_shared_axes_with_a_given_extent():
    X, y = blobs(30)
    fig, axes = plt.subplots(1, 2, sharex=True, sharey=True)
    for ax in axes:
        plot_data(X, y, ax=ax, extent=(-5, 5, -4, 4))
    fig.canvas.draw()  # "datalim" aspect on shared axes would raise here
    assert axes[0].get_xlim() == (-5, 5) and axes[1].get_ylim() == (-4, 4)


def test_train_test_boundaries_take_a_given_extent():
    X, y = blobs(30)
    ax_train, _ = plot_train_test_boundaries(
        Threshold(), X, y, X, y, extent=(-6, 6, -6, 6), names=("train", "validation")
    )
    assert ax_train.get_xlim() == (-6, 6)


def test_plot_loss_curves_held_out_dashed_on_top_of_a_wide_training_curve():
    history = {"train_loss": [1.0, 0.5, 0.25], "test_loss": [1.0, 0.5, 0.25]}
    (ax,) = plot_loss_curves(history, held_out_dashed=True)
    train, test = ax.lines
    assert train.get_linestyle() == "-" and train.get_linewidth() == 2.5
    assert test.get_linestyle() == "--" and test.get_zorder() > train.get_zorder()
    (plain,) = plot_loss_curves(history)
    assert [line.get_linestyle() for line in plain.lines] == ["-", "-"]
    with pytest.raises(TypeError, match="held_out_dashed must be True or False"):
        plot_loss_curves(history, held_out_dashed="yes")
    plt.close("all")


def test_train_test_boundaries_take_a_figure_size():
    X, y = blobs(30)
    ax_train, _ = plot_train_test_boundaries(Threshold(), X, y, X, y, figsize=(9, 5.5))
    assert tuple(ax_train.figure.get_size_inches()) == (9, 5.5)
    with pytest.raises(TypeError, match="'figsize' parameter of plot_train_test_boundaries"):
        plot_train_test_boundaries(Threshold(), X, y, X, y, figsize=9)
    with pytest.raises(ValueError, match=r"'figsize\[1\]' parameter of plot_train_test_boundaries"):
        plot_train_test_boundaries(Threshold(), X, y, X, y, figsize=(9, 0))


def test_points_have_an_edge_that_shows_on_their_colour():
    """Black edges on the light class colours, white on black (class 3): a dense blob of black
    diamonds with black edges would be one black shape."""
    from matplotlib.colors import to_rgb

    from helpers.style import contrast_ratio

    X, y = blobs(40, classes=4)
    ax = plot_data(X, y)
    for k, points in enumerate(c for c in ax.collections if c.get_offsets().shape[0]):
        fill, edge = points.get_facecolor()[0][:3], points.get_edgecolor()[0][:3]
        assert to_rgb(fill) == to_rgb(CLASS_COLOURS[k])
        assert contrast_ratio(edge, fill) >= 4.5, (k, edge)
