"""``python -m helpers.check NOTEBOOK``: see ``helpers.check.grader``."""

import sys

from helpers.check.grader import main

sys.exit(main())
