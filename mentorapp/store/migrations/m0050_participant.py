"""The participant's own voice: an optional account per placement, what the participant
writes (check-ins, own goals, asking to talk), and whether a mentor's daily log is shown
to the participant."""

from mentorapp.store.migrations import MIGRATIONS

OLD_ROLES = "CHECK (role IN ('mentor', 'counsellor', 'coordinator', 'admin'))"
NEW_ROLES = "CHECK (role IN ('mentor', 'counsellor', 'coordinator', 'admin', 'participant'))"
OLD_EMAIL = "email TEXT NOT NULL UNIQUE COLLATE NOCASE"
NEW_EMAIL = "email TEXT UNIQUE COLLATE NOCASE"


def _widen_users(db) -> None:
    """A new role, and no e-mail address for a participant (many have none, and the app
    does not need one). SQLite cannot alter a CHECK or NOT NULL constraint; rebuilding
    `users` would cascade-delete every session and invitation (foreign keys stay on inside
    the migration's transaction). Widening a CHECK and dropping a NOT NULL change nothing
    on disk, so this is SQLite's documented edit of the stored schema (sqlite.org/
    lang_altertable.html, "making other kinds of table schema changes"), on the table's
    own current text so that columns added by other steps are kept."""
    sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'users'"
                     ).fetchone()[0]
    if OLD_ROLES not in sql or OLD_EMAIL not in sql:
        raise RuntimeError("users table is not in the shape this step expects")
    new_sql = sql.replace(OLD_ROLES, NEW_ROLES).replace(OLD_EMAIL, NEW_EMAIL)
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'users'",
                   [new_sql])
        db.execute(f"PRAGMA schema_version = {version + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


@MIGRATIONS(name="0050_participant")
def participant(db):
    _widen_users(db)
    db.executescript("""
    -- The participant's own account on the placement, if they have one (by invitation
    -- from the counsellor). A placement without one works as before.
    ALTER TABLE placements ADD COLUMN participant_user_id INTEGER REFERENCES users(id);
    CREATE INDEX placements_participant_user ON placements(participant_user_id)
        WHERE participant_user_id IS NOT NULL;
    -- Whether the participant may read the mentor's daily log in effect for the day
    -- (the mentor chooses on the log form; shown by default).
    ALTER TABLE day_logs ADD COLUMN visible_to_participant INTEGER NOT NULL DEFAULT 1;
    -- The participant's "how was my day / my week", one row per entry.
    CREATE TABLE participant_checkins (
        event_id TEXT PRIMARY KEY REFERENCES events(id),
        placement_id INTEGER NOT NULL REFERENCES placements(id),
        period TEXT NOT NULL CHECK (period IN ('day', 'week')),
        about_date TEXT NOT NULL,
        mood INTEGER NOT NULL CHECK (mood BETWEEN 1 AND 4),
        occurred_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX participant_checkins_placement ON participant_checkins(placement_id, occurred_at);
    -- "I want to talk to my counsellor", until the counsellor marks it done.
    CREATE TABLE talk_requests (
        event_id TEXT PRIMARY KEY REFERENCES events(id),
        placement_id INTEGER NOT NULL REFERENCES placements(id),
        requested_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
        done_by INTEGER REFERENCES users(id),
        done_at TEXT
    ) STRICT;
    CREATE INDEX talk_requests_placement ON talk_requests(placement_id, status);
    """)
