"""The exercise's checks: one per task or step of ``exercises/09_exercises_moons_spirals.ipynb``,
named ``task_<id>`` after its entry in ``helpers.check.table``.

Each check looks at what the learner's objects *do*, never at the text of their code: it runs
their model on the test set, on fresh samples of the same generator and on the test rows in
another order; compares their predictions with their model's own outputs; compares the decision
regions their plot computed with their model's predictions; watches which torch operations their
tanh calls. It answers in one line (``helpers.check.framework.CheckResult``), with one of four
statuses:

- "not attempted" while the blanks are as shipped (``None``);
- "failed": what is off, with numbers, and how to fix it, never the expected answer itself (a
  training step below its target says the cause measured on the learner's objects:
  ``helpers.check.diagnosis``, which asks the training doctor; a blank left None by a cell that
  raised says so: ``helpers.check.cells``);
- "passed": a one-line confirmation, saying what it could not check;
- "check error": the check itself broke; that is the course's fault, and it says so.

No check changes the learner's objects (models keep their device, mode and weights; tensors are
copied) or its own reference data (``helpers.check.reference``).
"""

from __future__ import annotations

import copy
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

from helpers.check import cells, reference
from helpers.check.diagnosis import squash_in_loop, why_training_failed
from helpers.check.framework import NotAttempted, Wrong, blanks, check, describe, last_status, not_a_class, theirs
from helpers.check.probes import (
    BANNED,
    LEAVES_TORCH,
    SAFE_SQUASHES,
    a_network,
    as_module,
    as_vector,
    binary_logits,
    check_boundaries,
    check_split,
    class_logits,
    generalises,
    how_far,
    is_affine,
    no_final_activation,
    no_final_squash,
    outputs,
    parameters_covered,
    percent,
    same_number,
    watching,
    weights_meet_the_input,
)
from helpers.check.table import SPIRAL_CLASSES, TASKS
from helpers.decision import labels_from_logits

__all__ = [f"task_{check_id}" for check_id in TASKS]


@check("1")
def task_1(X_train, X_test, y_train, y_test):
    """Task 1: make_moons(1000, noise=0.03, random_state=42) as float32 tensors, split 80/20 with random_state=42.

    Args:
        X_train, X_test, y_train, y_test: your split of the moons.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    names = ("X_train", "X_test", "y_train", "y_test")
    values = (X_train, X_test, y_train, y_test)
    blanks(list(zip(names, values)))
    check_split(
        names,
        values,
        reference.split("moons"),
        torch.float32,
        "make_moons(n_samples=1000, noise=0.03, random_state=42) split with "
        "train_test_split(test_size=0.2, random_state=42)",
    )
    return (
        "{} training and {} test samples, float32 tensors, the same split as the reference. ".format(
            *reference.size("moons")
        )
        + "(Not checked: the printed shapes and the drawing.)"
    )


# ----------------------------------------------------------------------------- task 2

#: What a linear model is told, by task 2 / step 7b, and by 4c / 7d when it trained but stays low
#: (more epochs cannot bend a straight boundary: the probe goes before the doctor's advice).
_LINEAR_MOONS = (
    "{name} is linear: its output at the midpoint of two inputs is always the average "
    "of its outputs at them, so its decision boundary is a straight line and cannot follow "
    "the moons. Put a non-linear activation such as nn.ReLU() between the layers."
)
_LINEAR_SPIRALS = (
    "spiral_model is linear, so it can only cut the plane with straight lines, and the spirals "
    "wind around each other. Put a non-linear activation such as nn.ReLU() between the layers."
)


def _why_low(model, name, X, linear_message, doctor):
    """Why a trained model stays under its target: a linear model first (no training fixes it), else
    the training doctor's diagnosis.

    Args:
        model, name: the learner's model and its name.
        X: points around the data, for the linearity probe.
        linear_message: what a linear model is told.
        doctor: a function of no argument giving the doctor's diagnosis.

    Returns:
        The sentence that follows the accuracy in the failure message.
    """
    values = outputs(model, X, name)
    # A constant output (every ReLU dead after a diverged step) is affine too, but no missing activation.
    if (values.max() - values.min()).item() > 1e-6 and is_affine(model, X, name):
        return linear_message + " More epochs cannot help a linear model."
    return doctor()


@check("2")
def task_2(model):
    """Task 2: an instance of your own nn.Module subclass, taking 2 features, giving 1 logit, non-linear.

    Args:
        model: your model.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    model = as_module(model, "model", "model = MoonModel().to(device)")
    if type(model).__module__.startswith("torch."):
        raise Wrong(
            f"model is a {type(model).__name__} from torch itself; the task asks for your own class "
            "that subclasses nn.Module (class MoonModel(nn.Module): ...)."
        )
    X_train, X_test = reference.split("moons")[:2]
    binary_logits(model, X_test)
    a_network(model, "model", X_train)
    no_final_squash(model, X_test)
    no_final_activation(model, X_test)
    if is_affine(model, X_test, "model"):
        raise Wrong(_LINEAR_MOONS.format(name="the model"))
    weights_meet_the_input(model, X_test, "model")
    n_params = sum(p.numel() for p in model.parameters())
    return f"a non-linear {type(model).__name__} with {n_params} parameters, one logit per sample."


# ----------------------------------------------------------------------------- task 3


@check("3")
def task_3(model, loss_fn, optimizer):
    """Task 3: a binary-classification loss that takes logits, and an optimizer over the model's parameters.

    Args:
        model: your model (the optimizer must update its parameters).
        loss_fn, optimizer: yours.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    blanks([("loss_fn", loss_fn), ("optimizer", optimizer)])
    model = as_module(model, "model", "model = MoonModel().to(device)")
    not_a_class("loss_fn", loss_fn, "loss_fn = nn.BCEWithLogitsLoss()")
    if not callable(loss_fn):
        raise Wrong(f"loss_fn is {describe(loss_fn)}; it should be a loss you can call: loss_fn(logits, labels).")
    no_final_squash(model, reference.split("moons")[1])
    logits = torch.tensor([-2.0, 0.5, 3.0, -0.3])
    labels = torch.tensor([0.0, 1.0, 1.0, 1.0])
    expected = F.binary_cross_entropy_with_logits(logits, labels).item()
    try:
        got = loss_fn(logits.clone(), labels.clone())
    except Exception as error:
        if "between 0 and 1" in str(error):
            raise Wrong(
                "loss_fn expects probabilities between 0 and 1 (as nn.BCELoss does), but your model "
                "returns logits, any real number. Which binary loss of lesson 01 takes logits and applies the sigmoid "
                "itself?"
            ) from None
        raise Wrong(f"loss_fn(logits, labels) raised {type(error).__name__}: {error}") from None
    if not isinstance(got, torch.Tensor) or got.numel() != 1:
        raise Wrong(f"loss_fn(logits, labels) returned {describe(got)}; a loss returns one number (a 0-d tensor).")
    got = float(got)
    if not math.isclose(got, expected, rel_tol=1e-4, abs_tol=1e-6):
        raise Wrong(
            f"on logits {logits.tolist()} with labels {labels.tolist()}, loss_fn gives {got:.4f}; "
            f"binary cross-entropy on logits gives {expected:.4f}. Which loss is made for two classes "
            "and takes logits?"
        )
    parameters_covered(model, optimizer, "optimizer", "optimizer = torch.optim.SGD(params=model.parameters(), lr=...)")
    return f"binary cross-entropy on logits, and {type(optimizer).__name__} over all the model's parameters."


# ----------------------------------------------------------------------------- task 4


@check("4a")
def task_4a(model, y_logits, y_pred_probs, y_preds):
    """Step 4a: the untrained model's logits on X_test, then sigmoid -> probabilities, round -> labels.

    Args:
        model: your model.
        y_logits, y_pred_probs, y_preds: what you computed from it on X_test.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    names = ("y_logits", "y_pred_probs", "y_preds")
    values = (y_logits, y_pred_probs, y_preds)
    blanks(list(zip(names, values)))
    model = as_module(model, "model", "model = MoonModel().to(device)")
    X_test = reference.split("moons")[1]
    n = len(X_test)
    if isinstance(y_logits, torch.Tensor) and y_logits.requires_grad:
        raise Wrong(
            "y_logits carry gradients (requires_grad=True): compute them under torch.inference_mode(), "
            "as predictions need no gradients."
        )
    if isinstance(y_logits, torch.Tensor) and tuple(y_logits.shape) == (n, 1):
        raise Wrong(
            f"y_logits has shape [{n}, 1], the model's own output shape; the step asks for one logit per sample, "
            f"shape [{n}]: squeeze the last dimension (.squeeze(1)), as the training loop must do before the loss."
        )
    logits, probs, preds = (as_vector(name, value, n) for name, value in zip(names, values))
    no_final_squash(model, X_test)
    own = binary_logits(model, X_test)
    gap = (logits - own).abs().max().item()
    if gap > 1e-4 * max(1.0, own.abs().max().item()):
        raise Wrong(
            f"y_logits are not your model's outputs on X_test (largest difference {gap:.3g}). Compute them "
            "with the model on X_test in that cell. If you have trained the model since, run that cell "
            "again, then this check."
        )
    if not torch.allclose(probs, torch.sigmoid(logits), atol=1e-5):
        worst = int((probs - torch.sigmoid(logits)).abs().argmax())
        raise Wrong(
            f"y_pred_probs are not the sigmoid of y_logits: for the test sample {worst}, the logit "
            f"{logits[worst].item():.4f} gives y_pred_probs {probs[worst].item():.4f}. A probability "
            "is the sigmoid of its logit."
        )
    if not torch.equal(preds, torch.round(probs)):
        wrong = int((preds != torch.round(probs)).sum())
        raise Wrong(
            f"y_preds is not the rounding of y_pred_probs for {wrong} of {n} samples: a probability over "
            "0.5 is class 1, under it class 0."
        )
    return (
        "logits -> probabilities -> labels, from your model's own outputs on X_test. "
        "(Not checked: that the model was still untrained, and in eval mode.)"
    )


def _loop_raised() -> None:
    """Raises Wrong when the cell run before this check raised: the loop stopped at the epoch it reached.

    Raises:
        Wrong: with the error, so that the learner fixes it before reading any number.
    """
    error = cells.last_cell_error()
    if error:
        raise Wrong(
            f"the cell you ran before this check raised {error}, so your loop stopped in the epoch it had reached "
            "and these are that epoch's numbers. Fix that error first (the traceback above points at the line), "
            "run the cell again, then this check."
        )


def _task_1_note() -> str:
    """A sentence for 4b's failures when task 1's check failed: X_test and y_test may be another split."""
    if last_status("1") != "failed":
        return ""
    return (
        " But first: task 1's check failed, so your X_test and y_test may not be the reference split, and then no "
        "loop computes the numbers this check expects. Fix task 1, then run tasks 2 to 4 again."
    )


@check("4b")
def task_4b(model, loss_fn, test_loss, test_acc):
    """Step 4b: the loop's last test loss and test accuracy are those of the model on the test set.

    Args:
        model, loss_fn: yours, after the loop.
        test_loss, test_acc: the loop's last test loss and test accuracy (percent).

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    if test_loss is None and test_acc is None:
        raise NotAttempted(
            "test_loss and test_acc are still None: fill in the blanks above, and run the loop with epochs above "
            "0 (the loop sets them in its test pass)."
        )
    blanks([("test_loss", test_loss), ("test_acc", test_acc)])
    _loop_raised()
    model = as_module(model, "model", "model = MoonModel().to(device)")
    for name, value in (("test_loss", test_loss), ("test_acc", test_acc)):
        if (
            not isinstance(value, (int, float, torch.Tensor, np.number))
            or isinstance(value, bool)
            or (isinstance(value, torch.Tensor) and value.numel() != 1)
        ):
            raise Wrong(
                f"{name} is {describe(value)}; it should be one number, the last epoch's {name.replace('_', ' ')}."
            )
    no_final_squash(model, reference.split("moons")[1])
    X_train, X_test, y_train, y_test = reference.split("moons")
    logits = binary_logits(model, X_test)
    acc = percent(logits, y_test)
    train_logits = binary_logits(model, X_train)
    train_acc = percent(train_logits, y_train)
    # One test sample is 0.5%; a sample with its logit at 0 may round either way on another device.
    tolerance = (0.5 + int((logits.abs() < 1e-4).sum())) * 100 / len(y_test)
    if not same_number(test_acc, acc, tolerance) and same_number(test_acc, train_acc, 100 / len(y_train) / 2):
        raise Wrong(
            f"your loop's last test_acc is {float(test_acc):.4g}: the model's accuracy on the training set "
            f"({train_acc:.2f}% of {len(y_train)}), not on the test set ({how_far(test_acc, acc)} away from it). "
            "Compute test_acc in the test pass from the test logits against y_test." + _task_1_note()
        )
    if not same_number(test_acc, acc, tolerance):
        raise Wrong(
            f"your loop's last test_acc is {float(test_acc):.4g}, {how_far(test_acc, acc)} away from the model's "
            "accuracy on the test set now. Compute the test accuracy from the labels of the test logits "
            "(sigmoid, then round) against y_test, in the test pass after the training step." + _task_1_note()
        )
    loss = theirs("loss_fn", loss_fn, logits.clone(), y_test.clone())
    expected = float(loss)
    train_loss = float(theirs("loss_fn", loss_fn, train_logits.clone(), y_train.clone()))
    # Tight: the loop's last test pass ran on this very model (test_task_4b_shortcuts_of_a_converged_model).
    if not math.isclose(float(test_loss), expected, rel_tol=1e-3, abs_tol=1e-5):
        squashed = float(theirs("loss_fn", loss_fn, torch.sigmoid(logits), y_test.clone()))
        if math.isclose(float(test_loss), squashed, rel_tol=1e-3, abs_tol=1e-5):
            raise Wrong(
                f"your loop's last test_loss is {float(test_loss):.4g}: loss_fn on the sigmoid of the test logits, "
                f"not on the logits ({how_far(test_loss, expected, True)} away from that). {type(loss_fn).__name__} "
                "applies the sigmoid itself: give it the raw logits, and use the sigmoid only to read predictions "
                "(the same goes for the training step)."
            )
        if math.isclose(float(test_loss), train_loss, rel_tol=1e-3, abs_tol=1e-5):
            raise Wrong(
                f"your loop's last test_loss is {float(test_loss):.4g}: loss_fn on the training set "
                f"({train_loss:.4g}), not on the test set ({how_far(test_loss, expected, True)} away from it). "
                "Compute it in the test pass "
                "from the model's logits on X_test against y_test." + _task_1_note()
            )
        raise Wrong(
            f"your loop's last test_loss is {float(test_loss):.4g}, {how_far(test_loss, expected, True)} away from "
            "loss_fn on the model's test logits now: compute it on the test set, with the test pass after the "
            "training step." + _task_1_note()
        )
    return (
        f"the loop's last test loss ({expected:.4f}) and test accuracy ({acc:.1f}%) are the model's. "
        "(Not checked: the printing every 10 epochs, model.train()/model.eval() in the loop, and that the "
        "loop trained on X_train only: training on the test rows cannot be seen in these numbers"
        + (
            f"; nor which set test_acc came from, as the model scores {acc:.1f}% on both"
            if same_number(acc, train_acc, 100 / len(y_train) / 2)
            else ""
        )
        + ".)"
    )


@check("4c")
def task_4c(model, loss_fn=None, optimizer=None, X_train=None, y_train=None):
    """Step 4c: over 96% accuracy on the test set, on fresh moons, and predictions that follow their rows.

    Args:
        model: your trained model.
        loss_fn, optimizer, X_train, y_train: yours; when the accuracy is too low, the training
            doctor examines them (on copies) to say why.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    model = as_module(model, "model", "model = MoonModel().to(device)")
    binary_logits(model, reference.split("moons")[1])
    a_network(model, "model", reference.split("moons")[0])
    no_final_squash(model, reference.split("moons")[1])
    no_final_activation(model, reference.split("moons")[1])
    weights_meet_the_input(model, reference.split("moons")[1], "model")
    test_acc, fresh_acc = generalises(
        model,
        "model",
        reference.split("moons"),
        reference.fresh("moons"),
        TASKS["4c"].target,
        binary_logits,
        "the same generator (make_moons with another random_state)",
        why_low=lambda: _why_low(
            model,
            "model",
            reference.split("moons")[1],
            _LINEAR_MOONS.format(name="The model"),
            lambda: why_training_failed(model, loss_fn, optimizer, X_train, y_train),
        ),
    )
    slip = squash_in_loop(model, loss_fn, optimizer, X_train, y_train)
    if slip:
        raise Wrong(f"model reaches {test_acc:.1f}% on the test set, but {slip}")
    return (
        f"{test_acc:.1f}% on the test set and {fresh_acc:.1f}% on {len(reference.fresh('moons')[1])} fresh moons. "
        "(Not checked: that the model never trained on the test rows, nor that it computes rather than looks "
        "up stored rows through its weights; fresh moons show it learned the shape. Nor that your loop calls "
        "zero_grad every step: a loop without it can still reach the target; helpers.doctor.watch sees it.)"
    )


# ----------------------------------------------------------------------------- task 5


@check("5")
def task_5(model, axes):
    """Task 5: two Axes from helpers.plot_decision_boundary of this model: the training set and the test set.

    Args:
        model: your trained model.
        axes: the two Axes you drew on (train, test).

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    return check_boundaries(
        model, axes, "model", "axes", reference.split("moons"), "moons", "model = MoonModel().to(device)"
    )


# ----------------------------------------------------------------------------- task 6


@check("6")
def task_6(tanh):
    """Task 6: tanh written with torch operations (no tanh), equal to torch.tanh over [-100, 100] without overflow.

    Args:
        tanh: your function of a tensor.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    if tanh is None:
        raise NotAttempted()
    not_a_class("tanh", tanh, "def tanh(x): ...")
    if not callable(tanh):
        raise Wrong(f"tanh is {describe(tanh)}; it should be a function of a tensor.")
    x = torch.linspace(-100, 100, 2001)
    x_given = x.clone()
    out, seen = watching(tanh, x_given)
    if out is None:
        raise NotAttempted("your tanh returns None: write its body, then run this check cell again.")
    if seen & BANNED:
        raise Wrong(
            "your tanh calls PyTorch's own tanh (torch.tanh, x.tanh(), F.tanh, nn.Tanh and "
            "F.tanhshrink all do, and tan of an imaginary number is tanh in disguise): the task is to "
            "build it from exponentials. Start from tanh(x) = (e^x - e^-x) / (e^x + e^-x)."
        )
    if seen & SAFE_SQUASHES:
        raise Wrong(
            f"your tanh calls {', '.join(sorted(seen & SAFE_SQUASHES))}: 2 * sigmoid(2x) - 1 is tanh indeed, but "
            "torch's sigmoid (and softplus, log-sigmoid, softmax, logaddexp, logsumexp) already avoid the overflow "
            "for you, and that "
            "is what this task is about. Build tanh from torch.exp yourself, in a form that never takes e to a "
            "large positive power."
        )
    if seen & LEAVES_TORCH:
        raise Wrong(
            f"your tanh leaves PyTorch ({', '.join(sorted(seen & LEAVES_TORCH))} turns the tensor into "
            "Python or NumPy values, or runs a Python function on each element): write it with torch "
            "operations on the whole tensor (torch.exp)."
        )
    if "stored table" in seen:
        raise Wrong(
            "your tanh reads a tensor of more than 64 numbers it did not compute from x: values "
            "looked up in a table made beforehand, not computed. Compute tanh from x itself with torch.exp."
        )
    if not isinstance(out, torch.Tensor):
        raise Wrong(f"tanh(x) returned {describe(out)}; it should return a tensor.")
    if not torch.equal(x_given, x):
        raise Wrong("tanh changed its input tensor in place; compute a new tensor instead.")
    if out.shape != x.shape:
        raise Wrong(f"for an input of shape {list(x.shape)} tanh returned shape {list(out.shape)}.")
    out = out.detach().float().cpu()
    bad = ~torch.isfinite(out)
    if bad.any():
        where = x[bad]
        raise Wrong(
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
    # Far beyond the grid: computing in float64 only moves e^x's overflow from |x| > 88 to |x| > 709.
    # Far out, and near 0 (the grid holds no exact 0, and its points nearest 0 are 0.1 apart): fixed values,
    # so that a function wrong only near 0 fails every time, not by the luck of the random inputs.
    far = torch.tensor(
        [-1e4, -1000.0, -750.0, -1e-2, -1e-3, -1e-4, -5e-5, 0.0, -0.0, 5e-5, 1e-4, 1e-3, 1e-2, 750.0, 1000.0, 1e4]
    )
    for points, values in ((x, out), (unknown, None), (far, None)):
        if values is None:
            values, seen = watching(tanh, points.clone())
            if "stored table" in seen:
                raise Wrong(
                    "your tanh reads a large tensor it did not compute from x: values looked up in a table "
                    "made beforehand, not computed. Compute tanh from x itself with torch.exp."
                )
            if seen & BANNED or not isinstance(values, torch.Tensor) or values.shape != points.shape:
                raise Wrong(
                    f"tanh works on the grid [-100, 100] but not on other tensors: for an input of shape "
                    f"{list(points.shape)} it returns {describe(values)}. A function of x must compute "
                    "from x, whatever its values and shape."
                )
            values = values.detach().float().cpu()
        gaps = (values - torch.tanh(points)).abs().nan_to_num(nan=float("inf")).reshape(-1)
        worst = int(gaps.argmax())
        if gaps[worst] > 1e-5:
            flat = points.reshape(-1)
            if "float64" in seen and not torch.isfinite(values.reshape(-1)[worst]):
                raise Wrong(
                    f"your tanh computes in float64 (x.double() or the like), and returns "
                    f"{values.reshape(-1)[worst].item()} at x = {flat[worst].item():g}: float64 only moves the "
                    "overflow of e^x from |x| > 88 to |x| > 709, it does not remove it. Rewrite the formula so "
                    "that it never takes e to a large positive power, in float32."
                )
            raise Wrong(
                f"the largest gap from torch.tanh is {gaps[worst].item():.3g}, at x = {flat[worst].item():g} "
                f"(yours {values.reshape(-1)[worst].item():.6g})."
            )
    _finite_gradient(tanh)
    return (
        "matches torch.tanh within 1e-5 on [-100, 100], on random inputs and out to ±10000, no overflow, no tanh, "
        "and its gradient is finite on [-100, 100]. (Not checked: your comparison and your plot.)"
    )


def _finite_gradient(tanh) -> None:
    """Raises Wrong when tanh's gradient is not finite on [-100, 100]: an intermediate overflowed.

    A value patched after an overflow (torch.where, nan_to_num, a division by inf) comes out right,
    but backward multiplies by the inf and gives nan, which training would spread into every weight.

    Args:
        tanh: the learner's function, whose values already passed.

    Raises:
        Wrong: a nan or inf in the gradient.
    """
    x = torch.cat([torch.linspace(-100, 100, 2001), torch.zeros(1)]).requires_grad_()  # the grid holds no exact 0
    try:
        out = tanh(x)
    except Exception as error:
        raise Wrong(
            f"tanh raised {type(error).__name__} on an input that requires gradients ({error}): as an activation it "
            "gets such inputs. Compute a new tensor from x (no in-place changes to x)."
        ) from None
    grad = None
    if isinstance(out, torch.Tensor) and out.requires_grad:
        (grad,) = torch.autograd.grad(out.sum(), x, allow_unused=True)
    if grad is None:
        raise Wrong(
            "tanh's values are right, but no gradient flows through it: its result is not computed from x with "
            "gradients (torch.no_grad(), x.detach() or a copy of x cut the link). As an activation, backward must "
            "run through it: compute the result from x itself."
        )
    bad = ~torch.isfinite(grad.detach())
    if bad.any():
        where = x.detach()[bad]
        raise Wrong(
            f"tanh's values are right, but its gradient is {grad[bad][0].item()} at {int(bad.sum())} of the inputs, "
            f"first at x = {where[0].item():g} (|x| >= {where.abs().min().item():g}): an intermediate overflowed "
            "(e^x is inf past |x| = 88.7, e^2x past 44.4), and although the value came out right, the backward "
            "pass multiplies by that inf and gives nan, which a network using this activation would spread into "
            "every weight. Compute only e to a power that is 0 or negative, such as e^(-2|x|)."
        )


# ----------------------------------------------------------------------------- task 7

_SPIRAL_NAMES = ("X_spiral_train", "X_spiral_test", "y_spiral_train", "y_spiral_test")


@check("7a")
def task_7a(X_spiral_train, X_spiral_test, y_spiral_train, y_spiral_test):
    """Step 7a: helpers.make_spirals() split 80/20 with random_state=42.

    Args:
        X_spiral_train, X_spiral_test, y_spiral_train, y_spiral_test: your split of the spirals.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    values = (X_spiral_train, X_spiral_test, y_spiral_train, y_spiral_test)
    blanks(list(zip(_SPIRAL_NAMES, values)))
    check_split(
        _SPIRAL_NAMES,
        values,
        reference.split("spirals"),
        torch.int64,
        "helpers.make_spirals() split with train_test_split(test_size=0.2, random_state=42)",
    )
    return (
        "{} training and {} test samples, float32 features and int64 labels, the reference split. ".format(
            *reference.size("spirals")
        )
        + "(Not checked: the drawing.)"
    )


@check("7b")
def task_7b(spiral_model):
    """Step 7b: a non-linear model with one logit per class (3).

    Args:
        spiral_model: your model.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    model = as_module(spiral_model, "spiral_model", "spiral_model = SpiralModel().to(device)")
    X_train, X_test = reference.split("spirals")[:2]
    class_logits(model, X_test, "spiral_model")
    a_network(model, "spiral_model", X_train)
    no_final_squash(model, X_test, "spiral_model", SPIRAL_CLASSES)
    no_final_activation(model, X_test, "spiral_model")
    if is_affine(model, X_test, "spiral_model"):
        raise Wrong(_LINEAR_SPIRALS)
    n_params = sum(p.numel() for p in model.parameters())
    return f"a non-linear {type(model).__name__} with {n_params} parameters and {SPIRAL_CLASSES} logits per sample."


@check("7c")
def task_7c(spiral_model, spiral_loss_fn, spiral_optimizer, spiral_accuracy):
    """Step 7c: a multi-class loss on logits and class indices, Adam over the model, a 3-class accuracy.

    Args:
        spiral_model: your model.
        spiral_loss_fn, spiral_optimizer, spiral_accuracy: yours.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    values = dict(spiral_loss_fn=spiral_loss_fn, spiral_optimizer=spiral_optimizer, spiral_accuracy=spiral_accuracy)
    blanks(list(values.items()))
    model = as_module(spiral_model, "spiral_model", "spiral_model = SpiralModel().to(device)")
    not_a_class("spiral_loss_fn", spiral_loss_fn, "spiral_loss_fn = nn.CrossEntropyLoss()")
    if not callable(spiral_loss_fn):
        raise Wrong(f"spiral_loss_fn is {describe(spiral_loss_fn)}; it should be a loss you can call.")
    sample_logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, -0.3], [-1.0, 0.0, 3.0]])
    sample_labels = torch.tensor([0, 2, 2])
    try:
        got = float(spiral_loss_fn(sample_logits.clone(), sample_labels.clone()))
    except Exception as error:
        raise Wrong(
            f"spiral_loss_fn(logits of 3 classes, class indices) raised {type(error).__name__}: {error}. "
            "Which loss takes one logit per class and the class index of each sample?"
        ) from None
    expected = F.cross_entropy(sample_logits, sample_labels).item()
    if not math.isclose(got, expected, rel_tol=1e-4):
        raise Wrong(
            f"spiral_loss_fn gives {got:.4f} on 3 samples where multi-class cross-entropy gives {expected:.4f}"
            + (
                ": it treats the logits as log-probabilities (as nn.NLLLoss does, which expects log_softmax's "
                "output). Which loss takes raw logits, one per class, and applies the softmax itself?"
                if math.isclose(got, F.nll_loss(sample_logits, sample_labels).item(), rel_tol=1e-4)
                else "."
            )
        )
    parameters_covered(
        model,
        spiral_optimizer,
        "spiral_optimizer",
        "spiral_optimizer = torch.optim.Adam(params=spiral_model.parameters(), lr=...)",
    )
    if not isinstance(spiral_optimizer, torch.optim.Adam):
        raise Wrong(f"spiral_optimizer is {type(spiral_optimizer).__name__}; the task asks for torch.optim.Adam.")
    not_a_class("spiral_accuracy", spiral_accuracy, "spiral_accuracy = MulticlassAccuracy(num_classes=3)")
    from torchmetrics import Metric  # here: importing torchmetrics takes ~2 s, and only step 7c needs it

    if not isinstance(spiral_accuracy, Metric):
        raise Wrong(
            f"spiral_accuracy is {describe(spiral_accuracy)}; the task asks for a torchmetrics metric, "
            "e.g. from torchmetrics.classification."
        )
    n_classes = getattr(spiral_accuracy, "num_classes", None)
    if n_classes != SPIRAL_CLASSES:
        raise Wrong(
            f"spiral_accuracy is set up for num_classes={n_classes}; the spirals have {SPIRAL_CLASSES} "
            "classes, and a metric needs the right count (torchmetrics' MulticlassAccuracy(num_classes=...))."
        )
    from torchmetrics.classification import MulticlassAccuracy  # here: as Metric above

    if not isinstance(spiral_accuracy, MulticlassAccuracy):
        raise Wrong(
            f"spiral_accuracy is torchmetrics' {type(spiral_accuracy).__name__}, not an accuracy: the task asks "
            "for the share of right labels (F1, precision and recall weigh the mistakes otherwise). Use "
            "torchmetrics' accuracy for several classes."
        )
    trial = copy.deepcopy(spiral_accuracy).cpu()  # a copy: calling a metric changes its running state
    trial.reset()
    value = theirs(
        "spiral_accuracy(predicted labels, labels)", trial, torch.tensor([0, 2, 2, 1]), torch.tensor([0, 2, 1, 1])
    )
    if not isinstance(value, torch.Tensor) or value.numel() != 1 or not 0.0 <= float(value) <= 1.0:
        raise Wrong(
            f"spiral_accuracy(predicted labels, labels) gives {describe(value)}; an accuracy is one number "
            "between 0 and 1."
        )
    if not math.isclose(float(value), 0.75, abs_tol=1e-6):
        raise Wrong(
            f"spiral_accuracy gives {float(value):.3f} for 4 samples of which 3 are right: it averages over the "
            f"classes (average={getattr(spiral_accuracy, 'average', '?')!r}; torchmetrics' default for accuracy is "
            "'macro', the mean of the classes' recalls), not the share of right labels over all samples. Ask for "
            'that one explicitly, as lesson 04 does: average="micro".'
        )
    return f"cross-entropy over {SPIRAL_CLASSES} classes, Adam over all of spiral_model's parameters, a {SPIRAL_CLASSES}-class accuracy."


@check("7d")
def task_7d(spiral_model, spiral_loss_fn=None, spiral_optimizer=None, X_spiral_train=None, y_spiral_train=None):
    """Step 7d: over 95% accuracy on the test set, on fresh spirals, and predictions that follow their rows.

    Args:
        spiral_model: your trained model.
        spiral_loss_fn, spiral_optimizer, X_spiral_train, y_spiral_train: yours; when the accuracy
            is too low, the training doctor examines them (on copies) to say why.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    model = as_module(spiral_model, "spiral_model", "spiral_model = SpiralModel().to(device)")
    X_test = reference.split("spirals")[1]
    class_logits(model, X_test, "spiral_model")
    a_network(model, "spiral_model", reference.split("spirals")[0])  # as step 7b
    no_final_squash(model, X_test, "spiral_model", SPIRAL_CLASSES)  # as step 7b: the two agree
    no_final_activation(model, X_test, "spiral_model")
    test_acc, fresh_acc = generalises(
        model,
        "spiral_model",
        reference.split("spirals"),
        reference.fresh("spirals"),
        TASKS["7d"].target,
        class_logits,
        "the same generator (helpers.make_spirals with another seed)",
        why_low=lambda: _why_low(
            model,
            "spiral_model",
            X_test,
            _LINEAR_SPIRALS,
            lambda: why_training_failed(model, spiral_loss_fn, spiral_optimizer, X_spiral_train, y_spiral_train),
        ),
    )
    slip = squash_in_loop(model, spiral_loss_fn, spiral_optimizer, X_spiral_train, y_spiral_train)
    if slip:
        raise Wrong(f"spiral_model reaches {test_acc:.1f}% on the test set, but {slip}")
    return (
        f"{test_acc:.1f}% on the test set and {fresh_acc:.1f}% on {len(reference.fresh('spirals')[1])} fresh spiral points. "
        "(Not checked: how many epochs it took, and that it never trained on the test rows: a model cannot tell "
        "how long, or on what, it trained; nor your loop's printed test loss and accuracy, which step 4b checked "
        "for the moons; nor that it calls zero_grad every step, which helpers.doctor.watch sees.)"
    )


@check("7e")
def task_7e(spiral_model, axes):
    """Step 7e: two Axes from helpers.plot_decision_boundary of spiral_model: training set and test set.

    Args:
        spiral_model: your trained model.
        axes: the two Axes you drew on (train, test).

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    return check_boundaries(
        spiral_model,
        axes,
        "spiral_model",
        "axes",
        reference.split("spirals"),
        "spirals",
        "spiral_model = SpiralModel().to(device)",
    )


# ----------------------------------------------------------------------------- task 8

_NOISY_NAMES = ("X_noisy_train", "X_noisy_val", "X_noisy_test", "y_noisy_train", "y_noisy_val", "y_noisy_test")
_NOISY_MODEL = "noisy_model = make_noisy_model().to(device)"
_CHOSEN_MODEL = "chosen_model = make_noisy_model(chosen_width).to(device)"
#: Step 8b's loop (seeded, Adam lr 0.01, 300 epochs) finds a lowest validation loss of 0.197-0.210 over
#: seeds 0-4 (0.205 with the notebook's 42), and ends at 0.27-0.31: a bar between the two catches the
#: last epoch's weights passed off as chosen.
NOISY_VAL_BAR = 0.24
#: Trained on the validation rows too, a model's chosen epoch has a validation loss close to (or under) its
#: training loss, and low: train+validation gave 0.096-0.150, 0.003-0.009 above the training loss (or below
#: it), over seeds 0-4 and lr 0.01/0.03; validation alone 0.004-0.041. Trained on the training rows alone
#: (seeds 0-19 at lr 0.01, seeds 0-4 at lr 0.003 and 0.03) the chosen epoch's validation loss was 0.179-0.217,
#: 0.023-0.059 above the training loss. Both bars must be crossed to say so.
NOISY_SEEN_VAL_BAR = 0.17
NOISY_SEEN_GAP = 0.015
#: The number of epochs step 8b asks for: early stopping is judged on the whole run, so fewer epochs
#: (stopping near the lowest point by hand) is another answer.
NOISY_EPOCHS = 300
#: Step 8c: two candidates whose lowest validation losses are closer than this are tied. The wide model's
#: lowest validation loss moves by 0.013 between seeds (0.197-0.210 over seeds 0-4 and 42), and one
#: validation point of 100 moves it by about 0.005 or more when it changes side: a smaller gap is noise.
NOISY_TIE = 0.005


#: What step 8c's check last passed with in this process: {"width": the chosen width, "loss": its lowest
#: validation loss}. Steps 8d and 8e measure the model chosen there, and say so when it is another one.
_CHOSEN: dict = {}


def _wide_noisy_model() -> torch.nn.Module:
    """Step 8b's wide model (2 -> 64 -> 64 -> 1), for its size."""
    nn = torch.nn
    return nn.Sequential(nn.Linear(2, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))


def _bce(model, X, y, name) -> float:
    """Binary cross-entropy on logits of the model on (X, y): the loss task 8 trains with."""
    return F.binary_cross_entropy_with_logits(binary_logits(model, X, name), y).item()


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-3, abs_tol=1e-5)


@check("8a")
def task_8a(X_noisy_train, X_noisy_val, X_noisy_test, y_noisy_train, y_noisy_val, y_noisy_test):
    """Step 8a: make_moons(500, noise=0.3, random_state=42) split 60/20/20: test first, then validation.

    Args:
        X_noisy_train, X_noisy_val, X_noisy_test, y_noisy_train, y_noisy_val, y_noisy_test: your split.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    values = (X_noisy_train, X_noisy_val, X_noisy_test, y_noisy_train, y_noisy_val, y_noisy_test)
    blanks(list(zip(_NOISY_NAMES, values)))
    reference_split = reference.split3("noisy_moons")
    check_split(
        _NOISY_NAMES,
        values,
        reference_split,
        torch.float32,
        "make_moons(n_samples=500, noise=0.3, random_state=42) split with train_test_split(test_size=0.2, "
        "random_state=42), then the rest with train_test_split(test_size=0.25, random_state=42)",
    )
    return "{} training, {} validation and {} test samples, float32 tensors, the reference split.".format(
        *(len(t) for t in reference_split[:3])
    )


def _an_epoch(value, name="best_epoch") -> int:
    """best_epoch as a Python int: an int, a NumPy integer or a 0-d integer tensor (torch's argmin) all are.

    Args:
        value: the learner's best_epoch.
        name: its name in the notebook (best_epoch, narrow_best_epoch).

    Returns:
        The epoch.

    Raises:
        Wrong: not one integer (a float, a bool, a tensor of several values...).
    """
    if (
        isinstance(value, torch.Tensor)
        and value.numel() == 1
        and not value.is_floating_point()
        and value.dtype != torch.bool
    ):
        return int(value.item())
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    raise Wrong(
        f"{name} is {describe(value) if isinstance(value, torch.Tensor) else repr(value)}; it should be one "
        "whole number, the index of an epoch (best_epoch = epoch in the loop)."
    )


def _early_stopping_run(model, val_losses, best_epoch, best_state, prefix=""):
    """What step 8b's and 8c's runs share: one validation loss per epoch, the epoch of the lowest, its weights.

    Args:
        model: the model after its run (already an nn.Module).
        val_losses, best_epoch, best_state: what the run returned.
        prefix: "" for step 8b's names (noisy_model, val_losses...), "narrow_" for step 8c's.

    Returns:
        (lowest, best_epoch, last, copy of the model holding best_state): the lowest validation loss, its
        epoch, the last epoch's validation loss, and the model with the chosen weights loaded.

    Raises:
        Wrong: what is wrong with the run.
    """
    losses_name, epoch_name, state_name = (prefix + n for n in ("val_losses", "best_epoch", "best_state"))
    model_name = prefix + "model" if prefix else "noisy_model"
    try:
        losses = [float(v) for v in (val_losses.reshape(-1) if hasattr(val_losses, "reshape") else val_losses)]
    except (TypeError, ValueError, RuntimeError):
        raise Wrong(
            f"{losses_name} is {describe(val_losses)}; it should be a list of numbers, the validation loss after "
            "each epoch (val_losses.append(val_loss.item()))."
        ) from None
    if len(losses) != NOISY_EPOCHS:
        raise Wrong(
            f"{losses_name} holds {len(losses)} number(s); the step asks for {NOISY_EPOCHS} epochs, one validation "
            f"loss each: keep train_with_early_stopping's epochs={NOISY_EPOCHS}, start from val_losses = [] and append "
            f"once per epoch, then run the cells of step {'8c' if prefix else '8b'} from the model's creation again."
        )
    X_train, X_val, X_test, y_train, y_val, y_test = reference.split3("noisy_moons")
    now = {
        "validation": _bce(model, X_val, y_val, model_name),
        "training": _bce(model, X_train, y_train, model_name),
        "test": _bce(model, X_test, y_test, model_name),
    }
    last = losses[-1]
    if not _close(last, now["validation"]) and not _close(min(losses), now["validation"]):
        on_sigmoid = F.binary_cross_entropy_with_logits(torch.sigmoid(binary_logits(model, X_val, model_name)), y_val)
        if _close(last, on_sigmoid.item()):
            raise Wrong(
                f"the last entry of {losses_name}, {last:.4g}, is loss_fn on the sigmoid of the validation logits, "
                "not on the logits: BCEWithLogitsLoss applies the sigmoid itself, so give it the raw logits."
            )
        other = next((kind for kind in ("training", "test") if _close(last, now[kind])), None)
        if other:
            raise Wrong(
                f"the last entry of {losses_name}, {last:.4g}, is the model's loss on the {other} set "
                f"({now[other]:.4g}), not on the validation set ({how_far(last, now['validation'], True)} away from "
                "it). Compute it from the model's logits on X_noisy_val against y_noisy_val"
                + (": the test set is for the end, used once." if other == "test" else ".")
            )
        raise Wrong(
            f"the last entry of {losses_name} is {last:.4g}, {how_far(last, now['validation'], True)} away from "
            f"{model_name}'s loss on the validation set now: append the validation loss after each epoch's training "
            "step, computed with the model being trained (inside train_with_early_stopping that is model, not a "
            "model from outside the function), and do not train it again before this check."
        )
    lowest = min(losses)
    at = losses.index(lowest)
    best_epoch = _an_epoch(best_epoch, epoch_name)
    if not 0 <= best_epoch < len(losses) or losses[best_epoch] != lowest:
        raise Wrong(
            f"{epoch_name} is {best_epoch}, but the lowest validation loss in {losses_name} ({lowest:.4g}) is at "
            f"epoch {at}"
            + (f" ({epoch_name}'s is {losses[best_epoch]:.4g})" if 0 <= best_epoch < len(losses) else "")
            + ". Note the epoch whenever the validation loss is the lowest so far."
        )
    if not isinstance(best_state, dict) or not all(isinstance(v, torch.Tensor) for v in best_state.values()):
        raise Wrong(
            f"{state_name} is {describe(best_state)}; it should be a copy of the model's state_dict(), a "
            "dictionary of tensors."
        )
    chosen = copy.deepcopy(model)
    theirs(f"{model_name}.load_state_dict({state_name})", chosen.load_state_dict, best_state)
    kept = _bce(chosen, X_val, y_val, model_name)
    if not _close(kept, lowest):
        if _close(kept, last) and at != len(losses) - 1:
            raise Wrong(
                f"{state_name} holds the weights of the last epoch, not of epoch {best_epoch}: its validation loss "
                f"is {kept:.4g}, the last epoch's, against {lowest:.4g} at epoch {best_epoch}. "
                "Either the copy was taken at the wrong moment (take it in the same place you set best_epoch), or "
                "it is no copy: model.state_dict() hands out the model's live tensors, which every later step "
                "changes (copy.deepcopy(model.state_dict()))."
            )
        raise Wrong(
            f"{state_name}'s validation loss is {kept:.4g}, but the lowest in {losses_name} is {lowest:.4g} (epoch "
            f"{best_epoch}): keep a copy of the weights at the epoch you note in best_epoch."
        )
    return lowest, best_epoch, last, chosen


@check("8b")
def task_8b(noisy_model, val_losses, best_epoch, best_state):
    """Step 8b: the validation loss of every epoch, the epoch where it is lowest, and a copy of its weights.

    Args:
        noisy_model: your model, after the loop.
        val_losses: the validation loss after each epoch (numbers).
        best_epoch: the epoch with the lowest validation loss.
        best_state: a copy of the model's state_dict at that epoch.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    # val_losses may be a list, a tensor or a NumPy array: its truth value is not asked (ambiguous for arrays).
    no_losses = val_losses is None or (hasattr(val_losses, "__len__") and len(val_losses) == 0)
    if best_state is None and best_epoch is None and no_losses:
        raise NotAttempted()
    if not no_losses and best_epoch is None and best_state is None:
        raise Wrong(
            f"val_losses holds {len(val_losses)} losses, but best_epoch and best_state were never set: the condition "
            "that notes a new lowest loss never held. If you append the loss first, compare it with min(val_losses) "
            "using <= (a loss is never below itself), or compare before appending."
        )
    blanks([("val_losses", None if no_losses else val_losses), ("best_epoch", best_epoch), ("best_state", best_state)])
    _loop_raised()
    model = as_module(noisy_model, "noisy_model", _NOISY_MODEL)
    lowest, best_epoch, last, chosen = _early_stopping_run(model, val_losses, best_epoch, best_state)
    kept = lowest
    if kept >= NOISY_VAL_BAR:
        raise Wrong(
            f"best_state's validation loss is {kept:.3f}; early stopping on this loop finds epochs under "
            f"{NOISY_VAL_BAR}, where the wide model has learned the moons but not yet their noise (after 300 "
            "epochs it is near 0.3). Train the 300 epochs the step asks for and keep the epoch with the lowest "
            "validation loss; if you did, check that the optimizer you step is the one passed in, made from "
            "noisy_model (an optimizer of another model leaves this one untrained)."
        )
    X_train, X_val, _, y_train, y_val, _ = reference.split3("noisy_moons")
    on_training = _bce(chosen, X_train, y_train, "noisy_model")
    if kept < NOISY_SEEN_VAL_BAR and kept - on_training < NOISY_SEEN_GAP:
        raise Wrong(
            f"best_state's validation loss, {kept:.3f}, is {'below' if kept < on_training else 'about'} its loss on "
            f"the training set ({on_training:.3f}): "
            "a model that never saw the validation rows does worse on them than on the rows it trained on. This "
            f"loop, trained on X_noisy_train alone, ends its best epoch above {NOISY_SEEN_VAL_BAR} on validation, "
            f"at least {NOISY_SEEN_GAP} above its training loss. The training step used the validation rows: "
            "train on X_noisy_train and y_noisy_train only, and use the validation set only to measure."
        )
    if kept >= NOISY_SEEN_VAL_BAR and kept - on_training < NOISY_SEEN_GAP:
        raise Wrong(
            f"best_state does about as well on X_noisy_train (loss {on_training:.3f}) as on the validation set "
            f"({kept:.3f}): a model trained on X_noisy_train does better on the rows it trained on (at least "
            f"{NOISY_SEEN_GAP} better at its best epoch, measured over 20 seeds). The training step trained on other "
            "data: inside train_with_early_stopping, train on X_noisy_train and y_noisy_train."
        )
    if best_epoch == NOISY_EPOCHS - 1:
        raise Wrong(
            f"best_epoch is the last epoch ({best_epoch}): the validation loss was still at its lowest when training "
            "stopped, so early stopping chose nothing. With the step's Adam at lr 0.01 and 300 epochs, the validation "
            "loss turns up well before the end: keep those settings (a smaller learning rate only delays the turn)."
        )
    return (
        f"epoch {best_epoch} of {NOISY_EPOCHS} has the lowest validation loss, {lowest:.4f} (the last epoch's: "
        f"{last:.4f}), and best_state holds its weights. (Not checked: that the training step never saw the "
        "test rows, nor that it calls zero_grad every step, nor which loss it trains with, nor train_losses.)"
    )


def _hidden_width(model) -> int | None:
    """The width of a model's first layer: the out_features of its first nn.Linear (None without one)."""
    first = next((m for m in model.modules() if isinstance(m, torch.nn.Linear)), None)
    return None if first is None else first.out_features


def _size(model) -> int:
    return sum(p.numel() for p in model.parameters())


@check("8c")
def task_8c(
    narrow_model, narrow_val_losses, narrow_best_epoch, narrow_best_state, val_losses, chosen_width, chosen_model
):
    """Step 8c: a narrower candidate run the same way, and the width chosen on the lowest validation loss.

    Args:
        narrow_model: the second candidate, after its run (make_noisy_model(width), a width under 64).
        narrow_val_losses, narrow_best_epoch, narrow_best_state: what its run returned.
        val_losses: step 8b's validation losses (the wide candidate's).
        chosen_width: the width you chose, 64 or the narrow one.
        chosen_model: a model of that width holding the chosen candidate's best weights.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    blanks(
        [
            ("narrow_model", narrow_model),
            ("narrow_val_losses", narrow_val_losses),
            ("narrow_best_epoch", narrow_best_epoch),
            ("narrow_best_state", narrow_best_state),
            ("chosen_width", chosen_width),
            ("chosen_model", chosen_model),
        ]
    )
    narrow = as_module(narrow_model, "narrow_model", "narrow_model = make_noisy_model(narrow_width).to(device)")
    wide_size = _size(_wide_noisy_model())
    width = _hidden_width(narrow)
    if width is not None and width < 1:
        raise Wrong(
            f"narrow_model's first layer has {width} units: it passes nothing on, so its output is a constant. "
            "Pick a width of your own between 4 and 32."
        )
    if _size(narrow) >= wide_size or width is None:
        raise Wrong(
            f"narrow_model has {_size(narrow)} weights, the wide model of step 8b {wide_size}: the second "
            "candidate is a narrower one, make_noisy_model(narrow_width) with a width under 64 (try 4 to 32)."
        )
    try:
        wide_low = min(float(v) for v in (val_losses.reshape(-1) if hasattr(val_losses, "reshape") else val_losses))
    except (TypeError, ValueError, RuntimeError):
        raise Wrong(f"val_losses is {describe(val_losses)}: step 8b's list of validation losses comes first.") from None
    try:
        same = [float(v) for v in narrow_val_losses] == [float(v) for v in val_losses]
    except (TypeError, ValueError, RuntimeError):
        same = False
    if val_losses is narrow_val_losses or same:
        raise Wrong(
            "narrow_val_losses and step 8b's val_losses hold the same numbers: either narrow_val_losses is a copy of "
            "val_losses, or the narrow run's results went into step 8b's names (val_losses, best_state) too, "
            "which lost the wide run's. Keep each run in its own names (run step 8b again if its names were "
            "overwritten), then run the narrow model and keep what it returns in narrow_val_losses, "
            "narrow_best_epoch and narrow_best_state."
        )
    try:
        spread = max(float(v) for v in narrow_val_losses) - min(float(v) for v in narrow_val_losses)
    except (TypeError, ValueError, RuntimeError):
        spread = None
    if spread == 0 and _close(float(narrow_val_losses[0]), float(val_losses[-1])):
        raise Wrong(
            f"narrow_val_losses holds the same number at every epoch, {float(narrow_val_losses[0]):.4f}: step 8b's "
            "last validation loss, the wide model's. The function computed with the wide model, not with the model "
            "it was given: inside train_with_early_stopping, use model (its argument), never noisy_model."
        )
    if spread == 0:
        raise Wrong(
            f"narrow_val_losses holds the same number, {float(narrow_val_losses[0]):.4f}, at every epoch: "
            "narrow_model's weights never changed. The optimizer you pass to train_with_early_stopping must be "
            "made from narrow_model.parameters(), and the function must compute with the model and step the "
            "optimizer it is given."
        )
    narrow_low, narrow_epoch, narrow_last, _ = _early_stopping_run(
        narrow, narrow_val_losses, narrow_best_epoch, narrow_best_state, prefix="narrow_"
    )
    if isinstance(chosen_width, torch.Tensor) and chosen_width.numel() == 1 and not chosen_width.is_floating_point():
        chosen_width = int(chosen_width.item())
    if isinstance(chosen_width, (bool, np.bool_)) or not isinstance(chosen_width, (int, np.integer)):
        raise Wrong(f"chosen_width is {describe(chosen_width)}; it should be a whole number: 64 or {width}.")
    lows = {64: wide_low, width: narrow_low}
    tie = abs(wide_low - narrow_low) < NOISY_TIE
    better = min(lows, key=lows.get)
    if int(chosen_width) not in lows:
        raise Wrong(f"chosen_width is {chosen_width}; the candidates are 64 (step 8b) and {width} (narrow_model).")
    if int(chosen_width) != better and not tie:
        raise Wrong(
            f"chosen_width is {chosen_width}, but the lowest validation loss of width {better} is lower: "
            f"{lows[better]:.4f} against {lows[int(chosen_width)]:.4f}. Keep the candidate with the lower of the two "
            "lowest validation losses (min(val_losses) against min(narrow_val_losses)): the validation set is "
            "where the choice is made."
        )
    model = as_module(chosen_model, "chosen_model", "chosen_model = make_noisy_model(chosen_width).to(device)")
    if _hidden_width(model) != int(chosen_width):
        raise Wrong(
            f"chosen_model's first layer has {_hidden_width(model)} units, but chosen_width is {chosen_width}: "
            "build it with make_noisy_model(chosen_width)."
        )
    _, X_val, _, _, y_val, _ = reference.split3("noisy_moons")
    held = _bce(model, X_val, y_val, "chosen_model")
    if not _close(held, lows[int(chosen_width)]):
        state = "best_state" if int(chosen_width) == 64 else "narrow_best_state"
        raise Wrong(
            f"chosen_model's validation loss is {held:.4g}, not the {lows[int(chosen_width)]:.4g} of the epoch "
            f"its run chose: load {state} into it (chosen_model.load_state_dict({state}))."
        )
    _CHOSEN.update(width=int(chosen_width), loss=held)
    read = f"width 64 reached {wide_low:.4f}, width {width} {narrow_low:.4f} (epoch {narrow_epoch}); " + (
        f"they are within {NOISY_TIE} of each other, which another seed or a few validation points can "
        f"undo, so either is a fair choice: you kept {chosen_width}."
        if tie
        else f"you kept {chosen_width}, the lower."
    )
    if narrow_epoch == NOISY_EPOCHS - 1:
        read += (
            f" Width {width}'s validation loss was still falling at the last epoch: it had not finished learning, "
            "so more epochs might have brought it lower."
        )
    return read + (
        " (Not checked: that both runs used the same seed, learning rate and loop; nor that you compared the "
        "validation losses, and not another set's, which may rank the two widths the same way.)"
    )


def _not_the_chosen_weights(model, then: str) -> None:
    """Raises Wrong when chosen_model's validation loss is not that of an epoch early stopping chose.

    Args:
        model: chosen_model (an nn.Module).
        then: what the step does with it ("measure it", "save it").

    Raises:
        Wrong: its validation loss is at or above NOISY_VAL_BAR: the last epoch's weights (near 0.3), or an
            untrained model (near 0.69); the candidates' chosen epochs score under it.
    """
    _, X_val, _, _, y_val, _ = reference.split3("noisy_moons")
    held = _bce(model, X_val, y_val, "chosen_model")
    width = _hidden_width(model)
    if held >= NOISY_VAL_BAR and width != 64 and held < 0.5:
        raise Wrong(
            f"chosen_model is the width-{width} candidate, and its validation loss, {held:.3f}, is above what "
            f"step 8b's wide model reaches (under {NOISY_VAL_BAR}): it cannot be the candidate with the lower "
            "validation loss. Check step 8c's choice (its check says which width is lower), then "
            f"{then}."
        )
    if held >= NOISY_VAL_BAR:
        raise Wrong(
            f"chosen_model's validation loss is {held:.3f}: these are not the weights chosen on validation (early "
            f"stopping on step 8b's loop finds epochs under {NOISY_VAL_BAR}; the last epoch's weights score near "
            "0.3, an untrained model near 0.69). Load the chosen candidate's best state into chosen_model (step "
            f"8c), then {then}."
        )
    if _CHOSEN and width != _CHOSEN["width"]:
        raise Wrong(
            f"chosen_model has a first layer of {width} units, but step 8c's check passed with chosen_width "
            f"{_CHOSEN['width']}: the model to measure is the one chosen there (chosen_model from step 8c), then {then}."
        )
    if _CHOSEN and not _close(held, _CHOSEN["loss"]):
        raise Wrong(
            f"chosen_model's validation loss is {held:.4g}, but when step 8c's check passed it was "
            f"{_CHOSEN['loss']:.4g}: its weights have changed since (trained again, or other weights loaded). "
            f"Measure the model as chosen on validation: run step 8c's cells again, then {then}."
        )


def _confusion(model, X, y) -> torch.Tensor:
    """The binary confusion matrix of the model on (X, y): rows the true class, columns the predicted one."""
    predicted = labels_from_logits(binary_logits(model, X, "chosen_model")).long()
    truth = y.long()
    return torch.tensor([[int(((truth == t) & (predicted == p)).sum()) for p in (0, 1)] for t in (0, 1)])


@check("8d")
def task_8d(chosen_model, noisy_test_acc, confmat, missed_ones):
    """Step 8d: the model chosen in step 8c on the test set, once: accuracy, confusion matrix, a read.

    Args:
        chosen_model: the chosen model, holding the weights chosen on validation.
        noisy_test_acc: its test accuracy (percent, or a fraction).
        confmat: its 2 x 2 confusion matrix on the test set (rows: true class, columns: predicted).
        missed_ones: how many class-1 test samples it predicts as class 0, read off confmat.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    blanks([("noisy_test_acc", noisy_test_acc), ("confmat", confmat), ("missed_ones", missed_ones)])
    model = as_module(chosen_model, "chosen_model", _CHOSEN_MODEL)
    _not_the_chosen_weights(model, "measure it")
    _, X_val, X_test, _, y_val, y_test = reference.split3("noisy_moons")
    expected = _confusion(model, X_test, y_test)
    try:
        given = torch.as_tensor(np.asarray(confmat.detach().cpu() if isinstance(confmat, torch.Tensor) else confmat))
    except Exception:
        given = None
    if given is None or given.shape != (2, 2):
        raise Wrong(f"confmat is {describe(confmat)}; it should be the 2 x 2 confusion matrix of the test set.")
    if given.is_floating_point() and not torch.equal(given, given.round()):
        raise Wrong(
            f"confmat holds fractions ({', '.join(f'{v:.3g}' for v in given.reshape(-1).tolist())}), not counts: "
            "it was normalised (normalize='true', 'pred' or 'all'). This step reads counts off it: leave "
            "normalize out."
        )
    given = given.long()
    if not torch.equal(given, expected):
        if torch.equal(given, expected.T):
            raise Wrong(
                "confmat has its rows and columns swapped: in torchmetrics' confusion matrix the rows are the "
                "true classes and the columns the predicted ones. Pass (predictions, labels) in that order."
            )
        if torch.equal(given, _confusion(model, X_val, y_val)):
            raise Wrong("confmat counts the validation set; this step measures the test set, once.")
        raise Wrong(
            f"confmat counts {int(given.sum())} samples as {given.tolist()}; it is not chosen_model's confusion "
            f"matrix on the {len(y_test)} test samples. Labels from chosen_model's test logits (sigmoid, round) "
            "against y_noisy_test"
            + (
                " (with the right count of samples, the labels may come from another model than chosen_model: "
                "noisy_model, say, holds the last epoch's weights)."
                if int(given.sum()) == len(y_test)
                else "."
            )
        )
    accuracy = expected.trace().item() * 100 / len(y_test)
    if not isinstance(noisy_test_acc, (int, float, np.number, torch.Tensor)) or isinstance(noisy_test_acc, bool):
        raise Wrong(f"noisy_test_acc is {describe(noisy_test_acc)}; it should be one number.")
    if not same_number(noisy_test_acc, accuracy, 0.25):
        raise Wrong(
            f"noisy_test_acc is {float(noisy_test_acc):.4g}, {how_far(noisy_test_acc, accuracy)} away from the "
            "model's accuracy on the test set: the share of right labels, the diagonal of confmat over its total."
        )
    try:
        read = float(missed_ones)
    except (TypeError, ValueError, RuntimeError):
        raise Wrong(f"missed_ones is {describe(missed_ones)}; it should be one count read off confmat.") from None
    if read != expected[1, 0].item():
        mixed = " (that is the class-0 samples predicted as 1)" if read == expected[0, 1].item() else ""
        raise Wrong(
            f"missed_ones is {read:g}{mixed}; it should count the class-1 samples the model predicts as 0: "
            "the row of true class 1, the column of predicted class 0."
        )
    return (
        f"the chosen model is right on {accuracy:.1f}% of the test set; confmat and missed_ones ({int(read)}) "
        "are read right. (Not checked: that the test set was used once, only now, and that chosen_model was not "
        "trained again after step 8c; the checks cannot see what you tried before.)"
    )


@check("8e")
def task_8e(chosen_model, reloaded_model, path):
    """Step 8e: chosen_model's state_dict saved at path, loaded with weights_only=True into a new model.

    Args:
        chosen_model: your chosen model.
        reloaded_model: a new model with the saved weights loaded.
        path: the file you saved.

    Returns:
        A ``CheckResult`` (its line: passed, failed, not attempted, or a check error). It never
        raises: what is wrong with the answer is its message.
    """
    if reloaded_model is None:
        raise NotAttempted()
    model = as_module(chosen_model, "chosen_model", _CHOSEN_MODEL)
    reloaded = as_module(reloaded_model, "reloaded_model", "reloaded_model = make_noisy_model(chosen_width).to(device)")
    if _hidden_width(reloaded) != _hidden_width(model):
        raise Wrong(
            f"reloaded_model's first layer has {_hidden_width(reloaded)} units, chosen_model's "
            f"{_hidden_width(model)}: the file's weights only fit a model of the chosen width, "
            "make_noisy_model(chosen_width)."
        )
    if reloaded is model:
        raise Wrong(
            "reloaded_model is chosen_model itself; build a new model (make_noisy_model(chosen_width)) and load the "
            "file into it."
        )
    if not isinstance(path, (str, os.PathLike)) or not os.path.isfile(path):
        raise Wrong(f"there is no file at {str(path)!r}: save with torch.save(chosen_model.state_dict(), MODEL_PATH).")
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:
        raise Wrong(
            f"the file at {str(path)!r} does not load with weights_only=True ({type(error).__name__}): it holds "
            "more than tensors, a whole pickled model. Save chosen_model.state_dict() instead: tensors only, "
            "which load safely."
        ) from None
    current = model.state_dict()
    if not isinstance(saved, dict) or set(saved) != set(current):
        raise Wrong(
            f"the file holds {describe(saved)}"
            + (f" with the keys {', '.join(map(str, list(saved)[:3]))}" if isinstance(saved, dict) else "")
            + f", not chosen_model's state_dict (whose keys are {', '.join(list(current)[:3])}, ...)."
        )
    shapes = [k for k in current if not isinstance(saved[k], torch.Tensor) or saved[k].shape != current[k].shape]
    if shapes:
        first = shapes[0]
        raise Wrong(
            f"the file holds weights of another shape than chosen_model's ({first}: "
            f"{list(saved[first].shape) if isinstance(saved[first], torch.Tensor) else describe(saved[first])} against "
            f"{list(current[first].shape)}): a model of another width. Save chosen_model.state_dict(), the model "
            "chosen in step 8c, to MODEL_PATH."
        )
    gap = max((saved[k].float() - current[k].detach().cpu().float()).abs().max().item() for k in current)
    if gap > 1e-6:
        raise Wrong(
            f"the file holds other weights than chosen_model's now (largest difference {gap:.3g}): save it after "
            "step 8c loaded the chosen weights, and do not train it afterwards."
        )
    _not_the_chosen_weights(model, "save it")
    X_test = reference.split3("noisy_moons")[2]
    ours, theirs_now = binary_logits(model, X_test, "chosen_model"), binary_logits(reloaded, X_test, "reloaded_model")
    moved = int((labels_from_logits(ours) != labels_from_logits(theirs_now)).sum())
    gap = (ours - theirs_now).abs().max().item()
    if moved or gap > 1e-4:
        raise Wrong(
            f"reloaded_model predicts otherwise than chosen_model on {moved} of the {len(X_test)} test samples "
            f"(logits up to {gap:.3g} apart): it does not hold the saved weights. Load the file into it "
            "(torch.load with weights_only=True, then load_state_dict)."
        )
    return (
        f"the file holds chosen_model's state_dict and loads with weights_only=True; reloaded_model, a new model, "
        f"gives the same logits on all {len(X_test)} test samples. (Not checked: that reloaded_model's weights came "
        "from the file, as a copy of chosen_model (copy.deepcopy) gives the same logits; and that you passed "
        "weights_only=True yourself.)"
    )
