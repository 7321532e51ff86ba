"""The reference data sets as the tests' fixtures: each split made here, the way a learner makes
it (not read from ``helpers.check.reference``), so a check passes only a split of one's own."""

import pytest
import torch
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split

from helpers import make_spirals


@pytest.fixture(scope="session")
def moons():
    """(X_train, X_test, y_train, y_test): task 1's answer."""
    X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
    X, y = torch.from_numpy(X).type(torch.float32), torch.from_numpy(y).type(torch.float32)
    return tuple(train_test_split(X, y, test_size=0.2, random_state=42))


@pytest.fixture(scope="session")
def spirals():
    """(X_spiral_train, X_spiral_test, y_spiral_train, y_spiral_test): step 7a's answer."""
    X, y = make_spirals()
    return tuple(train_test_split(X, y, test_size=0.2, random_state=42))


@pytest.fixture(scope="session")
def noisy_moons():
    """(X_train, X_val, X_test, y_train, y_val, y_test): step 8a's answer."""
    X, y = make_moons(n_samples=500, noise=0.3, random_state=42)
    X, y = torch.from_numpy(X).type(torch.float32), torch.from_numpy(y).type(torch.float32)
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25, random_state=42)
    return X_train, X_val, X_test, y_train, y_val, y_test
