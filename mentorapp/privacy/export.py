"""The participant's own copy of everything stored about them (GDPR art. 15 and 20): one
placement's rows from every case table, and every audit line that names it (who at NAV
read or changed the case, and when), as machine-readable JSON and as a printable page.

Nothing of another placement is read: every query here is by this placement's id, and the
people named are only those its own rows point at (authors, readers, mentors).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils
from markupsafe import Markup

from mentorapp import __version__
from mentorapp.domain import clock
from mentorapp.paths import STATIC_DIR
from mentorapp.store import audit, lifecycle

FORMAT = "mentorapp-participant-export/1"

# The placement's own row, without the ids of other tables (they are resolved to names).
_PLACEMENT_FIELDS = ("id", "start_date", "end_date", "status", "extension_status", "outcome",
                     "outcome_note", "ended_at", "agreed_minutes_per_week", "goals",
                     "parallel_processes", "created_at", "updated_at")
_USER_COLUMNS = ("author_id", "mentor_id", "counsellor_id", "backup_counsellor_id",
                 "changed_by", "decided_by", "acknowledged_by", "resolved_by", "seen_by",
                 "scheduled_by", "done_by", "user_id", "created_by")


@dataclass
class Export:
    data: dict

    @property
    def event_ids(self) -> list[str]:
        return [event["id"] for event in self.data["events"]]


def build(db: sqlite_utils.Database, placement_id: int) -> Export:
    placement = lifecycle.placement(db, placement_id)
    if placement is None:
        raise LookupError(placement_id)
    tables = {table: lifecycle.rows_of(db, table, placement_id)
              for table in lifecycle.CASE_TABLES}
    lines = audit.all_for_placement(db, placement_id)
    ids = {placement[c] for c in ("mentor_id", "counsellor_id", "backup_counsellor_id",
                                  "created_by")}
    for rows in [*tables.values(), lines]:
        for row in rows:
            ids.update(row.get(column) for column in _USER_COLUMNS)
    people = lifecycle.user_names(db, ids)

    def who(user_id: int | None) -> dict | None:
        person = people.get(user_id)
        return None if person is None else {"id": user_id, "name": person["name"],
                                            "role": person["role"]}

    data = {
        "format": FORMAT,
        "made_at": clock.now_iso(),
        "made_by_app": f"mentorapp {__version__}",
        "participant": {"display_name": placement["participant_name"],
                        "app_account": _account(lifecycle.participant_account(db, placement_id))},
        "placement": {**{k: placement[k] for k in _PLACEMENT_FIELDS},
                      "workplace": placement["workplace_name"],
                      "mentor": who(placement["mentor_id"]),
                      "counsellor": who(placement["counsellor_id"]),
                      "backup_counsellor": who(placement["backup_counsellor_id"])},
        "mentor_history": [{**row, "mentor": who(row["mentor_id"]),
                            "changed_by": who(row["changed_by"])}
                           for row in tables["mentor_history"]],
        "extensions": [{**row, "decided_by": who(row["decided_by"])}
                       for row in tables["extensions"]],
        "events": [{"id": row["id"], "type": row["type"], "occurred_at": row["occurred_at"],
                    "received_at": row["received_at"], "amends": row["amends"],
                    "author": who(row["author_id"]), "payload": row["payload"]}
                   for row in tables["events"]],
        "day_logs": tables["day_logs"],
        "mentor_time": tables["mentor_time"],
        "flags": tables["flags"],
        "call_requests": tables["call_requests"],
        "participant_checkins": tables["participant_checkins"],
        "talk_requests": tables["talk_requests"],
        "seen_by_nav": [{"user": who(row["user_id"]), "seen_at": row["seen_at"]}
                        for row in tables["placement_seen"]],
        "notifications": [{"kind": row["kind"], "created_at": row["created_at"],
                           "to": who(row["user_id"])} for row in tables["notifications"]],
        "audit_log": [{"id": line["id"], "at": line["at"], "action": line["action"],
                       "user": who(line["user_id"]), "detail": line["detail"]}
                      for line in lines],
    }
    return Export(data)


def _account(account: dict | None) -> dict | None:
    """The participant's own app account without its row id (nothing else points at it)."""
    if account is None:
        return None
    return {"created_at": account["created_at"], "open": bool(account["active"]),
            "identity_links": account["identity_links"],
            "alert_devices": account["alert_devices"]}


def stylesheet() -> Markup:
    """The printable page's style, to put inside a downloaded copy."""
    return Markup((STATIC_DIR / "css" / "export.css").read_text(encoding="utf-8"))  # noqa: S704 (our own file)
