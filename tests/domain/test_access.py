"""The one gate: every route declares a rule; nobody sees a placement that is not theirs."""

from __future__ import annotations

import re

import pytest

from mentorapp.domain import access
from tests.support.routes import fill, state


def test_every_route_has_an_access_rule(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue  # Flask's own: public files only
        view = app.view_functions[rule.endpoint]
        if access.rule_of(view) is None:
            missing.append(f"{rule.rule} ({rule.endpoint})")
    assert missing == [], "routes without an access rule: " + ", ".join(missing)


def _placement_routes(app):
    for rule in app.url_map.iter_rules():
        if "placement_id" in rule.arguments:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def _url(rule, placement_id: int) -> str:
    return re.sub(r"<(?:[^:>]+:)?placement_id>", str(placement_id), rule.rule)


def _request(client, method: str, url: str, data: dict | None = None):
    if method == "GET":
        return client.get(url)
    headers = {"X-CSRF-Token": client.csrf_token}
    return client.open(url, method=method, headers=headers,
                       data={"csrf_token": client.csrf_token, **(data or {})})


def test_there_are_placement_routes_to_check(app):
    assert len(list(_placement_routes(app))) >= 6


@pytest.mark.parametrize("who", ["as_coordinator", "as_admin"])
def test_coordinator_and_admin_get_404_for_every_placement_url(request, app, world, who):
    client = request.getfixturevalue(who)
    for rule, method in _placement_routes(app):
        response = _request(client, method, _url(rule, world.placements["p1"]))
        assert response.status_code == 404, f"{method} {rule.rule} answered {response.status_code}"


@pytest.fixture
def matters(app, world):
    """An open flag and call request on p1 and on p2, sent by each one's mentor through the
    real sync API, and a request to talk from each one's participant: the flag, call and
    talk routes then have a real thing to act on."""
    from tests.support.clients import signed_in
    from tests.support.events import event, sync
    from tests.support.participant import ask_to_talk, participant_of

    found = {}
    for case, mentor in (("p1", "mentor_a"), ("p2", "mentor_b")):
        flag = event("flag", world.placements[case], {"category": "absence", "severity": "urgent"})
        call = event("call_request", world.placements[case], {"urgency": "today"})
        response = sync(signed_in(app, world, mentor), [flag, call])
        assert [r["status"] for r in response.get_json()["results"]] == ["created", "created"]
        counsellor = "counsellor_a" if case == "p1" else "counsellor_a2"
        talk = ask_to_talk(participant_of(app, world, case, counsellor), world.placements[case])
        found[case] = {"flag_id": flag["id"], "call_id": call["id"], "talk_id": talk["id"]}
    return found


def _placement_form() -> dict:
    """One valid value for every field of every placement form: a POST the gate let through
    would change something."""
    from datetime import timedelta

    from mentorapp.domain import clock

    soon = clock.local(clock.now() + timedelta(days=2)).replace(hour=10, minute=0)
    return {"outcome": "employed", "outcome_note": "Fikk jobb", "decision": "extending",
            "new_end_date": (clock.today() + timedelta(days=200)).isoformat(),
            "mentor_name": "Mona Ny", "mentor_email": "mona@test.mentorapp.no",
            "reason": "Bytte", "text": "Hei fra NAV", "note": "Ringte", "parallel_processes": "on",
            "display_name": "Vilja",
            "at": soon.strftime("%Y-%m-%dT%H:%M")}


def _closing_last(pair) -> bool:
    # Ending the placement or closing a matter first would make the later forms refuse for
    # that reason; the control below wants each form's own answer.
    rule, _method = pair
    return rule.rule.endswith(("/end", "/done", "/resolve"))


@pytest.mark.parametrize(("stranger", "case", "responsible"), [
    ("counsellor_a", "p2", "counsellor_a2"),  # same office, neither responsible nor backup
    ("counsellor_b", "p1", "counsellor_a"),   # another office
])
def test_unrelated_counsellor_gets_404_for_every_placement_url(app, world, db, matters, stranger,
                                                               case, responsible):
    from tests.support.clients import signed_in

    routes = sorted(_placement_routes(app), key=_closing_last)
    urls = [(method, fill(rule, placement_id=world.placements[case], **matters[case]),
             access.COUNSELLOR in access.rule_of(app.view_functions[rule.endpoint]))
            for rule, method in routes]
    data = _placement_form()
    client = signed_in(app, world, stranger)
    before = state(db)
    for method, url, _counsellors in urls:
        response = _request(client, method, url, data)
        assert response.status_code == 404, f"{method} {url} answered {response.status_code}"
    assert state(db) == before  # no change, not even an audit line for a case not theirs

    # The control: the same URLs and forms from the counsellor responsible do reach the
    # views, so the 404s above came from the gate and not from wrong URLs or forms. (The
    # mentor's own routes answer 404 to every counsellor, so they have no control here.)
    own = signed_in(app, world, responsible)
    for method, url in [(method, url) for method, url, counsellors in urls if counsellors]:
        response = _request(own, method, url, data)
        # The first step of an erasure answers with what it would delete (and its reason
        # here, "Bytte", is not one of the list's: 422), never erasing anything.
        expected = 422 if url.endswith("/erase") else 200 if method == "GET" else 303
        assert response.status_code == expected, f"{method} {url}"


def test_mentor_gets_404_for_another_mentors_placement_on_every_url(app, world, as_mentor):
    for rule, method in _placement_routes(app):
        response = _request(as_mentor, method, _url(rule, world.placements["p2"]))
        assert response.status_code == 404, f"{method} {rule.rule}"


def test_mentor_sees_own_placement_through_the_api(world, as_mentor):
    own = as_mentor.get(f"/api/v1/placements/{world.placements['p1']}")
    assert own.status_code == 200
    assert own.get_json()["participant"] == "Jonas"
    other = as_mentor.get(f"/api/v1/placements/{world.placements['p2']}")
    assert other.status_code == 404
    assert other.get_json()["error"] == "not_found"
    missing = as_mentor.get("/api/v1/placements/99999")
    assert missing.status_code == 404


def test_counsellor_sees_only_placements_where_responsible_or_backup(app, world):
    from tests.support.clients import signed_in

    backup = signed_in(app, world, "counsellor_a2")  # backup on p1, responsible for p2
    page = backup.get("/c/").get_data(as_text=True)
    assert "Jonas" in page and "Amina" in page and "Siri" not in page
    assert backup.get(f"/c/p/{world.placements['p1']}").status_code == 200
    assert backup.get(f"/c/p/{world.placements['p2']}").status_code == 200
    assert backup.get(f"/c/p/{world.placements['p3']}").status_code == 404

    responsible = signed_in(app, world, "counsellor_a")  # responsible for p1 only
    page = responsible.get("/c/").get_data(as_text=True)
    assert "Jonas" in page and "Amina" not in page and "Siri" not in page
    assert responsible.get(f"/c/p/{world.placements['p2']}").status_code == 404


def test_roles_reach_only_their_own_areas(world, as_mentor, as_counsellor, as_coordinator):
    assert as_mentor.get("/c/").status_code == 404
    assert as_mentor.get("/admin/").status_code == 404
    assert as_counsellor.get("/m/").status_code == 404
    assert as_coordinator.get("/c/").status_code == 404
    assert as_coordinator.get("/m/").status_code == 404


def test_anonymous_is_sent_to_login_and_api_answers_401(client):
    response = client.get("/c/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    api = client.post("/api/v1/sync", json={"events": []})
    assert api.status_code == 401
    assert api.get_json()["error"] == "unauthenticated"
    assert client.get("/api/v1/session").status_code == 401


def test_nav_side_reads_leave_an_audit_line(app, world, as_counsellor, db):
    before = db["audit_log"].count
    as_counsellor.get(f"/c/p/{world.placements['p1']}")
    lines = list(db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert db["audit_log"].count == before + 1
    assert lines[0]["user_id"] == world.ids["counsellor_a"]
    assert lines[0]["placement_id"] == world.placements["p1"]
