"""A playground run without its widgets: a configuration's data, model, optimizer and training.

Each function has its twin in the code ``helpers.playground.code.generate_code`` prints, doing
the same operations in the same order (tests/playground/test_code.py runs the printed code and
compares the numbers): change one, change the other.

    result = run_config("data=xor layers=1 units=4", epochs=200)   # headless: final losses and accuracies

Every model here is binary (one output, ``BCEWithLogitsLoss``) and trains on the CPU: the models
are tiny, and a CPU gives the same numbers on every machine. The public functions take a
``PlaygroundConfig`` or its string, parsed once, here.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import torch
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.model_selection import train_test_split
from torch import nn

from helpers.data import make_spirals
from helpers.decision import labels_from_logits, plane_grid
from helpers.playground.config import N_SAMPLES, as_config
from helpers.validation import check_integer

__all__ = ["make_data", "build_model", "make_optimizer", "RunResult", "PlaygroundRun", "run_config", "first_layer_maps"]


def _xor(n, noise, seed):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
    return X + noise * rng.randn(n, 2), y


def make_data(config):
    """The configuration's data set, split.

    Args:
        config: a ``PlaygroundConfig`` or its string.

    Returns:
        ``(X_train, X_val, y_train, y_val)``: float32 tensors, labels 0.0/1.0, on the CPU.

    Raises:
        TypeError / ValueError: not a valid configuration.
    """
    config = as_config(config)
    n, noise, seed = N_SAMPLES, config.noise, config.seed
    if config.dataset == "circles":
        X, y = make_circles(n_samples=n, noise=noise, factor=0.5, random_state=seed)
    elif config.dataset == "moons":
        X, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    elif config.dataset == "blobs":
        X, y = make_blobs(n_samples=n, centers=[[-1, -1], [1, 1]], cluster_std=0.3 + 2 * noise, random_state=seed)
    elif config.dataset == "spirals":
        X, y = make_spirals(n_per_class=n // 2, n_classes=2, noise=noise, seed=seed)
    else:
        X, y = _xor(n, noise, seed)
    X = torch.as_tensor(X, dtype=torch.float32)
    y = torch.as_tensor(y, dtype=torch.float32)
    return train_test_split(X, y, train_size=config.train_share, random_state=seed)


def build_model(config) -> nn.Sequential:
    """The configuration's model, its weights drawn with its seed.

    Args:
        config: a ``PlaygroundConfig`` or its string.

    Returns:
        2 -> units -> ... -> 1: ``layers`` hidden layers, the activation after each.

    Raises:
        TypeError / ValueError: not a valid configuration.
    """
    config = as_config(config)
    torch.manual_seed(config.seed)
    modules, width = [], 2
    for _ in range(config.layers):
        modules.append(nn.Linear(width, config.units))
        if config.activation != "none":
            modules.append({"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}[config.activation]())
        width = config.units
    modules.append(nn.Linear(width, 1))
    return nn.Sequential(*modules)


def make_optimizer(config, model):
    """The configuration's optimizer over ``model``'s parameters.

    Args:
        config: a ``PlaygroundConfig`` or its string.
        model: the model it trains.

    Returns:
        ``torch.optim.SGD`` or ``Adam`` with the configuration's lr and weight decay.

    Raises:
        TypeError / ValueError: not a valid configuration.
    """
    config = as_config(config)
    kind = torch.optim.SGD if config.optimizer == "sgd" else torch.optim.Adam
    return kind(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)


# ---------------------------------------------------------------- training


@dataclasses.dataclass
class RunResult:
    """Where a run stands: epochs done and the latest losses and accuracies (percent)."""

    epochs: int
    train_loss: float
    val_loss: float
    train_acc: float
    val_acc: float


class PlaygroundRun:
    """One training run of a configuration, advanced an epoch at a time.

    ``history`` holds one entry per epoch done (losses and accuracies measured on the whole train
    and validation sets after the epoch), keyed like ``helpers.plot_loss_curves`` expects.
    """

    def __init__(self, config):
        self.config = as_config(config)
        self.X_train, self.X_val, self.y_train, self.y_val = make_data(self.config)
        self.model = build_model(self.config)
        self.loss_fn = nn.BCEWithLogitsLoss()
        self.optimizer = make_optimizer(self.config, self.model)
        self.generator = torch.Generator().manual_seed(self.config.seed)
        self.epoch = 0
        self.history = {"epoch": [], "train_loss": [], "val_loss": [], "train_acc": [], "val_acc": []}

    def _measure(self, X, y):
        logits = self.model(X).squeeze(1)
        loss = self.loss_fn(logits, y).item()
        acc = (labels_from_logits(logits) == y).float().mean().item() * 100
        return loss, acc

    def train_epochs(self, n: int = 1) -> RunResult:
        """Train ``n`` more epochs.

        Args:
            n: epochs (>= 1).

        Returns:
            The state after the last (``RunResult``).

        Raises:
            TypeError / ValueError: ``n`` is not a whole number >= 1.
        """
        n = check_integer(n, "n", "PlaygroundRun.train_epochs", low=1)
        model, loss_fn, optimizer = self.model, self.loss_fn, self.optimizer
        n_train = len(self.X_train)
        batch = self.config.batch_size
        for _ in range(n):
            model.train()
            if batch == 0 or batch >= n_train:
                loss = loss_fn(model(self.X_train).squeeze(1), self.y_train)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            else:
                order = torch.randperm(n_train, generator=self.generator)
                for start in range(0, n_train, batch):
                    rows = order[start : start + batch]
                    loss = loss_fn(model(self.X_train[rows]).squeeze(1), self.y_train[rows])
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
            model.eval()
            with torch.inference_mode():
                train_loss, train_acc = self._measure(self.X_train, self.y_train)
                val_loss, val_acc = self._measure(self.X_val, self.y_val)
            self.epoch += 1
            for key, value in zip(self.history, (self.epoch, train_loss, val_loss, train_acc, val_acc)):
                self.history[key].append(value)
        return self.result()

    def result(self) -> RunResult:
        """Where the run stands.

        Returns:
            A ``RunResult``; at epoch 0 it is measured now.
        """
        if not self.epoch:
            with torch.inference_mode():
                self.model.eval()
                train_loss, train_acc = self._measure(self.X_train, self.y_train)
                val_loss, val_acc = self._measure(self.X_val, self.y_val)
            return RunResult(0, train_loss, val_loss, train_acc, val_acc)
        h = self.history
        return RunResult(self.epoch, h["train_loss"][-1], h["val_loss"][-1], h["train_acc"][-1], h["val_acc"][-1])


def run_config(config, epochs: int = 300) -> RunResult:
    """Train a configuration for ``epochs`` epochs, headless.

    Args:
        config: a ``PlaygroundConfig`` or its string.
        epochs: epochs to train (>= 1).

    Returns:
        The final state (``RunResult``).

    Raises:
        TypeError / ValueError: not a valid configuration, or a bad ``epochs``.
    """
    return PlaygroundRun(config).train_epochs(epochs)


def first_layer_maps(model: nn.Sequential, extent, *, grid_resolution: int = 32) -> np.ndarray:
    """What each unit of the first hidden layer computes over the plane.

    The model is only evaluated (no gradient); its mode and parameters are left as they were.

    Args:
        model: a playground model (``build_model``).
        extent: (xmin, xmax, ymin, ymax).
        grid_resolution: points per side, R.

    Returns:
        float64 [units, R, R]: ``maps[u, i, j]`` is unit ``u``'s output (after its activation,
        if the model has one right after the first layer) at ``(xs[j], ys[i])``, the grid of
        ``helpers.decision.plane_grid``. A model with no hidden layer gives [0, R, R].

    Raises:
        TypeError: not a playground model.
        TypeError / ValueError: a bad extent or grid_resolution.
    """
    if not isinstance(model, nn.Sequential) or not len(model) or not isinstance(model[0], nn.Linear):
        raise TypeError("first_layer_maps needs a playground model: an nn.Sequential starting with nn.Linear.")
    _, _, grid = plane_grid(extent, grid_resolution, caller="first_layer_maps")
    if len(model) == 1:  # no hidden layer: the only Linear layer is the output
        return np.zeros((0, grid_resolution, grid_resolution))
    first = model[0]
    with torch.no_grad():
        points = torch.as_tensor(grid, dtype=first.weight.dtype, device=first.weight.device)
        out = first(points)
        if len(model) > 1 and not isinstance(model[1], nn.Linear):
            out = model[1](out)
    return out.T.reshape(-1, grid_resolution, grid_resolution).cpu().double().numpy()
