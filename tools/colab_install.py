"""Install the course into a Colab stand-in the way the notebooks' setup cell does, and prove
that Colab's own packages are left as they were.

Run with the stand-in's Python (`make colab-test` does): it runs a notebook's real setup cell
with Colab simulated (a `google.colab` module). The cell installs `git+REPO@main`; this machine
cannot reach REPO, so the address is swapped for this repository's own git directory, and pip
clones its branch `main` as published: what is committed, not the working tree, and no tag made
by hand. It compares `pip freeze` before and after: every package that was there keeps its
version, and the line printed names the commit installed. Then it runs the cell again, as a
learner re-running it would: no install, the same one line.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "01_binary_classification_circles.ipynb"
# What a previous run added; removed first so that every run installs from scratch.
ADDED_BEFORE = ["nn-classification-course", "torchmetrics", "lightning-utilities"]


def pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True, check=True)


def freeze() -> dict[str, str]:
    """{name: version} of every installed distribution (names normalised as pip does)."""
    lines = pip("list", "--format=freeze", "--disable-pip-version-check").stdout.splitlines()
    return {re.sub(r"[-_.]+", "-", n).lower(): v for n, _, v in (line.partition("==") for line in lines)}


def setup_cell() -> str:
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    return "".join(next(c for c in cells if c["cell_type"] == "code")["source"])


def run_setup_cell_as_on_colab() -> tuple[list[list[str]], str]:
    """Execute the setup cell here with Colab simulated; return (pip commands, what it printed)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    expected_source = f"git+{project['urls']['Repository']}@main"
    real_run, commands = subprocess.run, []

    def run(command, *args, **kwargs):
        if command[1:3] == ["-m", "pip"]:  # (matplotlib runs fc-list the first time)
            commands.append(list(command))
        if command[1:4] == ["-m", "pip", "install"]:
            assert command[-1] == expected_source, f"the setup cell installs {command[-1]!r}, not {expected_source!r}"
            command = [*command[:-1], f"git+{ROOT.as_uri()}@main"]  # the branch as published, cloned by pip
        return real_run(command, *args, **kwargs)

    sys.modules["google.colab"] = types.ModuleType("google.colab")
    subprocess.run = run
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(setup_cell(), f"<setup cell of {NOTEBOOK.name}>", "exec"), {"__name__": "__main__"})
    finally:
        subprocess.run = real_run
        del sys.modules["google.colab"]
    return commands, printed.getvalue()


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def main() -> int:
    if "--again" in sys.argv:  # the second run, in a fresh process: it must skip the install
        commands, printed = run_setup_cell_as_on_colab()
        assert commands == [], f"the setup cell installed again although this version is installed: {commands}"
        print(f"run again: no install; it printed {printed!r}")
        return 0

    present = set(freeze())
    if leftovers := [name for name in ADDED_BEFORE if name in present]:
        pip("uninstall", "--yes", *leftovers)
    before = freeze()
    assert "nn-classification-course" not in before and "torchmetrics" not in before

    commands, printed = run_setup_cell_as_on_colab()
    after = freeze()

    assert len(commands) == 1, f"expected one pip install, got {commands}"
    changed = {n: (v, after.get(n)) for n, v in before.items() if after.get(n) != v}
    assert not changed, f"the setup cell changed Colab's packages (before, after): {changed}"
    added = {n: v for n, v in after.items() if n not in before}
    assert {"nn-classification-course", "torchmetrics"} <= set(added), f"not installed: {added}"
    lines = printed.splitlines()
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "main"], capture_output=True, text=True).stdout[:7]
    expected = rf"course {re.escape(project_version())} \(main @ {commit}\) \| torch \S+ \| device cpu"
    assert len(lines) == 1 and re.fullmatch(expected, lines[0]), f"{printed!r} is not {expected!r}"
    print(
        f"Colab's {len(before)} packages unchanged; added: " + ", ".join(f"{n} {v}" for n, v in sorted(added.items()))
    )
    print(f"the setup cell printed: {lines[0]}")
    return subprocess.run([sys.executable, __file__, "--again"]).returncode


if __name__ == "__main__":
    sys.exit(main())
