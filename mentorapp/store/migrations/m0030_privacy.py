"""The privacy lifecycle (issue 11): a placement can be deleted whole, and what the
coordinator's figures had counted of it is kept as anonymous tallies.

- placements.deletion_started_at: set in the first transaction of a deletion (retention or
  erasure). From then on nobody sees the placement (access.py, placements.get), no phone can
  write to it, and the figures read its tallies instead of its rows, while the rest of its
  rows are deleted in small transactions beside the running app.
- audit_log keeps its lines when their placement is deleted: the foreign key from
  audit_log.placement_id goes (rebuilt table, same columns and indexes). The lines name NAV
  users and a placement number, never the participant.
- notifications.placement_id: the push rows that belong to a placement, so that they are
  deleted with it (filled from the links of the rows already there).
- purged_tallies: what the network overview counted of a deleted placement, per week, under
  a random cohort key that nothing else holds (docs/privacy.md).
"""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0030_privacy")
def privacy(db):
    db.executescript("""
    ALTER TABLE placements ADD COLUMN deletion_started_at TEXT;

    CREATE TABLE audit_log_new (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES users(id),
        action TEXT NOT NULL,
        placement_id INTEGER,
        detail TEXT
    ) STRICT;
    INSERT INTO audit_log_new (id, at, user_id, action, placement_id, detail)
        SELECT id, at, user_id, action, placement_id, detail FROM audit_log;
    DROP TABLE audit_log;
    ALTER TABLE audit_log_new RENAME TO audit_log;
    CREATE INDEX audit_log_placement ON audit_log(placement_id, at);
    CREATE INDEX audit_log_user ON audit_log(user_id, at);

    ALTER TABLE notifications ADD COLUMN placement_id INTEGER;
    UPDATE notifications SET placement_id = CAST(substr(url, 6) AS INTEGER)
        WHERE url LIKE '/c/p/%' OR url LIKE '/m/p/%';
    CREATE INDEX notifications_placement ON notifications(placement_id)
        WHERE placement_id IS NOT NULL;

    -- One row per deleted placement (cohort), week and figure: never a placement id, a
    -- date finer than the week, a name or a word of text.
    CREATE TABLE purged_tallies (
        network_id INTEGER NOT NULL REFERENCES networks(id),
        cohort TEXT NOT NULL,
        week TEXT NOT NULL,
        metric TEXT NOT NULL CHECK (metric IN ('logs', 'minutes', 'flags', 'calls', 'agreed')),
        key TEXT NOT NULL DEFAULT '',
        amount REAL,
        count INTEGER NOT NULL DEFAULT 1
    ) STRICT;
    CREATE INDEX purged_tallies_network ON purged_tallies(network_id, metric, week);
    """)
