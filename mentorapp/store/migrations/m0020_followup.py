"""The counsellor's follow-up: what each NAV user has seen of a placement, the mentors of
a workplace at a glance, and a recognisable hint for each API token (the token itself is
only ever stored hashed)."""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0020_followup")
def followup(db):
    db.executescript("""
    -- The newest event a NAV user had seen when they last opened a placement: what came
    -- after it (a message from the mentor, say) is new to them.
    CREATE TABLE placement_seen (
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        placement_id INTEGER NOT NULL REFERENCES placements(id),
        seq INTEGER NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (user_id, placement_id)
    ) STRICT, WITHOUT ROWID;
    -- The mentors a placement's mentor can be changed to: those of its workplace.
    CREATE INDEX users_workplace ON users(workplace_id, role);
    ALTER TABLE api_tokens ADD COLUMN hint TEXT;
    CREATE INDEX api_tokens_office ON api_tokens(office_id);
    """)
