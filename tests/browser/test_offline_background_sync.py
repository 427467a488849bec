"""Background Sync: an entry saved offline is sent by the service worker on its own, with no
page of the app open (CDP ServiceWorker.dispatchSyncEvent fires the browser's sync)."""

from __future__ import annotations

import json

from tests.support.phone import (
    open_as,
    outbox_entries,
    sent_entries,
    stored,
    wait_for_status,
    wait_until,
)

# The tag static/js/mentor.js registers after a save and static/js/sw.js listens for.
SYNC_TAG = "mentorapp-outbox"


def _sync_tags(page) -> list[str]:
    return page.evaluate("async () => (await navigator.serviceWorker.ready).sync.getTags()")


def test_the_service_worker_sends_the_outbox_when_the_browser_says_sync(context, live_server):
    p3 = live_server.world.placements["p3"]
    page = open_as(context, live_server, "mentor_c")
    assert SYNC_TAG not in _sync_tags(page)
    context.set_offline(True)
    page.goto(f"/m/p/{p3}/flag")
    page.get_by_text("Sikkerhet", exact=True).click()
    page.get_by_text("Til orientering", exact=True).click()
    page.get_by_role("button", name="Send til NAV").click()
    page.wait_for_url(f"**/m/p/{p3}")
    [entry] = [e for e in outbox_entries(page) if e["event"]["type"] == "flag"]
    # The page asked for the sync itself (without that the browser would never fire it);
    # the request is not awaited before the page moves on, hence the short wait.
    wait_until(lambda: SYNC_TAG in _sync_tags(page), timeout=5, page=page)
    assert page.js_errors == []
    page.close()  # no page of the app is open any more

    context.set_offline(False)
    blank = context.new_page()
    cdp = context.new_cdp_session(blank)
    registrations: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: registrations.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    registration = wait_until(lambda: next((r for r in registrations if r["scopeURL"] == live_server.url + "/"
                                            and not r["isDeleted"]), None), page=blank)
    cdp.send("ServiceWorker.dispatchSyncEvent", {
        "origin": live_server.url, "registrationId": registration["registrationId"],
        "tag": SYNC_TAG, "lastChance": False})
    [row] = wait_until(lambda: stored(live_server.database, [entry["id"]]), page=blank)
    assert json.loads(row["payload"]) == {"category": "safety", "severity": "info"}
    blank.goto("/m/outbox")
    assert wait_for_status(blank, pending=0, rejected=0)["state"] == "ok"
    assert entry["id"] in [s["id"] for s in sent_entries(blank)]
