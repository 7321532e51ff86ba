"""Checks of the learner's objects as they are: nothing is run, nothing is trained.

Each check adds its findings to a :class:`~helpers.doctor.report.Report` and returns True when
the doctor must stop there (a shape, dtype or device error makes every later number
meaningless). :func:`loss_input_problems` is the one home of the rules "what this loss expects
as outputs and labels": ``examine`` applies it to the model's first outputs, ``watch`` to every
call of the learner's loss.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from helpers.doctor.task import BINARY, MULTICLASS, Task

# Features whose root-mean-square is above this are "very large"; a ratio of standard
# deviations above _SCALE_RATIO is "very different scales". The course's data sets (circles,
# moons, spirals: about 1; blobs: about 7) are far from both.
_LARGE_FEATURES = 20.0
_SCALE_RATIO = 10.0
# Labels whose nearest-neighbour agreement is within this many standard errors of chance
# look unrelated to the features (shuffled or split apart from them).
_UNRELATED_Z = 2.5
_KNN_SAMPLES = 1000


def _shape(t) -> str:
    return str(list(t.shape))


def _param_device_dtype(model: nn.Module):
    for parameter in model.parameters():
        return parameter.device, parameter.dtype
    return torch.device("cpu"), torch.get_default_dtype()


# --------------------------------------------------------------------------- objects
def check_optimizer(report, model: nn.Module, optimizer: torch.optim.Optimizer) -> bool:
    """The optimizer holds this model's parameters, with a learning rate above 0."""
    model_ids = {id(p) for p in model.parameters()}
    held = {id(p) for group in optimizer.param_groups for p in group["params"]}
    n_model = len(model_ids)
    shared = len(model_ids & held)
    if n_model and shared == 0:
        report.problem(
            "optimizer_not_model",
            f"Your optimizer holds none of this model's {n_model} parameter tensors: optimizer.step() "
            "changes another model (one made before this model was created again), so this one never learns.",
            "create the optimizer after the model, from it: "
            f"optimizer = torch.optim.{type(optimizer).__name__}(params=model.parameters(), lr=...).",
        )
        return True
    if shared < n_model:
        report.problem(
            "optimizer_not_model",
            f"Your optimizer holds {shared} of this model's {n_model} parameter tensors: the others never change.",
            "create the optimizer from all of the model's parameters: "
            f"torch.optim.{type(optimizer).__name__}(params=model.parameters(), lr=...).",
        )
        return True
    lrs = sorted({float(group.get("lr", math.nan)) for group in optimizer.param_groups})
    if any(lr == 0 for lr in lrs):
        report.problem(
            "lr_zero",
            f"The learning rate is {lrs[0]:g}: every optimizer.step() moves the weights by lr × gradient = 0.",
            "give the optimizer a learning rate above 0, e.g. lr=0.1 for SGD or lr=0.01 for Adam.",
        )
        return True
    report.passed(
        "optimizer",
        f"The optimizer ({type(optimizer).__name__}, lr {', '.join(f'{lr:g}' for lr in lrs)}) "
        f"holds all {n_model} of the model's parameter tensors.",
    )
    return False


# --------------------------------------------------------------------------- data
def check_data(report, task: Task, model: nn.Module, X, y, X_test=None) -> bool:
    """Types, lengths, dtypes, devices and values of the features and labels."""
    for name, value in (("X", X), ("y", y)):
        if not isinstance(value, torch.Tensor):
            report.problem(
                "not_a_tensor",
                f"{name} is a {type(value).__module__.split('.')[0]}.{type(value).__name__}"
                + (f" of shape {list(value.shape)}" if hasattr(value, "shape") else "")
                + ", not a torch tensor: a model takes tensors.",
                f"convert it: {name} = torch.from_numpy({name}).type(torch.float32)"
                + (" (labels: torch.int64 for CrossEntropyLoss)." if name == "y" else "."),
            )
            return True
    if X.shape[0] != y.shape[0]:
        report.problem(
            "length_mismatch",
            f"X has {X.shape[0]} samples but y has {y.shape[0]} labels: each label must belong to one sample.",
            "split features and labels in one call: train_test_split(X, y, ...), and pass the matching pair.",
        )
        return True

    device, dtype = _param_device_dtype(model)
    for name, value in (("X", X), ("y", y)):
        if value.device != device:
            report.problem(
                "device_mismatch",
                f"The model is on {device} but {name} ({list(value.shape)}) is on {value.device}: a model can only compute on "
                "tensors on its own device.",
                f"move both to one device: model.to(device); {name} = {name}.to(device), with device = helpers.get_device().",
            )
            return True
    if X.dtype != dtype:
        report.problem(
            "feature_dtype",
            f"X is {X.dtype} but the model's weights are {dtype}: the layers refuse to multiply them "
            "(NumPy arrays are float64; torch models are float32).",
            f"convert the features: X = X.type({dtype}).",
        )
        return True

    for name, value in (("X", X), ("y", y)):
        if value.is_floating_point() and not torch.isfinite(value).all():
            report.problem("non_finite_data", *_non_finite(name, value))
            return True

    if _check_label_types(report, task, y):
        return True
    stop = _check_scale(report, X)
    if task.is_classification:
        stop = _check_labels_related(report, X, y) or stop
    if X_test is not None:
        _check_duplicates(report, X, X_test)
    return stop


def _non_finite(name: str, value: torch.Tensor) -> tuple[str, str]:
    """What to say about NaN or infinite values: whole columns by name, or the rows."""
    bad = ~torch.isfinite(value.detach())
    count = int(bad.sum())
    head = f"{name} holds {count} NaN or infinite value{'s' if count > 1 else ''}"
    tail = ": every loss and gradient that touches one becomes NaN."
    if value.ndim == 2 and value.shape[0] > 1:
        whole = [int(j) for j in torch.nonzero(bad.all(dim=0)).flatten().tolist()]
        if whole:
            columns = ", ".join(str(j) for j in whole[:6]) + (", ..." if len(whole) > 6 else "")
            plural = "s" if len(whole) > 1 else ""
            return (
                f"{head}; column{plural} {columns} of {name} {'are' if plural else 'is'} NaN or infinite in "
                f"every row{tail} A whole column like this usually "
                "comes from standardising a feature that is the same for every sample: (x - mean) / std "
                "divides 0 by 0.",
                f"drop the column{plural} (a constant feature tells the model nothing): keep = {name}.isfinite().all(dim=0); "
                f"{name} = {name}[:, keep], the same columns for every split; or standardise with std where std > 0.",
            )
    rows = int(bad.reshape(bad.shape[0], -1).any(dim=1).sum()) if value.ndim else count
    return (
        f"{head}, in {rows} row{'s' if rows > 1 else ''}{tail}",
        "find where they come from (a division by zero, a log of 0, a missing value) and drop or fix those rows.",
    )


def _check_label_types(report, task: Task, y: torch.Tensor) -> bool:
    if task.kind == MULTICLASS:
        if y.is_floating_point() and y.ndim == 1:
            report.problem(
                "float_labels",
                f"y is {y.dtype} of shape {list(y.shape)} but {task.loss_name} wants class indices of type long "
                "(torch.int64), one per sample (float targets are for class probabilities: one row of C per sample, "
                "shape [N, C]).",
                "convert the labels: y = y.type(torch.int64) (or .long()).",
            )
            return True
        if not y.is_floating_point():
            values = y.detach()
            if values.numel() and int(values.min()) < 0:
                report.problem(
                    "labels_out_of_range",
                    f"y holds the label {int(values.min())}: class indices run from 0 to C − 1.",
                    "map the classes to 0, 1, ..., C − 1 before training.",
                )
                return True
    if task.kind == BINARY:
        if not y.is_floating_point():
            report.problem(
                "integer_labels",
                f"y is {y.dtype} but {task.loss_name} computes with float labels (0.0 and 1.0).",
                "convert the labels: y = y.type(torch.float32).",
            )
            return True
        values = torch.unique(y.detach().cpu())
        if not bool(((values == 0) | (values == 1)).all()):
            shown = ", ".join(f"{v:g}" for v in values[:6].tolist())
            report.problem(
                "labels_out_of_range",
                f"y holds the values {shown}{', ...' if len(values) > 6 else ''}: {task.loss_name} "
                "needs labels 0 and 1 (two classes).",
                "for more than two classes use one output per class and nn.CrossEntropyLoss; "
                "otherwise map the labels to 0 and 1.",
            )
            return True
    return False


def _features(X: torch.Tensor) -> np.ndarray:
    return X.detach().reshape(X.shape[0], -1).cpu().double().numpy()


def _check_scale(report, X: torch.Tensor) -> bool:
    features = _features(X)
    if features.shape[0] < 2:
        return False
    std = features.std(axis=0)
    rms = np.sqrt((features**2).mean(axis=0))
    varying = std[std > 0]
    ratio = float(varying.max() / varying.min()) if varying.size else 1.0
    largest = float(rms.max())
    if largest > _LARGE_FEATURES or ratio > _SCALE_RATIO:
        what = []
        if largest > _LARGE_FEATURES:
            what.append(f"the largest feature's typical size (root mean square) is {largest:.3g}")
        if ratio > _SCALE_RATIO:
            what.append(
                f"the features' spreads differ {ratio:.3g}-fold (standard deviations {varying.min():.3g} to {varying.max():.3g})"
            )
        report.problem(
            "feature_scale",
            f"The features are on very different or very large scales: {' and '.join(what)}. The first layer's "
            "outputs then swing widely and one learning rate cannot suit every weight.",
            "standardise with the training split's statistics: mean, std = X_train.mean(0), X_train.std(0); "
            "X_train = (X_train - mean) / std, and the same mean and std for the other splits.",
        )
        return True
    report.passed("feature_scale", f"Features on similar, moderate scales (largest root mean square {largest:.2g}).")
    return False


def _check_labels_related(report, X: torch.Tensor, y: torch.Tensor) -> bool:
    features = _features(X)
    labels = y.detach().reshape(y.shape[0], -1).cpu().numpy()
    if labels.shape[1] != 1 or features.shape[0] < 20:
        return False
    labels = labels[:, 0]
    if features.shape[0] > _KNN_SAMPLES:
        keep = np.random.default_rng(0).choice(features.shape[0], _KNN_SAMPLES, replace=False)
        features, labels = features[keep], labels[keep]
    std = features.std(axis=0)
    features = (features - features.mean(axis=0)) / np.where(std > 0, std, 1.0)
    squared = (features**2).sum(axis=1)
    distances = squared[:, None] + squared[None, :] - 2 * features @ features.T
    np.fill_diagonal(distances, np.inf)
    neighbour = distances.argmin(axis=1)
    agreement = float((labels[neighbour] == labels).mean())
    _, counts = np.unique(labels, return_counts=True)
    chance = float(((counts / counts.sum()) ** 2).sum())
    spread = math.sqrt(max(chance * (1 - chance), 1e-12) / len(labels))
    z = (agreement - chance) / spread
    if z < _UNRELATED_Z:
        report.problem(
            "labels_unrelated",
            f"The labels look unrelated to the features: a point's nearest neighbour has the same label "
            f"{agreement:.0%} of the time, as often as chance ({chance:.0%}) gives. Were the labels shuffled, "
            "sorted or split apart from their features?",
            "split features and labels together: X_train, X_test, y_train, y_test = train_test_split(X, y, ...); "
            "shuffle them with one permutation: idx = torch.randperm(len(X)); X, y = X[idx], y[idx].",
        )
        return True
    report.passed(
        "labels_unrelated",
        f"Labels go with the features: a nearest neighbour shares the label {agreement:.0%} of the time "
        f"(chance: {chance:.0%}).",
    )
    return False


def _check_duplicates(report, X: torch.Tensor, X_test) -> None:
    if not isinstance(X_test, torch.Tensor) or X_test.ndim == 0 or X_test.shape[0] == 0:
        return
    train_rows = {row.tobytes() for row in _features(X)}
    test = _features(X_test)
    shared = sum(row.tobytes() in train_rows for row in test)
    if shared / len(test) >= 0.01:
        report.problem(
            "duplicates",
            f"{shared} of the {len(test)} test samples ({shared / len(test):.0%}) are also in the training data: "
            "the test accuracy then measures memory, not what the model does on new data.",
            "split once, with train_test_split(X, y, test_size=0.2, random_state=42), and never reuse training rows for testing.",
        )
    else:
        report.passed("duplicates", f"No test sample is a copy of a training sample ({len(test)} checked).")


# --------------------------------------------------------------------------- loss inputs
_PROBABILITIES = ("Sigmoid", "Softmax", "Clamp")
_RESHAPES = ("Squeeze", "Unsqueeze", "View", "Reshape", "Flatten", "Unsafe", "AsStrided", "Expand", "Clone")


def _last_operation(tensor: torch.Tensor) -> str:
    """The name of the last computation that made ``tensor``, looking through reshapes (squeeze...)."""
    node = tensor.grad_fn
    for _ in range(8):
        if node is None:
            return ""
        name = type(node).__name__
        if not name.startswith(_RESHAPES) or not node.next_functions:
            return name
        node = node.next_functions[0][0]
    return ""


def activation_floor(act: str, outputs: torch.Tensor, target: torch.Tensor) -> float:
    """The lowest loss a logits loss can reach on outputs that are already probabilities.

    BCEWithLogitsLoss reads a probability p in (0, 1) as a logit: it sees sigmoid(p), between 0.5
    and sigmoid(1) = 0.73, so a label 1 costs at least -ln sigmoid(1) = 0.313 and a label 0 at
    least ln 2 = 0.693. CrossEntropyLoss on softmax outputs sees softmax(q) of a q in the simplex:
    at best q is one-hot, which costs ln(1 + (C - 1) / e) (0.744 for 4 classes).
    """
    if act == "sigmoid":
        share = float(target.detach().float().mean()) if target.numel() else 0.5
        share = min(max(share, 0.0), 1.0)
        return share * -math.log(1 / (1 + math.exp(-1))) + (1 - share) * math.log(2)
    n_classes = outputs.shape[1] if outputs.ndim == 2 else 2
    return math.log(1 + (n_classes - 1) / math.e)


def _activation_before_loss(task: Task, act: str, outputs, target) -> tuple[str, str, str]:
    floor = activation_floor(act, outputs, target)
    if act == "sigmoid":
        chance, formula = math.log(2), "ln 2"
        seen = "it reads your probabilities (0 to 1) as logits and squeezes them again, into 0.5 to 0.73"
        predictions = (
            "Predictions made with another sigmoid, torch.round(torch.sigmoid(output)), put every sample whose "
            "output is not 0 in class 1 (the sigmoid of any number above 0 is above 0.5), so such an accuracy "
            "sits near the share of class 1; torch.round(output) shows what the model really learned"
        )
    else:
        n = outputs.shape[1] if outputs.ndim == 2 else 2
        chance, formula = math.log(n), f"ln {n}"
        seen = "it reads your probabilities as logits and applies a softmax to them again"
        predictions = "Predictions by argmax still pick the most likely class, so the accuracy can look fine"
    message = (
        f"The model ends with a {act}, and {task.loss_name} applies its own: {seen}. The loss can then never go "
        f"below {floor:.2f} (guessing gives {formula} = {chance:.3f}), however well the model separates the "
        f"classes, so it cannot tell you when you are done. {predictions}."
    )
    fix = (
        f"remove the final {act} from the model and give the loss the raw logits; apply torch.{act} only "
        "to turn logits into probabilities for predictions."
    )
    return ("activation_before_loss" if act == "sigmoid" else "softmax_before_loss"), message, fix


def loss_input_problems(task: Task, outputs: torch.Tensor, target: torch.Tensor) -> list[tuple[str, str, str]]:
    """What is wrong with ``loss_fn(outputs, target)`` for this loss, as ``(id, message, fix)``.

    ``outputs`` are what the loss receives (the lessons squeeze a binary model's [N, 1] to [N]).
    """
    problems = []
    grad_fn = _last_operation(outputs)
    if task.wants_logits and ("Sigmoid" in grad_fn or grad_fn.startswith("Softmax")):
        problems.append(
            _activation_before_loss(task, "sigmoid" if "Sigmoid" in grad_fn else "softmax", outputs, target)
        )
        return problems
    if task.kind == BINARY and not task.wants_logits:
        values = outputs.detach()
        outside = values.numel() and (float(values.min()) < 0 or float(values.max()) > 1)
        # computed outputs that no sigmoid made are logits, even when they happen to lie in [0, 1] at the start
        if outside or (outputs.grad_fn is not None and not grad_fn.startswith(_PROBABILITIES)):
            problems.append(
                (
                    "bce_needs_probabilities",
                    f"{task.loss_name} needs probabilities in [0, 1], but the model ends without a sigmoid: its "
                    f"outputs (from {float(values.min()):.3g} to {float(values.max()):.3g} now) are logits, "
                    "which training will push outside [0, 1].",
                    "use nn.BCEWithLogitsLoss() on the logits (numerically stable), or put torch.sigmoid on the outputs.",
                )
            )
            return problems
    if task.kind == BINARY and outputs.shape != target.shape:
        if outputs.ndim == 2 and outputs.shape[1] > 1 and target.ndim == 1:
            message = (
                f"The model gives {outputs.shape[1]} outputs per sample ({_shape(outputs)}) but {task.loss_name} "
                f"compares them with one label per sample ({_shape(target)})."
            )
            fix = "give the last layer one output (out_features=1) for two classes, or use nn.CrossEntropyLoss with long labels."
        else:
            message = (
                f"The loss is given outputs of shape {_shape(outputs)} and labels of shape {_shape(target)}: "
                f"{task.loss_name} needs the same shape for both."
            )
            fix = "squeeze the logits: model(X).squeeze(1) gives [N] from [N, 1]."
        problems.append(("shape_mismatch", message, fix))
        return problems
    if task.kind == MULTICLASS:
        if outputs.ndim != 2 or outputs.shape[1] < 2:
            problems.append(
                (
                    "shape_mismatch",
                    f"{task.loss_name} needs one output per class ([N, C] with C ≥ 2); the model gives {_shape(outputs)}.",
                    "give the last layer out_features equal to the number of classes.",
                )
            )
            return problems
        if target.is_floating_point() and target.ndim == 1:
            problems.append(
                (
                    "float_labels",
                    f"The labels are {target.dtype} of shape {list(target.shape)} but {task.loss_name} wants class "
                    "indices of type long (torch.int64), or class probabilities of shape [N, C].",
                    "convert the labels: y = y.type(torch.int64).",
                )
            )
            return problems
        if not target.is_floating_point():
            if target.ndim != 1:
                problems.append(
                    (
                        "shape_mismatch",
                        f"The labels have shape {_shape(target)}; {task.loss_name} wants one class index per sample, [N].",
                        "squeeze the labels: y = y.squeeze(1).",
                    )
                )
                return problems
            n_classes = outputs.shape[1]
            if target.numel() and (int(target.max()) >= n_classes or int(target.min()) < 0):
                low, high = int(target.min()), int(target.max())
                if low == 1 and high == n_classes:  # C classes counted from 1
                    message = (
                        f"The labels run from 1 to {high} but the model's {n_classes} outputs stand for classes "
                        f"0 to {n_classes - 1}: your labels look 1-based (counted from 1), and class indices "
                        "count from 0."
                    )
                    fix = "shift the labels once, for every split: y = y - 1 (classes 0 to C − 1)."
                else:
                    message = (
                        f"The labels run from {low} to {high} but the model has {n_classes} outputs, "
                        f"for classes 0 to {n_classes - 1}."
                    )
                    fix = (
                        "give the last layer one output per class (out_features = the number of classes), "
                        "and number the classes 0 to C − 1."
                    )
                problems.append(("labels_out_of_range", message, fix))
    return problems
