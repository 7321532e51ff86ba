"""Shared pytest set-up for the unit tests and for nbval's notebook tests."""
from __future__ import annotations

import os

import matplotlib
import pytest

# One intra-op thread for every torch process the tests start: pytest-xdist workers and the
# notebook kernels (nbval, the checker) inherit this environment. Several multi-threaded torch
# processes on a small machine oversubscribe its cores and run many times slower (a plain
# `pytest -n auto` on 2 cores took 223 s instead of about 50). `make test` sets the same; this
# covers a bare `pytest`. An explicit setting in the environment wins.
for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# Unit tests draw figures without a screen. (Notebook kernels are separate processes and keep
# their inline backend.)
matplotlib.use("Agg")

DEVICE_DEPENDENT_TAG = "device-dependent-output"


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """One intra-op thread: pytest workers and notebook kernels share a small machine.
    (A fixture rather than a module-level call, so that pytest-xdist's controller process,
    which runs no test, does not pay for importing torch.)"""
    import torch

    torch.set_num_threads(1)


def notebooks_run_on_cpu() -> bool:
    """Whether the notebook kernels will train on the CPU (where stored outputs were made)."""
    from helpers.device import get_device

    return get_device() == "cpu"


def pytest_collection_modifyitems(config, items):
    """Cells tagged "device-dependent-output" (training logs) print numbers whose last digits
    differ between a CPU and a GPU. On the CPU, where the stored outputs were made, they are
    compared like every other cell: a learner on a CPU gets exactly those numbers. On a GPU
    their text is not compared; the notebook asserts the final results in code instead.
    """
    if notebooks_run_on_cpu():
        return
    for item in items:
        cell = getattr(item, "cell", None)
        if cell is not None and DEVICE_DEPENDENT_TAG in cell.metadata.get("tags", []):
            item.options["check"] = False


def pytest_report_header(config):
    forced = os.environ.get("COURSE_DEVICE", "")
    return f"course notebooks: device from helpers.get_device() (COURSE_DEVICE={forced!r})"
