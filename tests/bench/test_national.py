"""The national-scale generator writes a database the app could have made itself."""

from __future__ import annotations

import re
import sqlite3

import pytest

from bench import national
from mentorapp import create_app
from tests.support.clients import csrf_token

SCALE = national.Scale(placements=24, days=60, caseload=10, seed=3)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("national") / "national.db"
    counts = national.generate(path, SCALE)
    return path, counts


def test_the_derived_tables_agree_with_the_events(generated):
    path, counts = generated
    assert national.check(path) == dict.fromkeys(national.check(path), 0)
    assert national.digests_ok(path)
    assert counts["events"] > counts["daily_logs"] > 0


def test_the_schema_is_the_apps_own_with_every_index_back(generated, tmp_path):
    path, _counts = generated
    fresh = tmp_path / "fresh.db"
    create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE": str(fresh)})

    def schema(file):
        with sqlite3.connect(file) as conn:
            return sorted(conn.execute("SELECT type, name, sql FROM sqlite_master "
                                       "WHERE name NOT LIKE 'sqlite_stat%'").fetchall())

    assert schema(path) == schema(fresh)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_measured_counsellor_has_exactly_the_caseload(generated):
    path, _counts = generated
    with sqlite3.connect(path) as conn:
        scope = conn.execute("""
            SELECT count(*) FROM placements JOIN users u ON u.id IN (counsellor_id, backup_counsellor_id)
            WHERE u.email = ? AND status = 'active'""", [national.counsellor_email(0)]).fetchone()[0]
        total = conn.execute("SELECT count(*) FROM placements").fetchone()[0]
    assert (scope, total) == (SCALE.caseload, SCALE.placements)


def test_the_app_serves_the_counsellor_from_it(generated, tmp_path):
    path, _counts = generated
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE": str(path)})
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    signed_in = client.post("/login", data={"email": national.counsellor_email(0),
                                            "password": national.PASSWORD, "csrf_token": token})
    assert signed_in.status_code == 303
    page = client.get("/c/")
    assert page.status_code == 200
    ids = set(re.findall(r'href="/c/p/(\d+)"', page.get_data(as_text=True)))
    assert len(ids) == SCALE.caseload
    assert client.get(f"/c/p/{min(ids)}").status_code == 200


def test_a_cached_database_is_reused(tmp_path):
    small = national.Scale(placements=4, days=20, caseload=2, seed=1)
    path, meta, made = national.cached(tmp_path, small)
    again, meta_again, made_again = national.cached(tmp_path, small)
    assert (made, made_again) == (True, False)
    assert again == path and meta_again == meta
    assert small.key(national.latest_schema()) in path.name
