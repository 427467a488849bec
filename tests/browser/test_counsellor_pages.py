"""The counsellor's pages in a real browser: axe-clean in Bokmål, Nynorsk and English at 320 px
and on a desktop; actions through htmx; a caseload that refreshes itself; the alerts page's
script as far as a browser without a push service lets it go."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from mentorapp import create_app
from mentorapp.domain import clock
from mentorapp.store.db import get_db
from mentorapp.sync import ingest
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import SMALL_TARGETS
from tests.support.browser import run_axe
from tests.support.counsellor import new_placement

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}


class Mentor:
    def __init__(self, row: dict):
        self.id, self.role, self.office_id, self.active = row["id"], "mentor", None, True


class Case:
    """A placement of counsellor_a on the live server, and a way to write to it as its
    mentor would (through the real sync path, into the server's database)."""

    def __init__(self, live_server):
        self.world = live_server.world
        self.app = create_app({"INSTANCE_PATH": str(live_server.instance),
                               "LOG_LEVEL": "WARNING"})
        self.id = new_placement(self.app, self.world, "Maja", backup="counsellor_a2")

    def write(self, kind: str, payload: dict, at=None, placement_id: int | None = None) -> str:
        event_id = str(uuid.uuid4())
        with self.app.app_context(), self.app.test_request_context():
            [result] = ingest.ingest(get_db(), Mentor(self.world.users["mentor_a"]), [{
                "id": event_id, "type": kind, "placement_id": placement_id or self.id,
                "occurred_at": clock.iso(at or clock.now()), "payload": payload}])
        assert result.status == "created", result
        return event_id

    def flag(self, severity: str = "urgent", placement_id: int | None = None) -> str:
        return self.write("flag", {"category": "conflict", "severity": severity,
                                   "note": "Uenighet om arbeidstid"}, placement_id=placement_id)

    def call(self) -> str:
        return self.write("call_request", {"urgency": "today", "windows": ["10-12"],
                                           "topic": "Om timelisten"})


@pytest.fixture(scope="module")
def case(live_server):
    case = Case(live_server)
    today = clock.today()
    for days in range(1, 29):
        day = today - timedelta(days=days)
        case.write("daily_log", {
            "date": day.isoformat(), "attendance": ["on_time", "late", "on_time", "absent"][days % 4],
            "mastery": 1 + days % 4, "social": 1 + days % 3, "wellbeing": 3, "minutes": 45,
            "tasks": ["Plukk", "Varemottak"], "note": "Gikk greit"},
            at=clock.now() - timedelta(days=days))
    case.flag("urgent")
    case.call()
    case.write("comment", {"text": "Kan du ringe meg i morgen?"})
    return case


def _pages(case) -> list[tuple[str, str]]:
    return [("caseload", "/c/"), ("placement", f"/c/p/{case.id}"),
            ("report", f"/c/p/{case.id}/report"), ("alerts", "/c/alerts")]


@pytest.fixture
def wide_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo", viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["320px", "desktop"])
@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
@pytest.mark.parametrize("name", ["caseload", "placement", "report", "alerts"])
def test_counsellor_pages_are_axe_clean(browser, live_server, case, name, locale, viewport):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo", viewport=viewport)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(page, live_server, "counsellor_a", locale)
        page.goto(dict(_pages(case))[name])
        page.wait_for_load_state("networkidle")
        if name == "placement":
            # Open every folded form and the table, so that axe checks them too.
            page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.locator("html").get_attribute("lang") == locale
        violations = run_axe(page)
        assert violations == [], f"{name} ({locale}, {viewport['width']}px): {violations}"
        if viewport is PHONE:
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320px"
            assert page.evaluate(SMALL_TARGETS) == [], name
        assert errors == []
    finally:
        context.close()


def test_acknowledge_with_htmx_swaps_only_the_matters(page, live_server, case):
    flag_id = case.flag("attention")
    sign_in(page, live_server, "counsellor_a")
    page.goto(f"/c/p/{case.id}")
    page.evaluate("window.stayedOnPage = true")
    item = page.locator(f"#e-{flag_id}")
    item.get_by_role("button", name="Merk som sett").click()
    status = page.locator("#matters [role=status]")
    status.wait_for()
    assert "Mentoren ser at NAV har lest det" in status.inner_text()
    expect(status).to_be_focused()
    assert page.evaluate("window.stayedOnPage") is True  # no page load: htmx swapped a part
    assert page.locator("#timeline").get_by_text("NAV har sett meldingen om utfordringen").count() >= 1
    assert page.js_errors == []


def test_resolve_without_a_note_shows_the_error_beside_the_field(page, live_server, case):
    flag_id = case.flag("attention")
    sign_in(page, live_server, "counsellor_a")
    page.goto(f"/c/p/{case.id}")
    item = page.locator(f"#e-{flag_id}")
    item.locator("summary").click()
    item.get_by_role("button", name="Merk som løst", exact=True).click()
    error = page.locator(f"#resolve-{flag_id}-error")
    error.wait_for()
    assert error.inner_text() == "Fyll ut dette feltet."
    field = page.locator(f"#resolve-{flag_id}")
    assert field.get_attribute("aria-invalid") == "true"
    expect(field).to_be_focused()
    field.fill("Snakket med mentor og deltaker")
    page.locator(f"#e-{flag_id}").get_by_role("button", name="Merk som løst", exact=True).click()
    page.locator("#matters [role=status]").wait_for()
    assert page.locator(f"#matters #e-{flag_id}").count() == 0
    assert page.js_errors == []


def test_schedule_a_call_in_the_browser(page, live_server, case):
    call_id = case.call()
    sign_in(page, live_server, "counsellor_a")
    page.goto(f"/c/p/{case.id}")
    item = page.locator(f"#e-{call_id}")
    assert item.locator("input[type=datetime-local]").input_value().endswith("T10:00")
    item.get_by_role("button", name="Lagre tidspunktet").click()
    page.locator("#matters [role=status]").wait_for()
    assert "Samtalen er avtalt" in page.locator("#matters [role=status]").inner_text()
    assert "Samtale avtalt" in page.locator(f"#e-{call_id}").inner_text()
    assert page.js_errors == []


def test_actions_work_without_javascript(browser, live_server, case):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo",
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        flag_id = case.flag("attention")
        sign_in(page, live_server, "counsellor_a")
        page.goto(f"/c/p/{case.id}")
        page.locator(f"#e-{flag_id}").get_by_role("button", name="Merk som sett").click()
        page.wait_for_url(f"**/c/p/{case.id}#matters")
        assert "Sett av NAV" in page.locator(f"#e-{flag_id}").inner_text()
    finally:
        context.close()


def test_the_caseload_refreshes_itself_only_when_something_changed(page, live_server, case):
    other = new_placement(case.app, case.world, "Ola")
    sign_in(page, live_server, "counsellor_a")
    page.goto("/c/?reason=urgent_flag")
    rows = page.locator("#caseload-rows")
    rows.evaluate("el => el.dataset.marker = 'old'")
    with page.expect_response(lambda r: "v=" in r.url) as polled:
        page.evaluate("htmx.trigger('#caseload-rows', 'refresh')")
    assert polled.value.status == 204
    assert rows.evaluate("el => el.dataset.marker") == "old"  # nothing was swapped
    case.flag("urgent", placement_id=other)
    with page.expect_response(lambda r: "v=" in r.url) as polled:
        page.evaluate("htmx.trigger('#caseload-rows', 'refresh')")
    assert polled.value.status == 200
    page.locator(".case-link", has_text="Ola").wait_for()
    assert page.locator("#caseload-rows").evaluate("el => el.dataset.marker") is None
    assert page.js_errors == []


def test_filtering_swaps_the_list_and_keeps_the_address(page, live_server, case):
    case.write("comment", {"text": "En ting til"})
    sign_in(page, live_server, "counsellor_a")
    page.goto("/c/")
    page.get_by_label("Hvorfor", exact=True).select_option("message")
    page.wait_for_url("**/c/?*reason=message*")
    assert "Maja" in page.locator(".case-link").all_inner_texts()
    for row in page.locator(".case").all():
        assert "ny melding fra mentor" in row.inner_text()
    assert page.js_errors == []


def test_the_alerts_page_script_goes_as_far_as_the_browser_lets_it(page, live_server, case):
    sign_in(page, live_server, "counsellor_a")
    page.goto("/c/alerts")
    state = page.locator("#push-state")
    expect(state).to_have_text("Denne enheten får ikke varsler.")
    button = page.get_by_role("button", name="Slå på varsler på denne enheten")
    assert button.is_visible() and page.get_by_label("Navn på denne enheten").is_visible()
    # No notification permission here (and no push service): the page says what to do.
    button.click()
    expect(state).to_contain_text("Nettleseren blokkerer varsler")
    assert page.js_errors == []


def test_the_report_prints_and_downloads(page, live_server, case):
    sign_in(page, live_server, "counsellor_a")
    page.goto(f"/c/p/{case.id}/report")
    assert page.get_by_role("button", name="Skriv ut").is_visible()  # shown by the script
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned som CSV").click()
    assert download.value.suggested_filename.startswith(f"oppfolging-{case.id}-")
    page.emulate_media(media="print")
    assert page.locator(".period-form").is_hidden() and page.locator(".report").is_visible()
    assert page.js_errors == []


def test_older_timeline_entries_load_in_place_and_get_focus(page, live_server, case):
    sign_in(page, live_server, "counsellor_a")
    page.goto(f"/c/p/{case.id}")
    before = page.locator("#timeline li.event").count()
    page.get_by_role("link", name="Vis eldre oppføringer").click()
    expect(page.locator("#timeline li.event")).not_to_have_count(before)
    # The first of the older entries has focus, where reading goes on.
    expect(page.locator("#timeline li.event[tabindex='-1']")).to_be_focused()
    assert page.url.endswith(f"/c/p/{case.id}")  # no page load
    assert page.js_errors == []
