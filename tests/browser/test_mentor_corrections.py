"""Changing a day's log from the phone makes a correction pointing at the day's original,
also offline, from what the phone itself sent earlier."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from mentorapp.domain import clock
from tests.support.phone import open_as, outbox_entries, wait_for_status


def _logs_of_day(database: str, placement_id: int, day: str) -> list[dict]:
    with sqlite3.connect(database) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT id, amends, payload FROM events WHERE placement_id = ? AND "
                            "type = 'daily_log' AND json_extract(payload, '$.date') = ? ORDER BY seq",
                            [placement_id, day]).fetchall()
    return [{**dict(r), "payload": json.loads(r["payload"])} for r in rows]


def _log(page, placement_id: int, day: str, attendance: str | None = None) -> None:
    page.goto(f"/m/p/{placement_id}/log")
    page.wait_for_selector("form[data-entry-form][data-enhanced=yes]", state="attached")
    page.get_by_label("Dag", exact=True).fill(day)
    page.get_by_label("Dag", exact=True).dispatch_event("change")
    if attendance:
        page.get_by_text(attendance, exact=True).click()
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(lambda url: url.endswith("/m/"))


def test_corrections_point_at_the_original_online_and_offline(context, live_server):
    p3 = live_server.world.placements["p3"]
    day = (clock.today() - timedelta(days=5)).isoformat()
    page = open_as(context, live_server, "mentor_c")

    _log(page, p3, day)
    wait_for_status(page, pending=0)
    [original] = _logs_of_day(live_server.database, p3, day)
    assert original["amends"] is None

    page.goto(f"/m/p/{p3}/log")
    page.get_by_label("Dag", exact=True).fill(day)
    page.get_by_label("Dag", exact=True).dispatch_event("change")
    page.locator("[data-correction-notice]").wait_for()  # "this day is logged already"
    _log(page, p3, day, "Kom for sent")
    wait_for_status(page, pending=0)

    context.set_offline(True)  # the kept log page knows nothing of today's two entries
    _log(page, p3, day, "Fridag")
    [waiting] = outbox_entries(page)
    assert waiting["event"]["amends"] == original["id"]
    context.set_offline(False)
    wait_for_status(page, pending=0)

    first, fix, offline_fix = _logs_of_day(live_server.database, p3, day)
    assert first["id"] == original["id"]
    assert fix["amends"] == original["id"] and fix["payload"]["attendance"] == "late"
    assert offline_fix["amends"] == original["id"] and offline_fix["payload"] == {
        "date": day, "attendance": "day_off"}
    with sqlite3.connect(live_server.database) as conn:
        in_effect = conn.execute("SELECT event_id FROM day_logs WHERE placement_id = ? AND "
                                 "log_date = ?", [p3, day]).fetchone()[0]
    assert in_effect == offline_fix["id"]
    assert page.js_errors == []
