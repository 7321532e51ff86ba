"""Hints and solutions for the exercises, called from the notebook:

    check.hint(3)              # a question that points at the problem
    check.hint(3, level=2)     # the idea
    check.hint(3, level=3)     # near-code
    check.solution(3)          # the solution cell's code

A solution is the code of the solution notebook's own cells for that task or step, so the two can
never drift apart: read from ``solutions/09_exercises_moons_spirals_solution.ipynb`` when the repository is
there, else (on Colab, where only the package is installed) from ``helpers/check/solutions_copy.py``,
which is generated from that notebook (``python -m helpers.check.sync_solutions --write``; a test checks
they are identical). Torch-free. Asking for help is noted in the grader's report.
"""

from __future__ import annotations

import json
import numbers
from pathlib import Path

from helpers.check import protocol, solutions_copy
from helpers.check.table import CHECKS, TASKS, normalise_id, task_of

BEGIN, END = "# >>> your code here >>>", "# <<< end of your code <<<"
_REPO_SOLUTION = Path(__file__).resolve().parents[2] / protocol.SOLUTION


def _filled_cell(source: str) -> str:
    """A solution cell as the learner would have it: its code, without the blank markers."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in (BEGIN, END)).strip("\n")


def solutions_from_notebook(path: Path) -> dict[str, str]:
    """The solutions, read from a solution notebook's own cells.

    Args:
        path: the solution notebook.

    Returns:
        Check id -> the code of its cells with blanks (a step with none: the step before it's).
    """
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    owners = protocol.section_of_cells(cells)
    found: dict[str, list[str]] = {}
    for cell, owner in zip(cells, owners):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "code" and owner is not None and BEGIN in source:
            found.setdefault(owner, []).append(_filled_cell(source))
    solved, previous = {}, None
    for check_id in CHECKS:
        if check_id in found:
            solved[check_id] = "\n\n".join(found[check_id])
        elif previous in solved and task_of(previous) == task_of(check_id):
            # A step with no code of its own (4c: reach the target) is solved by the step before it.
            solved[check_id] = (
                f"# Step {check_id} has no cell of its own: step {previous}'s solution does it.\n" + solved[previous]
            )
        previous = check_id
    return solved


def solutions() -> dict[str, str]:
    """The solutions: from the repository's solution notebook if present, else the generated copy.

    Returns:
        Check id -> code.
    """
    if _REPO_SOLUTION.is_file():
        return solutions_from_notebook(_REPO_SOLUTION)
    return dict(solutions_copy.SOLUTIONS)


def _id_or_say(task) -> str | None:
    """The check id, or None after printing why there is none (a learner's typo is no traceback)."""
    try:
        return normalise_id(task)
    except ValueError as problem:
        print(f"🤔 {problem}")
        return None


def _ref(check_id: str) -> str:
    return check_id if check_id.isdigit() else repr(check_id)


def hint(task, level: int = 1) -> None:
    """Print a hint for a task or step, e.g. hint(3) or hint("4b", level=2).

    Args:
        task: the task number or step id (3, "4b").
        level: 1, a question that points at the problem; 2, the idea; 3, near-code.

    Returns:
        None; a task or level that does not exist is said in a line, not raised.
    """
    check_id = _id_or_say(task)
    if check_id is None:
        return
    hints = TASKS[check_id].hints
    if isinstance(level, bool) or not isinstance(level, numbers.Integral) or not 1 <= level <= len(hints):
        print(
            f"🤔 task {check_id} has hints at levels 1 to {len(hints)}, not level={level!r}. "
            f"After the last one, check.solution({_ref(check_id)}) shows the solution."
        )
        return
    protocol.record_help(check_id, "hint", level)
    more = (
        f"More: check.hint({_ref(check_id)}, level={level + 1})."
        if level < len(hints)
        else f"Still stuck? check.solution({_ref(check_id)}) shows the solution."
    )
    print(f"💡 Task {check_id}, hint {level} of {len(hints)}:\n{hints[int(level) - 1]}\n{more}")


def solution(task) -> None:
    """Print the solution's code for a task or step, read from the solution notebook's own cells.

    Args:
        task: the task number or step id.

    Raises:
        KeyError: the solution notebook has no cell for that task (a fault of the course).
    """
    check_id = _id_or_say(task)
    if check_id is None:
        return
    code = solutions().get(check_id)
    if code is None:
        raise KeyError(f"no solution cell found for task {check_id}: the solution notebook has none in that section.")
    protocol.record_help(check_id, "solution")
    print(f"🔑 Task {check_id}, the solution (the grader's report notes that you looked):\n\n{code}")
