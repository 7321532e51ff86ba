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


def two_blobs(random_state: int = 42):
    """Lesson 02: two blobs a straight line separates, in the rings' range; split 800/200."""
    X, y = _tensors(
        *make_blobs(n_samples=1000, centers=[(-0.4, 0.4), (0.4, -0.4)], cluster_std=0.15, random_state=random_state)
    )
    return tuple(train_test_split(X, y, test_size=0.2, random_state=42))


def collapse_linear_stack(model):
    """The single weight and bias a stack of three Linear layers computes."""
    W1, W2, W3 = model.layer_1.weight, model.layer_2.weight, model.layer_3.weight
    b1, b2, b3 = model.layer_1.bias, model.layer_2.bias, model.layer_3.bias
    with torch.inference_mode():
        return W3 @ W2 @ W1, W3 @ W2 @ b1 + W3 @ b2 + b3


@cache
def lesson_02(seed: int, blobs_random_state: int = 42):
    """Lesson 01's V1 and loop, from the same starting weights, on the rings and on the blobs."""
    runs = {}
    starts = []
    for name, data in (("circles", circles()), ("blobs", two_blobs(blobs_random_state))):
        X_train, X_test, y_train, y_test = data
        helpers.set_seed(seed)
        model = CircleModelV1()
        starts.append([p.detach().clone() for p in model.parameters()])
        optimizer = torch.optim.SGD(params=model.parameters(), lr=0.1)
        helpers.set_seed(seed)
        h = train_binary(model, optimizer, X_train, y_train, X_test, y_test, 1000)
        W, b = collapse_linear_stack(model)
        X = torch.cat([X_train, X_test])
        model.eval()
        with torch.inference_mode():
            stacked = model(X)
            collapsed = X @ W.T + b
        h["allclose"] = torch.allclose(stacked, collapsed, rtol=1e-4, atol=1e-5)
        h["same_labels"] = torch.equal(stacked > 0, collapsed > 0)
        h["largest_abs_logit"] = stacked.abs().max().item()
        h["W_shape"], h["b_shape"] = list(W.shape), list(b.shape)
        runs[name] = h
    runs["same_start"] = all(torch.equal(a, b) for a, b in zip(*starts))
    return runs


@cache
def lesson_02_line(seed: int):
    """Lesson 02, section 4.1: nn.Sequential(Linear(1, 10), Linear(10, 10), Linear(10, 1)) on
    y = 0.7x + 0.3 (x = 0, 0.01, ..., 0.99; the first 80 train, the last 20 test), L1 loss,
    SGD(lr=0.01), 1000 epochs; then the stack collapsed to one weight and one bias; and a copy trained
    for 4000 more epochs."""
    X = torch.arange(0, 1, 0.01).unsqueeze(dim=1)
    y = 0.7 * X + 0.3
    X_train, y_train, X_test, y_test = X[:80], y[:80], X[80:], y[80:]
    helpers.set_seed(seed)
    model = nn.Sequential(nn.Linear(1, 10), nn.Linear(10, 10), nn.Linear(10, 1))
    loss_fn = nn.L1Loss()
    optimizer = torch.optim.SGD(params=model.parameters(), lr=0.01)
    helpers.set_seed(seed)
    test_losses = []
    for _ in range(1000):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            test_losses.append(loss_fn(model(X_test), y_test).item())
    layers = list(model)
    with torch.inference_mode():
        W, b = layers[0].weight, layers[0].bias
        for layer in layers[1:]:
            W, b = layer.weight @ W, layer.weight @ b + layer.bias
        stacked = model(X)
        collapsed = X @ W.T + b
        largest_gap = (stacked - y).abs().max().item()
    # "Would training longer close the gap?": a copy trained for 4000 more epochs.
    longer = nn.Sequential(nn.Linear(1, 10), nn.Linear(10, 10), nn.Linear(10, 1))
    longer.load_state_dict(model.state_dict())
    optimizer_longer = torch.optim.SGD(params=longer.parameters(), lr=0.01)
    for _ in range(4000):
        loss = loss_fn(longer(X_train), y_train)
        optimizer_longer.zero_grad()
        loss.backward()
        optimizer_longer.step()
    with torch.inference_mode():
        W_longer = longer[2].weight @ longer[1].weight @ longer[0].weight
        largest_gap_longer = (longer(X) - y).abs().max().item()
    return {
        "test_losses": test_losses,
        "largest_gap": largest_gap,
        "W": W.item(),
        "b": b.item(),
        "allclose": torch.allclose(stacked, collapsed, rtol=1e-4, atol=1e-5),
        "W_longer": W_longer.item(),
        "largest_gap_longer": largest_gap_longer,
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


L04_EPOCHS = 200


@cache
def lesson_04(seed: int):
    """Lesson 04: BlobModel (with ReLU) and the same layers without ReLU, SGD lr 0.1, 200 epochs,
    the validation split of 200 points recorded every epoch."""
    X, y = _tensors(*make_blobs(n_samples=1000, n_features=2, centers=4, cluster_std=1.5, random_state=42), torch.int64)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=42)
    loss_fn = nn.CrossEntropyLoss()

    def train(make_model):
        helpers.set_seed(seed)
        model = make_model()
        optimizer = torch.optim.SGD(params=model.parameters(), lr=0.1)
        helpers.set_seed(seed)
        h = {"train_loss": [], "val_loss": [], "val_acc": []}
        for _ in range(L04_EPOCHS):
            model.train()
            loss = loss_fn(model(X_train), y_train)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            model.eval()
            with torch.inference_mode():
                val_logits = model(X_val)
                val_preds = val_logits.argmax(dim=1)
                h["val_loss"].append(loss_fn(val_logits, y_val).item())
            h["train_loss"].append(loss.item())
            h["val_acc"].append(helpers.accuracy_fn(y_val, val_preds))
        return h, val_preds

    h, val_preds = train(lambda: BlobModel(2, 4))
    mistakes = {(int(t), int(p)) for t, p in zip(y_val, val_preds) if t != p}
    linear, _ = train(lambda: nn.Sequential(nn.Linear(2, 8), nn.Linear(8, 8), nn.Linear(8, 4)))
    return {
        **h,
        "mistakes": mistakes,
        "val_preds": val_preds,
        "y_val": y_val,
        "linear_val_acc": linear["val_acc"][-1],
        "linear_val_loss": linear["val_loss"][-1],
    }


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


def moons_test():
    """Lesson 05's moons test split (200 points), used once, on the remedy chosen on validation."""
    X, y = _tensors(*make_moons(n_samples=1000, noise=0.3, random_state=42))
    _, X_test, _, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    return X_test, y_test


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
        "more_test": evaluate(model_more, *moons_test()),
    }


@cache
def lesson_05_sample(subset_seed: int, seed: int = 42):
    """Another random sample of 80 training points (lesson 05's ``subset_rows``), the weights from
    ``seed`` (the lesson's 42): the baseline's lowest and final validation loss, and the baseline,
    early stopping (patience 50) and weight decay 0.01 (the lesson's choice) evaluated."""
    X_train, y_train, X_val, y_val = moons_split()
    rows = torch.randperm(len(X_train), generator=torch.Generator().manual_seed(subset_seed))[:80]
    Xs, ys = X_train[rows], y_train[rows]
    model_base, h, best = _moons_run(seed, Xs, ys)
    model_early, _, best_early = _moons_run(seed, Xs, ys, patience=50)
    model_early.load_state_dict(best_early["state_dict"])
    model_wd, _, _ = _moons_run(seed, Xs, ys, weight_decay=0.01)
    return {
        "lowest": best["val_loss"],
        "final": h["val_loss"][-1],
        "acc_at_lowest": h["val_acc"][best["epoch"]],
        "acc_final": h["val_acc"][-1],
        "base": evaluate(model_base, X_val, y_val),
        "early": evaluate(model_early, X_val, y_val),
        "wd": evaluate(model_wd, X_val, y_val),
    }


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
    X_fresh, y_fresh = _tensors(*make_circles(n_samples=200, noise=0.03, random_state=7))  # lesson 05's test set
    with torch.inference_mode():
        test_acc = helpers.accuracy_fn(y_test, torch.round(torch.sigmoid(final(X_test).squeeze(1))))
        fresh_test_acc = helpers.accuracy_fn(y_fresh, torch.round(torch.sigmoid(final(X_fresh).squeeze(1))))
    return {
        "sweep": {
            lr: {"val_losses": s["val_losses"], "best_val_loss": s["best"]["val_loss"]} for lr, s in sweep.items()
        },
        "chosen_lr": chosen_lr,
        "adam_best_val_loss": best_adam["val_loss"],
        "best_epochs": {name: best["epoch"] for name, best in candidates.items()},
        "chosen_val_loss": candidates[chosen]["val_loss"],
        "chosen_optimizer": chosen,
        "test_acc": test_acc,
        "fresh_test_acc": fresh_test_acc,
    }


# ------------------------------------------------------------------ lesson 06


def playground(config: str, seed: int, epochs: int):
    """A playground configuration with ``seed=`` replaced, trained headless; its final result."""
    return helpers.run_config(helpers.PlaygroundConfig.from_string(config, seed=seed), epochs=epochs)


def playground_history(config: str, seed: int, epochs: int) -> tuple[float, ...]:
    """A playground configuration with ``seed=`` replaced, trained headless; its training loss after
    every epoch (the history the lesson's ``over_seeds(..., keep_runs=True)`` keeps)."""
    from helpers.playground import trained_run

    run = trained_run(helpers.PlaygroundConfig.from_string(config, seed=seed), epochs)
    return tuple(float(loss) for loss in run.history["train_loss"])


@cache
def circles_sgd_history(lr: float, seed: int, epochs: int):
    """Lesson 06, experiment 4: ``data=circles layers=2 units=8 opt=sgd lr=...`` written out as the
    playground's printed code writes it (full batch), with the training loss after every epoch, the
    dead ReLU units per hidden layer and the spread of the final outputs on the validation split."""
    X, y = _tensors(*make_circles(n_samples=1000, noise=0.1, factor=0.5, random_state=seed))
    X_train, X_val, y_train, y_val = train_test_split(X, y, train_size=0.8, random_state=seed)
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
            val_loss = loss_fn(model(X_val).squeeze(1), y_val).item()
    dead, h = [], X_train
    with torch.inference_mode():
        for layer in model:
            h = layer(h)
            if isinstance(layer, nn.ReLU):
                dead.append(int((h == 0).all(dim=0).sum()))
        outputs = model(X_val)
    return {
        "train_losses": losses,
        "val_loss": val_loss,
        "dead": dead,
        "output_spread": (outputs.max() - outputs.min()).item(),
    }


# ------------------------------------------------------------------ lesson 08
# The lesson's circles are circles() (random_state 42) and its blobs are lesson 04's; ``seed``
# replaces the lesson's SEEDS (42, 0, 1, 2, 3): the starting weights, the loops' randomness and
# the permutation that shuffles C's labels.

L08_SCALE = torch.tensor([1.0, 1000.0])  # D: the second feature in other units
L08_PLANTED = {  # the gallery's setups, the finding the doctor names for each
    "good": None,
    "A": "optimizer_not_model",
    "B": "activation_before_loss",
    "C": "labels_unrelated",
    "D": "feature_scale",
    "E": "lr_too_high",
    "F": "lr_too_low",
    "G": "linear_only",
}


@cache
def blobs():
    """Lessons 04 and 08: make_blobs(1000, 4 centres, std 1.5), split 800/200."""
    X, y = _tensors(*make_blobs(n_samples=1000, n_features=2, centers=4, cluster_std=1.5, random_state=42), torch.int64)
    return tuple(train_test_split(X, y, test_size=0.2, random_state=42))


def make_model_08(in_features=2):
    return nn.Sequential(
        nn.Linear(in_features=in_features, out_features=10),
        nn.ReLU(),
        nn.Linear(in_features=10, out_features=10),
        nn.ReLU(),
        nn.Linear(in_features=10, out_features=1),
    )


def make_blob_model_08():
    return nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 4))


def train_08(model, loss_fn, optimizer, X_train, y_train, X_test, y_test, *, epochs=300):
    """Lesson 08's ``train``: the training loss of each epoch and the final test accuracy (%)."""
    losses = []
    for _ in range(epochs):
        model.train()
        loss = loss_fn(model(X_train).squeeze(1), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.inference_mode():
        test_preds = torch.round(torch.sigmoid(model(X_test).squeeze(1)))
    return losses, helpers.accuracy_fn(y_test, test_preds)


def gallery_setup(name: str, seed: int):
    """Lesson 08's gallery: (model, optimizer, X_fit, y_fit, X_eval) for the good setup or A..G."""
    X_train, X_test, y_train, _ = circles()
    helpers.set_seed(seed)
    if name == "B":
        model = nn.Sequential(make_model_08(), nn.Sigmoid())
    elif name == "G":
        model = nn.Sequential(nn.Linear(2, 10), nn.Linear(10, 10), nn.Linear(10, 1))
    else:
        model = make_model_08()
    if name == "E":
        return model, torch.optim.SGD(params=model.parameters(), lr=30), X_train, y_train, X_test
    lr = 1e-5 if name == "F" else 0.01
    optimizer = torch.optim.Adam(params=model.parameters(), lr=lr)
    if name == "A":
        model = make_model_08()  # the model cell run again, the optimizer cell not
    if name == "C":
        order = torch.randperm(len(y_train), generator=torch.Generator().manual_seed(seed))
        return model, optimizer, X_train, y_train[order], X_test
    if name == "D":
        return model, optimizer, X_train * L08_SCALE, y_train, X_test * L08_SCALE
    return model, optimizer, X_train, y_train, X_test


@cache
def lesson_08_gallery(name: str, seed: int):
    """One gallery run, 300 epochs: its losses, test accuracy, accuracy on what it trained on, and trained model."""
    _, _, _, y_test = circles()
    model, optimizer, X_fit, y_fit, X_eval = gallery_setup(name, seed)
    helpers.set_seed(seed)
    losses, test_acc = train_08(model, nn.BCEWithLogitsLoss(), optimizer, X_fit, y_fit, X_eval, y_test)
    with torch.inference_mode():
        train_acc = helpers.accuracy_fn(y_fit, torch.round(torch.sigmoid(model(X_fit).squeeze(1))))
    return {"losses": losses, "test_acc": test_acc, "train_acc": train_acc, "model": model}


@cache
def lesson_08_examine(name: str, seed: int):
    """The doctor's report on a fresh gallery setup (what the lesson asks before training)."""
    model, optimizer, X_fit, y_fit, _ = gallery_setup(name, seed)
    return helpers.doctor.examine(model, nn.BCEWithLogitsLoss(), optimizer, X_fit, y_fit)


@cache
def lesson_08_standardised(seed: int):
    """§4: D's fix (standardised with the training split's statistics), and the NaN column."""
    X_train, X_test, y_train, y_test = circles()
    loss_fn = nn.BCEWithLogitsLoss()
    X_big, X_big_test = X_train * L08_SCALE, X_test * L08_SCALE
    mean, std = X_big.mean(dim=0), X_big.std(dim=0)
    X_std, X_std_test = (X_big - mean) / std, (X_big_test - mean) / std
    model, optimizer, _, _, _ = gallery_setup("good", seed)
    report = helpers.doctor.examine(model, loss_fn, optimizer, X_std, y_train)
    helpers.set_seed(seed)
    _, fixed_acc = train_08(model, loss_fn, optimizer, X_std, y_train, X_std_test, y_test)

    X_three = torch.cat([X_train, torch.ones(len(X_train), 1)], dim=1)
    X_three_test = torch.cat([X_test, torch.ones(len(X_test), 1)], dim=1)
    mean3, std3 = X_three.mean(dim=0), X_three.std(dim=0)
    X_nan, X_nan_test = (X_three - mean3) / std3, (X_three_test - mean3) / std3
    helpers.set_seed(seed)
    model = make_model_08(in_features=3)
    optimizer = torch.optim.Adam(params=model.parameters(), lr=0.01)
    nan_losses = []
    for _ in range(300):
        model.train()
        loss = loss_fn(model(X_nan).squeeze(1), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        nan_losses.append(loss.item())
    model.eval()
    with torch.inference_mode():
        nan_outputs = int(model(X_nan_test).isnan().sum())
    nan_report = helpers.doctor.examine(model, loss_fn, optimizer, X_nan, y_train)
    keep = X_nan.isfinite().all(dim=0)
    helpers.set_seed(seed)
    model = make_model_08(in_features=int(keep.sum()))
    optimizer = torch.optim.Adam(params=model.parameters(), lr=0.01)
    kept_report = helpers.doctor.examine(model, loss_fn, optimizer, X_nan[:, keep], y_train)
    return {
        "report": report,
        "fixed_acc": fixed_acc,
        "nan_losses": nan_losses,
        "nan_outputs": nan_outputs,
        "n_test": len(X_test),
        "nan_report": nan_report,
        "kept": keep.nonzero().flatten().tolist(),
        "kept_report": kept_report,
        "kept_is_standardised": bool(
            torch.allclose(X_nan[:, keep], X_std, atol=1e-5)
            and torch.allclose(X_nan_test[:, keep], X_std_test, atol=1e-5)
        ),
    }


@cache
def lesson_08_lr_fix(name: str, seed: int):
    """§5: E (SGD, 500 epochs) or F (Adam, 300 epochs) retrained at the rate the doctor's fix names."""
    X_train, X_test, y_train, y_test = circles()
    loss_fn = nn.BCEWithLogitsLoss()
    (finding,) = lesson_08_examine(name, seed).problems
    lr = finding.values["lr"]
    kind, epochs = (torch.optim.SGD, 500) if name == "E" else (torch.optim.Adam, 300)
    helpers.set_seed(seed)
    model = make_model_08()
    optimizer = kind(params=model.parameters(), lr=lr)
    report = helpers.doctor.examine(model, loss_fn, optimizer, X_train, y_train)
    helpers.set_seed(seed)
    losses, test_acc = train_08(model, loss_fn, optimizer, X_train, y_train, X_test, y_test, epochs=epochs)
    plateau = next((epoch for epoch, value in enumerate(losses) if value < 0.6), None)
    return {"lr": lr, "report": report, "losses": losses, "test_acc": test_acc, "plateau": plateau}


@cache
def lesson_08_e_mechanism(seed: int):
    """§5: E's trained model: the second layer's live units, and four more lr-30 steps on a copy."""
    X_train, _, y_train, _ = circles()
    loss_fn = nn.BCEWithLogitsLoss()
    model = lesson_08_gallery("E", seed)["model"]
    with torch.inference_mode():
        hidden = torch.relu(model[2](torch.relu(model[0](X_train))))
    alive = int((hidden > 0).any(dim=0).sum())
    e_model = copy.deepcopy(model)
    e_optimizer = torch.optim.SGD(params=e_model.parameters(), lr=30)
    biases, losses, constant = [], [], []
    for _ in range(4):
        outputs = e_model(X_train).squeeze(1)
        constant.append(bool(torch.allclose(outputs, e_model[4].bias.detach().expand_as(outputs))))
        loss = loss_fn(outputs, y_train)
        biases.append(e_model[4].bias.item())
        losses.append(loss.item())
        e_optimizer.zero_grad()
        loss.backward()
        e_optimizer.step()
    best_constant = loss_fn(torch.zeros_like(y_train), y_train).item()
    return {"alive": alive, "constant": constant, "biases": biases, "losses": losses, "best_constant": best_constant}


@cache
def lesson_08_errors(seed: int):
    """§3: [N, 1] logits against [N] labels under watch (then squeezed, 100 epochs), and float
    labels for CrossEntropyLoss on the blobs: what PyTorch raises, what the doctor names."""
    X_train, _, y_train, _ = circles()
    Xb_train, _, yb_train, _ = blobs()
    loss_fn = nn.BCEWithLogitsLoss()
    out = {}
    helpers.set_seed(seed)
    model = make_model_08()
    optimizer = torch.optim.Adam(params=model.parameters(), lr=0.01)
    try:
        with helpers.doctor.watch(model, loss_fn, optimizer) as report:
            for _ in range(10):
                model.train()
                loss = loss_fn(model(X_train), y_train)  # the .squeeze(1) is missing
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        out["unsqueezed_error"] = None
    except ValueError as error:
        out["unsqueezed_error"] = str(error)
    out["unsqueezed"] = report
    helpers.set_seed(seed)
    model = make_model_08()
    optimizer = torch.optim.Adam(params=model.parameters(), lr=0.01)
    with helpers.doctor.watch(model, loss_fn, optimizer) as report:
        for _ in range(100):
            model.train()
            loss = loss_fn(model(X_train).squeeze(1), y_train)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    out["squeezed"] = report
    helpers.set_seed(seed)
    model_blob = make_blob_model_08()
    blob_optimizer = torch.optim.SGD(params=model_blob.parameters(), lr=0.1)
    blob_loss_fn = nn.CrossEntropyLoss()
    try:
        blob_loss_fn(model_blob(Xb_train), yb_train.type(torch.float32))
        out["float_error"] = None
    except RuntimeError as error:
        out["float_error"] = str(error)
    out["float_labels"] = helpers.doctor.examine(
        model_blob, blob_loss_fn, blob_optimizer, Xb_train, yb_train.type(torch.float32)
    )
    out["long_labels"] = helpers.doctor.examine(model_blob, blob_loss_fn, blob_optimizer, Xb_train, yb_train)
    return out


@cache
def lesson_08_linear_blobs(seed: int):
    """§6: only Linear layers on the blobs: the doctor's report, and the test accuracy after 300 epochs."""
    Xb_train, Xb_test, yb_train, yb_test = blobs()
    loss_fn = nn.CrossEntropyLoss()
    helpers.set_seed(seed)
    model = nn.Sequential(nn.Linear(2, 8), nn.Linear(8, 8), nn.Linear(8, 4))
    optimizer = torch.optim.SGD(params=model.parameters(), lr=0.1)
    report = helpers.doctor.examine(model, loss_fn, optimizer, Xb_train, yb_train)
    for _ in range(300):
        loss = loss_fn(model(Xb_train), yb_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.inference_mode():
        acc = helpers.accuracy_fn(yb_test, model(Xb_test).argmax(dim=1))
    return {"report": report, "test_acc": acc}


@cache
def lesson_08_mystery_h(seed: int, width: int):
    """§9 Mystery H: lesson 04's blob model with its middle layer `width` units wide (1: the typo), SGD lr 0.1,
    300 epochs: the doctor's report on the fresh setup, and the test accuracy."""
    Xb_train, Xb_test, yb_train, yb_test = blobs()
    loss_fn = nn.CrossEntropyLoss()
    helpers.set_seed(seed)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, width), nn.ReLU(), nn.Linear(width, 4))
    optimizer = torch.optim.SGD(params=model.parameters(), lr=0.1)
    report = helpers.doctor.examine(model, loss_fn, optimizer, Xb_train, yb_train)
    for _ in range(300):
        model.train()
        loss = loss_fn(model(Xb_train), yb_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.inference_mode():
        acc = helpers.accuracy_fn(yb_test, model(Xb_test).argmax(dim=1))
    return {"report": report, "test_acc": acc}


@cache
def lesson_08_mystery_i(seed: int, order: str):
    """§9 Mystery I: the good circles setup, its loop's calls in `order`, examined and watched."""
    X_train, X_test, y_train, y_test = circles()
    loss_fn = nn.BCEWithLogitsLoss()
    helpers.set_seed(seed)
    model = make_model_08()
    optimizer = torch.optim.Adam(params=model.parameters(), lr=0.01)
    examined = helpers.doctor.examine(model, loss_fn, optimizer, X_train, y_train)
    with helpers.doctor.watch(model, loss_fn, optimizer) as report:
        for _ in range(300):
            model.train()
            loss = loss_fn(model(X_train).squeeze(1), y_train)
            for call in order.split(", "):
                {"zero_grad": optimizer.zero_grad, "backward": loss.backward, "step": optimizer.step}[call]()
    model.eval()
    with torch.inference_mode():
        acc = helpers.accuracy_fn(y_test, torch.round(torch.sigmoid(model(X_test).squeeze(1))))
    return {"examine": examined, "watch": report, "last_loss": loss.item(), "test_acc": acc}


@cache
def lesson_08_watched(seed: int, zero_grad: bool, optimizer_name: str = "adam"):
    """§7: the lessons' loop under watch, with or without zero_grad (Adam lr 0.01 or SGD lr 0.1)."""
    X_train, X_test, y_train, y_test = circles()
    loss_fn = nn.BCEWithLogitsLoss()
    helpers.set_seed(seed)
    model = make_model_08()
    if optimizer_name == "adam":
        optimizer = torch.optim.Adam(params=model.parameters(), lr=0.01)
    else:
        optimizer = torch.optim.SGD(params=model.parameters(), lr=0.1)
    losses = []
    helpers.set_seed(seed)
    with helpers.doctor.watch(model, loss_fn, optimizer) as report:
        for _ in range(300):
            model.train()
            loss = loss_fn(model(X_train).squeeze(1), y_train)
            if zero_grad:
                optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    model.eval()
    with torch.inference_mode():
        test_acc = helpers.accuracy_fn(y_test, torch.round(torch.sigmoid(model(X_test).squeeze(1))))
    return {"losses": losses, "test_acc": test_acc, "report": report}


@cache
def lesson_08_dropout(seed: int, call_eval: bool):
    """§7: a dropout model, evaluated over its last 50 of 200 epochs with or without model.eval();
    with it, the trained weights evaluated 20 times in training mode and once in eval mode."""
    X_train, X_test, y_train, y_test = circles()
    loss_fn = nn.BCEWithLogitsLoss()
    helpers.set_seed(seed)
    model = nn.Sequential(
        nn.Linear(2, 32), nn.ReLU(), nn.Dropout(p=0.5), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 1)
    )
    optimizer = torch.optim.Adam(params=model.parameters(), lr=0.01)
    test_accs = []
    helpers.set_seed(seed)
    with helpers.doctor.watch(model, loss_fn, optimizer) as report:
        for epoch in range(200):
            model.train()
            loss = loss_fn(model(X_train).squeeze(1), y_train)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if epoch >= 150:
                if call_eval:
                    model.eval()
                with torch.inference_mode():
                    test_preds = torch.round(torch.sigmoid(model(X_test).squeeze(1)))
                    test_accs.append(helpers.accuracy_fn(y_test, test_preds))
    out = {"report": report, "test_accs": test_accs}
    if call_eval:
        with torch.inference_mode():
            model.train()
            out["in_train_mode"] = [
                helpers.accuracy_fn(y_test, torch.round(torch.sigmoid(model(X_test).squeeze(1)))) for _ in range(20)
            ]
            model.eval()
            out["in_eval_mode"] = helpers.accuracy_fn(y_test, torch.round(torch.sigmoid(model(X_test).squeeze(1))))
    return out


@cache
def lesson_08_start_losses(seed: int):
    """§8: the loss of fresh models before any step: circles, raw blobs, standardised blobs."""
    X_train, _, y_train, _ = circles()
    Xb_train, _, yb_train, _ = blobs()
    blob_mean, blob_std = Xb_train.mean(dim=0), Xb_train.std(dim=0)
    helpers.set_seed(seed)
    model = make_model_08()
    blob_model = make_blob_model_08()
    with torch.inference_mode():
        return {
            "circles": nn.BCEWithLogitsLoss()(model(X_train).squeeze(1), y_train).item(),
            "blobs, raw": nn.CrossEntropyLoss()(blob_model(Xb_train), yb_train).item(),
            "blobs, standardised": nn.CrossEntropyLoss()(
                blob_model((Xb_train - blob_mean) / blob_std), yb_train
            ).item(),
        }


def neighbour_agreement(X, y):
    """§8: the share (%) of points whose nearest neighbour (not itself) has the same label."""
    distances = torch.cdist(X, X)
    distances.fill_diagonal_(float("inf"))
    return helpers.accuracy_fn(y, y[distances.argmin(dim=1)])


@cache
def lesson_08_small_batch(seed: int):
    """§8: 32 training points learnt by heart (Adam lr 0.01, 300 steps): the ReLU model, only
    Linear layers, and the ReLU model on the 32 labels shuffled (the lesson's fixed permutation)."""
    X_train, _, y_train, _ = circles()
    loss_fn = nn.BCEWithLogitsLoss()
    X_small, y_small = X_train[:32], y_train[:32]
    y_shuffled = y_small[torch.randperm(32, generator=torch.Generator().manual_seed(0))]
    out = {}
    for name, setup, targets in (("relu", "good", y_small), ("linear", "G", y_small), ("shuffled", "good", y_shuffled)):
        model = gallery_setup(setup, seed)[0]
        optimizer = torch.optim.Adam(params=model.parameters(), lr=0.01)
        for _ in range(300):
            loss = loss_fn(model(X_small).squeeze(1), targets)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.inference_mode():
            out[name] = helpers.accuracy_fn(targets, torch.round(torch.sigmoid(model(X_small).squeeze(1))))
    out["majority_share"] = 100 * max(y_small.mean().item(), 1 - y_small.mean().item())
    return out
