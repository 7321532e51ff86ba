"""Compare a notebook you ran with the course's stored one: the same, the same within rounding, a training log whose numbers moved, or different.

    python -m helpers.compare RUN.ipynb                   # against the course notebook of that name
    python -m helpers.compare RUN.ipynb --against STORED.ipynb

The rule, also used by the course's own tests (conftest.py) on every machine:

- Text is compared exactly. Numbers inside it are compared as numbers: an integer (an epoch, a
  count, a shape) must be equal; a decimal may differ by at most ``LAST_DIGITS`` units of its last
  printed digit. That is rounding: another CPU, a GPU or a Mac adds the same numbers in another
  order, and a loss printed to five places can change in its last one or two places. A changed
  accuracy (a step of 0.5% on 200 samples), a changed shape, count or word is a difference.
- A training log (a cell tagged ``device-dependent-output``) follows a trajectory that rounding
  can move further (SGD at a large learning rate, a peak loss, the epoch early stopping picks):
  off the platform the stored outputs were made on, its numbers are not compared, its words
  still are. The notebooks assert those results in code.
- Pictures are not compared (nbval does not either); their numbers are asserted in the cells.

``LAST_DIGITS`` comes from measurement: benchmarks/README.md, "Rounding across machines".

The module reads notebooks as JSON and imports neither torch nor nbformat. Exit status of the
command: 0 when every cell is the same or within rounding, 1 when one differs, 2 when a path is
not a readable notebook.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

# How many units of the last printed digit a decimal may move and still count as rounding. Set
# from the measured spread (benchmarks/README.md): the largest honest move seen was 1.
LAST_DIGITS = 2
TRAINING_LOG_TAG = "device-dependent-output"
# Output fields that are text a learner reads (compared); images and widget states are not.
TEXT_FIELDS = ("text/plain", "text/html", "text/markdown", "text/latex", "application/json")

# A number that stands on its own, with its sign, decimals and exponent: not part of a name
# (x86_64), a hex address (0x7f) or a version (2.13.0). "1." counts as a decimal only inside a
# printed tensor ("tensor([1., 0.])"); "epoch 10." ends a sentence with an integer.
_NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.\d+|\d+\.(?=[,\]])|\.\d+|\d+)(?:[eE][-+]?\d+)?(?!\w|\.\d)")

SAME, ROUNDING, DIFFERENT = "same", "within rounding", "different"
# A training log whose numbers moved off the recorded platform: not a difference, not rounding either.
LOG_MOVED = "a training log whose numbers moved"


@dataclass(frozen=True)
class Number:
    """A number as printed: its text, value, and the size of one unit in its last digit."""

    text: str
    value: float
    unit: float | None  # None for an integer (compared exactly)

    @classmethod
    def parse(cls, text: str) -> Number:
        mantissa, _, exponent = text.lower().partition("e")
        if "." not in mantissa and not exponent:
            return cls(text, float(int(text)), None)
        decimals = len(mantissa.partition(".")[2])
        return cls(text, float(text), 10.0 ** (int(exponent or 0) - decimals))


@dataclass(frozen=True)
class TextVerdict:
    """How two texts compare: SAME, ROUNDING or DIFFERENT; for DIFFERENT, the first place they part."""

    verdict: str
    stored: str = ""
    fresh: str = ""
    largest_move: float = 0.0  # in units of the last digit, over the numbers within rounding

    def __bool__(self) -> bool:
        return self.verdict != DIFFERENT


def split_numbers(text: str) -> tuple[list[str], list[Number]]:
    """The text around the numbers (one more piece than numbers) and the numbers.

    Args:
        text: any text.

    Returns:
        (pieces, numbers): ``pieces[0] + numbers[0].text + pieces[1] + ... == text``.
    """
    if not isinstance(text, str):
        raise TypeError(f"The 'text' parameter of split_numbers must be a str. Got {type(text).__name__} instead.")
    pieces, numbers, start = [], [], 0
    for match in _NUMBER.finditer(text):
        pieces.append(text[start : match.start()])
        numbers.append(Number.parse(match.group()))
        start = match.end()
    pieces.append(text[start:])
    return pieces, numbers


def largest_move(stored: str, fresh: str) -> float | None:
    """How far the numbers of two texts moved, with everything else the same.

    Args:
        stored, fresh: two output texts.

    Returns:
        The largest move of a decimal in units of its last printed digit (0.0 for the same
        text); None when the words, the count of numbers or an integer changed, or an integer
        became a decimal.
    """
    stored_pieces, stored_numbers = split_numbers(stored)
    fresh_pieces, fresh_numbers = split_numbers(fresh)
    if _padded(stored_pieces) != _padded(fresh_pieces) or len(stored_numbers) != len(fresh_numbers):
        return None
    largest = 0.0
    for a, b in zip(stored_numbers, fresh_numbers):
        if a.text == b.text:
            continue
        if a.unit is None or b.unit is None or not (math.isfinite(a.value) and math.isfinite(b.value)):
            return None
        largest = max(largest, abs(a.value - b.value) / max(a.unit, b.unit))
    return largest


def compare_text(stored: str, fresh: str, *, numbers_compared: bool = True) -> TextVerdict:
    """Compare two output texts by the course's rule (module docstring).

    Args:
        stored: the text in the stored notebook.
        fresh: the text of a new run.
        numbers_compared: False for a training log off the platform the stored outputs were made on.

    Returns:
        A TextVerdict; for DIFFERENT, ``stored`` and ``fresh`` quote the first differing line.
    """
    if stored == fresh:
        return TextVerdict(SAME)
    if numbers_compared:
        move = largest_move(stored, fresh)
        if move is None or move > LAST_DIGITS + 1e-9:
            return _first_difference(stored, fresh)
        return TextVerdict(ROUNDING, largest_move=move)
    stored_pieces, stored_numbers = split_numbers(stored)
    fresh_pieces, fresh_numbers = split_numbers(fresh)
    if _padded(stored_pieces) != _padded(fresh_pieces) or len(stored_numbers) != len(fresh_numbers):
        return _first_difference(stored, fresh)
    return TextVerdict(ROUNDING)


def _padded(pieces: list[str]) -> list[str]:
    """The text around the numbers, with runs of spaces as one: a column printed with
    f"{acc:5.1f}" pads 99.5 with one more space than 100.0."""
    return [re.sub(r" +", " ", piece) for piece in pieces]


def _first_difference(stored: str, fresh: str) -> TextVerdict:
    stored_lines, fresh_lines = stored.splitlines(), fresh.splitlines()
    for a, b in zip(stored_lines, fresh_lines):
        if a != b:
            return TextVerdict(DIFFERENT, a.strip(), b.strip())
    if len(stored_lines) != len(fresh_lines):
        longer = stored_lines if len(stored_lines) > len(fresh_lines) else fresh_lines
        extra = longer[min(len(stored_lines), len(fresh_lines))].strip()
        return TextVerdict(DIFFERENT, extra if longer is stored_lines else "", extra if longer is fresh_lines else "")
    return TextVerdict(DIFFERENT, stored.strip()[:200], fresh.strip()[:200])


# ----------------------------------------------------------------------------------- outputs


def output_texts(outputs: list[dict]) -> list[tuple[str, str]]:
    """The comparable texts of a cell's outputs, in order: (field, text).

    Streams of one name are joined (a loop that prints in several writes reads as one text).
    An error is ("error", "Name: message").

    Args:
        outputs: a code cell's ``outputs`` as stored in the .ipynb JSON.
    """
    texts: list[tuple[str, str]] = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            field, text = f"stream {output.get('name', 'stdout')}", _joined(output.get("text", ""))
            if texts and texts[-1][0] == field:
                texts[-1] = (field, texts[-1][1] + text)
            else:
                texts.append((field, text))
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            texts.extend((field, _joined(data[field])) for field in TEXT_FIELDS if field in data)
        elif kind == "error":
            texts.append(("error", f"{output.get('ename', '')}: {output.get('evalue', '')}"))
    return texts


def _joined(value) -> str:
    if isinstance(value, list):
        return "".join(value)
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def align_rounding(fresh: list, stored: list, *, sanitize=lambda text: text, numbers_compared: bool = True) -> list:
    """A copy of a fresh run's outputs in which each text that agrees with the stored one by the
    rule (rounding, or a training log's numbers) is replaced by the stored text.

    The course's notebook tests (conftest.py) hand the result to nbval, which then compares
    exactly: what is within rounding passes, and a real difference is reported by nbval as usual,
    with both texts.

    Args:
        fresh, stored: a code cell's outputs (nbformat nodes or dicts), streams already joined.
        sanitize: nbval's rewriting of honest machine differences (tests/sanitize.cfg), applied
            to both texts before they are compared.
        numbers_compared: False for a training log off the platform its outputs were made on.

    Returns:
        A new list; ``fresh`` is not changed. Outputs are paired by position and must have the
        same type; anything unpaired is left for nbval to report.
    """
    aligned = copy.deepcopy(list(fresh))
    for new, old in zip(aligned, stored):
        if new.get("output_type") != old.get("output_type"):
            continue
        pairs = []
        if new.get("output_type") == "stream" and new.get("name") == old.get("name"):
            pairs.append((new, old, "text"))
        pairs += [
            (new["data"], old["data"], f) for f in TEXT_FIELDS if f in new.get("data", {}) and f in old.get("data", {})
        ]
        for new_holder, old_holder, field in pairs:
            a, b = sanitize(_joined(old_holder[field])), sanitize(_joined(new_holder[field]))
            if compare_text(a, b, numbers_compared=numbers_compared):
                new_holder[field] = old_holder[field]
    return aligned


# ----------------------------------------------------------------------------------- notebooks


@dataclass
class CellVerdict:
    """One code cell of a run against the stored notebook."""

    index: int  # 1-based, counting code cells, as JupyterLab's "cell N" of the code cells
    verdict: str
    stored: str = ""
    fresh: str = ""
    note: str = ""


WHY_ROUNDING = (
    "expected on another CPU, a GPU or a Mac: they add the same numbers in another order, "
    "and the last printed digits can change"
)
WHY_TRAINING_LOG = (
    "its words are the same. Rounding on another CPU, a GPU or a Mac can send a training run down a "
    "slightly different path, so a log's numbers are not compared; the notebook's own assert on the "
    "result held, or the cell after it would show an error"
)


def compare_notebooks(run: dict, stored: dict, *, training_logs_compared: bool = False) -> list[CellVerdict]:
    """Compare each code cell's text outputs of a run with the stored notebook's.

    Args:
        run, stored: notebooks as loaded from .ipynb JSON.
        training_logs_compared: True only on the platform the stored outputs were made on.

    Returns:
        One CellVerdict per code cell of the stored notebook, in order.
    """
    run_cells = code_cells(run)
    stored_cells = code_cells(stored)
    verdicts = []
    for index, stored_cell in enumerate(stored_cells, start=1):
        if index > len(run_cells):
            verdicts.append(CellVerdict(index, DIFFERENT, note="this cell is missing from your notebook"))
            continue
        run_cell = run_cells[index - 1]
        if _source(run_cell) != _source(stored_cell):
            verdicts.append(CellVerdict(index, "changed", note="you changed this cell's code: not compared"))
            continue
        if run_cell.get("execution_count") is None:
            verdicts.append(CellVerdict(index, "not run", note="this cell was not run"))
            continue
        log = TRAINING_LOG_TAG in stored_cell.get("metadata", {}).get("tags", [])
        verdicts.append(_compare_cell(index, run_cell, stored_cell, numbers_compared=training_logs_compared or not log))
    return verdicts


def _compare_cell(index: int, run_cell: dict, stored_cell: dict, *, numbers_compared: bool) -> CellVerdict:
    fresh = output_texts(run_cell.get("outputs", []))
    stored = output_texts(stored_cell.get("outputs", []))
    errors = [text for field, text in fresh if field == "error"]
    if errors and not any(field == "error" for field, _ in stored):
        return CellVerdict(index, DIFFERENT, "", errors[0], "this cell raised an error: fix it first")
    if [field for field, _ in fresh] != [field for field, _ in stored]:
        return CellVerdict(
            index,
            DIFFERENT,
            " + ".join(field for field, _ in stored) or "no output",
            " + ".join(field for field, _ in fresh) or "no output",
            "the cell printed other kinds of output",
        )
    verdict = SAME
    for (_, stored_text), (_, fresh_text) in zip(stored, fresh):
        result = compare_text(stored_text, fresh_text, numbers_compared=numbers_compared)
        if not result:
            return CellVerdict(index, DIFFERENT, result.stored, result.fresh)
        if result.verdict == ROUNDING:
            verdict = ROUNDING
    if verdict == SAME:
        return CellVerdict(index, SAME)
    if numbers_compared:
        return CellVerdict(index, ROUNDING, note=WHY_ROUNDING)
    return CellVerdict(index, LOG_MOVED, note=WHY_TRAINING_LOG)


def code_cells(nb: dict) -> list[dict]:
    """The code cells of a notebook loaded as JSON."""
    return [cell for cell in nb.get("cells", []) if cell.get("cell_type") == "code"]


def _source(cell: dict) -> str:
    return _joined(cell.get("source", "")).strip()


def what_to_check(verdicts: list[CellVerdict], run: dict) -> str:
    """The first thing to look at when a cell differs, from what the run shows."""
    counts = [cell.get("execution_count") for cell in code_cells(run)]
    ran = [count for count in counts if count is not None]
    if ran != list(range(1, len(ran) + 1)):
        return (
            "the cells were not run once each, top to bottom: restart the kernel and run all cells "
            "(JupyterLab: Kernel > Restart Kernel and Run All Cells; Colab: Runtime > Restart and run all), "
            "save, and compare again"
        )
    first = next(v for v in verdicts if v.verdict == DIFFERENT)
    if first.note.startswith("this cell raised"):
        return f"cell {first.index} raised an error; the cells after it depend on it"
    return (
        f"cell {first.index} is the first that differs: later cells build on it, so start there. "
        "Check that the seed is set where the lesson sets it (helpers.set_seed right before the model "
        "and before the loop) and that no cell above it was changed; to rule out the GPU, run with "
        "COURSE_DEVICE=cpu"
    )


# ----------------------------------------------------------------------------------- command


def load_notebook(path: Path) -> tuple[dict | None, str]:
    """(the notebook as JSON, "") or (None, a one-line reason it is not a readable notebook)."""
    if not path.is_file():
        return None, f"no such notebook: {path}"
    if path.suffix != ".ipynb":
        return None, f"not a Jupyter notebook (.ipynb): {path}"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"not a valid Jupyter notebook: {path} ({str(error).splitlines()[0]})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, f"not a valid Jupyter notebook: {path} (no list of cells)"
    return nb, ""


def course_notebook(name: str) -> Path | None:
    """The stored course notebook with this file name (lessons and solutions), if this is a checkout."""
    root = Path(__file__).resolve().parents[1]
    for folder in ("notebooks", "solutions"):
        if (root / folder / name).is_file():
            return root / folder / name
    return None


def report(verdicts: list[CellVerdict], run: dict) -> tuple[list[str], int]:
    """The lines the command prints, and its exit status."""
    lines = []
    for v in verdicts:
        if v.verdict == SAME:
            continue
        mark = {ROUNDING: "≈", LOG_MOVED: "≈", DIFFERENT: "❌"}.get(v.verdict, "·")
        line = f"{mark} cell {v.index}: {v.verdict}"
        if v.verdict == DIFFERENT and (v.stored or v.fresh):
            line += f"\n      stored: {v.stored}\n      yours:  {v.fresh}"
        if v.note:
            line += f"\n      {v.note}"
        lines.append(line)
    counts = {kind: sum(v.verdict == kind for v in verdicts) for kind in (SAME, ROUNDING, LOG_MOVED, DIFFERENT)}
    different = counts[DIFFERENT]
    summary = f"{counts[SAME]} cells the same, {counts[ROUNDING]} the same within rounding, "
    if counts[LOG_MOVED]:
        summary += f"{counts[LOG_MOVED]} training logs whose numbers moved (not compared), "
    summary += f"{different} different"
    others = len(verdicts) - sum(counts.values())
    if others:
        summary += f", {others} not compared"
    lines.append(summary + " (pictures are not compared)")
    if different:
        lines.append("What to check first: " + what_to_check(verdicts, run))
    else:
        lines.append("✅ Your run reproduces the stored notebook.")
    return lines, 1 if different else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.compare",
        description="Compare a notebook you ran and saved with the course's stored one.",
    )
    parser.add_argument("run", type=Path, help="the notebook you ran and saved")
    parser.add_argument("--against", type=Path, help="the stored notebook (default: the course's of the same name)")
    args = parser.parse_args(argv)

    run, problem = load_notebook(args.run)
    if run is None:
        print(problem)
        return 2
    stored_path = args.against or course_notebook(args.run.name)
    if stored_path is None:
        print(f"no course notebook named {args.run.name}: name the stored one with --against STORED.ipynb")
        return 2
    stored, problem = load_notebook(stored_path)
    if stored is None:
        print(problem)
        return 2
    lines, status = report(compare_notebooks(run, stored), run)
    print(f"{args.run} against {stored_path}:")
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
