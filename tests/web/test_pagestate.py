"""X-Page-State: the same for two answers of a page that says the same (whatever the CSRF
token, the form's event id or the time it was made), different once NAV's side changed, and
only on the pages the phone keeps."""

from __future__ import annotations

import re

from mentorapp.web.pagestate import HEADER, page_state
from tests.support.clients import signed_in
from tests.support.counsellor import call_request, post
from tests.support.participant import participant_of


def _kept_pages(client, home: str) -> list[str]:
    page = client.get(home).get_data(as_text=True)
    return re.search(r'data-warm="([^"]*)"', page).group(1).split()


def test_every_kept_page_has_one_state_for_two_answers_of_the_same_content(app, world, as_mentor):
    other_session = signed_in(app, world, "mentor_a")
    assert other_session.csrf_token != as_mentor.csrf_token
    for path in _kept_pages(as_mentor, "/m/"):
        # Compressed as the phone asks for them: the state is of the HTML, not of the gzip.
        first, second, elsewhere = (c.get(path, headers={"Accept-Encoding": "gzip"})
                                    for c in (as_mentor, as_mentor, other_session))
        assert first.headers["Content-Encoding"] == "gzip", path
        assert first.status_code == 200, path
        assert first.get_data() != second.get_data(), path  # rendered_at, event ids: never alike
        assert re.fullmatch(r"[0-9a-f]{16}", first.headers[HEADER]), path
        assert first.headers[HEADER] == second.headers[HEADER] == elsewhere.headers[HEADER], path


def test_the_state_changes_when_nav_answers(world, as_mentor, as_counsellor):
    p1 = world.placements["p1"]
    page = f"/m/p/{p1}"
    call = call_request(as_mentor, p1)
    before = as_mentor.get(page).headers[HEADER]
    assert post(as_counsellor, f"/c/p/{p1}/calls/{call['id']}/seen").status_code == 303
    after = [as_mentor.get(page).headers[HEADER] for _ in range(2)]
    assert after[0] != before
    assert after[0] == after[1]


def test_the_participants_pages_carry_it_too(app, world):
    phone = participant_of(app, world)
    for path in _kept_pages(phone, "/p/"):
        answers = [phone.get(path) for _ in range(2)]
        assert answers[0].headers[HEADER] == answers[1].headers[HEADER], path


def test_pages_the_phone_does_not_keep_have_none(client, as_counsellor, as_mentor):
    assert HEADER not in as_counsellor.get("/c/").headers
    assert HEADER not in client.get("/login").headers
    assert HEADER not in as_mentor.get("/api/v1/session").headers
    assert HEADER not in as_mentor.get("/m/texts.json?lang=nb").headers


def test_only_the_per_response_values_are_left_out():
    page = ('<form><input type="hidden" name="csrf_token" value="tok-1">'
            '<input type="hidden" name="event_id" value="{id}"></form>'
            '<div data-rendered-at="{at}">{text}</div>')
    one = page.format(id="a1", at="2026-12-02T10:00:00+00:00", text="Ringer deg i dag")
    two = page.format(id="b2", at="2026-12-02T11:00:00+00:00", text="Ringer deg i dag")
    assert page_state(one, "tok-1") == page_state(two.replace("tok-1", "tok-2"), "tok-2")
    assert page_state(one, "tok-1") != page_state(one.replace("i dag", "i morgen"), "tok-1")
