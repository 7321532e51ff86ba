"""helpers.colab: the line the setup cell prints on Colab, from what pip recorded."""

import json
import types

import pytest

from helpers import colab


def fake_distribution(version: str, direct_url: dict | None):
    text = json.dumps(direct_url) if direct_url is not None else None
    return types.SimpleNamespace(version=version, read_text=lambda name: text if name == "direct_url.json" else None)


@pytest.mark.parametrize(
    ("direct_url", "source"),
    [
        (
            {
                "url": "https://github.com/o/r",
                "vcs_info": {"vcs": "git", "requested_revision": "main", "commit_id": "1a2b3c4d5e6f"},
            },
            "main @ 1a2b3c4",
        ),
        ({"url": "file:///home/me/course", "dir_info": {"editable": True}}, "a local checkout"),
        (None, ""),
    ],
)
def test_the_source_is_read_from_what_pip_recorded(monkeypatch, direct_url, source):
    monkeypatch.setattr(colab, "distribution", lambda name: fake_distribution("0.1.0", direct_url))
    assert colab.installed_course() == ("0.1.0", source)


def test_the_line_names_version_commit_torch_and_device(monkeypatch):
    recorded = {"url": "u", "vcs_info": {"requested_revision": "main", "commit_id": "abcdef0123"}}
    monkeypatch.setattr(colab, "distribution", lambda name: fake_distribution("0.1.0", recorded))
    assert colab.setup_line("0.1.0", "2.11.0+cu126", "cuda") == (
        "course 0.1.0 (main @ abcdef0) | torch 2.11.0+cu126 | device cuda"
    )


def test_another_installed_version_is_said_plainly(monkeypatch):
    monkeypatch.setattr(colab, "distribution", lambda name: fake_distribution("0.2.0", None))
    line = colab.setup_line("0.1.0", "2.11.0", "cpu")
    first, warning = line.splitlines()
    assert first == "course 0.2.0 | torch 2.11.0 | device cpu"
    assert "written for course 0.1.0, and course 0.2.0 is installed" in warning


def test_setup_line_checks_its_input():
    with pytest.raises(TypeError, match="'notebook_version' parameter of setup_line must be a str. Got float"):
        colab.setup_line(0.1, "2.11.0", "cpu")
