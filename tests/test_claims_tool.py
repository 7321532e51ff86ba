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
    assert "helpers.set_seed(42)" in text and "random_state=42" in text and "assert " in text


def test_the_splits_move_with_the_offset_and_must_be_seeded():
    import numpy as np
    import pytest
    from sklearn.model_selection import train_test_split

    tool = load_tool()
    data = np.arange(40)
    shifted = tool.shifted_split(train_test_split, 3)
    assert np.array_equal(
        shifted(data, test_size=0.25, random_state=4)[1], train_test_split(data, test_size=0.25, random_state=7)[1]
    )
    assert not np.array_equal(
        shifted(data, test_size=0.25, random_state=4)[1], train_test_split(data, test_size=0.25, random_state=4)[1]
    )
    with pytest.raises(TypeError):
        shifted(data, test_size=0.25)


def test_checks_are_evaluated_in_the_lesson_namespace_and_an_error_is_a_failed_check():
    tool = load_tool()
    tool.CHECKS = [("holds", "x == 1"), ("fails", "x == 2"), ("cannot be computed", "missing_name > 0")]
    held = tool.check_all({"x": 1})
    assert [h for h, _, _ in held] == [True, False, False]
    assert "could not be computed: NameError" in held[2][1]


def test_every_check_names_what_it_claims_and_compiles():
    tool = load_tool()
    assert len(tool.CHECKS) >= 40
    for description, expression in tool.CHECKS:
        assert description.strip()
        compile(expression, description, "eval")
