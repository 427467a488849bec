"""A placement with case data of every kind, made through the real paths (the sync API for
the mentor, the counsellor's pages for NAV), that ended a given number of days ago; and
row counts of every table that can hold case data, to compare before and after."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from mentorapp.domain import clock
from mentorapp.store import lifecycle, notifications
from mentorapp.store.db import write
from tests.support.counsellor import new_placement, post, send
from tests.support.events import daily_log, event
from tests.support.participant import invite, sign_in_with_code


@dataclass
class Filled:
    placement_id: int
    name: str
    event_ids: list[str] = field(default_factory=list)
    participant_user_id: int | None = None


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.OSLO)


def filled_placement(app, db, world, mentor, counsellor, name: str, *, ended_days_ago: int,
                     how: str = "ended", workplace: str = "w1", mentor_key: str = "mentor_a",
                     counsellor_key: str = "counsellor_a", log_days: int = 6) -> Filled:
    """`how`: "ended" (the counsellor ended it, on that day) or "expired" (its end date
    passed, or is still to come, while it is marked active; a negative `ended_days_ago`
    is a placement still running). `mentor` and `counsellor` are signed-in
    clients of `mentor_key` and `counsellor_key`."""
    today = clock.today()
    last_day = today - timedelta(days=ended_days_ago)
    logged = min(last_day, today - timedelta(days=1))  # one still running logs until yesterday
    start = logged - timedelta(days=log_days + 14)
    placement_id = new_placement(app, world, name, counsellor=counsellor_key, mentor=mentor_key,
                                 workplace=workplace, start=start,
                                 end=today + timedelta(days=30),
                                 backup="counsellor_a2" if counsellor_key == "counsellor_a" else None)
    with write(db):
        db.execute("UPDATE mentor_history SET started_at = ? WHERE placement_id = ?",
                   [clock.iso(_at(start, 8)), placement_id])
    filled = Filled(placement_id, name)
    logs = [daily_log(placement_id, logged - timedelta(days=d), at=_at(logged - timedelta(days=d), 15),
                      note=f"{name} var sliten", tasks=["Plukk"])
            for d in range(log_days)]
    correction = daily_log(placement_id, logged, at=_at(logged, 16), amends=logs[0]["id"],
                           attendance="late", note=f"{name} kom litt sent")
    flag = event("flag", placement_id, {"category": "wellbeing", "severity": "urgent",
                                        "note": f"{name} gråt i pausen"}, at=_at(logged, 11))
    call = event("call_request", placement_id, {"urgency": "today", "windows": ["10-12"],
                                                "topic": f"Om {name}"}, at=_at(logged, 12))
    minutes = event("time", placement_id, {"date": logged.isoformat(), "minutes": 45,
                                           "note": "Samtale"}, at=_at(logged, 13))
    comment = event("comment", placement_id, {"text": f"Hilsen til {name}"}, at=_at(logged, 14))
    sent = send(mentor, *logs, correction, flag, call, minutes, comment)
    filled.event_ids += [e["id"] for e in sent]
    # The participant's own app: an account, signed in with the code, a check-in, their
    # own goals and a request to talk.
    phone = sign_in_with_code(app, invite(counsellor, placement_id))
    send(phone,
         event("participant_checkin", placement_id, {"period": "day", "date": logged.isoformat(),
                                                     "mood": 2, "text": f"{name}: tung dag"},
               at=_at(logged, 18)),
         event("participant_goals", placement_id, {"text": f"{name} vil jobbe fast"},
               at=_at(logged, 18)),
         event("talk_request", placement_id, {"text": f"{name} vil snakke om turnus"},
               at=_at(logged, 19)))
    filled.participant_user_id = db.execute(
        "SELECT participant_user_id FROM placements WHERE id = ?", [placement_id]).fetchone()[0]
    # NAV reads and answers: audit lines, a "seen" mark, and an alert to the mentor.
    assert counsellor.get(f"/c/p/{placement_id}").status_code == 200
    assert post(counsellor, f"/c/p/{placement_id}/flags/{flag['id']}/acknowledge").status_code == 303
    # The entries were made while it ran; now it is moved to the end it is meant to have.
    assert post(counsellor, f"/c/p/{placement_id}/extend", new_end_date=(
        today + timedelta(days=31)).isoformat(), note="Ut uka").status_code == 303
    with write(db):
        db.execute("UPDATE placements SET end_date = ? WHERE id = ?",
                   [last_day.isoformat(), placement_id])
        # Phones that take alerts: the sender's fan-out gives each a delivery.
        for who, user_id in ((mentor_key, world.ids[mentor_key]),
                             (counsellor_key, world.ids[counsellor_key]),
                             (f"participant-{placement_id}", filled.participant_user_id)):
            notifications.save_subscription(db, user_id=user_id,
                                            endpoint=f"https://push.invalid/{who}",
                                            p256dh="key", auth="auth", label="Telefon")
        notifications.fan_out(db, clock.now_iso())
    if how == "ended":
        assert post(counsellor, f"/c/p/{placement_id}/end", outcome="employed",
                    outcome_note=f"{name} fikk jobb").status_code == 303
        with write(db):
            db.execute("UPDATE placements SET ended_at = ? WHERE id = ?",
                       [clock.iso(_at(last_day, 17)), placement_id])
    filled.event_ids = [row[0] for row in db.execute(
        "SELECT id FROM events WHERE placement_id = ? ORDER BY seq", [placement_id])]
    return filled


def case_rows(db, placement_id: int) -> dict[str, int]:
    """Rows of the placement in every table that can hold case data."""
    found = lifecycle.counts(db, placement_id)
    found["audit_log"] = db.execute("SELECT count(*) FROM audit_log WHERE placement_id = ?",
                                    [placement_id]).fetchone()[0]
    found["deliveries"] = db.execute(
        "SELECT count(*) FROM deliveries JOIN notifications ON notifications.id = notification_id "
        "WHERE notifications.placement_id = ?", [placement_id]).fetchone()[0]
    return found


def all_rows(db) -> dict[str, int]:
    """Rows in every table of the schema."""
    return {name: db[name].count for name in db.table_names()}


def account_rows(db, user_id: int) -> dict[str, int]:
    """The participant's app account: its row, sessions and alert subscriptions."""
    return {"users": db.execute("SELECT count(*) FROM users WHERE id = ?", [user_id]).fetchone()[0],
            **{table: db.execute(f"SELECT count(*) FROM {table} WHERE user_id = ?",  # noqa: S608
                                 [user_id]).fetchone()[0]
               for table in ("sessions", "push_subscriptions")}}
