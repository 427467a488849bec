"""The participant's own phone in Chromium: signed in with the code the counsellor's page
shows, pages kept for offline use, a check-in made offline waits in the outbox and
reaches the server once; what the mentor marked hidden is on none of the participant's
pages, in no cache and not in IndexedDB; every page passes axe-core and works at 320 px."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests

from mentorapp.domain import clock
from tests.browser.test_accessibility import SMALL_TARGETS
from tests.support.browser import run_axe
from tests.support.clients import csrf_token
from tests.support.phone import (
    ApiClient,
    event,
    outbox_entries,
    stored,
    wait_for_status,
    wait_until,
)

HIDDEN = "Skjult notat om en vanskelig samtale"
SHOWN = "Synlig notat: flink med varemottaket"
PAGES = ["/p/", "/p/checkin?period=day", "/p/checkin?period=week", "/p/goals", "/p/talk",
         "/p/mentor", "/p/privacy", "/p/outbox"]

# Everything the phone keeps: every store of IndexedDB "mentorapp" and every response
# in Cache Storage, as text.
EVERYTHING_KEPT = """async () => {
  const parts = [];
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('mentorapp');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  for (const name of db.objectStoreNames) {
    const rows = await new Promise((resolve, reject) => {
      const request = db.transaction(name).objectStore(name).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    parts.push(JSON.stringify(rows));
  }
  db.close();
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      urls.push(request.url);
      const response = await cache.match(request);
      parts.push(await response.text());
    }
  }
  return {text: parts.join('\\n'), urls};
}"""


def _invite(server, placement_id: int) -> str:
    """The counsellor invites the participant; the code the placement page shows."""
    nav = ApiClient(server, "counsellor_a")
    page = nav.http.get(f"{server.url}/c/p/{placement_id}", timeout=30).text
    token = csrf_token(page)
    sent = nav.http.post(f"{server.url}/c/p/{placement_id}/participant/invite", timeout=30,
                         data={"csrf_token": token}, allow_redirects=False)
    assert sent.status_code == 303
    page = nav.http.get(f"{server.url}/c/p/{placement_id}", timeout=30).text
    return re.search(r'class="sign-in-code"[^>]*>([A-Z0-9-]+)<', page).group(1)


def _mentor_logs(server, placement_id: int) -> None:
    mentor = ApiClient(server, "mentor_a")
    today = clock.today()
    logs = [event("daily_log", placement_id, {"date": (today - timedelta(days=1)).isoformat(),
                                              "attendance": "on_time", "note": SHOWN}),
            event("daily_log", placement_id, {"date": (today - timedelta(days=2)).isoformat(),
                                              "attendance": "late", "note": HIDDEN,
                                              "visible_to_participant": False})]
    results = mentor.sync(logs).json()["results"]
    assert [r["status"] for r in results] == ["created", "created"]


def _sign_in_with_code(page, code: str) -> None:
    page.goto("/login")
    page.get_by_role("link", name="Jeg er deltaker og har en kode").click()
    page.get_by_label("Koden").fill(code)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: url.endswith("/p/"))


def _kept(page) -> None:
    page.wait_for_selector("html[data-offline-ready=yes]", state="attached", timeout=30000)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()  # the claim race: see tests/support/phone.py
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_selector("#phone-status[data-checked]", state="attached")


@pytest.fixture
def participant_phone(browser, own_server):
    from tests.browser.conftest import phone_context

    p1 = own_server.world.placements["p1"]
    _mentor_logs(own_server, p1)
    code = _invite(own_server, p1)
    context = phone_context(browser, own_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    _sign_in_with_code(page, code)
    _kept(page)
    yield context, page, p1
    context.close()


def test_offline_check_in_waits_then_reaches_the_server_once(participant_phone, own_server):
    context, page, p1 = participant_phone
    context.set_offline(True)
    page.goto("/p/checkin?period=week")  # from the service worker
    assert page.title().startswith("Hvordan var uka mi?")
    page.wait_for_selector("form[data-entry-form][data-enhanced=yes]", state="attached")
    page.get_by_text("Ikke så bra", exact=True).click()
    page.get_by_label("Vil du si mer? (du kan hoppe over dette)").fill("Mye nytt denne uka")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url(lambda url: url.endswith("/p/"))
    now = wait_for_status(page, pending=1)
    assert "1 ting venter på telefonen." in now["text"]
    waiting = outbox_entries(page)
    assert [e["event"]["type"] for e in waiting] == ["participant_checkin"]
    payload = waiting[0]["event"]["payload"]
    assert payload == {"period": "week", "date": clock.today().isoformat(), "mood": 2,
                       "text": "Mye nytt denne uka"}
    assert stored(own_server.database, [waiting[0]["id"]]) == []

    context.set_offline(False)  # the page sends by itself when the network is back
    wait_for_status(page, pending=0)
    rows = wait_until(lambda: stored(own_server.database, [waiting[0]["id"]]), page=page)
    assert len(rows) == 1 and rows[0]["type"] == "participant_checkin"
    assert "Alt du skrev er sendt." in page.locator("#phone-status").inner_text()
    # The counsellor sees it, marked as the participant's own words.
    nav = ApiClient(own_server, "counsellor_a")
    text = nav.http.get(f"{own_server.url}/c/p/{p1}", timeout=30).text
    assert "Mye nytt denne uka" in text and "deltakerens ord" in text
    assert page.js_errors == []


def test_what_the_mentor_hid_is_nowhere_on_the_participants_phone(participant_phone,
                                                                  own_server):
    context, page, p1 = participant_phone
    page.goto("/p/mentor")
    assert SHOWN in page.content() and HIDDEN not in page.content()
    for path in PAGES:
        page.goto(path)
    kept = page.evaluate(EVERYTHING_KEPT)
    assert any(url.endswith("/p/mentor") for url in kept["urls"])
    assert SHOWN in kept["text"]  # the kept copy of the mentor's shared notes
    assert HIDDEN not in kept["text"]
    # Offline, the kept page is the one shown: still without the hidden note.
    context.set_offline(True)
    page.goto("/p/mentor")
    assert SHOWN in page.content() and HIDDEN not in page.content()
    # The server does not hand it over through the API either.
    session = requests.Session()
    for cookie in context.cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    context.set_offline(False)
    answer = session.get(f"{own_server.url}/api/v1/placements/{p1}", timeout=30)
    assert answer.status_code == 404


def test_every_participant_page_passes_axe_and_works_at_320_px(participant_phone):
    _context, page, _p1 = participant_phone
    page.set_viewport_size({"width": 320, "height": 640})
    for path in PAGES:
        page.goto(path)
        page.wait_for_selector("#phone-status:not([hidden])")
        assert run_axe(page) == [], path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
        assert page.evaluate(SMALL_TARGETS) == [], path
    # No face chosen: the phone says so, and nothing goes into the outbox.
    page.goto("/p/checkin?period=day")
    page.wait_for_selector("form[data-entry-form][data-enhanced=yes]", state="attached")
    page.get_by_role("button", name="Send", exact=True).click()
    assert page.evaluate("document.querySelector('input[name=mood]').validity.valueMissing")
    assert page.url.endswith("/p/checkin?period=day")
    assert outbox_entries(page) == []
    assert page.js_errors == []


def test_closing_the_account_removes_what_the_phone_kept(participant_phone):
    context, page, _p1 = participant_phone
    page.goto("/p/goals")
    page.wait_for_selector("form[data-entry-form][data-enhanced=yes]", state="attached")
    page.get_by_label("Mine egne mål, med mine egne ord").fill("Bli fast ansatt")
    page.get_by_role("button", name="Lagre målene mine").click()
    page.wait_for_url(lambda url: url.endswith("/p/"))
    wait_for_status(page, pending=0)
    assert "Bli fast ansatt" in page.evaluate(EVERYTHING_KEPT)["text"]  # in "sent"
    page.goto("/p/privacy")
    page.get_by_text("Slett det.", exact=True).click()
    page.get_by_text("Ja, jeg vil slutte å bruke appen.", exact=True).click()
    page.get_by_role("button", name="Slutt å bruke appen").click()
    page.wait_for_selector("h1:has-text('Du har sluttet å bruke appen')")
    # The scripts' texts stay with the shell (the same for everyone); no page of theirs.
    kept = wait_until(lambda: (lambda k: k if not any(
        "/p/" in u and "/p/texts.json" not in u for u in k["urls"]) else None)(
        page.evaluate(EVERYTHING_KEPT)), page=page)
    assert "Bli fast ansatt" not in kept["text"] and SHOWN not in kept["text"]
    context.set_offline(True)
    page.goto("/p/")  # nothing kept: the offline page, with no one's name on it
    assert "Jonas" not in page.content()
    assert page.js_errors == []
