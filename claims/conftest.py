"""Set-up for ``make test-claims``: the lessons' conclusions re-checked over seeds.

These tests are not under tests/ (and not in pytest's testpaths), so ``make test`` does not run
them: they train every lesson's models several times over, which takes minutes.
"""

import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
sys.path.insert(0, str(Path(__file__).resolve().parent))  # claims/_lesson_runs.py


@pytest.fixture(autouse=True, scope="session")
def one_torch_thread():
    """One intra-op thread: the workers share a small machine, and the models are tiny."""
    import torch

    torch.set_num_threads(1)
