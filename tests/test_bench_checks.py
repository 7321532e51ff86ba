"""benchmarks/bench.py's exercise-check section: how it judges the goals (timings come from `make bench`)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def table(check_times, graded, plain):
    return bench.report(
        [], None, [], repeats=3, command="make bench", checks=(check_times, (graded, plain))
    ).splitlines()


def row(lines, start):
    return next(line for line in lines if line.startswith(start))


def test_check_latency_goals_depend_on_whether_the_check_uses_fresh_data():
    lines = table({"3": 0.6, "4c": 1.5, "7d": 2.5, "6": 0.1}, 10.0, 9.0)
    assert row(lines, "| 3 |").endswith("❌ ≤ 0.5 s |") and row(lines, "| 6 |").endswith("✅ ≤ 0.5 s |")
    assert row(lines, "| 4c |").endswith("✅ ≤ 2.0 s |") and row(lines, "| 7d |").endswith("❌ ≤ 2.0 s |")


def test_the_grader_is_judged_against_a_plain_execution():
    assert "✅ ≤ 1.3× plain (1.11×)" in row(table({}, 10.0, 9.0), "| `python -m helpers.check`")
    assert "❌ ≤ 1.3× plain (1.50×)" in row(table({}, 15.0, 10.0), "| `python -m helpers.check`")
