"""What the browser tests know about the exercise notebook's layout, all in one place.

A task is a code cell with a blank (between BEGIN and END) followed by its check cell, which
prints one line: ❌ with what is wrong, or ✅. The right answer is taken from the solution
notebook; the wrong one is that answer with one thing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat

from helpers.check.protocol import solution_name

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = ROOT / "exercises" / "09_exercises_moons_spirals.ipynb"
SOLUTION = ROOT / "solutions" / solution_name(EXERCISE.name)
BEGIN, END = "# >>> your code here >>>", "# <<< end of your code <<<"
WRONG, RIGHT = "❌", "✅"
# Task 1 splits the moons 80/20; a 70/30 split is a plausible mistake the check must catch.
RIGHT_SPLIT, WRONG_SPLIT = "test_size=0.2", "test_size=0.3"


@dataclass(frozen=True)
class Task:
    blank_cell: int  # index among all cells (markdown included), as JupyterLab lists them
    check_cell: int
    right_source: str
    wrong_source: str


def first_task() -> Task:
    exercise = nbformat.read(EXERCISE, as_version=4)
    solution = nbformat.read(SOLUTION, as_version=4)
    blank = next(i for i, c in enumerate(exercise.cells) if c.cell_type == "code" and BEGIN in c.source)
    check = next(i for i in range(blank + 1, len(exercise.cells)) if exercise.cells[i].cell_type == "code")
    right = solution.cells[blank].source
    assert RIGHT_SPLIT in right, f"the solution's first task no longer has {RIGHT_SPLIT!r}: update {__name__}"
    return Task(blank, check, right, right.replace(RIGHT_SPLIT, WRONG_SPLIT))
