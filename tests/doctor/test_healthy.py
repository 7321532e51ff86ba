"""The healthy corpus: every training setup of the lessons and the solutions, no finding at all,
over several seeds, from examine and from watch around the lessons' own loop."""

import pytest

from helpers.doctor import examine, watch

from . import setups
from .loops import lesson_loop


@pytest.mark.parametrize("seed", (0, 1, 2, 42))
@pytest.mark.parametrize("name", list(setups.HEALTHY))
def test_examine_finds_nothing_wrong(name, seed):
    s = setups.healthy(name, seed)
    report = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"], X_test=s["X_test"])
    assert report.ok and report.findings == [], str(report)
    assert report.stopped is None
    assert len(report.entries) >= 8, "every stage ran and said what it checked"


@pytest.mark.parametrize("seed", (0, 42))
@pytest.mark.parametrize("name", list(setups.HEALTHY))
def test_watch_finds_nothing_wrong_in_the_lessons_loop(name, seed):
    s = setups.healthy(name, seed)
    with watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
        lesson_loop(s, epochs=100)
    assert report.ok and report.findings == [], str(report)
    assert "100 optimizer steps" in report.title


def test_watch_finds_nothing_wrong_in_lesson_03s_long_run():
    s = setups.healthy("03 circles ReLU 2-10-10-1, SGD 0.1")
    with watch(s["model"], s["loss_fn"], s["optimizer"]) as report:
        test_acc = lesson_loop(s, epochs=1000)
    assert report.ok and report.findings == [], str(report)
    assert test_acc > 60, "the loop really trained"


@pytest.mark.parametrize("seed", (0, 42))
@pytest.mark.parametrize("name", list(setups.OTHER_HEALTHY))
def test_other_right_setups_are_not_flagged_either(name, seed):
    data, model, loss, optimizer = setups.OTHER_HEALTHY[name]
    s = setups.setup(data(), model, loss(), optimizer, seed=seed)
    s["model"].eval()  # as after an evaluation cell: the doctor trains its copies in train mode
    report = examine(s["model"], s["loss_fn"], s["optimizer"], s["X"], s["y"], X_test=s["X_test"])
    assert report.ok and report.findings == [], str(report)
