"""Offices, mentor networks and workplaces: the organisation around the placements."""

from __future__ import annotations

import sqlite_utils

from mentorapp.domain import clock


def create_office(db: sqlite_utils.Database, name: str) -> int:
    return db["offices"].insert({"name": name, "created_at": clock.now_iso()}).last_pk


def create_network(db: sqlite_utils.Database, name: str, office_id: int | None) -> int:
    return db["networks"].insert({"name": name, "office_id": office_id,
                                  "created_at": clock.now_iso()}).last_pk


def create_workplace(db: sqlite_utils.Database, name: str, network_id: int | None) -> int:
    return db["workplaces"].insert({"name": name, "network_id": network_id,
                                    "created_at": clock.now_iso()}).last_pk


def get(db: sqlite_utils.Database, table: str, row_id: int | None) -> dict | None:
    if table not in {"offices", "networks", "workplaces"} or row_id is None:
        return None
    rows = list(db.query(f"SELECT * FROM {table} WHERE id = ?", [row_id]))  # noqa: S608 (table is one of three names)
    return rows[0] if rows else None


def offices(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM offices ORDER BY name"))


def networks(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM networks ORDER BY name"))


def workplaces(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM workplaces ORDER BY name"))


def workplaces_of_office(db: sqlite_utils.Database, office_id: int) -> list[dict]:
    """Workplaces in the office's networks, and those in no network yet."""
    return list(db.query("""
        SELECT workplaces.id, workplaces.name FROM workplaces
        LEFT JOIN networks ON networks.id = workplaces.network_id
        WHERE networks.office_id = ? OR workplaces.network_id IS NULL ORDER BY workplaces.name
    """, [office_id]))

