"""Organisation and accounts: offices, networks, workplaces, users, sessions, invitations."""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0001_accounts")
def accounts(db):
    db.executescript("""
    CREATE TABLE offices (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE networks (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        office_id INTEGER REFERENCES offices(id),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE workplaces (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        network_id INTEGER REFERENCES networks(id),
        created_at TEXT NOT NULL
    ) STRICT;
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('mentor', 'counsellor', 'coordinator', 'admin')),
        password_hash TEXT,
        office_id INTEGER REFERENCES offices(id),
        network_id INTEGER REFERENCES networks(id),
        workplace_id INTEGER REFERENCES workplaces(id),
        phone TEXT,
        locale TEXT CHECK (locale IN ('nb', 'en')),
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        password_changed_at TEXT
    ) STRICT;
    CREATE INDEX users_office ON users(office_id, role);
    CREATE INDEX users_network ON users(network_id, role);
    -- A session row per signed-in browser; the cookie holds a random token whose hash is
    -- the key, so a copy of the database cannot be used to sign in.
    CREATE TABLE sessions (
        id_hash TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        remember INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX sessions_user ON sessions(user_id);
    CREATE TABLE invitations (
        id INTEGER PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_by INTEGER REFERENCES users(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
    ) STRICT;
    CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('account', 'address')),
        key TEXT NOT NULL,
        at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX login_failures_key ON login_failures(kind, key, at);
    """)
