"""An entry the server refuses stays on the phone with the reason; the mentor changes and
resends it, or discards it. Nothing is ever dropped silently."""

from __future__ import annotations

import json
import sqlite3

from tests.support.phone import (
    event,
    open_as,
    outbox_entries,
    put_in_outbox,
    stored,
    wait_for_status,
)

WRONG_CLOCK = "2999-01-01T10:00:00Z"


def test_a_refused_entry_is_changed_and_sent_again_or_discarded(context, live_server):
    p3 = live_server.world.placements["p3"]
    page = open_as(context, live_server, "mentor_c")
    refused = event("flag", p3, {"category": "other", "severity": "info",
                                 "note": "Skrevet med feil klokke"}, occurred_at=WRONG_CLOCK)
    put_in_outbox(page, [refused], {"summary": {"title": "Utfordring meldt", "lines": ["Noe annet"]},
                                    "editPath": f"/m/p/{p3}/flag"})
    page.goto("/m/outbox")
    page.get_by_role("button", name="Send nå").first.click()
    now = wait_for_status(page, pending=0, rejected=1)
    assert now["state"] == "rejected" and "1 oppføring ble ikke tatt imot av NAV." in now["text"]
    item = page.locator(f'[data-outbox-list="rejected"] li[data-entry="{refused["id"]}"]')
    assert "Tidspunktet er fram i tid. Sjekk klokka på telefonen." in item.inner_text()
    page.reload()  # it stays, also after a reload
    assert wait_for_status(page, rejected=1)["rejected"] == 1

    page.get_by_role("link", name="Endre og send på nytt").click()
    page.wait_for_url(f"**/m/p/{p3}/flag#edit={refused['id']}")
    notice = page.locator("[data-edit-notice]")
    notice.wait_for()
    assert "Tidspunktet er fram i tid" in notice.inner_text()
    assert page.get_by_label("Noe annet", exact=True).is_checked()
    assert page.get_by_label("Hva skjedde? (valgfritt)").input_value() == "Skrevet med feil klokke"
    page.get_by_text("Trenger oppfølging", exact=True).click()
    page.get_by_role("button", name="Send til NAV").click()
    page.wait_for_url(f"**/m/p/{p3}")
    wait_for_status(page, pending=0, rejected=0)
    assert outbox_entries(page) == []
    assert stored(live_server.database, [refused["id"]]) == []
    on_server = [row for row in stored_since(live_server.database, p3)
                 if json.loads(row["payload"]).get("note") == "Skrevet med feil klokke"]
    assert [json.loads(row["payload"])["severity"] for row in on_server] == ["attention"]

    second = event("comment", p3, {"text": "x"}, occurred_at=WRONG_CLOCK)
    put_in_outbox(page, [second], {"summary": {"title": "Melding", "lines": ["x"]}})
    page.goto("/m/outbox")
    page.get_by_role("button", name="Send nå").first.click()
    wait_for_status(page, rejected=1)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Forkast").click()
    wait_for_status(page, pending=0, rejected=0)
    assert outbox_entries(page) == [] and stored(live_server.database, [second["id"]]) == []
    assert page.js_errors == []


def stored_since(database: str, placement_id: int) -> list[dict]:
    with sqlite3.connect(database) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute(
            "SELECT id, payload FROM events WHERE placement_id = ? AND type = 'flag'", [placement_id])]
