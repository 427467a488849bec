"""Alerts on this device: turning Web Push on (static/js/alerts.js does the browser's
part), seeing which devices get alerts, removing one, and sending a test alert.

Nothing depends on push alone: the caseload shows everything an alert would have said.
"""

from __future__ import annotations

import uuid

from flask import abort, current_app, session
from flask_babel import gettext as _
from flask_login import current_user

from mentorapp.counsellor import bp
from mentorapp.domain import access, clock
from mentorapp.push import sender, vapid
from mentorapp.store import notifications
from mentorapp.store.db import get_db, write
from mentorapp.web.pages import path_for, render, see_other

RECENT = 10


@bp.route("/alerts")
@access.allow(access.COUNSELLOR)
def alerts():
    db = get_db()
    return render("counsellor/alerts.html",
                  vapid_key=vapid.public_key(current_app.config["VAPID_PRIVATE_KEY_FILE"]),
                  devices=notifications.subscriptions_of(db, current_user.id),
                  recent=notifications.for_user(db, current_user.id, RECENT),
                  message=session.pop("alerts_message", None),
                  # The same fixed words the alert itself showed.
                  alert_title=lambda kind: sender._texts(kind)[0])


@bp.route("/alerts/test", methods=["POST"])
@access.allow(access.COUNSELLOR)
def test_alert():
    db = get_db()
    devices = notifications.subscriptions_of(db, current_user.id)
    if devices:
        with write(db):
            # One test a minute at most: a double click sends one.
            minute = clock.now_iso()[:16]
            notifications.enqueue(db, user_id=current_user.id, kind="test",
                                  ref=str(uuid.uuid4()), url=path_for("counsellor.alerts"), urgency="normal",
                                  ttl=600, dedupe_key=f"test:{current_user.id}:{minute}")
        session["alerts_message"] = _("A test alert is on its way to your devices. "
                                      "It usually arrives within a minute.")
    else:
        session["alerts_message"] = _("No device gets alerts yet. Turn them on first.")
    return see_other("counsellor.alerts")


@bp.route("/alerts/devices/<int:device_id>/remove", methods=["POST"])
@access.allow(access.COUNSELLOR)
def remove_device(device_id: int):
    db = get_db()
    device = next((d for d in notifications.subscriptions_of(db, current_user.id)
                   if d["id"] == device_id), None)
    if device is None:
        abort(404)
    with write(db):
        notifications.delete_subscription_of(db, current_user.id, device["endpoint"])
    session["alerts_message"] = _("The device no longer gets alerts.")
    return see_other("counsellor.alerts")
