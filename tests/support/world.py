"""A small world for tests: two NAV offices, their networks, people and placements.

office A ── network N1 ── workplaces W1, W2
         counsellors: counsellor_a (responsible for P1), counsellor_a2 (backup on P1,
         responsible for P2); coordinator (N1); mentors: mentor_a (W1, P1), mentor_b (W2, P2)
office B ── network N2 ── workplace W3
         counsellor_b (P3), coordinator_b (N2), mentor_c (W3, P3)
plus an admin, and an idle mentor (mentor_idle, W1) who follows nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache

from mentorapp.auth import passwords
from mentorapp.counsellor import casework
from mentorapp.domain import clock
from mentorapp.store import orgs, users
from mentorapp.store.db import get_db, write

PASSWORD = "correct horse battery staple"


@cache
def password_hash() -> str:
    return passwords.hash_password(PASSWORD)


@dataclass
class World:
    ids: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    placements: dict = field(default_factory=dict)

    def user(self, key: str) -> dict:
        return self.users[key]


class _Author:
    def __init__(self, row: dict):
        self.id, self.role, self.office_id, self.active = (
            row["id"], row["role"], row["office_id"], True)


PEOPLE = [
    ("admin", "Ada Admin", "admin", None, None, None),
    ("counsellor_a", "Kari Veileder", "counsellor", "office_a", None, None),
    ("counsellor_a2", "Per Backup", "counsellor", "office_a", None, None),
    ("counsellor_b", "Bodil Annenby", "counsellor", "office_b", None, None),
    ("coordinator", "Nora Koordinator", "coordinator", None, "network_1", None),
    ("coordinator_b", "Odd Koordinator", "coordinator", None, "network_2", None),
    ("mentor_a", "Ahmed Mentor", "mentor", None, "network_1", "w1"),
    ("mentor_b", "Berit Mentor", "mentor", None, "network_1", "w2"),
    ("mentor_c", "Cecilie Mentor", "mentor", None, "network_2", "w3"),
    ("mentor_idle", "Idar Mentor", "mentor", None, "network_1", "w1"),
]


def build(app) -> World:
    db = get_db()
    world = World()
    ids = world.ids
    with write(db):
        ids["office_a"] = orgs.create_office(db, "NAV A-by")
        ids["office_b"] = orgs.create_office(db, "NAV B-by")
        ids["network_1"] = orgs.create_network(db, "Nettverk 1", ids["office_a"])
        ids["network_2"] = orgs.create_network(db, "Nettverk 2", ids["office_b"])
        ids["w1"] = orgs.create_workplace(db, "Lager 1 AS", ids["network_1"])
        ids["w2"] = orgs.create_workplace(db, "Kafé 2", ids["network_1"])
        ids["w3"] = orgs.create_workplace(db, "Verksted 3", ids["network_2"])
        for key, name, role, office, network, workplace in PEOPLE:
            ids[key] = users.create(
                db, email=f"{key}@test.mentorapp.no", name=name, role=role,
                password_hash=password_hash(), office_id=ids.get(office),
                network_id=ids.get(network), workplace_id=ids.get(workplace),
                phone="912 34 567" if role == "mentor" else None)
    for key, *_rest in PEOPLE:
        world.users[key] = users.get(db, ids[key])
    today = clock.today()
    plan = {
        "p1": ("Jonas", "w1", "mentor_a", "counsellor_a", "counsellor_a2"),
        "p2": ("Amina", "w2", "mentor_b", "counsellor_a2", None),
        "p3": ("Siri", "w3", "mentor_c", "counsellor_b", None),
    }
    for key, (name, workplace, mentor, counsellor, backup) in plan.items():
        author = _Author(world.users[counsellor])
        placement_id, _token = casework.create_placement(
            db, author, participant_name=name, workplace_id=ids[workplace],
            mentor_id=ids[mentor], new_mentor=None,
            backup_counsellor_id=ids[backup] if backup else None,
            start_date=today - timedelta(days=30), end_date=today + timedelta(days=60),
            agreed_minutes_per_week=120, goals="Møte presis\nLære varemottak")
        world.placements[key] = placement_id
        with write(db):
            # The tests pretend the placements and their mentors began on the start date.
            db.execute("UPDATE mentor_history SET started_at = ? WHERE placement_id = ?",
                       [clock.days_ago(30), placement_id])
    return world
