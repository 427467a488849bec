"""Fixtures shared by every test: a fresh app on a real SQLite file, a small world of
people and placements, signed-in clients per role, and a real server for browser tests."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

# Password hashing at a fraction of its production cost: every test signs people in, and
# argon2's 64 MiB × 3 passes would be most of the suite's time. Set before any app reads
# the environment, so in-process apps and the servers the tests start all agree.
os.environ.setdefault("MENTORAPP_ARGON2_TIME_COST", "1")
os.environ.setdefault("MENTORAPP_ARGON2_MEMORY_KIB", "1024")

import tests.support.world
from mentorapp import create_app
from tests.support.browser import chromium_path, chromium_version, missing
from tests.support.clients import Auth, signed_in


def pytest_report_header(config):
    return [f"SQLite {sqlite3.sqlite_version}",
            f"Chromium: {chromium_version() or 'not found (browser tests will skip)'}"]


@pytest.fixture
def app(tmp_path):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "LOG_LEVEL": "WARNING"})
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    from mentorapp.store.db import close, connect

    database = connect(app.config["DATABASE"])
    yield database
    close(database)


@pytest.fixture
def world(app):
    """Two offices' worth of people and placements; see tests/support/world.py."""
    with app.app_context(), app.test_request_context():
        return tests.support.world.build(app)


@pytest.fixture
def auth(client, world):
    return Auth(client, world)


@pytest.fixture
def as_mentor(app, world):
    return signed_in(app, world, "mentor_a")


@pytest.fixture
def as_counsellor(app, world):
    return signed_in(app, world, "counsellor_a")


@pytest.fixture
def as_coordinator(app, world):
    return signed_in(app, world, "coordinator")


@pytest.fixture
def as_admin(app, world):
    return signed_in(app, world, "admin")


# Real server and real browser --------------------------------------------------------------

@pytest.fixture(scope="session")
def browser_executable():
    path = chromium_path()
    if path is None:
        missing("Debian's chromium is not installed: `make test` installs it when run as root, "
                "or `apt-get install chromium`")
    return path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app served by gunicorn, as `make run` serves it, on a free port."""
    from tests.support.server import LiveServer

    server = LiveServer(tmp_path_factory.mktemp("live"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance, browser_executable):
    from tests.support.browser import LAUNCH_ARGS

    browser = playwright_instance.chromium.launch(executable_path=browser_executable,
                                                  args=LAUNCH_ARGS)
    yield browser
    browser.close()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.fixturenames or "persistent_context" in item.fixturenames:
            item.add_marker(pytest.mark.browser)


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
