"""The mentor network: resources, gatherings, the mentors' topics, feedback and broadcasts."""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0004_network")
def network(db):
    db.executescript("""
    CREATE TABLE resources (
        id INTEGER PRIMARY KEY,
        network_id INTEGER NOT NULL REFERENCES networks(id),
        kind TEXT NOT NULL CHECK (kind IN ('link', 'file')),
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        url TEXT,
        file_name TEXT,
        file_type TEXT,
        file_size INTEGER,
        file_sha256 TEXT,
        language TEXT NOT NULL DEFAULT 'nb',
        tags TEXT NOT NULL DEFAULT '[]',
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
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
        cancelled_at TEXT,
        reminder_sent_at TEXT
    ) STRICT;
    CREATE INDEX gatherings_network ON gatherings(network_id, starts_at);
    CREATE TABLE gathering_responses (
        gathering_id INTEGER NOT NULL REFERENCES gatherings(id),
        user_id INTEGER NOT NULL REFERENCES users(id),
        answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'maybe')),
        answered_at TEXT NOT NULL,
        attended INTEGER,
        PRIMARY KEY (gathering_id, user_id)
    ) STRICT;
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
        UNIQUE (gathering_id, user_id)
    ) STRICT;
    CREATE TABLE change_notes (
        id INTEGER PRIMARY KEY,
        network_id INTEGER NOT NULL REFERENCES networks(id),
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        created_by INTEGER REFERENCES users(id),
        published_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE broadcasts (
        id INTEGER PRIMARY KEY,
        network_id INTEGER NOT NULL REFERENCES networks(id),
        body TEXT NOT NULL,
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX broadcasts_network ON broadcasts(network_id, created_at);
    """)
