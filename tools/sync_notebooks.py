"""Write the course's canonical setup cell and notebook metadata into every notebook.

Every notebook (notebooks/, exercises/, solutions/) starts its first code cell with the same
setup: on Colab it installs the course package at this course version, adding only what Colab
lacks, and prints one line; elsewhere it does nothing. After it come the notebook's own imports,
which this script keeps. The notebook metadata is what the course kernel writes when JupyterLab
opens the notebook, so that a lesson opened and only read is not "modified".

    python tools/sync_notebooks.py           # rewrite what differs; list the notebooks changed
    python tools/sync_notebooks.py --check   # change nothing; exit 1 if a notebook differs

Run it with the course's Python (`.venv/bin/python`): language_info names its version.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("notebooks", "exercises", "solutions")
COLAB_BRANCH = 'if "google.colab" in sys.modules:'
# The display name `make venv` registers the course kernel under (tests check the Makefile).
KERNEL_DISPLAY_NAME = "Python 3 (PyTorch classification course)"

SETUP_HEAD = """\
# Setup. On Colab this installs the course's `helpers` package at this course version, adding
# only what Colab lacks (Colab's own packages are kept), and prints one line. Elsewhere
# `make lab` has installed everything already and this cell prints nothing.
import sys

COURSE_REPO = "{repo}"
COURSE_VERSION = "{version}"
if "google.colab" in sys.modules:
    import importlib
    import subprocess
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("{package}")
    except PackageNotFoundError:
        installed = None
    if installed != COURSE_VERSION:
        source = f"git+{{COURSE_REPO}}@v{{COURSE_VERSION}}"
        if subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", source]).returncode != 0:
            raise RuntimeError(
                "Could not install the course package. Check that this Colab runtime is connected, "
                f"then run this cell again, or run `!pip install {{source}}` yourself."
            )
        importlib.invalidate_caches()
    import torch

    import helpers

    print(f"course {{COURSE_VERSION}} | torch {{torch.__version__}} | device {{helpers.get_device()}}")"""


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def setup_head() -> str:
    """The canonical start of every setup cell, from the package metadata."""
    meta = project()
    return SETUP_HEAD.format(repo=meta["urls"]["Repository"], version=meta["version"], package=meta["name"])


def notebook_paths() -> list[Path]:
    return [path for folder in FOLDERS for path in sorted((ROOT / folder).glob("*.ipynb"))]


def own_part(source: str) -> str:
    """What follows the Colab branch in a setup cell: the notebook's own imports."""
    lines = source.splitlines()
    if COLAB_BRANCH not in lines:
        raise ValueError(f"the first code cell has no line {COLAB_BRANCH!r}")
    start = lines.index(COLAB_BRANCH)
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()), len(lines))
    return "\n".join(lines[end:]).strip("\n")


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
    own = own_part(setup.source)
    source = setup_head() + ("\n\n" + own if own else "")
    changed = setup.source != source
    setup.source = source
    for key, value in kernel_metadata().items():
        if nb.metadata.get(key) != value:
            nb.metadata[key] = value
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
