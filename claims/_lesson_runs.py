"""The lessons' experiments, re-run for any seed: the same data, models, hyperparameters and loops
as the notebooks, written out again here (nothing is imported from a notebook).

``seed`` replaces the notebooks' ``helpers.set_seed(42)`` (before each model and each loop), or the
playground's ``seed=42``. Each function returns plain numbers; the claims are asserted in the
``test_claims_NN_*.py`` modules. Results are cached per seed, so that several claims about one run
train it once (pytest-xdist's ``--dist loadscope`` keeps a module's tests in one worker).
"""

from __future__ import annotations

import copy
import math
from functools import cache

import numpy as np
import torch
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.model_selection import train_test_split
from torch import nn

import helpers

LN2 = math.log(2)

# The seeds every claim is checked over: none of them is the stored outputs' 42.
SEEDS = (0, 1, 2, 3, 4, 5)


def _tensors(X, y, label_dtype=torch.float32):
    return torch.from_numpy(X).type(torch.float32), torch.from_numpy(y).type(label_dtype)


@cache
def circles(random_state: int = 42):
    """Lessons 01 and 03: make_circles(1000, noise 0.03), split 800/200."""
    X, y = _tensors(*make_circles(n_samples=1000, noise=0.03, random_state=random_state))
    return tuple(train_test_split(X, y, test_size=0.2, random_state=random_state))


def train_binary(model, optimizer, X_train, y_train, X_test, y_test, epochs):
    """The loop of lessons 01 and 03, recording every epoch."""
    loss_fn = nn.BCEWithLogitsLoss()
    h = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    for _ in range(epochs):
        model.train()
        y_logits = model(X_train).squeeze(1)
        y_preds = torch.round(torch.sigmoid(y_logits))
        loss = loss_fn(y_logits, y_train)
        acc = helpers.accuracy_fn(y_train, y_preds)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            test_logits = model(X_test).squeeze(1)
            test_preds = torch.round(torch.sigmoid(test_logits))
            test_loss = loss_fn(test_logits, y_test)
            test_acc = helpers.accuracy_fn(y_test, test_preds)
        for key, value in zip(h, (loss.item(), acc, test_loss.item(), test_acc)):
            h[key].append(value)
    return h


def settled_epoch(test_accs, level=99.0):
    """The first epoch from which the test accuracy stays at or above ``level`` (len if never)."""
    last_below = max((i for i, a in enumerate(test_accs) if a < level), default=-1)
    return last_below + 1


def largest_rise(losses):
    return max(later - earlier for earlier, later in zip(losses, losses[1:]))


# ------------------------------------------------------------------ lesson 01


class CircleModelV0(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_1 = nn.Linear(in_features=2, out_features=5)
        self.layer_2 = nn.Linear(in_features=5, out_features=1)

    def forward(self, x):
        return self.layer_2(self.layer_1(x))


class CircleModelV1(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_1 = nn.Linear(in_features=2, out_features=10)
        self.layer_2 = nn.Linear(in_features=10, out_features=10)
        self.layer_3 = nn.Linear(in_features=10, out_features=1)

    def forward(self, x):
        return self.layer_3(self.layer_2(self.layer_1(x)))


@cache
def lesson_01(seed: int):
    X_train, X_test, y_train, y_test = circles()
    out = {}
    for name, cls, epochs in (("v0", CircleModelV0, 100), ("v1", CircleModelV1, 1000)):
        helpers.set_seed(seed)
        model = cls()
        optimizer = torch.optim.SGD(params=model.parameters(), lr=0.1)
        helpers.set_seed(seed)
        h = train_binary(model, optimizer, X_train, y_train, X_test, y_test, epochs)
        model.eval()
        with torch.inference_mode():
            probs = torch.sigmoid(model(X_test)).squeeze(1)
        out[name] = {**{k: v[-1] for k, v in h.items()}, "prob_min": probs.min().item(), "prob_max": probs.max().item()}
    return out


def best_straight_line_accuracy(X, y, n_directions=180):
    """The highest training accuracy any straight line reaches (lesson 01's brute-force search)."""
    best = 0.0
    for angle in torch.arange(n_directions) * math.pi / n_directions:
        direction = torch.stack([torch.cos(angle), torch.sin(angle)])
        labels = y[torch.argsort(X @ direction)]
        ones_below = torch.cat([torch.zeros(1), torch.cumsum(labels, 0)])
        zeros_above = torch.cat([torch.cumsum((1 - labels).flip(0), 0).flip(0), torch.zeros(1)])
        right = ones_below + zeros_above
        best = max(best, right.max().item() / len(y), (len(y) - right.min().item()) / len(y))
    return 100 * best


@cache
def straight_lines(random_state: int):
    """Lesson 01's two straight lines on rings drawn with ``random_state``: the most accurate one,
    and the one with the lowest loss (LogisticRegression with a negligible penalty)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    X_train, _, y_train, _ = circles(random_state)
    X_np, y_np = X_train.numpy(), y_train.numpy()
    line = LogisticRegression(C=1e6).fit(X_np, y_np)
    return {
        "best_acc": best_straight_line_accuracy(X_train, y_train),
        "lowest_loss": log_loss(y_np, line.predict_proba(X_np)[:, 1]),
        "lowest_loss_acc": 100 * line.score(X_np, y_np),
    }


# ------------------------------------------------------------------ lesson 02


@cache
def lesson_02(seed: int):
    X = torch.arange(0, 1, 0.01).unsqueeze(dim=1)
    y = 0.7 * X + 0.3
    X_train, y_train, X_test, y_test = X[:80], y[:80], X[80:], y[80:]
    helpers.set_seed(seed)
    model = nn.Sequential(nn.Linear(1, 10), nn.Linear(10, 10), nn.Linear(10, 1))
    loss_fn = nn.L1Loss()
    optimizer = torch.optim.SGD(params=model.parameters(), lr=0.01)
    helpers.set_seed(seed)
    train_losses, test_losses = [], []
    for _ in range(1000):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            test_loss = loss_fn(model(X_test), y_test)
        train_losses.append(loss.item())
        test_losses.append(test_loss.item())
    for group in optimizer.param_groups:
        group["lr"] = 0.001
    fine = []
    for _ in range(200):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            fine.append(loss_fn(model(X_test), y_test).item())
    l1, l2, l3 = model
    with torch.inference_mode():
        W = l3.weight @ l2.weight @ l1.weight
        b = l3.weight @ (l2.weight @ l1.bias + l2.bias) + l3.bias
        gap = (model(X) - (X @ W.T + b)).abs().max().item()
    return {
        "train_losses": train_losses,
        "test_losses": test_losses,
        "fine_test_losses": fine,
        "W": W.item(),
        "b": b.item(),
        "collapse_gap": gap,
    }


# ------------------------------------------------------------------ lesson 03


class CircleModelV2(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_1 = nn.Linear(in_features=2, out_features=10)
        self.layer_2 = nn.Linear(in_features=10, out_features=10)
        self.layer_3 = nn.Linear(in_features=10, out_features=1)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.layer_3(self.relu(self.layer_2(self.relu(self.layer_1(x)))))


@cache
def lesson_03(seed: int):
    X_train, X_test, y_train, y_test = circles()
    runs = {}
    for name, opt, lr, epochs in (
        ("sgd_0.1", "sgd", 0.1, 1000),
        ("sgd_1.0", "sgd", 1.0, 1000),
        ("adam", "adam", 0.01, 400),
    ):
        helpers.set_seed(seed)
        model = CircleModelV2()
        kind = torch.optim.SGD if opt == "sgd" else torch.optim.Adam
        optimizer = kind(params=model.parameters(), lr=lr)
        helpers.set_seed(seed)
        runs[name] = train_binary(model, optimizer, X_train, y_train, X_test, y_test, epochs)
    return runs


# ------------------------------------------------------------------ lesson 04


class BlobModel(nn.Module):
    def __init__(self, input_features, output_features, hidden_units=8):
        super().__init__()
        self.linear_layer_stack = nn.Sequential(
            nn.Linear(in_features=input_features, out_features=hidden_units),
            nn.ReLU(),
            nn.Linear(in_features=hidden_units, out_features=hidden_units),
            nn.ReLU(),
            nn.Linear(in_features=hidden_units, out_features=output_features),
        )

    def forward(self, x):
        return self.linear_layer_stack(x)


@cache
def lesson_04(seed: int):
    X, y = _tensors(*make_blobs(n_samples=1000, n_features=2, centers=4, cluster_std=1.5, random_state=42), torch.int64)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    loss_fn = nn.CrossEntropyLoss()
    helpers.set_seed(seed)
    model = BlobModel(2, 4)
    optimizer = torch.optim.SGD(params=model.parameters(), lr=0.1)
    helpers.set_seed(seed)
    h = {"train_loss": [], "test_loss": [], "test_acc": []}
    for _ in range(100):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            test_logits = model(X_test)
            test_preds = torch.softmax(test_logits, dim=1).argmax(dim=1)
            h["test_loss"].append(loss_fn(test_logits, y_test).item())
        h["train_loss"].append(loss.item())
        h["test_acc"].append(helpers.accuracy_fn(y_test, test_preds))
    mistakes = {(int(t), int(p)) for t, p in zip(y_test, test_preds) if t != p}

    helpers.set_seed(seed)
    linear = nn.Sequential(nn.Linear(2, 8), nn.Linear(8, 8), nn.Linear(8, 4))
    optimizer = torch.optim.SGD(params=linear.parameters(), lr=0.1)
    helpers.set_seed(seed)
    for _ in range(100):
        linear.train()
        loss = loss_fn(linear(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    linear.eval()
    with torch.inference_mode():
        linear_acc = helpers.accuracy_fn(y_test, linear(X_test).argmax(dim=1))
    return {**h, "mistakes": mistakes, "linear_test_acc": linear_acc}


# ------------------------------------------------------------------ lesson 05


class MoonModel(nn.Module):
    def __init__(self, hidden_units=64):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(2, hidden_units),
            nn.ReLU(),
            nn.Linear(hidden_units, hidden_units),
            nn.ReLU(),
            nn.Linear(hidden_units, 1),
        )

    def forward(self, x):
        return self.layers(x)


def train_val(model, optimizer, X_train, y_train, X_val, y_val, *, epochs, patience=None):
    """Lesson 05's ``train``: full batch, the best epoch by validation loss kept."""
    loss_fn = nn.BCEWithLogitsLoss()
    h = {"train_loss": [], "val_loss": [], "val_acc": []}
    best = {"epoch": -1, "val_loss": float("inf"), "state_dict": None}
    for epoch in range(epochs):
        model.train()
        loss = loss_fn(model(X_train).squeeze(1), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            val_logits = model(X_val).squeeze(1)
            val_loss = loss_fn(val_logits, y_val).item()
            val_acc = helpers.accuracy_fn(y_val, torch.round(torch.sigmoid(val_logits)))
        for key, value in zip(h, (loss.item(), val_loss, val_acc)):
            h[key].append(value)
        if val_loss < best["val_loss"]:
            best = {"epoch": epoch, "val_loss": val_loss, "state_dict": copy.deepcopy(model.state_dict())}
        elif patience is not None and epoch - best["epoch"] >= patience:
            break
    return h, best


def evaluate(model, X, y):
    """Loss, accuracy (%) and confident mistakes (p > 0.95 for the wrong class), as lesson 05."""
    model.eval()
    with torch.inference_mode():
        y_logits = model(X).squeeze(1)
        probs = torch.sigmoid(y_logits)
        preds = torch.round(probs)
        loss = nn.BCEWithLogitsLoss()(y_logits, y).item()
    p_pred = torch.where(preds == 1, probs, 1 - probs)
    return {
        "val_loss": loss,
        "val_acc": helpers.accuracy_fn(y, preds),
        "confident_mistakes": int(((preds != y) & (p_pred > 0.95)).sum()),
    }


def weight_norm(model):
    return torch.sqrt(sum((p**2).sum() for p in model.parameters())).item()


@cache
def moons_split():
    X, y = _tensors(*make_moons(n_samples=1000, noise=0.3, random_state=42))
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25, random_state=42)
    return X_train, y_train, X_val, y_val


def _moons_run(seed, X_train, y_train, *, weight_decay=0.0, patience=None):
    _, _, X_val, y_val = moons_split()
    helpers.set_seed(seed)
    model = MoonModel()
    optimizer = torch.optim.Adam(params=model.parameters(), lr=0.003, weight_decay=weight_decay)
    helpers.set_seed(seed)
    h, best = train_val(model, optimizer, X_train, y_train, X_val, y_val, epochs=400, patience=patience)
    return model, h, best


@cache
def lesson_05_moons(seed: int):
    X_train, y_train, X_val, y_val = moons_split()
    Xs, ys = X_train[:80], y_train[:80]
    model_base, h_base, best_base = _moons_run(seed, Xs, ys)
    base = evaluate(model_base, X_val, y_val)
    model_early, h_early, best_early = _moons_run(seed, Xs, ys, patience=50)
    model_early.load_state_dict(best_early["state_dict"])
    n_run = len(h_early["val_loss"])
    wd = {}
    for weight_decay in (0.001, 0.01, 0.1):
        model_wd, h_wd, _ = _moons_run(seed, Xs, ys, weight_decay=weight_decay)
        wd[weight_decay] = {"h": h_wd, "eval": evaluate(model_wd, X_val, y_val), "norm": weight_norm(model_wd)}
    model_more, _, _ = _moons_run(seed, X_train, y_train)
    return {
        "base_h": h_base,
        "base_best": {k: v for k, v in best_base.items() if k != "state_dict"},
        "base": base,
        "base_norm": weight_norm(model_base),
        "early_retraced": bool(np.allclose(h_early["val_loss"], h_base["val_loss"][:n_run])),
        "early_epochs_run": n_run,
        "early": evaluate(model_early, X_val, y_val),
        "wd": wd,
        "more": evaluate(model_more, X_val, y_val),
    }


@cache
def lesson_05_subset(seed: int):
    """The baseline on another random sample of 80 training points (lesson 05's subset figure),
    the sample and the weights both drawn from ``seed``: (lowest, final) validation loss."""
    X_train, y_train, _, _ = moons_split()
    rows = torch.randperm(len(X_train), generator=torch.Generator().manual_seed(seed))[:80]
    _, h, best = _moons_run(seed, X_train[rows], y_train[rows])
    return best["val_loss"], h["val_loss"][-1]


@cache
def circles_three_way():
    X, y = _tensors(*make_circles(n_samples=1000, noise=0.03, random_state=42))
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, test_size=0.25, random_state=42)
    return X_train, y_train, X_val, y_val, X_test, y_test


LEARNING_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


@cache
def lesson_05_circles(seed: int):
    X_train, y_train, X_val, y_val, X_test, y_test = circles_three_way()
    sweep = {}
    for lr in LEARNING_RATES:
        helpers.set_seed(seed)
        model = CircleModelV2()
        optimizer = torch.optim.SGD(params=model.parameters(), lr=lr)
        helpers.set_seed(seed)
        h, best = train_val(model, optimizer, X_train, y_train, X_val, y_val, epochs=500)
        sweep[lr] = {"val_losses": h["val_loss"], "best": best}
    helpers.set_seed(seed)
    model = CircleModelV2()
    optimizer = torch.optim.Adam(params=model.parameters(), lr=0.01)
    helpers.set_seed(seed)
    _, best_adam = train_val(model, optimizer, X_train, y_train, X_val, y_val, epochs=500)
    chosen_lr = min(LEARNING_RATES, key=lambda lr: sweep[lr]["val_losses"][-1])
    candidates = {"sgd": sweep[chosen_lr]["best"], "adam": best_adam}
    chosen = min(candidates, key=lambda name: candidates[name]["val_loss"])
    final = CircleModelV2()
    final.load_state_dict(candidates[chosen]["state_dict"])
    final.eval()
    with torch.inference_mode():
        test_acc = helpers.accuracy_fn(y_test, torch.round(torch.sigmoid(final(X_test).squeeze(1))))
    return {
        "sweep": {
            lr: {"val_losses": s["val_losses"], "best_val_loss": s["best"]["val_loss"]} for lr, s in sweep.items()
        },
        "chosen_lr": chosen_lr,
        "adam_best_val_loss": best_adam["val_loss"],
        "chosen_optimizer": chosen,
        "test_acc": test_acc,
    }


# ------------------------------------------------------------------ lesson 06


def playground(config: str, seed: int, epochs: int):
    """A playground configuration with ``seed=`` replaced, trained headless; its final result."""
    return helpers.run_config(helpers.PlaygroundConfig.from_string(config, seed=seed), epochs=epochs)


@cache
def circles_sgd_history(lr: float, seed: int, epochs: int):
    """Lesson 06, experiment 4: ``data=circles layers=2 units=8 opt=sgd lr=...`` written out as the
    playground's printed code writes it (full batch), with the training loss after every epoch, the
    dead ReLU units per hidden layer and the spread of the final outputs on the test set."""
    X, y = _tensors(*make_circles(n_samples=1000, noise=0.1, factor=0.5, random_state=seed))
    X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=0.8, random_state=seed)
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for _ in range(epochs):
        model.train()
        loss = loss_fn(model(X_train).squeeze(1), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            losses.append(loss_fn(model(X_train).squeeze(1), y_train).item())
            test_loss = loss_fn(model(X_test).squeeze(1), y_test).item()
    dead, h = [], X_train
    with torch.inference_mode():
        for layer in model:
            h = layer(h)
            if isinstance(layer, nn.ReLU):
                dead.append(int((h == 0).all(dim=0).sum()))
        outputs = model(X_test)
    return {
        "train_losses": losses,
        "test_loss": test_loss,
        "dead": dead,
        "output_spread": (outputs.max() - outputs.min()).item(),
    }
