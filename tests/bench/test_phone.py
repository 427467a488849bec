"""The phone profile's harness (bench/phone.py): its throttling parameters, its summaries
and table rows, and, in real Chromium on a small page of its own, what it reads from a
page (the usable mark, the tap, layout shifts) and that it reaches the service worker."""

from __future__ import annotations

import json
import math
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import __main__ as runner
from bench import phone
from bench.table import Table


def test_slow_3g_is_400_ms_and_400_kbit_each_way_and_the_desktop_is_not_throttled():
    assert phone.PHONE.network() == {"offline": False, "latency": 400,
                                     "downloadThroughput": 50_000, "uploadThroughput": 50_000}
    assert phone.PHONE.network(offline=True)["offline"] is True
    assert (phone.PHONE.cpu_rate, phone.PHONE.width, phone.PHONE.height) == (4, 360, 740)
    assert phone.DESKTOP.network() == {"offline": False, "latency": 0,
                                       "downloadThroughput": -1, "uploadThroughput": -1}
    assert phone.PHONE.throttled and not phone.DESKTOP.throttled


def test_spread_is_median_min_max_of_the_runs_that_gave_a_figure():
    assert phone.spread([3, 1, 2, 10, 4]) == {"runs": 5, "median": 3, "min": 1, "max": 10}
    assert phone.spread([1, 2, math.nan, None]) == {"runs": 2, "median": 1.5, "min": 1, "max": 2}
    assert math.isnan(phone.spread([])["median"])


def test_usable_is_the_mark_but_never_before_the_first_paint():
    assert phone.usable_ms({"mark": 300.0, "fcp": 500.0}) == 500.0
    assert phone.usable_ms({"mark": 700.0, "fcp": 500.0}) == 700.0
    assert phone.usable_ms({"mark": 700.0, "fcp": None}) == 700.0


def _figure(value: float) -> dict:
    return phone.spread([value] * 5)


def _report(first_bytes: float, saved: float, cls: float) -> dict:
    day = {"log_page_usable_ms": _figure(800), "saved_ms": _figure(saved), "cls": _figure(cls),
           "server_ms": _figure(700)}
    return {"phone": {
        "first_visit": {"bytes": _figure(first_bytes), "header_bytes": _figure(20_000),
                        "requests": _figure(30), "login_usable_ms": _figure(1200),
                        "login_to_home_ms": _figure(2500), "offline_ready_ms": _figure(8000),
                        "cls": _figure(0)},
        "repeat_online": {"usable_ms": _figure(1400), "cls": _figure(0)},
        "repeat_offline": {"usable_ms": _figure(900), "cls": _figure(0)},
        "log_offline": day, "log_online": day,
        "worker_probe": {"page_ms": _figure(420), "worker_ms": _figure(430)}},
        "phone_caseload": {"placements": 12000, **{name: {
            "usable_ms": _figure(ms), "bytes": _figure(5400), "cls": _figure(0),
            "placements_shown": 75} for name, ms in (("desktop", 400), ("phone", 1600))}}}


def test_the_table_marks_each_target_of_the_phone_profile():
    table = Table(["area", "measure", "mentorapp", "Kinto / reference", "ratio", "target"])
    runner.add_phone_rows(table, _report(first_bytes=50 * 1024, saved=120, cls=0.01))
    targets = {row[1]: row[5] for row in table.rows if row[5]}
    assert targets["first visit, bytes over the wire: bodies (requests) · with headers"] == "≤ 60 KB ✓"
    assert targets["repeat open online (browser restarted): home usable, ms"] == "≤ 1000 ✗ missed"
    assert targets["repeat open offline (browser restarted): home usable, ms"] == "≤ 1000 ✓"
    assert targets["log an ordinary day offline: tap Save → shown as saved, ms"].startswith("≤ 300 ✓")
    assert targets["layout shift: the largest CLS of any page in any run"] == "< 0.05 ✓"
    caseload = [row for row in table.rows if row[0].startswith("caseload in Chromium")]
    assert [row[5] for row in caseload] == ["", "≤ 1500 ✗ missed"]
    assert caseload[0][2] == "400 (400–400, 5 runs)"

    table = Table(["area", "measure", "mentorapp", "Kinto / reference", "ratio", "target"])
    runner.add_phone_rows(table, _report(first_bytes=70 * 1024, saved=320, cls=0.2))
    marks = " ".join(row[5] for row in table.rows)
    assert "≤ 60 KB ✗ missed" in marks and "≤ 300 ✗ missed" in marks and "< 0.05 ✗ missed" in marks


def test_a_phone_that_could_not_be_measured_says_why():
    table = Table(["area", "measure", "mentorapp", "Kinto / reference", "ratio", "target"])
    runner.add_phone_rows(table, {"phone": {"not measured": "RuntimeError: no chromium"},
                                  "enketo": {"not run": "not on npm"}})
    cells = [" ".join(row) for row in table.rows]
    assert any("not measured: RuntimeError: no chromium" in cell for cell in cells)
    assert any("not run: not on npm" in cell for cell in cells)


def test_the_peer_stands_beside_mentorapp_figure_by_figure():
    enketo = {"versions": {"enketo-core": "8.1.0"}, "bundle_bytes": 900 * 1024,
              "theme_bytes": 150 * 1024,
              "first_visit": {"bytes": _figure(300 * 1024), "header_bytes": _figure(1000),
                              "requests": _figure(6), "first_usable_ms": _figure(8000),
                              "offline_ready_ms": _figure(10_000)},
              "repeat_online_ms": _figure(1800), "repeat_offline_ms": _figure(1800),
              "saved_offline_ms": _figure(150), "saved_online_ms": _figure(150),
              "cls": _figure(0.1)}
    table = Table(["area", "measure", "mentorapp", "Kinto / reference", "ratio", "target"])
    runner.add_phone_rows(table, {**_report(first_bytes=50 * 1024, saved=120, cls=0.01),
                                  "enketo": enketo})
    rows = {row[1].split(",")[0].split(" (")[0]: row for row in table.rows
            if row[0].startswith("phone: mentorapp beside Enketo")}
    bytes_row = rows["first visit"]
    assert bytes_row[2:5] == ["50.0 KB", "300.0 KB", "0.17×"]
    offline = rows["repeat open offline"]
    assert offline[2].startswith("900 ") and offline[3].startswith("1 800 ") and offline[4] == "0.50×"
    assert rows["tap Save → shown as saved"][3].startswith("150 ")
    assert "enketo-core 8.1.0" in " ".join(" ".join(row) for row in table.rows)


# In Chromium -----------------------------------------------------------------------------

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>t</title>
<script type="module" src="/page.js"></script></head>
<body><main><p style="height: 500px">First line</p><button id="go" type="button">Go</button>
</main></body></html>"""
SCRIPT = """
navigator.serviceWorker.register("/sw.js");
document.getElementById("go").addEventListener("click", () => {});
if (location.pathname === "/shift") {
  // Content moves after the page is shown, with no input: a layout shift.
  setTimeout(() => {
    const block = document.createElement("div");
    block.style.height = "600px";
    block.textContent = "late";
    document.body.prepend(block);
  }, 300);
}
performance.mark("mentorapp:usable");
document.documentElement.dataset.usable = "yes";
"""
WORKER = """
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  if (new URL(event.request.url).pathname === "/via-worker") event.respondWith(fetch("/data"));
});
"""


@pytest.fixture(scope="module")
def site():
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            body, kind = {"/page.js": (SCRIPT, "text/javascript"), "/sw.js": (WORKER, "text/javascript"),
                          "/data": (json.dumps({"ok": True}), "application/json")}.get(
                path, (PAGE, "text/html"))
            data = body.encode()
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()



@pytest.mark.browser
def test_it_reads_the_usable_mark_the_tap_and_layout_shifts(playwright_instance,
                                                            browser_executable, site, tmp_path):
    browser = phone.Chromium(playwright_instance, phone.PHONE, tmp_path / "profile", site)
    try:
        page = browser.page()
        page.goto("/still")
        times = phone.wait_usable(page, "#go")
        assert times["mark"] is not None and times["fcp"] is not None
        assert phone.usable_ms(times) >= times["mark"]
        browser.tap(page, "#go")
        tapped = page.evaluate(phone.TIMES, phone.USABLE)["tap"]
        assert times["origin"] < tapped <= page.evaluate("() => performance.timeOrigin + performance.now()")
        assert phone.settled_cls(page) == 0
        page.goto("/shift")
        phone.wait_usable(page, "#go")
        assert phone.settled_cls(page) > phone.TARGETS["cls"]
        assert page.evaluate(phone.SHIFTS)[0]["value"] > 0
        assert browser.errors == []
    finally:
        browser.close()


@pytest.mark.browser
def test_its_network_conditions_are_given_to_the_service_worker(playwright_instance,
                                                                 browser_executable, site,
                                                                 tmp_path):
    browser = phone.Chromium(playwright_instance, phone.PHONE, tmp_path / "profile", site)
    try:
        page = browser.page()
        page.goto("/still")
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("() => navigator.serviceWorker.controller")
        assert browser.workers_throttled >= 1
        assert page.evaluate("fetch('/via-worker').then((r) => r.json())") == {"ok": True}
        assert browser.errors == []
    finally:
        browser.close()
