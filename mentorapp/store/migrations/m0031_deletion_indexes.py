"""Indexes that make deleting a placement cheap (issue 11).

Deleting an event makes SQLite look for rows that still point at it (foreign keys), and
deleting a placement or a participant the same. Without an index on the pointing column,
each look-up scans the whole table: millions of day logs at national scale, for every
event deleted. With these, `mentorapp purge` deletes a batch in milliseconds.
"""

from mentorapp.store.migrations import MIGRATIONS


@MIGRATIONS(name="0031_deletion_indexes")
def deletion_indexes(db):
    db.executescript("""
    CREATE INDEX day_logs_event ON day_logs(event_id);
    CREATE INDEX mentor_time_event ON mentor_time(event_id);
    CREATE INDEX placement_seen_placement ON placement_seen(placement_id);
    CREATE INDEX placements_participant ON placements(participant_id);
    """)
