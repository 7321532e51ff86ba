"""Shared pytest set-up for the unit tests and for nbval's notebook tests."""
from __future__ import annotations

import os

import matplotlib

# Unit tests draw figures without a screen. (Notebook kernels are separate processes and keep
# their inline backend.)
matplotlib.use("Agg")

import torch  # noqa: E402

# One intra-op thread: pytest workers and notebook kernels share a small machine.
torch.set_num_threads(1)

DEVICE_DEPENDENT_TAG = "device-dependent-output"


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
    device = "cpu" if notebooks_run_on_cpu() else "a GPU"
    return f"course notebooks run on: {device} (COURSE_DEVICE={os.environ.get('COURSE_DEVICE', '')!r})"
