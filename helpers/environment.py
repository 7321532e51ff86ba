"""The environment variables the course reads, named once. Torch-free: the grader, the tests'
conftest.py and the kernels all import these names from here.

    COURSE_DEVICE        "cpu", "cuda" or "mps": force the device ``helpers.get_device()`` picks
    COURSE_LIVE_VIEW     "final": ``helpers.LiveView`` draws only its last frame (nbval, the grader)
    COURSE_CHECK_REPORT  a file: the exercise checks and hints append what happened to it (the grader)
"""

DEVICE_ENV_VAR = "COURSE_DEVICE"
LIVE_VIEW_ENV_VAR = "COURSE_LIVE_VIEW"
REPORT_ENV_VAR = "COURSE_CHECK_REPORT"

__all__ = ["DEVICE_ENV_VAR", "LIVE_VIEW_ENV_VAR", "REPORT_ENV_VAR"]
