"""Grade a saved exercise notebook from the command line.

    python -m helpers.check exercises/07_exercises_moons_spirals.ipynb

Executes a *copy* of the notebook (the learner's file is never modified) in a fresh kernel on
the CPU, collects the result of every task's check, and prints one line per task. A notebook
that stops with an error at task N reports the tasks before N, the error at N, and the rest as
not reached. Exit status: 0 if every task passed, 1 otherwise, 2 if the path is not a notebook.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from helpers.exercise_report import REPORT_ENV_VAR, STATUS_MARKS, TASKS, read

# nbformat and nbclient are imported only once the path is known to be a notebook: a mistyped
# path gets its answer at once. torch is never imported here: the checks run in the kernel.

# Marks for what only the command line reports; a check's own three come from exercise_report.
_RUN_MARKS = {"error": "💥", "not reached": "··", "not checked": "··"}
_TASK_HEADING = re.compile(r"^#+\s*Task\s+(\d+)\b", re.MULTILINE)


def _load(path: Path):
    """The notebook at path, or an error message for a path that is not a readable notebook."""
    if not path.exists():
        return None, f"no such file: {path}"
    if not path.is_file():
        return None, f"not a file: {path}"
    if path.suffix != ".ipynb":
        return None, f"not a Jupyter notebook (.ipynb): {path}"
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"not a valid Jupyter notebook: {path} ({error})"
    if not isinstance(content, dict) or not isinstance(content.get("cells"), list) or "nbformat" not in content:
        return None, f"not a valid Jupyter notebook: {path} (no 'cells' list or 'nbformat' version)"
    return content, None


def _task_of_cells(nb) -> list[int | None]:
    """For each cell, the number of the task whose section it is in (from '## Task N' headings)."""
    current, owners = None, []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = _TASK_HEADING.search(cell.source)
            if match:
                current = int(match.group(1))
        owners.append(current)
    return owners


def _failing_cell(nb) -> int | None:
    """Index of the first code cell with an error output."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return index
    return None


def run_notebook(path: Path, timeout: int = 600) -> tuple[dict[int, dict], dict | None]:
    """Execute a copy of the notebook on the CPU.

    Returns (results, error): results maps task number -> the last check result recorded for it
    ({"status", "message"}); error is None, or {"task", "message"} for the error that stopped it.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    _, problem = _load(path)
    if problem:
        raise ValueError(problem)
    with tempfile.TemporaryDirectory(prefix="course-check-") as workdir:
        copy = Path(workdir) / path.name
        shutil.copyfile(path, copy)
        nb = nbformat.read(copy, as_version=4)
        report = Path(workdir) / "report.jsonl"
        environment = {REPORT_ENV_VAR: str(report), "COURSE_DEVICE": "cpu", "CUDA_VISIBLE_DEVICES": "",
                       "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"), "MPLBACKEND": "Agg"}
        saved = {key: os.environ.get(key) for key in environment}
        os.environ.update(environment)
        error = None
        try:
            # The kernel's log level: ERROR, or ipykernel 7 warns on every start that its
            # local connection (127.0.0.1) is not encrypted, which is noise to a learner.
            client = NotebookClient(nb, timeout=timeout, kernel_name="python3", shutdown_kernel="immediate",
                                    extra_arguments=["--log-level=ERROR"],
                                    resources={"metadata": {"path": workdir}})
            client.execute()
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            index = _failing_cell(nb)
            task = _task_of_cells(nb)[index] if index is not None else None
            message = getattr(exc, "ename", None)
            if message:
                message = f"{exc.ename}: {exc.evalue}"
            else:
                message = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            error = {"task": task, "message": message}
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        results = read(report)
    return results, error


def format_report(results: dict[int, dict], error: dict | None) -> tuple[list[str], int]:
    """One line per task, and how many tasks passed (all passed only if it equals len(TASKS))."""
    marks = {**STATUS_MARKS, **_RUN_MARKS}
    lines, n_passed = [], 0
    stopped_at = error["task"] if error else None
    for task, title in TASKS.items():
        if stopped_at is not None and task == stopped_at:
            status, message = "error", f"the notebook stopped here: {error['message']}"
        elif stopped_at is not None and task > stopped_at:
            status, message = "not reached", "the notebook stopped at an earlier task."
        elif task in results:
            status, message = results[task]["status"], results[task]["message"]
        else:
            status, message = "not checked", "its check cell did not run (was it deleted?)."
        n_passed += status == "passed"
        label = "not attempted yet" if status == "not attempted" else status
        lines.append(f"{marks.get(status, '  ')} Task {task} {label}: {message}  [{title}]")
    if error and stopped_at is None:
        n_passed = 0
        lines.append(f"💥 The notebook stopped with an error before the first task: {error['message']}")
    return lines, n_passed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.check", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook", help="the exercise notebook to grade, e.g. exercises/07_exercises_moons_spirals.ipynb")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one cell may run (default 600)")
    args = parser.parse_args(argv)
    path = Path(args.notebook)
    _, problem = _load(path)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    print(f"Checking {path} (running a copy on the CPU)...", flush=True)
    start = time.perf_counter()
    results, error = run_notebook(path, timeout=args.timeout)
    lines, n_passed = format_report(results, error)
    print("\n".join(lines))
    print(f"{n_passed} of {len(TASKS)} tasks passed ({time.perf_counter() - start:.1f} s).")
    return 0 if n_passed == len(TASKS) else 1


if __name__ == "__main__":
    sys.exit(main())
