"""The course's figure style is applied by the notebooks' setup cell, never by importing helpers."""

import itertools
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from matplotlib.colors import to_rgb

from helpers.style import CLASS_COLOURS, SMALLEST_FONT_PT, contrast_ratio, smallest_text_px, text_colour_on
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


# ------------------------------------------------------------------ text sizes
ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    *sorted((ROOT / "notebooks").glob("*.ipynb")),
    *sorted((ROOT / "solutions").glob("*.ipynb")),
    *sorted((ROOT / "exercises").glob("*.ipynb")),
    *sorted((ROOT / "helpers").rglob("*.py")),
]
NAMED_SIZES = {"xx-small": 0.579, "x-small": 0.694, "small": 0.833, "medium": 1.0}


def _code(path: Path) -> str:
    if path.suffix == ".ipynb":
        return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    return path.read_text()


def test_smallest_text_px_reads_the_figure_at_its_dpi():
    from matplotlib.figure import Figure

    figure = Figure(figsize=(4, 3), dpi=144)
    ax = figure.subplots()
    ax.set_title("title", fontsize=12)
    ax.set_xlabel("x", fontsize=10)
    ax.tick_params(labelsize=9)
    ax.text(0.5, 0.5, "   ", fontsize=2)  # blank: not text a reader sees
    hidden = ax.text(0.5, 0.5, "hidden", fontsize=3)
    hidden.set_visible(False)
    assert smallest_text_px(figure) == pytest.approx(9 * 144 / 72)
    assert smallest_text_px(Figure()) == float("inf")


def test_smallest_text_px_refuses_what_is_not_a_figure():
    with pytest.raises(TypeError, match="must be a matplotlib Figure. Got list instead"):
        smallest_text_px([])


def test_the_live_view_and_the_playground_picture_have_no_text_under_the_course_s_smallest():
    """The browser shows these at their natural size or a little less (tests/browser measure it)."""
    import torch

    from helpers.live import TrainingFigure

    X = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
    figure = TrainingFigure(X, torch.tensor([0.0, 1.0]), (-1.0, 2.0, -1.0, 2.0), title="circles").figure
    assert smallest_text_px(figure) >= SMALLEST_FONT_PT * 100 / 72 - 1e-9


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_figure_asks_for_text_smaller_than_the_course_s_smallest_or_a_lower_dpi(path):
    code = _code(path)
    too_small = [
        m.group(0)
        for m in re.finditer(r"(?<![\w.])(?:fontsize|labelsize|size)\s*=\s*(?:([\d.]+)|[\"'](x+-small)[\"'])", code)
        if (m.group(1) and float(m.group(1)) < SMALLEST_FONT_PT)
        or (m.group(2) and NAMED_SIZES[m.group(2)] * 10 < SMALLEST_FONT_PT)
    ]
    assert not too_small, f"{path.name}: text under {SMALLEST_FONT_PT} pt: {too_small}"
    if path.name != "live.py":  # the live view's figure is measured above, at its own 80 dpi
        low_dpi = [m.group(0) for m in re.finditer(r"\bdpi\s*=\s*(\d+)", code) if int(m.group(1)) < 100]
        assert not low_dpi, f"{path.name}: figures drawn under 100 dpi make every text smaller: {low_dpi}"


# Simulated colour vision, Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
_VISION = {
    "normal": np.eye(3),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
}


def _lab_as_seen(colour, vision, opacity):
    """CIELAB (D65) of ``colour`` drawn at ``opacity`` on white, as a reader with ``vision`` sees it."""
    srgb = opacity * np.array(to_rgb(colour)) + (1 - opacity)
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(_VISION[vision] @ linear, 0, 1)
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    t = (to_xyz @ linear) / (to_xyz @ np.ones(3))
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", list(_VISION))
def test_four_classes_stay_apart_as_markers_and_as_regions(vision):
    """Classes 0 to 3 (lesson 04's blobs, lesson 08's) differ by at least 20 CIELAB units
    (about 10 is a clear difference) as full colours and as region fills at 0.6 opacity (the
    most a region is drawn at), with normal vision and under simulated red-green colour
    blindness. Sky blue beside blue, the old class 3, differed by 15 as fills."""
    for opacity in (1.0, 0.6):
        for i, j in itertools.combinations(range(4), 2):
            distance = np.linalg.norm(
                _lab_as_seen(CLASS_COLOURS[i], vision, opacity) - _lab_as_seen(CLASS_COLOURS[j], vision, opacity)
            )
            assert distance >= 20, (vision, opacity, i, j, round(distance, 1))


def test_contrast_and_text_colour():
    assert contrast_ratio("black", "white") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)
    assert text_colour_on("#56B4E9") == "black" and text_colour_on("#000000") == "white"
    for colour in CLASS_COLOURS:
        assert contrast_ratio(text_colour_on(colour), colour) >= 4.5, colour
