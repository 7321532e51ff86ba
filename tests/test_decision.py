import numpy as np
import pytest
import torch
from torch import nn

from helpers.decision import data_extent, decision_regions, labels_from_logits, plane_grid, predict_classes, run_model


def test_binary_probs_are_sigmoid_and_sum_to_one():
    model = nn.Linear(2, 1)
    X = torch.randn(20, 2)
    prediction = predict_classes(model, X)
    with torch.no_grad():
        p1 = torch.sigmoid(model(X))[:, 0].double().numpy()
    np.testing.assert_allclose(prediction.probs[:, 1], p1, rtol=1e-6)
    np.testing.assert_allclose(prediction.probs.sum(axis=1), 1.0)
    assert prediction.n_classes == 2 and prediction.labels.dtype == np.int64


def test_multiclass_is_softmax_argmax():
    model = nn.Linear(2, 5)
    X = torch.randn(30, 2)
    prediction = predict_classes(model, X)
    with torch.no_grad():
        logits = model(X)
    np.testing.assert_array_equal(prediction.labels, logits.argmax(dim=1).numpy())
    np.testing.assert_allclose(prediction.probs, torch.softmax(logits.double(), dim=1).numpy(), rtol=1e-6)


def test_grid_layout_rows_are_y_columns_are_x():
    class XOnly(nn.Module):  # class 1 right of x = 1, whatever y
        def forward(self, x):
            return (x[:, :1] - 1.0) * 10

    regions = decision_regions(XOnly(), (-2, 3, -5, 5), grid_resolution=11)
    assert regions.labels.shape == (11, 11)
    expected = (regions.xs > 1.0).astype(int)
    assert all(np.array_equal(row, expected) for row in regions.labels)
    assert regions.xs[0] == -2 and regions.xs[-1] == 3 and regions.ys[0] == -5 and regions.ys[-1] == 5


def test_model_and_inputs_untouched():
    model = nn.Sequential(nn.Linear(2, 4), nn.Dropout(0.5), nn.Linear(4, 1))
    model.train()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    X = torch.randn(10, 2)
    X_before = X.clone()
    predict_classes(model, X)
    decision_regions(model, data_extent(X), grid_resolution=3)
    assert model.training and all(m.training for m in model.modules())
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert torch.equal(X, X_before)


def test_data_extent_covers_every_array():
    a = np.array([[0.0, 0.0], [1.0, 1.0]])
    b = np.array([[-1.0, 5.0]])
    xmin, xmax, ymin, ymax = data_extent(a, b, margin=0.0)
    assert xmin < -1.0 and xmax > 1.0 and ymin < 0.0 and ymax > 5.0
    assert xmax - xmin < 2.01 and ymax - ymin < 5.01


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: data_extent(), ValueError, "at least one"),
        (lambda: data_extent(np.zeros((3, 3))), ValueError, r"\[n_samples, 2\]"),
        (lambda: data_extent(np.zeros((3, 2)), margin=-1), ValueError, "margin"),
        (lambda: decision_regions(nn.Linear(2, 1), (1, 0, 0, 1)), ValueError, "xmin < xmax"),
        (lambda: decision_regions(nn.Linear(2, 1), (0, 1, 0)), ValueError, "four finite"),
        (lambda: decision_regions(nn.Linear(2, 1), "abcd"), TypeError, "four finite numbers"),
        (
            lambda: decision_regions(nn.Linear(2, 1), (0, 1, 0, 1), grid_resolution=1),
            ValueError,
            r"an int in the range \[2, inf\)",
        ),
        (lambda: predict_classes(nn.Linear(3, 1), np.zeros((2, 2))), ValueError, "first layer takes 3 features"),
        (lambda: predict_classes(lambda x: x, np.zeros((2, 2))), TypeError, "torch.nn.Module"),
    ],
)
def test_bad_inputs_say_what_is_wrong(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_an_error_in_the_model_is_the_model_s_own():
    """No blind except: a failure inside forward (a bug, out of memory) reaches the caller as it
    was raised, not relabelled as a feature-count problem."""

    class Broken(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.Linear(2, 1)

        def forward(self, x):
            raise MemoryError("planted")

    with pytest.raises(MemoryError, match="planted"):
        predict_classes(Broken(), np.zeros((2, 2)))


def test_run_model_gives_back_modes_and_weights_even_if_forward_changes_them():
    class Sneaky(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer = nn.Linear(2, 1)

        def forward(self, x):
            with torch.no_grad():
                self.layer.weight.add_(1.0)
            self.train()
            return self.layer(x)

    model = Sneaky().train()
    model.layer.eval()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    X = torch.ones(3, 2)
    run_model(model, X)
    assert model.training and not model.layer.training
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert torch.equal(X, torch.ones(3, 2))
    out = run_model(model, X, grad=True)
    assert out.grad_fn is not None


def test_labels_from_logits_is_what_a_training_loop_computes():
    """sigmoid > 0.5 in the logits' own dtype: the same as torch.round(torch.sigmoid(logits)),
    for logits a hair above 0 too (where `logits > 0` differs in float32)."""
    logits = torch.tensor([-3.0, -1e-9, 0.0, 1e-9, 3e-8, 1e-7, 0.3, 50.0])
    assert torch.equal(labels_from_logits(logits), torch.round(torch.sigmoid(logits)).long())
    assert torch.equal(labels_from_logits(logits[:, None]), labels_from_logits(logits))
    assert labels_from_logits(torch.tensor([[0.1, 2.0, -1.0], [3.0, 0.0, 0.0]])).tolist() == [1, 0]


def test_the_plane_grid_is_one_grid():
    xs, ys, points = plane_grid((0, 1, -2, 2), 3)
    assert xs.tolist() == [0, 0.5, 1] and ys.tolist() == [-2, 0, 2]
    assert points[1].tolist() == [0.5, -2] and points[3].tolist() == [0, 0]
    regions = decision_regions(nn.Linear(2, 2), (0, 1, -2, 2), grid_resolution=np.int64(3))
    np.testing.assert_array_equal(regions.xs, xs)


def test_boundary_lines_lie_where_the_probability_is_one_half():
    """A model with p(class 1) = sigmoid(x - 0.3): its boundary is the vertical line x = 0.3."""
    from helpers.decision import boundary_lines

    model = nn.Linear(2, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[1.0, 0.0]]))
        model.bias.fill_(-0.3)
    regions = decision_regions(model, (-1.0, 1.0, -1.0, 1.0), grid_resolution=41)
    lines = boundary_lines(regions)
    assert len(lines) == 1 and lines[0].shape[1] == 2
    assert np.allclose(lines[0][:, 0], 0.3, atol=1e-6)
    assert lines[0][:, 1].min() == pytest.approx(-1.0) and lines[0][:, 1].max() == pytest.approx(1.0)
    assert boundary_lines(regions, level=0.99) == []  # p stays under 0.99 on this grid


def test_boundary_lines_say_what_is_wrong():
    from helpers.decision import boundary_lines

    regions = decision_regions(nn.Linear(2, 3), (-1.0, 1.0, -1.0, 1.0), grid_resolution=5)
    with pytest.raises(ValueError, match="binary model's boundary; these regions have 3 classes"):
        boundary_lines(regions)
    with pytest.raises(TypeError, match="The 'regions' parameter of boundary_lines must be a Regions"):
        boundary_lines(np.zeros((5, 5)))
    binary = decision_regions(nn.Linear(2, 1), (-1.0, 1.0, -1.0, 1.0), grid_resolution=5)
    with pytest.raises(ValueError, match="level"):
        boundary_lines(binary, level=1.0)
