"""The environment variables the course reads, named once. Torch-free: the grader, the tests'
conftest.py and the kernels all import these names from here.

    COURSE_DEVICE        "cpu", "cuda" or "mps": force the device ``helpers.get_device()`` picks
    COURSE_LIVE_VIEW     "final": the kernel makes stored outputs (``make outputs``, nbval, the
                         grader): ``helpers.LiveView`` draws only its last frame and
                         ``helpers.Playground`` shows a picture of itself instead of live controls
    COURSE_CHECK_REPORT  a file: the exercise checks and hints append what happened to it (the grader)
"""

import os

DEVICE_ENV_VAR = "COURSE_DEVICE"
LIVE_VIEW_ENV_VAR = "COURSE_LIVE_VIEW"
REPORT_ENV_VAR = "COURSE_CHECK_REPORT"

__all__ = ["DEVICE_ENV_VAR", "LIVE_VIEW_ENV_VAR", "REPORT_ENV_VAR", "making_stored_outputs"]


def making_stored_outputs() -> bool:
    """Whether this kernel makes outputs that are stored or compared rather than watched
    (``COURSE_LIVE_VIEW=final``): live displays then show one final picture.

    Raises:
        ValueError: the variable holds something other than "live" or "final".
    """
    mode = os.environ.get(LIVE_VIEW_ENV_VAR, "live").strip().lower() or "live"
    if mode not in ("live", "final"):
        raise ValueError(f"{LIVE_VIEW_ENV_VAR}={mode!r}: use 'live' or 'final'.")
    return mode == "final"
