"""Short experiments on copies of the learner's model and optimizer.

From cheap to costly: one forward pass (outputs against what the loss expects, the loss at the
start, dead or saturated units), one backward pass (gradients missing, exploding, vanishing or
not finite), a learning-rate range test, and fitting one small batch. Each experiment adds
findings to the report and returns True when the doctor should stop there. Nothing here touches
the learner's objects: :mod:`helpers.doctor.copies` makes the copies, and
:func:`helpers.doctor.examine` keeps the random state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import nn

from helpers.doctor.copies import copy_model, copy_optimizer
from helpers.doctor.static import loss_input_problems
from helpers.doctor.task import BINARY, MULTICLASS, Task, align

_ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.ReLU6, nn.ELU, nn.GELU, nn.SiLU, nn.Sigmoid, nn.Tanh, nn.Softplus, nn.Mish)
_SATURATING = (nn.Sigmoid, nn.Tanh)
# Rules, with the measurements behind them in tests/doctor (healthy corpus, several seeds).
_LOSS_HIGH_FACTOR = 3.0  # a loss at the start above 3× chance's is "far off" (unscaled blobs reach 2×)
_LOSS_LOW_FACTOR = 0.5  # below half of chance's: the model already knows the answer
_DEAD_SHARE = 0.85  # a layer with nearly all its units dead (or saturated) from the start
_EXPLODING = 100.0  # |gradient| / |weight| of a layer above this
_VANISHING = 1e-4  # first layer's |gradient| / |weight| below this share of the last layer's
_RANGE_STEPS = 30
_RANGE_SAMPLES = 256
_RANGE_RISE = 0.1  # the learner's lr makes the loss rise by more than 10% in _RANGE_STEPS steps: too high
_RANGE_STILL = 0.03  # the learner's lr cuts the loss by less than 3% of what the best lr cuts ...
_RANGE_FACTOR = 1000  # ... and the best lr is at least 1000 times larger: too low (Adam's default 0.001 on the
# circles, 100 times below the best, learns in 1000 epochs: slow, not wrong; its verdict flipped with the seed at 30)
_RANGE_MOVES = 0.05  # when no lr cuts the loss by 5% in _RANGE_STEPS steps, the lr is not the question
_RANGE_WORKS = 0.3  # above the range, falling by less than half of a 30% fall elsewhere: too high (Adam lr 1)
_OPTIMIZER_STEPS = 1000  # the learner's optimizer gets this many steps on the batch (SGD 0.1 on circles
# sits on a plateau for hundreds), and stops early once the loss is down by _OPTIMIZER_MOVES
_OPTIMIZER_MOVES = 0.1
_OPTIMIZER_STILL = 0.02  # the learner's optimizer cuts the small batch's loss by less than 2%,
_AT_CHANCE = 0.97  # or keeps it within 3% of guessing's, where Adam fits the batch
_FIT_SAMPLES = 64
_FIT_STEPS = 400
_FIT_ACCURACY = 90.0
_KNOWN_GOOD_LR = 0.01


@dataclass
class Subject:
    """The learner's setup, as the experiments need it."""

    model: nn.Module
    loss_fn: object
    optimizer: torch.optim.Optimizer
    X: torch.Tensor
    y: torch.Tensor
    task: Task
    n_classes: int = 2
    initial_loss: float = math.nan
    notes: dict = field(default_factory=dict)

    def loss(self, clone, X, y):
        return self.loss_fn(align(self.task, clone(X), y), y)


def _name(model: nn.Module, module: nn.Module) -> str:
    for name, candidate in model.named_modules():
        if candidate is module:
            return f"{name} ({type(module).__name__})" if name else type(module).__name__
    return type(module).__name__


def _leaf_modules(model):
    return [m for m in model.modules() if not list(m.children())]


def _is_linear_only(model) -> bool:
    """Only Linear layers (and layers that change no shape of the function: dropout, flatten, identity)."""
    passive = (nn.Linear, nn.Dropout, nn.Flatten, nn.Identity, nn.Sequential)
    return all(isinstance(m, passive) for m in _leaf_modules(model)) and any(
        isinstance(m, nn.Linear) for m in model.modules()
    )


# --------------------------------------------------------------------------- forward
def first_forward(report, subject: Subject) -> bool:
    """One forward pass on a copy: outputs against the loss, the loss at the start, units."""
    clone = copy_model(subject.model)
    order, outputs_by_module = [], {}

    def record(module, inputs, output):
        if isinstance(output, torch.Tensor):
            order.append(module)
            outputs_by_module[module] = output.detach()

    handles = [m.register_forward_hook(record) for m in _leaf_modules(clone)]
    try:
        try:
            raw = clone(subject.X)
        except Exception as error:  # the learner's model fails on the learner's data
            report.problem(
                "model_error",
                f"The model raised an error on X ({list(subject.X.shape)}, {subject.X.dtype}): "
                f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}",
                "make the first layer's in_features equal to X.shape[1], and look at what goes in: X.shape, X.dtype.",
            )
            return True
    finally:
        for handle in handles:
            handle.remove()
    if not isinstance(raw, torch.Tensor):
        report.problem(
            "model_error",
            f"The model returned a {type(raw).__name__}, not a tensor of outputs.",
            "return the last layer's output from forward().",
        )
        return True

    if not torch.isfinite(raw).all():
        culprit = next((m for m in order if not torch.isfinite(outputs_by_module[m]).all()), None)
        where = (
            f"the first module that gives them is {_name(clone, culprit)}"
            if culprit is not None
            else "inside forward()"
        )
        report.problem(
            "nan_inf",
            f"The model's outputs hold NaN or infinite values before any training; {where}.",
            "look at that module's inputs and at any log, sqrt or division in forward(); keep values finite.",
        )
        return True

    outputs = align(subject.task, raw, subject.y)
    problems = loss_input_problems(subject.task, outputs, subject.y)
    for id_, message, fix in problems:
        report.problem(id_, message, fix)
    if problems:
        return True
    if subject.task.kind == MULTICLASS:
        subject.n_classes = int(raw.shape[1])
    if outputs.shape != raw.shape:  # a binary model's [N, 1], squeezed as the lessons' loops do
        report.passed(
            "outputs",
            f"Outputs {list(raw.shape)}, squeezed to {list(outputs.shape)} (the doctor did it, and your loop must "
            f"too: loss_fn(model(X).squeeze(1), y)), fit {subject.task.loss_name} and the labels "
            f"{list(subject.y.shape)}.",
        )
    else:
        report.passed(
            "outputs", f"Outputs {list(raw.shape)} fit {subject.task.loss_name} and the labels {list(subject.y.shape)}."
        )

    try:
        loss = subject.loss_fn(outputs, subject.y)
    except Exception as error:
        report.problem(
            "loss_error",
            f"The loss raised an error on the model's outputs {list(outputs.shape)} and the labels "
            f"{list(subject.y.shape)} ({subject.y.dtype}): {type(error).__name__}: {str(error).splitlines()[0]}",
            "give the loss what it expects: look at the shapes and dtypes of both.",
        )
        return True
    subject.initial_loss = float(loss.detach())
    if _check_initial_loss(report, subject, outputs) or _check_units(
        report, clone, order, outputs_by_module, subject.notes
    ):
        return True
    subject.notes["forward"] = (clone, loss)
    return False


def _check_initial_loss(report, subject: Subject, outputs) -> bool:
    chance = subject.task.chance_loss(subject.n_classes)
    if chance is None:
        return False
    loss = subject.initial_loss
    formula = "ln 2" if subject.task.kind == BINARY else f"ln {subject.n_classes}"
    if loss > _LOSS_HIGH_FACTOR * chance:
        size = float(outputs.detach().abs().mean())
        report.problem(
            "initial_loss",
            f"The loss at the start is {loss:.3f}; a model that has learned nothing and guesses evenly gets "
            f"{formula} = {chance:.3f}. It starts {loss / chance:.1f}× worse than guessing: its outputs are large "
            f"(mean |output| {size:.3g}) and confidently wrong.",
            "start from small outputs: keep PyTorch's default initialisation (do not scale the weights up), "
            "standardise the features, and do not reuse a model trained on something else.",
        )
        return True
    if loss < _LOSS_LOW_FACTOR * chance:
        accuracy = (
            float((subject.task.predict(outputs.detach()) == subject.task.labels(subject.y)).float().mean()) * 100
        )
        report.note(
            "pretrained",
            f"The loss at the start is {loss:.3f}, well below guessing's {formula} = {chance:.3f}, and the "
            f"accuracy is already {accuracy:.0f}%: this model has been trained before.",
            "to train from scratch, create the model again (after helpers.set_seed) and the optimizer after it.",
        )
        return False
    report.passed("initial_loss", f"Loss at the start {loss:.3f}, near guessing's {formula} = {chance:.3f}.")
    return False


def _check_units(report, clone, order, outputs_by_module, notes) -> bool:
    flagged = False
    for module in dict.fromkeys(order):
        if not isinstance(module, _ACTIVATIONS):
            continue
        out = outputs_by_module[module]
        if out.ndim != 2 or out.shape[1] < 2:
            continue
        where = f"the {out.shape[1]} units after {_name(clone, module)}"
        if isinstance(module, _SATURATING):
            extreme = (out < 0.01) | (out > 0.99) if isinstance(module, nn.Sigmoid) else out.abs() > 0.99
            share = float(extreme.float().mean())
            kind = "saturated_units"
            message = (
                f"{share:.0%} of the outputs of {where} are saturated from the start: stuck at the flat ends of "
                f"the {type(module).__name__.lower()} curve, where the gradient is about 0."
            )
        else:
            dead = (out <= 0).all(dim=0)
            share = float(dead.float().mean())
            if share >= 0.5:
                notes["dead"] = (
                    f"; {int(dead.sum())} of {where} are dead from the start (a narrow layer can lose most of its units to a bad draw: make it wider)"
                )
            kind = "dead_units"
            message = (
                f"{int(dead.sum())} of {where} are dead from the start: they output 0 for every sample, "
                "so they pass on nothing and get no gradient."
            )
        if share > _DEAD_SHARE:
            flagged = True
            report.problem(
                kind,
                message,
                "keep PyTorch's default initialisation (no large negative biases or scaled-up weights) and "
                "standardise the features.",
            )
    if not flagged:
        report.passed("units", "No layer starts with most of its units dead or saturated.")
    return flagged


# --------------------------------------------------------------------------- backward
def first_backward(report, subject: Subject) -> bool:
    """One backward pass on the copy: every trainable layer gets a finite, moderate gradient."""
    clone, loss = subject.notes.pop("forward")
    if not loss.requires_grad:
        report.problem(
            "no_gradient",
            "The loss has no gradient at all: the model's output is cut from its weights "
            "(a .detach(), torch.no_grad() or inference_mode inside forward(), or every parameter frozen).",
            "compute forward() with gradients on: no .detach() or torch.no_grad() inside it; requires_grad=True.",
        )
        return True
    loss.backward()
    missing, frozen, zero, nonfinite = [], [], [], []
    layers = []  # (name, grad norm, weight norm) of each weight matrix, in the model's order
    for module_name, module in clone.named_modules():
        for name, parameter in module.named_parameters(recurse=False):
            label = f"{module_name}.{name}" if module_name else name
            if not parameter.requires_grad:
                frozen.append(label)
            elif parameter.grad is None:
                missing.append(label)
            elif not torch.isfinite(parameter.grad).all():
                nonfinite.append(label)
            elif not parameter.grad.any():
                zero.append(label)
            elif parameter.ndim >= 2:
                layers.append((label, float(parameter.grad.norm()), float(parameter.detach().norm())))
    if nonfinite:
        report.problem(
            "nan_inf",
            f"The gradients of {', '.join(nonfinite[:4])} hold NaN or infinite values after one backward pass.",
            "look for a log, sqrt or division in forward() that meets 0 or a negative number; keep values finite.",
        )
        return True
    if frozen or missing or zero:
        parts = []
        if frozen:
            parts.append(f"frozen (requires_grad=False): {', '.join(frozen[:4])}")
        if missing:
            parts.append(
                f"no gradient at all (cut by a .detach() or torch.no_grad(), or unused): {', '.join(missing[:4])}"
            )
        if zero:
            parts.append(f"a gradient of exactly 0: {', '.join(zero[:4])}")
        report.problem(
            "no_gradient",
            f"Some parameters cannot learn: {'; '.join(parts)}.",
            "let every layer's output flow to the loss: no .detach() or torch.no_grad() in forward(), "
            "requires_grad=True on every parameter, every layer used.",
        )
        return True
    ratios = [(name, g / w if w > 0 else math.inf) for name, g, w in layers]
    if ratios:
        worst = max(ratios, key=lambda r: r[1])
        if worst[1] > _EXPLODING:
            report.problem(
                "exploding_gradients",
                f"The gradient of {worst[0]} is {worst[1]:.3g}× the size of its weights after one backward pass: "
                "one step would throw those weights far away.",
                "keep PyTorch's default initialisation, standardise the features, and if it remains, clip: "
                "torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0) before optimizer.step().",
            )
            return True
        first, last = ratios[0], ratios[-1]
        if len(ratios) >= 3 and last[1] > 0 and first[1] < _VANISHING * last[1]:
            report.problem(
                "vanishing_gradients",
                f"The gradients vanish on the way back: relative to its weights, the first layer ({first[0]}) gets "
                f"{first[1]:.2g}, the last ({last[0]}) {last[1]:.2g}, {last[1] / max(first[1], 1e-300):.2g}× more. "
                "The first layers will barely learn.",
                "use nn.ReLU between the layers instead of nn.Sigmoid/nn.Tanh, or fewer layers.",
            )
            return True
    report.passed("gradients", f"Every one of the {len(layers)} weight matrices gets a finite, moderate gradient.")
    return False


# --------------------------------------------------------------------------- learning rate
def _subset(X, y, n, seed):
    if X.shape[0] <= n:
        return X, y
    generator = torch.Generator().manual_seed(seed)
    index = torch.randperm(X.shape[0], generator=generator)[:n].to(X.device)
    return X[index], y[index]


def _train(subject: Subject, lr, X, y, steps, *, optimizer=None, stop_when_fit=False, stop_below=None):
    """Train a fresh copy for ``steps`` full-batch steps; returns (losses, clone)."""
    clone = copy_model(subject.model)
    if optimizer is None:
        optimizer = copy_optimizer(subject.optimizer, subject.model, clone, lr=lr, state=False)
    else:
        optimizer = optimizer(clone.parameters())
    if optimizer is None:
        return None, clone
    losses = []
    for step in range(steps):
        try:
            loss = subject.loss(clone, X, y)
        except Exception:  # the learner's loss refuses what training made of the outputs: a failed run
            losses.append(math.inf)
            break
        value = float(loss.detach())
        losses.append(value)
        if not math.isfinite(value):
            break
        if stop_when_fit and step % 10 == 0 and _fits(subject, clone, X, y, value, losses[0]):
            break
        if stop_below is not None and value < stop_below:
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    else:
        with torch.no_grad():
            try:
                losses.append(float(subject.loss(clone, X, y)))
            except Exception:
                losses.append(math.inf)
    return losses, clone


def _fits(subject, clone, X, y, loss, first_loss) -> bool:
    if subject.task.is_classification:
        return _accuracy(subject, clone, X, y) >= _FIT_ACCURACY
    return loss <= 0.1 * first_loss


def _accuracy(subject, clone, X, y) -> float:
    """Accuracy in eval mode (dropout off), as the lessons evaluate; the clone goes back to train mode."""
    clone.eval()
    try:
        with torch.no_grad():
            outputs = align(subject.task, clone(X), y)
    finally:
        clone.train()
    return float((subject.task.predict(outputs) == subject.task.labels(y)).float().mean()) * 100


def _lrs(optimizer):
    return sorted({float(group["lr"]) for group in optimizer.param_groups})


def learning_rate(report, subject: Subject) -> bool:
    """The size of one update against the weights, and a short range test on copies."""
    lrs = _lrs(subject.optimizer)
    if len(lrs) != 1:
        return False
    lr = lrs[0]
    X, y = _subset(subject.X, subject.y, _RANGE_SAMPLES, seed=1)
    ratio = _update_ratio(subject, X, y)
    grid = sorted({float(f"{s}e{k}") for k in range(-4, 2) for s in (1, 3)} | {lr})  # 0.3, not 0.30000000000000004
    results = {}
    subject.notes["range"] = results
    for candidate in grid:
        losses, _ = _train(subject, candidate, X, y, _RANGE_STEPS)
        if losses is None:
            return False
        start, end = losses[0], losses[-1]
        results[candidate] = (end - start) / start if math.isfinite(end) and start > 0 else math.inf
    # change of the loss after _RANGE_STEPS steps, as a share of the first loss: -0.5 = halved
    best_lr = min(results, key=results.get)
    best = results[best_lr]
    good = [c for c, change in results.items() if change <= 0.5 * best] if best < 0 else [best_lr]
    low, high = min(good), max(good)  # the rates that did at least half as well as the best
    # The rate to suggest: the one that lowered the loss most, but at least ten times below the smallest rate
    # that made it rise (the range test's usual margin: a short test cannot see that a rate just below that
    # edge still throws the weights too far later on; plain SGD at lr 3 on the circles does, after 100 steps).
    edge = min((c for c, change in results.items() if c > best_lr and change > _RANGE_RISE), default=None)
    safe = [c for c in results if c <= best_lr and (edge is None or c <= edge / 10 * (1 + 1e-9))]
    suggested = max(safe) if safe else min(results)
    mine = results[lr]
    suggestion = f"{low:g} to {high:g}" if low != high else f"about {low:g}"
    reason = "what lowered the loss fastest on a copy"
    if suggested < best_lr:
        reason = f"ten times below {edge:g}, the smallest rate that made the loss rise on a copy"
    advice = f"use a learning rate of about {suggested:g} with"  # the fix: one number, the one to try
    shown = sorted({lr, best_lr} | ({edge} if edge is not None else set()))  # yours, the best, the edge: in order
    numbers = (
        f"one step moves the weights by {ratio:.2g} of their size; in {_RANGE_STEPS} steps on a copy the loss "
        + ", ".join(f"{_change(results[c])} with lr={c:g}{' (yours)' if c == lr else ''}" for c in shown)
    )
    name = type(subject.optimizer).__name__
    calmer = [c for c, change in results.items() if c < lr and change <= 0]
    # too high: the loss rises, or, above the range, falls by less than half of what a smaller lr achieves (Adam lr 1)
    overshoots = (not math.isfinite(mine) or mine > _RANGE_RISE) and calmer
    below_best = lr > high and best < -_RANGE_WORKS and mine > 0.5 * best
    if overshoots or below_best:
        report.problem(
            "lr_too_high",
            f"The learning rate {lr:g} is too high: {numbers}.",
            f"{advice} {name} ({reason}).",
            values={"lr": suggested},
        )
        return True
    if mine > _RANGE_STILL * best and best < -_RANGE_MOVES and lr * _RANGE_FACTOR <= best_lr:
        report.problem(
            "lr_too_low",
            f"The learning rate {lr:g} is too low: {numbers}.",
            f"{advice} {name} ({reason}).",
            values={"lr": suggested},
        )
        return True
    if best > -_RANGE_MOVES:
        report.passed(
            "learning_rate",
            f"No learning rate from {grid[0]:g} to {grid[-1]:g} lowers the loss much in {_RANGE_STEPS} steps on a "
            f"copy (at best it {_change(best)}, with lr={best_lr:g}): the learning rate ({lr:g}) is not what holds "
            "this setup back.",
        )
        return False
    if low <= lr <= high:
        report.passed("learning_rate", f"Learning rate {lr:g} is in range ({suggestion}): {numbers}.")
    else:
        side, pace = ("above", "less steadily") if lr > high else ("below", "more slowly")
        report.passed(
            "learning_rate",
            f"Learning rate {lr:g} is {side} the range that lowered the loss fastest on a copy ({suggestion}) but "
            f"not far off: it learns, {pace}; {numbers}.",
        )
    return False


def _change(change: float) -> str:
    if not math.isfinite(change):
        return "became NaN or infinite"
    if change <= 0:
        return f"fell by {-change:.0%}"
    return f"rose by {change:.0%}"


def _update_ratio(subject: Subject, X, y) -> float:
    clone = copy_model(subject.model)
    optimizer = copy_optimizer(subject.optimizer, subject.model, clone)
    if optimizer is None:
        return math.nan
    before = [p.detach().clone() for p in clone.parameters()]
    loss = subject.loss(clone, X, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    ratios = [
        float((p.detach() - b).norm() / b.norm())
        for p, b in zip(clone.parameters(), before, strict=True)
        if b.ndim >= 2
    ]
    return max(ratios) if ratios else math.nan


# --------------------------------------------------------------------------- one small batch
def fit_one_batch(report, subject: Subject) -> bool:
    """Can the model fit a small batch? With a known-good optimizer, then with the learner's."""
    X, y = _subset(subject.X, subject.y, _FIT_SAMPLES, seed=2)
    adam = _known_good_optimizer
    losses, clone = _train(subject, None, X, y, _FIT_STEPS, optimizer=adam, stop_when_fit=True)
    fitted = _fits(subject, clone, X, y, losses[-1], losses[0])
    what = (
        f"{_accuracy(subject, clone, X, y):.0f}% accuracy"
        if subject.task.is_classification
        else f"loss {losses[0]:.3g} → {losses[-1]:.3g}"
    )
    if not fitted:
        if _is_linear_only(subject.model):
            report.problem(
                "linear_only",
                f"Your model can only draw straight lines: it has only Linear layers, and a stack of Linear layers "
                f"is one linear function. Even with Adam (lr {_KNOWN_GOOD_LR}) for {_FIT_STEPS} steps it reaches "
                f"only {what} on {len(X)} of your samples.",
                "put a non-linear activation between the layers: nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), "
                "nn.ReLU(), nn.Linear(10, 1).",
            )
        else:
            dead = subject.notes.get("dead", "")
            report.problem(
                "cannot_fit_batch",
                f"The model cannot fit {len(X)} of your samples: even with Adam (lr {_KNOWN_GOOD_LR}) for "
                f"{_FIT_STEPS} steps it reaches only {what}{dead}.",
                "give it more capacity (more units or layers, with activations between them), and check that the "
                "labels go with the features.",
            )
        return True
    n_steps = len(losses) - 1
    chance = subject.task.chance_loss(subject.n_classes)
    moved = (1 - _OPTIMIZER_MOVES) * min(losses[0], chance if chance is not None else math.inf)
    mine, _ = _train(subject, None, X, y, _OPTIMIZER_STEPS, stop_below=moved)
    if mine is not None:
        finite = [value for value in mine if math.isfinite(value)]
        my_drop = (mine[0] - min(finite)) / mine[0] if finite and mine[0] > 0 else 0.0
        at_chance = chance is not None and finite and min(finite) > _AT_CHANCE * min(mine[0], chance)
        if my_drop < _OPTIMIZER_STILL or at_chance:
            report.problem(
                "optimizer_cannot_fit",
                f"The model is fine but your optimizer is not: on {len(X)} samples, Adam (lr {_KNOWN_GOOD_LR}) "
                f"took the loss from {losses[0]:.3f} to {min(losses):.3f} in {n_steps} steps; your "
                f"{type(subject.optimizer).__name__} {_settings(subject.optimizer)} took it from {mine[0]:.3f} "
                f"to {mine[-1]:.3f} in {len(mine) - 1}.",
                "check the optimizer's settings (the learning rate, a large weight_decay, maximize=True), or use "
                f"torch.optim.Adam(params=model.parameters(), lr={_KNOWN_GOOD_LR}).",
            )
            return True
    when = f"with Adam in {n_steps} steps" if n_steps else "before any step: it has been trained before"
    report.passed("fit_one_batch", f"The model fits {len(X)} samples ({what} {when}).")
    return False


def _known_good_optimizer(params):
    return torch.optim.Adam(params, lr=_KNOWN_GOOD_LR)


def _settings(optimizer) -> str:
    defaults = {"momentum": 0, "dampening": 0, "weight_decay": 0, "nesterov": False, "maximize": False}
    shown = {
        k: v
        for k, v in optimizer.param_groups[0].items()
        if k in ("lr", "momentum", "weight_decay", "nesterov", "maximize", "betas") and defaults.get(k) != v
    }
    return "(" + ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in shown.items()) + ")"
