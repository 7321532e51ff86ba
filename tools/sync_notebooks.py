"""Write the course's canonical setup cell and notebook metadata into every notebook.

Every notebook (notebooks/, exercises/, solutions/) starts its first code cell with the same
setup: on Colab it installs the course package from the repository's main branch, adding only
what Colab lacks, and prints one line naming the version and commit; elsewhere it does nothing.
Between the Colab branch and the Colab line come the notebook's own imports, which this script
keeps. The notebook metadata is what the course kernel writes when JupyterLab
opens the notebook, so that a lesson opened and only read is not "modified".

    python tools/sync_notebooks.py           # rewrite what differs; list the notebooks changed
    python tools/sync_notebooks.py --check   # change nothing; exit 1 if a notebook differs

Run it with the course's Python (`.venv/bin/python`): language_info names its version.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "exercises", "solutions")
COLAB_BRANCH = "if ON_COLAB:"
# The branch's first line before the setup cell defined ON_COLAB; still understood, to rewrite old cells.
OLD_COLAB_BRANCH = 'if "google.colab" in sys.modules:'
# The display name `make venv` registers the course kernel under (tests check the Makefile).
KERNEL_DISPLAY_NAME = "Python 3 (PyTorch classification course)"

# Each name is defined once in the cell (marimo requires it: make marimo-test): the Colab branch
# only installs; the notebook's own imports follow; the Colab line is printed after them.
SETUP_HEAD = """\
# Setup. On Colab this installs the course's `helpers` package from the course repository's
# main branch, adding only what Colab lacks (Colab's own packages are kept), and prints which
# version it installed. Elsewhere `make lab` has installed everything and this cell prints nothing.
import sys

COURSE_REPO = "{repo}"
COURSE_VERSION = "{version}"  # the course version this notebook was written for
ON_COLAB = "google.colab" in sys.modules
if ON_COLAB:
    import importlib
    import subprocess
    from importlib.metadata import PackageNotFoundError, version

    try:
        version("{package}")
    except PackageNotFoundError:
        source = f"git+{{COURSE_REPO}}@main"
        if subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source]).returncode != 0:
            raise RuntimeError(
                "Could not install the course package. Check that this Colab runtime is connected, "
                f"then run this cell again, or run `!pip install {{source}}` yourself."
            ) from None
        importlib.invalidate_caches()"""

SETUP_TAIL = """\
if ON_COLAB:
    from helpers.colab import setup_line

    print(setup_line(COURSE_VERSION, torch.__version__, helpers.get_device()))
helpers.apply_course_style()  # the course's figures: white backgrounds, the Okabe-Ito colours"""


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def setup_head() -> str:
    """The canonical start of every setup cell, from the package metadata."""
    meta = project()
    return SETUP_HEAD.format(repo=meta["urls"]["Repository"], version=meta["version"], package=meta["name"])


def notebook_paths() -> list[Path]:
    return [path for folder in FOLDERS for path in sorted((ROOT / folder).glob("*.ipynb"))]


def own_part(source: str) -> str:
    """What follows the Colab branch in a setup cell, up to the Colab line: the notebook's own imports.

    Raises:
        ValueError: the cell has no Colab branch, or its own part does not import torch and helpers
            (the Colab line needs both).
    """
    lines = source.splitlines()
    branch = next((i for i, line in enumerate(lines) if line in (COLAB_BRANCH, OLD_COLAB_BRANCH)), None)
    if branch is None:
        raise ValueError(f"the first code cell has no line {COLAB_BRANCH!r}")
    start = next((i for i in range(branch + 1, len(lines)) if lines[i] and not lines[i][0].isspace()), len(lines))
    end = next((i for i in range(start, len(lines)) if lines[i] == COLAB_BRANCH), len(lines))
    own = "\n".join(lines[start:end]).strip("\n")
    for name in ("torch", "helpers"):
        if not re.search(rf"^import {name}$", own, re.MULTILINE):
            raise ValueError(f"the setup cell's own imports must include `import {name}` (the Colab line uses it)")
    return own


def kernel_metadata() -> dict:
    """kernelspec and language_info as the course kernel reports them to JupyterLab."""
    from ipykernel.ipkernel import IPythonKernel

    return {
        "kernelspec": {"display_name": KERNEL_DISPLAY_NAME, "language": "python", "name": "python3"},
        "language_info": dict(IPythonKernel.language_info),
    }


def sync(nb) -> bool:
    """Rewrite the notebook's setup cell and metadata in place; True if anything changed."""
    setup = next(cell for cell in nb.cells if cell.cell_type == "code")
    source = f"{setup_head()}\n\n{own_part(setup.source)}\n\n{SETUP_TAIL}"
    changed = setup.source != source
    setup.source = source
    for key, value in kernel_metadata().items():
        if nb.metadata.get(key) != value:
            nb.metadata[key] = value
            changed = True
    if "widgets" in nb.metadata:
        # Stored widget state shows controls that nothing answers until the cells run; the
        # playground stores a picture of itself instead (make outputs: COURSE_LIVE_VIEW=final).
        del nb.metadata["widgets"]
        changed = True
    return changed


def main(argv: list[str]) -> int:
    import nbformat

    if argv not in ([], ["--check"]):
        print(__doc__, file=sys.stderr)
        return 2
    check = argv == ["--check"]
    differing = []
    for path in notebook_paths():
        nb = nbformat.read(path, as_version=4)
        if sync(nb):
            differing.append(path.relative_to(ROOT).as_posix())
            if not check:
                nbformat.write(nb, path)
    verb = "differ from the canonical setup cell and metadata" if check else "rewritten"
    for name in differing:
        print(f"{name}: {verb}")
    if check and differing:
        print("run `python tools/sync_notebooks.py` (then `make outputs`)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
