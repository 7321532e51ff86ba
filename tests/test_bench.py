"""benchmarks/bench.py (`make bench`): what it calls the floor, and how it judges the goals.
(The timings themselves are measured by `make bench`, not by tests.)"""

import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_the_floor_is_the_setup_cell_plus_torch_optims_lazy_import():
    nb = nbformat.read(ROOT / "notebooks" / "03_non_linearity.ipynb", as_version=4)
    floor = bench.floor_of(nb)
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert [cell.source for cell in floor.cells] == [setup.source, bench.LAZY_IMPORTS]
    assert "import helpers" in setup.source and "torch.optim" not in setup.source


def row(cost):
    return {
        "notebook": "notebooks/x.ipynb",
        "median": 8.0 + cost,
        "floor": 8.0,
        "cost": cost,
        "cost_range": (cost - 0.2, cost + 0.2),
    }


def test_goals_are_judged_against_the_issue_s_numbers():
    table = bench.report(
        [row(1.4), row(1.6)],
        {"with the browser tests": (119.0, "553 passed"), "without the browser tests": (61.0, "544 passed")},
        [(100, 0.1), (500, 0.6)],
        repeats=5,
        command="make bench",
    )
    notebook_rows = [line for line in table.splitlines() if line.startswith("| `notebooks/x.ipynb`")]
    assert notebook_rows[0].endswith("| ✅ |") and notebook_rows[1].endswith("| ❌ |")
    with_browser = next(line for line in table.splitlines() if line.startswith("| with the browser tests"))
    without = next(line for line in table.splitlines() if line.startswith("| without the browser tests"))
    assert with_browser.endswith("| ✅ under 120 s |") and without.endswith("| ❌ under 60 s |")
    resolution_500 = next(line for line in table.splitlines() if line.startswith("| 500 |"))
    assert "❌ under 0.5 s" in resolution_500
