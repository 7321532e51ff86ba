"""What the setup cell installed on Colab: the course version, where from, and whether it is the
one the notebook was written for.

The setup cell installs the course from the repository's branch ``main`` (the repository
publishes no tags); pip records the commit it installed (``direct_url.json``), and this module
reads it back, so the line the cell prints names exactly what runs. Torch-free: it reads
package metadata only.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, distribution

DISTRIBUTION = "nn-classification-course"


def installed_course() -> tuple[str | None, str]:
    """(version, source) of the installed course package.

    Returns:
        version is None when the package is not installed. source is "main @ 1a2b3c4" for an
        install from the repository's branch, "a local checkout" for an editable or local
        install, and "" when pip recorded nothing.
    """
    try:
        dist = distribution(DISTRIBUTION)
    except PackageNotFoundError:
        return None, ""
    try:
        direct = json.loads(dist.read_text("direct_url.json") or "{}")
    except json.JSONDecodeError:
        direct = {}
    vcs = direct.get("vcs_info", {})
    if vcs:
        where = vcs.get("requested_revision") or "a commit"
        return dist.version, f"{where} @ {vcs.get('commit_id', '?')[:7]}"
    return dist.version, "a local checkout" if direct else ""


def setup_line(notebook_version: str, torch_version: str, device: str) -> str:
    """The one line the setup cell prints on Colab, with a warning when versions differ.

    Args:
        notebook_version: the course version the notebook was written for (its COURSE_VERSION).
        torch_version: ``torch.__version__``.
        device: what ``helpers.get_device()`` chose.

    Returns:
        "course 0.1.0 (main @ 1a2b3c4) | torch 2.11.0+cu126 | device cuda", and a second line
        when the installed course is not the notebook's version.
    """
    if not isinstance(notebook_version, str):
        raise TypeError(
            f"The 'notebook_version' parameter of setup_line must be a str. Got {type(notebook_version).__name__} instead."
        )
    version, source = installed_course()
    line = f"course {version}{f' ({source})' if source else ''} | torch {torch_version} | device {device}"
    if version != notebook_version:
        line += (
            f"\n⚠️ This notebook was written for course {notebook_version}, and course {version} is installed. "
            "Open the notebook again from the course's main branch, so that both are the same."
        )
    return line
