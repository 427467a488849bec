"""Placements (forløp): participant × workplace × mentor × counsellors, with their history."""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0002_placements")
def placements(db):
    db.executescript("""
    -- Minimal by design: a first name or initials, nothing that identifies a person
    -- outside the placement (no national identity number, no diagnosis).
    CREATE TABLE participants (
        id INTEGER PRIMARY KEY,
        display_name TEXT NOT NULL,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE placements (
        id INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id),
        workplace_id INTEGER NOT NULL REFERENCES workplaces(id),
        office_id INTEGER NOT NULL REFERENCES offices(id),
        mentor_id INTEGER REFERENCES users(id),
        counsellor_id INTEGER NOT NULL REFERENCES users(id),
        backup_counsellor_id INTEGER REFERENCES users(id),
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        agreed_minutes_per_week INTEGER NOT NULL DEFAULT 0,
        goals TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
        extension_status TEXT NOT NULL DEFAULT 'undecided'
            CHECK (extension_status IN ('undecided', 'extending', 'not_extending')),
        outcome TEXT CHECK (outcome IN ('employed', 'education', 'other_measure', 'ended')),
        outcome_note TEXT,
        ended_at TEXT,
        -- The counsellor may note that doctor, family or other services work alongside,
        -- without the app holding any detail of them.
        parallel_processes INTEGER NOT NULL DEFAULT 0,
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX placements_mentor ON placements(mentor_id, status);
    CREATE INDEX placements_counsellor ON placements(counsellor_id, status);
    CREATE INDEX placements_backup ON placements(backup_counsellor_id, status);
    CREATE INDEX placements_office ON placements(office_id, status);
    CREATE INDEX placements_workplace ON placements(workplace_id);
    CREATE TABLE mentor_history (
        id INTEGER PRIMARY KEY,
        placement_id INTEGER NOT NULL REFERENCES placements(id),
        mentor_id INTEGER NOT NULL REFERENCES users(id),
        started_at TEXT NOT NULL,
        ended_at TEXT,
        changed_by INTEGER REFERENCES users(id),
        reason TEXT
    ) STRICT;
    CREATE INDEX mentor_history_placement ON mentor_history(placement_id, started_at);
    CREATE INDEX mentor_history_mentor ON mentor_history(mentor_id);
    CREATE TABLE extensions (
        id INTEGER PRIMARY KEY,
        placement_id INTEGER NOT NULL REFERENCES placements(id),
        previous_end_date TEXT NOT NULL,
        new_end_date TEXT NOT NULL,
        decided_by INTEGER REFERENCES users(id),
        decided_at TEXT NOT NULL,
        note TEXT
    ) STRICT;
    CREATE INDEX extensions_placement ON extensions(placement_id);
    """)
