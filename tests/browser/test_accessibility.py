"""WCAG 2.1 AA with axe-core, 320 px without sideways scrolling, 44 px touch targets:
on the login page, the mentor's home and the counsellor's placement list, the privacy
notice and accessibility statement, and the participant's data, in all three languages
(Bokmål, Nynorsk, English)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in, switch_language
from tests.support.browser import SMALL_TARGETS, run_axe

PAGES = [
    ("login", None, "/login"),
    ("mentor home", "mentor_a", "/m/"),
    ("counsellor placements", "counsellor_a", "/c/"),
    ("counsellor placement", "counsellor_a", "/c/p/1"),
    ("new placement form", "counsellor_a", "/c/p/new"),
    ("admin users", "admin", "/admin/users"),
    ("admin organisation", "admin", "/admin/organisation"),
    ("my account", "mentor_a", "/account"),
    ("privacy notice", None, "/privacy"),
    ("accessibility statement", None, "/accessibility"),
    ("privacy notice signed in", "mentor_a", "/privacy"),
    ("participant's data", "counsellor_a", "/c/p/1/privacy"),
    ("participant's own copy", "counsellor_a", "/c/p/1/export"),
]


def _open(page, live_server, who, path, locale):
    if who:
        sign_in(page, live_server, who, locale)
    elif locale != "nb":
        page.goto("/login")
        switch_language(page, locale)
    page.goto(path)


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
@pytest.mark.parametrize(("name", "who", "path"), PAGES)
def test_no_axe_violations(page, live_server, name, who, path, locale):
    _open(page, live_server, who, path, locale)
    assert page.locator("html").get_attribute("lang") == locale
    violations = run_axe(page)
    assert violations == [], f"{name} ({locale}): {violations}"
    assert page.js_errors == []


# Nynorsk's words run longer here and there (rettleiar, samtaleønske): it gets 320 px too.
@pytest.mark.parametrize("locale", ["nb", "nn"])
@pytest.mark.parametrize(("name", "who", "path"), PAGES)
def test_works_at_320_px_with_large_touch_targets(browser, live_server, name, who, path, locale):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo",
                                  viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        _open(page, live_server, who, path, locale)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} ({locale}) scrolls sideways by {overflow}px at 320px"
        assert page.evaluate(SMALL_TARGETS) == []
    finally:
        context.close()
