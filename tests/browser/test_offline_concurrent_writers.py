"""Two phones of the same mentor send their outboxes while twenty other writers post at the
same time, to a server with several worker processes contending for the SQLite file: no
"database is locked", every entry stored once, nothing lost. Some entries are in both
outboxes with the same ids, sent at the same moment (as a retry racing its first send
would be): each is stored once, one phone hears "created", the other "duplicate"."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest

from mentorapp.domain import clock
from tests.support.phone import (
    ApiClient,
    count_events,
    event,
    open_as,
    put_in_outbox,
    stored,
    wait_until,
)
from tests.support.server import LiveServer

WRITERS = 20
BATCHES = 5
PER_BATCH = 20
PER_PHONE = 150
SHARED = 60  # of each phone's entries, the same on both phones
# Gunicorn's sync workers are processes: with the session server's two, most requests
# queue in front of a worker instead of meeting at the database's write lock.
SERVER_WORKERS = 6


@pytest.fixture
def own_server(tmp_path):
    server = LiveServer(tmp_path / "server", workers=SERVER_WORKERS)
    server.start()
    # /healthz answers once the first worker is up; gunicorn forks the others one by one.
    wait_until(lambda: _workers(server) == SERVER_WORKERS)
    yield server
    server.stop()


def _phone_entries(placement_id: int, phone: int, shared: list[dict]) -> list[dict]:
    today = clock.today()
    # Both phones log the same two days: two logs of a day are both kept (the later counts).
    days = [event("daily_log", placement_id, {"date": (today - timedelta(days=d)).isoformat(),
                                              "attendance": "on_time", "minutes": 10 + phone})
            for d in (1, 2)]
    notes = [event("comment", placement_id, {"text": f"Telefon {phone}, melding {n}"})
             for n in range(PER_PHONE - len(days) - len(shared))]
    # The shared entries first on both phones: their first batches race for the same ids.
    return shared + days + notes


def _workers(server) -> int:
    """The gunicorn master's child processes: its workers."""
    children = f"/proc/{server.process.pid}/task/{server.process.pid}/children"
    with open(children, encoding="ascii") as listing:
        return len(listing.read().split())


def _sync_answers(page) -> list:
    """Every answer the page gets from /api/v1/sync, as Playwright sees it on the wire."""
    answers: list = []
    page.on("response", lambda r: answers.append(r) if r.url.endswith("/api/v1/sync") else None)
    return answers


def test_two_phones_and_twenty_writers_at_once(browser, own_server):
    world = own_server.world
    p1 = world.placements["p1"]
    shared = [event("comment", p1, {"text": f"Begge telefoner, melding {n}"}) for n in range(SHARED)]
    shared_ids = {e["id"] for e in shared}
    phones, contexts, phone_ids, wire = [], [], [], []
    for number in range(2):
        context = browser.new_context(base_url=own_server.url, locale="nb-NO", timezone_id="Europe/Oslo")
        page = open_as(context, own_server, "mentor_a")
        entries = _phone_entries(p1, number, shared)
        put_in_outbox(page, entries)
        phone_ids += [e["id"] for e in entries if e["id"] not in shared_ids]
        wire.append(_sync_answers(page))
        phones.append(page)
        contexts.append(context)

    mentors = ["mentor_a", "mentor_b", "mentor_c"]
    clients = [ApiClient(own_server, mentors[n % 3]) for n in range(WRITERS)]
    placements = {"mentor_a": p1, "mentor_b": world.placements["p2"],
                  "mentor_c": world.placements["p3"]}
    writer_batches = [[[event("comment", placements[mentors[n % 3]], {"text": f"{n}-{b}-{i}"})
                        for i in range(PER_BATCH)] for b in range(BATCHES)] for n in range(WRITERS)]
    answers: list[tuple[int, list[str]]] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS + 1)

    def write(client, batches):
        start.wait()
        for batch in batches:
            response = client.sync(batch)
            statuses = [r["status"] for r in response.json()["results"]] if response.ok else []
            with lock:
                answers.append((response.status_code, statuses))

    threads = [threading.Thread(target=write, args=(client, batches))
               for client, batches in zip(clients, writer_batches, strict=True)]
    for thread in threads:
        thread.start()
    start.wait()
    for page in phones:  # both phones start sending, without waiting for each other
        page.evaluate("""() => { window.sending = import('/static/js/outbox.js')
            .then((outbox) => outbox.drain({force: true})); }""")
    for thread in threads:
        thread.join(timeout=300)
    results = [page.evaluate("() => window.sending") for page in phones]

    assert [code for code, _ in answers] == [200] * (WRITERS * BATCHES)
    assert all(statuses == ["created"] * PER_BATCH for _, statuses in answers)
    assert [r["state"] for r in results] == ["done", "done"]
    assert sum(r["acknowledged"] for r in results) == 2 * PER_PHONE
    assert sum(r["refused"] for r in results) == 0
    # What each phone was told, entry by entry: never a conflict, never a 5xx.
    told: dict[str, list[str]] = {}
    for phone_answers in wire:
        # Two batches of at most 100 (outbox.js), each sent once: no retry after a 5xx.
        assert [response.status for response in phone_answers] == [200, 200]
        for response in phone_answers:
            for result in response.json()["results"]:
                told.setdefault(result["id"], []).append(result["status"])
    assert {i: sorted(s) for i, s in told.items() if i in shared_ids} == {
        i: ["created", "duplicate"] for i in shared_ids}
    assert {i: s for i, s in told.items() if i not in shared_ids} == {i: ["created"] for i in phone_ids}
    on_server = stored(own_server.database, sorted(shared_ids))
    assert sorted(row["id"] for row in on_server) == sorted(shared_ids)
    assert {json.loads(row["payload"])["text"] for row in on_server} == {e["payload"]["text"] for e in shared}
    for page in phones:
        assert page.evaluate("""async () => (await import('/static/js/outbox.js'))
            .entries(document.body.dataset.user)""") == []
    writer_ids = [e["id"] for batches in writer_batches for batch in batches for e in batch]
    everything = phone_ids + sorted(shared_ids) + writer_ids
    marks = ", ".join("?" for _ in everything)
    assert count_events(own_server.database, f"id IN ({marks})", tuple(everything)) == len(everything)
    log = own_server.log.read_text()
    assert "database is locked" not in log and "Traceback" not in log
    for context in contexts:
        context.close()
