"""Lesson 07's claims over other seeds: run the lesson's code with every seed shifted.

The stored outputs of notebooks/07_real_data.ipynb come from seed 42 and split 42. Every conclusion
its prose draws is an ``assert`` in the notebook; this script runs all the notebook's code cells
again with ``helpers.set_seed(s)`` turned into ``helpers.set_seed(s + offset)`` and
``train_test_split(..., random_state=r)`` into ``random_state=r + offset`` (models, training loops,
the lesson's split and the spreads' own splits alike: every offset is a new data split), records
every assert instead of stopping at the first, and prints which held for each offset, with the
lesson's key numbers.

    python tools/claims_07_real_data.py                # offsets 1..6 (other seeds than the stored run)
    python tools/claims_07_real_data.py 0 10 20 30     # chosen offsets

Exit status 1 when a claim failed for some offset. Runs on one CPU thread, about 10 s of CPU time an offset.
"""

from __future__ import annotations

import ast
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("COURSE_DEVICE", "cpu")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "07_real_data.ipynb"
REPORTED = [
    "threshold",
    "val_recall",
    "val_precision",
    "test_auc",
    "test_recall",
    "recall_low",
    "recall_high",
    "test_precision",
    "test_missed",
]


class SoftAsserts(ast.NodeTransformer):
    """`assert test, message` becomes `_claim(test, cell, line, source)`: recorded, not raised."""

    def __init__(self, cell: int):
        self.cell = cell

    def visit_Assert(self, node):  # noqa: N802 (ast's naming)
        call = ast.Call(
            func=ast.Name("_claim", ast.Load()),
            args=[node.test, ast.Constant(self.cell), ast.Constant(node.lineno), ast.Constant(ast.unparse(node.test))],
            keywords=[],
        )
        return ast.copy_location(ast.Expr(call), node)


def shifted_split(split, offset: int):
    """`split` (scikit-learn's train_test_split) with its random_state moved by offset; an unseeded call is an error."""

    def train_test_split(*arrays, random_state, **options):
        return split(*arrays, random_state=random_state + offset, **options)

    return train_test_split


def run(offset: int) -> tuple[list[tuple], dict]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat
    import sklearn.model_selection
    import torch

    import helpers
    from helpers.device import set_seed

    torch.set_num_threads(1)
    helpers.set_seed = lambda seed=42: set_seed(seed + offset)
    # The splits too: the lesson's split (random_state=42) and each spread's own split (random_state=seed).
    split = sklearn.model_selection.train_test_split
    sklearn.model_selection.train_test_split = shifted_split(split, offset)
    claims = []

    def _claim(held, cell, line, source):
        claims.append((bool(held), cell, line, source))

    namespace = {"_claim": _claim, "__name__": "__main__"}
    plt.show = lambda *args, **kwargs: plt.close("all")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    import contextlib
    import io

    try:
        for index, cell in enumerate(cells):
            tree = ast.fix_missing_locations(SoftAsserts(index).visit(ast.parse(cell.source)))
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(tree, f"<cell {index}>", "exec"), namespace)
            plt.close("all")
    finally:
        sklearn.model_selection.train_test_split = split
        helpers.set_seed = set_seed
    return claims, namespace


def main(argv: list[str]) -> int:
    offsets = [int(a) for a in argv] or [1, 2, 3, 4, 5, 6]
    failed = 0
    for offset in offsets:
        claims, namespace = run(offset)
        numbers = {name: namespace.get(name) for name in REPORTED}
        bad = [c for c in claims if not c[0]]
        failed += bool(bad)
        shown = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in numbers.items())
        print(
            f"seeds shifted by {offset:3d} (42 -> {42 + offset}): {len(claims) - len(bad)}/{len(claims)} claims held | {shown}"
        )
        for _, cell, line, source in bad:
            print(f"    FAILED code cell {cell}, line {line}: {source}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
