"""The conda environment and the pip requirements must describe the same, pinned environment."""
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


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
    conda_pip = [req for req in pip_section[0]["pip"] if req != "-e ."]
    assert sorted(conda_pip) == sorted(pip_requirements())
    assert "-e ." in pip_section[0]["pip"], "environment.yml must install the helpers package"


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
        capture_output=True, text=True, check=True,
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
