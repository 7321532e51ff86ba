"""Hints and solutions: progressive hints for every check, solutions read from the solution
notebook itself, and the copy shipped in the package for Colab identical to it."""

from pathlib import Path

import pytest

from helpers.check import help as hints
from helpers.check import protocol, sync_solutions, table
from helpers.check.solutions_copy import SOLUTIONS
from helpers.environment import REPORT_ENV_VAR

ROOT = Path(__file__).resolve().parents[2]


def test_every_check_has_at_least_two_hints_and_a_solution():
    assert list(table.TASKS) == list(table.CHECKS)
    assert all(len(levels) >= 2 and all(levels) for levels in (task.hints for task in table.TASKS.values()))
    assert list(hints.solutions()) == list(table.CHECKS)


def test_the_shipped_solutions_are_the_solution_notebook_s():
    """helpers/check/solutions_copy.py is what Colab reads: regenerate it with
    `python -m helpers.check.sync_solutions --write` whenever the solution notebook changes."""
    assert hints.solutions_from_notebook(ROOT / protocol.SOLUTION) == SOLUTIONS
    assert sync_solutions.main(["--check"]) == 0


def test_without_the_repository_the_shipped_copy_is_read(monkeypatch, tmp_path):
    monkeypatch.setattr(hints, "_REPO_SOLUTION", tmp_path / "absent.ipynb")
    assert hints.solutions() == SOLUTIONS


def test_a_solution_is_the_filled_cell_without_markers(capsys):
    hints.solution("4b")
    out = capsys.readouterr().out
    assert (
        out.startswith("🔑 Task 4b, the solution")
        and "optimizer.step()" in out
        and "for epoch in range(epochs):" in out
    )
    assert hints.BEGIN not in out and hints.END not in out


def test_hints_go_from_a_question_to_near_code(capsys, tmp_path, monkeypatch):
    report = tmp_path / "report.jsonl"
    monkeypatch.setenv(REPORT_ENV_VAR, str(report))
    hints.hint(3)
    first = capsys.readouterr().out
    assert first.startswith("💡 Task 3, hint 1 of 3:") and "More: check.hint(3, level=2)." in first
    hints.hint("4b", level=3)
    assert "Still stuck? check.solution('4b') shows the solution." in capsys.readouterr().out
    entries, _ = protocol.read_report(report)
    assert [(e["kind"], e["check"], e["level"]) for e in entries] == [("hint", "3", 1), ("hint", "4b", 3)]


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: hints.hint(4), "task 4 has steps: ask for one of '4a', '4b', '4c'."),
        (lambda: hints.hint(3, level=4), "task 3 has hints at levels 1 to 3, not level=4."),
        (lambda: hints.solution("9z"), "there is no task '9z'"),
    ],
)
def test_a_typo_gets_a_line_not_a_traceback(call, words, capsys):
    call()
    assert words in capsys.readouterr().out


def test_no_hint_gives_a_checked_value_away():
    """Hints teach the way; the numbers the checks test (targets, seeds of fresh data) are not in them."""
    text = " ".join(" ".join(task.hints) for task in table.TASKS.values())
    assert "2024" not in text


def test_every_task_has_a_ladder_of_three_hints():
    """Level 1 a question pointing at the problem, level 2 the idea, level 3 near-code (learntools' levels)."""
    for task in table.TASKS.values():
        question, idea, near_code = task.hints
        assert question.rstrip().endswith("?"), f"task {task.id}'s first hint is not a question"
        assert len(question) < len(idea) + 80 and "\n" not in question and "\n" not in idea, task.id
        assert any(mark in near_code for mark in ("(", "=")), f"task {task.id}'s third hint has no code"


def test_no_hint_gives_the_solutions_learning_rates_or_the_tanh_trick_away_at_level_1():
    from helpers.check.help import solutions

    text = " ".join(" ".join(task.hints) for task in table.TASKS.values())
    for check_id in ("3", "7c"):
        rate = solutions()[check_id].split("lr=")[1].split(")")[0]
        assert f"lr={rate}" not in text and f"lr {rate}" not in text, rate
    first = table.TASKS["6"].hints[0]
    assert "-|x|" not in first and "abs" not in first and "sign" not in first
