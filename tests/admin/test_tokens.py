"""API tokens for NAV systems: made by an admin for one office, shown once, stored only
as a hash, revocable."""

from __future__ import annotations

import hashlib

import pytest

from tests.support.counsellor import make_token, post


def test_a_token_is_shown_once_and_stored_hashed(world, as_admin, db):
    token = make_token(as_admin, world)
    assert token.startswith("mapp_") and len(token) > 40
    row = next(db.query("SELECT * FROM api_tokens"))
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(dict(row))
    assert row["hint"] == token[-4:] and row["office_id"] == world.ids["office_a"]
    again = as_admin.get("/admin/tokens").get_data(as_text=True)
    assert token not in again  # only once
    assert "Saksbehandling A" in again and f"…{token[-4:]}" in again


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "", "office_id": "1"}, "Fyll ut dette feltet."),
    ({"name": "X", "office_id": ""}, "Velg ett."),
    ({"name": "X", "office_id": "999"}, "Velg ett av alternativene."),
])
def test_a_token_needs_a_name_and_an_office(as_admin, db, data, message):
    response = post(as_admin, "/admin/tokens", **data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db["api_tokens"].count == 0


def test_revoke(world, as_admin, db):
    make_token(as_admin, world)
    token_id = next(db.query("SELECT id FROM api_tokens"))["id"]
    assert post(as_admin, f"/admin/tokens/{token_id}/revoke").status_code == 303
    assert db["api_tokens"].get(token_id)["revoked_at"] is not None
    assert "Trukket tilbake" in as_admin.get("/admin/tokens").get_data(as_text=True)
    assert post(as_admin, "/admin/tokens/999/revoke").status_code == 404


def test_making_and_revoking_tokens_is_audited(world, as_admin, db):
    make_token(as_admin, world)
    token_id = next(db.query("SELECT id FROM api_tokens"))["id"]
    post(as_admin, f"/admin/tokens/{token_id}/revoke")
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log ORDER BY id")]
    assert actions[-2:] == ["api_token_created", "api_token_revoked"]


def test_only_admins_make_tokens(world, as_counsellor, db):
    assert as_counsellor.get("/admin/tokens").status_code == 404
    response = post(as_counsellor, "/admin/tokens", name="X", office_id="1")
    assert response.status_code == 404
    assert db["api_tokens"].count == 0
