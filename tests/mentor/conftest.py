"""Helpers for the mentor's pages: reading a rendered form and posting it as a browser
without JavaScript would."""

from __future__ import annotations

import re

import pytest


def form_event_id(page: str) -> str:
    return re.search(r'name="event_id" value="([^"]+)"', page).group(1)


def checked(page: str, name: str) -> list[str]:
    """The values of the checked radio buttons or checkboxes called `name`."""
    found = []
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and " checked" in tag:
            found.append(re.search(r'value="([^"]*)"', tag).group(1))
    return found


def field_value(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page, re.S).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


class MentorForms:
    """GET a form, then POST it with changes, like a phone without JavaScript."""

    def __init__(self, client, placement_id: int):
        self.client, self.placement_id = client, placement_id

    def open(self, kind: str, query: str = "") -> str:
        response = self.client.get(f"/m/p/{self.placement_id}/{kind}{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def post(self, kind: str, data: dict, event_id: str | None = None):
        if event_id is None:
            event_id = form_event_id(self.open(kind))
        body = {"csrf_token": self.client.csrf_token, "event_id": event_id, **data}
        return self.client.post(f"/m/p/{self.placement_id}/{kind}", data=body)


@pytest.fixture
def forms(as_mentor, world):
    return MentorForms(as_mentor, world.placements["p1"])
