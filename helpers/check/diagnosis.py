"""When a training step fails (4c, 7d: the accuracy under its target), why: measured on the
learner's own objects, never guessed. Advice such as "train longer" is given only when nothing
is found, because following it makes a broken loop worse.

First, whether the cell run before the checks raised (a loop that died in its first epoch). Then
two sources, both on copies (the learner's model, optimizer and tensors are left as they were):
- the gradients the loop left in the model, against the last step's recomputed at the weights
  before that step (which the optimizer's state gives back): a loop without
  ``optimizer.zero_grad()`` leaves the sum of every epoch's gradient; a loop with a sigmoid or
  softmax before the loss leaves that loss's gradient;
- the training doctor, ``helpers.doctor.examine``, on the learner's model, loss, optimizer and
  training data: its first problem (message and fix) is the diagnosis.
"""

from __future__ import annotations

import copy

import torch

from helpers.check import cells

__all__ = [
    "STALE_GRADIENT_GAP",
    "STALE_GRADIENT_SIZE",
    "GENERIC_ADVICE",
    "STATEFUL",
    "loop_from_gradients",
    "loop_never_stepped",
    "squash_in_loop",
    "why_training_failed",
]

#: Stored gradients this far (relative) from the last step's gradient were not zeroed between steps;
#: a loop that zeroes them leaves that gradient to rounding (measured: below 1e-3).
STALE_GRADIENT_GAP = 0.5
#: ... and this many times its size (a sum of steps' gradients grows).
STALE_GRADIENT_SIZE = 1.5
#: Stored gradients this close (relative) to a recomputed one are that one, to rounding.
SAME_GRADIENT = 1e-3
GENERIC_ADVICE = (
    "The training doctor (helpers.doctor.examine) finds nothing wrong with your model, loss, optimizer and "
    "training data, but it cannot see your loop: check that the loop gives loss_fn the model's raw outputs "
    "(no sigmoid or softmax before it) and calls zero_grad, backward and step every epoch, in that order. If "
    "it does: a model with few hidden units may be too small for this data (give it more), or it needs more "
    "epochs or another learning rate. To have the doctor watch your loop: "
    "with helpers.doctor.watch(model, loss_fn, optimizer) as report: (your loop), then print(report)."
)
#: Optimizers that keep a state for every parameter they have moved (SGD only with momentum).
STATEFUL = (
    torch.optim.Adam,
    torch.optim.AdamW,
    torch.optim.NAdam,
    torch.optim.RAdam,
    torch.optim.Adamax,
    torch.optim.RMSprop,
)
_ORDER = "In every epoch, in this order: optimizer.zero_grad(), loss.backward(), optimizer.step()."


def loop_never_stepped(model, loss_fn, optimizer, X, y) -> str | None:
    """Whether the loop never moved the weights, read from the optimizer's state and the stored gradients.

    Args:
        model, loss_fn, optimizer, X, y: the learner's, after their loop.

    Returns:
        The diagnosis: the optimizer moved nothing (its state is empty), or the stored gradients are
        those of the weights as they are (no step after the last backward); None if neither shows.
    """
    parameters = [p for p in model.parameters() if p.requires_grad]
    if not parameters:
        return None
    momentum = isinstance(optimizer, torch.optim.SGD) and any(g.get("momentum") for g in optimizer.param_groups)
    if (isinstance(optimizer, STATEFUL) or momentum) and not any(p in optimizer.state for p in parameters):
        if all(p.grad is None for p in parameters):
            return (
                "no weight of the model has moved: your optimizer's state is empty and no gradients are stored, as "
                "after a loop that never ran (not written yet, or epochs = 0) or one where optimizer.zero_grad() "
                f"comes between backward() and step() (it clears the gradients step() is about to use). {_ORDER} "
                "Then create the model and optimizer again and train."
            )
        return (
            f"your optimizer ({type(optimizer).__name__}) has not moved a single weight: its state is empty, as it "
            "stays when optimizer.step() never runs, when loss.backward() never runs, or when optimizer.zero_grad() "
            f"comes between backward() and step() (it clears the gradients step() is about to use). {_ORDER} Then "
            "create the model and optimizer again and train again (more epochs change nothing)."
        )
    grads = [p.grad for p in parameters]
    if type(optimizer) is not torch.optim.SGD or momentum:
        return None  # the stored gradients are compared with plain SGD's step only
    if any(g is None for g in grads) or not any(bool(g.abs().sum()) for g in grads):
        return None
    if any(isinstance(module, torch.nn.modules.dropout._DropoutNd) for module in model.modules()):
        return None  # dropout draws other units for the recomputed gradient: no exact comparison
    lr = float(optimizer.param_groups[0]["lr"])
    X, y = X.detach().to(parameters[0].device), y.detach().to(parameters[0].device)

    def gradient_at(shift):
        """The gradient on (X, y) at the weights moved by -shift * stored gradient (a copy)."""
        clone = copy.deepcopy(model)
        clone.train()
        with torch.no_grad():
            for p, g in zip([q for q in clone.parameters() if q.requires_grad], grads):
                p.sub_(shift * g)
        clone.zero_grad(set_to_none=True)
        with torch.enable_grad():
            _loss_of(clone, loss_fn, X, y).backward()
        fresh = [p.grad for p in clone.parameters() if p.requires_grad]
        return None if len(fresh) != len(grads) or any(f is None for f in fresh) else fresh

    def distance(a, b):
        return float(torch.sqrt(sum(((u.double() - v.double()) ** 2).sum() for u, v in zip(a, b))))

    now, after_one_step = gradient_at(0.0), gradient_at(lr)
    if now is None or after_one_step is None:
        return None
    # No step since the last backward: the stored gradients are the weights' own, to rounding, far
    # closer to them than one more step would move them (a tiny learning rate moves them little).
    if distance(grads, now) > 0.1 * distance(now, after_one_step):
        return None
    return (
        "the gradients your loop left in the model are those of its weights as they are now (recomputed on your "
        "training data, the same to rounding): no optimizer.step() moved the weights after the last "
        f"loss.backward(). Your loop computes gradients but never applies them. {_ORDER} Then create the model "
        "and optimizer again and train again (more epochs change nothing)."
    )


def _squash(out):
    """What a loop that squashes before the loss gives it: a sigmoid for one output, a softmax for several."""
    return torch.sigmoid(out) if out.ndim == 1 or out.shape[-1] == 1 else torch.softmax(out, dim=1)


def _loss_of(model, loss_fn, X, y, squash=False):
    """The learner's loss of the model on (X, y), with [N, 1] outputs fitted to [N] labels; ``squash``:
    as a loop that applies a sigmoid or softmax before the loss computes it."""
    out = model(X)
    if out.ndim == 2 and out.shape[1] == 1 and y.ndim == 1:
        out = out.squeeze(1)
    return loss_fn(_squash(out) if squash else out, y)


def _weights_before_last_step(optimizer, parameters) -> list[torch.Tensor] | None:
    """The weights before the optimizer's last step, undone from its state and the stored gradients;
    None for an optimizer or setting this does not know (only plain SGD, SGD with momentum, and Adam).
    """
    if not optimizer.state and not isinstance(optimizer, torch.optim.SGD):
        return None
    group_of = {id(p): group for group in optimizer.param_groups for p in group["params"]}
    before = []
    for p in parameters:
        group, state, g = group_of.get(id(p)), optimizer.state.get(p, {}), p.grad.detach()
        if group is None or group.get("maximize") or group.get("weight_decay", 0):
            return None
        lr = float(group["lr"])
        if type(optimizer) is torch.optim.SGD:
            momentum = group.get("momentum", 0)
            if momentum:
                buffer = state.get("momentum_buffer")
                if buffer is None:
                    return None
                direction = g + momentum * buffer if group.get("nesterov") else buffer
            else:
                direction = g
            before.append(p.detach() + lr * direction)
        elif type(optimizer) is torch.optim.Adam and not group.get("amsgrad"):
            if "exp_avg" not in state:
                return None
            beta1, beta2 = group["betas"]
            step = float(state["step"])
            correction1, correction2 = 1 - beta1**step, 1 - beta2**step
            denominator = state["exp_avg_sq"].sqrt() / correction2**0.5 + group["eps"]
            before.append(p.detach() + (lr / correction1) * state["exp_avg"] / denominator)
        else:
            return None
    return before


def loop_from_gradients(model, loss_fn, optimizer, X, y, *, squash_only=False) -> str | None:
    """Two loop slips, seen in the gradients the loop left behind.

    After a healthy loop, the model holds the gradient of its last step: the gradient at the weights
    before that step, which the optimizer's state gives back (SGD, Adam). A loop that never zeroes
    them leaves the sum of every step's gradient instead; a loop that puts a sigmoid (softmax)
    before the loss leaves exactly the gradient of the loss of the squashed outputs.

    Args:
        model, loss_fn, optimizer: the learner's, after their loop.
        X, y: the learner's training data.

    Full-batch loops only (the exercise's): after a mini-batch loop, the stored gradient is one
    batch's, which this does not recompute.

        squash_only: look for the sigmoid or softmax only (safe on a converged model, whose last
            gradient is tiny: used when the model reached its target).

    Returns:
        The diagnosis, or None (no gradients left, dropout, an optimizer it cannot undo, or one step's worth).
    """
    parameters = list(model.parameters())
    if not parameters or any(p.grad is None for p in parameters):
        return None
    if any(isinstance(module, torch.nn.modules.dropout._DropoutNd) for module in model.modules()):
        return None  # dropout draws other units for the recomputed gradient: no exact comparison
    before = _weights_before_last_step(optimizer, parameters)
    if before is None:
        return None
    clone = copy.deepcopy(model)
    with torch.no_grad():
        for p, weights in zip(clone.parameters(), before):
            p.copy_(weights)
    clone.train()
    X, y = X.detach().to(parameters[0].device), y.detach().to(parameters[0].device)
    kept = [p.grad.detach().double() for p in parameters]

    def gradient(squash):
        """(its size, its distance from the stored one) of the last step's gradient, recomputed."""
        clone.zero_grad(set_to_none=True)
        with torch.enable_grad():
            _loss_of(clone, loss_fn, X, y, squash).backward()
        fresh = [p.grad for p in clone.parameters()]
        if any(g is None for g in fresh):
            return None
        size = torch.sqrt(sum((g.double() ** 2).sum() for g in fresh))
        return size, torch.sqrt(sum(((k - g.double()) ** 2).sum() for k, g in zip(kept, fresh)))

    plain = gradient(squash=False)
    kept_size = torch.sqrt(sum((k**2).sum() for k in kept))
    if plain is None or not torch.isfinite(kept_size) or plain[0] <= 0 or plain[1] <= STALE_GRADIENT_GAP * plain[0]:
        return None
    squashed = gradient(squash=True)
    if squashed is not None and squashed[0] > 0 and squashed[1] <= SAME_GRADIENT * squashed[0]:
        name = "a sigmoid" if _squash_name(clone, X) == "sigmoid" else "a softmax"
        return (
            f"the gradients your loop left in the model are those of loss_fn applied to {name} of the model's "
            "outputs (recomputed at the weights before the last step, they are the same to rounding): "
            f"your loop puts {name} before loss_fn, which applies it again itself: the loss your loop "
            "minimises is not the one you chose, its gradients are squeezed small, and training stalls or "
            "goes astray. Fix: give loss_fn the raw outputs (logits); use the sigmoid or softmax only to read "
            "predictions. Then create the model and optimizer again and train again."
        )
    if squash_only or kept_size <= STALE_GRADIENT_SIZE * plain[0]:
        return None
    times = float(kept_size / plain[0])
    largest = _largest_sample_gradient(clone, loss_fn, X, y)
    if largest is not None and kept_size > largest:
        return (
            f"the gradients your loop left in the model are {times:.1f}× the gradient of its last step "
            "(recomputed on your training data at the weights before that step), and larger than any single "
            "sample's gradient, so no batch of your data gives them: they were added up over many steps. Your "
            "loop never calls optimizer.zero_grad(), and every step follows the sum of all past gradients. Fix: "
            "call optimizer.zero_grad() before loss.backward() in every epoch, create the model and optimizer "
            "again, and train again (more epochs would make it worse)."
        )
    return (
        f"the gradients your loop left in the model are {times:.1f}× the full-batch gradient of its last step "
        "(recomputed on your training data at the weights before that step). Either your loop never calls "
        "optimizer.zero_grad(), so the gradients were added up over many steps (then call it before "
        "loss.backward() in every step, and train a new model again: more epochs would make it worse), or it "
        "trains on mini-batches, whose last batch's gradient differs from the whole data's (that is fine). "
        "To tell which, train under with helpers.doctor.watch(model, loss_fn, optimizer) as report: and print(report)."
    )


def _largest_sample_gradient(model, loss_fn, X, y) -> torch.Tensor | None:
    """The largest gradient norm of any one training sample, at the model's weights (a mean-reduced batch
    gradient is never larger); None when it cannot be computed this way (a loss that does not average, or a
    model torch.func cannot map over samples)."""
    if getattr(loss_fn, "reduction", "mean") != "mean" or len(X) > 20_000:
        return None
    from torch.func import functional_call, grad, vmap

    params = {name: p.detach() for name, p in model.named_parameters()}

    def one(p, x, t):
        out = functional_call(model, p, (x.unsqueeze(0),))
        if out.ndim == 2 and out.shape[1] == 1 and t.ndim == 0:
            out = out.squeeze(1)
        return loss_fn(out, t.unsqueeze(0))

    try:
        grads = vmap(grad(one), in_dims=(None, 0, 0))(params, X, y)
    except Exception:  # a model or loss torch.func cannot map: no bound
        return None
    norms = torch.sqrt(sum((g.reshape(len(X), -1).double() ** 2).sum(dim=1) for g in grads.values()))
    return norms.max()


def _squash_name(model, X) -> str:
    with torch.no_grad():
        out = model(X[:1])
    return "sigmoid" if out.ndim == 1 or out.shape[-1] == 1 else "softmax"


def squash_in_loop(model, loss_fn, optimizer, X, y) -> str | None:
    """A sigmoid or softmax before the loss in the learner's loop, even when the model reached its
    target (with Adam it may): the answer is still wrong, and said so.

    Args:
        model, loss_fn, optimizer, X, y: the learner's, after their loop (any None: nothing said).

    Returns:
        The diagnosis, or None.
    """
    if any(value is None for value in (loss_fn, optimizer, X, y)) or not isinstance(X, torch.Tensor):
        return None
    try:
        return loop_from_gradients(model, loss_fn, optimizer, X, y, squash_only=True)
    except Exception:  # their loss on their data raised: nothing to say here, the checks said the rest
        return None


#: A trained binary model this far below guessing on its own training data learned the classes swapped.
FLIPPED = 20.0


def _flipped(model, optimizer, X, y) -> str | None:
    """A trained binary model right on at most FLIPPED percent of its training data: the labels it learned
    were flipped (1 - y), or its predictions are read the wrong way. None when it did not train (no
    gradient, no optimizer state), has several outputs, or does better."""
    parameters = list(model.parameters())
    trained = any(p.grad is not None for p in parameters) or bool(getattr(optimizer, "state", None))
    if not trained or y.ndim != 1:
        return None
    with torch.no_grad():
        copy_ = copy.deepcopy(model).eval()
        out = copy_(X.detach().to(parameters[0].device))
    if out.ndim == 2 and out.shape[1] == 1:
        out = out.squeeze(1)
    if out.shape != y.shape or y.is_floating_point() is False and y.max() > 1:
        return None
    accuracy = 100 * float(((out > 0).float() == y.to(out.device).float()).float().mean())
    if accuracy > FLIPPED:
        return None
    return (
        f"On its own training data your model is right on {accuracy:.1f}%, far below the 50% of guessing: it is "
        "right the other way round. It learned the classes swapped: labels flipped (1 - y) in training, or "
        "predictions read the wrong way (below 0.5 called 1). Train on y_train as the split gave it, and predict "
        "class 1 where the probability is above 0.5."
    )


def why_training_failed(model, loss_fn, optimizer, X, y) -> str:
    """Why a trained model misses its target: the first cause measured, else the generic advice.

    Args:
        model, loss_fn, optimizer: the learner's, after their loop (None: not given, generic advice).
        X, y: the learner's training data (None: not given).

    Returns:
        One or two sentences for the failure message.
    """
    error = cells.last_cell_error()
    if error:
        return (
            f"The last cell you ran before the checks raised {error}: if that was your training loop, it "
            "stopped there and the model did not train. Fix that error first (the traceback points at the "
            "line), then run the loop again."
        )
    if any(value is None for value in (loss_fn, optimizer, X, y)) or not isinstance(X, torch.Tensor):
        return "Train for more epochs, change the learning rate, or give the model more hidden units."
    flipped = _flipped(model, optimizer, X, y)
    if flipped:
        return flipped
    try:
        stale = loop_never_stepped(model, loss_fn, optimizer, X, y) or loop_from_gradients(
            model, loss_fn, optimizer, X, y
        )
    except Exception:  # their loss on their data raised: the doctor below says what is wrong
        stale = None
    if stale:
        return "Why: " + stale
    first = _first_problem(model, loss_fn, optimizer, X, y)
    if first is not None and first.id in STATE_FINDINGS:
        # Said of the trained weights ("the loss at the start is 4.2"): what went wrong is in how they
        # were trained. The same setup from fresh weights says why, if it can.
        fresh = _fresh_setup(model, optimizer)
        again = _first_problem(*fresh[:1], loss_fn, fresh[1], X, y) if fresh else None
        if again is not None:
            return (
                "The training doctor, run on a fresh copy of your model with your loss, optimizer settings and "
                f"data, says: {again.message} Fix: {again.fix}"
            )
        if fresh is not None:
            rates = ", ".join(f"{group.get('lr', float('nan')):g}" for group in optimizer.param_groups)
            return (
                f"The training doctor finds your trained model broken: {first.message} The same setup with fresh "
                "weights looks healthy to it, so training broke the weights; most often a learning rate too "
                f"high for this model (yours: {rates}). Create the model and optimizer again, and train with a "
                "smaller learning rate."
            )
    if first is None:
        if all(p.grad is None for p in model.parameters()):
            return (
                "Your model holds no gradients after your loop: fine if the loop calls optimizer.zero_grad() "
                "after optimizer.step(), but if zero_grad() comes between backward() and step(), or backward() "
                "never runs, step() has nothing to apply and the weights never move (more epochs change "
                f"nothing). {_ORDER} " + GENERIC_ADVICE
            )
        return GENERIC_ADVICE
    return f"The training doctor, run on your model, loss, optimizer and data, says: {first.message} Fix: {first.fix}"


#: Findings about the weights as they are now: after training, they describe the result, not the cause.
STATE_FINDINGS = {
    "initial_loss",
    "pretrained",
    "dead_units",
    "saturated_units",
    "nan_inf",
    "exploding_gradients",
    "vanishing_gradients",
    "no_gradient",
}


def _first_problem(model, loss_fn, optimizer, X, y):
    """The doctor's first problem on these objects, or None (nothing found, or it refused them)."""
    from helpers.doctor import examine  # here: the doctor is needed only when training failed

    try:
        report = examine(model, loss_fn, optimizer, X, y)
    except (TypeError, ValueError):  # the doctor refuses objects the earlier steps' checks have judged
        return None
    if report.ok:
        return None
    problems = [f for f in report.findings if getattr(f, "status", "problem") == "problem"]
    return problems[0] if problems else None


def _fresh_setup(model, optimizer):
    """A copy of the model with fresh weights (its layers' own initialisation) and an optimizer of the
    same class and settings over it; None if either cannot be made. The random state is kept."""
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(0)
            clone = copy.deepcopy(model)
            for module in clone.modules():
                if hasattr(module, "reset_parameters"):
                    module.reset_parameters()
            settings = {key: value for key, value in optimizer.param_groups[0].items() if key != "params"}
            return clone, type(optimizer)(clone.parameters(), **settings)
    except Exception:  # an unusual model or optimizer: no fresh setup, the diagnosis above stands
        return None
