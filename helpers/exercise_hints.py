"""Hints and solutions for the exercises, called from the notebook:

    check.hint(3)              # the idea
    check.hint(3, level=2)     # near-code
    check.solution(3)          # the solution cell's code

A solution is the code of the solution notebook's own cells for that task or step, so the two can
never drift apart: read from ``solutions/07_exercises_moons_spirals.ipynb`` when the repository is
there, else (on Colab, where only the package is installed) from ``helpers/_exercise_solutions.py``,
which is generated from that notebook (``python -m helpers.exercise_hints --write``; a test checks
they are identical). Torch-free. Asking for help is noted in the grader's report.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from helpers import grading

BEGIN, END = "# >>> your code here >>>", "# <<< end of your code <<<"
_REPO_SOLUTION = Path(__file__).resolve().parents[1] / grading.SOLUTION
_GENERATED = Path(__file__).with_name("_exercise_solutions.py")

#: Check id -> hints, from the idea to near-code. None gives the answer's values away outright.
HINTS = {
    "1": [
        "make_moons returns NumPy arrays X (1000 rows, 2 columns) and y (1000 labels). Turn each into a "
        "tensor of floats, then let train_test_split cut both at once.",
        "X, y = make_moons(...)\nX = torch.from_numpy(X).type(torch.float32)   # the same for y\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=..., random_state=...)",
    ],
    "2": [
        "Subclass nn.Module: create the layers in __init__, chain them in forward. Between two nn.Linear "
        "layers put an activation such as nn.ReLU(), and let the last layer give one number per sample, "
        "with nothing after it (a logit).",
        "class MoonModel(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
        "        self.layers = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1))\n"
        "    def forward(self, x):\n        return self.layers(x)\n\nhelpers.set_seed(42)\nmodel = MoonModel().to(device)",
    ],
    "3": [
        "Two classes and a model that returns logits: the loss for that combines the sigmoid and binary "
        "cross-entropy in one step (lesson 01). Create objects: call the classes.",
        "loss_fn = nn.BCE...Loss()\noptimizer = torch.optim.Adam(params=model.parameters(), lr=...)  # or SGD",
    ],
    "4a": [
        "Run the model on X_test in eval mode under torch.inference_mode(). Its output has shape [200, 1]: "
        "squeeze the last dimension. Then sigmoid gives probabilities and round gives labels.",
        "model.eval()\nwith torch.inference_mode():\n    y_logits = model(X_test.to(device)).squeeze(1)\n"
        "y_pred_probs = torch.sigmoid(...)\ny_preds = torch.round(...)",
    ],
    "4b": [
        "Every epoch: forward pass on the training set, loss, zero the gradients, backward, optimizer step; "
        "then a test pass on the test set that computes test_loss and test_acc from the test logits.",
        "train_logits = model(X_train).squeeze(1)\nloss = loss_fn(train_logits, y_train)\n"
        "optimizer.zero_grad()\nloss.backward()\noptimizer.step()\n...\n"
        "test_logits = model(X_test).squeeze(1)\ntest_loss = loss_fn(test_logits, y_test)\n"
        "test_acc = helpers.accuracy_fn(y_test, torch.round(torch.sigmoid(test_logits)))",
    ],
    "4c": [
        "If the accuracy is below the target, train for more epochs or raise the learning rate; Adam usually "
        "needs fewer epochs than SGD. Check the model is non-linear (task 2).",
        "Run the model, loss and optimizer cells again before the loop (a fresh model), set epochs to a few "
        "hundred, and watch the printed test accuracy climb.",
    ],
    "5": [
        "The course's helper draws both panels at once, training set left and test set right, from the "
        "trained model; keep the Axes it returns in `axes`.",
        "axes = helpers.plot_train_test_boundaries(model, X_train, y_train, X_test, y_test, title=...)",
    ],
    "6": [
        "The textbook formula takes e^x, which overflows float32 for x above about 88.7. Multiply the top "
        "and the bottom by e^(-|x|) so that every exponential has a negative power, and restore the sign.",
        "e = torch.exp(-2 * x.abs())\nreturn torch.sign(x) * (1 - e) / (...)",
    ],
    "7a": [
        "helpers.make_spirals() returns X (float32) and y (int64) already as tensors; split them as in task 1.",
        "X_spirals, y_spirals = helpers.make_spirals()\n"
        "X_spiral_train, X_spiral_test, y_spiral_train, y_spiral_test = train_test_split(..., test_size=0.2, random_state=42)",
    ],
    "7b": [
        "Like the moons model, with non-linear activations, but the last layer gives one logit per class: 3.",
        "nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 3))",
    ],
    "7c": [
        "For several classes, the loss takes one logit per class and the class index of each sample "
        "(lesson 04). The metric must know how many classes there are.",
        "spiral_loss_fn = nn.CrossEntropy...()\nspiral_optimizer = torch.optim.Adam(params=spiral_model.parameters(), lr=0.02)\n"
        "spiral_accuracy = MulticlassAccuracy(num_classes=...).to(device)",
    ],
    "7d": [
        "The same loop as in task 4, with softmax and argmax to turn logits into labels. Adam with lr=0.02 "
        "gets there in a few hundred epochs.",
        "train_logits = spiral_model(X_spiral_train)\nloss = spiral_loss_fn(train_logits, y_spiral_train)\n"
        "... zero_grad, backward, step ...\ntest_acc = spiral_accuracy(test_logits.softmax(dim=1).argmax(dim=1), y_spiral_test)",
    ],
    "7e": [
        "As in task 5, with the spiral model and the spiral data.",
        "axes = helpers.plot_train_test_boundaries(spiral_model, X_spiral_train, y_spiral_train, ...)",
    ],
}


def _filled_cell(source: str) -> str:
    """A solution cell as the learner would have it: its code, without the blank markers."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in (BEGIN, END)).strip("\n")


def solutions_from_notebook(path: Path) -> dict[str, str]:
    """Check id -> the code of the solution notebook's cells with blanks in that task or step."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    owners = grading.section_of_cells(cells)
    found: dict[str, list[str]] = {}
    for cell, owner in zip(cells, owners):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "code" and owner is not None and BEGIN in source:
            found.setdefault(owner, []).append(_filled_cell(source))
    solved, previous = {}, None
    for check_id in grading.CHECKS:
        if check_id in found:
            solved[check_id] = "\n\n".join(found[check_id])
        elif previous in solved and grading.task_of(previous) == grading.task_of(check_id):
            # A step with no code of its own (4c: reach the target) is solved by the step before it.
            solved[check_id] = (
                f"# Step {check_id} has no cell of its own: step {previous}'s solution does it.\n" + solved[previous]
            )
        previous = check_id
    return solved


def generated_module_text(solutions: dict[str, str]) -> str:
    return (
        '"""Generated from solutions/07_exercises_moons_spirals.ipynb by `python -m helpers.exercise_hints '
        "--write`: do not edit.\nThe solutions, for where the package is installed without the repository "
        '(Colab)."""\n\nSOLUTIONS = ' + json.dumps(solutions, indent=4, ensure_ascii=False) + "\n"
    )


def solutions() -> dict[str, str]:
    """The solutions: from the repository's solution notebook if present, else the generated copy."""
    if _REPO_SOLUTION.is_file():
        return solutions_from_notebook(_REPO_SOLUTION)
    from helpers._exercise_solutions import SOLUTIONS

    return dict(SOLUTIONS)


def _id_or_say(task) -> str | None:
    """The check id, or None after printing why there is none (a learner's typo is no traceback)."""
    try:
        return grading.normalise_id(task)
    except ValueError as problem:
        print(f"🤔 {problem}")
        return None


def _ref(check_id: str) -> str:
    return check_id if check_id.isdigit() else repr(check_id)


def hint(task, level: int = 1) -> None:
    """Print hint ``level`` (1: the idea, 2: near-code) for a task or step, e.g. hint(3) or hint("4b", level=2)."""
    check_id = _id_or_say(task)
    if check_id is None:
        return
    hints = HINTS[check_id]
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= len(hints):
        print(
            f"🤔 task {check_id} has hints at levels 1 to {len(hints)}, not level={level!r}. "
            f"After the last one, check.solution({_ref(check_id)}) shows the solution."
        )
        return
    grading.record_help(check_id, "hint", level)
    more = (
        f"More: check.hint({_ref(check_id)}, level={level + 1})."
        if level < len(hints)
        else f"Still stuck? check.solution({_ref(check_id)}) shows the solution."
    )
    print(f"💡 Task {check_id}, hint {level} of {len(hints)}:\n{hints[level - 1]}\n{more}")


def solution(task) -> None:
    """Print the solution's code for a task or step, read from the solution notebook's own cells."""
    check_id = _id_or_say(task)
    if check_id is None:
        return
    code = solutions().get(check_id)
    if code is None:
        raise KeyError(f"no solution cell found for task {check_id}: the solution notebook has none in that section.")
    grading.record_help(check_id, "solution")
    print(f"🔑 Task {check_id}, the solution (the grader's report notes that you looked):\n\n{code}")


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = generated_module_text(solutions_from_notebook(_REPO_SOLUTION))
    if args == ["--write"]:
        _GENERATED.write_text(text, encoding="utf-8")
        print(f"wrote {_GENERATED}")
        return 0
    if args == ["--check"]:
        same = _GENERATED.is_file() and _GENERATED.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{_GENERATED} is out of date: run python -m helpers.exercise_hints --write")
        return 0 if same else 1
    print("usage: python -m helpers.exercise_hints --write | --check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
