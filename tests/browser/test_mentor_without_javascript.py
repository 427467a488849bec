"""Without JavaScript the mentor's forms still work: they post to the server, which stores
the same event through the same sync path, and the pages show the result."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

from mentorapp.domain import clock
from tests.browser.conftest import sign_in


def _entries_since(database: str, author_id: int, after_seq: int) -> list[dict]:
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT type, payload FROM events WHERE author_id = ? AND seq > ? "
                            "ORDER BY seq", [author_id, after_seq]).fetchall()
    return [{"type": kind, "payload": json.loads(payload)} for kind, payload in rows]


def _last_seq(database: str) -> int:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT coalesce(max(seq), 0) FROM events").fetchone()[0]


def test_logging_and_asking_for_a_call_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo",
                                  java_script_enabled=False)
    try:
        page = context.new_page()
        p2, mentor = live_server.world.placements["p2"], live_server.world.ids["mentor_b"]
        since = _last_seq(live_server.database)
        sign_in(page, live_server, "mentor_b")
        day = (clock.today() - timedelta(days=3)).isoformat()
        page.goto(f"/m/p/{p2}/log")
        page.get_by_label("Dag", exact=True).fill(day)
        page.get_by_text("Kom for sent", exact=True).click()
        page.get_by_label("Andre oppgaver (valgfritt)").or_(
            page.get_by_label("Oppgaver i dag (valgfritt)")).fill("Kasse, Oppvask")
        page.get_by_role("button", name="Lagre", exact=True).click()
        page.wait_for_url(lambda url: url.endswith("/m/"))
        assert "Lagret og sendt til NAV." in page.locator("#flash").inner_text()
        assert page.locator("#phone-status").is_hidden()  # nothing waits on a phone without scripts

        page.get_by_role("link", name="Be veileder ringe meg").click()
        page.locator("#urgency-field").get_by_text("I dag", exact=True).click()
        page.get_by_role("button", name="Be veileder ringe meg").click()
        page.wait_for_url(f"**/m/p/{p2}")
        assert "Lagret og sendt til NAV." in page.locator("#flash").inner_text()
        calls = page.locator("section[aria-labelledby=calls-h]").inner_text()
        assert "I dag" in calls and "Sendt" in calls

        log, call = _entries_since(live_server.database, mentor, since)
        assert log["type"] == "daily_log"
        assert {k: log["payload"][k] for k in ("date", "attendance", "tasks")} == {
            "date": day, "attendance": "late", "tasks": ["Kasse", "Oppvask"]}
        assert call == {"type": "call_request",
                        "payload": {"urgency": "today", "phone": "912 34 567"}}
    finally:
        context.close()
