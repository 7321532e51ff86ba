"""Exercise checks: one small check per task of ``exercises/07_exercises_moons_spirals.ipynb``.

Each check looks at what the learner's objects *do* (it evaluates their model on the data,
calls their function, runs their loss), never at the text of their code, and answers in one line:

- "not attempted yet" while the blanks are as shipped (the arguments are still ``None``);
- what is wrong, with numbers, for a wrong answer;
- a one-line confirmation for a right one.

Every check returns a :class:`CheckResult` (shown as that line in a notebook). None of them
changes the learner's objects: models keep their device, mode and weights. When the environment
variable ``COURSE_CHECK_REPORT`` names a file, each result is also appended to it as one JSON
line; ``python -m helpers.check`` uses that to grade a whole notebook.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from helpers._inputs import run_model
from helpers.data import make_spirals
from helpers.exercise_report import STATUS_MARKS, TASKS, record
from helpers.metrics import accuracy_fn

__all__ = ["CheckResult", "TASKS", "task_1", "task_2", "task_3", "task_4", "task_5", "task_6", "task_7"]

MOONS_TARGET = 96.0
SPIRALS_TARGET = 95.0
SPIRAL_CLASSES = 3


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one task's check: ``status`` is "passed", "failed" or "not attempted"."""

    task: int
    status: str
    message: str

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def __repr__(self) -> str:
        if self.status == "not attempted":
            return f"{STATUS_MARKS[self.status]} Task {self.task} not attempted yet: {self.message}"
        return f"{STATUS_MARKS[self.status]} Task {self.task} {self.status}: {self.message}"

    __str__ = __repr__


class _NotAttempted(Exception):
    pass


class _Wrong(Exception):
    pass


def _check(task: int):
    """Turn a function that returns a success message, or raises _Wrong/_NotAttempted, into a check."""
    def decorate(function):
        @functools.wraps(function)
        def check(*args, **kwargs) -> CheckResult:
            try:
                result = CheckResult(task, "passed", function(*args, **kwargs))
            except _NotAttempted as reason:
                result = CheckResult(task, "not attempted", str(reason) or "fill in the blanks of this task, then run its check cell again.")
            except _Wrong as reason:
                result = CheckResult(task, "failed", str(reason))
            except Exception as error:  # the learner's objects raised: that is an answer too
                result = CheckResult(task, "failed", f"checking your answer raised {type(error).__name__}: {error}")
            record(result.task, result.status, result.message)
            return result
        return check
    return decorate


# ----------------------------------------------------------------------------- reference data

@functools.lru_cache(maxsize=1)
def _moons_split():
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
    X = torch.from_numpy(X).type(torch.float32)
    y = torch.from_numpy(y).type(torch.float32)
    return tuple(train_test_split(X, y, test_size=0.2, random_state=42))


@functools.lru_cache(maxsize=1)
def _spirals_split():
    from sklearn.model_selection import train_test_split

    X, y = make_spirals()
    return tuple(train_test_split(X, y, test_size=0.2, random_state=42))


def moons_data():
    """The reference moons split: (X_train, X_test, y_train, y_test), copies the caller may change."""
    return tuple(t.clone() for t in _moons_split())


def spirals_data():
    """The reference spirals split: (X_train, X_test, y_train, y_test), copies the caller may change."""
    return tuple(t.clone() for t in _spirals_split())


# ----------------------------------------------------------------------------- shared checks

def _describe(value) -> str:
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {list(value.shape)} and dtype {value.dtype}"
    return f"a {type(value).__module__.split('.')[0]} {type(value).__name__}".replace("a builtins ", "a ")


def _blanks(names_and_values) -> None:
    """Not attempted if every value is None; wrong if only some are."""
    missing = [name for name, value in names_and_values if value is None]
    if len(missing) == len(names_and_values):
        raise _NotAttempted()
    if missing:
        raise _Wrong(f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} still None: fill in every blank of this task.")


def _check_split(names, values, reference, feature_dtype, label_dtype, recipe) -> None:
    for name, value in zip(names, values):
        if not isinstance(value, torch.Tensor):
            raise _Wrong(f"{name} is {_describe(value)}; it should be a torch tensor "
                         "(torch.from_numpy(array).type(...)).")
    for name, value, ref, dtype in zip(names, values, reference, (feature_dtype, feature_dtype, label_dtype, label_dtype)):
        if value.dtype != dtype:
            raise _Wrong(f"{name} has dtype {value.dtype}; it should be {dtype}.")
        if tuple(value.shape) != tuple(ref.shape):
            total = reference[0].shape[0] + reference[1].shape[0]
            what = "rows" if value.ndim else "elements"
            raise _Wrong(f"{name} has shape {list(value.shape)} ({value.shape[0] if value.ndim else 0} {what}); "
                         f"it should be {list(ref.shape)}: an 80/20 split of {total} samples has "
                         f"{reference[0].shape[0]} training and {reference[1].shape[0]} test samples.")
    for name, value, ref in zip(names, values, reference):
        if not torch.allclose(value.detach().cpu().to(ref.dtype), ref, atol=1e-6):
            raise _Wrong(f"{name} has the right shape but other values than {recipe}. "
                         "Check the noise and both random_state=42.")


def _check_module(model, name="model") -> nn.Module:
    if model is None:
        raise _NotAttempted()
    if not isinstance(model, nn.Module):
        raise _Wrong(f"{name} is {_describe(model)}, not a torch.nn.Module.")
    return model


def _outputs(model: nn.Module, X: torch.Tensor) -> torch.Tensor:
    """The model's outputs for X, on the CPU; the model keeps its device, mode and weights."""
    output = run_model(model, X)
    if not isinstance(output, torch.Tensor):
        raise _Wrong(f"the model returned {_describe(output)}, not a tensor of logits.")
    return output.detach().float().cpu()


def _binary_logits(model, X) -> torch.Tensor:
    logits = _outputs(model, X)
    if logits.shape in ((X.shape[0], 1), (X.shape[0],)):
        return logits.reshape(-1)
    raise _Wrong(f"for {X.shape[0]} samples the model returned shape {list(logits.shape)}; a binary "
                 f"classifier gives one logit per sample: [{X.shape[0]}, 1].")


def _is_affine(model, X) -> bool:
    """True if the model behaves like one linear function on points around the data."""
    generator = torch.Generator().manual_seed(0)
    lows, highs = X.min(dim=0).values - 1, X.max(dim=0).values + 1
    a = lows + (highs - lows) * torch.rand(256, X.shape[1], generator=generator)
    b = lows + (highs - lows) * torch.rand(256, X.shape[1], generator=generator)
    f_a, f_b, f_mid = (_outputs(model, points) for points in (a, b, (a + b) / 2))
    gap = (f_mid - (f_a + f_b) / 2).abs().max().item()
    scale = max(f_a.abs().max().item(), f_b.abs().max().item(), 1e-6)
    return gap <= 1e-4 * scale


def _parameters_covered(model: nn.Module, optimizer) -> None:
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise _Wrong(f"optimizer is {_describe(optimizer)}, not a torch.optim optimizer.")
    optimized = {id(p) for group in optimizer.param_groups for p in group["params"]}
    model_params = list(model.parameters())
    missing = sum(id(p) not in optimized for p in model_params)
    if missing:
        raise _Wrong(f"the optimizer does not update {missing} of the model's {len(model_params)} parameter "
                     "tensors: create it with params=model.parameters() of this model.")
    rates = [group.get("lr", 0) for group in optimizer.param_groups]
    if not all(isinstance(lr, (int, float)) and lr > 0 for lr in rates):
        raise _Wrong(f"the learning rate must be a positive number; got {rates}.")


def _accuracy(logits: torch.Tensor, y: torch.Tensor) -> float:
    preds = torch.round(torch.sigmoid(logits)) if logits.ndim == 1 else logits.argmax(dim=1)
    return accuracy_fn(y, preds)


# ----------------------------------------------------------------------------- the tasks

@_check(1)
def task_1(X_train, X_test, y_train, y_test):
    """Task 1: make_moons(1000, noise=0.03, random_state=42) as float32 tensors, split 80/20 with random_state=42."""
    names = ("X_train", "X_test", "y_train", "y_test")
    values = (X_train, X_test, y_train, y_test)
    _blanks(list(zip(names, values)))
    _check_split(names, values, _moons_split(), torch.float32, torch.float32,
                 "make_moons(n_samples=1000, noise=0.03, random_state=42) split with "
                 "train_test_split(test_size=0.2, random_state=42)")
    return "800 training and 200 test samples, float32 tensors, the same split as the reference."


@_check(2)
def task_2(model):
    """Task 2: an instance of your own nn.Module subclass, taking 2 features, giving 1 logit, non-linear."""
    model = _check_module(model)
    if type(model).__module__.startswith("torch."):
        raise _Wrong(f"model is a {type(model).__name__} from torch itself; the task asks for your own class "
                     "that subclasses nn.Module (class MoonModel(nn.Module): ...).")
    X_test = _moons_split()[1]
    _binary_logits(model, X_test)
    if not list(model.parameters()):
        raise _Wrong("the model has no parameters to train; build it from nn.Linear layers.")
    if _is_affine(model, X_test):
        raise _Wrong("the model is linear: its output at the midpoint of two inputs is always the average "
                     "of its outputs at them, so its decision boundary is a straight line and cannot follow "
                     "the moons. Put a non-linear activation such as nn.ReLU() between the layers.")
    n_params = sum(p.numel() for p in model.parameters())
    return f"a non-linear {type(model).__name__} with {n_params} parameters, one logit per sample."


@_check(3)
def task_3(model, loss_fn, optimizer):
    """Task 3: a binary-classification loss that takes logits, and an optimizer over the model's parameters."""
    if loss_fn is None and optimizer is None:
        raise _NotAttempted()
    _blanks([("loss_fn", loss_fn), ("optimizer", optimizer)])
    model = _check_module(model)
    if not callable(loss_fn):
        raise _Wrong(f"loss_fn is {_describe(loss_fn)}; it should be a loss such as nn.BCEWithLogitsLoss().")
    logits = torch.tensor([-2.0, 0.5, 3.0, -0.3])
    labels = torch.tensor([0.0, 1.0, 1.0, 1.0])
    expected = F.binary_cross_entropy_with_logits(logits, labels).item()
    try:
        got = loss_fn(logits.clone(), labels.clone())
    except Exception as error:
        if "between 0 and 1" in str(error):
            raise _Wrong("loss_fn expects probabilities (nn.BCELoss?), but the model outputs logits: "
                         "use nn.BCEWithLogitsLoss().") from None
        raise _Wrong(f"loss_fn(logits, labels) raised {type(error).__name__}: {error}") from None
    got = float(got)
    if not math.isclose(got, expected, rel_tol=1e-4, abs_tol=1e-6):
        raise _Wrong(f"on logits {logits.tolist()} with labels {labels.tolist()}, loss_fn gives {got:.4f}; "
                     f"binary cross-entropy on logits gives {expected:.4f}. Use nn.BCEWithLogitsLoss().")
    _parameters_covered(model, optimizer)
    return f"binary cross-entropy on logits, and {type(optimizer).__name__} over all the model's parameters."


@_check(4)
def task_4(model, y_logits, y_pred_probs, y_preds):
    """Task 4: untrained logits -> probabilities -> labels on X_test, then a model trained to over 96%."""
    if y_logits is None and y_pred_probs is None and y_preds is None:
        raise _NotAttempted()
    _blanks([("y_logits", y_logits), ("y_pred_probs", y_pred_probs), ("y_preds", y_preds)])
    model = _check_module(model)
    n_test = _moons_split()[1].shape[0]
    chain = {}
    for name, value in (("y_logits", y_logits), ("y_pred_probs", y_pred_probs), ("y_preds", y_preds)):
        if not isinstance(value, torch.Tensor):
            raise _Wrong(f"{name} is {_describe(value)}; it should be a tensor.")
        if value.numel() != n_test or value.squeeze().ndim != 1:
            raise _Wrong(f"{name} has shape {list(value.shape)}; it should hold one value for each of the "
                         f"{n_test} test samples.")
        chain[name] = value.detach().float().cpu().reshape(-1)
    if not torch.allclose(chain["y_pred_probs"], torch.sigmoid(chain["y_logits"]), atol=1e-5):
        raise _Wrong("y_pred_probs is not torch.sigmoid(y_logits).")
    if not torch.equal(chain["y_preds"], torch.round(chain["y_pred_probs"])):
        raise _Wrong("y_preds is not torch.round(y_pred_probs).")
    test_acc = _accuracy(_binary_logits(model, _moons_split()[1]), _moons_split()[3])
    if test_acc <= MOONS_TARGET:
        raise _Wrong(f"the model reaches {test_acc:.1f}% on the test set; the target is over {MOONS_TARGET:.0f}%. "
                     "Train longer, change the learning rate, or check the model is non-linear.")
    return f"logits -> probabilities -> labels are right, and the model reaches {test_acc:.1f}% test accuracy."


@_check(5)
def task_5(axes):
    """Task 5: two Axes from helpers.plot_decision_boundary, one for the training set, one for the test set."""
    if axes is None:
        raise _NotAttempted()
    from matplotlib.axes import Axes

    try:
        panels = list(axes.ravel()) if hasattr(axes, "ravel") else list(axes)
    except TypeError:
        raise _Wrong(f"axes is {_describe(axes)}; pass the two Axes you drew on (fig, axes = plt.subplots(1, 2)).") from None
    if len(panels) != 2 or not all(isinstance(ax, Axes) for ax in panels):
        raise _Wrong(f"axes should hold 2 matplotlib Axes (train and test); it holds {len(panels)} objects.")
    points = []
    for side, ax in zip(("left", "right"), panels):
        filled = [c for c in ax.get_children() if hasattr(c, "levels") and hasattr(c, "allsegs")]
        dots = [c for c in ax.collections
                if not hasattr(c, "levels") and hasattr(c, "get_offsets") and len(c.get_offsets())]
        if not filled or not dots:
            raise _Wrong(f"the {side} panel has no decision boundary: draw it with "
                         "helpers.plot_decision_boundary(model, X, y, ax=axes[i]).")
        if not ax.get_title():
            raise _Wrong(f"the {side} panel has no title: say which set it shows (title=...).")
        points.append(sum(len(c.get_offsets()) for c in dots))
    n_train, n_test = (t.shape[0] for t in _moons_split()[:2])
    if sorted(points) != sorted([n_train, n_test]):
        raise _Wrong(f"the panels show {points[0]} and {points[1]} points; one should show the {n_train} "
                     f"training samples and the other the {n_test} test samples.")
    return "decision boundaries drawn for the training set and the test set."


@_check(6)
def task_6(tanh):
    """Task 6: tanh written with torch operations, equal to torch.tanh over [-100, 100] without overflow."""
    if tanh is None:
        raise _NotAttempted()
    if not callable(tanh):
        raise _Wrong(f"tanh is {_describe(tanh)}; it should be a function of a tensor.")
    x = torch.linspace(-100, 100, 2001)
    x_given = x.clone()
    out = tanh(x_given)
    if out is None:
        raise _NotAttempted("your tanh returns None: write its body, then run its check cell again.")
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
        raise _Wrong(f"tanh returns {out[bad][0].item()} for {int(bad.sum())} inputs, first at x = {where[0].item():g} "
                     f"(|x| >= {where.abs().min().item():g}): e^x overflows float32 there (its largest value is about "
                     "3.4e38). Rewrite the formula so that it never takes e to a large positive power, "
                     "e.g. with e^(-2|x|).")
    gaps = (out - torch.tanh(x)).abs()
    worst = int(gaps.argmax())
    if gaps[worst] > 1e-5:
        raise _Wrong(f"the largest gap from torch.tanh is {gaps[worst].item():.3g}, at x = {x[worst].item():g} "
                     f"(yours {out[worst].item():.6g}, torch.tanh {torch.tanh(x[worst]).item():.6g}).")
    return f"matches torch.tanh within 1e-5 on [-100, 100] (largest gap {gaps.max().item():.1e}), no overflow."


@_check(7)
def task_7(model=None, loss_fn=None, optimizer=None, metric=None,
           X_train=None, X_test=None, y_train=None, y_test=None):
    """Task 7: spirals split 80/20, a 3-class model, a multi-class loss, Adam, a 3-class metric, over 95%."""
    values = dict(model=model, loss_fn=loss_fn, optimizer=optimizer, metric=metric,
                  X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test)
    _blanks(list(values.items()))
    names = ("X_train", "X_test", "y_train", "y_test")
    _check_split(names, [values[n] for n in names], _spirals_split(), torch.float32, torch.int64,
                 "helpers.make_spirals() split with train_test_split(test_size=0.2, random_state=42)")
    model = _check_module(model)
    X_ref_test, y_ref_test = _spirals_split()[1], _spirals_split()[3]
    logits = _outputs(model, X_ref_test)
    if logits.ndim != 2 or logits.shape[1] != SPIRAL_CLASSES:
        raise _Wrong(f"the model returns shape {list(logits.shape)}; the spirals have {SPIRAL_CLASSES} classes, "
                     f"so it should give {SPIRAL_CLASSES} logits per sample: [{X_ref_test.shape[0]}, {SPIRAL_CLASSES}].")
    sample_logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, -0.3], [-1.0, 0.0, 3.0]])
    sample_labels = torch.tensor([0, 2, 2])
    try:
        got = float(loss_fn(sample_logits.clone(), sample_labels.clone()))
    except Exception as error:
        raise _Wrong(f"loss_fn(logits, class_indices) raised {type(error).__name__}: {error}. "
                     "For several classes use nn.CrossEntropyLoss().") from None
    expected = F.cross_entropy(sample_logits, sample_labels).item()
    if not math.isclose(got, expected, rel_tol=1e-4):
        raise _Wrong(f"loss_fn gives {got:.4f} where multi-class cross-entropy gives {expected:.4f}: "
                     "use nn.CrossEntropyLoss().")
    _parameters_covered(model, optimizer)
    if not isinstance(optimizer, torch.optim.Adam):
        raise _Wrong(f"the optimizer is {type(optimizer).__name__}; the task asks for torch.optim.Adam.")
    n_classes = getattr(metric, "num_classes", None)
    if n_classes != SPIRAL_CLASSES:
        raise _Wrong(f"the metric is set up for num_classes={n_classes}; the spirals have {SPIRAL_CLASSES} "
                     "classes, so every metric needs num_classes=3.")
    test_acc = _accuracy(logits, y_ref_test)
    if test_acc <= SPIRALS_TARGET:
        raise _Wrong(f"the model reaches {test_acc:.1f}% on the test set; the target is over {SPIRALS_TARGET:.0f}%. "
                     "Train longer, add hidden units, or tune Adam's learning rate.")
    return f"3 classes throughout, Adam, and {test_acc:.1f}% test accuracy on the spirals."
