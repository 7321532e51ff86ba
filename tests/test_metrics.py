import numpy as np
import pytest
import torch

from helpers import accuracy_fn


def test_percentage_of_matches():
    assert accuracy_fn(torch.tensor([1, 0, 1, 1]), torch.tensor([1, 1, 1, 0])) == 50.0
    assert accuracy_fn(torch.tensor([2, 0, 1]), torch.tensor([2, 0, 1])) == 100.0
    assert accuracy_fn(np.array([0, 1]), np.array([1, 0])) == 0.0


def test_float_labels_match_long_labels():
    assert accuracy_fn(torch.tensor([1.0, 0.0, 1.0]), torch.tensor([1, 0, 0])) == pytest.approx(200 / 3)


def test_column_and_flat_shapes_do_not_broadcast():
    # [N, 1] against [N] would broadcast to an [N, N] comparison and give a wrong number.
    y_true = torch.tensor([1.0, 0.0, 1.0, 0.0])
    y_pred = torch.tensor([[1.0], [0.0], [0.0], [0.0]])
    assert accuracy_fn(y_true, y_pred) == 75.0
    assert accuracy_fn(y_pred, y_true) == 75.0


def test_empty_input_is_a_value_error():
    with pytest.raises(ValueError, match="empty"):
        accuracy_fn(torch.tensor([]), torch.tensor([]))


def test_different_lengths():
    with pytest.raises(ValueError, match="3 labels but y_pred has 2"):
        accuracy_fn(torch.tensor([1, 0, 1]), torch.tensor([1, 0]))


def test_logits_instead_of_labels():
    with pytest.raises(ValueError, match="argmax"):
        accuracy_fn(torch.tensor([0, 1]), torch.randn(2, 3))


def test_probabilities_instead_of_labels():
    with pytest.raises(ValueError, match=r"contains 0.2. If these are probabilities"):
        accuracy_fn(torch.tensor([0.0, 1.0]), torch.tensor([0.2, 0.7]))


@pytest.mark.parametrize("bad", [float("inf"), float("nan")])
def test_labels_follow_the_one_rule_of_every_helper(bad):
    # accuracy_fn and the plots share one input contract (helpers.validation.as_labels)
    import matplotlib

    matplotlib.use("Agg")
    from helpers import plot_data

    y = torch.tensor([0.0, bad])
    with pytest.raises(ValueError, match="NaN or infinite"):
        accuracy_fn(y, torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="NaN or infinite"):
        plot_data(torch.zeros(2, 2), y)


def test_not_a_tensor():
    with pytest.raises(TypeError, match="y_true must be a torch.Tensor or a NumPy array"):
        accuracy_fn([1, 0], torch.tensor([1, 0]))


def test_inputs_are_not_changed():
    y_true, y_pred = torch.tensor([[1.0], [0.0]]), torch.tensor([1.0, 1.0])
    before = (y_true.clone(), y_pred.clone())
    accuracy_fn(y_true, y_pred)
    assert torch.equal(y_true, before[0]) and torch.equal(y_pred, before[1])
