"""What the exercise checks and the checker (``python -m helpers.check``) share: the list of
tasks, the status marks, and the report file through which checks running in a notebook's
kernel tell the checker their results.

Kept apart from ``helpers.exercise_checks`` so that the checker's own process needs no torch
(importing it costs about 2 s; the notebook's kernel imports it anyway).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

#: Environment variable naming the report file: one JSON line per check that ran.
REPORT_ENV_VAR = "COURSE_CHECK_REPORT"

#: Task number -> short title, in notebook order.
TASKS = {
    1: "moons data as tensors, split 80/20",
    2: "a non-linear model subclassing nn.Module",
    3: "loss function and optimizer",
    4: "logits, probabilities, labels, and training to over 96% test accuracy",
    5: "decision boundaries for train and test",
    6: "tanh in pure PyTorch",
    7: "spirals: 3 classes, Adam, over 95% test accuracy",
}

STATUS_MARKS = {"passed": "✅", "failed": "❌", "not attempted": "⏳"}


def record(task: int, status: str, message: str) -> None:
    """Append one check's result to the report file, if the environment names one."""
    path = os.environ.get(REPORT_ENV_VAR)
    if path:
        with open(path, "a", encoding="utf-8") as report:
            report.write(json.dumps({"task": task, "status": status, "message": message}) + "\n")


def read(path: Path) -> dict[int, dict]:
    """Task number -> the last result recorded for it ({"task", "status", "message"})."""
    results = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            result = json.loads(line)
            results[int(result["task"])] = result
    return results
