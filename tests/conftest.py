"""Fixtures shared by every test: a fresh app on a real SQLite file, a small world of
people and placements, signed-in clients per role, and a real server for browser tests."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess

import pytest

# Password hashing at a fraction of its production cost: every test signs people in, and
# argon2's 64 MiB × 3 passes would be most of the suite's time. Set before any app reads
# the environment, so in-process apps and the servers the tests start all agree.
os.environ.setdefault("MENTORAPP_ARGON2_TIME_COST", "1")
os.environ.setdefault("MENTORAPP_ARGON2_MEMORY_KIB", "1024")

from mentorapp import create_app
from tests.support import world as world_module
from tests.support.browser import chromium_path, chromium_version, missing


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
        return world_module.build(app)


class Auth:
    """Sign a test client in and out as someone from the world (flaskr's AuthActions)."""

    def __init__(self, client, world):
        self.client, self.world = client, world

    def csrf(self) -> str:
        page = self.client.get("/login").get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def login(self, who: str, remember: bool = False):
        email = self.world.users[who]["email"]
        data = {"csrf_token": self.csrf(), "email": email,
                "password": world_module.PASSWORD}
        if remember:
            data["remember"] = "on"
        response = self.client.post("/login", data=data)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return response

    def token(self) -> str:
        """The signed-in session's CSRF token, as the phone gets it."""
        return self.client.get("/api/v1/session").get_json()["csrf_token"]

    def logout(self):
        page = self.client.get("/logout").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client, world):
    return Auth(client, world)


def _signed_in(app, world, who):
    client = app.test_client()
    Auth(client, world).login(who)
    client.csrf_token = Auth(client, world).token()
    return client


@pytest.fixture
def as_mentor(app, world):
    return _signed_in(app, world, "mentor_a")


@pytest.fixture
def as_counsellor(app, world):
    return _signed_in(app, world, "counsellor_a")


@pytest.fixture
def as_coordinator(app, world):
    return _signed_in(app, world, "coordinator")


@pytest.fixture
def as_admin(app, world):
    return _signed_in(app, world, "admin")


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
