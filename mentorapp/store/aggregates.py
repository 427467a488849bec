"""Counts over a network's placements for the coordinator's overview: grouped in SQL,
never a row of case content. A placement belongs to the network of its workplace.
A placement being deleted is no longer counted here: its anonymous tallies
(store.lifecycle.tallies) stand in for it, and mentorapp.network.figures adds them.

Every figure comes with the number of distinct placements it was built from, so that
mentorapp.network.figures can hide what rests on too few (see MIN_PLACEMENTS there).
Each query walks workplaces(network_id) → placements(workplace_id) → the per-placement
index of the table it counts, so its cost follows the network's size, not the app's.
"""

from __future__ import annotations

import sqlite_utils

_IN_NETWORK = """
    FROM workplaces
    JOIN placements ON placements.workplace_id = workplaces.id
         AND placements.deletion_started_at IS NULL
"""


def active_placements(db: sqlite_utils.Database, network_id: int) -> dict:
    """Active placements and the distinct mentors who follow them."""
    row = db.execute(f"""
        SELECT count(*), count(DISTINCT placements.mentor_id) {_IN_NETWORK}
        WHERE workplaces.network_id = ? AND placements.status = 'active'
    """, [network_id]).fetchone()
    return {"placements": row[0], "mentors": row[1]}


def logs_per_week(db: sqlite_utils.Database, network_id: int, start: str, end: str
                  ) -> list[dict]:
    """Daily logs in effect per week (Monday's date) for days in [start, end)."""
    return list(db.query(f"""
        SELECT date(day_logs.log_date, '-6 days', 'weekday 1') AS week,
               count(*) AS logs, count(DISTINCT day_logs.placement_id) AS placements
        {_IN_NETWORK}
        JOIN day_logs ON day_logs.placement_id = placements.id
        WHERE workplaces.network_id = :network
          AND day_logs.log_date >= :start AND day_logs.log_date < :end
        GROUP BY week ORDER BY week
    """, {"network": network_id, "start": start, "end": end}))


def flags_by_category(db: sqlite_utils.Database, network_id: int, start: str, end: str
                      ) -> list[dict]:
    """Problems reported per category, raised in [start, end) (UTC timestamps)."""
    return list(db.query(f"""
        SELECT flags.category, count(*) AS flags,
               count(DISTINCT flags.placement_id) AS placements
        {_IN_NETWORK}
        JOIN flags ON flags.placement_id = placements.id
        WHERE workplaces.network_id = :network
          AND flags.raised_at >= :start AND flags.raised_at < :end
        GROUP BY flags.category
    """, {"network": network_id, "start": start, "end": end}))


def call_requests(db: sqlite_utils.Database, network_id: int, start: str, end: str
                  ) -> list[dict]:
    """When each call request made in [start, end) was asked and first answered (seen,
    scheduled or done, whichever came first; NULL while nobody has). Only times and the
    placement id: the caller needs them for the median and the count of placements."""
    return list(db.query(f"""
        SELECT call_requests.placement_id, call_requests.requested_at,
               nullif(min(coalesce(call_requests.seen_at, '~'),
                          coalesce(call_requests.scheduled_at, '~'),
                          coalesce(call_requests.done_at, '~')), '~') AS answered_at
        {_IN_NETWORK}
        JOIN call_requests ON call_requests.placement_id = placements.id
        WHERE workplaces.network_id = :network AND call_requests.status != 'cancelled'
          AND call_requests.requested_at >= :start AND call_requests.requested_at < :end
    """, {"network": network_id, "start": start, "end": end}))


def placement_periods(db: sqlite_utils.Database, network_id: int, start: str, end: str
                      ) -> list[dict]:
    """Placements whose period touches [start, end), with their agreed mentor minutes."""
    return list(db.query(f"""
        SELECT placements.id, placements.start_date, placements.end_date,
               substr(placements.ended_at, 1, 10) AS ended_on,
               placements.agreed_minutes_per_week
        {_IN_NETWORK}
        WHERE workplaces.network_id = :network
          AND placements.start_date < :end AND placements.end_date >= :start
          AND (placements.ended_at IS NULL OR placements.ended_at >= :start)
    """, {"network": network_id, "start": start, "end": end}))


def mentor_minutes_per_week(db: sqlite_utils.Database, network_id: int, start: str, end: str
                            ) -> list[dict]:
    """Mentor time logged per week (Monday's date) for work days in [start, end)."""
    return list(db.query(f"""
        SELECT date(mentor_time.work_date, '-6 days', 'weekday 1') AS week,
               sum(mentor_time.minutes) AS minutes,
               count(DISTINCT mentor_time.placement_id) AS placements
        {_IN_NETWORK}
        JOIN mentor_time ON mentor_time.placement_id = placements.id
        WHERE workplaces.network_id = :network
          AND mentor_time.work_date >= :start AND mentor_time.work_date < :end
        GROUP BY week ORDER BY week
    """, {"network": network_id, "start": start, "end": end}))
