"""The course's training setups, healthy and broken, built the way the lessons build them.

Each function returns a dict with model, loss_fn, optimizer, X, y (training split), X_test, y_test;
``seed`` changes the model's initial weights (the data stay the lessons' own).
"""

from __future__ import annotations

import torch
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.model_selection import train_test_split
from torch import nn

import helpers


def _split(X, y, *, y_dtype=torch.float32, test_size=0.2):
    X = torch.from_numpy(X).type(torch.float32)
    y = torch.from_numpy(y).type(y_dtype)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, random_state=42)
    return X_train, X_test, y_train, y_test


def circles_data():
    return _split(*make_circles(n_samples=1000, noise=0.03, random_state=42))


def moons_data(noise=0.03):
    return _split(*make_moons(n_samples=1000, noise=noise, random_state=42))


def blobs_data():
    X, y = make_blobs(n_samples=1000, n_features=2, centers=4, cluster_std=1.5, random_state=42)
    return _split(X, y, y_dtype=torch.int64)


def spirals_data():
    X, y = helpers.make_spirals()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    return X_train, X_test, y_train, y_test


def cancer_data():
    """Lesson 07: breast cancer, malignant = 1, a stratified 60/20/20 split, standardised with the
    training split's statistics (the validation split is not used here)."""
    from sklearn.datasets import load_breast_cancer

    data = load_breast_cancer()
    X = torch.from_numpy(data.data).type(torch.float32)
    y = torch.from_numpy(1 - data.target).type(torch.float32)
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
    X_train, _, y_train, _ = train_test_split(X_rest, y_rest, test_size=0.25, stratify=y_rest, random_state=42)
    mean, std = X_train.mean(dim=0), X_train.std(dim=0)
    return (X_train - mean) / std, (X_test - mean) / std, y_train, y_test


def relu_net(n_in, hidden, n_out, layers=2):
    modules, width = [], n_in
    for _ in range(layers):
        modules += [nn.Linear(width, hidden), nn.ReLU()]
        width = hidden
    modules.append(nn.Linear(width, n_out))
    return nn.Sequential(*modules)


def linear_net(n_in, hidden, n_out):
    return nn.Sequential(nn.Linear(n_in, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, n_out))


def setup(data, model, loss_fn, make_optimizer, *, seed=42):
    X_train, X_test, y_train, y_test = data
    helpers.set_seed(seed)
    net = model()
    return {
        "model": net,
        "loss_fn": loss_fn,
        "optimizer": make_optimizer(net.parameters()),
        "X": X_train,
        "y": y_train,
        "X_test": X_test,
        "y_test": y_test,
    }


def _sgd(lr):
    return lambda params: torch.optim.SGD(params=params, lr=lr)


def _adam(lr, **kwargs):
    return lambda params: torch.optim.Adam(params=params, lr=lr, **kwargs)


# name -> (data, model, loss, optimizer): every training setup of the lessons and the solutions that
# is meant to learn (lesson 01's and 02's linear models on circles are the course's own "real finding").
HEALTHY = {
    "03 circles ReLU 2-10-10-1, SGD 0.1": (circles_data, lambda: relu_net(2, 10, 1), nn.BCEWithLogitsLoss, _sgd(0.1)),
    "03 circles ReLU, SGD 1.0": (circles_data, lambda: relu_net(2, 10, 1), nn.BCEWithLogitsLoss, _sgd(1.0)),
    "03 circles ReLU, Adam 0.01": (circles_data, lambda: relu_net(2, 10, 1), nn.BCEWithLogitsLoss, _adam(0.01)),
    "04 blobs ReLU 2-8-8-4, SGD 0.1": (blobs_data, lambda: relu_net(2, 8, 4), nn.CrossEntropyLoss, _sgd(0.1)),
    "04 blobs linear 2-8-8-4, SGD 0.1": (blobs_data, lambda: linear_net(2, 8, 4), nn.CrossEntropyLoss, _sgd(0.1)),
    "05 moons noise 0.3, ReLU 64, Adam 0.003": (
        lambda: moons_data(0.3),
        lambda: relu_net(2, 64, 1),
        nn.BCEWithLogitsLoss,
        _adam(0.003),
    ),
    "05 moons, Adam 0.003, weight decay 0.01": (
        lambda: moons_data(0.3),
        lambda: relu_net(2, 64, 1),
        nn.BCEWithLogitsLoss,
        _adam(0.003, weight_decay=0.01),
    ),
    "05 circles ReLU, SGD 0.3": (circles_data, lambda: relu_net(2, 10, 1), nn.BCEWithLogitsLoss, _sgd(0.3)),
    "06 playground default circles 2x8 ReLU, SGD 0.1": (
        circles_data,
        lambda: relu_net(2, 8, 1),
        nn.BCEWithLogitsLoss,
        _sgd(0.1),
    ),
    "07 breast cancer ReLU 30-16-1, SGD 0.1": (
        cancer_data,
        lambda: relu_net(30, 16, 1, layers=1),
        nn.BCEWithLogitsLoss,
        _sgd(0.1),
    ),
    "07 breast cancer, pos_weight 1.7": (
        cancer_data,
        lambda: relu_net(30, 16, 1, layers=1),
        lambda: nn.BCEWithLogitsLoss(pos_weight=torch.tensor(1.7)),
        _sgd(0.1),
    ),
    "09 exercises moons ReLU 2-10-10-1, Adam 0.03": (
        moons_data,
        lambda: relu_net(2, 10, 1),
        nn.BCEWithLogitsLoss,
        _adam(0.03),
    ),
    "09 exercises spirals ReLU 2-16-16-3, Adam 0.02": (
        spirals_data,
        lambda: relu_net(2, 16, 3),
        nn.CrossEntropyLoss,
        _adam(0.02),
    ),
}


def healthy(name, seed=42):
    data, model, loss, optimizer = HEALTHY[name]
    return setup(data(), model, loss(), optimizer, seed=seed)


def regression_data():
    """Lesson 02: y = 0.7 x + 0.3 on 100 points, the first 80 for training."""
    X = torch.arange(0, 1, 0.01).unsqueeze(1)
    y = 0.7 * X + 0.3
    return X[:80], X[80:], y[:80], y[80:]


HEALTHY["02 line, Linear 1-10-10-1, L1Loss, SGD 0.01"] = (
    regression_data,
    lambda: linear_net(1, 10, 1),
    nn.L1Loss,
    _sgd(0.01),
)
HEALTHY["06 playground moons 2x8 tanh, Adam 0.01"] = (
    lambda: moons_data(0.1),
    lambda: nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1)),
    nn.BCEWithLogitsLoss,
    _adam(0.01),
)


def _one_hot(data):
    X_train, X_test, y_train, y_test = data
    return X_train, X_test, nn.functional.one_hot(y_train, 4).float(), y_test


# Other setups a learner writes that are right: other heads and losses, batch norm, dropout, momentum, AdamW.
OTHER_HEALTHY = {
    "blobs, LogSoftmax + NLLLoss": (
        blobs_data,
        lambda: nn.Sequential(relu_net(2, 8, 4), nn.LogSoftmax(dim=1)),
        nn.NLLLoss,
        _sgd(0.1),
    ),
    "blobs, LogSoftmax + CrossEntropyLoss": (
        blobs_data,
        lambda: nn.Sequential(relu_net(2, 8, 4), nn.LogSoftmax(dim=1)),
        nn.CrossEntropyLoss,
        _sgd(0.1),
    ),
    "moons, Sigmoid + BCELoss": (
        moons_data,
        lambda: nn.Sequential(relu_net(2, 10, 1), nn.Sigmoid()),
        nn.BCELoss,
        _adam(0.03),
    ),
    "moons, batch norm": (
        moons_data,
        lambda: nn.Sequential(nn.Linear(2, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 1)),
        nn.BCEWithLogitsLoss,
        _adam(0.01),
    ),
    "moons, dropout 0.5": (
        moons_data,
        lambda: nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 1)),
        nn.BCEWithLogitsLoss,
        _adam(0.01),
    ),
    "moons, SGD momentum 0.9": (
        moons_data,
        lambda: relu_net(2, 10, 1),
        nn.BCEWithLogitsLoss,
        lambda params: torch.optim.SGD(params=params, lr=0.1, momentum=0.9),
    ),
    "blobs, one-hot float targets for CrossEntropyLoss": (
        lambda: _one_hot(blobs_data()),
        lambda: relu_net(2, 8, 4),
        nn.CrossEntropyLoss,
        _sgd(0.1),
    ),
    "blobs, AdamW": (
        blobs_data,
        lambda: relu_net(2, 8, 4),
        nn.CrossEntropyLoss,
        lambda params: torch.optim.AdamW(params=params, lr=0.01),
    ),
}
