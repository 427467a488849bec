"""The server is killed (SIGKILL) in the middle of a sync: every entry it acknowledged is
stored, the rest arrives when the phone tries again, and nothing is stored twice."""

from __future__ import annotations

import sqlite3

from mentorapp.domain import clock
from tests.support.phone import (
    count_events,
    event,
    open_as,
    outbox_entries,
    put_in_outbox,
    stored,
    wait_for_status,
)

ENTRIES = 250
BATCH = 100  # the phone sends at most this many at a time (static/js/outbox.js)


def test_a_kill_during_a_sync_loses_nothing_and_stores_nothing_twice(browser, own_server):
    context = browser.new_context(base_url=own_server.url, locale="nb-NO", timezone_id="Europe/Oslo")
    page = open_as(context, own_server, "mentor_a")
    p1, mentor = own_server.world.placements["p1"], own_server.world.ids["mentor_a"]
    before = count_events(own_server.database, "author_id = ?", (mentor,))
    events = [event("comment", p1, {"text": f"Melding {n}"}) if n % 2
              else event("time", p1, {"date": clock.today().isoformat(), "minutes": 1 + n % 60})
              for n in range(ENTRIES)]
    ids = [e["id"] for e in events]
    put_in_outbox(page, events)

    batches: list[list[str]] = []

    def through_the_network(route):
        batch = [e["id"] for e in route.request.post_data_json["events"]]
        batches.append(batch)
        if len(batches) == 2:
            response = route.fetch()  # the server stores this batch...
            assert response.status == 200
            own_server.kill()         # ...and dies before the phone hears the answer
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/sync", through_the_network)
    page.get_by_role("button", name="Send nå").first.click()
    wait_for_status(page, pending=ENTRIES - BATCH)
    page.wait_for_function("() => document.querySelector('#phone-status').textContent"
                           ".includes('Fikk ikke sendt')")
    assert len(batches) == 2 and len(batches[0]) == BATCH

    acknowledged, unanswered = batches[0], batches[1]
    left = {entry["id"] for entry in outbox_entries(page)}
    assert left == set(ids) - set(acknowledged)
    on_server = {row["id"] for row in stored(own_server.database, ids)}
    assert set(acknowledged) <= on_server            # every acknowledged entry is stored
    assert set(unanswered) <= on_server               # stored, though the phone never knew
    assert on_server == set(acknowledged) | set(unanswered)

    own_server.start(build_world=False)
    page.get_by_role("button", name="Send nå").first.click()
    done = wait_for_status(page, pending=0, rejected=0)
    assert done["state"] == "ok"
    assert outbox_entries(page) == []
    assert {row["id"] for row in stored(own_server.database, ids)} == set(ids)
    assert count_events(own_server.database, "author_id = ?", (mentor,)) == before + ENTRIES
    minutes = sum(e["payload"]["minutes"] for e in events if e["type"] == "time")
    assert count_events(own_server.database, "type = 'time' AND author_id = ?", (mentor,)) == ENTRIES // 2
    with sqlite3.connect(own_server.database) as conn:
        assert conn.execute("SELECT sum(minutes) FROM mentor_time WHERE mentor_id = ?",
                            [mentor]).fetchone()[0] == minutes
    assert "Traceback" not in own_server.log.read_text()
    assert page.js_errors == []
    context.close()
