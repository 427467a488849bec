"""JSON endpoints. Errors are JSON too (see mentorapp.web.errors); the contract is openapi.py."""

from __future__ import annotations

from datetime import date

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.api import bp, openapi
from mentorapp.domain import access, clock
from mentorapp.store import events, notifications
from mentorapp.store.db import get_db, write
from mentorapp.sync import ingest, schema
from mentorapp.web import i18n, security

MAX_SYNC_BYTES = 2 * 1024 * 1024


def _error(status: int, code: str, message: str, **extra):
    response = jsonify(error=code, message=message, **extra)
    response.status_code = status
    return response


@bp.route("/openapi.json")
@access.public
def openapi_document():
    return jsonify(openapi.document(current_app.config["SESSION_COOKIE_NAME"]))


@bp.route("/session")
@access.allow(*access.EVERYONE)
def session_info():
    """Who is signed in, the CSRF token the phone sends with its writes, and (for a
    mentor) the placements the phone may keep: it drops what it holds of any other."""
    return jsonify(user={"id": current_user.id, "role": current_user.role,
                         "name": current_user.name, "locale": i18n.current_locale()},
                   csrf_token=security.csrf_token(), server_time=clock.now_iso(),
                   placements=access.open_placement_ids(current_user))


def _read_batch(key: str, limit: int):
    if request.content_length and request.content_length > MAX_SYNC_BYTES:
        return None, _error(413, "too_large", _("The batch is too large."))
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get(key), list):
        return None, _error(400, "invalid_body",
                            _("Send a JSON object with a list named %(key)s.", key=key))
    if len(body[key]) > limit:
        return None, _error(413, "batch_too_large",
                            _("At most %(count)d at a time.", count=limit), max=limit)
    return body[key], None


@bp.route("/sync", methods=["POST"])
@access.allow(access.MENTOR, access.PARTICIPANT)
def sync_events():
    batch, problem = _read_batch("events", schema.MAX_BATCH)
    if problem:
        return problem
    # The user itself, not the proxy: ingest reads author.id for every event, and each read
    # through the proxy costs a context lookup (about a sixth of a batch's CPU).
    results = ingest.ingest(get_db(), current_user._get_current_object(), batch)
    return jsonify(results=[r.as_json() for r in results], server_time=clock.now_iso())


@bp.route("/received", methods=["POST"])
@access.allow(access.MENTOR, access.PARTICIPANT)
def received():
    """Which of these entries NAV has: lets the phone show what has arrived."""
    ids, problem = _read_batch("ids", schema.MAX_BATCH)
    if problem:
        return problem
    if not all(isinstance(i, str) and schema.UUID.fullmatch(i) for i in ids):
        return _error(400, "invalid_body", _("Every id must be an event id (a UUID)."))
    rows = events.by_ids(get_db(), current_user.id, ids)
    return jsonify(received=[{"id": r["id"], "received_at": r["received_at"]} for r in rows])


@bp.route(f"/placements/<int(min=1, max={openapi.MAX_ID}):placement_id>")
@access.allow(access.MENTOR, access.COUNSELLOR)
def placement_summary(placement_id: int):
    """What the phone shows of a placement: period, days left, open matters and NAV's answers."""
    placement = access.audited_placement_or_404(placement_id, access.VIEW, audit_as="api_placement")
    db = get_db()
    days_left = (date.fromisoformat(placement["end_date"]) - clock.today()).days
    return jsonify(
        id=placement["id"], participant=placement["participant_name"],
        workplace=placement["workplace_name"], status=placement["status"],
        start_date=placement["start_date"], end_date=placement["end_date"], days_left=days_left,
        extension_status=placement["extension_status"],
        agreed_minutes_per_week=placement["agreed_minutes_per_week"],
        open_flags=[{"id": f["event_id"], "category": f["category"], "severity": f["severity"],
                     "status": f["status"], "raised_at": f["raised_at"]}
                    for f in events.flags_of(db, placement_id, open_only=True)],
        open_calls=[{"id": c["event_id"], "urgency": c["urgency"], "status": c["status"],
                     "scheduled_for": c["scheduled_for"], "requested_at": c["requested_at"]}
                    for c in events.call_requests_of(db, placement_id, open_only=True)],
    )


@bp.route("/push/subscriptions", methods=["POST"])
@access.signed_in
def subscribe():
    """Turn alerts on for this device: the subscription the browser's push service gave it."""
    body = request.get_json(silent=True)
    problems = schema.validate(body, schema.PUSH_SUBSCRIPTION)
    if problems:
        first = problems[0]
        return _error(400, "invalid_subscription", _("The subscription is not valid."),
                      field=first.path)
    db = get_db()
    with write(db):
        subscription_id = notifications.save_subscription(
            db, user_id=current_user.id, endpoint=body["endpoint"],
            p256dh=body["keys"]["p256dh"], auth=body["keys"]["auth"], label=body.get("label"))
    return jsonify(id=subscription_id, status="subscribed"), 201


@bp.route("/push/subscriptions", methods=["DELETE"])
@access.signed_in
def unsubscribe():
    body = request.get_json(silent=True)
    if schema.validate(body, schema.PUSH_UNSUBSCRIBE):
        return _error(400, "invalid_subscription", _("The subscription is not valid."))
    endpoint = body["endpoint"]
    db = get_db()
    with write(db):
        removed = notifications.delete_subscription_of(db, current_user.id, endpoint)
    return jsonify(status="unsubscribed" if removed else "unknown")
