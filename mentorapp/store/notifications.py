"""The push outbox: notifications waiting to go out, one delivery per subscription, and
the subscriptions themselves."""

from __future__ import annotations

import sqlite_utils

from mentorapp.domain import clock


def enqueue(db: sqlite_utils.Database, *, user_id: int, kind: str, ref: str, url: str,
            urgency: str = "normal", ttl: int = 86400, dedupe_key: str | None = None,
            placement_id: int | None = None) -> None:
    """Queue an alert in the caller's transaction; the sender picks it up from here.
    A repeated `dedupe_key` (the same escalation twice, say) queues nothing more.
    `placement_id` names the placement an alert is about: it is deleted with it."""
    db.conn.execute("""
        INSERT INTO notifications (user_id, kind, ref, url, urgency, ttl, dedupe_key, created_at,
                                   placement_id)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING
    """, [user_id, kind, ref, url, urgency, ttl, dedupe_key, clock.now_iso(), placement_id])


def for_user(db: sqlite_utils.Database, user_id: int, limit: int = 50) -> list[dict]:
    return list(db.query("SELECT * FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                         [user_id, limit]))


# Subscriptions --------------------------------------------------------------------------

def save_subscription(db: sqlite_utils.Database, *, user_id: int, endpoint: str, p256dh: str,
                      auth: str, label: str | None) -> int:
    """One row per endpoint: a phone handed to someone else follows its new user."""
    db.conn.execute("""
        INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, label, created_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,
            p256dh = excluded.p256dh, auth = excluded.auth, label = excluded.label
    """, [user_id, endpoint, p256dh, auth, label, clock.now_iso()])
    return db.conn.execute("SELECT id FROM push_subscriptions WHERE endpoint = ?",
                           [endpoint]).fetchone()[0]


def subscriptions_of(db: sqlite_utils.Database, user_id: int) -> list[dict]:
    return list(db.query("SELECT * FROM push_subscriptions WHERE user_id = ? ORDER BY id",
                         [user_id]))


def delete_subscription_of(db: sqlite_utils.Database, user_id: int, endpoint: str) -> bool:
    cursor = db.conn.execute("DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint = ?",
                             [user_id, endpoint])
    return cursor.rowcount == 1


def delete_subscription(db: sqlite_utils.Database, subscription_id: int) -> None:
    db.conn.execute("DELETE FROM push_subscriptions WHERE id = ?", [subscription_id])


def subscription_worked(db: sqlite_utils.Database, subscription_id: int, at: str) -> None:
    db.conn.execute("UPDATE push_subscriptions SET last_success_at = ? WHERE id = ?",
                    [at, subscription_id])


def subscription_failed(db: sqlite_utils.Database, subscription_id: int, at: str) -> None:
    db.conn.execute("UPDATE push_subscriptions SET last_failure_at = ? WHERE id = ?",
                    [at, subscription_id])


# Deliveries -------------------------------------------------------------------------------

def fan_out(db: sqlite_utils.Database, now: str) -> int:
    """Give every new notification one delivery per subscription its user has now."""
    db.conn.execute("""
        INSERT OR IGNORE INTO deliveries (notification_id, subscription_id, next_attempt_at)
        SELECT notifications.id, push_subscriptions.id, ?
        FROM notifications JOIN push_subscriptions
          ON push_subscriptions.user_id = notifications.user_id
        WHERE notifications.fanned_out_at IS NULL
    """, [now])
    return db.conn.execute("UPDATE notifications SET fanned_out_at = ? WHERE fanned_out_at IS NULL",
                           [now]).rowcount


def claim_due(db: sqlite_utils.Database, now: str, lease_until: str, limit: int) -> list[dict]:
    """Deliveries that are due, each leased so that a second sender would skip it."""
    from mentorapp.store.db import write

    with write(db):
        rows = list(db.query("""
            SELECT deliveries.id, deliveries.notification_id, deliveries.subscription_id,
                   deliveries.attempts, notifications.kind, notifications.ref,
                   notifications.url, notifications.urgency, notifications.ttl,
                   notifications.created_at, notifications.user_id,
                   push_subscriptions.endpoint, push_subscriptions.p256dh,
                   push_subscriptions.auth, users.locale
            FROM deliveries
            JOIN notifications ON notifications.id = deliveries.notification_id
            JOIN push_subscriptions ON push_subscriptions.id = deliveries.subscription_id
            JOIN users ON users.id = notifications.user_id
            WHERE deliveries.status = 'pending' AND deliveries.next_attempt_at <= ?
            ORDER BY deliveries.next_attempt_at, deliveries.id LIMIT ?
        """, [now, limit]))
        for row in rows:
            db.conn.execute("UPDATE deliveries SET next_attempt_at = ? WHERE id = ?",
                            [lease_until, row["id"]])
    return rows


def release(db: sqlite_utils.Database, delivery_ids: list[int], lease_until: str,
            due_at: str) -> None:
    """Hand claimed deliveries back, due at once, unless another sender holds them now."""
    for delivery_id in delivery_ids:
        db.conn.execute("UPDATE deliveries SET next_attempt_at = ? WHERE id = ? "
                        "AND status = 'pending' AND next_attempt_at = ?",
                        [due_at, delivery_id, lease_until])


def finish(db: sqlite_utils.Database, delivery_id: int, status: str, at: str,
           error: str | None) -> None:
    db.conn.execute("""
        UPDATE deliveries SET status = ?, sent_at = CASE WHEN ? = 'sent' THEN ? END,
               last_error = ?, attempts = attempts + 1
        WHERE id = ?
    """, [status, status, at, error, delivery_id])


def retry(db: sqlite_utils.Database, delivery_id: int, attempts: int, next_attempt_at: str,
          error: str) -> None:
    db.conn.execute("UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? "
                    "WHERE id = ?", [attempts, next_attempt_at, error, delivery_id])
