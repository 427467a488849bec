"""Offline-first, end to end in Chromium: after one visit the mentor's pages open with no
network; what is logged offline waits in the outbox and reaches the server exactly once."""

from __future__ import annotations

import json
from datetime import timedelta

from mentorapp.domain import clock
from tests.support.phone import (
    count_events,
    drain,
    open_as,
    outbox_entries,
    put_in_outbox,
    sent_entries,
    stored,
    wait_for_status,
    wait_until,
)

# Records each call to navigator.storage.persist() (in sessionStorage, so that it survives
# the navigations of signing in) and answers as Chromium does for an installed app the
# mentor uses: a test browser has no such history and would always say no.
PERSIST_SPY = """(() => {
    const storage = navigator.storage;
    if (!storage || !storage.persist) return;
    const persist = storage.persist.bind(storage);
    storage.persist = async () => {
        const asked = JSON.parse(sessionStorage.getItem('persist-asked') || '[]');
        sessionStorage.setItem('persist-asked', JSON.stringify([...asked, location.pathname]));
        await persist();
        return true;
    };
})();"""


def _save_and_return(page, button: str, back: str) -> None:
    # The script takes over the form (outbox first) a moment after the page shows.
    page.wait_for_selector("form[data-entry-form][data-enhanced=yes]", state="attached")
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(lambda url: url.endswith(back))
    page.wait_for_selector("#phone-status:not([hidden])")


def test_logged_offline_sent_online_exactly_once_and_replays_change_nothing(context, live_server):
    world = live_server.world
    p2, mentor = world.placements["p2"], world.ids["mentor_b"]
    mine = ("placement_id = ? AND author_id = ?", (p2, mentor))
    page = open_as(context, live_server, "mentor_b")
    before = count_events(live_server.database, *mine)

    context.set_offline(True)
    page.reload()
    assert page.title().startswith("I dag")  # from the service worker
    assert page.evaluate("navigator.onLine") is False

    # An ordinary day, then two earlier days.
    page.locator(f'a.button[href="/m/p/{p2}/log"]').click()
    _save_and_return(page, "Lagre", "/m/")
    for days_ago, attendance in ((1, "Kom for sent"), (2, "Borte")):
        page.goto(f"/m/p/{p2}/log")
        page.get_by_label("Dag", exact=True).fill((clock.today() - timedelta(days=days_ago)).isoformat())
        page.get_by_text(attendance, exact=True).click()
        _save_and_return(page, "Lagre", "/m/")
    page.goto(f"/m/p/{p2}/flag")
    page.get_by_text("Fravær", exact=True).click()
    page.get_by_text("Trenger oppfølging", exact=True).click()
    page.get_by_label("Hva skjedde? (valgfritt)").fill("Borte to dager uten å si fra")
    _save_and_return(page, "Send til NAV", f"/m/p/{p2}")
    page.goto(f"/m/p/{p2}/call")
    page.get_by_text("Innen 2 arbeidsdager", exact=True).click()
    page.get_by_text("08–10", exact=True).click()
    _save_and_return(page, "Be veileder ringe meg", f"/m/p/{p2}")

    now = wait_for_status(page, pending=5)
    assert "5 oppføringer venter på denne telefonen." in now["text"]
    assert "Ingen forbindelse" in now["text"]
    waiting = outbox_entries(page)
    ids = [entry["id"] for entry in waiting]
    assert [entry["event"]["type"] for entry in waiting] == [
        "daily_log", "daily_log", "daily_log", "flag", "call_request"]
    assert stored(live_server.database, ids) == []
    assert page.locator("[data-local-entries] li").count() == 5  # shown on the placement page

    context.set_offline(False)  # the `online` event sends them
    assert wait_for_status(page, pending=0)["state"] == "ok"
    on_server = {row["id"]: row for row in stored(live_server.database, ids)}
    assert set(on_server) == set(ids)
    assert count_events(live_server.database, *mine) == before + 5
    today_log = json.loads(on_server[ids[0]]["payload"])
    assert today_log["date"] == clock.today().isoformat() and today_log["attendance"] == "on_time"
    absent = json.loads(on_server[ids[2]]["payload"])
    assert absent == {"date": (clock.today() - timedelta(days=2)).isoformat(), "attendance": "absent"}
    call = json.loads(on_server[ids[4]]["payload"])
    assert call == {"urgency": "two_days", "windows": ["08-10"], "phone": "912 34 567"}

    # The same batch replayed three times, through the outbox and straight to the API.
    batch = [entry["event"] for entry in waiting]
    for _round in range(3):
        put_in_outbox(page, batch)
        assert drain(page)["acknowledged"] == 5
        answer = page.evaluate("""async (events) => {
            const session = await (await fetch('/api/v1/session')).json();
            const response = await fetch('/api/v1/sync', {method: 'POST', body: JSON.stringify({events}),
                headers: {'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token}});
            return (await response.json()).results.map((r) => r.status);
        }""", batch)
        assert answer == ["duplicate"] * 5
    assert count_events(live_server.database, *mine) == before + 5
    assert outbox_entries(page) == []
    wait_until(lambda: len([s for s in sent_entries(page) if s["id"] in ids and s["receivedAt"]]) == 5)
    assert page.js_errors == []


def test_after_one_visit_every_mentor_page_opens_without_network(context, live_server):
    page = open_as(context, live_server, "mentor_b")
    pages = page.locator(".mentor-page").get_attribute("data-warm").split()
    context.set_offline(True)
    for path in pages:
        page.goto(path)
        assert page.locator(".mentor-page").count() == 1, f"{path} did not open offline"
        assert page.locator("h1").inner_text() != "Ingen forbindelse"
    # A page never visited gets the calm offline page, not the browser's error.
    page.goto("/m/time?week=2020-W01")
    assert page.locator("h1").inner_text() == "Ingen forbindelse"
    # The start URL of the installed app leads to the mentor's home.
    page.goto("/")
    assert page.locator("h1").inner_text() == "I dag"
    context.set_offline(False)
    page.goto("/m/")
    assert wait_for_status(page, pending=0)["state"] == "ok"
    assert page.js_errors == []


def test_the_phone_asks_the_browser_to_keep_the_outbox(context, live_server):
    # Without persistent storage the browser may wipe IndexedDB when the phone runs short
    # of space, and entries that never reached NAV would go with it.
    context.add_init_script(script=PERSIST_SPY)
    page = open_as(context, live_server, "mentor_a")
    page.wait_for_function("() => sessionStorage.getItem('persist-asked') !== null")
    asked = page.evaluate("() => JSON.parse(sessionStorage.getItem('persist-asked'))")
    assert "/m/" in asked  # the first page after signing in asks
    page.goto("/m/outbox")
    line = page.locator("[data-storage-state]")
    line.wait_for(state="visible")
    assert line.inner_text() == "Telefonen tar vare på det som venter, også når den har lite plass."
    assert page.js_errors == []
