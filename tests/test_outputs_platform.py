"""Training logs are compared as text only on the platform the stored outputs were made on."""

import importlib.util
import json
import subprocess
import sys
import types

import pytest

from tools import outputs_platform

# The root conftest.py (tests/conftest.py is another module of the same name).
_spec = importlib.util.spec_from_file_location("course_conftest", outputs_platform.RECORD.parents[1] / "conftest.py")
course_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_conftest)

HERE = {"torch": "2.13.0+cpu", "cpu_capability": "AVX512", "machine": "x86_64", "cpu": "Some CPU"}


def test_the_same_platform_compares_logs():
    assert outputs_platform.differences(HERE, dict(HERE, cpu="Another name of the same kind")) == []


@pytest.mark.parametrize(("key", "other"), [("torch", "2.14.1"), ("cpu_capability", "DEFAULT"), ("machine", "arm64")])
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


def fake_items():
    tagged = types.SimpleNamespace(cell=types.SimpleNamespace(metadata={"tags": ["device-dependent-output"]}))
    plain = types.SimpleNamespace(cell=types.SimpleNamespace(metadata={}))
    for item in (tagged, plain):
        item.options = {"check": True}
    return tagged, plain


def test_elsewhere_only_tagged_cells_are_not_compared(monkeypatch):
    monkeypatch.setattr(course_conftest, "why_training_logs_differ", lambda: ["cpu_capability differs"])
    tagged, plain = fake_items()
    course_conftest._compare_training_logs_only_where_they_were_made(types.SimpleNamespace(), [tagged, plain])
    assert tagged.options["check"] is False and plain.options["check"] is True


def test_on_the_recorded_platform_every_cell_is_compared(monkeypatch):
    monkeypatch.setattr(course_conftest, "why_training_logs_differ", lambda: [])
    tagged, plain = fake_items()
    course_conftest._compare_training_logs_only_where_they_were_made(types.SimpleNamespace(), [tagged, plain])
    assert tagged.options["check"] is True and plain.options["check"] is True
