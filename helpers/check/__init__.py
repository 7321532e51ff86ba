"""What the exercise notebook calls ``check`` (``from helpers import check``):

    check.task_1(X_train, X_test, y_train, y_test)   # one check per task or step: one line back
    check.hint(3)  /  check.hint(3, level=2)          # hints, from the idea to near-code
    check.solution(3)                                 # the solution notebook's own code
    check.grade()                                     # grade the saved notebook in a fresh kernel

and, from a terminal, ``python -m helpers.check NOTEBOOK``. The parts:

    table      the tasks: id, title, reference data, target, hints (torch-free)
    protocol   statuses, the one line a check answers with, notebook sections, the report file,
               the grader's kernel (torch-free)
    framework  how a check runs: statuses from exceptions, the learner's errors kept apart from ours
    reference  the reference data sets: the frozen split, fresh samples
    probes     looking at the learner's objects: run their model, read their panels
    tasks      the checks, one per task or step
    diagnosis  why a training step failed: the loop's gradients, then helpers.doctor.examine
    help       hints and solutions (torch-free); solutions_copy: the solutions for Colab
    grader     ``python -m helpers.check`` and ``check.grade()`` (torch-free)
    runner     runs a notebook's cells in a fresh kernel (torch-free)
    cells      what the notebook's last cell did: an error that left the blanks unset (torch-free)

The checks (``task_*``, ``CheckResult``) are imported on first use, so that the grader, the hints
and ``python -m helpers.check`` never import torch.
"""

from importlib import import_module

from helpers.check.cells import watch_cells
from helpers.check.grader import grade
from helpers.check.help import hint, solution
from helpers.check.table import TASKS

watch_cells()  # in a notebook: lets a check say that the cell before it raised

_CHECKS = {f"task_{check_id}": "helpers.check.tasks" for check_id in TASKS}
_CHECKS["CheckResult"] = "helpers.check.framework"

__all__ = ["grade", "hint", "solution", *_CHECKS]


def __getattr__(name):
    if name in _CHECKS:
        value = getattr(import_module(_CHECKS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'helpers.check' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_CHECKS))
