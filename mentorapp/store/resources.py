"""Network resources: links and files a coordinator shares with the mentors of a network.

Which network a user may see is decided in mentorapp.domain.access; these functions take the
network id they are handed.
"""

from __future__ import annotations

import json

import sqlite_utils

from mentorapp.domain import clock


def _decoded(row: dict) -> dict:
    row = dict(row)
    row["tags"] = json.loads(row["tags"] or "[]")
    return row


def create(db: sqlite_utils.Database, *, network_id: int, kind: str, title: str,
           description: str, language: str, tags: list[str], created_by: int,
           url: str | None = None, file_name: str | None = None,
           stored_name: str | None = None, file_type: str | None = None,
           file_size: int | None = None, file_sha256: str | None = None) -> int:
    now = clock.now_iso()
    return db["resources"].insert({
        "network_id": network_id, "kind": kind, "title": title, "description": description,
        "url": url, "file_name": file_name, "stored_name": stored_name,
        "file_type": file_type, "file_size": file_size, "file_sha256": file_sha256,
        "language": language, "tags": json.dumps(tags, ensure_ascii=False),
        "created_by": created_by, "created_at": now, "updated_at": now, "deleted_at": None,
    }).last_pk


def get(db: sqlite_utils.Database, resource_id: int) -> dict | None:
    """A resource that has not been deleted."""
    rows = list(db.query("SELECT * FROM resources WHERE id = ? AND deleted_at IS NULL",
                         [resource_id]))
    return _decoded(rows[0]) if rows else None


def update(db: sqlite_utils.Database, resource_id: int, *, title: str, description: str,
           language: str, tags: list[str], url: str | None = None) -> None:
    fields = {"title": title, "description": description, "language": language,
              "tags": json.dumps(tags, ensure_ascii=False), "updated_at": clock.now_iso()}
    if url is not None:
        fields["url"] = url
    db["resources"].update(resource_id, fields)


def delete(db: sqlite_utils.Database, resource_id: int) -> None:
    """Hidden from everyone; the row (and file) stay, so a mistake can be undone by hand."""
    db.execute("UPDATE resources SET deleted_at = ? WHERE id = ?", [clock.now_iso(), resource_id])


def in_network(db: sqlite_utils.Database, network_id: int, *, kind: str | None = None,
               language: str | None = None, tag: str | None = None,
               query: str | None = None) -> list[dict]:
    """The network's resources, newest first, filtered. The text search runs in Python
    with casefold(), because SQLite's LIKE folds only ASCII (Ø and ø would differ)."""
    sql = "SELECT * FROM resources WHERE network_id = :network AND deleted_at IS NULL"
    params: dict = {"network": network_id}
    if kind:
        sql += " AND kind = :kind"
        params["kind"] = kind
    if language:
        sql += " AND language = :language"
        params["language"] = language
    if tag:
        sql += (" AND EXISTS (SELECT 1 FROM json_each(resources.tags)"
                " WHERE lower(json_each.value) = lower(:tag))")
        params["tag"] = tag
    rows = [_decoded(row) for row in db.query(sql + " ORDER BY created_at DESC, id DESC", params)]
    words = (query or "").casefold().split()
    if not words:
        return rows
    return [row for row in rows if all(word in _haystack(row) for word in words)]


def _haystack(row: dict) -> str:
    return " ".join([row["title"], row["description"], " ".join(row["tags"]),
                     row["file_name"] or "", row["url"] or ""]).casefold()


def tags_in_network(db: sqlite_utils.Database, network_id: int) -> list[str]:
    """Every tag in use, for the filter; the first spelling of each wins."""
    rows = db.execute("""
        SELECT json_each.value FROM resources, json_each(resources.tags)
        WHERE resources.network_id = ? AND resources.deleted_at IS NULL
        ORDER BY resources.created_at
    """, [network_id]).fetchall()
    seen: dict[str, str] = {}
    for (tag,) in rows:
        seen.setdefault(tag.casefold(), tag)
    return sorted(seen.values(), key=str.casefold)


def count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM resources").fetchone()[0]
