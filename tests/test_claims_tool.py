"""tools/claims_07_real_data.py: its asserts are recorded, not raised, so every claim is checked."""

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_tool():
    spec = importlib.util.spec_from_file_location("claims_07", ROOT / "tools" / "claims_07_real_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_asserts_become_recorded_claims_and_the_code_after_them_runs():
    tool = load_tool()
    source = "x = 1\nassert x == 2, 'x should be 2'\nassert x == 1\ny = x + 1"
    tree = ast.fix_missing_locations(tool.SoftAsserts(cell=3).visit(ast.parse(source)))
    claims = []
    namespace = {"_claim": lambda *args: claims.append(args)}
    exec(compile(tree, "<cell>", "exec"), namespace)
    assert claims == [(False, 3, 2, "x == 2"), (True, 3, 3, "x == 1")]
    assert namespace["y"] == 2


def test_the_tool_reads_the_lesson_it_names():
    tool = load_tool()
    assert tool.NOTEBOOK.exists()
    text = tool.NOTEBOOK.read_text()
    assert "helpers.set_seed(42)" in text and "assert " in text
