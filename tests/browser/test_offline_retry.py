"""How the phone answers the server: 5xx and network errors are tried again with backoff
capped at five minutes; a 4xx is final for the entries it answers; an ended session keeps
the entries and asks the mentor to log in; a rotated CSRF token is fetched again."""

from __future__ import annotations

import sqlite3

from tests.browser.conftest import sign_in
from tests.support.phone import (
    drain,
    event,
    open_as,
    outbox_entries,
    put_in_outbox,
    stored,
    wait_for_status,
)

BACKOFFS = """async (random) => {
    const outbox = await import('/static/js/outbox.js');
    return Array.from({length: 12}, (_, n) => outbox.backoff(n + 1, () => random));
}"""
RETRY = """async () => (await import('/static/js/outbox.js')).state()"""


def test_retries_back_off_and_never_wait_more_than_five_minutes(context, live_server):
    p3 = live_server.world.placements["p3"]
    page = open_as(context, live_server, "mentor_c")
    middle = page.evaluate(BACKOFFS, 0.5)
    assert middle[:7] == [5000, 10000, 20000, 40000, 80000, 160000, 300000]
    assert max(page.evaluate(BACKOFFS, 0.999)) <= 300000
    assert min(page.evaluate(BACKOFFS, 0.0)) >= 4000

    page.goto("/account")  # a page with no sending of its own: only these drains knock
    hits: list[str] = []

    def server_trouble(route):
        hits.append(route.request.url)
        route.fulfill(status=503, body="{}")

    page.route("**/api/v1/sync", server_trouble)
    entry = event("comment", p3, {"text": "Prøver igjen"})
    put_in_outbox(page, [entry])
    for attempt in range(1, 9):
        result = drain(page)
        assert result["state"] == "failed" and result["kind"] == "server"
        state = page.evaluate(RETRY)["retry"]
        assert state["failures"] == attempt
        assert state["nextAt"] - page.evaluate("Date.now()") <= 300000
    assert drain(page, force=False)["state"] == "waiting"  # within the backoff: no request
    assert len(hits) == 8
    [waiting] = outbox_entries(page)
    assert waiting["state"] == "pending" and waiting["attempts"] == 8
    page.goto("/m/")
    assert "Fikk ikke sendt. Prøver igjen kl." in wait_for_status(page, pending=1)["text"]
    page.unroute("**/api/v1/sync")
    assert drain(page)["state"] == "done"
    assert len(stored(live_server.database, [entry["id"]])) == 1
    assert page.evaluate(RETRY)["retry"]["failures"] == 0


def test_a_4xx_answer_is_final_for_its_entries(context, live_server):
    p3 = live_server.world.placements["p3"]
    page = open_as(context, live_server, "mentor_c")
    page.route("**/api/v1/sync", lambda route: route.fulfill(
        status=400, content_type="application/json",
        body='{"error": "invalid_body", "message": "Ugyldig forespørsel."}'))
    entry = event("comment", p3, {"text": "Avvist"})
    put_in_outbox(page, [entry])
    assert drain(page)["refused"] == 1
    [refused] = outbox_entries(page)
    assert refused["state"] == "rejected" and refused["rejection"]["reason"] == "Ugyldig forespørsel."
    page.unroute("**/api/v1/sync")
    assert drain(page)["state"] == "done"  # not sent again by itself
    assert stored(live_server.database, [entry["id"]]) == []
    page.evaluate("""async (id) => (await import('/static/js/outbox.js'))
        .discard(document.body.dataset.user, id)""", entry["id"])


def test_an_ended_session_keeps_the_entries_and_asks_to_log_in(context, live_server):
    p3 = live_server.world.placements["p3"]
    page = open_as(context, live_server, "mentor_c")
    entry = event("comment", p3, {"text": "Etter utlogging"})
    put_in_outbox(page, [entry])
    with sqlite3.connect(live_server.database) as conn:  # e.g. the password changed elsewhere
        conn.execute("DELETE FROM sessions WHERE user_id = ?", [live_server.world.ids["mentor_c"]])
    assert drain(page)["state"] == "login"
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#phone-status[data-state=login]")
    assert "Du er logget ut." in page.locator("#phone-status").inner_text()
    assert page.get_by_role("link", name="Logg inn igjen").count() == 1
    assert [e["id"] for e in outbox_entries(page)] == [entry["id"]]
    assert stored(live_server.database, [entry["id"]]) == []

    sign_in(page, live_server, "mentor_c")
    wait_for_status(page, pending=0)
    assert len(stored(live_server.database, [entry["id"]])) == 1


def test_a_rotated_csrf_token_is_fetched_again_once(context, live_server):
    p3 = live_server.world.placements["p3"]
    page = open_as(context, live_server, "mentor_c")
    answers: list[int] = []

    def rotated_once(route):
        if not answers:
            answers.append(403)
            route.fulfill(status=403, content_type="application/json",
                          body='{"error": "csrf", "message": "Skjemaet var utløpt."}')
        else:
            answers.append(200)
            route.continue_()

    page.route("**/api/v1/sync", rotated_once)
    entry = event("comment", p3, {"text": "Nytt token"})
    put_in_outbox(page, [entry])
    assert drain(page)["state"] == "done"
    assert answers == [403, 200]
    assert len(stored(live_server.database, [entry["id"]])) == 1
