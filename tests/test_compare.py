"""helpers.compare: the rule that compares notebook outputs, and the learner's command."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import compare
from helpers.compare import DIFFERENT, ROUNDING, SAME, compare_text, split_numbers

ROOT = Path(__file__).resolve().parents[1]


# ------------------------------------------------------------------------------ numbers in text


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("epoch 10. loss 0.02031, acc 86.5%", ["10", "0.02031", "86.5"]),
        ("torch 2.13.0+cpu on x86_64 at 0x7f3a", []),  # a version, a name, an address
        ("tensor([1., 0.]) -0.5 1e-05 cuda:0", ["1.", "0.", "-0.5", "1e-05", "0"]),
        ("<td>0.754</td> #E69F00", ["0.754"]),
    ],
)
def test_numbers_are_found_where_they_stand_alone(text, numbers):
    assert [n.text for n in split_numbers(text)[1]] == numbers


@given(st.text())
def test_the_pieces_and_numbers_give_back_the_text(text):
    pieces, numbers = split_numbers(text)
    assert len(pieces) == len(numbers) + 1
    rebuilt = pieces[0] + "".join(n.text + p for n, p in zip(numbers, pieces[1:]))
    assert rebuilt == text


def test_split_numbers_checks_its_input():
    with pytest.raises(TypeError, match="'text' parameter of split_numbers must be a str. Got bytes"):
        split_numbers(b"0.5")


# ------------------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("stored", "fresh", "verdict"),
    [
        ("loss 0.02031", "loss 0.02031", SAME),
        ("loss 0.02031", "loss 0.02032", ROUNDING),  # seen: Intel vs AMD, AVX-512
        ("loss 0.02031", "loss 0.02033", ROUNDING),  # LAST_DIGITS = 2
        ("loss 0.02031", "loss 0.02034", DIFFERENT),  # just outside
        ("peak 2.0252", "peak 2.0251", ROUNDING),
        ("w -0.0000", "w 0.0000", ROUNDING),  # the sign of a zero
        ("test accuracy 86.5%", "test accuracy 87.0%", DIFFERENT),  # one more right of 200
        ("800 training samples", "801 training samples", DIFFERENT),  # a count
        ("torch.Size([800, 2])", "torch.Size([800, 1])", DIFFERENT),  # a shape
        ("loss 0.5", "loss 1", DIFFERENT),  # a decimal became an integer
        ("train accuracy 90.0%", "test accuracy 90.0%", DIFFERENT),  # a word
        ("loss 0.5\n", "loss 0.5\nUserWarning: ...\n", DIFFERENT),  # a new warning
        ("loss nan", "loss 0.5", DIFFERENT),
        ("1.5e-05", "1.6e-05", ROUNDING),  # units of the mantissa's last digit
        ("1.5e-05", "1.9e-05", DIFFERENT),
    ],
)
def test_the_rule(stored, fresh, verdict):
    assert compare_text(stored, fresh).verdict == verdict


def test_the_coarser_printing_sets_the_unit():
    """tensor([1., 0.5]) and tensor([1.0000, 0.5000]) are one tensor printed two ways."""
    assert compare_text("x 0.50", "x 0.5").verdict == ROUNDING
    assert compare_text("x 0.50", "x 0.8").verdict == DIFFERENT


def test_a_training_log_off_its_platform_keeps_its_words_not_its_numbers():
    stored = "epoch 457: lowest validation loss 0.0029"
    assert compare_text(stored, "epoch 470: lowest validation loss 0.0135", numbers_compared=False)
    assert not compare_text(stored, "epoch 470: lowest training loss 0.0135", numbers_compared=False)
    assert not compare_text(stored, "epoch 470: lowest validation loss", numbers_compared=False)


def test_the_padding_of_a_column_may_follow_the_number():
    stored, fresh = "Epoch 200 | acc  99.5%", "Epoch 200 | acc 100.0%"
    assert compare_text(stored, fresh, numbers_compared=False)
    assert not compare_text(stored, fresh)  # an accuracy that changed is still a difference


def test_a_difference_quotes_the_first_differing_line():
    result = compare_text("a 1\nacc 86.5%\nb", "a 1\nacc 87.0%\nb")
    assert (result.verdict, result.stored, result.fresh) == (DIFFERENT, "acc 86.5%", "acc 87.0%")
    missing = compare_text("a 1\nb 2", "a 1")
    assert (missing.stored, missing.fresh) == ("b 2", "")


def test_align_rounding_does_not_change_what_it_is_given():
    stored = [{"output_type": "execute_result", "data": {"text/plain": "tensor(0.5001)", "image/png": "AAA"}}]
    fresh = [{"output_type": "execute_result", "data": {"text/plain": "tensor(0.5002)", "image/png": "BBB"}}]
    before = copy.deepcopy(fresh)
    aligned = compare.align_rounding(fresh, stored)
    assert fresh == before
    assert aligned[0]["data"] == {"text/plain": "tensor(0.5001)", "image/png": "BBB"}  # pictures left to nbval


def test_align_rounding_leaves_an_extra_output_for_nbval_to_report():
    stored = [{"output_type": "stream", "name": "stdout", "text": "a 0.5"}]
    fresh = stored + [{"output_type": "stream", "name": "stderr", "text": "Warning"}]
    assert compare.align_rounding(fresh, stored) == fresh


def test_align_rounding_sanitizes_both_sides_first():
    stored = [{"output_type": "stream", "name": "stdout", "text": "Using device: cpu | loss 0.02031"}]
    fresh = [{"output_type": "stream", "name": "stdout", "text": "Using device: cuda | loss 0.02032"}]
    sanitize = lambda text: text.replace("cuda", "DEVICE").replace("cpu", "DEVICE")  # noqa: E731
    assert compare.align_rounding(fresh, stored, sanitize=sanitize)[0]["text"] == stored[0]["text"]


# ------------------------------------------------------------------------------ the command

LESSON = ROOT / "notebooks" / "04_multiclass_blobs.ipynb"


def run_compare(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "helpers.compare", *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env
    )


def saved_copy(tmp_path: Path, edit=None) -> Path:
    nb = json.loads(LESSON.read_text())
    if edit:
        edit(nb)
    path = tmp_path / LESSON.name
    path.write_text(json.dumps(nb))
    return path


def code_cells(nb):
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def first_output_with(nb, needle: str):
    """(1-based code cell number, output) of the first text output that contains needle."""
    for number, cell in enumerate(code_cells(nb), start=1):
        for output in cell.get("outputs", []):
            text = output.get("text") or output.get("data", {}).get("text/plain")
            if text and needle in "".join(text):
                return number, output
    raise AssertionError(f"no output with {needle!r} in {LESSON.name}")


def replace_in(output, old: str, new: str):
    key = "text" if "text" in output else None
    holder, field = (output, "text") if key else (output["data"], "text/plain")
    holder[field] = "".join(holder[field]).replace(old, new, 1)


def test_an_unchanged_run_is_the_same(tmp_path):
    result = run_compare(saved_copy(tmp_path))
    assert result.returncode == 0, result.stdout
    assert "0 different" in result.stdout and "✅" in result.stdout


def test_a_run_within_rounding_exits_0_and_says_why(tmp_path):
    """A learner's run on another CPU: a printed number moved in its last digit."""

    def nudge(nb):
        _, output = first_output_with(nb, "Logits of the first sample")  # an untagged cell's numbers
        text = "".join(output.get("text") or output["data"]["text/plain"])
        number = next(n for n in split_numbers(text)[1] if n.unit is not None)
        moved = f"{number.value + number.unit:.{len(number.text.partition('.')[2])}f}"
        replace_in(output, number.text, moved)

    result = run_compare(saved_copy(tmp_path, nudge))
    assert result.returncode == 0, result.stdout
    assert "1 the same within rounding" in result.stdout and "another CPU, a GPU or a Mac" in result.stdout


def test_a_changed_result_exits_1_naming_the_cell_and_both_values(tmp_path):
    number, _ = first_output_with(json.loads(LESSON.read_text()), "validation accuracy")

    def change(nb):
        _, output = first_output_with(nb, "validation accuracy")
        text = "".join(output.get("text") or output["data"]["text/plain"])
        accuracy = next(n for n in split_numbers(text)[1] if n.unit is not None and n.value > 1)
        replace_in(output, accuracy.text, f"{accuracy.value - 5:.1f}")

    result = run_compare(saved_copy(tmp_path, change))
    assert result.returncode == 1, result.stdout
    assert f"❌ cell {number}: different" in result.stdout
    assert "stored:" in result.stdout and "yours:" in result.stdout
    assert f"cell {number} is the first that differs" in result.stdout


def test_a_run_out_of_order_is_told_to_restart_and_run_all(tmp_path):
    def shuffle(nb):
        cells = code_cells(nb)
        cells[1]["execution_count"], cells[2]["execution_count"] = 7, 3
        _, output = first_output_with(nb, "validation accuracy")
        replace_in(output, "validation accuracy", "Validation accuracy (again)")

    result = run_compare(saved_copy(tmp_path, shuffle))
    assert result.returncode == 1 and "Restart Kernel and Run All Cells" in result.stdout


def test_a_changed_cell_is_not_compared(tmp_path):
    def edit(nb):
        code_cells(nb)[3]["source"] = "print('my own experiment')"

    result = run_compare(saved_copy(tmp_path, edit))
    assert result.returncode == 0
    assert "cell 4: changed" in result.stdout and "1 not compared" in result.stdout


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.ipynb", "no such notebook"),
        (lambda tmp: (tmp / "notes.txt").write_text("hi") and tmp / "notes.txt", "not a Jupyter notebook"),
        (lambda tmp: (tmp / "broken.ipynb").write_text("{") and tmp / "broken.ipynb", "not a valid Jupyter notebook"),
        (lambda tmp: (tmp / "mine.ipynb").write_text('{"cells": []}') and tmp / "mine.ipynb", "no course notebook"),
    ],
)
def test_a_bad_path_exits_2_with_one_line(tmp_path, make, message):
    result = run_compare(make(tmp_path))
    assert result.returncode == 2
    assert len(result.stdout.strip().splitlines()) == 1 and message in result.stdout


def test_against_names_the_stored_notebook(tmp_path):
    run = saved_copy(tmp_path)
    renamed = run.rename(tmp_path / "my_copy.ipynb")
    result = run_compare(renamed, "--against", LESSON)
    assert result.returncode == 0, result.stdout


def test_a_real_run_on_other_kernels_is_the_same_or_within_rounding(tmp_path):
    """Lesson 03 executed on torch's generic kernels with MKL's compatible path, as a learner on
    another CPU would run it: its training logs take another path (measured:
    benchmarks/README.md), and the command still says the run reproduces the lesson."""
    lesson = ROOT / "notebooks" / "03_non_linearity.ipynb"
    knobs = {"ATEN_CPU_CAPABILITY": "default", "MKL_CBWR": "COMPATIBLE"}
    env = dict(os.environ, COURSE_DEVICE="cpu", PYTHONPATH=str(ROOT), **knobs)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(tmp_path)]
        + ["--ExecutePreprocessor.kernel_name=python3", str(lesson)],
        check=True,
        capture_output=True,
        env=env,
        cwd=lesson.parent,
    )
    result = run_compare(tmp_path / lesson.name)
    assert result.returncode == 0, result.stdout
    assert ", 0 different" in result.stdout and "✅ Your run reproduces the stored notebook." in result.stdout


@pytest.mark.parametrize(
    ("stored", "fresh", "move"),
    [
        ("loss 0.02031", "loss 0.02031", 0.0),
        ("loss 0.02031", "loss 0.02034", 3.0),  # measured, whether or not within the rule
        ("epoch 457: 0.0123", "epoch 470: 0.0123", None),  # an integer
        ("train 0.5", "test 0.5", None),  # a word
    ],
)
def test_largest_move_measures_what_the_rule_judges(stored, fresh, move):
    """tools/rounding_spread.py measures with it; LAST_DIGITS was set from its results."""
    result = compare.largest_move(stored, fresh)
    assert result == (None if move is None else pytest.approx(move))
