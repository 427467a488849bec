"""The feed for NAV systems: new events of one office's placements, in the order they
were stored, read with an API token an admin made for that office.

A system keeps the `next` cursor it was given and asks again with `since=<cursor>`; an
event is never in two pages, and nothing is skipped when events arrive while it reads.
"""

from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _

from mentorapp.api import bp
from mentorapp.domain import access, clock
from mentorapp.store import audit, events
from mentorapp.store.db import get_db, write
from mentorapp.web import security

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000


def _bad_request(message: str, field: str):
    response = jsonify(error="invalid_parameter", message=message, field=field)
    response.status_code = 400
    return response


def _whole_number(name: str, default: int, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        return None
    return int(raw)


@bp.route("/feed")
@security.exempt
@access.api_token
def feed():
    since = _whole_number("since", 0, 0, 2**63 - 1)
    if since is None:
        return _bad_request(_("since must be a cursor from an earlier answer (a whole number, "
                              "0 or more)."), "since")
    limit = _whole_number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    if limit is None:
        return _bad_request(_("limit must be a whole number from 1 to %(max)d.", max=MAX_LIMIT),
                            "limit")
    token = g.api_token
    db = get_db()
    rows = events.feed(db, token["office_id"], since, limit)
    with write(db):
        # Every NAV-side read of a case leaves a line: one per placement in this page.
        for placement_id in sorted({row["placement_id"] for row in rows}):
            audit.record(db, user_id=None, action="api_feed", placement_id=placement_id,
                         detail=f"token {token['id']} ({token['name']})")
    return jsonify(
        events=[{"seq": row["seq"], "id": row["id"], "type": row["type"],
                 "placement_id": row["placement_id"], "author_id": row["author_id"],
                 "author_role": row["author_role"], "occurred_at": row["occurred_at"],
                 "received_at": row["received_at"], "amends": row["amends"],
                 "payload": row["payload"]} for row in rows],
        next=rows[-1]["seq"] if rows else since,
        more=len(rows) == limit,
        server_time=clock.now_iso())
