"""exercises/ and solutions/ hold the same notebooks: identical cells except what lies between
the blank markers, and the templates are stored without outputs."""

from pathlib import Path

import nbformat
import pytest

from helpers.check.protocol import SOLUTION_TITLE_MARK, solution_name

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "# >>> your code here >>>", "# <<< end of your code <<<"
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


def outside_blanks(source: str) -> list[str]:
    """The lines of a cell with every blank (from BEGIN to END) replaced by one placeholder."""
    kept, inside = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            inside = True
            kept.append("<blank>")
        elif line.strip() == END:
            assert inside, "end marker without a begin marker"
            inside = False
        elif not inside:
            kept.append(line)
    assert not inside, "begin marker without an end marker"
    return kept


def test_there_are_exercises_with_solutions():
    assert EXERCISES, "no exercise notebooks found"
    for path in EXERCISES:
        assert (ROOT / "solutions" / solution_name(path.name)).exists(), f"no solution for {path.name}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda p: p.name)
def test_solution_is_the_exercise_with_blanks_filled(exercise):
    ex = nbformat.read(exercise, as_version=4)
    sol = nbformat.read(ROOT / "solutions" / solution_name(exercise.name), as_version=4)
    assert [c.cell_type for c in ex.cells] == [c.cell_type for c in sol.cells]
    blanks = 0
    for index, (a, b) in enumerate(zip(ex.cells, sol.cells)):
        if a.cell_type == "markdown":
            # The Colab badge points at the notebook itself; the solution's title says it is one.
            mine = a.source.replace(f"/exercises/{exercise.name}", f"/solutions/{solution_name(exercise.name)}")
            if index == 0:
                title, rest = mine.split("\n", 1)
                mine = f"{title}{SOLUTION_TITLE_MARK}\n{rest}"
            assert mine == b.source, f"markdown cell {index} differs"
        else:
            assert outside_blanks(a.source) == outside_blanks(b.source), f"code cell {index} differs outside its blank"
            blanks += a.source.count(BEGIN)
            if BEGIN in a.source:
                assert a.source != b.source, f"the solution leaves blank {index} unfilled"
    assert blanks >= 7, "expected at least one blank per task"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda p: p.name)
def test_template_is_stored_without_outputs(exercise):
    nb = nbformat.read(exercise, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda p: p.name)
def test_every_check_has_one_check_cell_in_its_own_section(exercise):
    """The grader and the hints find a check's cells by the "## Task N" / "### Step Nx" headings:
    each check cell must sit under its own heading, once, in the protocol's order."""
    from helpers.check.protocol import CHECK_CALL, section_of_cells
    from helpers.check.table import CHECKS

    cells = nbformat.read(exercise, as_version=4).cells
    calls = []
    for cell, section in zip(cells, section_of_cells(cells)):
        if cell.cell_type == "code":
            for check_id in CHECK_CALL.findall(cell.source):
                assert check_id == section, f"check.task_{check_id}( is in the section of task {section}"
                calls.append(check_id)
    assert calls == list(CHECKS)


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda p: p.name)
def test_the_notebook_ends_by_grading_itself(exercise):
    from helpers.check.protocol import GRADE_CALL

    code = [c.source for c in nbformat.read(exercise, as_version=4).cells if c.cell_type == "code"]
    assert code[-1] == GRADE_CALL + ")" and sum(GRADE_CALL in source for source in code) == 1
