"""A participant with their own app, made the way a real one is: the counsellor invites
them on the placement's page, and the participant signs in with the code shown there."""

from __future__ import annotations

import re

from tests.support.clients import csrf_token, signed_in
from tests.support.events import event, sync

CODE = re.compile(r'class="sign-in-code"[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})<')


def csrf_of(client, path: str = "/code") -> str:
    return csrf_token(client.get(path).get_data(as_text=True))


def invite(counsellor, placement_id: int) -> str:
    """The counsellor invites the participant (or makes a new sign-in); the code shown."""
    response = counsellor.post(f"/c/p/{placement_id}/participant/invite",
                               data={"csrf_token": counsellor.csrf_token})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    page = counsellor.get(f"/c/p/{placement_id}").get_data(as_text=True)
    return CODE.search(page).group(1)


def sign_in_with_code(app, code: str):
    """A fresh client (the participant's phone) signed in with the code."""
    phone = app.test_client()
    response = phone.post("/code", data={"csrf_token": csrf_of(phone), "code": code})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    phone.csrf_token = phone.get("/api/v1/session").get_json()["csrf_token"]
    return phone


def participant_of(app, world, case: str = "p1", counsellor: str = "counsellor_a"):
    """The participant of `case`, invited by `counsellor` and signed in on their phone."""
    staff = signed_in(app, world, counsellor)
    return sign_in_with_code(app, invite(staff, world.placements[case]))


def ask_to_talk(phone, placement_id: int, text: str = "Jeg vil snakke om turnusen") -> dict:
    talk = event("talk_request", placement_id, {"text": text})
    response = sync(phone, [talk])
    assert response.get_json()["results"][0]["status"] == "created", response.get_json()
    return talk
