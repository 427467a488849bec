"""The mentors' voice: topics they propose and vote on for coming gatherings, and the
coordinator's "what we changed" notes that answer them."""

from __future__ import annotations

import sqlite_utils

from mentorapp.domain import clock


def propose(db: sqlite_utils.Database, *, network_id: int, user_id: int, title: str,
            description: str) -> int:
    """A new topic; proposing it counts as the proposer's vote."""
    now = clock.now_iso()
    topic_id = db["topics"].insert({
        "network_id": network_id, "proposed_by": user_id, "title": title,
        "description": description, "status": "open", "gathering_id": None, "created_at": now,
    }).last_pk
    vote(db, topic_id, user_id)
    return topic_id


def get(db: sqlite_utils.Database, topic_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM topics WHERE id = ?", [topic_id]))
    return rows[0] if rows else None


def vote(db: sqlite_utils.Database, topic_id: int, user_id: int) -> None:
    """One vote per mentor and topic: voting twice changes nothing."""
    db.execute("INSERT INTO topic_votes (topic_id, user_id, voted_at) VALUES (?, ?, ?) "
               "ON CONFLICT (topic_id, user_id) DO NOTHING", [topic_id, user_id, clock.now_iso()])


def withdraw(db: sqlite_utils.Database, topic_id: int, user_id: int) -> None:
    db.execute("DELETE FROM topic_votes WHERE topic_id = ? AND user_id = ?", [topic_id, user_id])


def set_status(db: sqlite_utils.Database, topic_id: int, status: str,
               gathering_id: int | None) -> None:
    db.execute("UPDATE topics SET status = ?, gathering_id = ? WHERE id = ?",
               [status, gathering_id, topic_id])


def in_network(db: sqlite_utils.Database, network_id: int, user_id: int) -> list[dict]:
    """Topics with their votes and whether `user_id` voted: open ones by votes, then
    planned, then done. Who proposed or voted is not part of the answer."""
    return list(db.query("""
        SELECT topics.id, topics.title, topics.description, topics.status,
               topics.gathering_id, topics.created_at,
               gatherings.title AS gathering_title, gatherings.starts_at AS gathering_starts_at,
               (SELECT count(*) FROM topic_votes v WHERE v.topic_id = topics.id) AS votes,
               EXISTS (SELECT 1 FROM topic_votes v
                       WHERE v.topic_id = topics.id AND v.user_id = :user) AS my_vote,
               topics.proposed_by = :user AS mine
        FROM topics LEFT JOIN gatherings ON gatherings.id = topics.gathering_id
        WHERE topics.network_id = :network
        ORDER BY CASE topics.status WHEN 'open' THEN 0 WHEN 'planned' THEN 1 ELSE 2 END,
                 votes DESC, topics.created_at DESC
    """, {"network": network_id, "user": user_id}))


# What we changed ------------------------------------------------------------------------

def publish_note(db: sqlite_utils.Database, *, network_id: int, title: str, body: str,
                 gathering_id: int | None, created_by: int) -> int:
    return db["change_notes"].insert({
        "network_id": network_id, "gathering_id": gathering_id, "title": title, "body": body,
        "created_by": created_by, "published_at": clock.now_iso(),
    }).last_pk


def note(db: sqlite_utils.Database, note_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM change_notes WHERE id = ?", [note_id]))
    return rows[0] if rows else None


def delete_note(db: sqlite_utils.Database, note_id: int) -> None:
    db.execute("DELETE FROM change_notes WHERE id = ?", [note_id])


def notes(db: sqlite_utils.Database, network_id: int, limit: int = 100) -> list[dict]:
    return list(db.query("""
        SELECT change_notes.*, gatherings.title AS gathering_title,
               gatherings.starts_at AS gathering_starts_at
        FROM change_notes LEFT JOIN gatherings ON gatherings.id = change_notes.gathering_id
        WHERE change_notes.network_id = ? ORDER BY published_at DESC, change_notes.id DESC
        LIMIT ?
    """, [network_id, limit]))
