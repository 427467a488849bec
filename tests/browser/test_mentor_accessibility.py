"""Every mentor page passes axe-core (WCAG 2.1 AA) in Bokmål, Nynorsk and English, works at 320 px
without sideways scrolling, and keeps touch targets at 44 px; also with the outbox showing
waiting and refused entries, and on the logout warning."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import SMALL_TARGETS
from tests.support.browser import run_axe
from tests.support.phone import drain, event, put_in_outbox, wait_for_status

PAGES = ["/m/", "/m/p/{p}", "/m/p/{p}/log", "/m/p/{p}/flag", "/m/p/{p}/call",
         "/m/p/{p}/time", "/m/p/{p}/message", "/m/time", "/m/outbox"]


def _with_entries_on_the_phone(page, placement_id: int) -> None:
    """One entry refused (its time is in the future) and one waiting (the server answers 503)."""
    refused = event("flag", placement_id, {"category": "other", "severity": "info"},
                    occurred_at="2999-01-01T10:00:00Z")
    put_in_outbox(page, [refused], {"summary": {"title": "Utfordring", "lines": ["Annet"]},
                                    "editPath": f"/m/p/{placement_id}/flag"})
    assert drain(page)["refused"] == 1
    page.route("**/api/v1/sync", lambda route: route.fulfill(status=503, body="{}"))
    waiting = event("comment", placement_id, {"text": "Venter"})
    put_in_outbox(page, [waiting], {"summary": {"title": "Melding", "lines": ["Venter"]}})


SEND_NOW = {"nb": "Send nå", "nn": "Send no", "en": "Send now"}


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_every_mentor_page_passes_axe(page, live_server, locale):
    p = live_server.world.placements["p3"]
    sign_in(page, live_server, "mentor_c", locale)
    for path in PAGES:
        page.goto(path.format(p=p))
        page.wait_for_selector("#phone-status:not([hidden])")
        assert page.locator("html").get_attribute("lang") == locale
        assert run_axe(page) == [], f"{path} ({locale})"
    _with_entries_on_the_phone(page, p)
    for path in ("/m/outbox", f"/m/p/{p}", "/logout"):
        page.goto(path)
        if path != "/logout":
            page.get_by_role("button", name=SEND_NOW[locale]).first.click()
            wait_for_status(page, pending=1, rejected=1)
        else:
            page.wait_for_selector("#logout-outbox:not([hidden])")
        assert run_axe(page) == [], f"{path} with entries ({locale})"
    page.evaluate("""async () => {
        const outbox = await import('/static/js/outbox.js');
        await outbox.forget(document.body.dataset.user);
    }""")
    assert page.js_errors == []


@pytest.mark.parametrize("locale", ["nb", "nn"])
@pytest.mark.parametrize("path", PAGES)
def test_mentor_pages_work_at_320_px(browser, live_server, path, locale):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo",
                                  viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        sign_in(page, live_server, "mentor_c", locale)
        page.goto(path.format(p=live_server.world.placements["p3"]))
        page.wait_for_selector("#phone-status:not([hidden])")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} ({locale}) scrolls sideways by {overflow}px at 320px"
        assert page.evaluate(SMALL_TARGETS) == []
    finally:
        context.close()
