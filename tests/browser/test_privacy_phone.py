"""When a mentor's access to a placement ends (its time after the end is over, or it was
erased), the phone drops what it kept of it at its next sync: Cache Storage and IndexedDB
hold nothing of the placement afterwards (not even on the pages that are not its own)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from mentorapp.domain import clock
from tests.browser.conftest import phone_context
from tests.support.phone import (
    drain,
    event,
    open_as,
    outbox_entries,
    put_in_outbox,
    sent_entries,
    wait_until,
)

WHAT_THE_CACHE_HOLDS = """async () => {
    const out = [];
    for (const name of await caches.keys()) {
        if (!name.startsWith('mentorapp-pages')) continue;
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
            const body = await (await cache.match(request)).text();
            out.push({url: new URL(request.url).pathname, body});
        }
    }
    return out;
}"""


def _cached(page) -> list[dict]:
    return page.evaluate(WHAT_THE_CACHE_HOLDS)


def test_the_phone_drops_a_placement_whose_access_ended(browser, own_server):
    world = own_server.world
    p1, participant = world.placements["p1"], "Jonas"
    context = phone_context(browser, own_server.url)
    try:
        page = open_as(context, own_server, "mentor_a")
        # What the phone keeps of p1: its pages, a sent entry and one waiting to be sent.
        assert drain(page)["state"] == "done"
        sent = event("comment", p1, {"text": "Sendt før slutt"})
        put_in_outbox(page, [sent])
        assert drain(page)["acknowledged"] == 1
        assert [row["placementId"] for row in sent_entries(page)] == [p1]
        kept = _cached(page)
        assert any(row["url"] == f"/m/p/{p1}" for row in kept)
        assert any(participant in row["body"] for row in kept)

        # Offline, the mentor writes one more; meanwhile p1's time after its end runs out.
        context.set_offline(True)
        late = event("comment", p1, {"text": "Skrevet i tunnelen"})
        put_in_outbox(page, [late])
        with sqlite3.connect(own_server.database, timeout=10) as conn:
            conn.execute("UPDATE placements SET end_date = ? WHERE id = ?",
                         [(clock.today() - timedelta(days=200)).isoformat(), p1])
        context.set_offline(False)

        # Back online the page sends by itself; a forced round makes sure one has ended.
        assert drain(page)["state"] == "done"
        wait_until(lambda: outbox_entries(page) == [] and sent_entries(page) == [], page=page)
        for row in _cached(page):
            assert f"/m/p/{p1}" not in row["url"]
            assert participant not in row["body"], row["url"]

        # The next visit keeps the pages the mentor still has, and none of p1.
        page.goto("/m/")
        assert "Du følger ikke noe forløp akkurat nå." in page.content()
        assert participant not in page.content()
        page.wait_for_timeout(500)
        for row in _cached(page):
            assert participant not in row["body"], row["url"]
        assert page.js_errors == []
    finally:
        context.close()
