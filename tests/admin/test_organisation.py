"""An admin sets up the organisation: offices, networks, workplaces."""

from __future__ import annotations

import pytest


def test_admin_adds_an_office_a_network_and_a_workplace(world, as_admin, db):
    token = as_admin.csrf_token
    assert as_admin.post("/admin/organisation/office", data={
        "csrf_token": token, "office_name": "NAV Nyby"}).status_code == 303
    office = next(db.query("SELECT * FROM offices WHERE name = 'NAV Nyby'"))
    assert as_admin.post("/admin/organisation/network", data={
        "csrf_token": token, "network_name": "Nettverk Nyby",
        "office_id": str(office["id"])}).status_code == 303
    network = next(db.query("SELECT * FROM networks WHERE name = 'Nettverk Nyby'"))
    assert network["office_id"] == office["id"]
    assert as_admin.post("/admin/organisation/workplace", data={
        "csrf_token": token, "workplace_name": "Bakeriet",
        "network_id": str(network["id"])}).status_code == 303
    page = as_admin.get("/admin/organisation").get_data(as_text=True)
    assert "NAV Nyby" in page and "Nettverk Nyby" in page and "Bakeriet" in page


@pytest.mark.parametrize(("kind", "data", "message"), [
    ("office", {"office_name": ""}, "Fyll ut dette feltet."),
    ("office", {"office_name": "NAV A-by"}, "Dette navnet er allerede i bruk."),
    ("workplace", {"workplace_name": "Ny", "network_id": "999"}, "Velg ett av alternativene."),
    ("workplace", {"workplace_name": "Ny"}, "Velg ett."),
])
def test_bad_organisation_input_stores_nothing(world, as_admin, db, kind, data, message):
    before = [db[t].count for t in ("offices", "networks", "workplaces")]
    response = as_admin.post(f"/admin/organisation/{kind}",
                             data={"csrf_token": as_admin.csrf_token, **data})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert [db[t].count for t in ("offices", "networks", "workplaces")] == before


def test_only_admins_reach_the_organisation(as_counsellor, as_coordinator, as_mentor):
    for client in (as_counsellor, as_coordinator, as_mentor):
        assert client.get("/admin/organisation").status_code == 404
