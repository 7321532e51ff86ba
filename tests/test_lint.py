"""ruff, configured in pyproject.toml, over every .py and .ipynb file of the course.

Run on its own with `make lint` (or `pytest tests/test_lint.py`); `make test` runs it too.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff(*args):
    executable = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if executable is None:
        pytest.fail("ruff is not installed: it is pinned in requirements.txt (run `make venv`)")
    return subprocess.run([executable, *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_finds_nothing():
    result = ruff("check", "--no-cache", "--output-format=concise", ".")
    assert result.returncode == 0, f"`ruff check --fix .` fixes some of these:\n{result.stdout}{result.stderr}"


def test_ruff_format_would_change_nothing():
    result = ruff("format", "--no-cache", "--check", ".")
    assert result.returncode == 0, f"run `ruff format .`:\n{result.stdout}{result.stderr}"


def test_lint_covers_notebooks():
    result = ruff("check", "--no-cache", "--show-files", ".")
    assert ".ipynb" in result.stdout and "helpers/device.py" in result.stdout
