"""benchmarks/bench.py, the playground's and the live view's tables: how they judge the issue's
goals (10 frames a second, pause within 0.2 s, the live view at most 20% of the loop after its
first frame, and at least 3 frames)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
MARK = lambda ok: "✅" if ok else "❌"  # noqa: E731


def playground(median, pause):
    return {
        "frames": 50,
        "median": median,
        "p95": median * 2,
        "epochs": 10,
        "pause_median": pause / 2,
        "pause_max": pause,
    }


def live(after_first, frames=4):
    """A loop of 1 s whose view cost 0.08 s up to its first frame and `after_first` after it."""
    inside = 0.08 + after_first
    return {
        "plain": 1.0,
        "viewed": 1.0 + inside,
        "overhead": inside,
        "inside": inside,
        "inside_share": inside,
        "first": 0.08,
        "after_first_share": after_first,
        "frames": frames,
    }


def row(table, start):
    return next(line for line in table.splitlines() if line.startswith(start))


def test_frame_rate_and_pause_goals():
    good = bench.report_playground(playground(0.08, 0.15), None, MARK)
    bad = bench.report_playground(playground(0.12, 0.25), None, MARK)
    assert "(12 frames/s) | ✅" in row(good, "| frame time, median") and "✅" in row(good, "| pause")
    assert "(8 frames/s) | ❌" in row(bad, "| frame time, median") and "❌" in row(bad, "| pause")


def test_live_view_goal_is_its_share_after_the_first_frame_and_the_frames_seen():
    goal = "at most 20% after the first frame, at least 3 frames |"
    assert row(bench.report_playground(None, live(0.15), MARK), "| 1.00").endswith(f"✅ {goal}")
    assert row(bench.report_playground(None, live(0.25), MARK), "| 1.00").endswith(f"❌ {goal}")
    assert row(bench.report_playground(None, live(0.15, frames=2), MARK), "| 1.00").endswith(f"❌ {goal}")


def test_the_full_report_includes_them():
    table = bench.report(
        [], None, [(100, 0.1)], repeats=1, command="make bench", live=live(0.1), playground=playground(0.05, 0.1)
    )
    assert "## Playground" in table and "## Live view" in table
