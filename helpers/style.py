"""The course's visual language, in one place: the class palette and markers, the curve
colours, and the matplotlib style (``apply_course_style``). ``helpers.plotting``, the live view
and the playground draw with these. Importing the package changes no matplotlib setting: every
notebook's setup cell (tools/sync_notebooks.py writes it) calls ``helpers.apply_course_style()``.
"""

from __future__ import annotations

import matplotlib as mpl
from matplotlib.colors import to_rgb

__all__ = [
    "CLASS_COLOURS",
    "CLASS_MARKERS",
    "CURVE_COLOURS",
    "MARK_COLOUR",
    "MIN_TEXT_PX",
    "apply_course_style",
    "contrast_ratio",
    "text_colour_on",
    "smallest_text_px",
]

#: No text in a figure is shown smaller than this many pixels (the font's size, as displayed).
MIN_TEXT_PX = 9.0
#: The smallest font size, in points, that the course's figures ask for (a test reads every
#: notebook and module for smaller ones). Inline figures are drawn at 100 dpi: 8 pt is 11.1 px.
SMALLEST_FONT_PT = 8.0

#: One colour per class, the Okabe-Ito palette (Okabe & Ito, 2008), safe for colour-blind readers.
#: Classes 0 to 3 are the four colours that stay the furthest apart, as region fills too, with
#: normal vision and under simulated red-green colour blindness (tests/test_style.py measures it).
CLASS_COLOURS = (
    "#E69F00",  # 0 orange
    "#56B4E9",  # 1 sky blue
    "#009E73",  # 2 bluish green
    "#000000",  # 3 black (its regions are grey). Not blue: beside sky blue it differs only in
    #             lightness; not vermillion: beside class 0's orange it is hard to tell apart for
    #             red-green colour-blind readers, and lesson 04's classes 0 and 3 touch
    "#D55E00",  # 4 vermillion
    "#CC79A7",  # 5 reddish purple
    "#F0E442",  # 6 yellow
    "#0072B2",  # 7 blue
)
#: One marker per class, so that no picture depends on telling colours apart.
CLASS_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Curves of the same quantity on different data sets (also Okabe-Ito, none of them class 0/1's).
CURVE_COLOURS = {"train": "#0072B2", "val": "#009E73", "test": "#D55E00"}
#: A point marked on a curve (a chosen threshold): Okabe-Ito blue, not a class's colour.
MARK_COLOUR = "#0072B2"


def _relative_luminance(colour) -> float:
    """WCAG 2's relative luminance of a matplotlib colour: 0 for black, 1 for white."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(colour_a, colour_b) -> float:
    """WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black on white).

    Args:
        colour_a, colour_b: matplotlib colours ("#E69F00", "white", an RGB tuple).

    Returns:
        (lighter luminance + 0.05) / (darker luminance + 0.05).

    Raises:
        ValueError: not a colour matplotlib knows.
    """
    a, b = sorted((_relative_luminance(colour_a), _relative_luminance(colour_b)))
    return (b + 0.05) / (a + 0.05)


def text_colour_on(background) -> str:
    """The text colour to write on ``background``: black or white, whichever contrasts more.

    Args:
        background: a matplotlib colour.

    Returns:
        "black" or "white".

    Raises:
        ValueError: not a colour matplotlib knows.
    """
    return "black" if contrast_ratio("black", background) >= contrast_ratio("white", background) else "white"


def apply_course_style() -> None:
    """Set matplotlib's defaults to the course's style: white, opaque figures (Jupyter's inline
    backend makes them transparent, unreadable in a dark theme) and Okabe-Ito colours for lines
    drawn without a colour. Changes ``matplotlib.rcParams`` for the whole session."""
    mpl.rcParams.update(
        {
            "figure.dpi": 100,  # some inline backends (older Colab) draw at 72: text 28% smaller
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


def smallest_text_px(figure) -> float:
    """The size in pixels, at the figure's own dpi, of its smallest visible text (titles, labels,
    tick labels, legends). Shown at a scale (the browser shrinks a picture wider than the page),
    the text is that many pixels times the scale.

    Args:
        figure: a matplotlib ``Figure``.

    Returns:
        The smallest font size of any visible, non-empty text, in pixels (``inf`` if it has none).

    Raises:
        TypeError: if ``figure`` is not a matplotlib Figure.
    """
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    if not isinstance(figure, Figure):
        raise TypeError(
            f"The 'figure' parameter of smallest_text_px must be a matplotlib Figure. Got {type(figure).__name__} instead."
        )
    figure.canvas.draw()  # tick labels exist only once the figure is drawn
    texts = list(figure.findobj(Text))
    for ax in figure.axes:  # tick labels hang under the ticks, where findobj does not look
        texts += ax.get_xticklabels(which="both") + ax.get_yticklabels(which="both")
    sizes = [text.get_fontsize() for text in texts if text.get_visible() and text.get_text().strip()]
    return min(sizes) * figure.dpi / 72 if sizes else float("inf")
