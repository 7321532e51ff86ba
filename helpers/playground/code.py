"""The PyTorch cell that reproduces a playground run exactly: the same operations as
``helpers.playground.run``, in the same order (tests/playground/test_code.py runs it and compares
the numbers). Change one, change the other.
"""

from __future__ import annotations

from helpers.playground.config import ACTIVATIONS, N_SAMPLES, OPTIMIZERS, as_config
from helpers.validation import check_integer

__all__ = ["generate_code"]


_DATA_CODE = {
    "circles": "X, y = make_circles(n_samples={n}, noise={noise}, factor=0.5, random_state={seed})",
    "moons": "X, y = make_moons(n_samples={n}, noise={noise}, random_state={seed})",
    "blobs": "X, y = make_blobs(n_samples={n}, centers=[[-1, -1], [1, 1]], cluster_std={std}, random_state={seed})",
    "spirals": "X, y = helpers.make_spirals(n_per_class={half}, n_classes=2, noise={noise}, seed={seed})",
    "xor": (
        "rng = np.random.RandomState({seed})\n"
        "X = rng.uniform(-1, 1, size=({n}, 2))\n"
        "y = (X[:, 0] * X[:, 1] > 0).astype(np.int64)  # class 1 where x1 and x2 have the same sign\n"
        "X = X + {noise} * rng.randn({n}, 2)"
    ),
}
_DATA_IMPORT = {
    "circles": "from sklearn.datasets import make_circles",
    "moons": "from sklearn.datasets import make_moons",
    "blobs": "from sklearn.datasets import make_blobs",
    "spirals": "import helpers",
    "xor": "import numpy as np",
}


def generate_code(config, epochs: int) -> str:
    """A complete, runnable cell that reproduces ``epochs`` epochs of this configuration exactly.

    Args:
        config: a ``PlaygroundConfig`` or its string.
        epochs: epochs to train (>= 1).

    Returns:
        The cell's code. It prints the final train and validation loss and accuracy, and leaves
        ``model``, ``optimizer`` and the last epoch's ``train_loss``, ``val_loss``,
        ``train_acc`` and ``val_acc`` (floats) behind.

    Raises:
        TypeError / ValueError: not a valid configuration, or a bad ``epochs``.
    """
    config = as_config(config)
    epochs = check_integer(epochs, "epochs", "generate_code", low=1)
    c = config
    data = _DATA_CODE[c.dataset].format(
        n=N_SAMPLES, half=N_SAMPLES // 2, noise=repr(c.noise), seed=c.seed, std=repr(0.3 + 2 * c.noise)
    )
    layers, width = [], 2
    for _ in range(c.layers):
        layers.append(f"    nn.Linear({width}, {c.units}),")
        if ACTIVATIONS[c.activation]:
            layers.append(f"    {ACTIVATIONS[c.activation]},")
        width = c.units
    layers.append(f"    nn.Linear({width}, 1),  # one logit: binary classification")
    full = c.batch_size == 0 or c.batch_size >= c.n_train
    if full:
        step = [
            "    loss = loss_fn(model(X_train).squeeze(1), y_train)  # full batch",
            "    optimizer.zero_grad()",
            "    loss.backward()",
            "    optimizer.step()",
        ]
    else:
        step = [
            f"    order = torch.randperm(len(X_train), generator=generator)  # shuffle, then batches of {c.batch_size}",
            f"    for start in range(0, len(X_train), {c.batch_size}):",
            f"        rows = order[start:start + {c.batch_size}]",
            "        loss = loss_fn(model(X_train[rows]).squeeze(1), y_train[rows])",
            "        optimizer.zero_grad()",
            "        loss.backward()",
            "        optimizer.step()",
        ]
    lines = [
        f"# Playground configuration: {c}",
        "import torch",
        "from torch import nn",
        _DATA_IMPORT[c.dataset],
        "from sklearn.model_selection import train_test_split",
        "",
        data,
        "X = torch.as_tensor(X, dtype=torch.float32)",
        "y = torch.as_tensor(y, dtype=torch.float32)",
        f"X_train, X_val, y_train, y_val = train_test_split(X, y, train_size={c.train_share!r}, random_state={c.seed})",
        "",
        f"torch.manual_seed({c.seed})  # the same initial weights as the playground",
        "model = nn.Sequential(",
        *layers,
        ")",
        "loss_fn = nn.BCEWithLogitsLoss()",
        f"optimizer = {OPTIMIZERS[c.optimizer]}(model.parameters(), lr={c.lr!r}, weight_decay={c.weight_decay!r})",
        *([] if full else [f"generator = torch.Generator().manual_seed({c.seed})  # the order of the mini-batches"]),
        "",
        f"for epoch in range({epochs}):",
        "    model.train()",
        *step,
        "    model.eval()",
        "    with torch.inference_mode():",
        "        train_logits = model(X_train).squeeze(1)",
        "        val_logits = model(X_val).squeeze(1)",
        "        train_loss = loss_fn(train_logits, y_train).item()",
        "        val_loss = loss_fn(val_logits, y_val).item()",
        "        train_acc = (torch.round(torch.sigmoid(train_logits)) == y_train).float().mean().item() * 100",
        "        val_acc = (torch.round(torch.sigmoid(val_logits)) == y_val).float().mean().item() * 100",
        "",
        f'print(f"after {epochs} epochs: train loss {{train_loss:.4f}}, acc {{train_acc:.1f}}% | '
        f'validation loss {{val_loss:.4f}}, acc {{val_acc:.1f}}%")',
    ]
    return "\n".join(lines) + "\n"
