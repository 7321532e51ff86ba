"""pytest set-up for the whole course: the unit tests (tests/) and nbval's notebook tests.

It lives at the root so that it applies however pytest is started, `pytest notebooks/03_...`
included (a conftest.py under tests/ is not loaded for a notebook outside it).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from nbval.plugin import IPyNbCell

from helpers.compare import LAST_DIGITS, TRAINING_LOG_TAG, align_rounding
from helpers.environment import DEVICE_ENV_VAR, LIVE_VIEW_ENV_VAR

# One intra-op thread for every torch process the tests start: pytest-xdist workers and the
# notebook kernels (nbval, the checker) inherit this environment. Several multi-threaded torch
# processes on a small machine oversubscribe its cores and run many times slower (a plain
# `pytest -n auto` on 2 cores took 223 s instead of about 50). `make test` sets the same; this
# covers a bare `pytest`. An explicit setting in the environment wins.
for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# helpers.LiveView draws only its final frame in kernels started by the tests: nbval ignores
# in-place display updates, so the stored output is the final frame, the same on every run.
os.environ.setdefault(LIVE_VIEW_ENV_VAR, "final")

DEVICE_DEPENDENT_TAG = TRAINING_LOG_TAG
ROOT = Path(__file__).resolve().parent


def _outputs_platform():
    """tools/outputs_platform.py, loaded by path (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location("outputs_platform", ROOT / "tools" / "outputs_platform.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def notebooks_run_on_cpu() -> bool:
    """Whether the notebook kernels will train on the CPU (where stored outputs were made)."""
    from helpers.device import get_device

    return get_device() == "cpu"


def why_training_logs_differ() -> list[str]:
    """[] when training logs must match the stored ones digit for digit; else the reasons."""
    if not notebooks_run_on_cpu():
        return ["the notebooks train on a GPU"]
    tool = _outputs_platform()
    return tool.differences(tool.current(), tool.recorded())


BROWSER_TESTS = "tests/browser/"


# optionalhook: without pytest-xdist (`pytest -p no:xdist`) pytest does not know this hook.
@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`make test` runs pytest-xdist with --dist loadscope: a notebook's cells (nbval) and a test
    module's tests stay together in one worker. Except the browser tests: each of them runs a
    whole notebook in JupyterLab (10-25 s), and one module of them in one worker left the other
    worker idle for a minute. Here each browser test is its own unit, and units are handed out in
    collection order, which puts them first (see `pytest_collection_modifyitems`): the long ones
    start first, and the short ones fill in around them."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsApart(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid if nodeid.startswith(BROWSER_TESTS) else super()._split_scope(nodeid)

    config.option.loadscopereorder = False  # collection order, browser tests first
    return BrowserTestsApart(config, log)


def _browser_tests_first(items) -> None:
    """A stable sort: everything else keeps its order (a notebook's cells above all)."""
    items.sort(key=lambda item: not item.nodeid.startswith(BROWSER_TESTS))


def pytest_collection_modifyitems(config, items):
    _browser_tests_first(items)
    _compare_by_the_course_rule(config, items)


class CourseCell(IPyNbCell):
    """nbval's notebook cell, compared by the course's rule (helpers/compare.py): text exactly,
    numbers within rounding; a training log's numbers only on the platform its outputs were made
    on. What the rule accepts is handed to nbval as the stored text, so every real difference is
    still reported by nbval, with both texts."""

    numbers_compared = True

    def compare_outputs(self, test, ref, skip_compare=None):
        test = align_rounding(test, ref, sanitize=self.sanitize, numbers_compared=self.numbers_compared)
        return super().compare_outputs(test, ref, skip_compare)


def _compare_by_the_course_rule(config, items):
    """Every notebook cell becomes a CourseCell. Cells tagged "device-dependent-output" (training
    logs whose path rounding can move) have their numbers compared only on the platform recorded
    in tests/outputs_platform.json; elsewhere their words are, and the notebooks assert their
    results in code."""
    cells = [item for item in items if isinstance(item, IPyNbCell)]
    if not cells:
        return  # no notebook cells collected: do not import torch for nothing
    reasons = why_training_logs_differ()
    config._course_log_comparison = reasons
    for item in cells:
        item.__class__ = CourseCell
        tagged = DEVICE_DEPENDENT_TAG in item.cell.metadata.get("tags", [])
        item.numbers_compared = not (tagged and reasons)


def pytest_report_header(config):
    forced = os.environ.get(DEVICE_ENV_VAR, "")
    return f"course notebooks: device from helpers.get_device() ({DEVICE_ENV_VAR}={forced!r})"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    import shutil

    browser_tests = [
        r
        for reports in terminalreporter.stats.values()
        for r in reports
        if "tests/browser/" in getattr(r, "nodeid", "")
    ]
    if browser_tests and not (shutil.which("chromium") or shutil.which("chromium-browser")):
        terminalreporter.write_line(
            "browser tests SKIPPED: Chromium is not installed (Debian: apt-get install chromium); CI installs it"
        )
    tested_notebooks = any(
        ".ipynb::" in getattr(report, "nodeid", "") for reports in terminalreporter.stats.values() for report in reports
    )
    if not tested_notebooks:
        return
    # Under pytest-xdist the workers decided; this controller process asks the same question.
    reasons = getattr(config, "_course_log_comparison", None)
    if reasons is None:
        reasons = why_training_logs_differ()
    rule = f"notebook outputs: text compared exactly, numbers within {LAST_DIGITS} units of their last digit"
    if reasons:
        terminalreporter.write_line(
            f'{rule}; training logs (cells tagged "{DEVICE_DEPENDENT_TAG}"): numbers not compared, because '
            + "; ".join(reasons)
            + ". The notebooks' asserts checked their results."
        )
    else:
        terminalreporter.write_line(
            f"{rule}, training logs included: this is the platform the stored outputs were made on"
        )
