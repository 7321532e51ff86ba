"""The conda environment and the pip requirements must describe the same, pinned environment."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EDITABLE = "-e .[grader]"


def pip_requirements():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def conda_environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_every_requirement_is_pinned_exactly():
    for requirement in pip_requirements():
        name, _, version = requirement.partition("==")
        assert name and version and version[0].isdigit(), f"not pinned with ==: {requirement!r}"


def test_torch_is_pinned_with_everything_else():
    assert "torch==2.13.0" in pip_requirements()


def test_environment_yml_pins_the_same_packages():
    env = conda_environment()
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert len(pip_section) == 1, "environment.yml needs exactly one pip: section"
    conda_pip = [req for req in pip_section[0]["pip"] if req != EDITABLE]
    assert sorted(conda_pip) == sorted(pip_requirements())
    assert EDITABLE in pip_section[0]["pip"], "environment.yml must install the helpers package and its grader extra"


def test_environment_yml_uses_conda_forge_and_python_311():
    env = conda_environment()
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"] and "pip" in env["dependencies"]


def test_installed_versions_are_the_pinned_ones():
    from importlib.metadata import version

    for requirement in pip_requirements():
        name, _, pinned = requirement.partition("==")
        installed = version(name).split("+")[0]  # torch reports "2.13.0+cpu"
        assert installed == pinned, f"{name}: installed {installed}, pinned {pinned}"


def test_processes_started_by_the_tests_use_one_torch_thread():
    """Notebook kernels and checker runs inherit the tests' environment; conftest.py makes
    it one intra-op thread, or parallel workers oversubscribe a small machine's cores."""
    import subprocess
    import sys

    child = subprocess.run(
        [sys.executable, "-c", "import torch; print(torch.get_num_threads())"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == "1", f"a child torch process runs {child.stdout.strip()} threads"


def test_reading_a_notebook_does_not_build_a_uri_parser():
    """`import nbformat` (the exercise checker, nbval, JupyterLab) stays fast: the jsonschema pin
    keeps out rfc3987-syntax, whose grammar took 2 s to build at every import."""
    import subprocess
    import sys

    code = "import sys, nbformat; print(sorted({'rfc3987_syntax', 'lark'} & set(sys.modules)))"
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert child.stdout.strip() == "[]", f"import nbformat loaded {child.stdout.strip()}"


# ------------------------------------------------------------------ what the package declares

IMPORT_NAMES = {
    "scikit-learn": "sklearn",
    "PyYAML": "yaml",
    "ipython": "IPython",
    "pillow": "PIL",
    "pytest-xdist": "xdist",
}


def project():
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def requirement_name(requirement: str) -> str:
    import re

    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]


def top_level_imports(sources) -> set[str]:
    import re

    found = set()
    for source in sources:
        found |= set(re.findall(r"^\s*(?:import|from)\s+(\w+)", source, flags=re.MULTILINE))
    return found


def third_party(modules: set[str]) -> set[str]:
    import sys

    local = {"helpers", "tools", "__future__"} | {p.stem for p in (ROOT / "tests").rglob("*.py")}
    return {m for m in modules if m not in sys.stdlib_module_names and m not in local}


# The command-line grader and the torch-free kernel runner it uses: the "grader" extra.
GRADER_MODULES = ("check/grader.py", "check/runner.py")


def lesson_and_helper_sources():
    import nbformat

    for folder in ("notebooks", "exercises", "solutions"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            yield from (c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    for module in sorted((ROOT / "helpers").rglob("*.py")):
        if module.relative_to(ROOT / "helpers").as_posix() not in GRADER_MODULES:  # the grader: its own extra
            yield module.read_text()


def test_core_dependencies_are_exactly_what_the_lessons_and_helpers_import():
    """On Colab only the core dependencies are installed next to Colab's own packages: nothing
    more (nothing to upgrade there), nothing less (an import error in a lesson)."""
    declared = {IMPORT_NAMES.get(n, n) for n in map(requirement_name, project()["dependencies"])}
    imported = third_party(top_level_imports(lesson_and_helper_sources()))
    assert imported <= declared, f"imported but not a dependency in pyproject.toml: {sorted(imported - declared)}"
    assert declared <= imported, f"a dependency nothing imports: {sorted(declared - imported)}"


def test_the_grader_extra_is_what_the_grader_imports():
    grader = {requirement_name(r) for r in project()["optional-dependencies"]["grader"]}
    imported = third_party(top_level_imports([(ROOT / "helpers" / m).read_text() for m in GRADER_MODULES]))
    # The grader runs the notebook in a kernel: ipykernel is what it starts, not what it imports.
    # google.colab exists only on Colab (where the grader asks it for the notebook), and IPython
    # is a core dependency (the live view displays through it).
    assert (imported - {"google", "IPython"}) | {"ipykernel"} == grader


def test_what_the_tests_import_is_pinned():
    sources = [
        p.read_text() for p in [*(ROOT / "tests").rglob("*.py"), ROOT / "conftest.py", *(ROOT / "tools").glob("*.py")]
    ]
    imported = third_party(top_level_imports(sources))
    pinned = {IMPORT_NAMES.get(n, n) for n in (r.partition("==")[0] for r in pip_requirements())}
    # nbval is a pytest plugin: the tests use it without importing it (conftest.py imports
    # pytest-xdist's scheduler).
    assert imported <= pinned, f"imported by the tests but not pinned: {sorted(imported - pinned)}"
