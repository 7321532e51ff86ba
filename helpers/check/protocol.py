"""The grading protocol of the exercises, in one place, without torch.

What the checks (running in a notebook's kernel), the grader (``python -m helpers.check``), the
hints and the benchmark must agree on, besides the tasks themselves (``helpers.check.table``):

- the exercise and solution notebooks;
- how a notebook's cells belong to checks: "## Task N" headings, and "### Step Nx" headings
  for tasks split into steps;
- the statuses a check answers with, and their marks;
- the kernel the grader starts (name, arguments, environment), and the report file through which
  checks and hints in that kernel tell the grader what happened.

Importing it costs nothing: no torch, no nbformat.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from helpers.check.table import CHECKS, task_of
from helpers.environment import DEVICE_ENV_VAR, REPORT_ENV_VAR

# ----------------------------------------------------------------------------- the exercise

EXERCISE = "exercises/09_exercises_moons_spirals.ipynb"
SOLUTION = "solutions/09_exercises_moons_spirals_solution.ipynb"
#: The solution's title ends so; its name ends in SOLUTION_SUFFIX (two tabs a learner can tell apart).
SOLUTION_TITLE_MARK = " (solution)"
SOLUTION_SUFFIX = "_solution"


def solution_name(exercise_name: str) -> str:
    """The file name of an exercise notebook's solution.

    Args:
        exercise_name: "09_exercises_moons_spirals.ipynb".

    Returns:
        "09_exercises_moons_spirals_solution.ipynb".
    """
    stem, dot, suffix = exercise_name.rpartition(".")
    return f"{stem}{SOLUTION_SUFFIX}{dot}{suffix}"


# ----------------------------------------------------------------------------- statuses

PASSED, FAILED, NOT_ATTEMPTED, CHECK_ERROR = "passed", "failed", "not attempted", "check error"
STATUS_MARKS = {PASSED: "✅", FAILED: "❌", NOT_ATTEMPTED: "⏳", CHECK_ERROR: "⚠️"}
ISSUES_URL = "https://github.com/nn-classification-course/pytorch-classification/issues"


def format_line(check_id: str, status: str, message: str) -> str:
    """The one line a check answers with, in the notebook and in the grader's report.

    Args:
        check_id: "1", "4b", ...
        status: one of the four statuses.
        message: what the check says.

    Returns:
        The line, starting with the status's mark.
    """
    mark = STATUS_MARKS.get(status, "  ")
    if status == NOT_ATTEMPTED:
        return f"{mark} Task {check_id} not attempted yet: {message}"
    if status == CHECK_ERROR:
        return (
            f"{mark} Task {check_id}: the check itself failed ({message}). This is a fault in the course, "
            f"not in your answer: please report it at {ISSUES_URL} with this line."
        )
    return f"{mark} Task {check_id} {status}: {message}"


# ----------------------------------------------------------------------------- notebook sections

TASK_HEADING = re.compile(r"^#{1,6}\s*Task\s+(\d+)\b", re.MULTILINE)
STEP_HEADING = re.compile(r"^#{1,6}\s*Step\s+(\d+[a-z])\b", re.MULTILINE)
#: The call a check cell makes; a cell that calls the grader is skipped when grading.
CHECK_CALL = re.compile(r"\bcheck\.task_(\d+[a-z]?)\(")
GRADE_CALL = "check.grade("


def section_of_cells(cells) -> list[str | None]:
    """The check id of the section each cell is in, from the task and step headings above it.

    Args:
        cells: dicts or nbformat nodes with "cell_type" and "source".

    Returns:
        One check id per cell; None before the first task.
    """
    current, owners = None, []
    for cell in cells:
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            task, step = TASK_HEADING.search(source), STEP_HEADING.search(source)
            if step:
                current = step.group(1)
            elif task:
                number = task.group(1)
                current = number if number in CHECKS else next((c for c in CHECKS if task_of(c) == int(number)), number)
        owners.append(current)
    return owners


# ----------------------------------------------------------------------------- the report file


def record(check_id: str, status: str, message: str) -> None:
    """Append one check's result to the report file, if the environment names one.

    Args:
        check_id: the check; status: its status; message: its message.
        status: its status.
        message: its message.
    """
    _append({"kind": "check", "check": check_id, "status": status, "message": message})


def record_help(check_id: str, what: str, level: int = 0) -> None:
    """Append that the learner asked for a hint (with its level) or the solution.

    Args:
        check_id: the task or step.
        what: "hint" or "solution".
        level: the hint's level.
    """
    _append({"kind": what, "check": check_id, "level": level})


def _append(entry: dict) -> None:
    path = os.environ.get(REPORT_ENV_VAR)
    if path:
        with open(path, "a", encoding="utf-8") as report:
            report.write(json.dumps(entry) + "\n")


def read_report(path: Path, start: int = 0) -> tuple[list[dict], int]:
    """The entries written to the report from byte ``start`` on.

    Args:
        path: the report file (it may not exist yet).
        start: the offset after the entries already read.

    Returns:
        (entries, the offset after them); a line still being written is left for the next call.
    """
    path = Path(path)
    if not path.exists():
        return [], start
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end <= start:
        return [], start
    return [json.loads(line) for line in data[start:end].decode("utf-8").splitlines() if line.strip()], end


# ----------------------------------------------------------------------------- the kernel

KERNEL_NAME = "python3"
#: ERROR: ipykernel 7 otherwise warns on every start that its local connection is not encrypted.
KERNEL_ARGS = ["--log-level=ERROR"]
DEFAULT_TIMEOUT_S = 600


def kernel_env(report_path: Path | None = None, base: dict | None = None) -> dict:
    """The environment of the grader's kernel: the caller's, on the CPU, one thread, no screen.

    Args:
        report_path: the report file the checks append to, or None.
        base: the environment to start from (default: ``os.environ``, which is not changed).

    Returns:
        A new dict.
    """
    env = dict(os.environ if base is None else base)
    env.update(
        {
            DEVICE_ENV_VAR: "cpu",
            "CUDA_VISIBLE_DEVICES": "",
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": env.get("OMP_NUM_THREADS", "1"),
            # debugpy (in older ipykernels, e.g. Colab's 6.17) warns on stderr about frozen
            # modules at every kernel start; the learner's terminal should show the report only.
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
    )
    if report_path is not None:
        env[REPORT_ENV_VAR] = str(report_path)
    return env


#: The grading command, as the README, the notebook and ``--help`` show it.
GRADE_IN_NOTEBOOK = "check.grade()"
GRADE_IN_SHELL = f".venv/bin/python -m helpers.check {EXERCISE}"
