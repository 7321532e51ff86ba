"""Lesson 07's claims over other seeds.

Lesson 07 keeps a few ``assert``s on its key results; its other conclusions are the tool's
``CHECKS``, expressions over the lesson's variables. Both are checked by running the notebook's own code with every seed shifted, the data splits' seeds included
(tools/claims_07_real_data.py records every assert instead of stopping at the first): each offset is
a new train/validation/test split for the lesson's own run and for each of its spreads. One
subprocess an offset: the tool replaces ``helpers.set_seed`` and scikit-learn's
``train_test_split`` in the process it runs in.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "claims_07_real_data.py"


@pytest.mark.parametrize("offset", [0, 1, 2, 3, 4, 5])
def test_every_claim_of_lesson_07_holds_with_other_seeds(offset):
    """The notebook's asserts and the tool's CHECKS with every seed and split seed moved by offset (0: the stored run)."""
    run = subprocess.run([sys.executable, str(TOOL), str(offset)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, f"07 with seeds shifted by {offset}:\n{run.stdout}\n{run.stderr[-2000:]}"
    assert "claims held" in run.stdout


def test_lesson_07_runs_as_if_on_a_gpu():
    """Every code cell with `device` a simulated CUDA GPU (tools/fake_device.py): no tensor left on the
    device meets a CPU tensor or reaches NumPy or scikit-learn (a real GPU raises there; a CPU does not)."""
    tool = ROOT / "tools" / "fake_device.py"
    run = subprocess.run(
        [sys.executable, str(tool), str(ROOT / "notebooks" / "07_real_data.ipynb")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr[-3000:]}"
    assert "no tensor mixed devices" in run.stdout
