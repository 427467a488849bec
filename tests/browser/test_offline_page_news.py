"""On one bar of signal the phone shows its kept copy of a page at once and fetches the fresh
one behind it (static/js/sw.js). When the fresh one says something new (NAV saw the call
request meanwhile) a calm line says so, and "Vis" shows it; when it says the same, nothing
appears. Real Chromium, the worker's network slowed through DevTools."""

from __future__ import annotations

import pytest

from tests.browser.conftest import phone_context
from tests.support.browser import run_axe
from tests.support.phone import ApiClient, SlowWorkerNetwork, event, open_as

# Far beyond the worker's patience, so the kept copy must go first; well within the
# tests' waits, so the fresh copy still arrives.
LATENCY_MS = 3000
CUE = "#page-news"

# Every shift of the layout since the page started (layout-shift is only observable).
LAYOUT_SHIFT = """() => new Promise((resolve) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 100);
})"""


@pytest.fixture
def phone(browser, own_server):
    """The mentor's phone with a call request on the placement page it has kept."""
    p1 = own_server.world.placements["p1"]
    call = event("call_request", p1, {"urgency": "two_days", "windows": ["10-12"],
                                      "topic": "Om arbeidstiden"})
    results = ApiClient(own_server, "mentor_a").sync([call]).json()["results"]
    assert results[0]["status"] == "created"
    context = phone_context(browser, own_server.url)
    page = open_as(context, own_server, "mentor_a")
    page.goto(f"/m/p/{p1}")  # the fresh copy, kept by the worker
    page.wait_for_selector(f"{CUE}[data-checked]", state="attached")
    page.kept_at = rendered_at(page)
    yield page, p1, call["id"]
    context.close()


def rendered_at(page) -> str:
    """When the server made the page shown: the kept copy's time, or a fresh one."""
    return page.locator(".mentor-page").get_attribute("data-rendered-at")


def done_steps(page, call_id: str) -> int:
    return page.locator(f"#e-{call_id} .steps li.done").count()


def slow_down(page) -> None:
    slow = SlowWorkerNetwork(page.context, page, LATENCY_MS)
    assert slow.worker_fetch_ms(page) >= LATENCY_MS


def test_the_kept_copy_shows_first_and_says_when_nav_has_answered(phone, own_server):
    page, p1, call_id = phone
    assert done_steps(page, call_id) == 1  # sent; not yet seen by NAV
    slow_down(page)
    counsellor = ApiClient(own_server, "counsellor_a")
    seen = counsellor.http.post(f"{own_server.url}/c/p/{p1}/calls/{call_id}/seen",
                                data={"csrf_token": counsellor.csrf}, allow_redirects=False)
    assert seen.status_code == 303

    page.goto(f"/m/p/{p1}")
    # The kept copy, long before the fresh one could have come.
    assert rendered_at(page) == page.kept_at
    assert done_steps(page, call_id) == 1
    assert page.locator(CUE).inner_text() == ""
    cue = page.get_by_role("status").filter(has_text="Det er nytt på denne siden.")
    cue.wait_for(timeout=20000)
    assert page.locator(CUE).get_attribute("data-checked") == "changed"
    show = cue.get_by_role("button", name="Vis")
    # Calm and within reach: fixed to the bottom of the screen, nothing moved, a big target.
    assert page.locator(CUE).evaluate("(el) => getComputedStyle(el).position") == "fixed"
    box, viewport = show.bounding_box(), page.viewport_size
    assert box["height"] >= 44 and box["width"] >= 44
    assert box["y"] + box["height"] <= viewport["height"]
    assert page.evaluate(LAYOUT_SHIFT) < 0.05
    assert run_axe(page) == []
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.locator(CUE).evaluate("(el) => el.scrollWidth <= el.clientWidth")
    assert show.bounding_box()["x"] + show.bounding_box()["width"] <= 320

    show.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    # The fresh copy, which the worker kept when it came; and it is news no longer.
    page.wait_for_function(f"() => document.querySelectorAll('#e-{call_id} .steps li.done').length === 2",
                           timeout=20000)
    assert rendered_at(page) != page.kept_at
    page.wait_for_selector(f"{CUE}[data-checked=same]", state="attached", timeout=20000)
    assert page.locator(CUE).inner_text() == ""
    assert page.js_errors == []


def test_no_cue_when_the_fresh_page_says_the_same(phone):
    page, p1, _call = phone
    slow_down(page)
    page.goto(f"/m/p/{p1}")
    assert rendered_at(page) == page.kept_at
    # The worker answers once the fresh copy is in: the same words (another time of making
    # and other form ids do not count).
    page.wait_for_selector(f"{CUE}[data-checked]", state="attached", timeout=20000)
    assert page.locator(CUE).get_attribute("data-checked") == "same"
    assert page.locator(CUE).inner_text() == ""
    assert page.js_errors == []
