"""Notebooks that hold widget outputs must still render on GitHub.

GitHub's notebook renderer fails on a notebook whose ``metadata.widgets`` entry has no
``state`` (what some front ends save when widget state is not stored): the page shows
"Invalid Notebook" instead of the lesson. Executing with nbclient (``make outputs``) stores the
state; this guards against a notebook saved another way.
"""

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for folder in ("notebooks", "solutions", "exercises") for p in (ROOT / folder).glob("*.ipynb"))
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def widget_metadata_problems(metadata) -> list[str]:
    """What in a notebook's metadata would break GitHub's renderer (empty: nothing)."""
    widgets = metadata.get("widgets")
    if widgets is None:
        return []
    if not isinstance(widgets, dict):
        return ["metadata.widgets is not a mapping"]
    problems = []
    for mimetype, entry in widgets.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("state"), dict):
            problems.append(f"metadata.widgets[{mimetype!r}] has no 'state'")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_widget_metadata_renders_on_github(path):
    problems = widget_metadata_problems(nbformat.read(path, as_version=4).metadata)
    assert not problems, f"{path.name}: {'; '.join(problems)} (re-run `make outputs` to store the widget state)"


def test_the_guard_catches_metadata_without_state():
    assert widget_metadata_problems({}) == []
    assert (
        widget_metadata_problems({"widgets": {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {}}}})
        == []
    )
    assert widget_metadata_problems({"widgets": {WIDGET_STATE: {"version_major": 2, "version_minor": 0}}}) != []
    assert widget_metadata_problems({"widgets": []}) != []


def test_the_playground_lesson_stores_pictures_not_dead_controls():
    """Opened before its cells run (GitHub, a static viewer, JupyterLab), lesson 06 shows a
    picture of each playground and how to start it: no widget views, no widget state."""
    nb = nbformat.read(ROOT / "notebooks" / "06_playground.ipynb", as_version=4)
    assert "widgets" not in nb.metadata, "run `make outputs`: it stores no widget state"
    playgrounds = [c for c in nb.cells if c.cell_type == "code" and "helpers.Playground(" in c.source]
    assert playgrounds
    for cell in playgrounds:
        kinds = [set(output.get("data", {})) for output in cell.outputs]
        assert not any("application/vnd.jupyter.widget-view+json" in k for k in kinds), cell.source
        assert any("image/png" in k for k in kinds), f"no picture stored for {cell.source!r}"
        assert "run this cell" in " ".join(str(o.get("data", {})) for o in cell.outputs)
