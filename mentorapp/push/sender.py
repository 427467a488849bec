"""Sending Web Push alerts from the durable outbox (`mentorapp send-notifications`).

Requests never wait on a push service: they only write a row to `notifications`, in the
same transaction as the event that causes it. This worker fans each notification out to
the user's subscriptions (one delivery each, so one failing endpoint never holds up the
others), sends with a TTL and an urgency, retries with exponential backoff, and deletes
a subscription the push service says is gone (404/410).

A payload is a kind, a reference, a link and a fixed sentence: it shows on lock screens,
so it never holds a name or a note.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
import sqlite_utils
from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from mentorapp.domain import clock
from mentorapp.push import reminders
from mentorapp.store import notifications
from mentorapp.store.db import connect, write

log = logging.getLogger("mentorapp.push")

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
# A claimed batch is leased: another sender skips it until the lease ends. One send can
# take a connect timeout plus a read timeout; a batch of them can take far longer than
# any lease short enough to let another sender take over soon after a crash (50 × 20 s
# against the 2 minutes this once was, so two senders sent one alert twice). So the lease
# is spent send by send: a sender starts a send only while the lease still covers the
# whole of it, and hands what is left back before its lease ends.
SEND_TIMEOUT = 10
SEND_BUDGET = 2 * SEND_TIMEOUT + 5  # connect + read, and a margin for the encryption
LEASE = timedelta(minutes=5)
BATCH = 50


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at an hour."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def _texts(kind: str) -> tuple[str, str]:
    """The fixed words shown for each kind: nothing about who or what happened."""
    texts = {
        "flag_urgent": (_("Urgent problem reported"), _("A mentor needs you. Open mentorapp to see.")),
        "flag_urgent_escalated": (_("Urgent problem not answered"), _("You are backup. Nobody has answered yet.")),
        "call_request": (_("A mentor asks you to call"), _("Open mentorapp to see when it suits.")),
        "call_request_escalated": (_("Call request not answered"), _("You are backup. Nobody has answered yet.")),
        "talk_request": (_("A participant wants to talk to you"), _("Open mentorapp to see.")),
        "call_scheduled": (_("NAV will call you"), _("Open mentorapp to see the time.")),
        "nav_comment": (_("Message from NAV"), _("Open mentorapp to read it.")),
        "gathering_reminder": (_("Network gathering tomorrow"), _("Open mentorapp for time and place.")),
        "gathering_cancelled": (_("A network gathering is cancelled"), _("Open mentorapp to see which.")),
        "broadcast": (_("Message from the mentor network"), _("Open mentorapp to read it.")),
        "test": (_("Alerts are working"), _("This device will get alerts from mentorapp.")),
    }
    return texts.get(kind, (_("News in mentorapp"), _("Open mentorapp to see.")))


def payload(notification: dict, locale: str) -> str:
    with force_locale(locale):
        title, body = _texts(notification["kind"])
    return json.dumps({"kind": notification["kind"], "ref": notification["ref"],
                       "url": notification["url"], "id": notification["id"],
                       "title": title, "body": body}, ensure_ascii=False)


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    gone: int = 0
    released: int = 0  # claimed but handed back: the lease would not have covered them

    @property
    def busy(self) -> bool:
        return bool(self.sent or self.retried or self.failed or self.gone or self.released)


class Sender:
    def __init__(self, app: Flask, db: sqlite_utils.Database | None = None,
                 session: requests.Session | None = None):
        self.app = app
        self.db = db or connect(app.config["DATABASE"])
        self.vapid = Vapid.from_file(app.config["VAPID_PRIVATE_KEY_FILE"])
        self.subject = app.config["VAPID_SUBJECT"]
        self.session = session or requests.Session()

    def tick(self, now: datetime | None = None) -> Outcome:
        """One round: periodic jobs, fan-out, then every delivery that is due."""
        now = now or clock.now()
        outcome = Outcome()
        with self.app.app_context():
            reminders.run_due(self.db, now)
            with write(self.db):
                notifications.fan_out(self.db, clock.iso(now))
            # The module's values are read each round, so that a test can shrink them.
            lease, budget = LEASE.total_seconds(), SEND_BUDGET
            lease_until = clock.iso(now + LEASE)
            ends = time.monotonic() + lease
            claimed = notifications.claim_due(self.db, clock.iso(now), lease_until, BATCH)
            for index, delivery in enumerate(claimed):
                if time.monotonic() + budget > ends:
                    with write(self.db):
                        notifications.release(self.db, [d["id"] for d in claimed[index:]],
                                            lease_until, clock.iso(now))
                    outcome.released = len(claimed) - index
                    break
                self._deliver(delivery, now, outcome)
        return outcome

    def _deliver(self, delivery: dict, now: datetime, outcome: Outcome) -> None:
        age = now - clock.parse(delivery["created_at"])
        if age.total_seconds() > delivery["ttl"]:
            with write(self.db):
                notifications.finish(self.db, delivery["id"], "failed", clock.iso(now), "expired")
            outcome.failed += 1
            return
        try:
            webpush(
                subscription_info={"endpoint": delivery["endpoint"],
                                   "keys": {"p256dh": delivery["p256dh"], "auth": delivery["auth"]}},
                data=payload(delivery, delivery["locale"] or "nb"),
                vapid_private_key=self.vapid,
                # webpush() writes aud and exp into the dict it is given: a fresh one each time.
                vapid_claims={"sub": self.subject},
                ttl=max(int(delivery["ttl"] - age.total_seconds()), 0),
                headers={"Urgency": delivery["urgency"], "Topic": f"n{delivery['notification_id']}"},
                timeout=(SEND_TIMEOUT, SEND_TIMEOUT),  # connect, read: SEND_BUDGET
                requests_session=self.session,
            )
        except WebPushException as error:
            status = error.response.status_code if error.response is not None else None
            self._failed(delivery, now, outcome, status, str(error).splitlines()[0][:200])
        except requests.RequestException as error:
            self._failed(delivery, now, outcome, None, type(error).__name__)
        else:
            with write(self.db):
                notifications.finish(self.db, delivery["id"], "sent", clock.iso(now), None)
                notifications.subscription_worked(self.db, delivery["subscription_id"], clock.iso(now))
            outcome.sent += 1

    def _failed(self, delivery: dict, now: datetime, outcome: Outcome, status: int | None,
                reason: str) -> None:
        with write(self.db):
            if status in (404, 410):
                # The browser unsubscribed or the subscription expired: forget it.
                notifications.delete_subscription(self.db, delivery["subscription_id"])
                outcome.gone += 1
                return
            attempts = delivery["attempts"] + 1
            if attempts >= MAX_ATTEMPTS or status in (400, 403, 413):
                notifications.finish(self.db, delivery["id"], "failed", clock.iso(now),
                                   f"{status}: {reason}")
                notifications.subscription_failed(self.db, delivery["subscription_id"],
                                                clock.iso(now))
                outcome.failed += 1
                return
            notifications.retry(self.db, delivery["id"], attempts,
                              clock.iso(now + backoff(attempts)), f"{status}: {reason}")
            outcome.retried += 1


def run_worker(app: Flask, once: bool = False) -> None:
    sender = Sender(app)
    poll = app.config["PUSH_POLL_SECONDS"]
    log.info("push sender started", extra={"fields": {"poll_seconds": poll, "once": once}})
    purged_on = None
    while True:
        if app.config["PURGE_WITH_SENDER"] and purged_on != clock.today():
            purged_on = clock.today()
            _purge(app)
        outcome = sender.tick()
        if outcome.busy:
            log.info("push round", extra={"fields": outcome.__dict__})
        if once and not outcome.busy:
            return
        if not outcome.busy:
            time.sleep(poll)


def _purge(app: Flask) -> None:
    """The daily retention purge (mentorapp.privacy.retention), once per Oslo day, so a
    deployment that runs the sender deletes on time without a timer of its own. A failure
    is logged and tried again the next day (or by `mentorapp purge`); alerts go on."""
    from mentorapp.privacy import retention

    try:
        report = retention.run(app)
    except Exception:
        log.exception("retention purge failed")
        return
    log.info("retention purge", extra={"fields": {
        "placements": len(report.deleted), "rows": sum(d.total for d in report.deleted),
        "pages_freed": report.pages_freed, "longest_lock_ms": round(report.longest_lock_ms, 1)}})
