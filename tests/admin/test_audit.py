"""The audit trail: every NAV-side view of a placement (page, report, CSV, API, feed)
writes a line; an admin sees a placement's trail, and what one NAV user has opened."""

from __future__ import annotations

from tests.support.counsellor import flag, post
from tests.support.routes import fill


def _trail_rows(page: str) -> list[str]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [row for row in body.split("<tr>")[1:]]


def test_every_nav_side_view_is_in_the_placements_trail(app, world, as_mentor, as_counsellor,
                                                        as_admin):
    p1 = world.placements["p1"]
    raised = flag(as_mentor, p1)
    as_counsellor.get(f"/c/p/{p1}")
    as_counsellor.get(f"/c/p/{p1}/report")
    as_counsellor.get(f"/c/p/{p1}/report.csv")
    as_counsellor.get(f"/api/v1/placements/{p1}")
    post(as_counsellor, f"/c/p/{p1}/flags/{raised['id']}/acknowledge")
    page = as_admin.get(f"/admin/audit?placement={p1}").get_data(as_text=True)
    admin_read, *rows = _trail_rows(page)  # the admin's own reading comes first
    assert "Leste tilgangsloggen" in admin_read and "Ada Admin" in admin_read
    assert len(rows) == 5
    expected = ["Merket en utfordring som sett", "Hentet forløpet gjennom API-et",
                "Lastet ned rapporten som CSV", "Åpnet oppfølgingsrapporten", "Åpnet forløpet"]
    for row, action in zip(rows, expected, strict=True):
        assert action in row and "Kari Veileder (NAV-veileder)" in row


def test_mentor_reads_are_not_nav_side_and_leave_no_line(world, as_mentor, db):
    before = db["audit_log"].count
    as_mentor.get(f"/api/v1/placements/{world.placements['p1']}")
    assert db["audit_log"].count == before


def test_an_admin_reading_the_trail_is_itself_audited(world, as_admin, db):
    as_admin.get(f"/admin/audit?placement={world.placements['p1']}")
    line = next(db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert (line["action"], line["user_id"]) == ("audit_trail", world.ids["admin"])


def test_what_one_nav_user_has_opened(world, as_counsellor, as_admin):
    as_counsellor.get(f"/c/p/{world.placements['p1']}")
    as_counsellor.get("/c/")
    page = as_admin.get(f"/admin/audit?user={world.ids['counsellor_a']}").get_data(as_text=True)
    assert "Hva Kari Veileder har åpnet" in page
    rows = _trail_rows(page)
    assert "Åpnet listen over forløp" in rows[0]
    assert "Åpnet forløpet" in rows[1]
    assert f'href="/admin/audit?placement={world.placements["p1"]}"' in rows[1]


def test_an_unknown_placement_says_so(as_admin):
    page = as_admin.get("/admin/audit?placement=9999").get_data(as_text=True)
    assert "Det finnes ikke noe forløp med dette nummeret." in page


def test_only_admins_see_the_trail(world, as_counsellor, as_coordinator):
    for client in (as_counsellor, as_coordinator):
        assert client.get(f"/admin/audit?placement={world.placements['p1']}").status_code == 404


def test_every_nav_side_page_of_a_placement_leaves_a_line_naming_it(app, world, as_counsellor,
                                                                    db):
    """A sweep over the app's own URL map, so a page added later is covered without anyone
    remembering to add it here: each GET that takes a placement id, opened by the placement's
    responsible counsellor, must write an audit line naming that placement."""
    p1 = world.placements["p1"]
    swept, mentor_only = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or "placement_id" not in rule.arguments:
            continue
        # A rule that needs more than the placement's id must be given its values here.
        assert rule.arguments == {"placement_id"}, rule.rule
        url = fill(rule, placement_id=p1)
        if rule.endpoint.startswith("mentor."):
            mentor_only.append(url)
            continue
        before = db.execute("SELECT max(id) FROM audit_log").fetchone()[0] or 0
        response = as_counsellor.get(url)
        assert response.status_code == 200, url
        lines = list(db.query("SELECT * FROM audit_log WHERE id > ?", [before]))
        assert any(line["placement_id"] == p1 and line["user_id"] == world.ids["counsellor_a"]
                   for line in lines), url
        swept.append(url)
    # The sweep found the pages it is meant for (an empty sweep would pass anything).
    assert {f"/c/p/{p1}", f"/c/p/{p1}/timeline", f"/c/p/{p1}/report", f"/c/p/{p1}/report.csv",
            f"/api/v1/placements/{p1}"} <= set(swept)
    # The mentor's pages are not NAV's way in to a case: closed to the counsellor, so there
    # is no unaudited read there.
    assert mentor_only
    for url in mentor_only:
        assert as_counsellor.get(url).status_code == 404, url
