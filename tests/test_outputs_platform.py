"""Training logs' numbers are compared only on the platform the stored outputs were made on."""

import importlib.util
import json
import subprocess
import sys
import types

import nbformat
import pytest
from nbval.plugin import IPyNbCell, nocolors

from tools import outputs_platform

# The root conftest.py (tests/conftest.py is another module of the same name).
_spec = importlib.util.spec_from_file_location("course_conftest", outputs_platform.RECORD.parents[1] / "conftest.py")
course_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_conftest)

HERE = {
    "torch": "2.13.0+cpu",
    "cpu_capability": "AVX512",
    "machine": "x86_64",
    "cpu_vendor": "GenuineIntel",
    "cpu": "Some CPU",
    "blas": "mkl",
    "os": "Linux",
    "threads": "1",
    "knobs": "none",
}


def test_the_same_platform_compares_logs():
    assert outputs_platform.differences(HERE, dict(HERE)) == []


@pytest.mark.parametrize(
    ("key", "other"),
    [
        ("torch", "2.14.1"),
        ("cpu_capability", "DEFAULT"),
        ("machine", "arm64"),
        # An AMD EPYC with AVX-512 rounds a training log differently from an Intel Xeon with it.
        ("cpu_vendor", "AuthenticAMD"),
        ("cpu", "AMD EPYC"),
        ("blas", "openblas"),
        ("os", "Darwin"),
        ("threads", "2"),
        ("knobs", "ONEDNN_MAX_CPU_ISA=AVX2"),
    ],
)
def test_each_difference_that_changes_the_digits_is_named(key, other):
    assert outputs_platform.differences(HERE, dict(HERE, **{key: other})) == [
        f"{key} {HERE[key]!r} here, {other!r} stored"
    ]


def test_without_a_record_logs_are_not_compared():
    assert outputs_platform.differences(HERE, None) == ["no record in outputs_platform.json"]


def test_the_record_names_what_is_compared():
    record = json.loads(outputs_platform.RECORD.read_text())
    assert set(outputs_platform.COMPARED) <= set(record)


def test_generic_kernels_are_seen_as_another_platform():
    """ATEN_CPU_CAPABILITY=default is how a maintainer sees what learners on other CPUs get."""
    code = "from tools import outputs_platform as o; print(o.current()['cpu_capability'])"
    env = {"ATEN_CPU_CAPABILITY": "default", "PATH": "", "PYTHONPATH": str(outputs_platform.RECORD.parents[1])}
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert child.stdout.strip() == "DEFAULT"


def test_rounding_knobs_are_part_of_the_platform():
    code = "from tools import outputs_platform as o; print(o.current()['knobs'])"
    env = {"ONEDNN_MAX_CPU_ISA": "AVX2", "PATH": "", "PYTHONPATH": str(outputs_platform.RECORD.parents[1])}
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert child.stdout.strip() == "ONEDNN_MAX_CPU_ISA=AVX2"


def fake_cells():
    """Two nbval cells as collected: a training log (tagged) and a plain cell."""
    tagged = object.__new__(IPyNbCell)
    tagged.cell = types.SimpleNamespace(metadata={"tags": ["device-dependent-output"]})
    plain = object.__new__(IPyNbCell)
    plain.cell = types.SimpleNamespace(metadata={})
    return tagged, plain


def test_elsewhere_a_training_logs_numbers_are_not_compared(monkeypatch):
    monkeypatch.setattr(course_conftest, "why_training_logs_differ", lambda: ["cpu_vendor differs"])
    tagged, plain = fake_cells()
    course_conftest._compare_by_the_course_rule(types.SimpleNamespace(), [tagged, plain])
    assert isinstance(tagged, course_conftest.CourseCell) and isinstance(plain, course_conftest.CourseCell)
    assert tagged.numbers_compared is False and plain.numbers_compared is True


def test_on_the_recorded_platform_every_number_is_compared(monkeypatch):
    monkeypatch.setattr(course_conftest, "why_training_logs_differ", lambda: [])
    tagged, plain = fake_cells()
    course_conftest._compare_by_the_course_rule(types.SimpleNamespace(), [tagged, plain])
    assert tagged.numbers_compared is True and plain.numbers_compared is True


def course_cell(numbers_compared: bool):
    """A CourseCell with just what nbval's comparison reads (no kernel, no notebook file)."""
    cell = object.__new__(course_conftest.CourseCell)
    cell.numbers_compared = numbers_compared
    cell.parent = types.SimpleNamespace(skip_compare=("metadata", "output_type", "name"), sanitize_patterns={})
    cell.colors = nocolors
    cell.format_output_compare = lambda key, left, right: None  # the failure report needs a session
    return cell


def stream(text: str):
    return [nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": text})]


STORED = stream("epoch 999 | loss 0.02031 | test acc 86.5%\n")


@pytest.mark.parametrize(
    ("fresh", "numbers_compared", "passes"),
    [
        ("epoch 999 | loss 0.02032 | test acc 86.5%\n", True, True),  # rounding
        ("epoch 999 | loss 0.02031 | test acc 87.0%\n", True, False),  # a changed accuracy
        ("epoch 998 | loss 0.02031 | test acc 86.5%\n", True, False),  # a changed count
        ("epoch 999 | loss 0.02031 | train acc 86.5%\n", True, False),  # a changed word
        ("epoch 999 | loss 0.04031 | test acc 91.0%\n", False, True),  # a training log elsewhere
        ("epoch 999 | loss 0.04031 | train acc 91.0%\n", False, False),  # ... whose words changed
    ],
)
def test_a_course_cell_compares_by_the_rule(fresh, numbers_compared, passes):
    cell = course_cell(numbers_compared)
    fresh_outputs = stream(fresh)
    assert cell.compare_outputs(fresh_outputs, STORED) is passes
    assert fresh_outputs[0]["text"] == fresh  # the fresh run's outputs are not changed
