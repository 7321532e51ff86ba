"""The report file through which the checks (in a notebook's kernel) tell the checker their results."""
from helpers import exercise_report as report


def test_nothing_is_written_unless_the_environment_names_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv(report.REPORT_ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    report.record(1, "passed", "ok")
    assert list(tmp_path.iterdir()) == []


def test_results_round_trip_and_the_last_one_per_task_wins(tmp_path, monkeypatch):
    path = tmp_path / "report.jsonl"
    monkeypatch.setenv(report.REPORT_ENV_VAR, str(path))
    report.record(1, "not attempted", "fill in the blanks")
    report.record(2, "failed", "X_train has 700 rows; an 80/20 split of 1000 samples has 800 ✗")
    report.record(1, "passed", "800 training and 200 test samples")
    assert report.read(path) == {
        1: {"task": 1, "status": "passed", "message": "800 training and 200 test samples"},
        2: {"task": 2, "status": "failed", "message": "X_train has 700 rows; an 80/20 split of 1000 samples has 800 ✗"},
    }


def test_a_missing_report_means_no_check_ran(tmp_path):
    assert report.read(tmp_path / "never-written.jsonl") == {}


def test_every_task_has_a_title_and_every_check_status_a_mark():
    assert list(report.TASKS) == list(range(1, 8)) and all(report.TASKS.values())
    assert set(report.STATUS_MARKS) == {"passed", "failed", "not attempted"}
