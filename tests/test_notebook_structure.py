"""Structure and hygiene of every notebook: Colab badges and setup cell, nothing downloaded or
installed at run time, clean stored outputs."""

import copy
import functools
import importlib.metadata
import io
import re
import subprocess
import sys
import tomllib
import types
from contextlib import redirect_stdout
from pathlib import Path

import nbformat
import pytest

from tools import sync_notebooks

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))
ALL = LESSONS + SOLUTIONS + EXERCISES
EXECUTED = LESSONS + SOLUTIONS
COLAB_BRANCH = sync_notebooks.COLAB_BRANCH


def ids(path):
    return f"{path.parent.name}/{path.name}"


@functools.cache
def read(path):
    """Each notebook is read (and validated) once per session; tests must not modify it."""
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def course_version():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def repository_url():
    """The one place the repository's address is written: the package metadata."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Repository"]


def without_colab_branch(source: str) -> str:
    """The cell's source with the indented block under the Colab test removed."""
    kept, skipping = [], False
    for line in source.splitlines():
        if line.strip() == COLAB_BRANCH:
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    return "\n".join(kept)


def test_there_are_notebooks():
    assert len(LESSONS) == 8 and SOLUTIONS and EXERCISES


# ------------------------------------------------------------------ Colab


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_colab_badge_points_at_this_notebook(path):
    owner_repo = repository_url().removeprefix("https://github.com/")
    relative = path.relative_to(ROOT).as_posix()
    expected = f"https://colab.research.google.com/github/{owner_repo}/blob/main/{relative}"
    first = read(path).cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), "the first cell is the title"
    badges = re.findall(r"\(https://colab\.research\.google\.com/github/[^)\s]+\)", first.source)
    assert badges == [f"({expected})"]


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_setup_cell_installs_from_the_repository_in_the_metadata(path):
    setup = code_cells(read(path))[0].source
    assert f'COURSE_REPO = "{repository_url()}"' in setup
    assert f'COURSE_VERSION = "{course_version()}"' in setup
    assert COLAB_BRANCH in setup and "import helpers" in setup


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_setup_cell_and_metadata_are_the_canonical_ones(path):
    """tools/sync_notebooks.py writes them; it would change nothing in a notebook in sync."""
    nb = copy.deepcopy(read(path))
    assert not sync_notebooks.sync(nb), f"run `python tools/sync_notebooks.py`: {ids(path)} differs"


def test_sync_rewrites_a_setup_cell_and_keeps_the_notebooks_own_imports():
    nb = copy.deepcopy(read(LESSONS[0]))
    setup = code_cells(nb)[0]
    old_branch = sync_notebooks.OLD_COLAB_BRANCH
    setup.source = f"# old setup\nimport sys\n\n{old_branch}\n    pass\n\nimport torch\nimport helpers"
    nb.metadata["kernelspec"]["display_name"] = "Python 3"
    assert sync_notebooks.sync(nb)
    expected = f"{sync_notebooks.setup_head()}\n\nimport torch\nimport helpers\n\n{sync_notebooks.SETUP_TAIL}"
    assert setup.source == expected
    assert nb.metadata["kernelspec"]["display_name"] == sync_notebooks.KERNEL_DISPLAY_NAME
    assert not sync_notebooks.sync(nb), "a second run changes nothing"


def test_sync_refuses_a_setup_cell_whose_own_imports_lack_what_the_colab_line_uses():
    nb = copy.deepcopy(read(LESSONS[0]))
    code_cells(nb)[0].source = f"import sys\n\n{COLAB_BRANCH}\n    pass\n\nimport torch"
    with pytest.raises(ValueError, match="must include `import helpers`"):
        sync_notebooks.sync(nb)


def test_sync_refuses_a_setup_cell_without_the_colab_branch():
    nb = copy.deepcopy(read(LESSONS[0]))
    code_cells(nb)[0].source = "import torch"
    with pytest.raises(ValueError, match="no line"):
        sync_notebooks.sync(nb)


def test_the_makefile_registers_the_kernel_the_notebooks_name():
    makefile = (ROOT / "Makefile").read_text()
    assert f'--display-name "{sync_notebooks.KERNEL_DISPLAY_NAME}"' in makefile


def run_setup_cell(source, on_colab, returncode=0, installed=None):
    """Execute a setup cell with Colab simulated (or not) and `installed` as the course package's
    installed version (None: not installed); return (pip commands run, stdout)."""
    commands = []

    def fake_run(command, *args, **kwargs):
        commands.append(command)
        return subprocess.CompletedProcess(command, returncode)

    def fake_version(name):
        assert name == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]
        if installed is None:
            raise importlib.metadata.PackageNotFoundError(name)
        return installed

    saved_run, saved_version = subprocess.run, importlib.metadata.version
    subprocess.run, importlib.metadata.version = fake_run, fake_version
    if on_colab:
        sys.modules["google.colab"] = types.ModuleType("google.colab")
    try:
        output = io.StringIO()
        with redirect_stdout(output):
            exec(compile(source, "<setup cell>", "exec"), {"__name__": "__main__"})
    finally:
        subprocess.run, importlib.metadata.version = saved_run, saved_version
        sys.modules.pop("google.colab", None)
    return commands, output.getvalue()


def one_line_summary():
    import torch

    import helpers
    from helpers.colab import setup_line

    return setup_line(course_version(), torch.__version__, helpers.get_device()) + "\n"


def test_setup_cell_on_colab_installs_from_the_main_branch_and_prints_one_line():
    """The repository publishes its branch main and no tags (tools/colab_install.py installs
    that branch as pip clones it)."""
    source = code_cells(read(LESSONS[0]))[0].source
    commands, printed = run_setup_cell(source, on_colab=True, installed=None)
    assert commands == [[sys.executable, "-m", "pip", "install", "--quiet", f"git+{repository_url()}@main"]]
    assert printed == one_line_summary()
    assert re.fullmatch(rf"course {re.escape(course_version())}( \(.+\))? \| torch \S+ \| device \w+\n", printed)


def test_setup_cell_on_colab_skips_the_install_when_the_course_is_installed():
    source = code_cells(read(LESSONS[0]))[0].source
    commands, printed = run_setup_cell(source, on_colab=True, installed=course_version())
    assert commands == [] and printed == one_line_summary()


def test_setup_cell_on_colab_says_what_to_do_when_install_fails():
    source = code_cells(read(LESSONS[0]))[0].source
    with pytest.raises(RuntimeError, match="Could not install the course package.*run this cell again"):
        run_setup_cell(source, on_colab=True, returncode=1)


def test_setup_cell_elsewhere_installs_nothing_and_prints_nothing():
    source = code_cells(read(LESSONS[0]))[0].source
    commands, printed = run_setup_cell(source, on_colab=False)
    assert commands == [] and printed == ""


def colab_part(source: str) -> str:
    """The setup cell from its start to the end of the indented Colab branch."""
    lines = source.splitlines()
    start = lines.index(COLAB_BRANCH)
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()), len(lines))
    return "\n".join(lines[:end])


def test_every_setup_cell_has_the_same_colab_branch():
    first = colab_part(code_cells(read(ALL[0]))[0].source)
    for path in ALL[1:]:
        assert colab_part(code_cells(read(path))[0].source) == first, f"{ids(path)} differs from {ids(ALL[0])}"


# ------------------------------------------------------------------ offline and safe

FORBIDDEN = [
    (re.compile(r"^\s*[!%]", re.MULTILINE), "a shell escape or magic (!cmd, %pip, %%bash...)"),
    (re.compile(r"\b(requests|urllib|httpx|http\.client|socket|ftplib|webbrowser)\b"), "a network library"),
    (re.compile(r"\b(wget|curl)\b"), "a download command"),
    (re.compile(r"\bsubprocess\b|\bos\.system\b|\bpip\b"), "running or installing programs"),
    (re.compile(r"torch\.hub|load_state_dict_from_url|download\s*="), "a download at run time"),
    (re.compile(r"https?://"), "an address"),
]


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_nothing_is_downloaded_or_installed_outside_the_colab_branch(path):
    for index, cell in enumerate(code_cells(read(path))):
        source = without_colab_branch(cell.source)
        if index == 0:  # the setup cell: its COURSE_REPO line and imports are fine
            source = "\n".join(
                line for line in source.splitlines() if not line.startswith(("COURSE_REPO =", "import sys"))
            )
        for pattern, what in FORBIDDEN:
            match = pattern.search(source)
            assert not match, f"{ids(path)} code cell {index}: {what}: {match.group(0)!r}"


def test_the_scan_would_catch_an_install():
    assert FORBIDDEN[0][0].search("x = 1\n%pip install torch")
    assert FORBIDDEN[0][0].search("!wget https://example.org/helper.py")
    assert FORBIDDEN[3][0].search("import subprocess")
    assert "subprocess" not in without_colab_branch(f"import sys\n{COLAB_BRANCH}\n    import subprocess\nimport torch")


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_models_are_loaded_with_weights_only(path):
    for cell in code_cells(read(path)):
        for call in re.findall(r"torch\.load\([^)]*\)", cell.source.replace("\n", " ")):
            assert "weights_only=True" in call, f"{ids(path)}: {call}"


def test_helpers_never_unpickle_anything():
    for module in (ROOT / "helpers").glob("*.py"):
        text = module.read_text()
        assert "pickle" not in text and "torch.load" not in text, module.name


# ------------------------------------------------------------------ hygiene


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_kernelspec_is_python3(path):
    assert read(path).metadata["kernelspec"]["name"] == "python3"


TRAINING_LOOP = re.compile(r"^\s*for \w+ in range\(\s*epochs\b", re.MULTILINE)
LOSS_LIKE = re.compile(r"\d\.\d{3,}")  # a number printed to 3 or more decimals


def printed_text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


@pytest.mark.parametrize("path", EXECUTED, ids=ids)
def test_every_cell_that_prints_a_training_log_is_tagged(path):
    """A training log's last digits depend on the CPU's kernels: the tag lets the suite compare
    it as text only on the platform the stored outputs were made on (see conftest.py). This
    catches a training loop in the cell that prints decimals; a log printed by a function
    defined elsewhere is caught by running the notebooks on torch's generic kernels
    (`ATEN_CPU_CAPABILITY=default`, as .ci/run does)."""
    for index, cell in enumerate(code_cells(read(path))):
        if TRAINING_LOOP.search(cell.source) and LOSS_LIKE.search(printed_text(cell)):
            tags = cell.metadata.get("tags", [])
            assert "device-dependent-output" in tags, f"{ids(path)} code cell {index} prints a training log, untagged"


def test_the_training_log_rule_sees_a_loop_and_a_loss():
    assert TRAINING_LOOP.search("x = 1\nfor epoch in range(epochs):\n    print(epoch)")
    assert LOSS_LIKE.search("Epoch 10 | loss 0.69312") and not LOSS_LIKE.search("Epoch 10 | acc 50.0%")


@pytest.mark.parametrize("path", EXECUTED, ids=ids)
def test_stored_outputs_come_from_one_clean_run(path):
    counts = [cell.execution_count for cell in code_cells(read(path))]
    assert counts == list(range(1, len(counts) + 1)), "run `make outputs` to refresh the stored outputs"


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_no_error_outputs(path):
    for cell in code_cells(read(path)):
        assert not any(output.output_type == "error" for output in cell.outputs), cell.source[:80]


PERSONAL = re.compile(r"(/root\b|/home/|/Users/|/work/|/tmp/|[A-Za-z]:\\\\)")


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_no_absolute_paths_or_user_names_in_outputs(path):
    for cell in code_cells(read(path)):
        for output in cell.outputs:
            texts = [output.get("text", "")] + [v for k, v in output.get("data", {}).items() if k.startswith("text/")]
            for text in texts:
                text = "".join(text) if isinstance(text, list) else text
                assert not PERSONAL.search(text), f"{ids(path)}: {PERSONAL.search(text).group(0)} in {text[:120]!r}"


@pytest.mark.parametrize("path", ALL, ids=ids)
def test_notebook_is_under_1_mb(path):
    assert path.stat().st_size < 1_000_000


@pytest.mark.parametrize("path", EXECUTED, ids=ids)
def test_every_figure_cell_ends_cleanly(path):
    """No '<matplotlib.lines.Line2D at 0x...>' reprs: they change on every run."""
    for cell in code_cells(read(path)):
        for output in cell.outputs:
            text = output.get("data", {}).get("text/plain", "")
            text = "".join(text) if isinstance(text, list) else text
            assert not re.search(r"<matplotlib\.(?!figure)", text), f"{ids(path)}: {text[:80]}"


def test_nbval_runs_in_full_mode_with_timeouts():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    assert "--nbval" in options and "--nbval-lax" not in options
    assert any(o.startswith("--nbval-cell-timeout=") for o in options)
    assert any(o.startswith("--nbval-kernel-startup-timeout=") for o in options)
    assert "--nbval-sanitize-with=tests/sanitize.cfg" in options


def test_every_sanitize_rule_says_why():
    text = (ROOT / "tests" / "sanitize.cfg").read_text()
    for section in re.split(r"^\[", text, flags=re.MULTILINE)[1:]:
        body = section.split("]", 1)[1]
        assert re.search(r"^#\s*\S", body, flags=re.MULTILINE), f"rule [{section.split(']')[0]}] has no comment"
