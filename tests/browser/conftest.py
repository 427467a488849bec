"""Browser fixtures: a fresh context per test, and signing in through the real form."""

from __future__ import annotations

import pytest

from tests.support.world import PASSWORD


def phone_context(browser, base_url: str):
    """A browser context like a mentor's phone in Norway."""
    return browser.new_context(base_url=base_url, locale="nb-NO", timezone_id="Europe/Oslo",
                               viewport={"width": 390, "height": 844})


@pytest.fixture
def context(browser, live_server):
    context = phone_context(browser, live_server.url)
    yield context
    context.close()


@pytest.fixture
def own_server(tmp_path):
    """A server of the test's own, for tests that kill it or whose data would become the
    next tests' defaults on the shared one."""
    from tests.support.server import LiveServer

    server = LiveServer(tmp_path / "server")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page


def sign_in(page, live_server, who: str, locale: str = "nb") -> None:
    email = live_server.world.users[who]["email"]
    page.goto("/login")
    if page.locator("html").get_attribute("lang") != locale:
        page.get_by_role("button", name="English" if locale == "en" else "Norsk").click()
    page.get_by_label("E-post" if locale == "nb" else "E-mail").fill(email)
    page.get_by_label("Passord" if locale == "nb" else "Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Logg inn" if locale == "nb" else "Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    if page.locator("html").get_attribute("lang") != locale:
        # The account kept another language from an earlier test: switch, as a user would.
        page.get_by_role("button", name="English" if locale == "en" else "Norsk").click()
        page.wait_for_load_state()
