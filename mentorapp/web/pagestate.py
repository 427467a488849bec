"""X-Page-State: a short fingerprint of what a mentor's or participant's page says.

The service worker may show the phone's kept copy of a page before the fresh one arrives
(static/js/sw.js); when the fresh one comes, it compares the two pages' states and tells
the page only if the content changed. The bytes cannot be compared: no two answers are
the same (see `page_state`).
"""

from __future__ import annotations

import hashlib
import re

from flask import Flask, Response, request, session

# The blueprints whose pages the service worker keeps (its `isCasePage`).
KEPT_BY_THE_PHONE = frozenset({"mentor", "participant"})
HEADER = "X-Page-State"

# Values each render makes new: the id a form's entry will be saved under
# (mentorapp.mentor.entries.new_event_id) and the time the page was made (`rendered_at`).
_PER_RENDER = re.compile(r'(name="event_id" value="|data-rendered-at=")[^"]*"')


def page_state(body: str, csrf: str | None) -> str:
    """The page's state: a hash of its HTML with what differs between two answers of the
    same content blanked out, the session's CSRF token (web/security.py; new at each
    sign-in, so a page kept before the browser restarted has another) and the per-render
    values above. 16 hex digits: a fingerprint to compare, not a secret."""
    if csrf:
        body = body.replace(csrf, "")
    body = _PER_RENDER.sub(r'\1"', body)
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def add_header(response: Response) -> Response:
    if (request.blueprint not in KEPT_BY_THE_PHONE or response.status_code != 200
            or response.mimetype != "text/html" or response.direct_passthrough):
        return response
    response.headers[HEADER] = page_state(response.get_data(as_text=True), session.get("csrf"))
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_header)
