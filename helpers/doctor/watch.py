"""``watch``: hooks on the learner's own training loop, read when the loop ends.

Inside ``with watch(model, loss_fn, optimizer) as report:`` the learner's loop runs unchanged.
The doctor observes it through PyTorch's removable hooks only (no attribute is replaced):
- a forward hook on the model: train/eval mode and gradient mode at each forward, which input
  went in, and (through a hook on the output) whether a backward pass used that forward;
- a hook on the last parameter: whether a fresh gradient lands on one left over from before the
  last ``optimizer.step()`` (``zero_grad`` missing, or not before every backward pass: how many
  backward passes started from cleared gradients is counted, e.g. once per epoch in a mini-batch loop);
- step hooks on the optimizer: how many steps ran, and whether a step found the gradients of the
  backward pass before it already cleared (``zero_grad`` between ``backward`` and ``step``);
- hooks on the loss module: what it is given (checked by the rules of
  :func:`helpers.doctor.static.loss_input_problems`) and the values that were trained on.
Every hook is removed on exit, also when the loop raises; the findings are then written into
the report (and, when the loop raised, added to the error's notes).
"""

from __future__ import annotations

import contextlib
import math
import statistics

import torch
from torch import nn

from helpers.doctor import static
from helpers.doctor.comparisons import BroadcastComparisons
from helpers.doctor.report import Report
from helpers.doctor.task import task_of
from helpers.doctor.validate import check_arguments

_MODE_MATTERS = (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout, nn.modules.batchnorm._BatchNorm)
_LOSS_CHECKS = 2  # calls of the loss whose inputs are checked (the first ones, in each mode)
_TREND_STEPS = 20  # the trend of fewer training steps is not judged
_SWING = 0.25  # an oscillating loss moves by a quarter of its size per step, on average
#: Optimizers that divide each step by a running size of the gradients: a growing sum does not make their steps larger.
_RESCALING = (
    torch.optim.Adam,
    torch.optim.AdamW,
    torch.optim.Adamax,
    torch.optim.NAdam,
    torch.optim.RAdam,
    torch.optim.RMSprop,
    torch.optim.Adagrad,
    torch.optim.Adadelta,
)
#: The fix for a loss that climbs or jumps: the learning rate from examine's range test, on a new model.
_LR_FIX = (
    "ask helpers.doctor.examine(model, loss_fn, optimizer, X_train, y_train) for a learning rate (its range test "
    "names one), and make the model again (helpers.set_seed, then the model, then the optimizer): steps this "
    "large may have killed its units for good."
)
_FLAT = 5e-4  # a loss whose level moves by less than 0.05% is flat
_ACCUMULATION_STEPS = 10  # how many steps the gradient's growth is followed when zero_grad is missing
_CLEARED_SHARE = 0.5  # zero_grad between backward and step: at least half of the steps see no gradient
_CHECK_EVERY_STEP = 50  # ... checked at each of the first 50 steps, then at every tenth
_CHANCE_STEPS = 200  # after this many steps a loss still at guessing's is a problem, not a slow start
_AT_CHANCE = 0.97  # "still at guessing's": the last steps' loss above 97% of ln 2 (ln C)


def _key(args):
    """Which tensor went in (its memory and shape): the same X_train gives the same key every epoch."""
    if args and isinstance(args[0], torch.Tensor):
        return args[0].data_ptr(), args[0].shape
    return None


class _Observations:
    """What the hooks saw."""

    def __init__(self):
        self.steps = 0
        self.backwards = 0
        self.trained_forwards = 0
        self.trained_in_eval = 0
        self.eval_forwards = 0
        self.eval_in_train = 0
        self.train_keys = set()
        self.eval_keys = set()
        self.losses = []
        self.loss_checks = {True: 0, False: 0}
        self.loss_problems = {}
        self.accumulated = []  # (step, |accumulated gradient| / |fresh gradient|)
        self.first_accumulation_step = None
        self.clean_backwards = 0  # backward passes that started from cleared gradients (zero_grad before them)
        self.stale_backwards = 0  # backward passes after a step that found the old gradients still there
        self.following = True  # the growth is followed until zero_grad clears the gradients again
        self.last_backward_step = {}
        self.fresh_norm = None
        self.tracked = None
        self.tracked_name = ""
        self.n_classes = None
        self.last_forward = None
        self.graded_evals = 0  # forward passes with gradients on that no backward pass followed: evaluations
        self.graded_evals_in_train = 0  # ... of them in training mode
        self.backwards_at_step = 0
        self.cleared_steps = 0  # steps that found the gradients cleared after a backward pass
        self.cleared_checks = 0  # steps at which that was checked


class _Watcher:
    def __init__(self, model, loss_fn, optimizer):
        self.model, self.loss_fn, self.optimizer = model, loss_fn, optimizer
        self.task = task_of(loss_fn)
        self.seen = _Observations()
        self.handles = []
        self.mode_matters = any(isinstance(m, _MODE_MATTERS) for m in model.modules())
        self.comparisons = BroadcastComparisons()

    # ------------------------------------------------------------------ hooks
    def start(self):
        seen = self.seen
        self.handles.append(self.model.register_forward_hook(self._on_forward))
        # One parameter tells whether zero_grad runs (it clears all of them alike): the last one,
        # nearest the output, which gets a gradient whenever anything does. One hook keeps watch cheap.
        trainable = [p for p in self.model.parameters() if p.requires_grad]
        if trainable:
            seen.tracked = trainable[-1]
            seen.tracked_name = next((n for n, p in self.model.named_parameters() if p is seen.tracked), "")
            self.handles.append(seen.tracked.register_hook(self._gradient_hook(seen.tracked)))
        self.handles.append(self.optimizer.register_step_pre_hook(self._on_step))
        if isinstance(self.loss_fn, nn.Module):
            self.loss_check_handle = self.loss_fn.register_forward_pre_hook(self._on_loss_inputs)
            self.handles.append(self.loss_check_handle)
            self.handles.append(self.loss_fn.register_forward_hook(self._on_loss))
        self.comparisons.start()

    def stop(self):
        for handle in self.handles:
            handle.remove()
        self.handles.clear()
        self.comparisons.stop()

    def _on_forward(self, module, args, output):
        seen = self.seen
        key = _key(args)
        if not torch.is_grad_enabled():
            seen.eval_forwards += 1
            seen.eval_keys.add(key)
            if module.training:
                seen.eval_in_train += 1
            return
        if isinstance(output, torch.Tensor) and output.requires_grad:
            self._not_trained_on()  # the forward pass before this one never reached a backward pass
            seen.last_forward = (module.training, key)  # the next backward pass trains on it

    def _not_trained_on(self):
        """The last forward pass with gradients on got no backward pass: an evaluation written without
        torch.inference_mode() (or a forward pass whose result was not used)."""
        seen = self.seen
        if seen.last_forward is not None:
            training, _ = seen.last_forward
            seen.last_forward = None
            seen.graded_evals += 1
            seen.graded_evals_in_train += training

    def _gradient_hook(self, parameter):
        seen = self.seen

        def hook(grad):
            seen.backwards += 1
            if seen.last_forward is not None:
                training, key = seen.last_forward
                seen.last_forward = None
                seen.trained_forwards += 1
                seen.train_keys.add(key)
                if not training:
                    seen.trained_in_eval += 1
            previous = parameter.grad
            last = seen.last_backward_step.get(parameter)
            seen.last_backward_step[parameter] = seen.steps
            if last is not None and last == seen.steps:
                return  # several backward passes before one step (gradient accumulation on purpose)
            if previous is None or not previous.any():
                seen.clean_backwards += 1  # zero_grad ran before this backward pass (or it is the first)
                if seen.first_accumulation_step is not None:
                    seen.following = False
                return
            seen.stale_backwards += 1
            if seen.first_accumulation_step is None:
                seen.first_accumulation_step = seen.steps
            if seen.following:
                seen.fresh_norm = float(grad.norm())

        return hook

    def _on_step(self, optimizer, args, kwargs):
        seen = self.seen
        seen.steps += 1
        fresh = seen.backwards > seen.backwards_at_step
        seen.backwards_at_step = seen.backwards
        # Checked at the first steps and then at every tenth: reading a gradient's values costs a
        # few microseconds, a share of a small model's step that a long loop would notice.
        if fresh and seen.tracked is not None and (seen.steps <= _CHECK_EVERY_STEP or seen.steps % 10 == 0):
            seen.cleared_checks += 1
            if seen.tracked.grad is None or not seen.tracked.grad.any():
                seen.cleared_steps += 1  # a backward pass ran, yet the step finds no gradient: zero_grad came between
        start = seen.first_accumulation_step
        tracked = seen.tracked
        following = start is not None and seen.following and seen.steps - start <= _ACCUMULATION_STEPS
        if following and seen.fresh_norm and tracked is not None and tracked.grad is not None:
            seen.accumulated.append((seen.steps, float(tracked.grad.norm()) / seen.fresh_norm))

    def _on_loss_inputs(self, module, args):
        seen = self.seen
        mode = torch.is_grad_enabled()
        if seen.loss_checks[mode] >= _LOSS_CHECKS or len(args) < 2:
            if min(seen.loss_checks.values()) >= _LOSS_CHECKS:
                self.loss_check_handle.remove()  # both modes checked: stop paying for the hook
            return
        seen.loss_checks[mode] += 1
        outputs, target = args[0], args[1]
        if isinstance(outputs, torch.Tensor) and isinstance(target, torch.Tensor):
            if self.task.kind == "binary":
                seen.n_classes = 2
            elif self.task.kind == "multiclass" and outputs.ndim == 2:
                seen.n_classes = outputs.shape[1]
            for id_, message, fix in static.loss_input_problems(self.task, outputs, target):
                seen.loss_problems.setdefault(id_, (message, fix))

    def _on_loss(self, module, args, output):
        # the training loss: computed with gradients while the model is in training mode
        if output.requires_grad and self.model.training and output.numel() == 1:
            self.seen.losses.append(output.detach())

    # ------------------------------------------------------------------ diagnosis
    def diagnose(self, report: Report, raised: bool) -> None:
        seen = self.seen
        if not raised:
            self._not_trained_on()  # the loop's last forward pass, if no backward pass followed it
        report.title = (
            f"Training doctor, watching {type(self.model).__name__} with {self.task.loss_name} and "
            f"{type(self.optimizer).__name__}: {seen.steps} optimizer steps, {seen.backwards} backward passes"
            + (" (the loop raised an error)" if raised else "")
        )
        if static.check_optimizer(report, self.model, self.optimizer):
            return  # its zero_grad() and step() act on other tensors: what follows would repeat it
        causes = False
        for id_, (message, fix) in seen.loss_problems.items():
            report.problem(id_, message, fix)
            causes = True
        if seen.backwards and not seen.steps:
            report.problem(
                "no_step",
                f"The loop ran {seen.backwards} backward passes but never called optimizer.step(): the gradients "
                "were computed and never used, so the weights never changed.",
                "call optimizer.step() after loss.backward() in every training step.",
            )
            causes = True
        if seen.first_accumulation_step is not None:
            report.problem("no_zero_grad", self._no_zero_grad_message(), self._no_zero_grad_fix())
            causes = True
        elif seen.cleared_checks and seen.cleared_steps >= max(1, _CLEARED_SHARE * seen.cleared_checks):
            report.problem(
                "zero_grad_before_step",
                f"At {seen.cleared_steps} of the {seen.cleared_checks} steps checked, optimizer.step() found the gradients already "
                "cleared: optimizer.zero_grad() runs between loss.backward() and optimizer.step(), so each step "
                "sees zero gradients and nothing is learned. No learning rate can help.",
                "call optimizer.zero_grad() before loss.backward(): zero_grad, forward, loss, backward, step.",
            )
            causes = True
        elif seen.steps:
            report.passed("zero_grad", f"Gradients start from zero at each of the {seen.steps} steps.")
        causes |= self._modes(report)
        self._evaluation_data(report)
        self._metric(report)
        if causes:
            return
        self._trend(report)

    def _metric(self, report) -> None:
        """A comparison that broadcast [N, 1] against [N]: the loop's accuracy is not one."""
        if self.comparisons.seen is None:
            return
        a, b = self.comparisons.seen
        report.problem(
            "metric_broadcast",
            f"Your loop compared a tensor of shape {a} with one of shape {b} ({self.comparisons.count} times): "
            f"== broadcasts them to [{max(a[0], b[0])}, {max(a[0], b[0])}], every prediction against every label, "
            "so an accuracy computed from it counts the wrong pairs (it can even exceed 100%).",
            "give both the same shape before comparing: y_preds.squeeze(1) == y (helpers.accuracy_fn does it for you).",
        )

    def _no_zero_grad_message(self) -> str:
        """What the gradients piling up did: how often zero_grad ran, and how the gradients grew."""
        seen = self.seen
        total = seen.clean_backwards + seen.stale_backwards
        if seen.clean_backwards <= 1:  # only the first backward pass started from zero
            text = "Your loop never calls optimizer.zero_grad(): each backward pass adds its gradients to the old ones"
        else:
            text = (
                "Your loop calls optimizer.zero_grad(), but not before every backward pass: only "
                f"{seen.clean_backwards} of the {total} backward passes started from cleared gradients, and the other "
                f"{seen.stale_backwards} added their gradients to the old ones"
            )
        if not seen.accumulated:
            return text + ", so every step also follows old gradients, not only the new one."
        step, ratio = seen.accumulated[-1]
        if ratio >= 1:
            size = (
                f": after {step} steps the gradient the optimizer uses is {ratio:.1f} times the size of that step's own"
            )
            if ratio > step:  # more than `step` steps' worth: the tracked gradient shrank as the model learned
                size += (
                    f" (measured on {seen.tracked_name or 'the last parameter'}, nearest the output, whose gradient "
                    "shrinks as the model learns: the old, larger gradients outweigh the new one)"
                )
            if isinstance(self.optimizer, _RESCALING):
                name = type(self.optimizer).__name__
                return (
                    text + size + f". {name} rescales its steps, so they do not grow with it, but each one follows "
                    "the sum of old gradients, not where the loss goes down now."
                )
            return text + size + ", so every step is larger than it should be and follows old gradients."
        return (
            text
            + f": after {step} steps the gradient the optimizer uses is {ratio:.2g} times the size of that step's own (old and new gradients point "
            "different ways and partly cancel), so every step follows where the loss went down steps ago, not "
            "where it goes down now."
        )

    def _no_zero_grad_fix(self) -> str:
        if self.seen.clean_backwards <= 1:
            return "call optimizer.zero_grad() before loss.backward() in every training step."
        return (
            "call optimizer.zero_grad() before every loss.backward(): in a loop over mini-batches, once per batch, "
            "not once per epoch."
        )

    def _modes(self, report) -> bool:
        seen = self.seen
        problem = False
        if seen.trained_in_eval:
            text = (
                f"{seen.trained_in_eval} of the {seen.trained_forwards} training forward passes ran in eval mode: "
                "model.train() was not called again after model.eval()"
            )
            if self.mode_matters:
                report.problem(
                    "train_not_restored",
                    text + ", so dropout is off (or batch norm uses its running averages) while the model trains.",
                    "call model.train() at the start of every epoch, before the training forward pass.",
                )
                problem = True
            else:
                report.note(
                    "train_not_restored",
                    text + ". This model has no dropout or batch norm, so nothing changes yet; with them it would.",
                    "call model.train() at the start of every epoch.",
                )
        evaluations = seen.eval_forwards + seen.graded_evals
        in_train = seen.eval_in_train + seen.graded_evals_in_train
        if in_train and self.mode_matters:
            report.problem(
                "eval_in_train_mode",
                f"{in_train} of the {evaluations} evaluation forward passes ran in training mode: "
                "dropout still drops units at random (or batch norm uses the batch's statistics), so the test "
                "numbers are noisy and too low.",
                "call model.eval() before evaluating (with torch.inference_mode()), and model.train() before training.",
            )
            problem = True
        if seen.trained_forwards and not problem and not seen.trained_in_eval:
            if evaluations:
                report.passed("modes", "Training forward passes in train mode, evaluation in eval mode.")
            else:
                report.passed(
                    "modes",
                    "Training forward passes in train mode (no evaluation seen in the loop: every forward pass "
                    "was followed by a backward pass).",
                )
        if seen.graded_evals and not problem:
            report.note(
                "eval_with_gradients",
                f"{seen.graded_evals} forward passes were followed by no backward pass (evaluations, it seems) and "
                "ran with gradients on: PyTorch recorded a graph for each that nothing used.",
                "evaluate inside with torch.inference_mode(): faster, and no graph is kept for nothing.",
            )
        return problem

    def _evaluation_data(self, report) -> None:
        seen = self.seen
        if seen.eval_keys and seen.train_keys and seen.eval_keys <= seen.train_keys:
            report.problem(
                "eval_on_train",
                "Every evaluation in the loop ran on the training tensors themselves: the 'test' numbers measure "
                "how well the model remembers its training data, not how it does on new data.",
                "evaluate on the held-out split: model(X_test) against y_test.",
            )

    def _trend(self, report) -> None:
        seen = self.seen
        if not isinstance(self.loss_fn, nn.Module):
            report.note("not_watched", "The loss is a function, not a module: its values were not watched.")
            return
        losses = torch.stack(seen.losses).float().cpu().tolist() if seen.losses else []
        n = len(losses)
        if n == 0:
            if not seen.steps:
                report.note(
                    "not_watched",
                    "No training step ran inside the with block: put the training loop inside it.",
                )
            return
        bad = next((i for i, value in enumerate(losses) if not math.isfinite(value)), None)
        if bad is not None:
            report.problem(
                "loss_diverges",
                f"The loss became NaN or infinite at step {bad} (it was {losses[0]:.3g} at the start): the updates "
                "grew until the numbers overflowed.",
                "standardise the features, then " + _LR_FIX,
            )
            return
        if n < _TREND_STEPS:
            return
        window = max(1, n // 10)
        start_loss = losses[0]
        first = statistics.median(losses[:window])
        last = statistics.median(losses[-window:])
        chance = self.task.chance_loss(seen.n_classes) if seen.n_classes else None
        tail = losses[n // 2 :]
        mean_tail = sum(tail) / len(tail)
        pairs = list(zip(tail, tail[1:], strict=False))
        ups = sum(b > a for a, b in pairs) / len(pairs)
        swing = sum(abs(b - a) for a, b in pairs) / len(pairs) / mean_tail if mean_tail > 0 else 0.0
        no_progress = last >= 0.8 * min(start_loss, first) and (chance is None or mean_tail >= 0.5 * chance)
        if no_progress and ups >= 0.3 and swing >= _SWING:
            report.problem(
                "loss_oscillates",
                f"The loss jumps up and down without coming down: over the last {len(tail)} steps it rose at "
                f"{ups:.0%} of them, each move {swing:.0%} of its size on average; it was {start_loss:.3g} at the "
                f"start and {last:.3g} at the end.",
                _LR_FIX,
            )
            return
        if last > 1.5 * start_loss:
            report.problem(
                "loss_diverges",
                f"The loss climbs: {start_loss:.3g} at the start, {last:.3g} over the last {window} steps "
                f"({n} steps). Each update overshoots.",
                _LR_FIX,
            )
            return
        spread = max(losses[window:]) - min(losses[window:]) if n > window + 1 else 0.0
        if abs(first - last) < _FLAT * first and spread < 2 * _FLAT * first:
            report.problem(
                "loss_flat",
                f"The loss stays flat: {first:.4g} over the first {window} steps, {last:.4g} over the last {window} "
                f"({n} steps). The weights are not changing what the model does.",
                "ask helpers.doctor.examine(model, loss_fn, optimizer, X_train, y_train) what stops it: often a "
                "learning rate far too small, units that died, or a model cut from the loss.",
            )
            return
        if chance is not None and n >= _CHANCE_STEPS and last >= _AT_CHANCE * chance:
            formula = "ln 2" if self.task.kind == "binary" else f"ln {seen.n_classes}"
            report.problem(
                "loss_at_chance",
                f"After {n} steps the loss has barely moved from guessing's: {last:.3g} over the last {window} "
                f"steps ({first:.3g} over the first), against {formula} = {chance:.3f} for a model that has "
                "learned nothing. Training longer helps only when the setup is right and the optimizer slow "
                "(plain SGD on a plateau); first make sure it is.",
                "check, in this order: the labels go with their features (split together; mini-batches shuffled, "
                "DataLoader(..., shuffle=True): batches sorted by label teach one class at a time); the model can "
                "fit one small batch and is not only Linear layers; the learning rate (plain SGD can sit near "
                "guessing's loss for hundreds of steps). helpers.doctor.examine(model, loss_fn, optimizer, X_train, "
                "y_train) measures the last two.",
            )
            return
        report.passed("loss_trend", f"The loss went from {first:.3g} to {last:.3g} over {n} steps.")


@contextlib.contextmanager
def watch(model, loss_fn, optimizer):
    """Watch the learner's own training loop, unchanged, and report what goes wrong in it.

    Usage::

        with helpers.doctor.watch(model, loss_fn, optimizer) as report:
            for epoch in range(epochs):
                ...  # the loop as written
        report  # shows the findings

    It sees, through removable hooks: calls of ``optimizer.step()``, gradients that pile up
    because ``zero_grad`` is missing or not called before every backward pass (counted), steps that find the gradients already cleared (``zero_grad``
    between ``backward`` and ``step``), train/eval mode at each forward (evaluation in training
    mode where dropout or batch norm make it matter; ``model.train()`` never restored), what the
    loss is given (a sigmoid before a loss that wants logits, shapes, label dtypes), evaluation
    on the training tensors, and the trend of the training loss (flat, oscillating, diverging,
    or still at guessing's ln 2 / ln C after many steps).
    Every hook is removed on exit, also when the loop raises.

    Args:
        model: the learner's ``nn.Module``.
        loss_fn: the loss module (a plain function is accepted; its values are then not watched).
        optimizer: the learner's optimizer.

    Yields:
        A :class:`~helpers.doctor.report.Report`, filled in when the ``with`` block ends.

    Raises:
        TypeError: an argument is not a module, a loss or an optimizer.
    """
    check_arguments("watch", model, loss_fn, optimizer)
    report = Report("Training doctor, watching (the report is written when the with block ends)")
    watcher = _Watcher(model, loss_fn, optimizer)
    watcher.start()
    try:
        yield report
    except BaseException as error:
        watcher.stop()
        try:
            watcher.diagnose(report, raised=True)
        except Exception as ours:  # never let the doctor's own failure hide the learner's error
            report.note("skipped", f"The doctor could not read this loop ({type(ours).__name__}: {ours}).")
        if report.problems and hasattr(error, "add_note"):
            error.add_note(str(report))
        raise
    else:
        watcher.stop()
        watcher.diagnose(report, raised=False)
    finally:
        watcher.stop()
