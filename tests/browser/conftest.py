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


# The switch's buttons: each language by its own short name (mentorapp.web.i18n.SWITCH_NAMES).
SWITCH = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
# The sign-in form's words; Bokmål and Nynorsk happen to agree on all three.
_LOGIN = {"nb": ("E-post", "Passord", "Logg inn"), "nn": ("E-post", "Passord", "Logg inn"),
          "en": ("E-mail", "Password", "Log in")}


def switch_language(page, locale: str) -> None:
    """Pick a language with the header's switch, as a user would."""
    page.get_by_role("button", name=SWITCH[locale], exact=True).click()
    # A selector, not wait_for_function: the pages' CSP forbids the eval that one polls with.
    page.wait_for_selector(f"html[lang={locale}]", state="attached")
    page.wait_for_load_state()


def sign_in(page, live_server, who: str, locale: str = "nb") -> None:
    email = live_server.world.users[who]["email"]
    page.goto("/login")
    if page.locator("html").get_attribute("lang") != locale:
        switch_language(page, locale)
    email_label, password_label, button = _LOGIN[locale]
    page.get_by_label(email_label).fill(email)
    page.get_by_label(password_label, exact=True).fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(lambda url: "/login" not in url)
    if page.locator("html").get_attribute("lang") != locale:
        # The account kept another language from an earlier test: switch, as a user would.
        switch_language(page, locale)
