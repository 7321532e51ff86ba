"""Write or check ``helpers/check/solutions_copy.py``, the solutions for where the package is
installed without the repository (Colab), from the solution notebook:

    python -m helpers.check.sync_solutions --write   # after changing the solution notebook
    python -m helpers.check.sync_solutions --check   # exit 1 if the copy is out of date (a test runs it)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from helpers.check import protocol, solutions_copy
from helpers.check.help import solutions_from_notebook

REPO_SOLUTION = Path(__file__).resolve().parents[2] / protocol.SOLUTION
GENERATED = Path(solutions_copy.__file__)


def generated_module_text(solutions: dict[str, str]) -> str:
    """The text of solutions_copy.py.

    Args:
        solutions: check id -> code.

    Returns:
        The module's source.
    """
    return (
        '"""Generated from solutions/09_exercises_moons_spirals_solution.ipynb by `python -m helpers.check.sync_solutions '
        "--write`: do not edit.\nThe solutions, for where the package is installed without the repository "
        '(Colab)."""\n\nSOLUTIONS = ' + json.dumps(solutions, indent=4, ensure_ascii=False) + "\n"
    )


def main(argv=None) -> int:
    """``--write`` or ``--check``.

    Args:
        argv: the arguments (default: the command line's).

    Returns:
        The exit status (1: the copy is out of date; 2: a wrong argument).
    """
    args = sys.argv[1:] if argv is None else argv
    text = generated_module_text(solutions_from_notebook(REPO_SOLUTION))
    if args == ["--write"]:
        GENERATED.write_text(text, encoding="utf-8")
        print(f"wrote {GENERATED}")
        return 0
    if args == ["--check"]:
        same = GENERATED.is_file() and GENERATED.read_text(encoding="utf-8") == text
        print(
            "up to date" if same else f"{GENERATED} is out of date: run python -m helpers.check.sync_solutions --write"
        )
        return 0 if same else 1
    print("usage: python -m helpers.check.sync_solutions --write | --check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
