"""Lesson 06's guided experiments without the playground's picture: train configurations, compare
them, repeat them from other seeds, and count dead ReLU units.

    results = compare(["data=xor layers=1 act=none", "data=xor layers=1 act=relu"], epochs=200)
    spread = over_seeds(["data=xor layers=1 act=relu"], epochs=200, seeds=range(6))

Their pictures are drawn by ``helpers.playground.figures``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence

import torch
from torch import nn

from helpers.playground.config import PlaygroundConfig, as_config
from helpers.playground.run import PlaygroundRun, RunResult
from helpers.validation import as_features, check_integer

__all__ = ["trained_run", "compare", "over_seeds", "seed_values", "dead_units", "froze_dead"]

_FIELDS = tuple(field.name for field in dataclasses.fields(RunResult) if field.name != "epochs")


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
        show: print each configuration with its final train and validation accuracy and validation loss.

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
            print(
                f"{label:<72} train {r.train_acc:5.1f}%  validation {r.val_acc:5.1f}%  validation loss {r.val_loss:.3f}"
            )
        results.append(r)
    return results


def over_seeds(configs, epochs: int, seeds, *, keep_runs: bool = False) -> dict[str, list]:
    """Each configuration trained from every seed in ``seeds`` (``seed=`` replaced).

    In the playground ``seed=`` sets the data, the split and the initial weights: each seed is
    another learner's run of the same configuration.

    Args:
        configs: a list of configurations (strings or ``PlaygroundConfig``).
        epochs: epochs to train each run (>= 1).
        seeds: the seeds, a non-empty sequence of whole numbers >= 0 (``range(6)``).
        keep_runs: return the trained ``PlaygroundRun`` of each seed (its model and history),
            not only its final ``RunResult``.

    Returns:
        ``{configuration: [final RunResult (or PlaygroundRun) at each seed, in the order of
        seeds]}``, keyed by the configurations as given (a ``PlaygroundConfig`` by its string).

    Raises:
        TypeError / ValueError: a bad configuration, ``epochs``, seed or ``keep_runs``.
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
    if not isinstance(keep_runs, bool):
        raise TypeError(f"The 'keep_runs' parameter of over_seeds must be True or False. Got {keep_runs!r} instead.")
    spread = {}
    for text, config in zip(configs, parsed):
        runs = []
        for seed in seeds:
            run = PlaygroundRun(dataclasses.replace(config, seed=seed))
            result = run.train_epochs(epochs)
            runs.append(run if keep_runs else result)
        spread[text if isinstance(text, str) else str(config)] = runs
    return spread


def seed_values(spread: Mapping, field: str, labels=None) -> dict[str, list[float]]:
    """One number per seed for each configuration of an ``over_seeds`` spread: what
    ``helpers.plot_spread`` draws and ``helpers.describe_spread`` describes.

    Args:
        spread: what ``over_seeds`` returned (final results or kept runs).
        field: which number: "train_loss", "val_loss", "train_acc" or "val_acc".
        labels: a short name for each configuration, in order; None keeps the configurations.

    Returns:
        ``{label: [the field at each seed]}``, in the spread's order.

    Raises:
        TypeError: ``spread`` is not a mapping of lists, ``labels`` not a list of str.
        ValueError: an unknown ``field``, or another number of labels than configurations.
    """
    if not isinstance(spread, Mapping) or not all(isinstance(runs, Sequence) for runs in spread.values()):
        raise TypeError(
            f"The 'spread' parameter of seed_values must be what over_seeds returned. Got {type(spread).__name__} instead."
        )
    if field not in _FIELDS:
        raise ValueError(f"The 'field' parameter of seed_values must be one of {list(_FIELDS)}. Got {field!r} instead.")
    if labels is None:
        labels = list(spread)
    if isinstance(labels, str) or not isinstance(labels, Sequence) or not all(isinstance(t, str) for t in labels):
        raise TypeError(f"The 'labels' parameter of seed_values must be a list of str. Got {labels!r} instead.")
    if len(labels) != len(spread):
        raise ValueError(
            f"The 'labels' parameter of seed_values must hold {len(spread)} names, one per configuration. "
            f"Got {len(labels)} instead."
        )
    return {
        label: [getattr(r.result() if isinstance(r, PlaygroundRun) else r, field) for r in runs]
        for label, runs in zip(labels, spread.values())
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


def froze_dead(run: PlaygroundRun, tol: float = 1e-3) -> bool:
    """Whether a run ended with a whole ReLU layer dead on its training points and its training
    loss stuck at ln 2 (p = 0.5 for every point: nothing reaches the output).

    Args:
        run: a trained ``PlaygroundRun``.
        tol: how close to ln 2 the last training loss must be.

    Returns:
        True when both hold.

    Raises:
        TypeError: not a ``PlaygroundRun``; ValueError: a run not trained yet.
    """
    if not isinstance(run, PlaygroundRun):
        raise TypeError(f"The 'run' parameter of froze_dead must be a PlaygroundRun. Got {type(run).__name__} instead.")
    if not run.epoch:
        raise ValueError("The 'run' parameter of froze_dead must be trained for at least one epoch. Got epoch 0.")
    width = run.config.units
    return width in dead_units(run.model, run.X_train) and abs(run.history["train_loss"][-1] - math.log(2)) < tol
