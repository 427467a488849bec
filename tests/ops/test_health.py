"""Health for the operator: the database answers and its schema is current."""

from __future__ import annotations

from mentorapp.store import migrations


def test_healthz_is_ok_with_a_current_schema(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["schema"] == migrations.names()[-1]


def test_healthz_says_when_the_schema_is_behind(client, db):
    db.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [migrations.names()[-1]])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["pending"] == [migrations.names()[-1]]


def test_healthz_says_when_the_database_is_unreachable(app, client, tmp_path):
    app.config["DATABASE"] = str(tmp_path / "no-such-folder" / "x.db")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
