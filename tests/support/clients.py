"""Test clients signed in as someone from the world (flaskr's AuthActions), and the one way
the tests read a page's CSRF token."""

from __future__ import annotations

import re

from tests.support import world

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(page: str) -> str:
    """The CSRF token of the first form on a page (HTML text)."""
    found = _CSRF.search(page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class Auth:
    """Sign a test client in and out as someone from the world."""

    def __init__(self, client, people):
        self.client, self.world = client, people

    def csrf(self) -> str:
        return csrf_token(self.client.get("/login").get_data(as_text=True))

    def login(self, who: str, remember: bool = False):
        email = self.world.users[who]["email"]
        data = {"csrf_token": self.csrf(), "email": email, "password": world.PASSWORD}
        if remember:
            data["remember"] = "on"
        response = self.client.post("/login", data=data)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return response

    def token(self) -> str:
        """The signed-in session's CSRF token, as the phone gets it."""
        return self.client.get("/api/v1/session").get_json()["csrf_token"]

    def logout(self):
        token = csrf_token(self.client.get("/logout").get_data(as_text=True))
        return self.client.post("/logout", data={"csrf_token": token})


def signed_in(app, people, who: str):
    """A new test client signed in as `who`, with its session's CSRF token at hand."""
    client = app.test_client()
    Auth(client, people).login(who)
    client.csrf_token = Auth(client, people).token()
    return client
