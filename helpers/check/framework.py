"""How a check runs: a check body returns its success message or raises ``Wrong`` /
``NotAttempted``; the ``check`` decorator turns that into a :class:`CheckResult` with one of
four statuses (``helpers.check.protocol``), prints as the one line of ``protocol.format_line``,
and notes it in the grader's report.

The learner-versus-checker line, learntools' rule: an exception raised by the learner's objects
is their answer; call their code through :func:`theirs` so it becomes ``Wrong`` ("your model's
forward raised ..."). Any other exception is the checker's bug, a "check error", never reported
as the learner's mistake.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import torch

from helpers.check import cells, protocol

__all__ = ["CheckResult", "NotAttempted", "Wrong", "check", "theirs", "describe", "not_a_class", "blanks"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: ``status`` is "passed", "failed", "not attempted" or "check error"."""

    task: str
    status: str
    message: str

    def __repr__(self) -> str:
        return protocol.format_line(self.task, self.status, self.message)

    __str__ = __repr__


class NotAttempted(Exception):
    """The blanks are as shipped; the message (optional) says what to do."""


class Wrong(Exception):
    """The answer is off; the message says what, with numbers, never the expected answer."""


#: Check id -> the status its check answered last in this process (a later check may name an
#: earlier failure as the cause: task 4b after task 1's split failed).
_last_status: dict[str, str] = {}


def last_status(check_id: str) -> str | None:
    """The status the check answered last in this process, or None if it has not run.

    Args:
        check_id: a key of ``helpers.check.table.TASKS``.

    Returns:
        "passed", "failed", "not attempted", "check error", or None.
    """
    return _last_status.get(check_id)


def check(check_id: str):
    """Decorator: turn a check body into a check answering with a :class:`CheckResult`.

    Args:
        check_id: the task or step it checks, a key of ``helpers.check.table.TASKS``.

    Returns:
        A decorator; the decorated function returns a ``CheckResult`` and records it in the report.
    """

    def decorate(function):
        @functools.wraps(function)
        def run_check(*args, **kwargs) -> CheckResult:
            try:
                result = CheckResult(check_id, protocol.PASSED, function(*args, **kwargs))
            except NotAttempted as reason:
                error = cells.last_cell_error()
                result = (
                    CheckResult(
                        check_id,
                        protocol.FAILED,
                        f"the cell you ran before this check raised {error}, so its blanks were never "
                        "set. Fix that error first (the traceback above points at the line), run that "
                        "cell again, then this check.",
                    )
                    if error
                    else CheckResult(
                        check_id,
                        protocol.NOT_ATTEMPTED,
                        str(reason) or "fill in the blanks above, then run this check cell again.",
                    )
                )
            except Wrong as reason:
                result = CheckResult(check_id, protocol.FAILED, str(reason))
            except Exception as error:  # not the learner's: their objects' errors became Wrong
                result = CheckResult(check_id, protocol.CHECK_ERROR, f"{type(error).__name__}: {error}")
            protocol.record(result.task, result.status, result.message)
            _last_status[check_id] = result.status
            return result

        run_check.check_id = check_id
        return run_check

    return decorate


def theirs(what: str, function, *args, **kwargs):
    """Call the learner's code; an exception it raises becomes their answer, said as theirs.

    Args:
        what: how the message names the call ("your tanh", "model's forward").
        function: the learner's callable (or one of ours that only calls theirs).
        *args, **kwargs: passed on.

    Returns:
        What ``function`` returns.

    Raises:
        Wrong: ``function`` raised (its type and message quoted).
    """
    try:
        return function(*args, **kwargs)
    except (Wrong, NotAttempted):
        raise
    except Exception as error:
        raise Wrong(f"{what} raised {type(error).__name__}: {error}") from None


def describe(value) -> str:
    """A short description of a learner's value for a message.

    Args:
        value: anything.

    Returns:
        "a tensor of shape [2] and dtype torch.float32", "the class X itself", "a numpy ndarray"...
    """
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {list(value.shape)} and dtype {value.dtype}"
    if isinstance(value, type):
        return f"the class {value.__name__} itself"
    return f"a {type(value).__module__.split('.')[0]} {type(value).__name__}".replace("a builtins ", "a ")


def not_a_class(name: str, value, example: str) -> None:
    """Raise ``Wrong`` if a class was assigned where an object is needed, saying how to create one.

    Args:
        name: the variable's name.
        value: the learner's value.
        example: the line that creates an object, for the message.

    Raises:
        Wrong: ``value`` is a class.
    """
    if isinstance(value, type):
        raise Wrong(
            f"{name} is the class {value.__name__} itself: you assigned the class, not an object "
            f"made from it. Create one by calling it: {example}."
        )


def blanks(names_and_values) -> None:
    """Raise ``NotAttempted`` if every value is None, ``Wrong`` if only some are.

    Args:
        names_and_values: (name, value) pairs, the blanks of one task or step.

    Raises:
        NotAttempted: every blank is still None.
        Wrong: some are.
    """
    missing = [name for name, value in names_and_values if value is None]
    if len(missing) == len(names_and_values):
        raise NotAttempted()
    if missing:
        error = cells.last_cell_error()
        if error:  # the blanks were filled in, but the cell stopped before it set them all
            raise Wrong(
                f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} still None because the cell you ran "
                f"before this check raised {error}. Fix that error first (the traceback above points at the line), "
                "run that cell again, then this check."
            )
        raise Wrong(
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} still None: fill in every blank of this step."
        )
