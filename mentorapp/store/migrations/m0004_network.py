"""The mentor network: resources, gatherings, the mentors' topics, feedback and broadcasts."""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0004_network")
def network(db):
    db.executescript("""
    -- The network overview groups placements by their workplace's network.
    CREATE INDEX workplaces_network ON workplaces(network_id);
    CREATE TABLE resources (
        id INTEGER PRIMARY KEY,
        network_id INTEGER NOT NULL REFERENCES networks(id),
        kind TEXT NOT NULL CHECK (kind IN ('link', 'file')),
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        url TEXT,
        -- file_name is the name shown and offered on download; stored_name is the
        -- generated name under <instance>/uploads (never chosen by the uploader).
        file_name TEXT,
        stored_name TEXT UNIQUE,
        file_type TEXT,
        file_size INTEGER,
        file_sha256 TEXT,
        language TEXT NOT NULL DEFAULT 'nb',
        tags TEXT NOT NULL DEFAULT '[]',
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT,
        CHECK ((kind = 'link' AND url IS NOT NULL)
            OR (kind = 'file' AND stored_name IS NOT NULL AND file_type IS NOT NULL))
    ) STRICT;
    CREATE INDEX resources_network ON resources(network_id, created_at);
    CREATE TABLE gatherings (
        id INTEGER PRIMARY KEY,
        network_id INTEGER NOT NULL REFERENCES networks(id),
        title TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        place TEXT,
        video_url TEXT,
        agenda TEXT NOT NULL DEFAULT '',
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        -- Raised at every change, so calendars replace the copy they imported (.ics).
        sequence INTEGER NOT NULL DEFAULT 0,
        cancelled_at TEXT,
        reminder_sent_at TEXT,
        CHECK (ends_at > starts_at),
        CHECK (place IS NOT NULL OR video_url IS NOT NULL)
    ) STRICT;
    CREATE INDEX gatherings_network ON gatherings(network_id, starts_at);
    -- What the push sender looks at every round: only gatherings still to be reminded.
    CREATE INDEX gatherings_to_remind ON gatherings(starts_at)
        WHERE reminder_sent_at IS NULL AND cancelled_at IS NULL;
    CREATE TABLE gathering_responses (
        gathering_id INTEGER NOT NULL REFERENCES gatherings(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        -- NULL when the coordinator recorded attendance for someone who never answered.
        answer TEXT CHECK (answer IN ('yes', 'no', 'maybe')),
        answered_at TEXT,
        attended INTEGER CHECK (attended IN (0, 1)),
        PRIMARY KEY (gathering_id, user_id)
    ) STRICT;
    CREATE INDEX gathering_responses_user ON gathering_responses(user_id);
    CREATE TABLE topics (
        id INTEGER PRIMARY KEY,
        network_id INTEGER NOT NULL REFERENCES networks(id),
        proposed_by INTEGER REFERENCES users(id),
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'planned', 'done')),
        gathering_id INTEGER REFERENCES gatherings(id),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX topics_network ON topics(network_id, status);
    CREATE TABLE topic_votes (
        topic_id INTEGER NOT NULL REFERENCES topics(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        voted_at TEXT NOT NULL,
        PRIMARY KEY (topic_id, user_id)
    ) STRICT;
    CREATE TABLE gathering_feedback (
        id INTEGER PRIMARY KEY,
        gathering_id INTEGER NOT NULL REFERENCES gatherings(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
        useful TEXT NOT NULL DEFAULT '',
        wish TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (gathering_id, user_id)
    ) STRICT;
    CREATE TABLE change_notes (
        id INTEGER PRIMARY KEY,
        network_id INTEGER NOT NULL REFERENCES networks(id),
        gathering_id INTEGER REFERENCES gatherings(id),
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        created_by INTEGER REFERENCES users(id),
        published_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX change_notes_network ON change_notes(network_id, published_at);
    CREATE TABLE broadcasts (
        id INTEGER PRIMARY KEY,
        network_id INTEGER NOT NULL REFERENCES networks(id),
        body TEXT NOT NULL,
        recipients INTEGER NOT NULL DEFAULT 0,
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX broadcasts_network ON broadcasts(network_id, created_at);
    """)
