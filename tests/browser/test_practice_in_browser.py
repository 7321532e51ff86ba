"""The solutions, an exercise check answering ❌ then ✅, and the playground, in a real browser."""

import json
import re
from pathlib import Path

import exercise_layout
import lab_page
import nbformat
import pytest
from test_lessons_in_browser import RUN_ALL, run_and_check

ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
PLAYGROUND = ROOT / "notebooks" / "06_playground.ipynb"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_runs_in_the_browser(page, lab, path):
    run_and_check(page, lab, path)


def test_exercise_check_answers_wrong_then_right(page, lab):
    task = exercise_layout.first_task()
    (lab_page.ARTIFACTS / "exercise-task-1-checks.txt").unlink(missing_ok=True)
    lab_page.open_notebook(page, lab, exercise_layout.EXERCISE)
    # Run everything above the blank, as a learner who reached the task has.
    lab_page.run_all_above(page, lab, exercise_layout.EXERCISE, task.blank_cell)
    code_above = lab_page.code_cell_count(exercise_layout.EXERCISE, below=task.blank_cell)

    for answer, mark in ((task.wrong_source, exercise_layout.WRONG), (task.right_source, exercise_layout.RIGHT)):
        lab_page.replace_cell_source(page, task.blank_cell, answer)
        page.keyboard.press("Shift+Enter")  # run the answer; the check cell is selected next
        page.keyboard.press("Shift+Enter")  # run the check
        lab_page.wait_until_idle(page, lab, expect_cells_run=code_above + 2)
        page.wait_for_timeout(300)
        said = lab_page.output_text(page, task.check_cell)
        lab_page.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with (lab_page.ARTIFACTS / "exercise-task-1-checks.txt").open("a") as seen:
            seen.write(said.strip() + "\n")
        assert mark in said, f"expected {mark} for {answer!r}; the check said {said!r}"
        if mark == exercise_layout.WRONG:
            assert any(ch.isdigit() for ch in said), f"the ❌ says no numbers: {said!r}"
    lab_page.screenshots(page, "exercise-task-1-right")

    # check.grade() from a cell, with those answers on screen and never saved: it names the saved
    # version it grades and warns, before grading, that cells run here are not in the file.
    lab_page.replace_cell_source(page, task.check_cell, "check.grade()")
    page.keyboard.press("Shift+Enter")
    lab_page.cell(page, task.check_cell).get_by_text("Grading").first.wait_for(timeout=30_000)
    lab_page.wait_until_idle(page, lab, expect_cells_run=code_above + 2)
    page.wait_for_timeout(300)
    graded = lab_page.output_text(page, task.check_cell)
    with (lab_page.ARTIFACTS / "exercise-task-1-checks.txt").open("a") as seen:
        seen.write(graded.strip() + "\n")
    assert re.search(rf"Grading {re.escape(exercise_layout.EXERCISE.name)} as saved at \d\d:\d\d:\d\d\.", graded), (
        graded
    )
    assert "⚠️" in graded and "not in the saved file" in graded, graded
    assert graded.index("⚠️") < graded.index("Task 1"), "the warning comes before the grades"
    assert "Task 1 not attempted" in graded, "the saved file (the template) is what was graded"
    lab_page.screenshots(page, "exercise-grade-unsaved")


@pytest.mark.skipif(not PLAYGROUND.exists(), reason=f"{PLAYGROUND.relative_to(ROOT)} does not exist yet")
def test_playground_picture_changes_after_play(page, lab):
    """The first playground in the notebook: its Play button, and the pictures in the same output.
    Only the cells up to that playground run (the lesson test runs them all)."""
    cells = nbformat.read(PLAYGROUND, as_version=4).cells
    first = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "helpers.Playground(" in c.source)
    lab_page.open_notebook(page, lab, PLAYGROUND)
    # Before its cells run, the playground is plainly a picture: no widget, dead or otherwise.
    stored = lab_page.cell(page, first).locator(".jp-OutputArea-output")
    assert stored.locator("img").count() >= 1, "the stored playground shows no picture"
    assert "run this cell" in stored.first.inner_text() or "run this cell" in " ".join(stored.all_inner_texts())
    assert page.locator(".jupyter-widgets, .widget-button").count() == 0, "a widget is shown before any cell ran"
    assert "Error displaying widget" not in page.locator(".jp-Notebook").inner_text()
    stored.first.scroll_into_view_if_needed()
    lab_page.screenshots(page, "playground-before-running")
    lab_page.run_all_above(page, lab, PLAYGROUND, first + 1)
    area = page.locator(".jp-OutputArea-output").filter(has=page.locator("button", has_text="Play")).first
    play = area.locator("button", has_text="Play").first
    play.wait_for()
    before = area.locator("img").evaluate_all("imgs => imgs.map(i => i.src)")
    assert before, "the playground shows no picture before Play"
    play.click()
    page.wait_for_function(
        "([area, before]) => JSON.stringify([...area.querySelectorAll('img')].map(i => i.src)) !== before",
        arg=[area.element_handle(), json.dumps(before, separators=(",", ":"))],
        timeout=60_000,
    )
    # While it plays, Play says so and is greyed out; the status line leaves the epoch to the picture.
    assert "Playing" in area.locator("button", has_text="Play").first.inner_text()
    assert area.locator("button", has_text="Play").first.is_disabled()
    # The picture and the status line are two widget messages: the picture can arrive first.
    area.get_by_text("training").first.wait_for(timeout=10_000)
    lab_page.screenshots(page, "playground-after-play")
    area.locator("button", has_text="Pause").first.click()
    area.get_by_text("paused at epoch").first.wait_for(timeout=10_000)
    assert not area.locator("button", has_text="Play").first.is_disabled()


LESSON_08 = ROOT / "notebooks" / "08_when_training_goes_wrong.ipynb"


@pytest.mark.skipif(not RUN_ALL, reason="runs lesson 08 up to its §9 (about a minute): make test-browser-all (CI)")
def test_lesson_08_mysteries_folded_then_the_learners_own_mysteries_solved(page, lab):
    """Lesson 08 as a learner meets it: the gallery's setups are folded (their code not on the
    page); §9's two mysteries answer ❌ as given; the doctor, asked in the learner's cell, names
    each slip; and with the one line changed each answers ✅."""
    cells = nbformat.read(LESSON_08, as_version=4).cells
    folded = [i for i, c in enumerate(cells) if c.metadata.get("jupyter", {}).get("source_hidden")]
    (h_setup,) = [i for i, c in enumerate(cells) if c.source.startswith("helpers.set_seed(42)\nh_model")]
    (i_cell,) = [i for i, c in enumerate(cells) if c.source.startswith("helpers.set_seed(42)\ni_model")]
    assert len(folded) == 1 and "optimizer_before_model" in cells[folded[0]].source
    assert cells[h_setup + 2].source.startswith("# Ask the doctor about Mystery H")
    assert cells[i_cell + 1].source.startswith("# Ask the doctor about Mystery I")
    lab_page.open_notebook(page, lab, LESSON_08)
    shown = lab_page.cell(page, folded[0])
    assert shown.locator(".jp-InputPlaceholder").count() == 1, "the gallery's setups are not folded"
    assert "optimizer_before_model" not in shown.inner_text(), "the gallery's setups can be read unfolded"

    lab_page.run_all_above(page, lab, LESSON_08, i_cell + 2)  # both mysteries as given, the doctor cells empty
    said = {"H": lab_page.output_text(page, h_setup + 1), "I": lab_page.output_text(page, i_cell)}
    assert "❌ Not yet" in said["H"] and "❌ Not yet" in said["I"], said

    def run_cell(index, source):
        lab_page.replace_cell_source(page, index, source)
        page.keyboard.press("Control+Enter")  # run the cell in place, as after an edit
        page.wait_for_timeout(500)
        lab_page.wait_until_idle(page, lab, expect_cells_run=1)
        return lab_page.output_text(page, index)

    # H: the doctor asked about a fresh setup, then the typo fixed.
    run_cell(h_setup, cells[h_setup].source)
    asked_h = run_cell(h_setup + 2, "helpers.doctor.examine(h_model, blob_loss_fn, h_optimizer, Xb_train, yb_train)")
    assert "cannot fit 64 of your samples" in asked_h, asked_h
    fixed_h = cells[h_setup].source.replace(
        "nn.Linear(8, 1), nn.ReLU(), nn.Linear(1, 4)", "nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 4)"
    )
    assert fixed_h != cells[h_setup].source
    run_cell(h_setup, fixed_h)
    solved_h = run_cell(h_setup + 1, cells[h_setup + 1].source)
    # I: only watch sees it; then zero_grad moved before backward.
    watched = cells[i_cell].source.replace(
        "for epoch in range(300):",
        "with helpers.doctor.watch(i_model, loss_fn, i_optimizer) as report:\n  for epoch in range(300):",
    )
    watched = watched.replace("\n    ", "\n      ").replace("\ni_model.eval()", "\nprint(report)\ni_model.eval()")
    asked_i = run_cell(i_cell, watched)
    assert "optimizer.zero_grad() runs between loss.backward() and optimizer.step()" in asked_i, asked_i
    fixed_i = cells[i_cell].source.replace(
        "    loss.backward()\n    i_optimizer.zero_grad()\n", "    i_optimizer.zero_grad()\n    loss.backward()\n"
    )
    assert fixed_i != cells[i_cell].source
    solved_i = run_cell(i_cell, fixed_i)
    assert "✅ Solved" in solved_h and "✅ Solved" in solved_i, (solved_h, solved_i)
    lab_page.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (lab_page.ARTIFACTS / "lesson-08-your-turn.txt").write_text(
        "\n=== next ===\n".join([said["H"], said["I"], asked_h, solved_h, asked_i, solved_i])
    )
    lab_page.screenshots(page, "lesson-08-your-turn-solved")
