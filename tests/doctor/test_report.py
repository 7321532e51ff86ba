"""The report: one line per finding, shown alike in a terminal, IPython and a notebook."""

import pytest

from helpers.doctor import Finding, Report
from helpers.doctor.report import SECTIONS


def _report():
    report = Report("Training doctor: a test")
    report.passed("optimizer", "The optimizer holds all 6 parameter tensors.")
    report.problem("no_zero_grad", "Your loop never calls optimizer.zero_grad(): 2.0× <one step's>.", "call it.")
    report.note("pretrained", "Already trained: 97% & more.")
    return report


def test_ok_ids_and_kinds():
    report = _report()
    assert not report.ok and report.ids == ["no_zero_grad"]
    assert [f.id for f in report.notes] == ["pretrained"]
    assert [f.id for f in report.findings] == ["no_zero_grad", "pretrained"]
    empty = Report()
    assert empty.ok and empty.ids == [] and "Nothing wrong found." in str(empty)


def test_text_has_one_line_per_finding_with_icon_fix_and_section():
    lines = str(_report()).splitlines()
    assert lines[0] == "Training doctor: a test"
    assert lines[1].startswith("✅ ") and lines[2].startswith("❌ ")
    assert lines[3] == "   Fix: call it."
    assert lines[4] == f"   See: {SECTIONS['no_zero_grad']}"
    assert lines[5].startswith("ℹ️ ")
    assert lines[-1] == "1 problem found: fix it and ask again."


def test_html_escapes_and_shows_the_same_findings():
    html = _report()._repr_html_()
    assert "&lt;one step&#x27;s&gt;" in html and "97% &amp; more" in html
    assert html.count("<li") == 3 and "❌" in html and "ℹ️" in html


def test_ipython_pretty_printer_gets_the_text():
    IPython = pytest.importorskip("IPython.lib.pretty")
    assert IPython.pretty(_report()) == str(_report())


def test_every_finding_has_a_section_and_a_bad_status_is_refused():
    assert Finding("lr_zero", "problem", "m", "f").section == SECTIONS["lr_zero"]
    with pytest.raises(ValueError, match="status must be one of"):
        Finding("x", "bad", "m")


def test_every_id_the_zoo_expects_has_a_section():
    from .plants import PLANTS
    from .test_watch_zoo import LOOP_PLANTS

    expected = {p[1] for p in PLANTS.values()} | {p[3] for p in LOOP_PLANTS.values()}
    assert expected <= set(SECTIONS)


def test_every_section_of_the_lesson_named_by_a_finding_is_a_heading_there():
    """'§N (topic)' of lesson 08 in SECTIONS: heading N of the notebook names that topic."""
    import json
    import re
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[2] / "notebooks" / "08_when_training_goes_wrong.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    headings = {}
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                match = re.match(r"## (\d+)\. (.*)", line)
                if match:
                    headings[match.group(1)] = match.group(2).replace("`", "").lower()
    for id_, section in SECTIONS.items():
        match = re.match(r'lesson "When training goes wrong", §(\d+) \(([^:,)]*)', section)
        if match:
            number, topic = match.groups()
            assert number in headings, f"{id_}: no heading {number} in lesson 08"
            assert topic.lower() in headings[number], (
                f"{id_}: {topic!r} is not in heading {number}: {headings[number]!r}"
            )
