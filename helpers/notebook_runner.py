"""Run a notebook's code cells one by one in a fresh kernel, saying how each one ended.

Serves the grader (``python -m helpers.check``) and the benchmark. Torch-free: the kernel is a
separate process. The kernel gets its environment as an argument; ``os.environ`` is never changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from helpers.grading import KERNEL_ARGS, KERNEL_NAME

OK, ERROR, TIMEOUT, DEAD, SKIPPED = "ok", "error", "timeout", "dead kernel", "skipped"


@dataclass
class CellOutcome:
    """How one code cell ended: ``status`` is ok, error, timeout, dead kernel or skipped."""

    index: int
    status: str
    seconds: float
    error: str = ""  # "NameError: name 'x' is not defined" for an error


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
    """Execute the code cells of ``nb`` (an nbformat notebook, changed in place: outputs) in order.

    A cell that raises, or runs longer than ``timeout`` seconds (the kernel is then interrupted),
    does not stop the run unless ``stop_on_error``; a dead kernel does. ``on_cell`` is called after
    every cell; ``skip(cell)`` True leaves a cell out. KeyboardInterrupt reaches the caller after
    the kernel is shut down.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        shutdown_kernel="immediate",
        extra_arguments=list(KERNEL_ARGS),
        interrupt_on_timeout=True,
        error_on_timeout={"ename": "Timeout", "evalue": f"ran longer than {timeout} s", "traceback": []},
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
                    outcome = CellOutcome(index, OK, time.perf_counter() - start)
                except CellExecutionError as error:
                    status = TIMEOUT if error.ename == "Timeout" else ERROR
                    outcome = CellOutcome(index, status, time.perf_counter() - start, f"{error.ename}: {error.evalue}")
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
