"""The grader: python -m helpers.check NOTEBOOK, and check.grade() from a notebook cell."""

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers.check import grader as cli
from helpers.check import protocol
from helpers.check.table import CHECKS

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = ROOT / protocol.EXERCISE
SETUP = "from helpers import check\nimport torch"


def run_cli(*args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "helpers.check", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )


def notebook(tmp_path, sections, name="learner.ipynb"):
    """A notebook: the setup cell, then for each (heading, code...) a markdown heading and its code cells."""
    cells = [new_code_cell(SETUP)]
    for heading, *codes in sections:
        cells.append(new_markdown_cell(heading))
        cells += [new_code_cell(code) for code in codes]
    path = tmp_path / name
    nbformat.write(new_notebook(cells=cells), path)
    return path


def grade_in_process(path, capsys, *args):
    """The grader's main() in this process (saves starting Python and importing torch again)."""
    returncode = cli.main([str(path), *map(str, args)])
    return returncode, capsys.readouterr().out.splitlines()


def line_of(lines, start):
    found = [line for line in lines if line.startswith(start)]
    assert found, f"no line starts with {start!r} in:\n" + "\n".join(lines)
    return found[0]


# ------------------------------------------------------------------ malformed input: one line, exit 2


def test_missing_path_is_a_one_line_error(tmp_path):
    result = run_cli(tmp_path / "nope.ipynb")
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: no such file: {tmp_path / 'nope.ipynb'}"


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", "not a valid Jupyter notebook"),
        ('{"cells": 3, "nbformat": 4}', "no 'cells' list"),
        (
            '{"cells": [{"cell_type": "code"}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
            "not a valid Jupyter notebook",
        ),
        ("[1, 2]", "no 'cells' list"),
        ("", "not a valid Jupyter notebook"),
    ],
    ids=["not-json", "cells-not-a-list", "cell-without-source", "a-list", "empty"],
)
def test_malformed_notebooks_get_one_line_and_exit_2(tmp_path, capsys, content, words):
    path = tmp_path / "broken.ipynb"
    path.write_text(content)
    assert cli.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1, err


def test_not_a_notebook(tmp_path, capsys):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert cli.main([str(text)]) == 2 and "not a Jupyter notebook (.ipynb)" in capsys.readouterr().err
    assert cli.main([str(tmp_path)]) == 2 and "not a file" in capsys.readouterr().err


# ------------------------------------------------------------------ the template and the solution


def test_untouched_template_reports_every_check_not_attempted():
    """Run as a learner runs it, in its own process: only the report is printed, nothing on
    stderr (the kernel's warnings included), and the grader itself never imports torch."""
    before = EXERCISE.read_bytes()
    code = (
        "import sys; from helpers.check import grader; rc = grader.main([sys.argv[1]]); "
        "print('torch imported' if 'torch' in sys.modules else 'torch not imported'); sys.exit(rc)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(EXERCISE)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr == "", f"the learner should see only the report; the grader also wrote: {result.stderr}"
    for check_id in CHECKS:
        assert f"⏳ Task {check_id} not attempted yet" in result.stdout
    assert "💥" not in result.stdout and "Help used: none." in result.stdout
    assert f"0 of {len(CHECKS)} checks passed" in result.stdout
    assert result.stdout.splitlines()[-1] == "torch not imported"
    assert EXERCISE.read_bytes() == before, "the learner's notebook must not be modified"


# ------------------------------------------------------------------ every task graded, whatever happens before


def test_an_error_in_an_early_task_leaves_later_tasks_graded(tmp_path, capsys):
    path = notebook(
        tmp_path,
        [
            ("## Task 1: data", "check.task_1(None, None, None, None)"),
            ("## Task 2: model", "check.task_2(torch.nn.Linear(2, 1))"),
            ("## Task 3: loss", "loss_fn = undefined_thing", "check.task_3(None, None, None)"),
            ("## Task 5: boundary", "axes = [1, 2][5]"),
            (
                "## Task 6: tanh",
                "check.task_6(lambda x: torch.sign(x) * (1 - torch.exp(-2 * x.abs())) / (1 + torch.exp(-2 * x.abs())))",
            ),
            ("## Task 7: spirals\n\n### Step 7a: data", "check.task_7a(X_spiral_train, None, None, None)"),
        ],
    )
    returncode, lines = grade_in_process(path, capsys)
    assert returncode == 1
    assert line_of(lines, "⏳ Task 1 not attempted yet")
    assert "your own class" in line_of(lines, "❌ Task 2 failed")
    assert "NameError" in line_of(lines, "💥 Task 3: a cell raised") and "undefined_thing" in line_of(
        lines, "💥 Task 3"
    )
    # The cell before the check raised, so the blanks it should have set are None: said so, not "not attempted".
    assert "the cell you ran before this check raised NameError" in line_of(lines, "❌ Task 3 failed")
    assert "IndexError" in line_of(lines, "💥 Task 5: a cell raised")
    assert line_of(lines, "✅ Task 6 passed")
    assert "its check cell did not run" in line_of(lines, "·· Task 5 not checked")
    line = line_of(lines, "·· Task 7a not checked")
    assert "its check cell raised NameError: name 'X_spiral_train' is not defined" in line
    assert "an earlier cell should have defined" in line
    assert lines[-1].startswith(f"1 of {len(CHECKS)} checks passed")
    # Progress: each line is printed when its cell finishes, so in notebook order.
    order = [
        next(i for i, line in enumerate(lines) if line.startswith(start))
        for start in ("⏳ Task 1", "❌ Task 2", "💥 Task 3", "💥 Task 5", "✅ Task 6")
    ]
    assert order == sorted(order)


def test_a_loop_that_raised_in_its_first_epoch_is_said_so_not_not_attempted(tmp_path, capsys):
    """The commonest first-loop slip: [800, 1] logits against [800] labels raises in epoch 0 and leaves
    the skeleton's Nones; the check says the loop raised, not that the step was not attempted."""
    loop = (
        "test_loss, test_acc = None, None\n"
        "model = torch.nn.Linear(2, 1)\n"
        "for epoch in range(3):\n"
        "    loss = torch.nn.BCEWithLogitsLoss()(model(torch.zeros(800, 2)), torch.zeros(800))\n"
        "    test_loss, test_acc = loss, 50.0"
    )
    path = notebook(
        tmp_path,
        [("## Task 4: training\n\n### Step 4b: the loop", loop, "check.task_4b(model, None, test_loss, test_acc)")],
    )
    _, lines = grade_in_process(path, capsys)
    line = line_of(lines, "❌ Task 4b failed")
    assert "the cell you ran before this check raised ValueError" in line and "Fix that error first" in line


def test_an_error_before_the_first_task_is_said_so(tmp_path, capsys):
    cells = [
        new_code_cell("import no_such_module_here"),
        new_markdown_cell("## Task 6: tanh"),
        new_code_cell("from helpers import check\ncheck.task_6(None)"),
    ]
    path = tmp_path / "learner.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    returncode, lines = grade_in_process(path, capsys)
    assert "ModuleNotFoundError" in line_of(lines, "💥 Setup (before the first task): a cell raised")
    assert line_of(lines, "⏳ Task 6 not attempted yet")


def test_a_cell_that_runs_too_long_is_reported_as_a_timeout_and_the_rest_is_graded(tmp_path, capsys):
    path = notebook(
        tmp_path,
        [
            ("## Task 1: data", "check.task_1(None, None, None, None)"),
            ("## Task 4: training\n\n### Step 4b: the loop", "while True:\n    pass"),
            (
                "## Task 6: tanh",
                "check.task_6(lambda x: torch.sign(x) * (1 - torch.exp(-2 * x.abs())) / (1 + torch.exp(-2 * x.abs())))",
            ),
        ],
    )
    start = time.perf_counter()
    # 10 s: long enough for the setup cell's imports on a loaded 2-core machine (3 s was not).
    returncode, lines = grade_in_process(path, capsys, "--timeout", 10)
    assert time.perf_counter() - start < 120  # not the 600 s default
    assert "Task 4b ran longer than 10 s" in line_of(lines, "⏱️")
    assert line_of(lines, "⏳ Task 1 not attempted yet") and line_of(lines, "✅ Task 6 passed")
    assert returncode == 1


def test_a_dead_kernel_is_reported_and_what_passed_is_kept(tmp_path, capsys):
    path = notebook(
        tmp_path,
        [
            (
                "## Task 6: tanh",
                "check.task_6(lambda x: torch.sign(x) * (1 - torch.exp(-2 * x.abs())) / (1 + torch.exp(-2 * x.abs())))",
            ),
            (
                "## Task 7: spirals\n\n### Step 7d: training",
                "import os\nos._exit(9)  # as the out-of-memory killer does",
            ),
        ],
    )
    returncode, lines = grade_in_process(path, capsys)
    assert returncode == 1
    assert line_of(lines, "✅ Task 6 passed")
    assert "the kernel died" in line_of(lines, "💀 Task 7d")
    assert "the kernel died before its check cell" in line_of(lines, "·· Task 7e not reached")


def test_results_written_by_cells_that_are_not_the_check_cell_are_ignored(tmp_path, capsys):
    """The forged report of a learner's review: a cell calling protocol.record for every check."""
    forge = "from helpers.check import protocol\nfor c in ['1', '2', '6']:\n    protocol.record(c, 'passed', 'forged')"
    path = notebook(
        tmp_path,
        [
            ("## Task 1: data", forge, "check.task_1(None, None, None, None)"),
            ("## Task 2: model", "check.task_2(torch.nn.Linear(2, 1))"),
            (
                "## Task 6: tanh",
                "check.task_6(lambda x: torch.sign(x) * (1 - torch.exp(-2 * x.abs())) / (1 + torch.exp(-2 * x.abs())))",
            ),
        ],
    )
    returncode, lines = grade_in_process(path, capsys)
    assert returncode == 1
    assert "a cell that calls no check of theirs wrote results for task 1, task 2, task 6; ignored" in line_of(
        lines, "⚠️ Task 1"
    )
    assert line_of(lines, "⏳ Task 1 not attempted yet")
    assert line_of(lines, "❌ Task 2 failed")
    assert line_of(lines, "✅ Task 6 passed")
    assert not any("forged" in line for line in lines)
    assert lines[-1].startswith(f"1 of {len(CHECKS)} checks passed")


def test_interrupting_the_grader_prints_the_report_so_far(tmp_path):
    path = notebook(
        tmp_path,
        [
            (
                "## Task 6: tanh",
                "check.task_6(lambda x: torch.sign(x) * (1 - torch.exp(-2 * x.abs())) / (1 + torch.exp(-2 * x.abs())))",
            ),
            ("## Task 7: spirals", "import time\ntime.sleep(120)"),
        ],
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "helpers.check", str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in process.stdout:  # wait until task 6 has been graded, then stop the grader
        seen.append(line)
        if line.startswith("✅ Task 6"):
            process.send_signal(signal.SIGTERM)
            break
    out, err = process.communicate(timeout=60)
    lines = "".join(seen + [out]).splitlines()
    assert process.returncode == 130, err
    assert line_of(lines, "🛑 Interrupted: the report so far.")
    assert "grading was interrupted" in line_of(lines, "·· Task 7a not reached")
    assert "Traceback" not in err and "Traceback" not in out


def test_help_asked_for_in_the_notebook_is_in_the_report(tmp_path, capsys):
    path = notebook(
        tmp_path,
        [
            ("## Task 3: loss", "check.hint(3)\ncheck.hint(3, level=2)"),
            ("## Task 6: tanh", "check.solution(6)"),
        ],
    )
    _, lines = grade_in_process(path, capsys)
    assert line_of(lines, "Help used: ") == "Help used: 3 (hint 2); 6 (the solution)."


def test_a_cell_that_calls_the_grader_is_not_run_by_the_grader(tmp_path, capsys):
    path = notebook(tmp_path, [("## Task 6: tanh", "check.task_6(None)"), ("## Done?", "check.grade()")])
    _, lines = grade_in_process(path, capsys)
    assert line_of(lines, "⏳ Task 6") and not any("Grading" in line for line in lines[1:])


# ------------------------------------------------------------------ one command, everywhere


def test_a_notebook_that_is_not_the_exercise_is_said_so_in_one_line():
    result = run_cli(str(ROOT / "notebooks" / "02_linear_sanity_check.ipynb"))
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1 and "is not the exercise notebook" in lines[0] and protocol.EXERCISE in lines[0]


def test_a_python_without_the_grader_packages_is_told_which_command_to_use(monkeypatch, capsys):
    real = cli.importlib.util.find_spec
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: None if name == "nbclient" else real(name))
    assert cli.main([protocol.EXERCISE]) == 2
    out = capsys.readouterr().out
    assert "lacks what the grader needs (nbclient)" in out and protocol.GRADE_IN_SHELL in out


def test_usage_shows_both_ways_to_grade():
    result = run_cli("--help")
    assert result.returncode == 0 and "usage: python -m helpers.check" in result.stdout
    assert protocol.GRADE_IN_NOTEBOOK in result.stdout and protocol.GRADE_IN_SHELL in result.stdout
    assert run_cli().returncode == 2


def test_grade_from_a_cell_runs_this_python_and_finds_a_jupyterlab_notebook(tmp_path, monkeypatch, capsys):
    path = notebook(tmp_path, [("## Task 6: tanh", "check.task_6(None)")])
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    monkeypatch.chdir(ROOT)
    assert cli._this_notebook() == path
    assert cli.grade(path) is None  # nothing that prints after the report
    out = capsys.readouterr().out
    assert "⏳ Task 6 not attempted yet" in out
    assert re.search(rf"Grading {re.escape(path.name)} as saved at \d\d:\d\d:\d\d\.", out)


def test_grade_warns_when_cells_run_here_are_not_in_the_saved_file(tmp_path, monkeypatch, capsys):
    """A learner changed task 6's answer and ran it, without saving: the file on disk is older
    than what is on screen, and check.grade() says so before it grades."""
    path = notebook(tmp_path, [("## Task 6: tanh", "check.task_6(None)")])
    run_here = ["check.task_6(None)", "def my_tanh(x):\n    return torch.tanh(x)", "check.grade()"]
    monkeypatch.setattr(cli, "_executed_sources", lambda: run_here)
    cli.grade(path)
    out = capsys.readouterr().out
    assert "⚠️ 1 cell(s) you ran here are not in the saved file, e.g. `def my_tanh(x):`" in out
    assert out.index("⚠️") < out.index("⏳ Task 6")  # before the grading


def test_unsaved_cells_ignores_the_saved_ones_the_grading_call_and_magics(tmp_path):
    path = notebook(tmp_path, [("## Task 6: tanh", "check.task_6(None)")])
    assert (
        cli.unsaved_cells(path, ["check.task_6(None)\n", "check.grade()", "get_ipython().run_line_magic('pwd', '')"])
        == []
    )
    assert cli.unsaved_cells(path, ["x = 1\ny = 2"]) == ["x = 1"]
    assert cli.unsaved_cells(path, ["# >>> your code here >>>\n\nsplit = 0.3"]) == ["split = 0.3"]


def test_grade_without_a_notebook_to_find_says_what_to_do(monkeypatch, capsys):
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    assert cli.grade() is None
    out = capsys.readouterr().out
    assert "cannot tell which notebook" in out and protocol.GRADE_IN_SHELL in out


def test_readme_and_notebooks_show_the_same_commands():
    readme = (ROOT / "README.md").read_text()
    exercise = EXERCISE.read_text()
    for text in (exercise, (ROOT / protocol.SOLUTION).read_text()):
        assert protocol.GRADE_IN_SHELL in text and protocol.GRADE_IN_NOTEBOOK in text
    assert protocol.GRADE_IN_SHELL in readme
