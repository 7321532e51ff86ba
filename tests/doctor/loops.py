"""The lessons' training loop, written out, with switches that plant one slip each in it."""

from __future__ import annotations

import contextlib

import torch

import helpers
from helpers.doctor.task import task_of


def lesson_loop(
    s,
    epochs=100,
    *,
    zero_grad=True,
    step=True,
    call_eval=True,
    call_train=True,
    evaluate_on="test",
    squeeze=True,
    inference_mode=True,
    fail_at=None,
):
    """Train ``s`` (a setup dict) as the lessons do; returns the last test accuracy.

    Each keyword turns off one part of the loop (the planted slip); ``fail_at`` raises at that
    epoch, to test what the doctor leaves behind when the learner's loop raises.
    """
    model, loss_fn, optimizer = s["model"], s["loss_fn"], s["optimizer"]
    X_train, y_train = s["X"], s["y"]
    X_eval, y_eval = (s["X_test"], s["y_test"]) if evaluate_on == "test" else (X_train, y_train)
    kind = task_of(loss_fn).kind
    binary = kind == "binary"
    test_acc = None
    for epoch in range(epochs):
        if fail_at is not None and epoch == fail_at:
            raise RuntimeError("the learner's loop failed here")
        if call_train or epoch == 0:
            model.train()
        y_logits = model(X_train)
        if binary and squeeze:
            y_logits = y_logits.squeeze(1)
        loss = loss_fn(y_logits, y_train)
        if zero_grad:
            optimizer.zero_grad()
        loss.backward()
        if step:
            optimizer.step()

        if call_eval:
            model.eval()
        with torch.inference_mode() if inference_mode else contextlib.nullcontext():
            test_logits = model(X_eval)
            if kind == "other":
                test_acc = float(loss_fn(test_logits, y_eval))
            elif binary:
                test_preds = torch.round(torch.sigmoid(test_logits.squeeze(1)))
            else:
                test_preds = test_logits.argmax(dim=1)
            if kind != "other":
                test_acc = helpers.accuracy_fn(y_eval, test_preds)
    return test_acc
