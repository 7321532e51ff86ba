"""Set-up for the unit tests under tests/ (the root conftest.py applies to them too)."""

import matplotlib
import pytest

# Unit tests draw figures without a screen. (Notebook kernels are separate processes and keep
# their inline backend.)
matplotlib.use("Agg")


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """One intra-op thread: pytest workers and notebook kernels share a small machine.
    (A fixture rather than a module-level call, so that pytest-xdist's controller process,
    which runs no test, does not pay for importing torch.)"""
    import torch

    torch.set_num_threads(1)
