"""The bug zoo: each plant is a healthy course setup with exactly one defect planted in it.

``PLANTS[id]`` builds ``(setup, expected finding id)`` for a seed; the setup is a dict as in
``setups.setup``. The names are the doctor's finding ids: one plant per thing it must catch.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

import helpers

from . import setups


def _moons(seed, **changes):
    s = setups.setup(
        setups.moons_data(),
        lambda: setups.relu_net(2, 10, 1),
        nn.BCEWithLogitsLoss(),
        lambda p: torch.optim.Adam(p, lr=0.03),
        seed=seed,
    )
    s.update(changes)
    return s


def _blobs(seed, model=None, **changes):
    s = setups.setup(
        setups.blobs_data(),
        model or (lambda: setups.relu_net(2, 8, 4)),
        nn.CrossEntropyLoss(),
        lambda p: torch.optim.SGD(p, lr=0.1),
        seed=seed,
    )
    s.update(changes)
    return s


def _with_model(base, seed, make_model, optimizer=lambda p: torch.optim.Adam(p, lr=0.03)):
    helpers.set_seed(seed)
    model = make_model()
    s = base(seed)
    s.update(model=model, optimizer=optimizer(model.parameters()))
    return s


def optimizer_before_model(seed):
    s = _moons(seed)
    helpers.set_seed(seed)
    s["model"] = setups.relu_net(2, 10, 1)  # the model made again; the optimizer still holds the old one
    return s


def lr_zero(seed):
    s = _moons(seed)
    s["optimizer"] = torch.optim.SGD(s["model"].parameters(), lr=0)
    return s


def sigmoid_before_logits_loss(seed):
    return _with_model(_moons, seed, lambda: nn.Sequential(setups.relu_net(2, 10, 1), nn.Sigmoid()))


def softmax_before_cross_entropy(seed):
    return _with_model(
        _blobs,
        seed,
        lambda: nn.Sequential(setups.relu_net(2, 8, 4), nn.Softmax(dim=1)),
        lambda p: torch.optim.SGD(p, 0.1),
    )


def labels_one_based(seed):  # the blobs' classes numbered 1..4 for a 4-output model
    s = _blobs(seed)
    s["y"] = s["y"] + 1
    return s


def bce_on_logits(seed):
    return _moons(seed, loss_fn=nn.BCELoss())


def float_labels_cross_entropy(seed):
    s = _blobs(seed)
    s["y"] = s["y"].type(torch.float32)
    return s


def labels_beyond_outputs(seed):
    return _with_model(_blobs, seed, lambda: setups.relu_net(2, 8, 3), lambda p: torch.optim.SGD(p, 0.1))


def labels_not_binary(seed):  # the blobs' four labels with a binary loss
    s = _moons(seed)
    s["y"] = setups.blobs_data()[2].type(torch.float32)
    s["X"] = setups.blobs_data()[0]
    return s


def two_outputs_for_bce(seed):
    return _with_model(_moons, seed, lambda: setups.relu_net(2, 10, 2))


def column_labels_cross_entropy(seed):
    s = _blobs(seed)
    s["y"] = s["y"].unsqueeze(1)
    return s


def integer_labels_bce(seed):
    s = _moons(seed)
    s["y"] = s["y"].type(torch.int64)
    return s


def data_on_other_device(seed):
    s = _moons(seed)
    s["X"] = s["X"].to("meta")
    return s


def float64_features(seed):
    s = _moons(seed)
    s["X"] = s["X"].type(torch.float64)
    return s


def nan_in_features(seed):
    s = _moons(seed)
    X = s["X"].clone()
    X[5, 1] = float("nan")
    s["X"] = X
    return s


def constant_feature_standardised(seed):  # a third feature, 1 for every sample, standardised: 0 / 0
    s = _with_model(_moons, seed, lambda: setups.relu_net(3, 10, 1))
    X = torch.cat([s["X"], torch.ones(len(s["X"]), 1)], dim=1)
    s["X"] = (X - X.mean(dim=0)) / X.std(dim=0)
    return s


def unscaled_features(seed):
    s = _moons(seed)
    s["X"] = s["X"] * torch.tensor([1.0, 1000.0])
    return s


def labels_shuffled(seed):
    s = _moons(seed)
    s["y"] = s["y"][torch.randperm(len(s["y"]), generator=torch.Generator().manual_seed(seed))]
    return s


def test_rows_from_training(seed):
    s = _moons(seed)
    s["X_test"] = s["X"][:200]
    return s


def head_scaled_up(seed):
    s = _moons(seed)
    with torch.no_grad():
        s["model"][-1].weight.mul_(1000)
    return s


def dead_from_start(seed):
    s = _moons(seed)
    with torch.no_grad():
        s["model"][0].bias.fill_(-10.0)
    return s


def saturated_tanh(seed):
    def make():
        model = nn.Sequential(nn.Linear(2, 10), nn.Tanh(), nn.Linear(10, 1))
        with torch.no_grad():
            model[0].weight.mul_(100)
        return model

    return _with_model(_moons, seed, make)


def frozen_layer(seed):
    s = _moons(seed)
    s["model"][0].weight.requires_grad_(False)
    return s


class _Detached(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = setups.relu_net(2, 10, 10)
        self.head = nn.Linear(10, 1)

    def forward(self, x):
        return self.head(torch.relu(self.body(x)).detach())


def detached_layers(seed):
    return _with_model(_moons, seed, _Detached)


class _Log(nn.Module):
    def forward(self, x):
        return torch.log(x)


def nan_from_a_module(seed):
    return _with_model(_moons, seed, lambda: nn.Sequential(nn.Linear(2, 10), _Log(), nn.Linear(10, 1)))


def exploding(seed):
    def make():
        model = setups.relu_net(2, 10, 1)
        with torch.no_grad():
            model[0].weight.mul_(100)
            model[2].weight.mul_(100)
            model[4].weight.mul_(1e-4)
        return model

    return _with_model(_moons, seed, make)


def vanishing(seed):
    def make():
        layers, width = [], 2
        for _ in range(8):
            layers += [nn.Linear(width, 10), nn.Sigmoid()]
            width = 10
        return nn.Sequential(*layers, nn.Linear(10, 1))

    return _with_model(_moons, seed, make)


def lr_far_too_high(seed):
    s = _moons(seed)
    s["optimizer"] = torch.optim.SGD(s["model"].parameters(), lr=50)
    return s


def adam_lr_one(seed):  # on the circles, where it ends at 50-60% (on the moons Adam 1 can still work)
    s = setups.healthy("03 circles ReLU, Adam 0.01", seed)
    s["optimizer"] = torch.optim.Adam(s["model"].parameters(), lr=1.0)
    return s


def lr_far_too_low(seed):
    s = _blobs(seed)
    s["optimizer"] = torch.optim.SGD(s["model"].parameters(), lr=1e-4)
    return s


def linear_on_circles(seed):
    return setups.setup(
        setups.circles_data(),
        lambda: setups.linear_net(2, 10, 1),
        nn.BCEWithLogitsLoss(),
        lambda p: torch.optim.SGD(p, lr=0.1),
        seed=seed,
    )


def too_small_for_spirals(seed):
    return setups.setup(
        setups.spirals_data(),
        lambda: setups.relu_net(2, 2, 3, layers=1),
        nn.CrossEntropyLoss(),
        lambda p: torch.optim.Adam(p, lr=0.02),
        seed=seed,
    )


def huge_weight_decay(seed):
    s = _moons(seed)
    s["optimizer"] = torch.optim.SGD(s["model"].parameters(), lr=0.1, weight_decay=5.0)
    return s


def three_features_for_two(seed):
    s = _moons(seed)
    s["X"] = torch.cat([s["X"], s["X"][:, :1]], dim=1)
    return s


def labels_cut_short(seed):
    s = _moons(seed)
    s["y"] = s["y"][:-10]
    return s


def numpy_features(seed):
    s = _moons(seed)
    s["X"] = s["X"].numpy().astype(np.float32)
    return s


PLANTS = {
    "optimizer before the model was made again": (optimizer_before_model, "optimizer_not_model"),
    "learning rate 0": (lr_zero, "lr_zero"),
    "sigmoid before BCEWithLogitsLoss": (sigmoid_before_logits_loss, "activation_before_loss"),
    "softmax before CrossEntropyLoss": (softmax_before_cross_entropy, "softmax_before_loss"),
    "BCELoss on logits": (bce_on_logits, "bce_needs_probabilities"),
    "float labels for CrossEntropyLoss": (float_labels_cross_entropy, "float_labels"),
    "labels 0..3 for 3 outputs": (labels_beyond_outputs, "labels_out_of_range"),
    "labels 0..3 for a binary loss": (labels_not_binary, "labels_out_of_range"),
    "labels 1..4 for 4 outputs": (labels_one_based, "labels_out_of_range"),
    "2 outputs against [N] labels for BCEWithLogitsLoss": (two_outputs_for_bce, "shape_mismatch"),
    "[N, 1] labels for CrossEntropyLoss": (column_labels_cross_entropy, "shape_mismatch"),
    "integer labels for BCEWithLogitsLoss": (integer_labels_bce, "integer_labels"),
    "data on another device than the model": (data_on_other_device, "device_mismatch"),
    "float64 features": (float64_features, "feature_dtype"),
    "a NaN in the features": (nan_in_features, "non_finite_data"),
    "a constant feature standardised (a NaN column)": (constant_feature_standardised, "non_finite_data"),
    "one feature 1000x the other": (unscaled_features, "feature_scale"),
    "labels shuffled apart from the features": (labels_shuffled, "labels_unrelated"),
    "test rows copied from training": (test_rows_from_training, "duplicates"),
    "last layer's weights 1000x": (head_scaled_up, "initial_loss"),
    "first layer's biases -10 (dead ReLUs)": (dead_from_start, "dead_units"),
    "tanh units saturated (weights 100x)": (saturated_tanh, "saturated_units"),
    "a frozen layer": (frozen_layer, "no_gradient"),
    "a .detach() in forward": (detached_layers, "no_gradient"),
    "a log of negative numbers in forward": (nan_from_a_module, "nan_inf"),
    "exploding gradients": (exploding, "exploding_gradients"),
    "vanishing gradients (8 sigmoid layers)": (vanishing, "vanishing_gradients"),
    "SGD lr 50": (lr_far_too_high, "lr_too_high"),
    "Adam lr 1": (adam_lr_one, "lr_too_high"),
    "SGD lr 1e-4": (lr_far_too_low, "lr_too_low"),
    "only Linear layers on circles": (linear_on_circles, "linear_only"),
    "two hidden units for spirals": (too_small_for_spirals, "cannot_fit_batch"),
    "SGD weight_decay 5": (huge_weight_decay, "optimizer_cannot_fit"),
    "3 features for a 2-input model": (three_features_for_two, "model_error"),
    "labels cut short": (labels_cut_short, "length_mismatch"),
    "NumPy features": (numpy_features, "not_a_tensor"),
}
