"""The grading protocol: check ids, sections of a notebook, statuses, the report file, the kernel."""

import os
import sys

import pytest

from helpers.check import protocol, table
from helpers.environment import REPORT_ENV_VAR


def test_checks_are_numbered_in_notebook_order_and_titled():
    tasks = [table.task_of(check_id) for check_id in table.CHECKS]
    assert tasks == sorted(tasks) and set(tasks) == set(range(1, 9)) and all(table.CHECKS.values())
    assert [c for c in table.CHECKS if table.task_of(c) == 4] == ["4a", "4b", "4c"]


def test_ids_from_what_a_learner_types():
    assert table.normalise_id(3) == "3" and table.normalise_id(" 4B ") == "4b"
    with pytest.raises(ValueError, match="task 7 has steps: ask for one of '7a'"):
        table.normalise_id(7)
    with pytest.raises(ValueError, match="there is no task 9"):
        table.normalise_id(9)


def test_sections_follow_task_and_step_headings():
    cells = [
        {"cell_type": "code", "source": "import x"},
        {"cell_type": "markdown", "source": "## Task 3: loss"},
        {"cell_type": "code", "source": "loss_fn = 1"},
        {"cell_type": "markdown", "source": "## Task 4: training\n\n### Step 4a: predictions"},
        {"cell_type": "code", "source": ["y = ", "1"]},
        {"cell_type": "markdown", "source": "### Step 4b: loop"},
        {"cell_type": "markdown", "source": "## Task 7: spirals, no step heading"},
    ]
    assert protocol.section_of_cells(cells) == [None, "3", "3", "4a", "4a", "4b", "7a"]


def test_every_status_has_a_mark_and_a_line():
    assert set(protocol.STATUS_MARKS) == {"passed", "failed", "not attempted", "check error"}
    assert protocol.format_line("4b", "failed", "x") == "❌ Task 4b failed: x"
    assert protocol.format_line("1", "not attempted", "y") == "⏳ Task 1 not attempted yet: y"
    line = protocol.format_line("2", "check error", "KeyError: 'k'")
    assert line.startswith("⚠️ Task 2: the check itself failed (KeyError: 'k')") and protocol.ISSUES_URL in line


def test_nothing_is_written_unless_the_environment_names_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv(REPORT_ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    protocol.record("1", "passed", "ok")
    protocol.record_help("1", "hint", 1)
    assert list(tmp_path.iterdir()) == []


def test_the_report_is_read_from_where_it_was_left(tmp_path, monkeypatch):
    path = tmp_path / "report.jsonl"
    monkeypatch.setenv(REPORT_ENV_VAR, str(path))
    assert protocol.read_report(path) == ([], 0)
    protocol.record("1", "not attempted", "fill in the blanks")
    protocol.record_help("3", "hint", 2)
    entries, offset = protocol.read_report(path)
    assert entries == [
        {"kind": "check", "check": "1", "status": "not attempted", "message": "fill in the blanks"},
        {"kind": "hint", "check": "3", "level": 2},
    ]
    protocol.record("1", "passed", "800 training and 200 test samples ✓")
    more, _ = protocol.read_report(path, offset)
    assert more == [
        {"kind": "check", "check": "1", "status": "passed", "message": "800 training and 200 test samples ✓"}
    ]
    with open(path, "a") as report:
        report.write('{"kind": "check", "che')  # a line still being written is not read yet
    assert protocol.read_report(path, offset)[0] == more


def test_the_kernel_environment_is_built_without_changing_os_environ(tmp_path):
    before = dict(os.environ)
    env = protocol.kernel_env(tmp_path / "r.jsonl", base={"PATH": "/bin", "OMP_NUM_THREADS": "4"})
    assert env == {
        "PATH": "/bin",
        "OMP_NUM_THREADS": "4",
        "COURSE_DEVICE": "cpu",
        "CUDA_VISIBLE_DEVICES": "",
        "MPLBACKEND": "Agg",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        REPORT_ENV_VAR: str(tmp_path / "r.jsonl"),
    }
    assert dict(os.environ) == before


TORCH_FREE = (
    "helpers.check",
    "helpers.check.table",
    "helpers.check.protocol",
    "helpers.check.help",
    "helpers.check.sync_solutions",
    "helpers.check.grader",
    "helpers.check.runner",
    "helpers.environment",
)


@pytest.mark.parametrize("module", TORCH_FREE)
def test_the_grader_s_parts_are_light(module):
    """The grader, the protocol, the task table and the hints import neither torch (2 s) nor
    nbformat/nbclient (the grader's extra), and nor does the learner's `check` until a check runs."""
    import subprocess

    code = f"import {module}, sys; print(sorted(m for m in ('torch', 'nbformat', 'nbclient') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
