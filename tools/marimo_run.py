"""Convert each lesson to a marimo app (`marimo convert`) and run it as a script.

Some learners and teachers work in marimo notebooks. marimo allows one definition of each name
in a notebook, which is why the setup cell defines each name once (tools/sync_notebooks.py).
marimo is not a course dependency: `make marimo-test` installs it with `pip --target` into
.marimo/site, and this script puts that folder at the END of sys.path, so that the course's
pinned packages win over the ones marimo brought along.

    python tools/marimo_run.py MARIMO_SITE NOTEBOOK...   # exit 1 if a lesson fails as a marimo app

The playground's ipywidgets do not render in marimo (it supports anywidget only): lesson 06 runs
as a script here, but its playground is not interactive in marimo (README).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / ".marimo"

RUN_APP = "import runpy, sys; sys.path.append(sys.argv[1]); sys.argv = sys.argv[2:]; runpy.run_path(sys.argv[0], run_name='__main__')"


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    site, notebooks = Path(argv[0]).resolve(), [Path(p).resolve() for p in argv[1:]]
    env = dict(os.environ, MPLBACKEND="Agg", COURSE_DEVICE=os.environ.get("COURSE_DEVICE", "cpu"))
    failed = []
    for notebook in notebooks:
        app = OUT / f"{notebook.stem}.py"
        # marimo's own command, with its packages first: only converting, no course code runs.
        convert = [sys.executable, "-m", "marimo", "convert", str(notebook), "-o", str(app)]
        subprocess.run(convert, check=True, capture_output=True, env=dict(env, PYTHONPATH=str(site)))
        start = time.perf_counter()
        run = subprocess.run(
            [sys.executable, "-c", RUN_APP, str(site), str(app)],
            capture_output=True,
            text=True,
            cwd=notebook.parent,
            env=env,
        )
        seconds = time.perf_counter() - start
        if run.returncode == 0:
            print(f"{notebook.name}: ran as a marimo app in {seconds:.1f} s")
        else:
            failed.append(notebook.name)
            print(f"{notebook.name}: FAILED as a marimo app (exit {run.returncode}); the end of its output:")
            print("\n".join("    " + line for line in (run.stdout + run.stderr).splitlines()[-15:]))
    print(f"marimo: {len(notebooks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    sys.exit(main(sys.argv[1:]))
