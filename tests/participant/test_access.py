"""The one gate for a participant: their own placement through their own pages, and 404
for every other URL of the app (other placements, the mentor's, counsellor's, network and
admin pages, the API beyond what their phone sends), with nothing stored by any of it."""

from __future__ import annotations

from mentorapp.domain import access
from tests.support.events import daily_log, event, sync
from tests.support.routes import fill, one_of_everything, state

# What a participant's phone may use besides their own pages: who is signed in, sending
# their entries and asking which arrived.
PHONE = {"api.session_info", "api.sync_events", "api.received"}


def _send(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):
        return client.open(url, method=method, json={"events": [], "ids": []},
                           headers={"X-CSRF-Token": client.csrf_token})
    return client.open(url, method=method, data={"csrf_token": client.csrf_token,
                                                 "text": "Hei", "entries": "delete",
                                                 "sure": "on", "mood": "1", "period": "day"})


def test_a_participant_gets_404_on_every_url_but_their_own(app, world, db):
    from tests.support.participant import participant_of

    values = one_of_everything(app, world, db)
    # Someone else's placement, flag and call wherever a URL names one.
    values = {**values, "placement_id": world.placements["p2"]}
    phone = participant_of(app, world, "p1")
    before = state(db)
    own, tokenless, refused, wrong = [], [], 0, []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        allowed = access.rule_of(app.view_functions[rule.endpoint])
        if allowed == ("public",):
            continue  # sign-in, logout, health, the service worker: everyone's
        if allowed == ("api-token",):
            # NAV systems' feed reads a bearer token, never the session: a participant
            # gets what anyone without a token gets (below), never an office's events.
            tokenless.append(fill(rule, **values))
            continue
        if access.PARTICIPANT in allowed:
            own.append(rule.endpoint)
            assert rule.endpoint.startswith("participant.") or rule.endpoint in PHONE, \
                rule.endpoint
            continue
        url = fill(rule, **values)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = _send(phone, method, url)
            refused += 1
            if response.status_code != 404:
                wrong.append(f"{method} {url}: {response.status_code}")
    assert wrong == []
    assert refused > 80  # the walk went through the whole app
    assert state(db) == before  # nothing stored, not even an audit line
    anonymous = app.test_client()
    for url in tokenless:
        answer, anyone = phone.get(url), anonymous.get(url)
        assert (answer.status_code, answer.get_json()) == (anyone.status_code, anyone.get_json())
        assert answer.status_code == 401
    assert set(own) >= PHONE | {"participant.home", "participant.checkin"}


def test_a_participants_own_pages_open(world, as_participant):
    for path in ("/p/", "/p/checkin?period=day", "/p/checkin?period=week", "/p/goals",
                 "/p/talk", "/p/mentor", "/p/privacy", "/p/outbox"):
        response = as_participant.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store"
    page = as_participant.get("/p/").get_data(as_text=True)
    assert "Jonas" in page and "Lager 1 AS" in page


def test_the_sign_in_home_leads_a_participant_to_their_page(as_participant):
    response = as_participant.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/p/")


def test_a_participant_writes_to_their_own_placement_only(world, as_participant):
    own = event("participant_checkin", world.placements["p1"],
                {"period": "day", "date": daily_log(1)["payload"]["date"], "mood": 3})
    other = event("participant_checkin", world.placements["p2"],
                  {"period": "day", "date": own["payload"]["date"], "mood": 3})
    mentor_kind = daily_log(world.placements["p1"])
    results = sync(as_participant, [own, other, mentor_kind]).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "rejected"]
    assert results[1]["code"] == results[2]["code"] == "unknown_placement"


def test_a_mentor_cannot_write_the_participants_kinds(world, as_mentor):
    checkin = event("participant_checkin", world.placements["p1"],
                    {"period": "week", "date": daily_log(1)["payload"]["date"], "mood": 1})
    talk = event("talk_request", world.placements["p1"], {})
    results = sync(as_mentor, [checkin, talk]).get_json()["results"]
    assert [r["code"] for r in results] == ["unknown_placement", "unknown_placement"]
