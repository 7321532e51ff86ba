"""Exercise checks: one small check per task (or step) of ``exercises/07_exercises_moons_spirals.ipynb``.

Each check looks at what the learner's objects *do*, never at the text of their code: it runs
their model on the test set, on fresh samples of the same generator and on the test rows in
another order; compares their predictions with their model's own outputs; compares their drawn
decision regions with their model's predictions; watches which torch operations their tanh calls.
It answers in one line (a :class:`CheckResult`), with one of four statuses:

- "not attempted" while the blanks are as shipped (``None``);
- "failed": what is off, with numbers, and how to fix it, never the expected answer itself;
- "passed": a one-line confirmation, saying what it could not check;
- "check error": the check itself broke; that is the course's fault, and it says so.

An exception raised by the learner's objects is their answer ("your model's forward raised ...");
any other exception is a "check error". No check changes the learner's objects (models keep their
device, mode and weights; tensors are copied) or its own reference data.

Also here, for the notebook: :func:`hint`, :func:`solution` (from ``helpers.exercise_hints``) and
:func:`grade` (from ``helpers.check``).
"""

from __future__ import annotations

import copy
import functools
import math
import os
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from helpers import grading
from helpers._inputs import model_device_and_dtype
from helpers.check import grade
from helpers.data import make_spirals
from helpers.exercise_hints import hint, solution
from helpers.grading import MOONS_FRESH_TARGET, MOONS_TARGET, SPIRAL_CLASSES, SPIRALS_FRESH_TARGET, SPIRALS_TARGET

__all__ = [
    "CheckResult",
    "grade",
    "hint",
    "solution",
    "moons_data",
    "spirals_data",
    "task_1",
    "task_2",
    "task_3",
    "task_4a",
    "task_4b",
    "task_4c",
    "task_5",
    "task_6",
    "task_7a",
    "task_7b",
    "task_7c",
    "task_7d",
    "task_7e",
]

#: Seeds of the fresh samples the accuracy checks add to the test set (never the exercise's 42).
FRESH_MOONS_SEED = 2024
FRESH_SPIRALS_SEED = 2024
#: Share of the pixels of a drawn decision region that must agree with the model's predictions.
REGION_AGREEMENT = 0.98


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: ``status`` is "passed", "failed", "not attempted" or "check error"."""

    task: str
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == grading.PASSED

    def __repr__(self) -> str:
        return grading.format_line(self.task, self.status, self.message)

    __str__ = __repr__


class _NotAttempted(Exception):
    pass


class _Wrong(Exception):
    pass


def _check(check_id: str):
    """Turn a function that returns a success message, or raises _Wrong/_NotAttempted, into a check."""

    def decorate(function):
        @functools.wraps(function)
        def check(*args, **kwargs) -> CheckResult:
            try:
                result = CheckResult(check_id, grading.PASSED, function(*args, **kwargs))
            except _NotAttempted as reason:
                result = CheckResult(
                    check_id,
                    grading.NOT_ATTEMPTED,
                    str(reason) or "fill in the blanks above, then run this check cell again.",
                )
            except _Wrong as reason:
                result = CheckResult(check_id, grading.FAILED, str(reason))
            except Exception as error:  # not the learner's: their objects' errors became _Wrong
                result = CheckResult(check_id, grading.CHECK_ERROR, f"{type(error).__name__}: {error}")
            grading.record(result.task, result.status, result.message)
            return result

        check.check_id = check_id
        return check

    return decorate


def _theirs(what: str, function, *args, **kwargs):
    """Call the learner's code; an exception it raises becomes their answer, said as theirs."""
    try:
        return function(*args, **kwargs)
    except (_Wrong, _NotAttempted):
        raise
    except Exception as error:
        raise _Wrong(f"{what} raised {type(error).__name__}: {error}") from None


# ----------------------------------------------------------------------------- reference data


def _frozen(*tensors):
    return tuple(t.requires_grad_(False) for t in tensors)


@functools.cache
def _moons(random_state: int = 42, split: bool = True):
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    X, y = make_moons(n_samples=1000, noise=0.03, random_state=random_state)
    X, y = torch.from_numpy(X).type(torch.float32), torch.from_numpy(y).type(torch.float32)
    return _frozen(*train_test_split(X, y, test_size=0.2, random_state=42)) if split else _frozen(X, y)


@functools.cache
def _spirals(seed: int = 42, split: bool = True):
    from sklearn.model_selection import train_test_split

    X, y = make_spirals(seed=seed)
    return _frozen(*train_test_split(X, y, test_size=0.2, random_state=42)) if split else _frozen(X, y)


def _copy(tensors):
    """Copies of cached reference tensors: what the learner's code is given, so it cannot change them."""
    return tuple(t.clone() for t in tensors)


def moons_data():
    """The reference moons split: (X_train, X_test, y_train, y_test), copies the caller may change."""
    return _copy(_moons())


def spirals_data():
    """The reference spirals split: (X_train, X_test, y_train, y_test), copies the caller may change."""
    return _copy(_spirals())


# ----------------------------------------------------------------------------- shared pieces


def _describe(value) -> str:
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {list(value.shape)} and dtype {value.dtype}"
    if isinstance(value, type):
        return f"the class {value.__name__} itself"
    return f"a {type(value).__module__.split('.')[0]} {type(value).__name__}".replace("a builtins ", "a ")


def _not_a_class(name: str, value, example: str) -> None:
    """A class assigned where an object is needed: say so, and how to create one."""
    if isinstance(value, type):
        raise _Wrong(
            f"{name} is the class {value.__name__} itself: you assigned the class, not an object "
            f"made from it. Create one by calling it: {example}."
        )


def _blanks(names_and_values) -> None:
    """Not attempted if every value is None; wrong if only some are."""
    missing = [name for name, value in names_and_values if value is None]
    if len(missing) == len(names_and_values):
        raise _NotAttempted()
    if missing:
        raise _Wrong(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} still None: fill in every blank of this step."
        )


def _check_split(names, values, reference, label_dtype, recipe) -> None:
    for name, value in zip(names, values):
        if not isinstance(value, torch.Tensor):
            raise _Wrong(
                f"{name} is {_describe(value)}; it should be a torch tensor (torch.from_numpy(array).type(...))."
            )
    for name, value, ref, dtype in zip(
        names, values, reference, (torch.float32, torch.float32, label_dtype, label_dtype)
    ):
        if value.dtype != dtype:
            raise _Wrong(f"{name} has dtype {value.dtype}; it should be {dtype}.")
        if tuple(value.shape) != tuple(ref.shape):
            total = reference[0].shape[0] + reference[1].shape[0]
            what = "rows" if value.ndim else "elements"
            raise _Wrong(
                f"{name} has shape {list(value.shape)} ({value.shape[0] if value.ndim else 0} {what}); "
                f"it should be {list(ref.shape)}: an 80/20 split of {total} samples has "
                f"{reference[0].shape[0]} training and {reference[1].shape[0]} test samples."
            )
    for name, value, ref in zip(names, values, reference):
        if not torch.allclose(value.detach().cpu().to(ref.dtype), ref, atol=1e-6):
            raise _Wrong(
                f"{name} has the right shape but other values than {recipe}. "
                "Check the arguments and both random_state=42."
            )


def _module(model, name: str, example: str) -> nn.Module:
    if model is None:
        raise _NotAttempted()
    _not_a_class(name, model, example)
    if not isinstance(model, nn.Module):
        raise _Wrong(f"{name} is {_describe(model)}, not a torch.nn.Module.")
    return model


def _forward(model: nn.Module, X: torch.Tensor, name: str = "model", grad: bool = False):
    """The model's output for a copy of X, as prediction (eval mode). The model keeps its device,
    train/eval modes and weights, even if its forward changes them; its errors are its own."""
    device, dtype = _theirs(f"listing {name}'s parameters", model_device_and_dtype, model)
    points = X.clone().to(device=device, dtype=dtype)
    modes = [(module, module.training) for module in model.modules()]
    state = {key: value.detach().clone() for key, value in model.state_dict().items()}
    model.eval()
    try:
        if grad:
            with torch.enable_grad():
                return _theirs(f"{name}'s forward", model, points)
        with torch.inference_mode():
            return _theirs(f"{name}'s forward", model, points)
    finally:
        for module, training in modes:
            module.training = training
        current = model.state_dict()
        if any(not torch.equal(current[key], value) for key, value in state.items() if key in current):
            with torch.no_grad():
                for key, value in state.items():
                    current[key].copy_(value)


def _outputs(model, X, name="model") -> torch.Tensor:
    output = _forward(model, X, name)
    if not isinstance(output, torch.Tensor):
        raise _Wrong(f"{name} returned {_describe(output)}, not a tensor of logits.")
    return output.detach().float().cpu().clone()


_SHAPE_ONLY = (
    "Squeeze",
    "Unsqueeze",
    "View",
    "Reshape",
    "Clone",
    "Flatten",
    "Permute",
    "T",
    "Transpose",
    "Contiguous",
    "Expand",
    "Select",
    "Slice",
    "ToCopy",
)


def _last_operation(model, X, name="model") -> str:
    """The name of the last operation of the model's forward that computes values ("SigmoidBackward0"),
    seen through reshaping operations (a squeeze after a sigmoid still ends in a sigmoid); "" if none."""
    if not any(p.requires_grad for p in model.parameters()):
        return ""
    output = _forward(model, X[:4], name, grad=True)
    node = getattr(output, "grad_fn", None)
    while node is not None and type(node).__name__.rstrip("0123456789").removesuffix("Backward") in _SHAPE_ONLY:
        node = next((f for f, _ in node.next_functions if f is not None), None)
    return type(node).__name__ if node is not None else ""


def _no_final_squash(model, X, name="model", n_classes=1) -> None:
    """Fail a model whose forward ends in a sigmoid or softmax: the course's models return logits."""
    last = _last_operation(model, X, name)
    squash = (
        "a sigmoid"
        if last.startswith("Sigmoid")
        else "a softmax"
        if last.startswith(("Softmax", "LogSoftmax"))
        else None
    )
    if squash:
        outputs = _outputs(model, X, name)
        loss = "nn.BCEWithLogitsLoss()" if n_classes == 1 else "nn.CrossEntropyLoss()"
        raise _Wrong(
            f"{name} ends in {squash}: its {outputs.numel()} outputs on the test set all lie between "
            f"{outputs.min().item():.3g} and {outputs.max().item():.3g}, probabilities rather than logits. "
            f"Return logits: remove the last activation from the model; {loss} applies it itself, "
            "in a numerically stable way, and you apply it yourself only to read predictions."
        )


def _binary_logits(model, X, name="model") -> torch.Tensor:
    logits = _outputs(model, X, name)
    if tuple(logits.shape) in ((X.shape[0], 1), (X.shape[0],)):
        return logits.reshape(-1)
    raise _Wrong(
        f"for {X.shape[0]} samples {name} returned shape {list(logits.shape)}; a binary "
        f"classifier gives one logit per sample: [{X.shape[0]}, 1]."
    )


def _class_logits(model, X, name) -> torch.Tensor:
    logits = _outputs(model, X, name)
    if logits.ndim != 2 or logits.shape != (X.shape[0], SPIRAL_CLASSES):
        raise _Wrong(
            f"{name} returns shape {list(logits.shape)} for {X.shape[0]} samples; the spirals have "
            f"{SPIRAL_CLASSES} classes, so it should give {SPIRAL_CLASSES} logits per sample: "
            f"[{X.shape[0]}, {SPIRAL_CLASSES}]."
        )
    return logits


def _is_affine(model, X, name) -> bool:
    """True if the model behaves like one linear function on points around the data."""
    generator = torch.Generator().manual_seed(0)
    lows, highs = X.min(dim=0).values - 1, X.max(dim=0).values + 1
    a = lows + (highs - lows) * torch.rand(256, X.shape[1], generator=generator)
    b = lows + (highs - lows) * torch.rand(256, X.shape[1], generator=generator)
    f_a, f_b, f_mid = (_outputs(model, points, name) for points in (a, b, (a + b) / 2))
    gap = (f_mid - (f_a + f_b) / 2).abs().max().item()
    scale = max(f_a.abs().max().item(), f_b.abs().max().item(), 1e-6)
    return gap <= 1e-4 * scale


def _parameters_covered(model: nn.Module, optimizer, name: str, example: str) -> None:
    if isinstance(optimizer, type):
        example = f"{name} = torch.optim.{optimizer.__name__}(params=...parameters(), lr=...)"
    _not_a_class(name, optimizer, example)
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise _Wrong(f"{name} is {_describe(optimizer)}, not a torch.optim optimizer.")
    optimized = {id(p) for group in optimizer.param_groups for p in group["params"]}
    model_params = list(model.parameters())
    missing = sum(id(p) not in optimized for p in model_params)
    if missing:
        raise _Wrong(
            f"{name} does not update {missing} of the model's {len(model_params)} parameter "
            "tensors: create it with params=model.parameters() of this model, after creating the model "
            "(a model created again afterwards has new parameters)."
        )
    rates = [group.get("lr", 0) for group in optimizer.param_groups]
    if not all(isinstance(lr, (int, float)) and not isinstance(lr, bool) and lr > 0 for lr in rates):
        raise _Wrong(f"the learning rate must be a positive number; got {rates}.")


def _labels(logits: torch.Tensor) -> torch.Tensor:
    """The course's one rule: sigmoid(logit) > 0.5 for binary, argmax for multi-class."""
    return (logits > 0).long() if logits.ndim == 1 else logits.argmax(dim=1)


def _percent(logits, y) -> float:
    return (_labels(logits) == y.long()).float().mean().item() * 100


def _generalises(model, name, split, fresh, target, fresh_target, logits_of, fresh_what) -> tuple[float, float]:
    """Accuracy over the target on the test set, on fresh samples, and predictions that follow the rows."""
    X_test, y_test = split[1], split[3]
    test_logits = logits_of(model, X_test, name)
    test_acc = _percent(test_logits, y_test)
    if test_acc <= target:
        raise _Wrong(
            f"{name} reaches {test_acc:.1f}% on the test set ({round(test_acc * len(y_test) / 100)} of "
            f"{len(y_test)} right); the target is over {target:.0f}%. Train for more epochs, change the "
            "learning rate, or give the model more hidden units."
        )
    order = torch.randperm(len(X_test), generator=torch.Generator().manual_seed(0))
    shuffled = _labels(logits_of(model, X_test[order], name))
    moved = int((shuffled != _labels(test_logits)[order]).sum())
    if moved:
        raise _Wrong(
            f"with the test rows in another order, {moved} of {name}'s {len(X_test)} predictions do not "
            "follow their rows: a prediction must depend on its own row only, not on where it sits in the "
            "batch nor on a stored copy of the test labels."
        )
    X_fresh, y_fresh = fresh
    fresh_acc = _percent(logits_of(model, X_fresh, name), y_fresh)
    if fresh_acc <= fresh_target:
        raise _Wrong(
            f"{name} reaches {test_acc:.1f}% on the test set but only {fresh_acc:.1f}% on {len(y_fresh)} "
            f"fresh samples of {fresh_what} (the bar there is over {fresh_target:.0f}%): it has learned "
            "the test rows rather than the shape of the data. Train on the training set only, and "
            "let the model learn the pattern: it should not store or look up rows."
        )
    return test_acc, fresh_acc


def _panels(axes, name):
    from matplotlib.axes import Axes

    if axes is None:
        raise _NotAttempted()
    if isinstance(axes, Axes):
        raise _Wrong(f"{name} is one Axes; pass both panels (fig, {name} = plt.subplots(1, 2)).")
    try:
        panels = list(np.asarray(axes, dtype=object).ravel())
    except Exception:
        raise _Wrong(
            f"{name} is {_describe(axes)}; pass the two Axes you drew on (fig, {name} = plt.subplots(1, 2))."
        ) from None
    if len(panels) != 2 or not all(isinstance(ax, Axes) for ax in panels):
        raise _Wrong(f"{name} should hold 2 matplotlib Axes (train and test); it holds {len(panels)} objects.")
    return panels


def _dots(ax) -> np.ndarray:
    """Every point scattered on the Axes (contour lines, also collections, are not points)."""
    from matplotlib.collections import PathCollection

    offsets = [
        np.asarray(c.get_offsets(), dtype=float)
        for c in ax.collections
        if isinstance(c, PathCollection) and not hasattr(c, "levels") and len(c.get_offsets())
    ]
    return np.concatenate(offsets) if offsets else np.zeros((0, 2))


def _same_points(dots: np.ndarray, X: torch.Tensor) -> bool:
    X = X.numpy().astype(float)
    if dots.shape != X.shape:
        return False
    a, b = dots[np.lexsort(dots.T[::-1])], X[np.lexsort(X.T[::-1])]
    return np.allclose(a, b, atol=1e-5)


def _check_boundaries(model, axes, model_name, axes_name, split, data_name, example) -> str:
    from helpers.decision import predict_classes
    from helpers.plotting import read_decision_regions

    panels = _panels(axes, axes_name)
    model = _module(model, model_name, example)
    X_train, X_test = split[0], split[1]
    shown = {}
    for side, ax in zip(("left", "right"), panels):
        regions = read_decision_regions(ax)
        if regions is None:
            raise _Wrong(
                f"the {side} panel has no decision regions: draw them with "
                f"helpers.plot_decision_boundary({model_name}, X, y, ax={axes_name}[i])."
            )
        dots = _dots(ax)
        which = "train" if _same_points(dots, X_train) else "test" if _same_points(dots, X_test) else None
        if which is None:
            raise _Wrong(
                f"the {side} panel shows {len(dots)} points that are neither the {len(X_train)} training "
                f"samples nor the {len(X_test)} test samples of the {data_name}: draw one panel with each."
            )
        if which in shown:
            raise _Wrong(
                f"both panels show the {which} set; one should show the training set and the other the test set."
            )
        title = ax.get_title()
        if not title:
            raise _Wrong(f"the {side} panel has no title: say which set it shows (title=...).")
        other = "test" if which == "train" else "train"
        if which not in title.lower() or other in title.lower():
            raise _Wrong(
                f"the {side} panel shows the {which} set, but its title is {title!r}: a reader goes by the "
                f"title, so name the set it shows there ({which!r}) and not the other."
            )
        xs, ys = np.asarray(regions.xs, dtype=np.float32), np.asarray(regions.ys, dtype=np.float32)
        grid = torch.from_numpy(np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2))
        predicted = _theirs(f"{model_name}'s forward", predict_classes, model, grid)
        drawn = np.asarray(regions.labels).reshape(-1)
        agree = float((np.asarray(predicted.labels).reshape(-1) == drawn).mean())
        if agree < REGION_AGREEMENT:
            raise _Wrong(
                f"the regions in the {side} panel agree with {model_name}'s predictions at only "
                f"{agree:.0%} of their {drawn.size} pixels (at least {REGION_AGREEMENT:.0%} expected): they "
                f"are not this model's. Draw them with helpers.plot_decision_boundary({model_name}, ...) "
                "after training, and run this check without changing the model in between."
            )
        shown[which] = agree
    return (
        f"the regions in both panels are your {model_name}'s predictions ({min(shown.values()):.1%} of their "
        "pixels agree), one panel for the training set and one for the test set."
    )


# ----------------------------------------------------------------------------- task 1


@_check("1")
def task_1(X_train, X_test, y_train, y_test):
    """Task 1: make_moons(1000, noise=0.03, random_state=42) as float32 tensors, split 80/20 with random_state=42."""
    names = ("X_train", "X_test", "y_train", "y_test")
    values = (X_train, X_test, y_train, y_test)
    _blanks(list(zip(names, values)))
    _check_split(
        names,
        values,
        _moons(),
        torch.float32,
        "make_moons(n_samples=1000, noise=0.03, random_state=42) split with "
        "train_test_split(test_size=0.2, random_state=42)",
    )
    return (
        "800 training and 200 test samples, float32 tensors, the same split as the reference. "
        "(Not checked: the printed shapes and the drawing.)"
    )


# ----------------------------------------------------------------------------- task 2


@_check("2")
def task_2(model):
    """Task 2: an instance of your own nn.Module subclass, taking 2 features, giving 1 logit, non-linear."""
    model = _module(model, "model", "model = MoonModel().to(device)")
    if type(model).__module__.startswith("torch."):
        raise _Wrong(
            f"model is a {type(model).__name__} from torch itself; the task asks for your own class "
            "that subclasses nn.Module (class MoonModel(nn.Module): ...)."
        )
    X_test = _moons()[1]
    _binary_logits(model, X_test)
    if not list(model.parameters()):
        raise _Wrong("the model has no parameters to train; build it from nn.Linear layers.")
    _no_final_squash(model, X_test)
    if _is_affine(model, X_test, "model"):
        raise _Wrong(
            "the model is linear: its output at the midpoint of two inputs is always the average "
            "of its outputs at them, so its decision boundary is a straight line and cannot follow "
            "the moons. Put a non-linear activation such as nn.ReLU() between the layers."
        )
    n_params = sum(p.numel() for p in model.parameters())
    return f"a non-linear {type(model).__name__} with {n_params} parameters, one logit per sample."


# ----------------------------------------------------------------------------- task 3


@_check("3")
def task_3(model, loss_fn, optimizer):
    """Task 3: a binary-classification loss that takes logits, and an optimizer over the model's parameters."""
    if loss_fn is None and optimizer is None:
        raise _NotAttempted()
    _blanks([("loss_fn", loss_fn), ("optimizer", optimizer)])
    model = _module(model, "model", "model = MoonModel().to(device)")
    _not_a_class("loss_fn", loss_fn, "loss_fn = nn.BCEWithLogitsLoss()")
    if not callable(loss_fn):
        raise _Wrong(f"loss_fn is {_describe(loss_fn)}; it should be a loss you can call: loss_fn(logits, labels).")
    _no_final_squash(model, _moons()[1])
    logits = torch.tensor([-2.0, 0.5, 3.0, -0.3])
    labels = torch.tensor([0.0, 1.0, 1.0, 1.0])
    expected = F.binary_cross_entropy_with_logits(logits, labels).item()
    try:
        got = loss_fn(logits.clone(), labels.clone())
    except Exception as error:
        if "between 0 and 1" in str(error):
            raise _Wrong(
                "loss_fn expects probabilities between 0 and 1 (as nn.BCELoss does), but your model "
                "returns logits, any real number: use nn.BCEWithLogitsLoss(), which takes logits."
            ) from None
        raise _Wrong(f"loss_fn(logits, labels) raised {type(error).__name__}: {error}") from None
    if not isinstance(got, torch.Tensor) or got.numel() != 1:
        raise _Wrong(f"loss_fn(logits, labels) returned {_describe(got)}; a loss returns one number (a 0-d tensor).")
    got = float(got)
    if not math.isclose(got, expected, rel_tol=1e-4, abs_tol=1e-6):
        raise _Wrong(
            f"on logits {logits.tolist()} with labels {labels.tolist()}, loss_fn gives {got:.4f}; "
            f"binary cross-entropy on logits gives {expected:.4f}. Which loss is made for two classes "
            "and takes logits?"
        )
    _parameters_covered(model, optimizer, "optimizer", "optimizer = torch.optim.SGD(params=model.parameters(), lr=0.1)")
    return f"binary cross-entropy on logits, and {type(optimizer).__name__} over all the model's parameters."


# ----------------------------------------------------------------------------- task 4


def _as_vector(name, value, n) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise _Wrong(f"{name} is {_describe(value)}; it should be a tensor.")
    if value.numel() != n or value.squeeze().ndim != 1:
        raise _Wrong(
            f"{name} has shape {list(value.shape)}; it should hold one value for each of the "
            f"{n} test samples (shape [{n}])."
        )
    return value.detach().float().cpu().reshape(-1)


@_check("4a")
def task_4a(model, y_logits, y_pred_probs, y_preds):
    """Step 4a: the untrained model's logits on X_test, then sigmoid -> probabilities, round -> labels."""
    names = ("y_logits", "y_pred_probs", "y_preds")
    values = (y_logits, y_pred_probs, y_preds)
    _blanks(list(zip(names, values)))
    model = _module(model, "model", "model = MoonModel().to(device)")
    X_test = _moons()[1]
    n = len(X_test)
    if isinstance(y_logits, torch.Tensor) and y_logits.requires_grad:
        raise _Wrong(
            "y_logits carry gradients (requires_grad=True): compute them under torch.inference_mode(), "
            "as predictions need no gradients."
        )
    logits, probs, preds = (_as_vector(name, value, n) for name, value in zip(names, values))
    _no_final_squash(model, X_test)
    own = _binary_logits(model, X_test)
    gap = (logits - own).abs().max().item()
    if gap > 1e-4 * max(1.0, own.abs().max().item()):
        raise _Wrong(
            f"y_logits are not your model's outputs on X_test (largest difference {gap:.3g}). Compute them "
            "with the model on X_test in that cell. If you have trained the model since, run that cell "
            "again, then this check."
        )
    if not torch.allclose(probs, torch.sigmoid(logits), atol=1e-5):
        worst = int((probs - torch.sigmoid(logits)).abs().argmax())
        raise _Wrong(
            f"y_pred_probs are not the sigmoid of y_logits: for the test sample {worst}, the logit "
            f"{logits[worst].item():.4f} gives y_pred_probs {probs[worst].item():.4f}. A probability "
            "is the sigmoid of its logit."
        )
    if not torch.equal(preds, torch.round(probs)):
        wrong = int((preds != torch.round(probs)).sum())
        raise _Wrong(
            f"y_preds is not the rounding of y_pred_probs for {wrong} of {n} samples: a probability over "
            "0.5 is class 1, under it class 0."
        )
    return (
        "logits -> probabilities -> labels, from your model's own outputs on X_test. "
        "(Not checked: that the model was still untrained, and in eval mode.)"
    )


def _same_number(value, actual: float, tolerance: float) -> bool:
    number = float(value)
    return abs(number - actual) <= tolerance or abs(number * 100 - actual) <= tolerance


@_check("4b")
def task_4b(model, loss_fn, test_loss, test_acc):
    """Step 4b: the loop's last test loss and test accuracy are those of the model on the test set."""
    if test_loss is None and test_acc is None:
        raise _NotAttempted()
    _blanks([("test_loss", test_loss), ("test_acc", test_acc)])
    model = _module(model, "model", "model = MoonModel().to(device)")
    for name, value in (("test_loss", test_loss), ("test_acc", test_acc)):
        if (
            not isinstance(value, (int, float, torch.Tensor, np.number))
            or isinstance(value, bool)
            or (isinstance(value, torch.Tensor) and value.numel() != 1)
        ):
            raise _Wrong(
                f"{name} is {_describe(value)}; it should be one number, the last epoch's {name.replace('_', ' ')}."
            )
    _no_final_squash(model, _moons()[1])
    _, X_test, _, y_test = _moons()
    logits = _binary_logits(model, X_test)
    acc = _percent(logits, y_test)
    if not _same_number(test_acc, acc, 1.0):
        raise _Wrong(
            f"your loop's last test_acc is {float(test_acc):.4g}, but the model is right on {acc:.1f}% of the "
            "test set now. Compute the test accuracy from the labels of the test logits "
            "(sigmoid, then round) against y_test, in the test pass after the training step."
        )
    loss = _theirs("loss_fn", loss_fn, logits.clone(), y_test.clone())
    expected = float(loss)
    # Tight: the loop's last test pass ran on this very model, so the numbers agree to rounding.
    # (A loose bar let a test loss computed on the training set, or a typed-in 0, pass once the
    # model had converged.)
    if not math.isclose(float(test_loss), expected, rel_tol=1e-3, abs_tol=1e-5):
        raise _Wrong(
            f"your loop's last test_loss is {float(test_loss):.4g}, but loss_fn on the model's test logits "
            f"gives {expected:.4g} now: compute it on the test set, with the test pass after the training step."
        )
    return (
        f"the loop's last test loss ({expected:.4f}) and test accuracy ({acc:.1f}%) are the model's. "
        "(Not checked: the printing every 10 epochs, and model.train()/model.eval() in the loop.)"
    )


@_check("4c")
def task_4c(model):
    """Step 4c: over 96% accuracy on the test set, on fresh moons, and predictions that follow their rows."""
    model = _module(model, "model", "model = MoonModel().to(device)")
    _no_final_squash(model, _moons()[1])
    test_acc, fresh_acc = _generalises(
        model,
        "model",
        _moons(),
        _moons(FRESH_MOONS_SEED, split=False),
        MOONS_TARGET,
        MOONS_FRESH_TARGET,
        _binary_logits,
        "the same generator (make_moons with another random_state)",
    )
    return f"{test_acc:.1f}% on the test set and {fresh_acc:.1f}% on 1000 fresh moons."


# ----------------------------------------------------------------------------- task 5


@_check("5")
def task_5(model, axes):
    """Task 5: two Axes from helpers.plot_decision_boundary of this model: the training set and the test set."""
    if axes is None:
        raise _NotAttempted()
    return _check_boundaries(model, axes, "model", "axes", _moons(), "moons", "model = MoonModel().to(device)")


# ----------------------------------------------------------------------------- task 6

_BANNED = {"tanh", "tanh_", "tanh_backward", "tan", "tan_"}
_LEAVES_TORCH = {"numpy", "tolist", "item", "__array__"}


def _watching(function, x):
    """Call function(x), noting which torch operations it runs (aten level: aliases resolve to one name)."""
    from torch.overrides import TorchFunctionMode
    from torch.utils._python_dispatch import TorchDispatchMode

    seen = set()

    class Dispatch(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            seen.add(func.overloadpacket.__name__)
            return func(*args, **(kwargs or {}))

    class Functions(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            seen.add(getattr(func, "__name__", ""))
            return func(*args, **(kwargs or {}))

    with Functions(), Dispatch():
        out = _theirs("your tanh", function, x)
    return out, seen


@_check("6")
def task_6(tanh):
    """Task 6: tanh written with torch operations (no tanh), equal to torch.tanh over [-100, 100] without overflow."""
    if tanh is None:
        raise _NotAttempted()
    _not_a_class("tanh", tanh, "def tanh(x): ...")
    if not callable(tanh):
        raise _Wrong(f"tanh is {_describe(tanh)}; it should be a function of a tensor.")
    x = torch.linspace(-100, 100, 2001)
    x_given = x.clone()
    out, seen = _watching(tanh, x_given)
    if out is None:
        raise _NotAttempted("your tanh returns None: write its body, then run this check cell again.")
    if seen & _BANNED:
        raise _Wrong(
            "your tanh calls PyTorch's own tanh (torch.tanh, x.tanh(), F.tanh, nn.Tanh and "
            "F.tanhshrink all do, and tan of an imaginary number is tanh in disguise): the task is to "
            "build it from exponentials. Start from tanh(x) = (e^x - e^-x) / (e^x + e^-x)."
        )
    if seen & _LEAVES_TORCH:
        raise _Wrong(
            f"your tanh leaves PyTorch ({', '.join(sorted(seen & _LEAVES_TORCH))} turns the tensor into "
            "Python or NumPy values): write it with torch operations on the tensor."
        )
    if not isinstance(out, torch.Tensor):
        raise _Wrong(f"tanh(x) returned {_describe(out)}; it should return a tensor.")
    if not torch.equal(x_given, x):
        raise _Wrong("tanh changed its input tensor in place; compute a new tensor instead.")
    if out.shape != x.shape:
        raise _Wrong(f"for an input of shape {list(x.shape)} tanh returned shape {list(out.shape)}.")
    out = out.detach().float().cpu()
    bad = ~torch.isfinite(out)
    if bad.any():
        where = x[bad]
        raise _Wrong(
            f"tanh returns {out[bad][0].item()} for {int(bad.sum())} inputs, first at x = {where[0].item():g} "
            f"(|x| >= {where.abs().min().item():g}): e^x overflows float32 there (its largest value is about "
            "3.4e38), and infinity over infinity is nan. Rewrite the formula so that it never takes e to a "
            "large positive power."
        )
    # The grid above, then points no one can know in advance, in a 2-d shape: a function that
    # recognises the grid and returns stored values fails on them.
    unknown = (
        torch.rand(37, 3, generator=torch.Generator().manual_seed(int.from_bytes(os.urandom(4), "little"))) * 200 - 100
    ) * torch.tensor([1.0, 0.05, 0.001])
    for points, values in ((x, out), (unknown, None)):
        if values is None:
            values, seen = _watching(tanh, points.clone())
            if seen & _BANNED or not isinstance(values, torch.Tensor) or values.shape != points.shape:
                raise _Wrong(
                    f"tanh works on the grid [-100, 100] but not on other tensors: for an input of shape "
                    f"{list(points.shape)} it returns {_describe(values)}. A function of x must compute "
                    "from x, whatever its values and shape."
                )
            values = values.detach().float().cpu()
        gaps = (values - torch.tanh(points)).abs().nan_to_num(nan=float("inf")).reshape(-1)
        worst = int(gaps.argmax())
        if gaps[worst] > 1e-5:
            flat = points.reshape(-1)
            raise _Wrong(
                f"the largest gap from torch.tanh is {gaps[worst].item():.3g}, at x = {flat[worst].item():g} "
                f"(yours {values.reshape(-1)[worst].item():.6g})."
            )
    return (
        "matches torch.tanh within 1e-5 on [-100, 100] and on random inputs, no overflow, no tanh. "
        "(Not checked: your comparison and your plot.)"
    )


# ----------------------------------------------------------------------------- task 7

_SPIRAL_NAMES = ("X_spiral_train", "X_spiral_test", "y_spiral_train", "y_spiral_test")


@_check("7a")
def task_7a(X_spiral_train, X_spiral_test, y_spiral_train, y_spiral_test):
    """Step 7a: helpers.make_spirals() split 80/20 with random_state=42."""
    values = (X_spiral_train, X_spiral_test, y_spiral_train, y_spiral_test)
    _blanks(list(zip(_SPIRAL_NAMES, values)))
    _check_split(
        _SPIRAL_NAMES,
        values,
        _spirals(),
        torch.int64,
        "helpers.make_spirals() split with train_test_split(test_size=0.2, random_state=42)",
    )
    return (
        "240 training and 60 test samples, float32 features and int64 labels, the reference split. "
        "(Not checked: the drawing.)"
    )


@_check("7b")
def task_7b(spiral_model):
    """Step 7b: a non-linear model with one logit per class (3)."""
    model = _module(spiral_model, "spiral_model", "spiral_model = SpiralModel().to(device)")
    X_test = _spirals()[1]
    _class_logits(model, X_test, "spiral_model")
    if not list(model.parameters()):
        raise _Wrong("spiral_model has no parameters to train; build it from nn.Linear layers.")
    _no_final_squash(model, X_test, "spiral_model", SPIRAL_CLASSES)
    if _is_affine(model, X_test, "spiral_model"):
        raise _Wrong(
            "spiral_model is linear, so it can only cut the plane with straight lines, and the spirals "
            "wind around each other. Put a non-linear activation such as nn.ReLU() between the layers."
        )
    n_params = sum(p.numel() for p in model.parameters())
    return f"a non-linear {type(model).__name__} with {n_params} parameters and {SPIRAL_CLASSES} logits per sample."


@_check("7c")
def task_7c(spiral_model, spiral_loss_fn, spiral_optimizer, spiral_accuracy):
    """Step 7c: a multi-class loss on logits and class indices, Adam over the model, a 3-class metric."""
    values = dict(spiral_loss_fn=spiral_loss_fn, spiral_optimizer=spiral_optimizer, spiral_accuracy=spiral_accuracy)
    _blanks(list(values.items()))
    model = _module(spiral_model, "spiral_model", "spiral_model = SpiralModel().to(device)")
    _not_a_class("spiral_loss_fn", spiral_loss_fn, "spiral_loss_fn = nn.CrossEntropyLoss()")
    if not callable(spiral_loss_fn):
        raise _Wrong(f"spiral_loss_fn is {_describe(spiral_loss_fn)}; it should be a loss you can call.")
    sample_logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, -0.3], [-1.0, 0.0, 3.0]])
    sample_labels = torch.tensor([0, 2, 2])
    try:
        got = float(spiral_loss_fn(sample_logits.clone(), sample_labels.clone()))
    except Exception as error:
        raise _Wrong(
            f"spiral_loss_fn(logits of 3 classes, class indices) raised {type(error).__name__}: {error}. "
            "Which loss takes one logit per class and the class index of each sample?"
        ) from None
    expected = F.cross_entropy(sample_logits, sample_labels).item()
    if not math.isclose(got, expected, rel_tol=1e-4):
        raise _Wrong(
            f"spiral_loss_fn gives {got:.4f} on 3 samples where multi-class cross-entropy gives {expected:.4f}."
        )
    _parameters_covered(
        model,
        spiral_optimizer,
        "spiral_optimizer",
        "spiral_optimizer = torch.optim.Adam(params=spiral_model.parameters(), lr=0.02)",
    )
    if not isinstance(spiral_optimizer, torch.optim.Adam):
        raise _Wrong(f"spiral_optimizer is {type(spiral_optimizer).__name__}; the task asks for torch.optim.Adam.")
    _not_a_class("spiral_accuracy", spiral_accuracy, "spiral_accuracy = MulticlassAccuracy(num_classes=3)")
    from torchmetrics import Metric

    if not isinstance(spiral_accuracy, Metric):
        raise _Wrong(
            f"spiral_accuracy is {_describe(spiral_accuracy)}; the task asks for a torchmetrics metric, "
            "e.g. from torchmetrics.classification."
        )
    n_classes = getattr(spiral_accuracy, "num_classes", None)
    if n_classes != SPIRAL_CLASSES:
        raise _Wrong(
            f"spiral_accuracy is set up for num_classes={n_classes}; the spirals have {SPIRAL_CLASSES} "
            "classes, and a metric needs the right count (torchmetrics' MulticlassAccuracy(num_classes=...))."
        )
    trial = copy.deepcopy(spiral_accuracy).cpu()  # a copy: calling a metric changes its running state
    trial.reset()
    value = _theirs(
        "spiral_accuracy(predicted labels, labels)", trial, torch.tensor([0, 2, 2, 1]), torch.tensor([0, 2, 1, 1])
    )
    if not isinstance(value, torch.Tensor) or value.numel() != 1 or not 0.0 <= float(value) <= 1.0:
        raise _Wrong(
            f"spiral_accuracy(predicted labels, labels) gives {_describe(value)}; an accuracy is one number "
            "between 0 and 1."
        )
    return f"cross-entropy over {SPIRAL_CLASSES} classes, Adam over all of spiral_model's parameters, a {SPIRAL_CLASSES}-class metric."


@_check("7d")
def task_7d(spiral_model):
    """Step 7d: over 95% accuracy on the test set, on fresh spirals, and predictions that follow their rows."""
    model = _module(spiral_model, "spiral_model", "spiral_model = SpiralModel().to(device)")
    _class_logits(model, _spirals()[1], "spiral_model")
    test_acc, fresh_acc = _generalises(
        model,
        "spiral_model",
        _spirals(),
        _spirals(FRESH_SPIRALS_SEED, split=False),
        SPIRALS_TARGET,
        SPIRALS_FRESH_TARGET,
        _class_logits,
        "the same generator (helpers.make_spirals with another seed)",
    )
    return (
        f"{test_acc:.1f}% on the test set and {fresh_acc:.1f}% on 300 fresh spiral points. "
        '(Not checked: "within 1000 epochs"; the model cannot tell how long it trained.)'
    )


@_check("7e")
def task_7e(spiral_model, axes):
    """Step 7e: two Axes from helpers.plot_decision_boundary of spiral_model: training set and test set."""
    if axes is None:
        raise _NotAttempted()
    return _check_boundaries(
        spiral_model, axes, "spiral_model", "axes", _spirals(), "spirals", "spiral_model = SpiralModel().to(device)"
    )
