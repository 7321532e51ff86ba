"""The command-line checker: python -m helpers.check NOTEBOOK."""
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers import check as cli
from helpers.exercise_report import TASKS

ROOT = Path(__file__).resolve().parents[1]
EXERCISE = ROOT / "exercises" / "07_exercises_moons_spirals.ipynb"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "helpers.check", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_missing_path_is_a_one_line_error(tmp_path):
    result = run_cli(tmp_path / "nope.ipynb")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: no such file: {tmp_path / 'nope.ipynb'}"


def test_not_a_notebook(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    fake = tmp_path / "fake.ipynb"
    fake.write_text("{not json")
    for path, words in ((text, "not a Jupyter notebook (.ipynb)"), (fake, "not a valid Jupyter notebook")):
        result = run_cli(path)
        assert result.returncode == 2 and words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert run_cli(tmp_path).returncode == 2


def run_in_process(path, capsys):
    """The checker's main() in this process (saves starting Python and importing torch again)."""
    returncode = cli.main([str(path)])
    return returncode, capsys.readouterr().out


def test_untouched_template_reports_every_task_not_attempted():
    """Run as a learner runs it, in its own process: only the report is printed, nothing on
    stderr (the kernel's warnings included), and the checker itself never imports torch."""
    before = EXERCISE.read_bytes()
    code = ("import sys; from helpers import check; rc = check.main([sys.argv[1]]); "
            "print('torch imported' if 'torch' in sys.modules else 'torch not imported'); sys.exit(rc)")
    result = subprocess.run([sys.executable, "-c", code, str(EXERCISE)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr == "", f"the learner should see only the report; the checker also wrote: {result.stderr}"
    for task in TASKS:
        assert f"Task {task} not attempted yet" in result.stdout
    assert "0 of 7 tasks passed" in result.stdout
    assert result.stdout.splitlines()[-1] == "torch not imported"
    assert EXERCISE.read_bytes() == before, "the learner's notebook must not be modified"


def test_error_at_task_n_reports_before_error_and_not_reached(tmp_path, capsys):
    cells = [new_code_cell("from helpers import exercise_checks as check\nimport torch")]
    cells += [new_markdown_cell("## Task 1: data"), new_code_cell("check.task_1(None, None, None, None)")]
    cells += [new_markdown_cell("## Task 2: model"), new_code_cell("check.task_2(torch.nn.Linear(2, 1))")]
    cells += [new_markdown_cell("## Task 3: loss"), new_code_cell("loss_fn = undefined_thing")]
    for n in range(4, 8):
        cells += [new_markdown_cell(f"## Task {n}: more"), new_code_cell("print('never runs')")]
    path = tmp_path / "learner.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    returncode, stdout = run_in_process(path, capsys)
    assert returncode == 1
    lines = stdout.splitlines()
    assert any(line.startswith("⏳ Task 1 not attempted yet") for line in lines)
    assert any(line.startswith("❌ Task 2 failed") and "your own class" in line for line in lines)
    assert any(line.startswith("💥 Task 3 error") and "NameError" in line and "undefined_thing" in line for line in lines)
    for n in range(4, 8):
        assert any(line.startswith(f"·· Task {n} not reached") for line in lines)


def test_report_formatting_without_running_a_kernel():
    results = {n: {"task": n, "status": "passed", "message": "ok"} for n in TASKS}
    lines, n_passed = cli.format_report(results, None)
    assert n_passed == len(TASKS) and all(line.startswith("✅") for line in lines)
    del results[5]
    lines, n_passed = cli.format_report(results, None)
    assert n_passed == len(TASKS) - 1 and "Task 5 not checked" in lines[4]
    lines, n_passed = cli.format_report({}, {"task": None, "message": "ImportError: x"})
    assert n_passed == 0 and "before the first task" in lines[-1]


@pytest.mark.parametrize("argv", [[], ["--help"]])
def test_usage(argv):
    result = run_cli(*argv)
    assert ("usage:" in result.stdout + result.stderr) and result.returncode in (0, 2)
