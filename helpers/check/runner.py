"""Run a notebook's code cells one by one in a fresh kernel, saying how each one ended.

Serves the grader (``python -m helpers.check``) and the benchmark. Torch-free: the kernel is a
separate process. The kernel gets its environment as an argument; ``os.environ`` is left as it was.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers.check.protocol import KERNEL_ARGS, KERNEL_NAME

OK, ERROR, TIMEOUT, DEAD, SKIPPED = "ok", "error", "timeout", "dead kernel", "skipped"


@dataclass
class CellOutcome:
    """How one code cell ended: ``status`` is ok, error, timeout, dead kernel or skipped."""

    index: int
    status: str
    seconds: float
    error: str = ""  # "NameError: name 'x' is not defined" for an error


def _import_kernelspec_quietly() -> None:
    """Import ipykernel's kernelspec in this process with debugpy's file check off.

    To find the "python3" kernel, jupyter_client 7 (Colab's) imports ``ipykernel.kernelspec`` in
    the caller's process, and with ipykernel 6 (Colab's) that imports debugpy, which prints a
    four-line "frozen modules" warning on stderr under Python 3.11+: in the learner's terminal,
    above the report. debugpy reads PYDEVD_DISABLE_FILE_VALIDATION once, at import; it is set
    only for that import, and os.environ is left as it was.
    """
    name = "PYDEVD_DISABLE_FILE_VALIDATION"
    before = os.environ.get(name)
    os.environ[name] = "1"
    try:
        import ipykernel.kernelspec  # noqa: F401
    except ImportError:  # jupyter_client then finds the kernel without it
        pass
    finally:
        if before is None:
            del os.environ[name]
        else:
            os.environ[name] = before


def run_cells(
    nb,
    *,
    cwd: Path,
    env: dict | None = None,
    timeout: int = 600,
    on_cell: Callable[[CellOutcome], None] | None = None,
    skip: Callable[[object], bool] | None = None,
    stop_on_error: bool = False,
) -> list[CellOutcome]:
    """Execute the code cells of ``nb`` in order, in a fresh kernel.

    A cell that raises, or runs longer than ``timeout`` seconds (the kernel is then interrupted),
    does not stop the run unless ``stop_on_error``; a dead kernel does.

    Args:
        nb: an nbformat notebook; changed in place (its outputs).
        cwd: the kernel's working directory.
        env: the kernel's environment (``os.environ`` is left as it was); None: the caller's.
        timeout: seconds one cell may run.
        on_cell: called with each cell's ``CellOutcome``, as it ends.
        skip: ``skip(cell)`` True leaves a cell out.
        stop_on_error: stop after a cell that raised or timed out.

    Returns:
        One ``CellOutcome`` per code cell run or skipped.

    Raises:
        KeyboardInterrupt: reaches the caller after the kernel is shut down.
        Exception: nbclient's own errors while the kernel is alive (a fault of ours, not the notebook's).
    """
    # Here, not at the top: nbclient is the optional `grader` extra, and a notebook's kernel
    # (Colab) imports helpers.check without it.
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    _import_kernelspec_quietly()
    failed = {}  # cell index -> (ename, evalue) of its error reply (a timeout's included)

    def on_cell_error(cell, cell_index, execute_reply):
        content = execute_reply["content"]
        failed[cell_index] = (content.get("ename", "Error"), content.get("evalue", ""))

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        shutdown_kernel="immediate",
        extra_arguments=list(KERNEL_ARGS),
        interrupt_on_timeout=True,
        error_on_timeout={"ename": "Timeout", "evalue": f"ran longer than {timeout} s", "traceback": []},
        # Errors are read from the replies (on_cell_error), not raised: nbclient then asks the
        # kernel not to stop on errors. A kernel told to stop skips ("aborts") the requests that
        # reach it while it handles an error, and nbclient reported such a skipped cell as run:
        # with Colab's ipykernel 6.17 under load, the grader missed the checks after an error.
        allow_errors=True,
        on_cell_error=on_cell_error,
        resources={"metadata": {"path": str(cwd)}},
    )
    outcomes: list[CellOutcome] = []
    kernel_options = {} if env is None else {"env": env}
    with client.setup_kernel(**kernel_options):
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if skip is not None and skip(cell):
                outcome = CellOutcome(index, SKIPPED, 0.0)
            else:
                start = time.perf_counter()
                try:
                    client.execute_cell(cell, index)
                    if index in failed:
                        ename, evalue = failed.pop(index)
                        status = TIMEOUT if ename == "Timeout" else ERROR
                        outcome = CellOutcome(index, status, time.perf_counter() - start, f"{ename}: {evalue}")
                    else:
                        outcome = CellOutcome(index, OK, time.perf_counter() - start)
                except DeadKernelError:
                    outcome = CellOutcome(index, DEAD, time.perf_counter() - start, "the kernel died")
                except (KeyboardInterrupt, SystemExit):
                    raise
                except Exception:
                    # A kernel that dies mid-cell is not always reported as DeadKernelError
                    # (the reply can be lost first); if it is gone, say so, else it is our fault.
                    if client.km is not None and client.km.is_alive():
                        raise
                    outcome = CellOutcome(index, DEAD, time.perf_counter() - start, "the kernel died")
            outcomes.append(outcome)
            if on_cell is not None:
                on_cell(outcome)
            if outcome.status == DEAD or (stop_on_error and outcome.status in (ERROR, TIMEOUT)):
                break
    return outcomes
