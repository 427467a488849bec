"""Web Push: subscriptions, and the durable outbox the sender works through."""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0005_notifications")
def notifications(db):
    db.executescript("""
    CREATE TABLE push_subscriptions (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        endpoint TEXT NOT NULL UNIQUE,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        label TEXT,
        created_at TEXT NOT NULL,
        last_success_at TEXT,
        last_failure_at TEXT
    ) STRICT;
    CREATE INDEX push_subscriptions_user ON push_subscriptions(user_id);
    -- Written in the same transaction as the event that causes it; the payload is only a
    -- kind, a reference and a link, never personal data.
    CREATE TABLE notifications (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        ref TEXT NOT NULL,
        url TEXT NOT NULL,
        urgency TEXT NOT NULL DEFAULT 'normal'
            CHECK (urgency IN ('very-low', 'low', 'normal', 'high')),
        ttl INTEGER NOT NULL,
        dedupe_key TEXT UNIQUE,
        created_at TEXT NOT NULL,
        fanned_out_at TEXT
    ) STRICT;
    CREATE INDEX notifications_unfanned ON notifications(id) WHERE fanned_out_at IS NULL;
    -- A user's recent alerts (the alerts page) without reading everyone's.
    CREATE INDEX notifications_user ON notifications(user_id, id);
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        notification_id INTEGER NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
        subscription_id INTEGER NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        sent_at TEXT,
        UNIQUE (notification_id, subscription_id)
    ) STRICT;
    CREATE INDEX deliveries_due ON deliveries(status, next_attempt_at);
    """)
