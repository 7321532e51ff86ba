"""What a learner does in JupyterLab, as Playwright steps: open a notebook, run cells, read the
outputs, switch the theme. Shared by the browser tests."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
RUN_TIMEOUT_S = 240  # a notebook's Run All on a busy 2-core machine
CELLS = ".jp-Notebook .jp-Cell"


def open_lab(page, lab) -> None:
    """JupyterLab in the page, with a fresh workspace (no tabs restored)."""
    page.goto(f"{lab['url']}/lab?reset&token={lab['token']}")
    page.locator(".jp-DirListing-item").first.wait_for()


def open_notebook(page, lab, path: Path) -> None:
    """Open the notebook as a learner does in a JupyterLab already open (File > Open from
    Path…), and wait until its kernel is ready. Loading JupyterLab costs more CPU than running
    a short lesson, so the tests load it once and open one notebook after the other in it."""
    assert page.locator(".jp-NotebookPanel").count() == 0, "a notebook from an earlier test is still open"
    menu(page, "File", "Open from Path…")
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill(path.relative_to(ROOT).as_posix())
    dialog.locator("button", has_text="Open").click()
    page.locator(CELLS).first.wait_for()
    wait_until_idle(page, lab, expect_cells_run=0)


def close_everything(page) -> None:
    """Close every tab without saving (File > Close All Tabs, then Discard for each notebook
    that ran), as the next test expects to find JupyterLab."""
    if page.locator(".jp-NotebookPanel").count() == 0:
        return
    menu(page, "File", "Close All Tabs")
    deadline = time.monotonic() + 30
    while page.locator(".jp-NotebookPanel").count() and time.monotonic() < deadline:
        discard = page.locator(".jp-Dialog button", has_text="Discard")
        if discard.count():
            discard.first.click()
        page.wait_for_timeout(100)
    assert page.locator(".jp-NotebookPanel").count() == 0, "a notebook did not close"


def kernels_idle(lab) -> bool:
    """Whether every running kernel is idle. "Not yet" when the server cannot say: its kernel list
    can answer 500 while a kernel is being started or shut down (seen once in CI); the caller
    asks again until its own timeout."""
    try:
        with urllib.request.urlopen(f"{lab['url']}/api/kernels?token={lab['token']}", timeout=5) as answer:
            kernels = json.load(answer)
    except urllib.error.HTTPError as error:
        if error.code >= 500:
            return False
        raise
    return bool(kernels) and all(k["execution_state"] == "idle" for k in kernels)


def prompts(page) -> list[str]:
    return page.locator(f"{CELLS}.jp-CodeCell .jp-InputArea-prompt").evaluate_all("ps => ps.map(p => p.textContent)")


def wait_until_idle(page, lab, expect_cells_run: int, timeout_s: float = RUN_TIMEOUT_S) -> None:
    """Until the kernel is idle, no cell waits to run ([*]) and at least `expect_cells_run` code
    cells show an execution count, or an error stopped the run (the caller reports it).
    The server is asked first (cheap); the page only when the kernel is idle, since reading
    the page makes the browser lay it out."""
    deadline = time.monotonic() + timeout_s
    settled = 0
    while time.monotonic() < deadline:
        if kernels_idle(lab):
            shown = prompts(page)
            done = sum(bool(re.search(r"\[\d+\]", p)) for p in shown)
            finished = "[*]" not in "".join(shown) and (done >= expect_cells_run or error_outputs(page))
        else:
            finished = False
        settled = settled + 1 if finished else 0
        if settled == 2:  # twice in a row: not a gap between two cells
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"the kernel did not finish within {timeout_s} s; prompts: {prompts(page)}")


def menu(page, *labels: str) -> None:
    """Click through the main menu, e.g. menu(page, "Run", "Run All Cells")."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(labels[0])}$")).click()
    for label in labels[1:]:
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(label)}$")).last.click()


def run_all(page, lab, code_cells: int) -> None:
    menu(page, "Run", "Run All Cells")
    wait_until_idle(page, lab, expect_cells_run=code_cells)


def run_all_above(page, lab, path: Path, index: int) -> None:
    """Select cell `index` of the open notebook `path` and run every cell above it, as a learner
    who reached it has."""
    cell(page, index).locator(".jp-InputPrompt").click()
    menu(page, "Run", "Run All Above Selected Cell")
    wait_until_idle(page, lab, expect_cells_run=code_cell_count(path, below=index))


def is_modified(page) -> bool:
    """JupyterLab marks a notebook with unsaved changes on its tab."""
    return page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").count() > 0


def error_outputs(page) -> list[str]:
    texts = page.locator(".jp-OutputArea-output").all_inner_texts()
    return [t[:500] for t in texts if "Traceback" in t or re.search(r"^\w*Error\b", t, re.MULTILINE)]


def images(page) -> list[dict]:
    """Every picture in the outputs: whether it loaded, its size (width) and the width it is shown at."""
    return page.locator(".jp-OutputArea-output img").evaluate_all(
        "imgs => imgs.map(i => ({loaded: i.complete && i.naturalWidth > 0, width: i.naturalWidth, "
        "shown: i.getBoundingClientRect().width, src: i.src.slice(0, 80)}))"
    )


def show_every_output(page, expected_figures: int, timeout_s: float = 30) -> None:
    """Wait, running nothing, until the stored outputs are on the page: at least
    `expected_figures` pictures, every one of them loaded."""
    page.wait_for_function(
        """n => { const imgs = [...document.querySelectorAll('.jp-OutputArea-output img')];
                 return imgs.length >= n && imgs.every(i => i.complete && i.naturalWidth > 0); }""",
        arg=expected_figures,
        timeout=timeout_s * 1000,
    )


def smallest_text_shown(pictures: list[dict]) -> list[tuple[float, dict]]:
    """The smallest text each figure shows, in pixels as displayed: the smallest text any of the
    course's figures has at its own size (helpers.style: inline figures at 100 dpi, fonts of at
    least SMALLEST_FONT_PT; the live view and the playground, measured on their figure), times
    the scale the browser shows the picture at. Pictures under 150 px wide (the playground's unit
    maps) have no text."""
    import torch

    from helpers.live import TrainingFigure
    from helpers.style import SMALLEST_FONT_PT, smallest_text_px

    X = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
    live = smallest_text_px(TrainingFigure(X, torch.tensor([0.0, 1.0]), (-1.0, 2.0, -1.0, 2.0)).figure)
    at_own_size = min(SMALLEST_FONT_PT * 100 / 72, live)
    return [(at_own_size * p["shown"] / p["width"], p) for p in pictures if p["width"] >= 150]


def stored_figures(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(
        "image/png" in output.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def code_cell_count(path: Path, below: int | None = None) -> int:
    """The notebook's code cells whose prompt shows, or those above cell `below`: a cell whose code
    is folded (lesson 08's mysteries) shows no prompt, so the page cannot count it as run."""
    return sum(
        cell.cell_type == "code" and not cell.metadata.get("jupyter", {}).get("source_hidden")
        for cell in nbformat.read(path, as_version=4).cells[:below]
    )


def set_theme(page, theme: str) -> None:
    """theme: "JupyterLab Light" or "JupyterLab Dark"."""
    menu(page, "Settings", "Theme", theme)
    light = theme.endswith("Light")
    page.wait_for_function(f"document.body.dataset.jpThemeLight === '{str(light).lower()}'")
    page.locator("#jupyterlab-splash").wait_for(state="detached")  # shown while the theme loads


def screenshots(page, name: str) -> list[Path]:
    """The page in both themes, kept under test-artifacts/browser/: the current theme first, then
    the other (one theme switch per notebook; the next notebook starts in the last one)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    dark_now = page.evaluate("document.body.dataset.jpThemeLight") == "false"
    saved = []
    for theme in ("JupyterLab Dark", "JupyterLab Light") if dark_now else ("JupyterLab Light", "JupyterLab Dark"):
        if saved:
            set_theme(page, theme)
        path = ARTIFACTS / f"{name}-{theme.split()[-1].lower()}.png"
        page.screenshot(path=str(path))
        saved.append(path)
    return saved


def cell(page, index: int):
    return page.locator(CELLS).nth(index)


def replace_cell_source(page, index: int, source: str) -> None:
    """Select all in the cell's editor and type the new source (inserted as typed text, so that
    the editor's auto-indent and bracket closing do not change it)."""
    editor = cell(page, index).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)


def output_text(page, index: int) -> str:
    return "\n".join(cell(page, index).locator(".jp-OutputArea-output").all_inner_texts())
