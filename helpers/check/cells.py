"""What the notebook's last cell did, so that a check can tell a blank never filled from a blank
a cell meant to fill before it raised (a loop that died in its first epoch leaves the skeleton's
``None``s). Torch-free; outside IPython it does nothing.

IPython calls ``post_run_cell`` after every cell with the cell's result; ``watch_cells`` (run when
``helpers.check`` is imported) registers :func:`_after_cell` once per shell.
"""

from __future__ import annotations

__all__ = ["watch_cells", "last_cell_error"]

_last_error: str | None = None
_watched: set[int] = set()


def _after_cell(result) -> None:
    """Note the error of the cell that just ran (or that it ran without one)."""
    global _last_error
    raw = getattr(getattr(result, "info", None), "raw_cell", "") or ""
    if "check.task_" in raw:  # a check cell is not a cell with blanks: the one before it still counts
        return
    error = getattr(result, "error_in_exec", None) or getattr(result, "error_before_exec", None)
    _last_error = None if error is None else f"{type(error).__name__}: {error}"


def watch_cells() -> None:
    """Register the hook in the running IPython shell, once; do nothing outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or id(shell) in _watched:
        return
    shell.events.register("post_run_cell", _after_cell)
    _watched.add(id(shell))


def last_cell_error() -> str | None:
    """The error the cell run before this one raised ("ValueError: ..."), or None.

    Returns:
        "Type: message" of the last non-check cell's exception, if the cell run last (before the
        current one) raised; None if it ran through, or outside IPython.
    """
    return _last_error
