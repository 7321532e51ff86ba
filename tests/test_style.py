"""The course's figure style is applied by the notebooks' setup cell, never by importing helpers."""

import subprocess
import sys

from tools.sync_notebooks import SETUP_TAIL


def test_importing_the_package_changes_no_matplotlib_setting():
    code = (
        "import matplotlib as mpl; before = dict(mpl.rcParams); "
        "import helpers.plotting, helpers.live, helpers.playground, helpers.check.tasks; "
        "changed = sorted(k for k, v in mpl.rcParams.items() if before[k] != v); print(changed)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_the_style_is_white_figures_and_the_course_colours():
    code = (
        "import matplotlib as mpl, helpers; helpers.apply_course_style(); "
        "from helpers.style import CURVE_COLOURS; "
        "print(mpl.rcParams['figure.facecolor'], mpl.rcParams['axes.prop_cycle'].by_key()['color'][0] == CURVE_COLOURS['train'])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["white", "True"], result.stdout + result.stderr


def test_every_setup_cell_applies_it():
    assert SETUP_TAIL.splitlines()[-1].startswith("helpers.apply_course_style()")
