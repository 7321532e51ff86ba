"""How far the notebooks' printed numbers move under other machines' rounding.

Executes every lesson and solution notebook once per knob set (each a way this machine can
round like another: torch's vector kernels, MKL's and oneDNN's instruction limits, the thread
count) and compares every output with the stored one by the course's rule (helpers/compare.py),
counting how far each moved number went in units of its last printed digit. This measurement
set `LAST_DIGITS` and the fields of the platform record; benchmarks/README.md keeps its result.

    .venv/bin/python tools/rounding_spread.py            # all knob sets (about 10 minutes on 2 cores)
    .venv/bin/python tools/rounding_spread.py --only avx2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers import compare  # noqa: E402

KNOBS = {
    "none": {},
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2"},
    "default": {"ATEN_CPU_CAPABILITY": "default"},
    "onednn-avx2": {"ONEDNN_MAX_CPU_ISA": "AVX2"},
    "mkl-avx2": {"MKL_ENABLE_INSTRUCTIONS": "AVX2"},
    "mkl-cbwr": {"MKL_CBWR": "COMPATIBLE"},
    "threads-2": {"OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2"},
}


def execute(notebook: Path, out: Path, knobs: dict[str, str]) -> Path:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", COURSE_DEVICE="cpu", COURSE_LIVE_VIEW="final")
    env.update(knobs)
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(out)]
    command += ["--ExecutePreprocessor.kernel_name=python3", "--ExecutePreprocessor.timeout=600", str(notebook)]
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=notebook.parent)
    return out / notebook.name


def moves(run: dict, stored: dict) -> list[tuple[int, bool, float | None]]:
    """(code cell, tagged?, largest move in last-digit units or None for a change of text or integer)."""
    found = []
    for index, (new, old) in enumerate(zip(compare.code_cells(run), compare.code_cells(stored)), start=1):
        tagged = compare.TRAINING_LOG_TAG in old.get("metadata", {}).get("tags", [])
        fresh, kept = compare.output_texts(new.get("outputs", [])), compare.output_texts(old.get("outputs", []))
        if fresh == kept:
            continue
        if [field for field, _ in fresh] != [field for field, _ in kept]:
            found.append((index, tagged, None))
            continue
        each = [compare.largest_move(a, b) for (_, a), (_, b) in zip(kept, fresh)]
        found.append((index, tagged, None if None in each else max(each)))
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(KNOBS), action="append")
    args = parser.parse_args(argv)
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
    print(
        "| knobs | cells changed: not training logs | largest move there | training logs changed | their largest move |"
    )
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only or KNOBS:
            summary = defaultdict(list)
            for notebook in notebooks:
                out = Path(tmp) / name / notebook.parent.name
                run = json.loads(execute(notebook, out, KNOBS[name]).read_text())
                for _, tagged, largest in moves(run, json.loads(notebook.read_text())):
                    summary[tagged].append(largest)

            def largest(values):
                if not values:
                    return "-"
                if None in values:
                    return "a word, an integer or a line"
                return f"{max(values):g} units"

            knobs = " ".join(f"{k}={v}" for k, v in KNOBS[name].items()) or "(none)"
            print(
                f"| {knobs} | {len(summary[False])} | {largest(summary[False])} | {len(summary[True])} | {largest(summary[True])} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
