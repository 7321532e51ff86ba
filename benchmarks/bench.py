"""Measure the course: notebook execution times, the test suite, and plot_decision_boundary.

    make bench                      # runs this with --write benchmarks/README.md
    python benchmarks/bench.py --repeats 3 --skip-suite

For every lesson and solution notebook: the median wall time of several executions, each in a
fresh kernel (start included), the same for its *floor* (a notebook holding only its setup
cell: the same imports and nothing else), and the difference, which is what the lesson itself
costs. Then the whole test suite as `make test` runs it (warm .venv, two workers), with the
browser tests and without them; each exercise check's latency, and the grader
against a plain execution of the solution notebook; and plot_decision_boundary at grid
resolutions 100 and 500. Prints a markdown table; --write also stores it with the date and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `python benchmarks/bench.py` from the course folder: tools/ too

from tools.outputs_platform import cpu_name  # noqa: E402  (one home for reading the CPU's name)

NOTEBOOK_GOAL_S = 1.5
# make test with the browser tests, and without them (the issue "Proven where learners are"):
# name -> (extra pytest options, goal in seconds).
SUITE_RUNS = {"with the browser tests": ([], 120.0), "without the browser tests": (["--ignore=tests/browser"], 60.0)}
BOUNDARY_GOAL_S = 0.5
PARALLEL_ARGS = ["-n", "2", "--dist", "loadscope"]


def execute(nb, folder: Path) -> float:
    """Wall time of one execution of ``nb`` in a fresh kernel, kernel start included.

    The kernel is stopped at once afterwards (as nbval stops its kernels): a graceful shutdown
    of a Python process holding torch takes another 1.5 to 2.5 s here, which is not the notebook's.
    """
    from helpers.check.runner import run_cells

    start = time.perf_counter()
    run_cells(nb, cwd=folder, stop_on_error=True)
    return time.perf_counter() - start


# The exercise checks: each check cell's latency as a learner sees it (kernel round trip included),
# and the grader against a plain execution of the same notebook.
CHECK_GOAL_S = 0.5
CHECK_ON_FRESH_DATA_GOAL_S = 2.0  # the checks that evaluate a trained model on fresh samples too
ON_FRESH_DATA = ("4c", "7d")
GRADER_GOAL_RATIO = 1.3


def time_checks(repeats: int) -> dict[str, float]:
    """Median seconds of each check cell of the solution notebook, over fresh-kernel executions."""
    import nbformat

    from helpers.check.protocol import CHECK_CALL, SOLUTION
    from helpers.check.runner import run_cells

    path = ROOT / SOLUTION
    times: dict[str, list[float]] = {}
    for _ in range(repeats):
        nb = nbformat.read(path, as_version=4)
        checks = {
            index: CHECK_CALL.search(cell.source) for index, cell in enumerate(nb.cells) if cell.cell_type == "code"
        }
        for outcome in run_cells(nb, cwd=path.parent, stop_on_error=True):
            if checks.get(outcome.index):
                times.setdefault(checks[outcome.index].group(1), []).append(outcome.seconds)
    return {check_id: statistics.median(values) for check_id, values in times.items()}


def time_grader(repeats: int) -> tuple[float, float]:
    """Median wall times of grading the solution notebook and of executing it plainly, alternated."""
    import contextlib
    import io

    import nbformat

    from helpers.check.grader import grade_file
    from helpers.check.protocol import SOLUTION

    path = ROOT / SOLUTION
    graded, plain = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            grade_file(path)
        graded.append(time.perf_counter() - start)
        plain.append(execute(nbformat.read(path, as_version=4), path.parent))
    return statistics.median(graded), statistics.median(plain)


# torch.optim imports torch._dynamo the first time an optimizer is created (about 1.5 s on a
# 2-core machine): an import like the others, so the floor includes it.
LAZY_IMPORTS = "import torch._dynamo  # what torch.optim imports on first use"


def floor_of(nb):
    """The same notebook reduced to its imports: its setup cell, plus torch.optim's lazy import."""
    import nbformat

    floor = nbformat.v4.new_notebook(metadata=nb.metadata)
    floor.cells = [next(c for c in nb.cells if c.cell_type == "code"), nbformat.v4.new_code_cell(LAZY_IMPORTS)]
    return floor


def time_notebooks(repeats: int) -> list[dict]:
    import nbformat

    rows = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        runs, floors = [], []
        for _ in range(repeats):  # alternate, so drift on a noisy machine hits both alike
            floors.append(execute(floor_of(nb), path.parent))
            runs.append(execute(nbformat.read(path, as_version=4), path.parent))
        # The lesson's cost: the median of paired differences (each run minus the floor run
        # just before it), steadier than the difference of two medians on a noisy machine.
        costs = [run - floor for run, floor in zip(runs, floors)]
        row = {
            "notebook": path.relative_to(ROOT).as_posix(),
            "median": statistics.median(runs),
            "floor": statistics.median(floors),
            "cost": statistics.median(costs),
            "cost_range": (min(costs), max(costs)),
        }
        rows.append(row)
        print(f"  {row['notebook']}: {row['median']:.2f} s, floor {row['floor']:.2f} s", file=sys.stderr, flush=True)
    return rows


def time_suite(extra: list[str]) -> tuple[float, str]:
    """Wall time of the test suite as `make test` runs it, with extra pytest options."""
    command = [sys.executable, "-m", "pytest", "-q", *extra]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "(no output)"
    if done.returncode != 0:
        summary = f"FAILED (exit {done.returncode}): {summary}"
    return elapsed, summary.strip("= ")


def time_boundary(resolution: int, repeats: int = 5) -> float:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import torch
    from torch import nn

    from helpers import plot_decision_boundary, set_seed

    set_seed(42)
    X = torch.rand(1000, 2) * 2 - 1
    y = (X.norm(dim=1) < 0.7).float()
    model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        plot_decision_boundary(model, X, y, grid_resolution=resolution)
        plt.gcf().canvas.draw()  # include rendering, as a notebook shows the figure
        times.append(time.perf_counter() - start)
        plt.close("all")
    return statistics.median(times)


LIVE_OVERHEAD_GOAL = 0.20
LIVE_FRAMES_GOAL = 3  # a loop of about a second shows the boundary bending (tests/test_live.py)
FRAME_GOAL_S = 0.1
PAUSE_GOAL_S = 0.2


def lesson_03_loop(live=None, epochs=1000, every=50):
    """Lesson 03's V2 run (2->10->10->1 ReLU, BCEWithLogitsLoss, SGD lr 0.1, a test pass and
    accuracies every epoch), updating ``live`` every ``every`` epochs; its wall time."""
    import torch
    from torch import nn

    from helpers import accuracy_fn, set_seed
    from helpers.playground.run import make_data

    X_train, X_test, y_train, y_test = make_data("data=circles noise=0.03 train=0.8")
    set_seed(42)
    model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 1))
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    start = time.perf_counter()
    if live is not None:
        live = live(X_train, y_train, X_test, y_test)
    for epoch in range(epochs):
        model.train()
        logits = model(X_train).squeeze(1)
        loss = loss_fn(logits, y_train)
        acc = accuracy_fn(y_train, torch.round(torch.sigmoid(logits)))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            test_logits = model(X_test).squeeze(1)
            test_loss = loss_fn(test_logits, y_test)
            test_acc = accuracy_fn(y_test, torch.round(torch.sigmoid(test_logits)))
        if live is not None and (epoch % every == 0 or epoch == epochs - 1):
            live.update(model, epoch, train_loss=loss, test_loss=test_loss, train_acc=acc, test_acc=test_acc)
    if live is not None:
        live.finish()
    return time.perf_counter() - start, live


def time_live_view(repeats: int = 5) -> dict:
    """The live view's cost inside lesson 03's loop: runs with and without it, alternated."""
    import matplotlib

    matplotlib.use("Agg")
    from helpers.live import LiveView

    make = lambda *data: LiveView(*data, title="V2", epochs=1000, final_only=False)  # noqa: E731
    lesson_03_loop(make)  # warm up: imports, fonts, torch's first calls
    plain, viewed, inside, first, frames = [], [], [], [], []
    for _ in range(repeats):
        plain.append(lesson_03_loop()[0])
        seconds, view = lesson_03_loop(make)
        viewed.append(seconds)
        inside.append(view.seconds)
        first.append(view.first_frame_seconds)
        frames.append(view.frames_drawn)
    # Two measures: the difference of wall times (noisy on a shared machine) and the time spent
    # inside the view's own calls (LiveView.seconds), each over the loop alone.
    return {
        "plain": statistics.median(plain),
        "viewed": statistics.median(viewed),
        "overhead": statistics.median(v / p - 1 for p, v in zip(plain, viewed)),
        "inside": statistics.median(inside),
        "inside_share": statistics.median(i / p for p, i in zip(plain, inside)),
        "first": statistics.median(first),
        # The rule's own measure (helpers.live.frame_due): the cost after the first frame.
        "after_first_share": statistics.median((i - f) / p for p, i, f in zip(plain, inside, first)),
        "frames": statistics.median(frames),
    }


def time_playground(seconds: float = 6.0, pauses: int = 5) -> dict:
    """The playground at its defaults (2-8-8-1 ReLU, 800 training points, a 100x100 grid),
    playing headless: frame times (epochs + redraw + new widget values), epochs per frame, and
    how long pause() takes to stop it."""
    import matplotlib

    matplotlib.use("Agg")
    from helpers.playground import Playground

    playground = Playground()
    playground.step()  # warm up
    playground.frame_times.clear()
    playground.frame_epochs.clear()
    playground.play()
    time.sleep(seconds)
    latencies = [playground.pause()]
    frames = sorted(playground.frame_times)
    epochs = statistics.median(playground.frame_epochs)
    for _ in range(pauses - 1):
        playground.play()
        time.sleep(1.0)
        latencies.append(playground.pause())
    p95 = frames[min(len(frames) - 1, int(round(0.95 * (len(frames) - 1))))]
    return {
        "frames": len(frames),
        "median": statistics.median(frames),
        "p95": p95,
        "epochs": epochs,
        "pause_median": statistics.median(latencies),
        "pause_max": max(latencies),
    }


def device_name() -> str:
    import torch

    if torch.cuda.is_available():
        return f"CUDA GPU: {torch.cuda.get_device_name(0)}"
    return "CPU only"


def report_playground(playground, live, mark) -> str:
    """The playground's and the live view's tables (markdown)."""
    lines = []
    if playground:
        fps = 1.0 / playground["median"]
        lines += [
            f"## Playground (defaults: 2→8→8→1 ReLU, 800 training points, 100×100 region grid; {playground['frames']} frames, headless)",
            "",
            "A frame is some training epochs, the redraw (regions, data, curves, unit maps) and the widgets' new values.",
            "",
            "| measure | value | goal |",
            "|---|---:|:---:|",
            f"| frame time, median (s) | {playground['median']:.3f} ({fps:.0f} frames/s) | {mark(playground['median'] <= FRAME_GOAL_S)} at least {1 / FRAME_GOAL_S:.0f} frames/s |",
            f"| frame time, 95th percentile (s) | {playground['p95']:.3f} | (reported) |",
            f"| epochs per frame, median | {playground['epochs']:.0f} | |",
            f"| pause takes effect after (s), median / worst of 5 | {playground['pause_median']:.3f} / {playground['pause_max']:.3f} | {mark(playground['pause_max'] <= PAUSE_GOAL_S)} within {PAUSE_GOAL_S} s |",
        ]
    if live:
        lines += [
            "",
            "## Live view in lesson 03's loop (1000 epochs, `update` every 50; median of the runs)",
            "",
            "The overhead is measured two ways: the difference of the wall times (noisy on a shared machine), and the time spent inside the view's own calls (`LiveView.seconds`: making it, every `update`, `finish`).",
            "",
            "The first frame is drawn at once, whatever it costs (the learner sees the picture as the loop starts); the goal is on what the view costs after it, and on the frames a learner sees.",
            "",
            "| loop alone (s) | loop with the live view (s) | overhead, wall times | time inside the view (s) | its share | of it, up to the first frame (s) | share after the first frame | frames drawn | goal |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|:---:|",
            f"| {live['plain']:.2f} | {live['viewed']:.2f} | {live['overhead']:.0%} | {live['inside']:.3f} | {live['inside_share']:.0%} | {live['first']:.3f} | {live['after_first_share']:.0%} | {live['frames']:.0f} | "
            f"{mark(live['after_first_share'] <= LIVE_OVERHEAD_GOAL and live['frames'] >= LIVE_FRAMES_GOAL)} at most {LIVE_OVERHEAD_GOAL:.0%} after the first frame, at least {LIVE_FRAMES_GOAL} frames |",
        ]
    return "\n".join(lines) + "\n"


def report(notebooks, suite, boundary, repeats, command, checks=None, *, live=None, playground=None) -> str:
    mark = lambda ok: "✅" if ok else "❌"  # noqa: E731
    lines = [
        f"# Benchmarks ({device_name()})",
        "",
        f"Measured on {date.today().isoformat()} on {os.cpu_count()} cores ({cpu_name()}), "
        f"Python {platform.python_version()}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}.",
        f"Command: `{command}`.",
        "",
        f"## Notebooks (median of {repeats} fresh-kernel executions, kernel start included)",
        "",
        f"The floor is the notebook's setup cell alone (the same imports and nothing else) plus `import torch._dynamo`, which torch.optim imports the first time an optimizer is created. Goal: the lesson costs at most {NOTEBOOK_GOAL_S} s beyond it.",
        "",
        "The lesson's own cost is the median, over the runs, of each run's time minus that of the floor run just before it; the range shows how much it varied.",
        "",
        "| notebook | wall time (s) | floor (s) | lesson's own cost (s) | its range (s) | goal |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for row in notebooks:
        low, high = row["cost_range"]
        lines.append(
            f"| `{row['notebook']}` | {row['median']:.2f} | {row['floor']:.2f} | {row['cost']:.2f} | "
            f"{low:.2f}–{high:.2f} | {mark(row['cost'] <= NOTEBOOK_GOAL_S)} |"
        )
    if suite:
        lines += [
            "",
            f"## Test suite (`make test`: warm .venv, `{' '.join(PARALLEL_ARGS)}`)",
            "",
            "| run | wall time (s) | result | goal |",
            "|---|---:|---|:---:|",
        ]
        for name, (seconds, summary) in suite.items():
            goal = SUITE_RUNS[name][1]
            lines.append(f"| {name} | {seconds:.1f} | {summary} | {mark(seconds < goal)} under {goal:.0f} s |")
    if checks:
        check_times, (graded, plain) = checks
        lines += [
            "",
            f"## Exercise checks (the solution notebook; median of {repeats} fresh-kernel executions)",
            "",
            f"Each check cell's latency as the learner sees it, kernel round trip included. Goal: {CHECK_GOAL_S} s, "
            f"{CHECK_ON_FRESH_DATA_GOAL_S} s for the checks that also evaluate the trained model on fresh samples "
            f"({', '.join(ON_FRESH_DATA)}).",
            "",
            "| check | latency (s) | goal |",
            "|---|---:|:---:|",
        ]
        for check_id, seconds in check_times.items():
            goal = CHECK_ON_FRESH_DATA_GOAL_S if check_id in ON_FRESH_DATA else CHECK_GOAL_S
            lines.append(f"| {check_id} | {seconds:.3f} | {mark(seconds <= goal)} ≤ {goal} s |")
        lines += [
            "",
            "| run of the solution notebook | wall time (s) | goal |",
            "|---|---:|:---:|",
            f"| plain execution | {plain:.2f} | |",
            f"| `python -m helpers.check` (grader) | {graded:.2f} | {mark(graded <= GRADER_GOAL_RATIO * plain)} "
            f"≤ {GRADER_GOAL_RATIO}× plain ({graded / plain:.2f}×) |",
        ]
    lines += [
        "",
        "## plot_decision_boundary (2→10→10→1 ReLU model, 1000 points, drawing included; median of 5)",
        "",
        "| grid resolution | points evaluated | time (s) | goal |",
        "|---:|---:|---:|:---:|",
    ]
    for resolution, seconds in boundary:
        goal = mark(seconds < BOUNDARY_GOAL_S) + f" under {BOUNDARY_GOAL_S} s" if resolution == 500 else ""
        lines.append(f"| {resolution} | {resolution * resolution:,} | {seconds:.3f} | {goal} |")
    if playground or live:
        lines += ["", report_playground(playground, live, mark).rstrip("\n")]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeats", type=int, default=5, help="executions per notebook (default 5; about 10 minutes in all on 2 cores)"
    )
    parser.add_argument("--skip-suite", action="store_true", help="do not time the test suite")
    parser.add_argument("--write", type=Path, help="also write the table to this markdown file")
    parser.add_argument(
        "--only-playground",
        action="store_true",
        help="time only the playground and the live view, and print their tables",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    command = "make bench" if args.write else "python benchmarks/bench.py " + " ".join(argv or sys.argv[1:])

    if args.only_playground:
        playground, live = time_playground(), time_live_view()
        print(report_playground(playground, live, mark=lambda ok: "✅" if ok else "❌"))
        return 0
    print("Timing notebooks...", file=sys.stderr, flush=True)
    notebooks = time_notebooks(args.repeats)
    suite = None
    if not args.skip_suite:
        print("Timing the test suite, with and without the browser tests...", file=sys.stderr, flush=True)
        suite = {name: time_suite(PARALLEL_ARGS + extra) for name, (extra, _) in SUITE_RUNS.items()}
    print("Timing the exercise checks and the grader...", file=sys.stderr, flush=True)
    checks = (time_checks(args.repeats), time_grader(args.repeats))
    print("Timing plot_decision_boundary...", file=sys.stderr, flush=True)
    boundary = [(resolution, time_boundary(resolution)) for resolution in (100, 500)]

    print("Timing the playground and the live view...", file=sys.stderr, flush=True)
    playground = time_playground()
    live = time_live_view()

    print("Timing the training doctor...", file=sys.stderr, flush=True)
    sys.path.insert(0, str(Path(__file__).parent))
    import doctor_bench  # beside this script; imported here, as it imports torch and the doctor

    table = report(notebooks, suite, boundary, args.repeats, command, checks, live=live, playground=playground)
    table += "\n" + doctor_bench.table(args.repeats)
    print(table)
    if args.write:
        # Keep the hand-written "## Notes" section (analysis of the figures) across runs.
        old = args.write.read_text() if args.write.exists() else ""
        notes = old[old.index("\n## Notes") :] if "\n## Notes" in old else ""
        args.write.write_text(table + notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
