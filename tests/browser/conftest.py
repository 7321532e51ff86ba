"""JupyterLab in headless Chromium, for the browser tests.

The server is started the way `make lab` starts it (the Makefile's own recipe, with this
interpreter's environment), on a free local port with a known token. Chromium is Debian's
(/usr/bin/chromium), driven by Playwright; no browser is ever downloaded. Without Chromium the
tests are skipped, and say why.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",  # the tests may run as root (containers, CI)
    "--disable-gpu",
    "--disable-background-networking",  # no calls home: the machine may have no network
    "--disable-component-update",
    "--no-first-run",
]
# Server-wide JupyterLab settings for the tests: nothing is ever saved into the course's files,
# and every cell is in the page (not only those scrolled into view).
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}
NO_CHROMIUM = "Chromium is not installed (Debian: apt-get install chromium): browser tests skipped"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def course_files() -> dict[Path, int]:
    return {
        p: p.stat().st_mtime_ns for f in ("notebooks", "exercises", "solutions") for p in (ROOT / f).glob("*.ipynb")
    }


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A running JupyterLab: (base URL, token)."""
    if CHROMIUM is None:
        pytest.skip(NO_CHROMIUM)
    state = tmp_path_factory.mktemp("lab")
    for name, values in LAB_SETTINGS.items():
        path = state / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(
        os.environ,
        JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
        # The live view draws as it does for a learner (nbval's kernels draw only the final frame).
        COURSE_LIVE_VIEW="live",
    )
    bin_dir = Path(sys.executable).parent
    lab_args = f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token}"
    # `make lab` itself; -o: this interpreter's environment is set up already, do not rebuild it.
    command = [
        "make",
        "--no-print-directory",
        "-o",
        ".venv/.installed",
        "lab",
        f"BIN={bin_dir}",
        f"LAB_ARGS={lab_args}",
    ]
    log = (state / "lab.log").open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    before = course_files()
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(state / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield {"url": base, "token": token, "log": state / "lab.log"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    assert course_files() == before, "the browser tests changed a notebook on disk"


@pytest.fixture(scope="session")
def browser(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def lab_tab(browser, lab):
    """One page with JupyterLab loaded once for the session (loading it costs 2.5 s of CPU
    here, more than a short lesson's run); each test opens its notebook in it."""
    from lab_page import open_lab

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    open_lab(page, lab)
    yield page
    context.close()


@pytest.fixture
def page(lab_tab, lab):
    """JupyterLab with no notebook open; afterwards, every tab closed unsaved and every kernel
    shut down: each test starts as a learner opening a notebook does."""
    from lab_page import close_everything

    yield lab_tab
    close_everything(lab_tab)
    shut_down_kernels(lab)


def shut_down_kernels(lab) -> None:
    """Each test starts from no running kernel, as a learner opening a notebook does."""
    api = f"{lab['url']}/api/sessions?token={lab['token']}"
    with urllib.request.urlopen(api, timeout=10) as answer:
        sessions = json.load(answer)
    for session in sessions:
        request = urllib.request.Request(
            f"{lab['url']}/api/sessions/{session['id']}?token={lab['token']}", method="DELETE"
        )
        urllib.request.urlopen(request, timeout=30).close()
