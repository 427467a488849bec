"""Single sign-on in Chromium, against real OpenID providers (npm's oidc-provider on loopback,
one Entra ID-like issuer for staff and one ID-porten-like issuer for mentors) and the app
served by gunicorn: invitation → provider → linked account → home; logout here and there; and
a mentor's phone that goes offline, loses its session and keeps its outbox until the same
mentor signs in again."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from mentorapp.domain import clock
from tests.browser.conftest import phone_context, sign_in
from tests.support import oidc
from tests.support.browser import SMALL_TARGETS, run_axe
from tests.support.phone import (
    drain,
    event,
    outbox_entries,
    put_in_outbox,
    stored,
    wait_for_status,
    wait_until_kept,
)
from tests.support.server import LiveServer


@pytest.fixture(scope="module")
def sso(tmp_path_factory):
    """The app with both providers on; one worker, so that what it caches is tested too."""
    folder = tmp_path_factory.mktemp("sso")
    server = LiveServer(folder, workers=1)
    staff = oidc.OidcProvider(folder, [oidc.client("staff", server.url)], oidc.STAFF_ACCOUNTS)
    citizen = oidc.OidcProvider(folder, [oidc.client("citizen", server.url)],
                                oidc.CITIZEN_ACCOUNTS)
    staff.start()
    citizen.start()
    server.env.update(oidc.settings(staff, citizen, server.url))
    try:
        server.start()
        server.staff, server.citizen = staff, citizen
        yield server
    finally:
        server.stop()
        citizen.stop()
        staff.stop()


def invitation(server, who: str) -> str:
    from mentorapp import create_app
    from mentorapp.auth import invitations
    from mentorapp.store.db import get_db, write

    app = create_app({"INSTANCE_PATH": str(server.instance)})
    with app.app_context(), app.test_request_context():
        db = get_db()
        with write(db):
            return invitations.create(db, server.world.ids[who], None)


def at_provider(page, login: str) -> None:
    """The provider's own sign-in form, unless its session still knows the person."""
    field = page.get_by_label("User name")
    page.wait_for_load_state()
    if "/interaction/" in page.url:
        field.fill(login)
        page.get_by_role("button", name="Sign in").click()


def sign_out_everywhere(page) -> None:
    page.goto("/logout")
    page.get_by_role("button", name="Logg ut", exact=True).click()
    # The provider asks; yes leads back to our log in page.
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url("**/login**")


def test_a_counsellor_is_invited_signs_in_with_entra_id_and_signs_out_at_both(browser, sso):
    context = browser.new_context(base_url=sso.url, locale="nb-NO")
    page = context.new_page()
    page.goto(f"/invite/{invitation(sso, 'counsellor_a')}")
    assert run_axe(page) == []
    page.get_by_role("link", name="Logg inn med Entra ID").click()
    at_provider(page, "kari.nav")
    page.wait_for_url("**/c/")
    assert page.locator("h1").first.inner_text() != ""
    assert "Jonas" in page.content()  # her caseload

    sign_out_everywhere(page)
    page.goto("/c/")
    assert "/login" in page.url
    # Signed out at the provider too: the next sign-in asks who it is, and finds her linked.
    page.get_by_role("link", name="Logg inn med Entra ID").click()
    page.get_by_label("User name").wait_for()
    at_provider(page, "kari.nav")
    page.wait_for_url("**/c/")
    context.close()


def test_an_unlinked_identity_gets_a_clear_page_and_no_session(browser, sso):
    context = browser.new_context(base_url=sso.url, locale="nb-NO")
    page = context.new_page()
    page.goto("/login")
    assert run_axe(page) == []
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    at_provider(page, "mentor.minid")
    page.locator("#oidc-refused").wait_for()
    assert page.locator("h1").inner_text() == "Du er ikke logget inn"
    assert "Ingen konto her er knyttet til denne ID-porten-identiteten" in page.content()
    assert run_axe(page) == []
    page.goto("/m/")
    assert "/login" in page.url
    context.close()


def test_the_sign_in_pages_work_at_320_px_with_large_targets(browser, sso):
    context = browser.new_context(base_url=sso.url, locale="nb-NO",
                                  viewport={"width": 320, "height": 640})
    page = context.new_page()
    for path in ("/login", f"/invite/{invitation(sso, 'mentor_b')}"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        assert page.evaluate(SMALL_TARGETS) == []
    page.goto("/login/oidc/citizen/callback?code=x&state=y")
    assert page.locator("#oidc-refused").get_attribute("data-reason") == "state"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert run_axe(page) == []
    context.close()


def test_a_mentor_offline_keeps_the_outbox_across_an_ended_session_until_signed_in_again(
        browser, sso):
    mentor = sso.world.ids["mentor_a"]
    p1 = sso.world.placements["p1"]
    context = phone_context(browser, sso.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/invite/{invitation(sso, 'mentor_a')}")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    at_provider(page, "mentor.bankid")
    page.wait_for_url("**/m/")
    wait_until_kept(page)
    page.wait_for_selector("#phone-status[data-checked]", state="attached")

    # Offline: the kept pages open, and what the mentor logs waits in the outbox.
    context.set_offline(True)
    page.reload()
    assert page.title().startswith("I dag")
    waiting = [event("comment", p1, {"text": "Skrevet uten dekning"}),
               event("comment", p1, {"text": "Og en til"})]
    put_in_outbox(page, waiting)

    # While the phone was away, the session ran out (idle longer than a mentor may be).
    with sqlite3.connect(sso.database) as conn:
        conn.execute("UPDATE sessions SET last_seen_at = ? WHERE user_id = ?",
                     [clock.iso(clock.now() - timedelta(days=400)), mentor])
    context.set_offline(False)
    assert drain(page)["state"] == "login"
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#phone-status[data-state=login]")
    assert sorted(e["id"] for e in outbox_entries(page)) == sorted(e["id"] for e in waiting)
    assert stored(sso.database, [e["id"] for e in waiting]) == []
    assert page.get_by_role("link", name="Logg inn igjen").count() == 1

    # Someone else signs in on the phone meanwhile: her entries are not sent as theirs.
    sign_in(page, sso, "mentor_c")
    page.wait_for_selector("#phone-status[data-checked]", state="attached")
    assert drain(page)["state"] == "done"
    assert stored(sso.database, [e["id"] for e in waiting]) == []
    page.goto("/logout")
    page.get_by_role("button", name="Logg ut", exact=True).click()
    page.wait_for_url("**/login")

    # She signs in again through ID-porten (its own session may still know her): it drains.
    page.goto("/login?next=/m/")
    page.get_by_role("link", name="Logg inn med ID-porten").click()
    at_provider(page, "mentor.bankid")
    page.wait_for_url("**/m/**")
    wait_for_status(page, pending=0)
    with sqlite3.connect(sso.database) as conn:
        authors = conn.execute(
            f"SELECT DISTINCT author_id FROM events WHERE id IN ({', '.join('?' * len(waiting))})",  # noqa: S608
            [e["id"] for e in waiting]).fetchall()
    assert authors == [(mentor,)]
    assert len(stored(sso.database, [e["id"] for e in waiting])) == 2

    sign_out_everywhere(page)
    assert errors == []
    context.close()
