"""Lesson 06's guided experiments without the playground's picture: train configurations, compare
them, repeat them from other seeds, and count dead ReLU units.

    results = compare(["data=xor layers=1 act=none", "data=xor layers=1 act=relu"], epochs=200)
    spread = over_seeds(["data=xor layers=1 act=relu"], epochs=200, seeds=range(6))

Their pictures are drawn by ``helpers.playground.figures``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import torch
from torch import nn

from helpers.playground.config import PlaygroundConfig, as_config
from helpers.playground.run import PlaygroundRun, RunResult
from helpers.validation import as_features, check_integer

__all__ = ["trained_run", "compare", "over_seeds", "dead_units"]


def _configs(configs, caller: str) -> list[PlaygroundConfig]:
    """A list of configurations (strings or PlaygroundConfig), parsed; at least one."""
    if isinstance(configs, (str, PlaygroundConfig)) or not isinstance(configs, Iterable):
        raise TypeError(
            f"The 'configs' parameter of {caller} must be a list of configurations (strings or "
            f"PlaygroundConfig). Got {configs!r} instead."
        )
    parsed = [as_config(config) for config in configs]
    if not parsed:
        raise ValueError(f"The 'configs' parameter of {caller} must hold at least one configuration. Got [] instead.")
    return parsed


def trained_run(config, epochs: int) -> PlaygroundRun:
    """A run of ``config`` trained for ``epochs`` epochs: the model itself, to draw or to inspect.

    Args:
        config: a ``PlaygroundConfig`` or its string.
        epochs: epochs to train (>= 1).

    Returns:
        The ``PlaygroundRun`` after ``epochs`` epochs (its ``model``, data and ``history``).

    Raises:
        TypeError / ValueError: not a valid configuration, or a bad ``epochs``.
    """
    epochs = check_integer(epochs, "epochs", "trained_run", low=1)
    run = PlaygroundRun(config)
    run.train_epochs(epochs)
    return run


def compare(configs, epochs: int, *, show: bool = True) -> list[RunResult]:
    """Train each configuration for ``epochs`` epochs and print one line per run.

    Args:
        configs: a list of configurations (strings or ``PlaygroundConfig``).
        epochs: epochs to train each (>= 1).
        show: print each configuration with its final train and test accuracy and test loss.

    Returns:
        One ``RunResult`` per configuration, in order.

    Raises:
        TypeError / ValueError: ``configs`` is not a non-empty list of valid configurations, or a
            bad ``epochs``.
    """
    parsed = _configs(configs, "compare")
    epochs = check_integer(epochs, "epochs", "compare", low=1)
    results = []
    for text, config in zip(configs, parsed):
        r = PlaygroundRun(config).train_epochs(epochs)
        if show:
            label = text if isinstance(text, str) else str(config)
            print(f"{label:<72} train {r.train_acc:5.1f}%  test {r.test_acc:5.1f}%  test loss {r.test_loss:.3f}")
        results.append(r)
    return results


def over_seeds(configs, epochs: int, seeds) -> dict[str, list[RunResult]]:
    """Each configuration trained from every seed in ``seeds`` (``seed=`` replaced).

    In the playground ``seed=`` sets the data, the split and the initial weights: each seed is
    another learner's run of the same configuration.

    Args:
        configs: a list of configurations (strings or ``PlaygroundConfig``).
        epochs: epochs to train each run (>= 1).
        seeds: the seeds, a non-empty sequence of whole numbers >= 0 (``range(6)``).

    Returns:
        ``{configuration: [final RunResult at each seed, in the order of seeds]}``, keyed by the
        configurations as given (a ``PlaygroundConfig`` by its string).

    Raises:
        TypeError / ValueError: a bad configuration, ``epochs`` or seed.
    """
    parsed = _configs(configs, "over_seeds")
    epochs = check_integer(epochs, "epochs", "over_seeds", low=1)
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"The 'seeds' parameter of over_seeds must be a sequence of ints. Got {seeds!r} instead.")
    seeds = [check_integer(seed, "seeds", "over_seeds", low=0) for seed in seeds]
    if not seeds:
        raise ValueError(
            "The 'seeds' parameter of over_seeds must hold at least one seed. Got an empty sequence instead."
        )
    return {
        (text if isinstance(text, str) else str(config)): [
            PlaygroundRun(dataclasses.replace(config, seed=seed)).train_epochs(epochs) for seed in seeds
        ]
        for text, config in zip(configs, parsed)
    }


def dead_units(model: nn.Sequential, X) -> list[int]:
    """For each ReLU layer of a playground model, how many of its units output 0 at every point of X.

    Such a unit is "dead" for these points: its output and its gradient are 0 there, so training
    on them cannot bring it back. The model is only evaluated (no gradient); its mode and
    parameters are left as they were.

    Args:
        model: a playground model (``nn.Sequential`` of ``nn.Linear`` and activations).
        X: points, shape [N, 2] (tensor or NumPy array), N >= 1.

    Returns:
        One count per ``nn.ReLU`` layer, in order ([] for a model without ReLU).

    Raises:
        TypeError: not an ``nn.Sequential``, or ``X`` not a tensor or array.
        ValueError: ``X`` is not [N, 2] or is empty or not finite.
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(
            f"The 'model' parameter of dead_units must be an nn.Sequential. Got {type(model).__name__} instead."
        )
    X = as_features(X, "X")
    first = next(model.parameters(), None)
    dtype = first.dtype if first is not None else torch.float32
    device = first.device if first is not None else torch.device("cpu")
    counts = []
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            h = torch.as_tensor(X, dtype=dtype, device=device)
            for layer in model:
                h = layer(h)
                if isinstance(layer, nn.ReLU):
                    counts.append(int((h == 0).all(dim=0).sum()))
    finally:
        model.train(was_training)
    return counts
