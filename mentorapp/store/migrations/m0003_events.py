"""Events (append-only facts with client UUIDs) and the state derived from them."""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0003_events")
def events(db):
    db.executescript("""
    -- The client's UUID (id) is the event's key: NOT NULL UNIQUE, what sync deduplicates on
    -- and what amends and the derived tables point at. seq is the row's storage key: it orders
    -- the feed for NAV systems, appends in order (a random UUID as the b-tree key would scatter
    -- millions of inserts), and as an INTEGER PRIMARY KEY it survives VACUUM.
    CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        placement_id INTEGER NOT NULL REFERENCES placements(id),
        author_id INTEGER NOT NULL REFERENCES users(id),
        occurred_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        payload TEXT NOT NULL,
        amends TEXT REFERENCES events(id),
        digest TEXT NOT NULL
    ) STRICT;
    CREATE INDEX events_placement ON events(placement_id, occurred_at);
    CREATE INDEX events_placement_type ON events(placement_id, type, occurred_at);
    CREATE INDEX events_amends ON events(amends) WHERE amends IS NOT NULL;
    -- The daily log in effect for a placement and day (the latest correction wins).
    CREATE TABLE day_logs (
        placement_id INTEGER NOT NULL REFERENCES placements(id),
        log_date TEXT NOT NULL,
        event_id TEXT NOT NULL REFERENCES events(id),
        occurred_at TEXT NOT NULL,
        attendance TEXT NOT NULL,
        mastery INTEGER,
        social INTEGER,
        wellbeing INTEGER,
        PRIMARY KEY (placement_id, log_date)
    ) STRICT;
    -- Mentor time in effect, one row per original entry (a correction replaces its row).
    CREATE TABLE mentor_time (
        root_event_id TEXT PRIMARY KEY REFERENCES events(id),
        event_id TEXT NOT NULL REFERENCES events(id),
        placement_id INTEGER NOT NULL REFERENCES placements(id),
        mentor_id INTEGER NOT NULL REFERENCES users(id),
        occurred_at TEXT NOT NULL,
        work_date TEXT NOT NULL,
        minutes INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX mentor_time_placement ON mentor_time(placement_id, work_date);
    CREATE INDEX mentor_time_mentor ON mentor_time(mentor_id, work_date);
    CREATE TABLE flags (
        event_id TEXT PRIMARY KEY REFERENCES events(id),
        placement_id INTEGER NOT NULL REFERENCES placements(id),
        category TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('info', 'attention', 'urgent')),
        raised_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'acknowledged', 'resolved')),
        acknowledged_by INTEGER REFERENCES users(id),
        acknowledged_at TEXT,
        resolved_by INTEGER REFERENCES users(id),
        resolved_at TEXT,
        resolution_note TEXT,
        escalated_at TEXT
    ) STRICT;
    CREATE INDEX flags_placement ON flags(placement_id, status);
    CREATE INDEX flags_open ON flags(status, severity, raised_at) WHERE status = 'open';
    CREATE TABLE call_requests (
        event_id TEXT PRIMARY KEY REFERENCES events(id),
        placement_id INTEGER NOT NULL REFERENCES placements(id),
        urgency TEXT NOT NULL CHECK (urgency IN ('today', 'two_days', 'this_week')),
        requested_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'sent'
            CHECK (status IN ('sent', 'seen', 'scheduled', 'done', 'cancelled')),
        seen_by INTEGER REFERENCES users(id),
        seen_at TEXT,
        scheduled_for TEXT,
        scheduled_by INTEGER REFERENCES users(id),
        scheduled_at TEXT,
        done_by INTEGER REFERENCES users(id),
        done_at TEXT,
        done_note TEXT,
        escalated_at TEXT
    ) STRICT;
    CREATE INDEX call_requests_placement ON call_requests(placement_id, status);
    CREATE INDEX call_requests_open ON call_requests(status, requested_at)
        WHERE status IN ('sent', 'seen');
    """)
