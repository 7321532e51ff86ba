"""Grade a saved exercise notebook: every task whose check cell runs, one line each as it finishes.

From a notebook cell (JupyterLab or Colab; it grades the notebook it is in, as last saved):

    check.grade()

From a terminal in the course folder:

    .venv/bin/python -m helpers.check exercises/09_exercises_moons_spirals.ipynb

A copy of the notebook runs in a fresh kernel on the CPU (your file is never changed). A cell that
raises does not stop the grading: later tasks are still graded. A cell that runs longer than the
timeout is interrupted and reported as such; a dead kernel (out of memory) is reported with what
passed before it; Ctrl-C prints the report so far. Exit status: 0 if every check passed, 1 if not,
2 if the path is not a readable notebook, 130 if interrupted.

The grader is for self-assessment. It counts a check's result only from a cell that calls that
check, but the notebook's code runs in the kernel it reads from: code written to fool it (replacing
a check, writing a result from inside a check cell) can. It tells you where you stand; it is no exam.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from helpers.check import protocol, runner
from helpers.check.protocol import format_line
from helpers.check.table import CHECKS
from helpers.environment import REPORT_ENV_VAR


def load(path: Path):
    """The notebook at ``path``, or why it is not a readable notebook.

    Args:
        path: the file.

    Returns:
        (nbformat notebook, None), or (None, a one-line reason). Never raises for a bad file.
    """
    if not path.exists():
        return None, f"no such file: {path}"
    if not path.is_file():
        return None, f"not a file: {path}"
    if path.suffix != ".ipynb":
        return None, f"not a Jupyter notebook (.ipynb): {path}"
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"not a valid Jupyter notebook: {path} ({str(error).splitlines()[0]})"
    if not isinstance(content, dict) or not isinstance(content.get("cells"), list) or "nbformat" not in content:
        return None, f"not a valid Jupyter notebook: {path} (no 'cells' list or 'nbformat' version)"
    import nbformat  # the optional `grader` extra: only once the path is known to be a notebook

    try:
        nb = nbformat.reads(json.dumps(content), as_version=4)
        for cell in nb.cells:
            if cell.get("cell_type") not in ("code", "markdown", "raw") or not isinstance(cell.get("source"), str):
                raise ValueError("a cell has no valid cell_type or source")
    except Exception as error:  # nbformat raises many kinds for a broken file
        return (
            None,
            f"not a valid Jupyter notebook: {path} ({str(error).splitlines()[0] if str(error) else type(error).__name__})",
        )
    return nb, None


class Grader:
    """Collects what the kernel reports, prints each line as it comes, and the summary."""

    def __init__(self, nb, report: Path, timeout: int, out=None):
        self.nb, self.report, self.timeout = nb, report, timeout
        self.out = out or sys.stdout
        self.sections = protocol.section_of_cells(nb.cells)
        self.results: dict[str, dict] = {}
        self.help: dict[str, dict] = {}
        self.offset = 0
        self.stopped = None  # why grading stopped early: "dead kernel" or "interrupted"
        self.raised: dict[str, str] = {}  # check id -> the error its check cell raised before it answered

    def say(self, line: str) -> None:
        """Print one line of the report, at once."""
        print(line, file=self.out, flush=True)

    def where(self, index: int) -> str:
        """ "Task 4b" or "Setup (before the first task)": the section of code cell ``index``."""
        section = self.sections[index]
        return f"Task {section}" if section else "Setup (before the first task)"

    def collect(self, index: int | None = None) -> None:
        """Read what the kernel wrote to the report since the last call; print each check's latest line.

        Args:
            index: the code cell that just ran. A check's result counts only from a cell that calls that
                check (``check.task_4b(``): a result written by any other cell (protocol.record called
                by hand) is ignored, and said so. None (after Ctrl-C): the cell is not known.
        """
        entries, self.offset = protocol.read_report(self.report, self.offset)
        callers = set(protocol.CHECK_CALL.findall(self.nb.cells[index].source)) if index is not None else None
        latest, ignored = {}, []
        for entry in entries:
            if entry.get("kind") == "check":
                if callers is not None and entry["check"] not in callers:
                    ignored += [] if entry["check"] in ignored else [entry["check"]]
                    continue
                latest[entry["check"]] = entry
            else:
                used = self.help.setdefault(entry["check"], {"hint": 0, "solution": False})
                if entry["kind"] == "hint":
                    used["hint"] = max(used["hint"], int(entry.get("level", 1)))
                else:
                    used["solution"] = True
        if ignored:
            self.say(
                f"⚠️ {self.where(index)}: a cell that calls no check of theirs wrote results for "
                f"{', '.join('task ' + check_id for check_id in ignored)}; ignored (only a check cell's own "
                "result counts)."
            )
        for check_id, entry in latest.items():
            self.results[check_id] = entry
            self.say(format_line(check_id, entry["status"], entry["message"]))

    def on_cell(self, outcome) -> None:
        """After each cell (``runner.run_cells``'s callback): collect, and say if the cell raised,
        timed out or killed the kernel.
        """
        self.collect(outcome.index)
        where = self.where(outcome.index)
        if outcome.status == runner.ERROR:
            self.say(f"💥 {where}: a cell raised {outcome.error}. Later tasks are still graded.")
            for check_id in protocol.CHECK_CALL.findall(self.nb.cells[outcome.index].source):
                self.raised.setdefault(check_id, outcome.error)
        elif outcome.status == runner.TIMEOUT:
            self.say(
                f"⏱️ {where} ran longer than {self.timeout} s, so that cell was interrupted "
                "(an endless loop? far too many epochs?). Later tasks are still graded."
            )
        elif outcome.status == runner.DEAD:
            self.stopped = "dead kernel"
            self.say(
                f"💀 {where}: the kernel died (out of memory, or a crash in a library), so nothing "
                "after it could run. What passed before it is kept."
            )

    def raised_reason(self, check_id: str) -> str | None:
        """Why a check gave no answer when its check cell raised, or None if it did not."""
        error = self.raised.get(check_id)
        if error is None:
            return None
        why = (
            " (a name an earlier cell should have defined: that cell raised or did not run; fix the first error above)"
            if error.startswith("NameError")
            else ""
        )
        return f"not checked: its check cell raised {error}{why}"

    def summary(self, seconds: float) -> int:
        """Print the checks not reached, the help used and the count passed.

        Args:
            seconds: how long grading took.

        Returns:
            The number of checks passed.
        """
        n_passed = 0
        missing = []
        for check_id in CHECKS:
            result = self.results.get(check_id)
            if result is None:
                missing.append(check_id)
            else:
                n_passed += result["status"] == protocol.PASSED
        if missing:
            reason = {
                "dead kernel": "not reached: the kernel died before its check cell",
                "interrupted": "not reached: grading was interrupted",
            }.get(self.stopped, "not checked: its check cell did not run (was it deleted or changed?)")
            for check_id in missing:
                self.say(f"·· Task {check_id} {self.raised_reason(check_id) or reason}.  [{CHECKS[check_id]}]")
        used = []
        for check_id in CHECKS:
            if check_id in self.help:
                parts = []
                if self.help[check_id]["hint"]:
                    parts.append(f"hint {self.help[check_id]['hint']}")
                if self.help[check_id]["solution"]:
                    parts.append("the solution")
                used.append(f"{check_id} ({' and '.join(parts)})")
        self.say("Help used: " + ("; ".join(used) if used else "none") + ".")
        self.say(f"{n_passed} of {len(CHECKS)} checks passed ({seconds:.1f} s).")
        return n_passed


def grade_file(path: Path, timeout: int = protocol.DEFAULT_TIMEOUT_S, out=None) -> int:
    """Grade the notebook at ``path`` in a fresh kernel, printing as it goes.

    Args:
        path: the notebook (a copy runs; the file is not changed).
        timeout: seconds one cell may run.
        out: where the report goes (default stdout).

    Returns:
        The exit status: 0 all passed, 1 not, 2 not a readable notebook, 130 interrupted.
    """
    nb, problem = load(path)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if not any(cell.cell_type == "code" and "check." in cell.source for cell in nb.cells):
        print(f"error: {path} is not the exercise notebook (it calls no check): grade {protocol.EXERCISE}")
        return 2
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="course-check-") as workdir:
        report = Path(workdir) / "report.jsonl"
        shutil.copyfile(path, Path(workdir) / path.name)
        grader = Grader(nb, report, timeout, out)
        grader.say(f"Grading {path} (a copy runs on the CPU; your file is not changed)...")
        previous = signal.signal(signal.SIGTERM, _raise_interrupt) if _main_thread() else None
        try:
            runner.run_cells(
                nb,
                cwd=Path(workdir),
                env=protocol.kernel_env(report),
                timeout=timeout,
                on_cell=grader.on_cell,
                skip=lambda cell: protocol.GRADE_CALL in cell.source,
            )
        except KeyboardInterrupt:
            grader.collect()
            grader.stopped = "interrupted"
            grader.say("🛑 Interrupted: the report so far.")
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        n_passed = grader.summary(time.perf_counter() - start)
    if grader.stopped == "interrupted":
        return 130
    return 0 if n_passed == len(CHECKS) else 1


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _this_notebook() -> Path | None:
    """The notebook a kernel runs in: JupyterLab and Jupyter Notebook name it in JPY_SESSION_NAME,
    VS Code in ``__vsc_ipynb_file__``; Colab hands its content over. None if nothing says."""
    names = [os.environ.get("JPY_SESSION_NAME", "")]
    try:
        from IPython import get_ipython

        shell = get_ipython()
        names.append(shell.user_ns.get("__vsc_ipynb_file__", "") if shell is not None else "")
    except ImportError:
        pass
    for name in filter(None, names):
        for candidate in (Path(name), Path.cwd() / Path(name).name):
            if candidate.suffix == ".ipynb" and candidate.is_file():
                return candidate
    if "google.colab" in sys.modules:
        from google.colab import _message  # Colab's own channel to the notebook in the browser

        content = _message.blocking_request("get_ipynb", timeout_sec=30)["ipynb"]
        path = Path(tempfile.mkdtemp(prefix="course-grade-")) / Path(protocol.EXERCISE).name
        path.write_text(json.dumps(content), encoding="utf-8")
        return path
    return None


def unsaved_cells(path: Path, executed: list[str]) -> list[str]:
    """The code this kernel ran that the saved notebook does not hold: cells edited and run since
    the last save (what the learner sees on screen, not what the grader will read).

    Args:
        path: the saved notebook.
        executed: the sources this kernel ran, in order (IPython's ``In``).

    Returns:
        The first line of code (not a comment) of each such source, in order (empty when the
        file holds them all).
    """
    try:
        saved = {
            "".join(cell.get("source", "")).strip()
            for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", [])
            if cell.get("cell_type") == "code"
        }
    except (OSError, ValueError):
        return []
    missing = []
    for source in executed:
        text = source.strip()
        if not text or protocol.GRADE_CALL in text or text.startswith(("%", "!", "get_ipython(")):
            continue  # the grading cell itself, and magics (IPython stores them rewritten)
        if text not in saved:
            lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
            missing.append((lines or text.splitlines())[0].strip()[:70])
    return missing


def _executed_sources() -> list[str]:
    """What this kernel has run, in order (empty outside IPython)."""
    try:
        from IPython import get_ipython  # the kernel's own shell; absent in a plain Python
    except ImportError:
        return []
    shell = get_ipython()
    return list(shell.user_ns.get("In", [])) if shell is not None else []


def grade(path: str | os.PathLike | None = None, timeout: int = protocol.DEFAULT_TIMEOUT_S) -> None:
    """Grade a notebook from a notebook cell: by default the one it is called from, as last saved,
    or on Colab as it is now. Before grading it says which saved version it grades, and warns
    when cells were run here that the saved file does not hold (edited since the last save).

    Runs this same Python (``sys.executable -m helpers.check``), so it works wherever the course's
    notebooks run: JupyterLab, Jupyter Notebook, VS Code, Colab.

    Args:
        path: the notebook; None: the one this kernel runs.
        timeout: seconds one cell may run.

    Returns:
        None, so that a cell ending with ``check.grade()`` shows only the report (the command's
        exit status is ``python -m helpers.check``'s).
    """
    target = Path(path) if path is not None else _this_notebook()
    if target is None:
        print(
            "check.grade() cannot tell which notebook this kernel runs (here it is not JupyterLab, "
            'Jupyter Notebook, VS Code or Colab): give its path, check.grade("NOTEBOOK.ipynb"), or grade '
            f"from a terminal in the course folder: {protocol.GRADE_IN_SHELL}"
        )
        return None
    if "google.colab" not in sys.modules:  # Colab hands over the notebook as it is on screen
        saved_at = time.strftime("%H:%M:%S", time.localtime(target.stat().st_mtime))
        print(f"Grading {target.name} as saved at {saved_at}.")
        if unsaved := unsaved_cells(target, _executed_sources()):
            print(
                f"⚠️ {len(unsaved)} cell(s) you ran here are not in the saved file, e.g. `{unsaved[-1]}`: "
                "the grade below is of the file as saved. Save the notebook (Ctrl+S / Cmd+S) and run "
                "check.grade() again to grade what you see."
            )
    command = [sys.executable, "-m", "helpers.check", str(target), "--timeout", str(timeout)]
    environment = {key: value for key, value in os.environ.items() if key != REPORT_ENV_VAR}
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=environment
    ) as process:
        for line in process.stdout:
            print(line, end="", flush=True)
    return None


def main(argv=None) -> int:
    """``python -m helpers.check NOTEBOOK [--timeout S]``.

    Args:
        argv: the arguments (default: the command line's).

    Returns:
        The exit status (see ``grade_file``).
    """
    parser = argparse.ArgumentParser(
        prog="python -m helpers.check",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            f"The same grading, two ways:\n  in a notebook cell:  {protocol.GRADE_IN_NOTEBOOK}\n"
            f"  in a terminal:       {protocol.GRADE_IN_SHELL}\n"
            "(In a JupyterLab terminal, `python` may not be the course's; .venv/bin/python is.)"
        ),
    )
    parser.add_argument("notebook", help=f"the exercise notebook to grade, e.g. {protocol.EXERCISE}")
    parser.add_argument(
        "--timeout",
        type=int,
        default=protocol.DEFAULT_TIMEOUT_S,
        help=f"seconds one cell may run before it is interrupted (default {protocol.DEFAULT_TIMEOUT_S})",
    )
    args = parser.parse_args(argv)
    if missing := [name for name in ("nbformat", "nbclient", "ipykernel") if importlib.util.find_spec(name) is None]:
        print(
            f"This Python ({sys.executable}) lacks what the grader needs ({', '.join(missing)}). "
            f"Use the course's: {protocol.GRADE_IN_SHELL} (from the course folder), or check.grade() in the notebook."
        )
        return 2
    try:
        return grade_file(Path(args.notebook), timeout=args.timeout)
    except KeyboardInterrupt:  # before the kernel started
        print("🛑 Interrupted before any task ran.", flush=True)
        return 130
