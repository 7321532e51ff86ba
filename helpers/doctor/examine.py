"""``examine``: the learner's model, loss, optimizer and data, checked from cheap to costly."""

from __future__ import annotations

import torch

from helpers.doctor import experiments, static
from helpers.doctor.copies import preserved_random_state
from helpers.doctor.report import Report
from helpers.doctor.task import task_of
from helpers.doctor.validate import check_arguments

_STOP = "the checks after it would only measure the same problem again."


def _title(model, loss_fn, optimizer, X, y) -> str:
    def describe(t):
        return f"{list(t.shape)} {str(t.dtype).replace('torch.', '')}" if hasattr(t, "dtype") else type(t).__name__

    n_parameters = sum(p.numel() for p in model.parameters())
    lrs = sorted({g.get("lr") for g in optimizer.param_groups}, key=str)
    loss_name = type(loss_fn).__name__ if isinstance(loss_fn, torch.nn.Module) else getattr(loss_fn, "__name__", "loss")
    return (
        f"Training doctor: {type(model).__name__} ({n_parameters} parameters), {loss_name}, "
        f"{type(optimizer).__name__} (lr {', '.join(f'{lr:g}' for lr in lrs)}); X {describe(X)}, y {describe(y)}"
    )


def examine(model, loss_fn, optimizer, X, y, *, X_test=None) -> Report:
    """Examine a training setup before (or instead of) training it, and say what is wrong.

    Checks, from cheap to costly: the optimizer holds this model's parameters with a learning rate
    above 0; the data (tensors, lengths, device, dtype, finite values, labels of the kind the loss
    wants, feature scales, labels that go with the features, test rows copied from training);
    one forward pass on a copy (outputs against the loss, the loss at the start against ln 2 or
    ln C, dead or saturated units); one backward pass (gradients missing, not finite, exploding
    or vanishing); a learning-rate range test on copies; fitting 64 samples on a copy, with a
    known-good optimizer and with the learner's. It stops at the first stage with a problem.

    Nothing the learner has changes: not the model (weights, gradients, train/eval mode,
    device), not the optimizer (settings, state), not the tensors, not the random state of
    torch, NumPy and Python.

    Args:
        model: the learner's ``nn.Module``.
        loss_fn: the loss, e.g. ``nn.BCEWithLogitsLoss()`` (a module or a function).
        optimizer: the learner's optimizer, e.g. ``torch.optim.SGD(model.parameters(), lr=0.1)``.
        X: the training features, ``[N, features]``.
        y: the training labels, ``[N]`` (or ``[N, 1]``).
        X_test: optional test features, to look for test samples copied from training.

    Returns:
        A :class:`~helpers.doctor.report.Report`: ``report.ok``, ``report.ids``, one line per
        finding; it prints and displays in a notebook.

    Raises:
        TypeError: an argument is not a module, a loss, an optimizer or a tensor/array.
        ValueError: ``X`` or ``y`` holds no sample.
    """
    check_arguments("examine", model, loss_fn, optimizer, X=X, y=y, X_test=X_test)
    report = Report(_title(model, loss_fn, optimizer, X, y))
    task = task_of(loss_fn)
    subject = experiments.Subject(model, loss_fn, optimizer, X, y, task)
    stages = (
        lambda: static.check_optimizer(report, model, optimizer),
        lambda: static.check_data(report, task, model, X, y, X_test),
        lambda: experiments.first_forward(report, subject),
        lambda: experiments.first_backward(report, subject),
        lambda: experiments.learning_rate(report, subject),
        lambda: experiments.fit_one_batch(report, subject),
    )
    with preserved_random_state(), torch.enable_grad():
        torch.manual_seed(0)
        for stage in stages:
            try:
                stop = stage()
            except Exception as error:  # the doctor's own failure: said as ours, never as the learner's
                report.note(
                    "skipped",
                    f"The doctor could not finish its checks ({type(error).__name__}: {error}); this is a bug in "
                    "helpers.doctor, not in your code. The lines above still hold.",
                )
                break
            if stop:
                if stage is not stages[-1]:
                    report.stopped = _STOP
                break
    return report
