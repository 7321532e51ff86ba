"""Every lesson, opened and run in JupyterLab in a real browser, as a learner runs it."""

from pathlib import Path

import lab_page
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_runs_in_the_browser(page, lab, path):
    run_and_check(page, lab, path)


def run_and_check(page, lab, path: Path) -> None:
    """Open, see it unmodified, Run All, no error, every figure loaded; screenshots kept."""
    lab_page.open_notebook(page, lab, path)
    page.wait_for_timeout(500)  # JupyterLab writes the kernel's metadata into the notebook now
    assert not lab_page.is_modified(page), (
        "opening the notebook modified it: its stored kernelspec/language_info differ from the "
        "course kernel's (run `python tools/sync_notebooks.py`)"
    )
    lab_page.run_all(page, lab, lab_page.code_cell_count(path))
    errors = lab_page.error_outputs(page)
    assert not errors, f"error output in {path.name}:\n" + "\n---\n".join(errors)
    pictures = lab_page.images(page)
    assert all(p["loaded"] for p in pictures), f"a figure did not load: {pictures}"
    assert len(pictures) >= lab_page.stored_figures(path), (
        f"{len(pictures)} figures shown, {lab_page.stored_figures(path)} stored in the notebook"
    )
    lab_page.screenshots(page, f"{path.parent.name}-{path.stem}")
