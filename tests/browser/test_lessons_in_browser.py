"""Every lesson, opened and run in JupyterLab in a real browser, as a learner runs it."""

import os
from pathlib import Path

import lab_page
import nbformat
import pytest

from helpers.style import MIN_TEXT_PX

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


# Lessons whose outputs change in place while they run (the live view, the playground's widgets):
# what only a browser shows. nbval executes every lesson; here the others are opened with their
# stored outputs (rendered, every figure loaded, text sizes measured), which keeps a warm
# `make test` short. COURSE_BROWSER_RUN_ALL=1 (make test-browser-all, run by CI) runs every
# lesson with Run All in the browser too.
LIVE_MARKERS = ("helpers.LiveView(", "helpers.Playground(")
RUN_ALL = os.environ.get("COURSE_BROWSER_RUN_ALL") == "1"


def runs_live(path: Path) -> bool:
    return any(marker in cell.source for cell in nbformat.read(path, as_version=4).cells for marker in LIVE_MARKERS)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_runs_in_the_browser(page, lab, path):
    run_and_check(page, lab, path, run=RUN_ALL or runs_live(path))


def run_and_check(page, lab, path: Path, *, run: bool = True) -> None:
    """Open, see it unmodified, Run All (or, with run=False, the stored outputs as they are), no
    error, every figure loaded, no text under MIN_TEXT_PX as shown; screenshots kept."""
    lab_page.open_notebook(page, lab, path)
    page.wait_for_timeout(500)  # JupyterLab writes the kernel's metadata into the notebook now
    assert not lab_page.is_modified(page), (
        "opening the notebook modified it: its stored kernelspec/language_info differ from the "
        "course kernel's (run `python tools/sync_notebooks.py`)"
    )
    if run:
        lab_page.run_all(page, lab, lab_page.code_cell_count(path))
    else:
        lab_page.show_every_output(page, lab_page.stored_figures(path))
    errors = lab_page.error_outputs(page)
    assert not errors, f"error output in {path.name}:\n" + "\n---\n".join(errors)
    pictures = lab_page.images(page)
    assert all(p["loaded"] for p in pictures), f"a figure did not load: {pictures}"
    assert len(pictures) >= lab_page.stored_figures(path), (
        f"{len(pictures)} figures shown, {lab_page.stored_figures(path)} stored in the notebook"
    )
    sizes = lab_page.smallest_text_shown(pictures)
    lab_page.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (lab_page.ARTIFACTS / f"text-sizes-{path.parent.name}-{path.stem}.txt").write_text(
        "".join(f"{px:4.1f} px smallest text: {p['width']} px wide, shown at {p['shown']:.0f} px\n" for px, p in sizes)
    )
    small = [(round(px, 1), p["width"], round(p["shown"])) for px, p in sizes if px < MIN_TEXT_PX]
    assert not small, f"figures whose smallest text is shown under {MIN_TEXT_PX} px (px, width, shown): {small}"
    lab_page.screenshots(page, f"{path.parent.name}-{path.stem}")


LESSON_03 = ROOT / "notebooks" / "03_non_linearity.ipynb"
# Collects every picture the output area of a cell shows while it runs (frames replace each other
# in place, so the page alone at the end shows only the last).
WATCH_PICTURES = """cell => {
    window.__frames = new Set();
    // A frame, not the live view's 1-pixel placeholder (a few dozen bytes of PNG).
    const note = () => cell.querySelectorAll('.jp-OutputArea-output img').forEach(
        i => { if (i.src.length > 1000) window.__frames.add(i.src); });
    window.__watch = new MutationObserver(note);
    window.__watch.observe(cell, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
}"""


def test_the_live_view_shows_the_boundary_bending_while_lesson_03_trains(page, lab):
    """The training cell of lesson 03, run as a learner runs it: its one output area shows
    several different frames while the loop runs, not one picture at the end."""
    cells = nbformat.read(LESSON_03, as_version=4).cells
    # The loop's cell: the live view shows its first frame at the first live.update, in that cell's output.
    training = next(i for i, c in enumerate(cells) if c.cell_type == "code" and "live.update(" in c.source)
    lab_page.open_notebook(page, lab, LESSON_03)
    lab_page.run_all_above(page, lab, LESSON_03, training)
    lab_page.cell(page, training).element_handle().evaluate(WATCH_PICTURES)
    page.keyboard.press("Shift+Enter")  # the training cell is selected: run it
    lab_page.wait_until_idle(page, lab, expect_cells_run=lab_page.code_cell_count(LESSON_03, below=training) + 1)
    frames = page.evaluate("() => { window.__watch.disconnect(); return window.__frames.size; }")
    lab_page.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (lab_page.ARTIFACTS / "lesson-03-live-view-frames.txt").write_text(f"{frames} different pictures while it ran\n")
    assert frames >= 3, f"the live view showed {frames} different pictures while lesson 03's loop ran"
    lab_page.screenshots(page, "lesson-03-live-view")
