"""The mentors' voice: topics proposed and voted on (one vote each, can be withdrawn),
and the coordinator's "what we changed" notes that mentors see."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mentorapp.domain import clock
from tests.support.clients import signed_in
from tests.support.network import move_gathering, plan, post


def propose(client, title="Hva gjør jeg når deltakeren ikke kommer?", **fields):
    response = post(client, "/n/topics/new", {"title": title, **fields})
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    return int(response.headers["Location"].rsplit("topic-", 1)[1])


def votes(db, topic_id):
    return [r["user_id"] for r in db.query("SELECT user_id FROM topic_votes WHERE topic_id = ?",
                                           [topic_id])]


def test_a_mentor_proposes_a_topic_and_it_counts_as_their_vote(world, as_mentor, db):
    topic_id = propose(as_mentor, description="Det skjer oftere enn jeg trodde")
    row = db["topics"].get(topic_id)
    assert (row["network_id"], row["status"]) == (world.ids["network_1"], "open")
    assert votes(db, topic_id) == [world.ids["mentor_a"]]
    page = as_mentor.get("/n/topics").get_data(as_text=True)
    assert "Hva gjør jeg når deltakeren ikke kommer?" in page and "1 stemme" in page
    assert "Trekk stemmen min" in page


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": ""}, "Fyll ut dette feltet."),
    ({"title": "x" * 121}, "Høyst 120 tegn"),
    ({"title": "Tema", "description": "x" * 501}, "Høyst 500 tegn"),
])
def test_bad_topics_are_refused(world, as_mentor, db, fields, message):
    response = post(as_mentor, "/n/topics/new", fields)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db["topics"].count == 0


def test_one_vote_each_and_it_can_be_withdrawn(app, world, as_mentor, db):
    topic_id = propose(as_mentor)
    mentor_b = signed_in(app, world, "mentor_b")
    for _twice in range(2):
        assert post(mentor_b, f"/n/topics/{topic_id}/vote").status_code == 303
    assert sorted(votes(db, topic_id)) == sorted([world.ids["mentor_a"], world.ids["mentor_b"]])
    assert "2 stemmer" in mentor_b.get("/n/topics").get_data(as_text=True)
    post(as_mentor, f"/n/topics/{topic_id}/vote", {"withdraw": "1"})
    post(as_mentor, f"/n/topics/{topic_id}/vote", {"withdraw": "1"})
    assert votes(db, topic_id) == [world.ids["mentor_b"]]


def test_htmx_voting_answers_with_the_topic_alone(world, as_mentor, db):
    topic_id = propose(as_mentor)
    response = as_mentor.post(f"/n/topics/{topic_id}/vote", data={"withdraw": "1"},
                              headers={"HX-Request": "true", "X-CSRF-Token": as_mentor.csrf_token})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.startswith(f'<li class="card topic" id="topic-{topic_id}">')
    assert "0 stemmer" in body and ">Stem<" in body


def test_the_coordinator_plans_a_topic_for_a_gathering(world, as_coordinator, as_mentor, db):
    topic_id = propose(as_mentor)
    gathering_id = plan(as_coordinator, title="Vintersamling")
    assert post(as_mentor, f"/n/topics/{topic_id}/status", {"status": "done"}).status_code == 404
    response = post(as_coordinator, f"/n/topics/{topic_id}/status",
                    {"status": "planned", "gathering_id": str(gathering_id)})
    assert response.status_code == 303
    assert (db["topics"].get(topic_id)["status"], db["topics"].get(topic_id)["gathering_id"]) == (
        "planned", gathering_id)
    page = as_mentor.get("/n/topics").get_data(as_text=True)
    assert "Planlagt til en samling" in page and "Vintersamling" in page
    # Once planned, the count stands.
    post(as_mentor, f"/n/topics/{topic_id}/vote", {"withdraw": "1"})
    assert votes(db, topic_id) == [world.ids["mentor_a"]]
    bad = post(as_coordinator, f"/n/topics/{topic_id}/status", {"status": "closed"})
    assert bad.status_code == 422
    assert "Velg en status, og en samling fra listen." in bad.get_data(as_text=True)
    other_network = post(as_coordinator, f"/n/topics/{topic_id}/status",
                         {"status": "planned", "gathering_id": "99999"})
    assert other_network.status_code == 422


def test_the_coordinator_does_not_see_who_proposed_or_voted(world, as_coordinator, as_mentor):
    propose(as_mentor)
    page = as_coordinator.get("/n/topics").get_data(as_text=True)
    assert "1 stemme" in page and "Ahmed Mentor" not in page.split("<main")[1].split("</main>")[0]


def test_what_we_changed_notes_reach_the_mentors(world, as_coordinator, as_mentor, db):
    gathering_id = plan(as_coordinator, title="Høstsamling")
    move_gathering(db, gathering_id, clock.now() - timedelta(days=3))
    response = post(as_coordinator, "/n/changes/new",
                    {"title": "Kortere samlinger, også på video",
                     "body": "Dere sa at tre timer er for lenge.\nNå: to timer og video.",
                     "gathering_id": str(gathering_id)})
    assert response.status_code == 303
    page = as_mentor.get("/n/changes").get_data(as_text=True)
    assert "Kortere samlinger, også på video" in page
    assert "Dere sa at tre timer er for lenge.\nNå: to timer og video." in page
    assert "etter Høstsamling" in page
    assert post(as_mentor, "/n/changes/new", {"title": "x", "body": "y"}).status_code == 404
    [note] = db.query("SELECT id FROM change_notes")
    assert post(as_coordinator, f"/n/changes/{note['id']}/delete").status_code == 303
    assert "Kortere samlinger" not in as_mentor.get("/n/changes").get_data(as_text=True)


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": "", "body": "tekst"}, "Fyll ut dette feltet."),
    ({"title": "Tittel", "body": ""}, "Fyll ut dette feltet."),
    ({"title": "Tittel", "body": "x" * 2001}, "Høyst 2000 tegn"),
    ({"title": "Tittel", "body": "tekst", "gathering_id": "4711"}, "Velg ett av alternativene."),
])
def test_bad_notes_are_refused(world, as_coordinator, db, fields, message):
    response = post(as_coordinator, "/n/changes/new", fields)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db["change_notes"].count == 0
