"""Probes of the learner's objects: what the checks look at, by running them, never by reading
their code. Each probe raises ``Wrong`` (with numbers, never the expected answer) or returns what
it measured; the learner's code is always called through ``theirs`` or ``forward``, so that its
errors are said as theirs. The model is run by ``helpers.decision.run_model`` (it keeps its
device, modes and weights) and its logits read by ``helpers.decision.labels_from_logits``.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode  # torch's public way to watch aten calls

from helpers.check.framework import NotAttempted, Wrong, describe, not_a_class, theirs
from helpers.check.table import SPIRAL_CLASSES, Target
from helpers.decision import labels_from_logits, plane_grid, run_model

#: Share of the grid points of a drawn decision region that must agree with the model's predictions.
REGION_AGREEMENT = 0.98
#: torch operations a tanh written from exponentials must not call, or that leave torch.
BANNED = {"tanh", "tanh_", "tanh_backward", "tan", "tan_"}
#: Functions that already do the overflow-safe work task 6 is about (tanh(x) = 2 sigmoid(2x) - 1):
#: torch.sigmoid, torch.special.expit (aten's sigmoid), F.logsigmoid, F.softplus, softmax and log-softmax.
SAFE_SQUASHES = {
    "sigmoid",
    "sigmoid_",
    "log_sigmoid_forward",
    "log_sigmoid",
    "softplus",
    "_softmax",
    "_log_softmax",
    "silu",
    "glu",
    "mish",
    "logaddexp",
    "logsumexp",
}
LEAVES_TORCH = {"numpy", "tolist", "item", "__array__", "__float__", "__int__", "__index__", "apply_", "map_", "map2_"}
#: A tensor the function reads that it did not compute, larger than this and than its input, is a stored table.
STORED_TABLE = 64


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _kinds(n_sets: int) -> tuple[str, ...]:
    return ("training", "test") if n_sets == 2 else ("training", "validation", "test")


def check_split(names, values, reference, label_dtype, recipe) -> None:
    """Wrong unless the learner's split equals the reference, tensor by tensor.

    Args:
        names: the variables' names, for the messages: the features of each set, then the labels.
        values: the learner's (X_train, X_test, y_train, y_test), or with a validation set
            (X_train, X_val, X_test, y_train, y_val, y_test).
        reference: the reference split, in the same order (``helpers.check.reference``).
        label_dtype: the labels' dtype the task asks for.
        recipe: how the reference is made, for the message.

    Raises:
        Wrong: a value is not a tensor, or has another dtype, shape or values (said with how they differ).
    """
    n_sets = len(values) // 2
    for name, value in zip(names, values):
        if not isinstance(value, torch.Tensor):
            raise Wrong(
                f"{name} is {describe(value)}; it should be a torch tensor (torch.from_numpy(array).type(...))."
            )
    features_as_labels = [n for n, v, r in zip(names[:n_sets], values[:n_sets], reference) if v.ndim < r.ndim]
    labels_as_features = [n for n, v, r in zip(names[n_sets:], values[n_sets:], reference[n_sets:]) if v.ndim > r.ndim]
    if features_as_labels and labels_as_features:
        raise Wrong(
            f"{', '.join(features_as_labels)} hold{'s' if len(features_as_labels) == 1 else ''} labels (one number "
            f"per sample) and {', '.join(labels_as_features)} features: train_test_split(X, y, ...) returns "
            "X_train, X_test, y_train, y_test, in that order. Unpack its result in that order."
        )
    for name, value, ref, dtype in zip(names, values, reference, (torch.float32,) * n_sets + (label_dtype,) * n_sets):
        if value.dtype != dtype:
            raise Wrong(f"{name} has dtype {value.dtype}; it should be {dtype}.")
        if tuple(value.shape) != tuple(ref.shape):
            sizes = [len(r) for r in reference[:n_sets]]
            what = "rows" if value.ndim else "elements"
            shares = "/".join(str(round(100 * s / sum(sizes))) for s in sizes)
            raise Wrong(
                f"{name} has shape {list(value.shape)} ({value.shape[0] if value.ndim else 0} {what}); "
                f"it should be {list(ref.shape)}: {'an' if shares.startswith('8') else 'a'} {shares} split of {sum(sizes)} samples has "
                + _and([f"{s} {kind}" for s, kind in zip(sizes, _kinds(n_sets))])
                + " samples."
            )
    for name, value, ref in zip(names, values, reference):
        if not torch.allclose(value.detach().cpu().to(ref.dtype), ref, atol=1e-6):
            raise Wrong(
                f"{name} has the right shape but other values than {recipe}: {split_difference(values, reference, names)}"
            )


def _rows(X) -> list[tuple]:
    return [tuple(row) for row in np.round(X.detach().cpu().double().numpy().reshape(len(X), -1), 5).tolist()]


def split_difference(values, reference, names=("X_train",)) -> str:
    """What a learner's split has that the reference has not, measured: other points, the same points
    split otherwise, the same rows in another order, or labels that left their rows.

    Args:
        values: the learner's split (as for ``check_split``), tensors of the reference's shapes.
        reference: the reference split.
        names: the variables' names (the first, the training features, is named).

    Returns:
        A sentence with the numbers and where to look.
    """
    n_sets = len(values) // 2
    kinds = _kinds(n_sets)
    home = {}
    for kind, X_ref, y_ref in zip(kinds, reference[:n_sets], reference[n_sets:]):
        home.update({row: (kind, float(label)) for row, label in zip(_rows(X_ref), y_ref.tolist())})
    total = sum(len(X_ref) for X_ref in reference[:n_sets])
    mine = [row for X in values[:n_sets] for row in _rows(X)]
    other = sum(row not in home for row in mine)
    if other:
        return (
            f"{other} of your {total} points are not among the reference's points (another noise, number of "
            "samples or seed of the generator gives other points). Check the data's arguments first."
        )
    moved = sum(home[row][0] != "training" for row in _rows(values[0]))
    if moved:
        elsewhere = " or ".join(kinds[1:])
        return (
            f"the points are the right {total}, but split otherwise: {moved} of the {len(reference[0])} rows of "
            f"your {names[0]} belong to the reference's "
            f"{elsewhere} set. Check train_test_split's arguments (test_size, random_state) and that you pass "
            "no stratify= or shuffle=False."
        )
    sets = list(zip(names, kinds, values[:n_sets]))
    for (name_a, _, X_a), (name_b, _, X_b) in [(a, b) for i, a in enumerate(sets) for b in sets[i + 1 :]]:
        shared = len(set(_rows(X_a)) & set(_rows(X_b)))
        if shared:
            return (
                f"{shared} rows are in both your {name_a} and your {name_b}: the same points in two sets, so the "
                f"{name_b.split('_')[-1] if name_b.split('_')[-1] in ('val', 'test') else 'second'} numbers would "
                "measure points the model has seen (a leak). Split each row into exactly one set: one "
                "train_test_split call per cut, each set unpacked once."
            )
    for name, kind, X in sets[1:]:
        homes = [home[row][0] for row in _rows(X)]
        astray = [h for h in homes if h != kind]
        if astray:
            where = max(set(astray), key=astray.count)
            return (
                f"your {names[0]} holds the reference's training rows, but {len(astray)} of the {len(X)} rows of "
                f"your {name} belong to the reference's {where} set"
                + (
                    f" (all of them: your {kind} and {where} sets are swapped). Cut the test set off the whole "
                    "first, then the validation set off the rest, and unpack each call in the order "
                    "train_test_split returns (X_a, X_b, y_a, y_b), passing the sets to the check in its order."
                    if len(astray) == len(X)
                    else ". Check which variable each train_test_split output goes to."
                )
            )
    labels = [float(label) for y in values[n_sets:] for label in y.detach().cpu().double().tolist()]
    astray = sum(home[row][1] != label for row, label in zip(mine, labels))
    if astray:
        return (
            f"{astray} of your {total} labels do not belong to the row beside them: the labels were split or "
            "shuffled apart from the features. Split X and y in one train_test_split call."
        )
    return (
        "the same rows in each set, in another order (the rows were shuffled or sorted after the split). "
        "Use the order train_test_split gives."
    )


def as_module(model, name: str, example: str) -> nn.Module:
    """The learner's model, checked to be a module.

    Args:
        model: the learner's value.
        name: its variable's name.
        example: the line that creates one, for the message.

    Returns:
        ``model``.

    Raises:
        NotAttempted: it is None.
        Wrong: it is a class, or not an ``nn.Module``.
    """
    if model is None:
        raise NotAttempted()
    not_a_class(name, model, example)
    if not isinstance(model, nn.Module):
        raise Wrong(f"{name} is {describe(model)}, not a torch.nn.Module.")
    named = list(model.named_parameters())
    lazy = [key for key, p in named if isinstance(p, nn.parameter.UninitializedParameter)]
    if lazy:
        raise Wrong(
            f"{len(lazy)} of {name}'s parameter tensors ({lazy[0]}, ...) do not exist yet: lazy layers such as "
            "nn.LazyLinear make their weights at the first forward pass. Give the layers their input sizes "
            "(nn.Linear(in_features, out_features)), or run the model once on a batch before creating the "
            "optimizer, so that the optimizer holds the real weights."
        )
    broken = [key for key, p in named if not torch.isfinite(p.detach()).all()]
    if broken:
        bad = sum(int((~torch.isfinite(p.detach())).sum()) for _, p in named)
        total = sum(p.numel() for _, p in named)
        raise Wrong(
            f"{name}'s weights hold NaN or infinity: {bad} of its {total} numbers, in {len(broken)} of its "
            f"{len(named)} parameter tensors (first: {broken[0]}). Training diverged: a learning rate too "
            "large makes the loss explode until it is NaN. Create the model again (run its cell), then the "
            "loss and optimizer cells, and train with a smaller learning rate."
        )
    return model


def forward(model: nn.Module, X: torch.Tensor, name: str = "model", grad: bool = False):
    """The model's output for a copy of X, as prediction (eval mode), by ``helpers.decision.run_model``:
    the model keeps its device, train/eval modes and weights, even if its forward changes them.

    Args:
        model: the learner's module; X: the points; name: the model's name, for messages.
        grad: run with autograd on (to read the last operation).

    Returns:
        What the model returns.

    Raises:
        Wrong: the model raised (its errors are its own).
    """
    return theirs(f"{name}'s forward", run_model, model, X, grad=grad)


def outputs(model, X, name="model") -> torch.Tensor:
    """The model's outputs for X as a float32 CPU tensor.

    Args:
        model, X, name: as for ``forward``.

    Returns:
        A detached CPU copy of the output.

    Raises:
        Wrong: the model raised, or returned something other than a tensor.
    """
    output = forward(model, X, name)
    if not isinstance(output, torch.Tensor):
        raise Wrong(f"{name} returned {describe(output)}, not a tensor of logits.")
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


#: Arithmetic with a constant (sigmoid(z) * 1.0, sigmoid(z) - 0.5): it shifts or scales what it is
#: given, so the operation before it is still the last one that decides the output's range.
_WITH_A_CONSTANT = ("Mul", "Add", "Sub", "Rsub", "Div", "Neg")


def _passes_through(node) -> bool:
    kind = type(node).__name__.rstrip("0123456789").removesuffix("Backward")
    if kind in _SHAPE_ONLY:
        return True
    inputs = [f for f, _ in node.next_functions if f is not None]
    return kind in _WITH_A_CONSTANT and len(inputs) == 1


def last_operation(model, X, name="model") -> str:
    """The name of the last operation of the model's forward that computes values ("SigmoidBackward0"),
    seen through reshaping operations and arithmetic with a constant (a squeeze after a sigmoid, or sigmoid(z) - 0.5, still ends in a sigmoid).

    Args:
        model, X, name: as for ``forward`` (four rows of X are used).

    Returns:
        The autograd node's class name; "" if the model has no trainable parameters. Reshaping and
        arithmetic with a constant are seen through.

    Raises:
        Wrong: the model raised.
    """
    if not any(p.requires_grad for p in model.parameters()):
        return ""
    output = forward(model, X[:4], name, grad=True)
    node = getattr(output, "grad_fn", None)
    while node is not None and _passes_through(node):
        node = next((f for f, _ in node.next_functions if f is not None), None)
    return type(node).__name__ if node is not None else ""


def _far_points(X, n=512) -> torch.Tensor:
    """Points around the data and far out (up to a thousand times its spread), drawn the same way every time."""
    generator = torch.Generator().manual_seed(1)
    centre, spread = X.mean(dim=0), X.std(dim=0).clamp_min(1e-3)
    scales = torch.logspace(0, 3, n).unsqueeze(1)
    directions = torch.randn(n, X.shape[1], generator=generator)
    return centre + directions * spread * scales


def _squashed_outputs(model, X, name, n_classes) -> str | None:
    """'a sigmoid' / 'a softmax' when the model's outputs are probabilities however it computes them (a
    sigmoid written by hand, 1 / (1 + exp(-z))): on the test set and on points far out, where a logit
    grows without bound, every output lies in [0, 1] (and, with several classes, each row sums to 1)."""
    try:  # as many far points as X has rows: a model is asked for no more rows than the test set has
        values = torch.cat([outputs(model, X, name), outputs(model, _far_points(X, n=len(X)), name)]).double()
    except Wrong:
        return None  # it fails on other rows: the checks that follow say so
    finite = torch.isfinite(values).reshape(len(values), -1).all(dim=1)
    if finite[: len(X)].sum() < len(X):
        return None  # not finite on the data itself: diverged, which other checks name
    values = values[finite]  # far out, a softmax written by hand overflows (inf / inf): those rows say nothing
    if (values.max() - values.min()).item() < 1e-6:
        return None  # no squash to read in a constant output: other checks say what is wrong
    in_unit = bool(((values >= 0) & (values <= 1)).all())
    if n_classes == 1 or values.ndim == 1 or values.shape[-1] == 1:
        return "a sigmoid" if in_unit else None
    return (
        "a softmax"
        if in_unit and torch.allclose(values.sum(dim=-1), torch.ones(len(values), dtype=values.dtype), atol=1e-4)
        else None
    )


def no_final_squash(model, X, name="model", n_classes=1) -> None:
    """Fail a model whose forward ends in a sigmoid or softmax: the course's models return logits.

    Args:
        model, X, name: as for ``forward``.
        n_classes: 1 for a binary model, else the number of classes (names the right loss).

    Raises:
        Wrong: the last operation is a sigmoid or a (log-)softmax, or the model raised.
    """
    last = last_operation(model, X, name)
    squash = (
        "a sigmoid"
        if last.startswith("Sigmoid")
        else "a softmax"
        if last.startswith(("Softmax", "LogSoftmax"))
        else None
    )
    if not squash and last.rstrip("0123456789").removesuffix("Backward") not in ACTIVATIONS:
        squash = _squashed_outputs(model, X, name, n_classes)  # an activation such as a clamp is named as such
    if squash:
        values = outputs(model, X, name)
        loss = "nn.BCEWithLogitsLoss()" if n_classes == 1 else "nn.CrossEntropyLoss()"
        raise Wrong(
            f"{name} ends in {squash}: its {values.numel()} outputs on the test set all lie between "
            f"{values.min().item():.3g} and {values.max().item():.3g}, probabilities rather than logits. "
            f"Return logits: remove the last activation from the model; {loss} applies it itself, "
            "in a numerically stable way, and you apply it yourself only to read predictions."
        )


#: Activations (autograd node names, without "Backward"): none belongs after the layer that gives logits.
ACTIVATIONS = (
    "Relu",
    "LeakyRelu",
    "Elu",
    "Gelu",
    "Silu",
    "Mish",
    "Softplus",
    "Hardtanh",
    "Hardswish",
    "Hardsigmoid",
    "Tanh",
    "Threshold",
    "Celu",
    "Selu",
    "Prelu",
    "Abs",
    "Clamp",
    # Not activations between layers, but as the last operation they too keep the logits from taking
    # every value: exp (all positive: always class 1), log-sigmoid (all negative), a square.
    "Exp",
    "LogSigmoid",
    "Pow",
)


def no_final_activation(model, X, name="model") -> None:
    """Fail a model whose forward ends in an activation such as ReLU: its last layer must give logits,
    any real number; an activation after it is no non-linearity between layers.

    Args:
        model, X, name: as for ``forward``.

    Raises:
        Wrong: the last operation is an activation (said with the share of outputs it clips).
    """
    last = last_operation(model, X, name).rstrip("0123456789").removesuffix("Backward")
    if last not in ACTIVATIONS:
        return
    values = outputs(model, X, name)
    low, high = values.min().item(), values.max().item()
    raise Wrong(
        f"{name} ends in an activation ({last.lower()}) after its last layer: its {values.numel()} outputs on the "
        f"test set lie between {low:.3g} and {high:.3g}, so the logits cannot take every value"
        + (f" ({int((values == 0).sum())} are exactly 0)" if (values == 0).any() else "")
        + ". An activation belongs between two nn.Linear layers, where it bends the boundary; the last "
        "layer's output is the logit, with nothing after it."
    )


def binary_logits(model, X, name="model") -> torch.Tensor:
    """A binary model's logits for X, one per row.

    Args:
        model, X, name: as for ``forward``.

    Returns:
        float32 [N].

    Raises:
        Wrong: the model raised, or its output is not [N] or [N, 1].
    """
    logits = outputs(model, X, name)
    if tuple(logits.shape) in ((X.shape[0], 1), (X.shape[0],)):
        return logits.reshape(-1)
    raise Wrong(
        f"for {X.shape[0]} samples {name} returned shape {list(logits.shape)}; a binary "
        f"classifier gives one logit per sample: [{X.shape[0]}, 1]."
    )


def class_logits(model, X, name) -> torch.Tensor:
    """A multi-class model's logits for X: one per class of the spirals.

    Args:
        model, X, name: as for ``forward``.

    Returns:
        float32 [N, SPIRAL_CLASSES].

    Raises:
        Wrong: the model raised, or its output has another shape.
    """
    logits = outputs(model, X, name)
    if logits.ndim != 2 or logits.shape != (X.shape[0], SPIRAL_CLASSES):
        raise Wrong(
            f"{name} returns shape {list(logits.shape)} for {X.shape[0]} samples; the spirals have "
            f"{SPIRAL_CLASSES} classes, so it should give {SPIRAL_CLASSES} logits per sample: "
            f"[{X.shape[0]}, {SPIRAL_CLASSES}]."
        )
    return logits


def is_affine(model, X, name) -> bool:
    """Whether the model behaves like one linear function on points around the data.

    Args:
        model, X, name: as for ``forward``; X gives the box the points are drawn in.

    Returns:
        True if its output at the midpoint of two points is the mean of its outputs there.

    Raises:
        Wrong: the model raised.
    """
    generator = torch.Generator().manual_seed(0)
    lows, highs = X.min(dim=0).values - 1, X.max(dim=0).values + 1
    a = lows + (highs - lows) * torch.rand(256, X.shape[1], generator=generator)
    b = lows + (highs - lows) * torch.rand(256, X.shape[1], generator=generator)
    f_a, f_b, f_mid = (outputs(model, points, name) for points in (a, b, (a + b) / 2))
    gap = (f_mid - (f_a + f_b) / 2).abs().max().item()
    scale = max(f_a.abs().max().item(), f_b.abs().max().item(), 1e-6)
    return gap <= 1e-4 * scale


def weights_meet_the_input(model, X, name) -> None:
    """Wrong if the model's trainable weights only shift or scale its output the same way at every
    input: then how it depends on the input is fixed in its code (a hand-written rule, a lookup of
    stored rows) and training cannot change it.

    Args:
        model, X, name: as for ``forward``; eight rows of X are probed one by one.

    Raises:
        Wrong: the gradient of the output with respect to the parameters is the same at every row, or
            the model raised.
    """
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        return
    rows = X[torch.randperm(len(X), generator=torch.Generator().manual_seed(0))[:8]]
    gradients = []
    for row in rows:
        output = forward(model, row[None], name, grad=True)
        if not isinstance(output, torch.Tensor) or output.grad_fn is None:
            return  # no graph to read: the other probes say what is wrong
        # autograd.grad, not backward: the learner's .grad stays as it was.
        grads = torch.autograd.grad(output.sum(), params, allow_unused=True)
        gradients.append(
            torch.cat([(g if g is not None else torch.zeros_like(p)).reshape(-1) for g, p in zip(grads, params)])
        )
    values = outputs(model, rows, name)
    if (values.max() - values.min()).item() <= 1e-6:
        return  # a constant output (every ReLU dead) is a training failure, said by the accuracy checks
    if all(torch.allclose(g, gradients[0], atol=1e-7) for g in gradients[1:]):
        n_params = sum(p.numel() for p in params)
        raise Wrong(
            f"{name}'s {n_params} trainable number(s) change its output the same way at every input: how it "
            "depends on the input is written into its code (a hand-made rule, or rows it looks up), not "
            "learned. Build it from nn.Linear layers with an activation between them, and let training set "
            "the weights."
        )


#: The fewest nn.Linear layers a network with a hidden layer has: input -> hidden, hidden -> output.
FEWEST_LINEAR = 2


def _tensors_held(model: nn.Module):
    """Every array the model keeps: its parameters, buffers, and tensor or NumPy attributes (also in
    lists, tuples and dicts one level down), as CPU tensors."""
    yield from (p.detach() for p in model.parameters())
    yield from model.buffers()
    for module in model.modules():
        for value in vars(module).values():
            items = (
                value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else [value]
            )
            for item in items:
                if isinstance(item, torch.Tensor) and not isinstance(item, nn.Parameter):
                    yield item.detach()
                elif isinstance(item, np.ndarray) and item.dtype.kind == "f":
                    yield torch.from_numpy(item)


def a_network(model: nn.Module, name: str, X_train: torch.Tensor) -> None:
    """Wrong unless the model is a network with a hidden layer that computes its answer: at least
    FEWEST_LINEAR nn.Linear layers, trainable weights, and none of the training rows stored in it
    (a nearest-neighbour lookup passes every accuracy check without learning anything).

    Args:
        model: the learner's module.
        name: its variable name.
        X_train: the reference training features.

    Raises:
        Wrong: fewer nn.Linear layers, no trainable parameter, or the training rows kept in a tensor.
    """
    n_linear = sum(isinstance(m, nn.Linear) for m in model.modules())  # nn.LazyLinear is an nn.Linear
    if n_linear < FEWEST_LINEAR:
        raise Wrong(
            f"{name} has {n_linear} nn.Linear layer(s); the task asks for a neural network with a hidden layer: "
            "nn.Linear layers (at least two: input to hidden, hidden to output) with a non-linear activation "
            "between them."
        )
    params = list(model.parameters())
    if not any(p.requires_grad for p in params):
        raise Wrong(
            f"none of {name}'s {sum(p.numel() for p in params)} parameters is trainable (requires_grad is False "
            "for every one): training could not change it. Leave requires_grad as nn.Linear sets it."
        )
    wanted = set(_rows(X_train))
    for held in _tensors_held(model):
        if (
            held.ndim == 2
            and len(held) >= len(X_train) // 2
            and X_train.shape[1] in held.shape
            and (held.shape[1] == X_train.shape[1] or held.shape[0] == X_train.shape[1])
        ):
            held = held if held.shape[1] == X_train.shape[1] else held.T
            stored = len(wanted & set(_rows(held.detach().cpu().float())))
            if stored >= len(X_train) // 2:
                raise Wrong(
                    f"{name} keeps {stored} of the {len(X_train)} training rows in a tensor and answers from "
                    "them (a lookup, such as nearest neighbours): it stores the data instead of learning a rule. "
                    "Build it from nn.Linear layers with an activation between them, and let training set the "
                    "weights."
                )


def parameters_covered(model: nn.Module, optimizer, name: str, example: str) -> None:
    """Wrong unless ``optimizer`` is a torch optimizer updating every parameter of ``model``.

    Args:
        model: the learner's module.
        optimizer: the learner's value.
        name: the optimizer's variable name.
        example: the line that creates one, for the message.

    Raises:
        Wrong: a class, not an optimizer, parameters left out, or a learning rate that is not positive.
    """
    if isinstance(optimizer, type):
        example = f"{name} = torch.optim.{optimizer.__name__}(params=...parameters(), lr=...)"
    not_a_class(name, optimizer, example)
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise Wrong(f"{name} is {describe(optimizer)}, not a torch.optim optimizer.")
    optimized = {id(p) for group in optimizer.param_groups for p in group["params"]}
    model_params = list(model.parameters())
    missing = sum(id(p) not in optimized for p in model_params)
    if missing:
        raise Wrong(
            f"{name} does not update {missing} of the model's {len(model_params)} parameter "
            f"tensors: create it from this model's parameters ({example}), after creating the model "
            "(a model created again afterwards has new parameters)."
        )
    rates = [group.get("lr", 0) for group in optimizer.param_groups]
    rates = [
        lr.item() if isinstance(lr, torch.Tensor) and lr.numel() == 1 else lr for lr in rates
    ]  # torch takes a tensor lr
    if not all(isinstance(lr, (int, float)) and not isinstance(lr, bool) and lr > 0 for lr in rates):
        raise Wrong(f"the learning rate must be a positive number; got {rates}.")
    if any(group.get("maximize") for group in optimizer.param_groups):
        raise Wrong(
            f"{name} was created with maximize=True: each step then moves the weights to make the loss larger. "
            "Leave maximize out: training minimises the loss."
        )


def percent(logits, y) -> float:
    """Accuracy (percent) of logits against labels, by ``helpers.decision.labels_from_logits``.

    Args:
        logits: [N] or [N, K].
        y: labels [N].

    Returns:
        The share of right labels, in percent.
    """
    return (labels_from_logits(logits) == y.long()).float().mean().item() * 100


def generalises(model, name, split, fresh, target: Target, logits_of, fresh_what, why_low=None) -> tuple[float, float]:
    """Accuracy over the target on the test set, on fresh samples, and predictions that follow the rows.

    Args:
        model, name: the learner's model and its name.
        split: the reference split.
        fresh: fresh (X, y) of the same generator.
        target: the task's ``Target``.
        logits_of: ``binary_logits`` or ``class_logits``.
        fresh_what: what the fresh samples are, for the message.
        why_low: a function of no argument saying why the test accuracy is low (the doctor's
            diagnosis); None: generic advice.

    Returns:
        (test accuracy, fresh accuracy), percent.

    Raises:
        Wrong: an accuracy at or under its target, predictions that change with the rows' order,
            or the model raised.
    """
    target, fresh_target = target.test, target.fresh
    X_test, y_test = split[1], split[3]
    test_logits = logits_of(model, X_test, name)
    test_acc = percent(test_logits, y_test)
    if test_acc <= target:
        raise Wrong(
            f"{name} reaches {test_acc:.1f}% on the test set ({round(test_acc * len(y_test) / 100)} of "
            f"{len(y_test)} right); the target is over {target:.0f}%. "
            + (
                why_low()
                if why_low
                else "Train for more epochs, change the learning rate, or give the model more hidden units."
            )
        )
    order = torch.randperm(len(X_test), generator=torch.Generator().manual_seed(0))
    shuffled = labels_from_logits(logits_of(model, X_test[order], name))
    moved = int((shuffled != labels_from_logits(test_logits)[order]).sum())
    if moved:
        raise Wrong(
            f"with the test rows in another order, {moved} of {name}'s {len(X_test)} predictions do not "
            "follow their rows: a prediction must depend on its own row only, not on where it sits in the "
            "batch nor on a stored copy of the test labels."
        )
    X_fresh, y_fresh = fresh
    fresh_acc = percent(logits_of(model, X_fresh, name), y_fresh)
    if fresh_acc <= fresh_target:
        raise Wrong(
            f"{name} reaches {test_acc:.1f}% on the test set but only {fresh_acc:.1f}% on {len(y_fresh)} "
            f"fresh samples of {fresh_what} (the bar there is over {fresh_target:.0f}%): it has learned "
            "the test rows rather than the shape of the data. Train on the training set only, and "
            "let the model learn the pattern: it should not store or look up rows."
        )
    return test_acc, fresh_acc


def panels(axes, name):
    """The two Axes a decision-boundary task was drawn on.

    Args:
        axes: the learner's value.
        name: its variable's name.

    Returns:
        [left, right] Axes.

    Raises:
        NotAttempted: None.
        Wrong: one Axes, or not two Axes.
    """
    from matplotlib.axes import Axes  # here: matplotlib takes ~0.5 s to import, and only tasks 5 and 7e need it

    if axes is None:
        raise NotAttempted()
    if isinstance(axes, Axes):
        raise Wrong(f"{name} is one Axes; pass both panels (fig, {name} = plt.subplots(1, 2)).")
    from matplotlib.figure import Figure  # here: as above

    if isinstance(axes, (tuple, list)) and axes and isinstance(axes[0], Figure):
        raise Wrong(
            f"{name} is a pair (Figure, Axes): plt.subplots returns both the figure and the panels. "
            f"Unpack it, fig, {name} = plt.subplots(1, 2), and pass {name}."
        )
    try:
        panels = list(np.asarray(axes, dtype=object).ravel())
    except Exception:
        raise Wrong(
            f"{name} is {describe(axes)}; pass the two Axes you drew on (fig, {name} = plt.subplots(1, 2))."
        ) from None
    if len(panels) != 2 or not all(isinstance(ax, Axes) for ax in panels):
        raise Wrong(f"{name} should hold 2 matplotlib Axes (train and test); it holds {len(panels)} objects.")
    return panels


def dots(ax) -> np.ndarray:
    """Every point scattered on the Axes (contour lines, also collections, are not points).

    Args:
        ax: a matplotlib Axes.

    Returns:
        float [P, 2], possibly empty.
    """
    from matplotlib.collections import PathCollection  # here: as in panels

    offsets = [
        np.asarray(c.get_offsets(), dtype=float)
        for c in ax.collections
        if isinstance(c, PathCollection) and not hasattr(c, "levels") and len(c.get_offsets())
    ]
    return np.concatenate(offsets) if offsets else np.zeros((0, 2))


def miscoloured(ax, X: torch.Tensor, y: torch.Tensor) -> tuple[int, int]:
    """How many dots drawn in a class colour (``helpers.style.CLASS_COLOURS``) are not in the colour of
    their row's label: the labels passed to the plot were not the set's own.

    Args:
        ax: a matplotlib Axes.
        X, y: the reference set the panel shows (its rows and labels).

    Returns:
        (dots in another class's colour, dots in a class colour); dots in other colours are not counted.
    """
    from matplotlib.collections import PathCollection  # here: as in panels
    from matplotlib.colors import to_rgb

    from helpers.style import CLASS_COLOURS

    palette = np.array([to_rgb(colour) for colour in CLASS_COLOURS])
    label_of: dict[tuple, set] = {}  # a row may repeat with other labels (the spirals all start at the origin)
    for row, label in zip(_rows(X), y.long().tolist()):
        label_of.setdefault(row, set()).add(label)
    wrong = coloured = 0
    for collection in ax.collections:
        if not isinstance(collection, PathCollection) or hasattr(collection, "levels"):
            continue
        points = np.asarray(collection.get_offsets(), dtype=float)
        faces = np.asarray(collection.get_facecolors(), dtype=float)
        if not len(points) or not len(faces):
            continue
        faces = np.broadcast_to(faces, (len(points), 4)) if len(faces) == 1 else faces
        rows = [tuple(row) for row in np.round(points, 5).tolist()]
        for row, face in zip(rows, faces[: len(points)]):
            matches = np.flatnonzero(np.abs(palette - face[:3]).max(axis=1) < 2e-3)
            if len(matches) and row in label_of:
                coloured += 1
                wrong += int(matches[0]) not in label_of[row]
    return wrong, coloured


def same_points(points: np.ndarray, X: torch.Tensor) -> bool:
    """Whether the points drawn are the rows of X, in any order.

    Args:
        points: [P, 2] from ``dots``.
        X: a reference tensor [N, 2].

    Returns:
        True if they are the same points (to 1e-5).
    """
    X = X.numpy().astype(float)
    if points.shape != X.shape:
        return False
    a, b = points[np.lexsort(points.T[::-1])], X[np.lexsort(X.T[::-1])]
    return np.allclose(a, b, atol=1e-5)


#: The words that name each set in a panel's title (whole words: "latest" does not name the test set).
_SET_WORDS = {
    "train": ("train", "training", "trained on"),
    "test": ("test", "testing", "held-out", "held out", "unseen"),
}


def _names(title: str, which: str) -> bool:
    """Whether a panel title names the set ``which`` ("train" or "test"), by whole words; phrases about
    the model ("trained model", "after training") name no set."""
    import re

    words = re.sub(r"\b(trained model|after training|during training|latest)\b", " ", title.lower())
    return any(re.search(rf"\b{re.escape(word)}\b", words) for word in _SET_WORDS[which])


def check_boundaries(model, axes, model_name, axes_name, split, data_name, example) -> str:
    """The decision-boundary tasks (5 and 7e): two panels, train and test, titled so, whose
    regions (``helpers.plotting.drawn_regions``) are the model's predictions on the same grid.

    Args:
        model, axes: the learner's; model_name, axes_name: their names, for messages.
        model_name, axes_name: their names, for messages.
        split: the reference split.
        data_name: "moons" or "spirals".
        example: the line that creates the model, for messages.

    Returns:
        The success message.

    Raises:
        NotAttempted / Wrong: as the panels, points, titles or regions say.
    """
    from helpers.plotting import drawn_regions  # here: as in panels (plotting imports pyplot)

    sides = panels(axes, axes_name)
    model = as_module(model, model_name, example)
    X_train, X_test = split[0], split[1]
    shown = {}
    for side, ax in zip(("left", "right"), sides):
        regions = drawn_regions(ax)
        if regions is None:
            raise Wrong(
                f"the {side} panel has no decision regions: draw them with "
                f"helpers.plot_decision_boundary({model_name}, X, y, ax={axes_name}[i])."
            )
        shown_points = dots(ax)
        which = "train" if same_points(shown_points, X_train) else "test" if same_points(shown_points, X_test) else None
        if which is None:
            raise Wrong(
                f"the {side} panel shows {len(shown_points)} points that are neither the {len(X_train)} training "
                f"samples nor the {len(X_test)} test samples of the {data_name}: draw one panel with each."
            )
        if which in shown:
            raise Wrong(
                f"both panels show the {which} set; one should show the training set and the other the test set."
            )
        title = ax.get_title()
        if not title:
            raise Wrong(f"the {side} panel has no title: say which set it shows (title=...).")
        other = "test" if which == "train" else "train"
        if not _names(title, which) or _names(title, other):
            raise Wrong(
                f"the {side} panel shows the {which} set, but its title is {title!r}: a reader goes by the "
                f"title, so name the set it shows there ({which!r}) and not the other."
            )
        # The numbers behind the picture, compared with the model's predictions on the same grid
        # (scikit-learn's test of DecisionBoundaryDisplay does the same).
        _, _, grid = plane_grid(regions.extent, len(regions.xs))
        logits = forward(model, torch.from_numpy(grid).float(), model_name)
        if not isinstance(logits, torch.Tensor) or logits.shape[0] != len(grid):
            raise Wrong(f"{model_name} returned {describe(logits)} for {len(grid)} points, not their logits.")
        predicted = labels_from_logits(logits.detach().cpu()).numpy()
        drawn = np.asarray(regions.labels).reshape(-1)
        agree = float((predicted == drawn).mean())
        if agree < REGION_AGREEMENT:
            raise Wrong(
                f"the regions in the {side} panel agree with {model_name}'s predictions at only "
                f"{agree:.0%} of their {drawn.size} pixels (at least {REGION_AGREEMENT:.0%} expected): they "
                f"are not this model's. Draw them with helpers.plot_decision_boundary({model_name}, ...) "
                "after training, and run this check without changing the model in between."
            )
        X_shown, y_shown = (split[0], split[2]) if which == "train" else (split[1], split[3])
        wrong, coloured = miscoloured(ax, X_shown, y_shown)
        if wrong:
            raise Wrong(
                f"the {side} panel colours {wrong} of its {coloured} points in another class's colour than their "
                f"label: pass each set's own labels to the plot (X_train with y_train, X_test with y_test), "
                "not other labels."
            )
        shown[which] = agree
    return (
        f"the regions in both panels are your {model_name}'s predictions ({min(shown.values()):.1%} of their "
        "pixels agree), one panel for the training set and one for the test set."
    )


def as_vector(name, value, n) -> torch.Tensor:
    """One value per test sample, as a float32 CPU vector.

    Args:
        name: the variable's name.
        value: the learner's value.
        n: the number of test samples.

    Returns:
        float32 [n].

    Raises:
        Wrong: not a tensor, or another number of values.
    """
    if not isinstance(value, torch.Tensor):
        raise Wrong(f"{name} is {describe(value)}; it should be a tensor.")
    if value.numel() != n or value.squeeze().ndim != 1:
        raise Wrong(
            f"{name} has shape {list(value.shape)}; it should hold one value for each of the "
            f"{n} test samples (shape [{n}])."
        )
    return value.detach().float().cpu().reshape(-1)


def same_number(value, actual: float, tolerance: float) -> bool:
    """Whether ``value`` is ``actual`` within ``tolerance``, as a percent or a fraction.

    Args:
        value: the learner's number.
        actual: ours, in percent.
        tolerance: in percent.

    Returns:
        True if close either way.
    """
    number = float(value)
    return abs(number - actual) <= tolerance or abs(number * 100 - actual) <= tolerance


def how_far(value, actual: float, relative: bool = False) -> str:
    """How far a learner's number is from ours, in coarse steps, so that a failure message never gives
    the expected number away (typing it in would pass).

    Args:
        value: the learner's number (an accuracy as a percent or a fraction, or a loss).
        actual: ours (an accuracy in percent, or a loss).
        relative: True for a loss (the gap as a share of ours), False for an accuracy (percentage points).

    Returns:
        "more than 10 percentage points", "between 1 and 10 percent"...
    """
    number = float(value)
    if relative:
        gap, unit = abs(number - actual) * 100 / max(abs(actual), 1e-12), "percent"
    else:
        gap, unit = min(abs(number - actual), abs(number * 100 - actual)), "percentage points"
    if gap > 10:
        return f"more than 10 {unit}"
    if gap > 1:
        return f"between 1 and 10 {unit}"
    return f"less than 1 {unit}"


def watching(function, x):
    """Call function(x), noting which torch operations it runs (aten level: aliases resolve to one name).

    Args:
        function: the learner's function.
        x: its input.

    Returns:
        (what it returned, the set of operation names it ran). The set also holds "float64" if an
        operation computed in double precision, and "stored table" if one read a tensor larger than
        ``STORED_TABLE`` numbers that the function did not compute from x (values looked up, not computed).

    Raises:
        Wrong: the function raised.
    """
    from torch.utils._pytree import tree_leaves  # torch's own flattening of nested arguments

    seen = set()
    made = {id(x)}

    class Dispatch(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            seen.add(func.overloadpacket.__name__)
            for arg in tree_leaves((args, kwargs or {})):
                if isinstance(arg, torch.Tensor) and id(arg) not in made and arg.numel() > STORED_TABLE:
                    seen.add("stored table")
            out = func(*args, **(kwargs or {}))
            for result in tree_leaves(out):
                if isinstance(result, torch.Tensor):
                    made.add(id(result))
                    if result.dtype == torch.float64:
                        seen.add("float64")
            return out

    class Functions(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            seen.add(getattr(func, "__name__", ""))
            return func(*args, **(kwargs or {}))

    with Functions(), Dispatch():
        try:
            out = function(x)
        except Exception as error:
            left = seen & LEAVES_TORCH
            if left:
                raise Wrong(
                    f"your tanh turns the tensor into a Python number ({', '.join(sorted(left))}: math.exp, "
                    f"float() and the like take one number), and that fails for the {x.numel()} numbers of x: "
                    f"{type(error).__name__}: {error}. Use torch's functions (torch.exp), which work on every "
                    "element of a tensor."
                ) from None
            raise Wrong(f"your tanh raised {type(error).__name__}: {error}") from None
    return out, seen
