"""Audit lines for NAV-side reads, and API tokens for the NAV systems' feed."""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0006_audit")
def audit(db):
    db.executescript("""
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id),
        action TEXT NOT NULL,
        placement_id INTEGER REFERENCES placements(id),
        detail TEXT
    ) STRICT;
    CREATE INDEX audit_log_placement ON audit_log(placement_id, at);
    CREATE INDEX audit_log_user ON audit_log(user_id, at);
    CREATE TABLE api_tokens (
        id INTEGER PRIMARY KEY,
        office_id INTEGER NOT NULL REFERENCES offices(id),
        name TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        revoked_at TEXT,
        last_used_at TEXT
    ) STRICT;
    """)
