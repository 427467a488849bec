"""Driving the mentor's phone in Chromium: signing in, waiting until the pages are kept for
offline use, looking into the outbox, and reading what the server stored."""

from __future__ import annotations

import json
import sqlite3
import time
import uuid

import requests

from tests.browser.conftest import sign_in
from tests.support.clients import csrf_token
from tests.support.world import PASSWORD

OUTBOX = "/static/js/outbox.js"


def open_as(context, server, who: str, locale: str = "nb"):
    """A new page signed in as `who`, with the service worker in control and the mentor's
    pages kept for offline use."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    sign_in(page, server, who, locale)
    wait_until_kept(page)
    # The page sends what waits when it opens: let that round end first, or it may take the
    # entries a test puts in the outbox next and leave the test's own drain() nothing to do.
    page.wait_for_selector("#phone-status[data-checked]", state="attached")
    return page


def wait_until_kept(page, timeout: float = 20000) -> None:
    page.wait_for_selector("html[data-offline-ready=yes]", state="attached", timeout=timeout)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        # A page whose request went out just before the worker activated, but that was
        # created just after its clients.claim(), stays uncontrolled until its next load
        # (the spec's race, not ours): load it again, as the mentor's next visit would.
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=timeout)


def status(page) -> dict:
    """What the phone-status bar says and counts."""
    box = page.locator("#phone-status")
    return {"text": box.locator("[data-status-text]").inner_text(),
            "pending": int(box.get_attribute("data-pending") or 0),
            "rejected": int(box.get_attribute("data-rejected") or 0),
            "state": box.get_attribute("data-state")}


def wait_for_status(page, *, pending: int | None = None, rejected: int | None = None,
                    timeout: float = 20000) -> dict:
    conditions = []
    if pending is not None:
        conditions.append(f"b.dataset.pending === '{pending}'")
    if rejected is not None:
        conditions.append(f"b.dataset.rejected === '{rejected}'")
    page.wait_for_function(
        "() => { const b = document.getElementById('phone-status');"
        f" return b && !b.hidden && {' && '.join(conditions) or 'true'}; }}", timeout=timeout)
    return status(page)


def outbox_entries(page) -> list[dict]:
    return page.evaluate(f"""async () => {{
        const outbox = await import('{OUTBOX}');
        return outbox.entries(document.body.dataset.user);
    }}""")


def sent_entries(page) -> list[dict]:
    return page.evaluate(f"""async () => {{
        const outbox = await import('{OUTBOX}');
        return outbox.sent(document.body.dataset.user);
    }}""")


def put_in_outbox(page, events: list[dict], extra: dict | None = None) -> None:
    """Entries as if the mentor had saved them on the phone (without starting a send)."""
    page.evaluate(f"""async ([events, extra]) => {{
        const outbox = await import('{OUTBOX}');
        for (const event of events) await outbox.add(document.body.dataset.user, event, extra || {{}});
    }}""", [events, extra])


def drain(page, force: bool = True) -> dict:
    return page.evaluate(f"""async (force) => {{
        const outbox = await import('{OUTBOX}');
        return outbox.drain({{force}});
    }}""", force)


def event(kind: str, placement_id: int, payload: dict, occurred_at: str | None = None) -> dict:
    from mentorapp.domain import clock

    return {"id": str(uuid.uuid4()), "type": kind, "placement_id": placement_id,
            "occurred_at": occurred_at or clock.now_iso(), "payload": payload}


# The server's side ---------------------------------------------------------------------------

def stored(database: str, ids: list[str]) -> list[dict]:
    """The events among `ids` the server has, read straight from its database file."""
    if not ids:
        return []
    with sqlite3.connect(database, timeout=10) as conn:
        conn.row_factory = sqlite3.Row
        marks = ", ".join("?" for _ in ids)
        rows = conn.execute(f"SELECT id, type, placement_id, amends, payload FROM events "  # noqa: S608
                            f"WHERE id IN ({marks})", ids).fetchall()
    return [dict(row) for row in rows]


def count_events(database: str, where: str = "1", params: tuple = ()) -> int:
    with sqlite3.connect(database, timeout=10) as conn:
        return conn.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]  # noqa: S608


def wait_until(check, timeout: float = 30.0, interval: float = 0.2, page=None):
    """Polls `check`; with a page, waits through Playwright so its events keep flowing."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {check}")
        if page is not None:
            page.wait_for_timeout(interval * 1000)
        else:
            time.sleep(interval)


class ApiClient:
    """A mentor's session over plain HTTP, as another device would have it."""

    def __init__(self, server, who: str):
        self.base = server.url
        self.http = requests.Session()
        login = self.http.get(self.base + "/login", timeout=30).text
        token = csrf_token(login)
        response = self.http.post(self.base + "/login", timeout=30, allow_redirects=False, data={
            "csrf_token": token, "email": server.world.users[who]["email"], "password": PASSWORD})
        assert response.status_code == 303, response.text[:300]
        self.csrf = self.http.get(self.base + "/api/v1/session", timeout=30).json()["csrf_token"]

    def sync(self, events: list[dict]) -> requests.Response:
        return self.http.post(self.base + "/api/v1/sync", json={"events": events}, timeout=60,
                              headers={"X-CSRF-Token": self.csrf})


class SlowWorkerNetwork:
    """The service worker's fetches held back by `latency_ms`, as on one bar of signal.

    Playwright's routes do not see what a service worker fetches, and a page's own network
    emulation does not reach its worker (docs/performance.md, "Does the throttling reach the
    service worker?"): like bench/phone.py, the page's DevTools session attaches to the
    worker (and to any worker started later, held at its start until it is slowed)."""

    def __init__(self, context, page, latency_ms: float):
        self.conditions = {"offline": False, "latency": latency_ms,
                           "downloadThroughput": -1, "uploadThroughput": -1}
        self.session = context.new_cdp_session(page)
        self.slowed = 0  # workers whose network emulation has been acknowledged
        self._ids = 0
        self._pending: set[int] = set()
        self.session.on("Target.attachedToTarget", self._attached)
        self.session.on("Target.receivedMessageFromTarget", self._answered)
        self.session.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True,
                                                   "flatten": False})
        # The worker applies the conditions when it gets to them: wait for its answer.
        wait_until(lambda: self.slowed, timeout=10, interval=0.05, page=page)

    def _attached(self, event: dict) -> None:
        messages = [("Runtime.runIfWaitingForDebugger", {})]
        if event["targetInfo"]["type"] == "service_worker":
            messages[:0] = [("Network.enable", {}),
                            ("Network.emulateNetworkConditions", self.conditions)]
        for method, params in messages:
            self._ids += 1
            if method == "Network.emulateNetworkConditions":
                self._pending.add(self._ids)
            self.session.send("Target.sendMessageToTarget", {
                "sessionId": event["sessionId"],
                "message": json.dumps({"id": self._ids, "method": method, "params": params})})

    def _answered(self, event: dict) -> None:
        answer = json.loads(event["message"])
        if answer.get("id") in self._pending and "error" not in answer:
            self._pending.discard(answer["id"])
            self.slowed += 1

    def worker_fetch_ms(self, page) -> float:
        """How long the worker takes to fetch a small answer (the scripts' texts under a URL
        it has not kept)."""
        return page.evaluate("""async () => {
            const began = performance.now();
            const url = `/m/texts.json?lang=nb&v=probe-${Math.random().toString(36).slice(2)}`;
            await (await fetch(url, { cache: "no-store" })).text();
            return performance.now() - began;
        }""")
