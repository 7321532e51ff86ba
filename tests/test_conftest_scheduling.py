"""How `make test` shares the tests between its pytest-xdist workers (the root conftest.py)."""

import importlib.util
import types
from pathlib import Path

from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling

ROOT = Path(__file__).resolve().parents[1]
# The root conftest.py (tests/conftest.py is another module of the same name).
_spec = importlib.util.spec_from_file_location("course_conftest_scheduling", ROOT / "conftest.py")
course_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_conftest)

BROWSER = (
    "tests/browser/test_lessons_in_browser.py::test_lesson_runs_in_the_browser[01_binary_classification_circles.ipynb]"
)
OTHER_BROWSER = (
    "tests/browser/test_lessons_in_browser.py::test_lesson_runs_in_the_browser[02_linear_sanity_check.ipynb]"
)


def fake_config(dist):
    option = types.SimpleNamespace(dist=dist, loadscopereorder=True, numprocesses=2, tx=["2*popen"], maxschedchunk=None)
    return types.SimpleNamespace(option=option, getvalue=lambda name: getattr(option, name))


def test_each_browser_test_is_a_unit_of_its_own_and_the_rest_keeps_loadscope():
    config = fake_config("loadscope")
    scheduler = course_conftest.pytest_xdist_make_scheduler(config, log=Producer("test", enabled=False))
    assert isinstance(scheduler, LoadScopeScheduling)
    split = scheduler._split_scope
    assert split(BROWSER) == BROWSER and split(OTHER_BROWSER) != split(BROWSER)
    # A notebook's cells stay together (nbval runs them in order in one kernel), and so do a module's tests.
    assert split("notebooks/03_non_linearity.ipynb::Cell 0") == split("notebooks/03_non_linearity.ipynb::Cell 7")
    assert split("tests/test_metrics.py::test_a") == split("tests/test_metrics.py::test_b")
    assert config.option.loadscopereorder is False  # units in collection order: browser tests first


def test_other_distribution_modes_are_left_to_xdist():
    assert course_conftest.pytest_xdist_make_scheduler(fake_config("load"), log=None) is None


def test_browser_tests_are_collected_first_and_nothing_else_moves():
    names = [
        "tests/test_metrics.py::test_a",
        "notebooks/01.ipynb::Cell 0",
        BROWSER,
        "notebooks/01.ipynb::Cell 1",
        OTHER_BROWSER,
        "solutions/07.ipynb::Cell 0",
    ]
    items = [types.SimpleNamespace(nodeid=name) for name in names]
    course_conftest._browser_tests_first(items)
    assert [item.nodeid for item in items] == [BROWSER, OTHER_BROWSER] + [n for n in names if "browser" not in n]
