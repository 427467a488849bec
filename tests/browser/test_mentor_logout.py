"""Logging out on a shared phone: entries still waiting are shown first; once they are sent
(or discarded) logging out removes the cached case pages and the outbox, so the next person
to pick up the phone sees nothing of the case."""

from __future__ import annotations

from tests.support.phone import event, open_as, outbox_entries, put_in_outbox, stored

CASE_CACHES = """async () => (await caches.keys()).filter((name) => name.startsWith('mentorapp-pages'))"""
WHAT_THE_PHONE_HOLDS = """async () => {
    const {openDb} = await import('/static/js/idb.js');
    const db = await openDb();
    const count = (name) => new Promise((resolve) => {
        const request = db.transaction(name).objectStore(name).count();
        request.onsuccess = () => resolve(request.result);
    });
    return {outbox: await count('outbox'), sent: await count('sent')};
}"""


def _failing_server(page):
    page.route("**/api/v1/sync", lambda route: route.fulfill(status=503, body="{}"))


def test_logout_warns_then_sends_then_removes_the_case_from_the_phone(context, live_server):
    p1 = live_server.world.placements["p1"]
    page = open_as(context, live_server, "mentor_a")
    assert page.evaluate(CASE_CACHES) == ["mentorapp-pages"]
    _failing_server(page)
    waiting = event("comment", p1, {"text": "Før jeg logger ut"})
    put_in_outbox(page, [waiting])

    page.goto("/logout")
    warning = page.locator("#logout-outbox")
    warning.wait_for()
    assert "1 oppføring har ikke kommet fram til NAV ennå." in warning.inner_text()
    page.get_by_role("button", name="Send nå").click()  # the server still fails
    page.wait_for_timeout(500)
    assert warning.is_visible() and len(outbox_entries(page)) == 1

    page.unroute("**/api/v1/sync")
    page.get_by_role("button", name="Send nå").click()
    warning.wait_for(state="hidden")
    assert len(stored(live_server.database, [waiting["id"]])) == 1
    page.get_by_role("button", name="Logg ut", exact=True).click()
    page.wait_for_url("**/login")
    assert page.evaluate(CASE_CACHES) == []
    assert page.evaluate(WHAT_THE_PHONE_HOLDS) == {"outbox": 0, "sent": 0}

    # The next person on the phone, without network: no case page, only the calm offline page.
    context.set_offline(True)
    page.goto("/m/")
    assert page.locator("h1").inner_text() == "Ingen forbindelse"
    page.goto(f"/m/p/{p1}")
    assert "Jonas" not in page.content()
    assert page.js_errors == []


def test_discarding_what_waits_and_logging_out(context, live_server):
    p1 = live_server.world.placements["p1"]
    page = open_as(context, live_server, "mentor_a")
    _failing_server(page)
    doomed = event("comment", p1, {"text": "Dette forkastes"})
    put_in_outbox(page, [doomed])
    page.goto("/logout")
    page.locator("#logout-outbox").wait_for()
    page.get_by_role("button", name="Forkast dem og logg ut").click()
    page.wait_for_url("**/login")
    assert page.evaluate(WHAT_THE_PHONE_HOLDS) == {"outbox": 0, "sent": 0}
    assert page.evaluate(CASE_CACHES) == []
    assert stored(live_server.database, [doomed["id"]]) == []


def test_a_hurried_logout_keeps_the_entries_for_the_same_mentor_only(context, live_server):
    p1 = live_server.world.placements["p1"]
    page = open_as(context, live_server, "mentor_a")
    _failing_server(page)
    kept = event("comment", p1, {"text": "Sendes neste gang"})
    put_in_outbox(page, [kept])
    page.goto("/logout")
    page.locator("#logout-outbox").wait_for()
    page.get_by_role("button", name="Logg ut", exact=True).click()  # warned already: out
    page.wait_for_url("**/login")
    assert page.evaluate(CASE_CACHES) == []
    assert page.evaluate(WHAT_THE_PHONE_HOLDS) == {"outbox": 1, "sent": 0}
    page.unroute("**/api/v1/sync")

    # Someone else signs in on the phone: the entry is neither shown nor sent for them.
    other = open_as(context, live_server, "mentor_c")
    other.goto("/m/outbox")
    assert "Sendes neste gang" not in other.content()
    assert stored(live_server.database, [kept["id"]]) == []
    other.goto("/logout")
    other.get_by_role("button", name="Logg ut", exact=True).click()
    other.wait_for_url("**/login")

    # The mentor who wrote it signs in again: it is sent.
    again = open_as(context, live_server, "mentor_a")
    again.wait_for_selector("#phone-status[data-pending='0']")
    assert len(stored(live_server.database, [kept["id"]])) == 1


def test_logging_out_needs_a_connection_and_keeps_everything_until_then(context, live_server):
    page = open_as(context, live_server, "mentor_a")
    page.goto("/logout")
    context.set_offline(True)
    page.get_by_role("button", name="Logg ut", exact=True).click()
    page.locator("#logout-offline").wait_for()
    assert page.url.endswith("/logout")
    assert page.evaluate(CASE_CACHES) == ["mentorapp-pages"]
    context.set_offline(False)
    page.get_by_role("button", name="Logg ut", exact=True).click()
    page.wait_for_url("**/login")
    assert page.evaluate(CASE_CACHES) == []
    assert page.js_errors == []
