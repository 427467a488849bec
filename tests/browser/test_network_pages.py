"""The network pages in a real browser: WCAG 2.1 AA by axe-core for coordinator and mentor
in Bokmål, Nynorsk and English (with the overview's charts drawn), no JavaScript errors, and
usable at 320 px without sideways scrolling, with large touch targets."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import SMALL_TARGETS
from tests.support import network_live
from tests.support.browser import run_axe


@pytest.fixture(scope="module")
def network_server(tmp_path_factory):
    server = network_live.start(tmp_path_factory.mktemp("network-live"))
    yield server
    server.stop()


def pages_for(who: str, ids: dict) -> list[str]:
    shared = ["/n/resources", f"/n/resources/{ids['pdf']}", f"/n/resources/{ids['link']}",
              "/n/resources?q=skjema&language=en", "/n/gatherings",
              f"/n/gatherings/{ids['coming']}", f"/n/gatherings/{ids['held']}", "/n/topics",
              "/n/changes", "/n/messages"]
    if who == "coordinator":
        return ["/n/", *shared, "/n/resources/new", f"/n/resources/{ids['pdf']}/edit",
                "/n/gatherings/new", f"/n/gatherings/{ids['coming']}/edit", "/n/feedback"]
    return shared


@pytest.fixture
def network_page(browser, network_server):
    context = browser.new_context(base_url=network_server.url, locale="nb-NO", timezone_id="Europe/Oslo",
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
@pytest.mark.parametrize("who", ["coordinator", "mentor_a"])
def test_network_pages_have_no_axe_violations(network_page, network_server, who, locale):
    page = network_page
    sign_in(page, network_server, who, locale)
    found = {}
    for path in pages_for(who, network_server.ids):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == locale
        violations = run_axe(page)
        if violations:
            found[path] = violations
    assert found == {}
    assert page.js_errors == []


def test_the_overview_draws_charts_with_names(network_page, network_server):
    page = network_page
    sign_in(page, network_server, "coordinator")
    page.goto("/n/")
    charts = page.get_by_role("img")
    assert charts.count() == 4
    assert page.get_by_role("img", name="Dagslogger per uke").is_visible()
    assert page.locator("rect.chart-bar").count() >= 4
    page.get_by_text("Vis som tabell").first.click()
    expect(page.get_by_role("table", name="Dagslogger per uke")).to_be_visible()


def test_a_form_with_errors_is_accessible_too(network_page, network_server):
    page = network_page
    sign_in(page, network_server, "coordinator")
    page.goto("/n/resources/new")
    page.get_by_label("En fil (PDF eller bilde)").check()
    page.get_by_role("button", name="Del med nettverket").click()
    expect(page.get_by_text("Velg en fil å laste opp.")).to_be_visible()
    expect(page.get_by_label("Nettadresse")).to_be_hidden()  # a file was chosen: no address field
    assert run_axe(page) == []
    page.goto("/n/gatherings/new")
    page.get_by_role("button", name="Planlegg samlingen").click()
    expect(page.get_by_text("Fyll ut dette feltet.").first).to_be_visible()
    assert run_axe(page) == []


@pytest.mark.parametrize("who", ["coordinator", "mentor_a"])
def test_network_pages_work_at_320_px(browser, network_server, who):
    context = browser.new_context(base_url=network_server.url, locale="nb-NO", timezone_id="Europe/Oslo",
                                  viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        sign_in(page, network_server, who)
        problems = {}
        for path in pages_for(who, network_server.ids):
            page.goto(path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            small = page.evaluate(SMALL_TARGETS)
            if overflow > 0 or small:
                problems[path] = {"overflow": overflow, "small targets": small}
        assert problems == {}
    finally:
        context.close()


def test_a_mentor_answers_and_votes_in_the_browser(network_page, network_server):
    page = network_page
    sign_in(page, network_server, "mentor_b")
    page.goto(f"/n/gatherings/{network_server.ids['coming']}")
    page.get_by_role("group", name="Kommer du?").get_by_role("button", name="Kanskje").click()
    expect(page.get_by_text("Ditt svar: Kanskje").first).to_be_visible()
    page.goto("/n/topics")
    topic = page.locator(".topic", has_text="Når deltakeren slutter å komme")
    topic.get_by_role("button", name="Stem").click()  # htmx swaps the topic in place
    expect(topic.get_by_text("2 stemmer")).to_be_visible()
    assert page.url.endswith("/n/topics")  # no page load: the topic was swapped
    topic.get_by_role("button", name="Trekk stemmen min").click()
    expect(topic.get_by_text("1 stemme")).to_be_visible()
    assert page.js_errors == []
