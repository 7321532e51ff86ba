"""The exercise's tasks, one entry each: the one place a task is described. Torch-free.

Each entry has the check id ("1", "4a", ...: a task, or one step of a task split into steps), in
notebook order; its title (the grader's report prints it); the reference data it is checked
against ("moons", "spirals": ``helpers.check.reference``); the accuracy it must beat, if any; and
its hints, from the idea to near-code (none gives the answer's values away outright). The
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
    """One check: id, title, the reference data set, the target (None: no accuracy), the hints."""

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
            "make_moons returns NumPy arrays X (1000 rows, 2 columns) and y (1000 labels). Turn each into a "
            "tensor of floats, then let train_test_split cut both at once.",
            "X, y = make_moons(...)\nX = torch.from_numpy(X).type(torch.float32)   # the same for y\n"
            "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=..., random_state=...)",
        ),
    ),
    Task(
        "2",
        "a non-linear model subclassing nn.Module",
        reference="moons",
        hints=(
            "Subclass nn.Module: create the layers in __init__, chain them in forward. Between two nn.Linear "
            "layers put an activation such as nn.ReLU(), and let the last layer give one number per sample, "
            "with nothing after it (a logit).",
            "class MoonModel(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.layers = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1))\n"
            "    def forward(self, x):\n        return self.layers(x)\n\nhelpers.set_seed(42)\nmodel = MoonModel().to(device)",
        ),
    ),
    Task(
        "3",
        "loss function and optimizer",
        reference="moons",
        hints=(
            "Two classes and a model that returns logits: the loss for that combines the sigmoid and binary "
            "cross-entropy in one step (lesson 01). Create objects: call the classes.",
            "loss_fn = nn.BCE...Loss()\noptimizer = torch.optim.Adam(params=model.parameters(), lr=...)  # or SGD",
        ),
    ),
    Task(
        "4a",
        "the untrained model's logits, probabilities and labels",
        reference="moons",
        hints=(
            "Run the model on X_test in eval mode under torch.inference_mode(). Its output has shape [200, 1]: "
            "squeeze the last dimension. Then sigmoid gives probabilities and round gives labels.",
            "model.eval()\nwith torch.inference_mode():\n    y_logits = model(X_test.to(device)).squeeze(1)\n"
            "y_pred_probs = torch.sigmoid(...)\ny_preds = torch.round(...)",
        ),
    ),
    Task(
        "4b",
        "a training and test loop whose test numbers are the model's",
        reference="moons",
        hints=(
            "Every epoch: forward pass on the training set, loss, zero the gradients, backward, optimizer step; "
            "then a test pass on the test set that computes test_loss and test_acc from the test logits.",
            "train_logits = model(X_train).squeeze(1)\nloss = loss_fn(train_logits, y_train)\n"
            "optimizer.zero_grad()\nloss.backward()\noptimizer.step()\n...\n"
            "test_logits = model(X_test).squeeze(1)\ntest_loss = loss_fn(test_logits, y_test)\n"
            "test_acc = helpers.accuracy_fn(y_test, torch.round(torch.sigmoid(test_logits)))",
        ),
    ),
    Task(
        "4c",
        f"over {MOONS_TARGET.test:.0f}% accuracy on the test set and on fresh moons",
        reference="moons",
        target=MOONS_TARGET,
        hints=(
            "If the accuracy is below the target, train for more epochs or raise the learning rate; Adam usually "
            "needs fewer epochs than SGD. Check the model is non-linear (task 2).",
            "Run the model, loss and optimizer cells again before the loop (a fresh model), set epochs to a few "
            "hundred, and watch the printed test accuracy climb.",
        ),
    ),
    Task(
        "5",
        "decision boundaries of your model for train and test",
        reference="moons",
        hints=(
            "The course's helper draws both panels at once, training set left and test set right, from the "
            "trained model; keep the Axes it returns in `axes`.",
            "axes = helpers.plot_train_test_boundaries(model, X_train, y_train, X_test, y_test, title=...)",
        ),
    ),
    Task(
        "6",
        "tanh in pure PyTorch",
        reference=None,
        hints=(
            "The textbook formula takes e^x, which overflows float32 for x above about 88.7. Multiply the top "
            "and the bottom by e^(-|x|) so that every exponential has a negative power, and restore the sign.",
            "e = torch.exp(-2 * x.abs())\nreturn torch.sign(x) * (1 - e) / (...)",
        ),
    ),
    Task(
        "7a",
        "spirals data, split 80/20",
        reference="spirals",
        hints=(
            "helpers.make_spirals() returns X (float32) and y (int64) already as tensors; split them as in task 1.",
            "X_spirals, y_spirals = helpers.make_spirals()\n"
            "X_spiral_train, X_spiral_test, y_spiral_train, y_spiral_test = train_test_split(..., test_size=0.2, random_state=42)",
        ),
    ),
    Task(
        "7b",
        "a model with one logit per class",
        reference="spirals",
        hints=(
            "Like the moons model, with non-linear activations, but the last layer gives one logit per class: 3.",
            "nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 3))",
        ),
    ),
    Task(
        "7c",
        "a multi-class loss, Adam and a 3-class metric",
        reference="spirals",
        hints=(
            "For several classes, the loss takes one logit per class and the class index of each sample "
            "(lesson 04). The metric must know how many classes there are.",
            "spiral_loss_fn = nn.CrossEntropy...()\nspiral_optimizer = torch.optim.Adam(params=spiral_model.parameters(), lr=0.02)\n"
            "spiral_accuracy = MulticlassAccuracy(num_classes=...).to(device)",
        ),
    ),
    Task(
        "7d",
        f"over {SPIRALS_TARGET.test:.0f}% accuracy on the test set and on fresh spirals",
        reference="spirals",
        target=SPIRALS_TARGET,
        hints=(
            "The same loop as in task 4, with softmax and argmax to turn logits into labels. Adam with lr=0.02 "
            "gets there in a few hundred epochs.",
            "train_logits = spiral_model(X_spiral_train)\nloss = spiral_loss_fn(train_logits, y_spiral_train)\n"
            "... zero_grad, backward, step ...\ntest_acc = spiral_accuracy(test_logits.softmax(dim=1).argmax(dim=1), y_spiral_test)",
        ),
    ),
    Task(
        "7e",
        "decision boundaries of the spiral model for train and test",
        reference="spirals",
        hints=(
            "As in task 5, with the spiral model and the spiral data.",
            "axes = helpers.plot_train_test_boundaries(spiral_model, X_spiral_train, y_spiral_train, ...)",
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
