"""An ordinary day is logged in at most three taps from the mentor's home page."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from mentorapp.domain import clock
from tests.support.phone import ApiClient, event, open_as, wait_for_status


def _latest_log(database: str, placement_id: int, day: str) -> dict:
    with sqlite3.connect(database) as conn:
        row = conn.execute(
            "SELECT payload FROM events WHERE placement_id = ? AND type = 'daily_log' "
            "AND json_extract(payload, '$.date') = ? ORDER BY occurred_at DESC, seq DESC LIMIT 1",
            [placement_id, day]).fetchone()
    return json.loads(row[0])


def test_an_ordinary_day_takes_two_taps_with_yesterdays_values(context, live_server):
    p1 = live_server.world.placements["p1"]
    yesterday = clock.today() - timedelta(days=1)
    earlier = event("daily_log", p1, {"date": yesterday.isoformat(), "attendance": "on_time",
                                      "mastery": 2, "social": 1, "minutes": 35,
                                      "tasks": ["Varemottak"]},
                    occurred_at=clock.iso(clock.now() - timedelta(hours=20)))
    assert ApiClient(live_server, "mentor_a").sync([earlier]).json()["results"][0]["status"] in (
        "created", "duplicate")
    page = open_as(context, live_server, "mentor_a")
    page.goto("/m/")
    taps = 0

    def tap(locator):
        nonlocal taps
        taps += 1
        locator.click()

    # Other tests may give this mentor more placements on the shared server: tap Jonas's.
    tap(page.locator(f'a.button[href="/m/p/{p1}/log"]'))
    page.wait_for_url(f"**/m/p/{p1}/log")
    page.wait_for_selector("form[data-entry-form][data-enhanced=yes]", state="attached")
    assert page.get_by_label("Kom i tide", exact=True).is_checked()
    assert page.get_by_label("Strevde litt", exact=True).is_checked()
    assert page.get_by_label("Holdt seg for seg selv", exact=True).is_checked()
    assert page.get_by_role("checkbox", name="Varemottak").count() == 1  # a chip learned from the logs
    tap(page.get_by_role("button", name="Lagre", exact=True))
    page.wait_for_url(lambda url: url.endswith("/m/"))
    wait_for_status(page, pending=0)
    assert taps <= 3
    # Sent at once, or (on a slow network) right after the page changed.
    page.locator("#flash").wait_for()
    assert page.locator("#flash").inner_text().startswith("Lagret")
    stored = _latest_log(live_server.database, p1, clock.today().isoformat())
    assert stored["attendance"] == "on_time" and stored["mastery"] == 2 and stored["social"] == 1
    assert stored["minutes"] == 35
    page.reload()
    assert page.get_by_text("Logget i dag", exact=True).first.is_visible()
    assert page.js_errors == []
