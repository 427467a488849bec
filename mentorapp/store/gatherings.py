"""Network gatherings (samlinger): when and where, who answered what, who came, and the
mentors' feedback afterwards."""

from __future__ import annotations

import sqlite_utils

from mentorapp.domain import clock


def create(db: sqlite_utils.Database, *, network_id: int, title: str, starts_at: str,
           ends_at: str, place: str | None, video_url: str | None, agenda: str,
           created_by: int) -> int:
    now = clock.now_iso()
    return db["gatherings"].insert({
        "network_id": network_id, "title": title, "starts_at": starts_at, "ends_at": ends_at,
        "place": place, "video_url": video_url, "agenda": agenda, "created_by": created_by,
        "created_at": now, "updated_at": now, "sequence": 0, "cancelled_at": None,
        "reminder_sent_at": None,
    }).last_pk


def update(db: sqlite_utils.Database, gathering: dict, *, title: str, starts_at: str,
           ends_at: str, place: str | None, video_url: str | None, agenda: str) -> None:
    moved = starts_at != gathering["starts_at"]
    db.execute("""
        UPDATE gatherings SET title = ?, starts_at = ?, ends_at = ?, place = ?, video_url = ?,
               agenda = ?, updated_at = ?, sequence = sequence + 1,
               reminder_sent_at = CASE WHEN ? THEN NULL ELSE reminder_sent_at END
        WHERE id = ?
    """, [title, starts_at, ends_at, place, video_url, agenda, clock.now_iso(), int(moved),
          gathering["id"]])


def cancel(db: sqlite_utils.Database, gathering_id: int) -> None:
    now = clock.now_iso()
    db.execute("UPDATE gatherings SET cancelled_at = ?, updated_at = ?, sequence = sequence + 1 "
               "WHERE id = ? AND cancelled_at IS NULL", [now, now, gathering_id])


def _with_counts() -> str:
    return """
        SELECT gatherings.*,
          (SELECT count(*) FROM gathering_responses r
             WHERE r.gathering_id = gatherings.id AND r.answer = 'yes') AS yes_count,
          (SELECT count(*) FROM gathering_responses r
             WHERE r.gathering_id = gatherings.id AND r.answer = 'maybe') AS maybe_count,
          (SELECT count(*) FROM gathering_responses r
             WHERE r.gathering_id = gatherings.id AND r.answer = 'no') AS no_count,
          (SELECT count(*) FROM gathering_responses r
             WHERE r.gathering_id = gatherings.id AND r.attended = 1) AS attended_count,
          (SELECT count(*) FROM gathering_feedback f
             WHERE f.gathering_id = gatherings.id) AS feedback_count,
          (SELECT avg(rating) FROM gathering_feedback f
             WHERE f.gathering_id = gatherings.id) AS average_rating,
          (SELECT answer FROM gathering_responses r
             WHERE r.gathering_id = gatherings.id AND r.user_id = :user) AS my_answer,
          (SELECT count(*) FROM gathering_feedback f
             WHERE f.gathering_id = gatherings.id AND f.user_id = :user) AS my_feedback
        FROM gatherings
    """


def upcoming(db: sqlite_utils.Database, network_id: int, now: str, user_id: int,
             limit: int = 50) -> list[dict]:
    """Gatherings that have not ended, soonest first (cancelled ones too, marked)."""
    return list(db.query(_with_counts() + """
        WHERE network_id = :network AND ends_at > :now ORDER BY starts_at LIMIT :limit
    """, {"network": network_id, "now": now, "user": user_id, "limit": limit}))


def past(db: sqlite_utils.Database, network_id: int, now: str, user_id: int,
         limit: int = 50) -> list[dict]:
    """Gatherings that have ended, latest first."""
    return list(db.query(_with_counts() + """
        WHERE network_id = :network AND ends_at <= :now ORDER BY starts_at DESC LIMIT :limit
    """, {"network": network_id, "now": now, "user": user_id, "limit": limit}))


def with_counts(db: sqlite_utils.Database, gathering_id: int, user_id: int) -> dict | None:
    rows = list(db.query(_with_counts() + " WHERE id = :id",
                         {"id": gathering_id, "user": user_id}))
    return rows[0] if rows else None


def in_network(db: sqlite_utils.Database, network_id: int) -> list[dict]:
    """Every gathering of the network that was not cancelled, latest first."""
    return list(db.query("SELECT * FROM gatherings WHERE network_id = ? AND cancelled_at IS NULL "
                         "ORDER BY starts_at DESC", [network_id]))


def next_for(db: sqlite_utils.Database, network_id: int, now: str, user_id: int) -> dict | None:
    rows = list(db.query(_with_counts() + """
        WHERE network_id = :network AND ends_at > :now AND cancelled_at IS NULL
        ORDER BY starts_at LIMIT 1
    """, {"network": network_id, "now": now, "user": user_id}))
    return rows[0] if rows else None


# Answers and attendance -----------------------------------------------------------------

def answer(db: sqlite_utils.Database, gathering_id: int, user_id: int, value: str) -> None:
    db.execute("""
        INSERT INTO gathering_responses (gathering_id, user_id, answer, answered_at)
        VALUES (?, ?, ?, ?)
        ON CONFLICT (gathering_id, user_id) DO UPDATE SET
            answer = excluded.answer, answered_at = excluded.answered_at
    """, [gathering_id, user_id, value, clock.now_iso()])


def responses(db: sqlite_utils.Database, gathering_id: int, network_id: int) -> list[dict]:
    """Every active mentor of the network with their answer and attendance (for the
    coordinator), plus anyone who answered and has since left the network."""
    return list(db.query("""
        SELECT users.id AS user_id, users.name, workplaces.name AS workplace_name,
               r.answer, r.answered_at, r.attended
        FROM users
        LEFT JOIN gathering_responses r ON r.user_id = users.id AND r.gathering_id = :gathering
        LEFT JOIN workplaces ON workplaces.id = users.workplace_id
        WHERE users.role = 'mentor'
          AND ((users.network_id = :network AND users.active = 1) OR r.user_id IS NOT NULL)
        ORDER BY CASE r.answer WHEN 'yes' THEN 0 WHEN 'maybe' THEN 1 WHEN 'no' THEN 3
                 ELSE 2 END, users.name
    """, {"gathering": gathering_id, "network": network_id}))


def record_attendance(db: sqlite_utils.Database, gathering_id: int, present: set[int],
                      mentor_ids: list[int]) -> None:
    """Attendance for every listed mentor: 1 if in `present`, else 0."""
    for user_id in mentor_ids:
        db.execute("""
            INSERT INTO gathering_responses (gathering_id, user_id, attended) VALUES (?, ?, ?)
            ON CONFLICT (gathering_id, user_id) DO UPDATE SET attended = excluded.attended
        """, [gathering_id, user_id, int(user_id in present)])


def coming(db: sqlite_utils.Database, gathering_id: int) -> list[int]:
    """Active users who answered yes or maybe: who gets the reminder."""
    return [row[0] for row in db.execute("""
        SELECT r.user_id FROM gathering_responses r JOIN users ON users.id = r.user_id
        WHERE r.gathering_id = ? AND r.answer IN ('yes', 'maybe') AND users.active = 1
        ORDER BY r.user_id
    """, [gathering_id]).fetchall()]


def due_reminders(db: sqlite_utils.Database, start: str, end: str) -> list[dict]:
    """Gatherings starting in [start, end) that have not been reminded or cancelled."""
    return list(db.query("""
        SELECT * FROM gatherings
        WHERE reminder_sent_at IS NULL AND cancelled_at IS NULL
          AND starts_at >= ? AND starts_at < ?
        ORDER BY starts_at
    """, [start, end]))


def mark_reminded(db: sqlite_utils.Database, gathering_id: int, at: str) -> None:
    db.execute("UPDATE gatherings SET reminder_sent_at = ? WHERE id = ?", [at, gathering_id])


# Feedback -------------------------------------------------------------------------------

def give_feedback(db: sqlite_utils.Database, gathering_id: int, user_id: int, *, rating: int,
                  useful: str, wish: str) -> None:
    """One feedback per mentor and gathering; giving it again replaces it."""
    now = clock.now_iso()
    db.execute("""
        INSERT INTO gathering_feedback (gathering_id, user_id, rating, useful, wish,
                                        created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (gathering_id, user_id) DO UPDATE SET
            rating = excluded.rating, useful = excluded.useful, wish = excluded.wish,
            updated_at = excluded.updated_at
    """, [gathering_id, user_id, rating, useful, wish, now, now])


def feedback_of(db: sqlite_utils.Database, gathering_id: int, user_id: int) -> dict | None:
    rows = list(db.query("SELECT * FROM gathering_feedback WHERE gathering_id = ? AND user_id = ?",
                         [gathering_id, user_id]))
    return rows[0] if rows else None


def feedback_summary(db: sqlite_utils.Database, gathering_id: int) -> dict:
    """Feedback without names: how many, the average, how many gave each rating, and the
    texts in an order that says nothing of who wrote them."""
    ratings = dict(db.execute("""
        SELECT rating, count(*) FROM gathering_feedback WHERE gathering_id = ? GROUP BY rating
    """, [gathering_id]).fetchall())
    total = sum(ratings.values())
    average = (sum(r * n for r, n in ratings.items()) / total) if total else None
    texts = db.execute("SELECT useful, wish FROM gathering_feedback WHERE gathering_id = ?",
                       [gathering_id]).fetchall()
    # Each list sorted on its own, so that a useful and a wish cannot be paired up.
    return {"count": total, "average": average,
            "ratings": [(value, ratings.get(value, 0)) for value in range(5, 0, -1)],
            "useful": sorted((useful for useful, _wish in texts if useful), key=str.casefold),
            "wish": sorted((wish for _useful, wish in texts if wish), key=str.casefold)}


def count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM gatherings").fetchone()[0]
