"""The exercise's tasks, one entry each: the one place a task is described. Torch-free.

Each entry has the check id ("1", "4a", ...: a task, or one step of a task split into steps), in
notebook order; its title (the grader's report prints it); the reference data it is checked
against ("moons", "spirals": ``helpers.check.reference``); the accuracy it must beat, if any; and
its hints, a ladder: a question that points at the problem, then the idea, then near-code (none
gives the answer's values away; the solution comes last, from ``check.solution``). The
check itself is ``helpers.check.tasks.task_<id>``. Adding a task: one entry here, one check
there, and the notebooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Target",
    "Task",
    "TASKS",
    "CHECKS",
    "SPIRAL_CLASSES",
    "MOONS_TARGET",
    "SPIRALS_TARGET",
    "task_of",
    "normalise_id",
]


@dataclass(frozen=True)
class Target:
    """Accuracies (percent) a model must beat, strictly: on the test set and on fresh samples of the
    same generator (``helpers.check.reference.fresh``)."""

    test: float
    fresh: float


@dataclass(frozen=True)
class Task:
    """One check: id, title, the reference data set, the target (None: no accuracy), the hints
    (a question, the idea, near-code)."""

    id: str
    title: str
    reference: str | None
    hints: tuple[str, ...]
    target: Target | None = None


#: A model that learned the moons scores about 100% on fresh moons; one that learned the spirals
#: from 240 points a few points less than on the test set (98% for the solution), so its bar on
#: fresh spirals is lower: it catches models that learned the test rows.
MOONS_TARGET = Target(test=96.0, fresh=96.0)
SPIRALS_TARGET = Target(test=95.0, fresh=90.0)
SPIRAL_CLASSES = 3

_TASKS = (
    Task(
        "1",
        "moons data as tensors, split 80/20",
        reference="moons",
        hints=(
            "make_moons gives NumPy arrays; what does train_test_split need to keep each row's label with its row, and what dtype does a binary loss want for the labels?",
            "Turn X and y into float32 tensors, then cut both in ONE call of train_test_split, so that rows and labels stay together; the task gives the data's and the split's arguments.",
            "X, y = make_moons(...)\nX = torch.from_numpy(X).type(torch.float32)   # the same for y\nX_train, X_test, y_train, y_test = train_test_split(X, y, test_size=..., random_state=...)",
        ),
    ),
    Task(
        "2",
        "a non-linear model subclassing nn.Module",
        reference="moons",
        hints=(
            "Lesson 03: what does a stack of nn.Linear layers compute, however many there are, and what has to sit between two of them so that the boundary can bend?",
            "Subclass nn.Module: create the layers in __init__, chain them in forward. Put an activation such as nn.ReLU() between two nn.Linear layers, never after the last one: the last layer gives one logit per sample, with nothing after it.",
            "class MoonModel(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.layers = nn.Sequential(nn.Linear(2, ...), nn.ReLU(), nn.Linear(..., ...), nn.ReLU(), nn.Linear(..., 1))\n    def forward(self, x):\n        return self.layers(x)\n\nhelpers.set_seed(42)\nmodel = MoonModel().to(device)",
        ),
    ),
    Task(
        "3",
        "loss function and optimizer",
        reference="moons",
        hints=(
            "Your model returns logits, any real number. Which loss of lesson 01 takes logits for two classes, and which one expects probabilities instead?",
            "Use the loss that applies the sigmoid and binary cross-entropy in one numerically stable step. Create objects by calling the classes, and give the optimizer this model's parameters.",
            "loss_fn = nn.BCE...Loss()\noptimizer = torch.optim.Adam(params=model.parameters(), lr=...)  # or SGD",
        ),
    ),
    Task(
        "4a",
        "the untrained model's logits, probabilities and labels",
        reference="moons",
        hints=(
            "What shape does the model return for the 200 test samples, and which function turns a logit into a probability?",
            "Run the model on X_test in eval mode under torch.inference_mode(); squeeze the [200, 1] output to [200]. Then the sigmoid gives probabilities and rounding gives labels.",
            "model.eval()\nwith torch.inference_mode():\n    y_logits = model(X_test.to(device)).squeeze(1)\ny_pred_probs = torch.sigmoid(...)\ny_preds = torch.round(...)",
        ),
    ),
    Task(
        "4b",
        "a training and test loop whose test numbers are the model's",
        reference="moons",
        hints=(
            "In what order do the five parts of a training step come, and on which tensors does the test pass compute test_loss and test_acc?",
            "Every epoch: forward pass on X_train, the loss, zero the gradients, backward, optimizer step. Then, in eval mode, the test pass on X_test: test_loss and test_acc from the test logits against y_test. Logits of shape [800, 1] against labels [800] raise: squeeze them.",
            "train_logits = model(X_train).squeeze(1)\nloss = loss_fn(train_logits, y_train)\noptimizer.zero_grad()\nloss.backward()\noptimizer.step()\n...\ntest_logits = model(X_test).squeeze(1)\ntest_loss = loss_fn(test_logits, y_test)\ntest_acc = helpers.accuracy_fn(y_test, torch.round(torch.sigmoid(...)))",
        ),
    ),
    Task(
        "4c",
        f"over {MOONS_TARGET.test:.0f}% accuracy on the test set and on fresh moons",
        reference="moons",
        target=MOONS_TARGET,
        hints=(
            "What did the check's failure line say: a cause the training doctor measured, or that nothing is wrong but training is not finished?",
            "Fix the cause the check names first (lesson 08 shows each one). If it found none: a fresh model, then more epochs or another learning rate; Adam usually needs fewer epochs than SGD.",
            "Run the cells of tasks 2 and 3 again (a fresh model and optimizer), set epochs to a few hundred in step 4b, run it, and watch the printed test accuracy climb; then this check.",
        ),
    ),
    Task(
        "5",
        "decision boundaries of your model for train and test",
        reference="moons",
        hints=(
            "Which helper of the course draws a model's decision regions, and what does plt.subplots(1, 2) return?",
            "Draw two panels, the training set left and the test set right, each titled with the set it shows, from the trained model; keep the two Axes in `axes` (not the figure).",
            "axes = helpers.plot_train_test_boundaries(model, X_train, y_train, X_test, y_test, title=...)\n# or: fig, axes = plt.subplots(1, 2); helpers.plot_decision_boundary(model, X, y, ax=axes[0], title=...)",
        ),
    ),
    Task(
        "6",
        "tanh in pure PyTorch",
        reference=None,
        hints=(
            "What does torch.exp(torch.tensor(100.)) print, and what is inf / inf?",
            "e^x overflows float32 for x above about 88.7. Rewrite the fraction so that every exponential has a power that is never positive: multiply the top and the bottom by the same factor, and use the symmetry tanh(-x) = -tanh(x).",
            "e = torch.exp(-2 * x.abs())   # at most 1\nreturn torch.sign(x) * (...) / (...)",
        ),
    ),
    Task(
        "7a",
        "spirals data, split 80/20",
        reference="spirals",
        hints=(
            "What does helpers.make_spirals() return, and is there anything left to convert?",
            "It returns features and labels already as tensors of the right dtypes; split them as in task 1, in one call.",
            "X_spirals, y_spirals = helpers.make_spirals()\nX_spiral_train, X_spiral_test, y_spiral_train, y_spiral_test = train_test_split(..., test_size=..., random_state=...)",
        ),
    ),
    Task(
        "7b",
        "a model with one logit per class",
        reference="spirals",
        hints=(
            "How many numbers must the model give for each point when there are three classes?",
            "Like the moons model, with activations between the nn.Linear layers, but the last layer gives one logit per class, with nothing after it (no softmax: the loss applies it).",
            "nn.Sequential(nn.Linear(2, ...), nn.ReLU(), nn.Linear(..., ...), nn.ReLU(), nn.Linear(..., n_classes))",
        ),
    ),
    Task(
        "7c",
        "a multi-class loss, Adam and a 3-class accuracy",
        reference="spirals",
        hints=(
            "Which loss of lesson 04 takes one logit per class and the class index of each sample, and what must a torchmetrics accuracy be told about the task?",
            "A multi-class cross-entropy loss; Adam over this model's parameters with a learning rate you choose (the lessons used values between 0.001 and 0.1); a multi-class accuracy set up for the number of classes and for the share of right labels over all samples (not the mean over classes, torchmetrics' default), sent to device.",
            "spiral_loss_fn = nn.CrossEntropy...()\nspiral_optimizer = torch.optim.Adam(params=spiral_model.parameters(), lr=...)\nspiral_accuracy = MulticlassAccuracy(num_classes=..., average=...).to(device)",
        ),
    ),
    Task(
        "7d",
        f"over {SPIRALS_TARGET.test:.0f}% accuracy on the test set and on fresh spirals",
        reference="spirals",
        target=SPIRALS_TARGET,
        hints=(
            "How do you turn three logits per point into one predicted class, and what did the check's failure line say the cause is?",
            "Write the loop of step 4b again, with the spiral tensors and no squeeze: CrossEntropyLoss takes [N, 3] logits and [N] class indices; labels come from softmax then argmax. Fix a cause the check names first; otherwise try more epochs or another learning rate, below 1000 epochs.",
            "train_logits = spiral_model(X_spiral_train)\nloss = spiral_loss_fn(train_logits, y_spiral_train)\n... zero_grad, backward, step ...\ntest_acc = spiral_accuracy(test_logits.softmax(dim=1).argmax(dim=1), y_spiral_test)",
        ),
    ),
    Task(
        "7e",
        "decision boundaries of the spiral model for train and test",
        reference="spirals",
        hints=(
            "Which call drew task 5's panels, and what changes for the spirals?",
            "The same two panels as in task 5, with spiral_model and the spiral tensors.",
            "axes = helpers.plot_train_test_boundaries(spiral_model, X_spiral_train, y_spiral_train, ...)",
        ),
    ),
)

_TASKS += (
    Task(
        "8a",
        "noisier moons split three ways: train, validation, test",
        reference="noisy_moons",
        hints=(
            "train_test_split cuts in two; how do you get three sets out of it, and what share of what is "
            "left must the second cut take so that validation is 20% of the whole?",
            "Cut the test set off first (20%), then cut the validation set off the rest: a quarter of the "
            "remaining 80% is 20% of the whole. Both cuts take X and y together, with the random_state the "
            "task gives.",
            "X_rest, X_noisy_test, y_rest, y_noisy_test = train_test_split(X_noisy, y_noisy, test_size=..., random_state=...)\n"
            "X_noisy_train, X_noisy_val, y_noisy_train, y_noisy_val = train_test_split(X_rest, y_rest, test_size=..., random_state=...)",
        ),
    ),
    Task(
        "8b",
        "the epoch chosen on the validation loss, its weights kept",
        reference="noisy_moons",
        hints=(
            "After which epoch is the model best on data it never trained on, and what does "
            "model.state_dict() hand you: a copy of the weights, or the live tensors that the next "
            "step changes?",
            "Each epoch, after the training step on the training set, compute the loss on the validation "
            "set in eval mode and append it to val_losses; when it is the lowest so far, note the epoch and "
            "keep a copy of the weights (lesson 05, early stopping).",
            "train_losses.append(loss.item())\n...\nval_loss = loss_fn(model(X_noisy_val).squeeze(1), y_noisy_val)\nval_losses.append(val_loss.item())\n"
            "if val_loss.item() <= min(val_losses):\n    best_epoch, best_state = epoch, copy.deepcopy(...)",
        ),
    ),
    Task(
        "8c",
        "a narrower candidate, and the width chosen on validation",
        reference="noisy_moons",
        hints=(
            "What is the one thing that differs between the two candidates, and which number of each run "
            "says how good it is on data it never trained on?",
            "Run the narrow model exactly as the wide one (the same seed, optimizer, learning rate and "
            "function), then compare the two lowest validation losses and keep the lower; build chosen_model "
            "at that width and load the winner's best state into it.",
            "helpers.set_seed(42)\nnarrow_model = make_noisy_model(narrow_width).to(device)\n"
            "..., narrow_val_losses, narrow_best_epoch, narrow_best_state = train_with_early_stopping(narrow_model, ...)\n"
            "chosen_width = 64 if min(val_losses) <= min(narrow_val_losses) else narrow_width\n"
            "chosen_model = make_noisy_model(chosen_width).to(device)\nchosen_model.load_state_dict(...)",
        ),
    ),
    Task(
        "8d",
        "the chosen model on the test set, once: accuracy and confusion matrix",
        reference="noisy_moons",
        hints=(
            "Which model should the one test measurement use, and in a confusion matrix, which axis is the true class?",
            "Evaluate chosen_model on the test set once: labels from the logits, the accuracy, and "
            "torchmetrics' binary confusion matrix (rows: true class, columns: predicted). Read the class-1 "
            "samples predicted as 0 off the matrix.",
            "chosen_model.eval()\n... test_preds = torch.round(torch.sigmoid(logits))\n"
            "confmat = BinaryConfusionMatrix().to(device)(test_preds, y_noisy_test)\nmissed_ones = confmat[..., ...].item()",
        ),
    ),
    Task(
        "8e",
        "the chosen model saved and loaded again, predicting the same",
        reference="noisy_moons",
        hints=(
            "What is the smallest thing to save that rebuilds the model, and what may torch.load run when a "
            "file holds more than tensors?",
            "Save the state_dict (tensors only), then build a new model of the same shape and load the file "
            "into it with torch.load(..., weights_only=True), as lesson 04 does.",
            "torch.save(chosen_model.state_dict(), ...)\nreloaded_model = make_noisy_model(...).to(device)\n"
            "reloaded_model.load_state_dict(torch.load(..., map_location=device, weights_only=True))",
        ),
    ),
)

#: Check id -> its Task, in notebook order.
TASKS = {task.id: task for task in _TASKS}
#: Check id -> title, in notebook order (the grader's report).
CHECKS = {task.id: task.title for task in _TASKS}


def task_of(check_id: str) -> int:
    """The task number of a check id.

    Args:
        check_id: "4b", "7", ...

    Returns:
        The leading number: "4b" -> 4.
    """
    return int(re.match(r"\d+", check_id).group())


def normalise_id(check) -> str:
    """A check id from what a learner types: 3, "3", "4b", "4B" -> "3", "4b".

    Args:
        check: a task number or a step id, as an int or a string.

    Returns:
        The check id, a key of ``TASKS``.

    Raises:
        ValueError: no such task, or a task with steps asked for as a whole.
    """
    text = str(check).strip().lower()
    if text in TASKS:
        return text
    steps = [c for c in TASKS if task_of(c) == (int(text) if text.isdigit() else -1)]
    if steps:
        raise ValueError(f"task {text} has steps: ask for one of {', '.join(repr(s) for s in steps)}.")
    raise ValueError(f"there is no task {check!r}; the checks are {', '.join(TASKS)}.")
