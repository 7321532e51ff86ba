import numpy as np
import pytest
import torch

from helpers import make_spirals


def test_shapes_dtypes_and_classes():
    X, y = make_spirals()
    assert X.shape == (300, 2) and X.dtype == torch.float32
    assert y.shape == (300,) and y.dtype == torch.int64
    assert torch.bincount(y).tolist() == [100, 100, 100]


def test_matches_the_cs231n_recipe():
    # The recipe written out with NumPy's legacy seeded generator, as in the CS231n notes.
    N, K = 100, 3
    rng = np.random.RandomState(42)
    X = np.zeros((N * K, 2))
    for j in range(K):
        r = np.linspace(0.0, 1, N)
        t = np.linspace(j * 4, (j + 1) * 4, N) + rng.randn(N) * 0.2
        X[N * j : N * (j + 1)] = np.c_[r * np.sin(t), r * np.cos(t)]
    ours, _ = make_spirals()
    np.testing.assert_allclose(ours.numpy(), X.astype(np.float32))


def test_seeded_and_leaves_global_state_alone():
    np.random.seed(0)
    expected_next = np.random.rand()
    np.random.seed(0)
    a, _ = make_spirals(seed=1)
    assert np.random.rand() == expected_next
    b, _ = make_spirals(seed=1)
    c, _ = make_spirals(seed=2)
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_other_sizes():
    X, y = make_spirals(n_per_class=10, n_classes=5, noise=0.0)
    assert X.shape == (50, 2) and y.max().item() == 4
    assert X.norm(dim=1).max().item() <= 1.0 + 1e-6


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        (
            {"n_per_class": 0},
            ValueError,
            r"'n_per_class' parameter of make_spirals must be an int in the range \[1, inf\)",
        ),
        ({"n_classes": 1}, ValueError, r"'n_classes' parameter of make_spirals must be an int in the range \[2, inf\)"),
        ({"n_per_class": 2.5}, TypeError, "The 'n_per_class' parameter of make_spirals must be an int"),
        ({"noise": -0.1}, ValueError, "noise"),
        ({"noise": float("nan")}, ValueError, "noise"),
        ({"noise": "0.2"}, TypeError, "noise"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        make_spirals(**kwargs)
