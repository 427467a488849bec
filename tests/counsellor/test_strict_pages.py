"""The counsellor's new pages keep the strict CSP: no inline script, style or handler."""

from __future__ import annotations

import pytest

from tests.support.counsellor import call_request, flag


@pytest.mark.parametrize("path", ["/c/", "/c/?reason=stale", "/c/p/{p1}", "/c/p/{p1}/report",
                                  "/c/p/{p1}/timeline", "/c/alerts"])
def test_no_inline_scripts_or_styles(world, as_mentor, as_counsellor, path):
    p1 = world.placements["p1"]
    flag(as_mentor, p1, severity="urgent")
    call_request(as_mentor, p1)
    page = as_counsellor.get(path.format(p1=p1)).get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page and "<style" not in page
    assert " onclick=" not in page and "javascript:" not in page


@pytest.mark.parametrize("path", ["/admin/tokens", "/admin/audit?placement=1"])
def test_admin_pages_too(as_admin, path):
    page = as_admin.get(path).get_data(as_text=True)
    assert "<script>" not in page and " style=" not in page and "<style" not in page
