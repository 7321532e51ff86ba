"""Time helpers.doctor on one CPU thread: examine on each course model, watch's overhead on a lesson loop.

    python benchmarks/doctor_bench.py [--repeats 5]

Prints a Markdown table. Goals (issue 21): examine ≤ 2 s on each course model; watch adds ≤ 10% to
lesson 03's loop. Times are CPU times of this process (one thread; other work on a shared machine counts less than on a wall clock), the fastest of the repeats;
watch's overhead compares the fastest watched run with the fastest plain one,
alternating the two.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers.doctor import examine, watch  # noqa: E402
from tests.doctor import setups  # noqa: E402
from tests.doctor.loops import lesson_loop  # noqa: E402

EXAMINE_GOAL_S = 2.0
WATCH_GOAL = 0.10


def time_examine(repeats: int) -> dict[str, float]:
    times = {}
    for name in setups.HEALTHY:
        best = float("inf")
        for _ in range(repeats):
            s = setups.healthy(name)
            start = time.process_time()
            examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"], X_test=s["X_test"])
            best = min(best, time.process_time() - start)
        times[name] = best
    return times


def time_watch(repeats: int, epochs: int = 1000) -> tuple[float, float]:
    plain, watched = float("inf"), float("inf")
    for _ in range(repeats):
        for with_watch in (False, True):
            s = setups.healthy("03 circles ReLU 2-10-10-1, SGD 0.1")
            start = time.process_time()
            if with_watch:
                with watch(s["model"], s["loss_fn"], s["optimizer"]):
                    lesson_loop(s, epochs=epochs)
                watched = min(watched, time.process_time() - start)
            else:
                lesson_loop(s, epochs=epochs)
                plain = min(plain, time.process_time() - start)
    return plain, watched


def table(repeats: int) -> str:
    """The doctor's timings as Markdown (``make bench`` adds it to benchmarks/README.md)."""
    torch.set_num_threads(1)
    lines = [
        "## Training doctor (one CPU thread; CPU time, the fastest of the repeats)",
        "",
        "| setup | examine (s) | goal |",
        "|---|---|---|",
    ]
    for name, seconds in time_examine(repeats).items():
        lines.append(
            f"| {name} | {seconds:.3f} | {'✅' if seconds <= EXAMINE_GOAL_S else '❌'} ≤ {EXAMINE_GOAL_S:.0f} s |"
        )
    plain, watched = time_watch(repeats)
    overhead = watched / plain - 1
    lines += [
        "",
        "| lesson 03 loop, 1000 epochs | plain (s) | watched (s) | overhead | goal |",
        "|---|---|---|---|---|",
        f"| fastest of {repeats} | {plain:.3f} | {watched:.3f} | {overhead:+.1%} | "
        f"{'✅' if overhead <= WATCH_GOAL else '❌'} ≤ {WATCH_GOAL:.0%} |",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(table(args.repeats))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
