"""The course's visual language, in one place: the class palette and markers, the curve
colours, and the matplotlib style (``apply_course_style``). ``helpers.plotting``, the live view
and the playground draw with these. Importing the package changes no matplotlib setting: every
notebook's setup cell (tools/sync_notebooks.py writes it) calls ``helpers.apply_course_style()``.
"""

from __future__ import annotations

import matplotlib as mpl

__all__ = ["CLASS_COLOURS", "CLASS_MARKERS", "CURVE_COLOURS", "apply_course_style"]

#: One colour per class, the Okabe-Ito palette (Okabe & Ito, 2008), safe for colour-blind readers.
CLASS_COLOURS = (
    "#E69F00",  # 0 orange
    "#56B4E9",  # 1 sky blue
    "#009E73",  # 2 bluish green
    "#0072B2",  # 3 blue (not vermillion: beside class 0's orange it is hard to tell apart for
    #             red-green colour-blind readers, and lesson 04's classes 0 and 3 touch)
    "#D55E00",  # 4 vermillion
    "#CC79A7",  # 5 reddish purple
    "#F0E442",  # 6 yellow
    "#000000",  # 7 black
)
#: One marker per class, so that no picture depends on telling colours apart.
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Curves of the same quantity on different data sets (also Okabe-Ito, none of them class 0/1's).
CURVE_COLOURS = {"train": "#0072B2", "val": "#009E73", "test": "#D55E00"}


def apply_course_style() -> None:
    """Set matplotlib's defaults to the course's style: white, opaque figures (Jupyter's inline
    backend makes them transparent, unreadable in a dark theme) and Okabe-Ito colours for lines
    drawn without a colour. Changes ``matplotlib.rcParams`` for the whole session."""
    mpl.rcParams.update(
        {
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "axes.facecolor": "white",
            "axes.prop_cycle": mpl.cycler(
                color=[
                    CURVE_COLOURS["train"],
                    CURVE_COLOURS["test"],
                    CURVE_COLOURS["val"],
                    *CLASS_COLOURS[:2],
                    CLASS_COLOURS[5],
                ]
            ),
        }
    )
