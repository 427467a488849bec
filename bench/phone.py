"""The mentor's phone as the mentor feels it: real Chromium (Debian's), its CPU slowed
four times and its network made "slow 3G" (400 ms round trip, 400 kbit/s each way) through
the DevTools protocol, a 360 × 740 touch screen and a persistent profile, so that a second
opening finds the service worker, its caches and the outbox where the first left them.

    python -m bench --only phone        (inside the benchmark run: see bench/__main__.py)

**Usable** means: the page's primary control (below) is on screen and enabled, and the
page's own script has attached its handlers, so that a tap does what the page means. The
app's start-up script (static/js/app.js) sets the performance mark `mentorapp:usable` when
the page's script says it is ready (on the mentor's pages: every entry form taken over and
showing what it will save); a control cannot be seen before the first contentful paint, so
the time to usable is max(mark, first-contentful-paint), from the start of the navigation
(performance.timeOrigin), and the harness checks that the control is visible and enabled.
A **tap** is timed by the pointerdown event it causes (its timeStamp, on the page's clock);
**saved** by the mark `mentorapp:saved` that mentor.js sets when IndexedDB has committed the
entry and the confirmation is on screen; **the server has it** by the `received_at` the
server stores with the event. Times that span two pages (tap "log in" on one, the home page
usable on the next) are taken on the browser's wall clock (timeOrigin + startTime).
**CLS** is the sum of `layout-shift` entries without recent input (PerformanceObserver,
from the start of each page), read once the page has settled: at least the CLS of the
page, never less.

Bytes are counted by the counting proxy of bench/weight.py, between Chromium and the server,
so the service worker's fetches count too; bodies as sent (gzip) and headers.
"""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

RUNS = 5
USABLE = "mentorapp:usable"
SAVED = "mentorapp:saved"
SETTLE_S = 1.5  # after usable, before CLS is read: the outbox line and the flash appear
TIMEOUT_MS = 60_000  # slow 3G: the first visit with its pages kept takes a while

LOGIN_BUTTON = "form[action='/login'] button[type=submit]"
LOG_TODAY = "a.button.big[href$='/log']"
SAVE_BUTTON = "form[data-entry-form] button[type=submit]"
CASELOAD_LINK = "a[href^='/c/p/']"

# Targets of issue 14, on the phone profile.
TARGETS = {"first_visit_bytes": 60 * 1024, "repeat_open_ms": 1000, "saved_ms": 300,
           "cls": 0.05, "caseload_ms": 1500}


@dataclass(frozen=True)
class Profile:
    name: str
    cpu_rate: float  # Emulation.setCPUThrottlingRate: 4 = four times slower
    latency_ms: float  # added to every request: the round trip
    down_kbit: float | None  # None: not throttled
    up_kbit: float | None
    width: int
    height: int
    mobile: bool

    def network(self, offline: bool = False) -> dict:
        """Parameters of Network.emulateNetworkConditions (throughput in bytes/s; -1 is
        no limit)."""
        def rate(kbit: float | None) -> float:
            return -1 if kbit is None else kbit * 1000 / 8

        return {"offline": offline, "latency": self.latency_ms,
                "downloadThroughput": rate(self.down_kbit), "uploadThroughput": rate(self.up_kbit)}

    @property
    def throttled(self) -> bool:
        return self.cpu_rate != 1 or self.latency_ms > 0 or self.down_kbit is not None


PHONE = Profile("phone", 4, 400, 400, 400, 360, 740, True)
DESKTOP = Profile("desktop", 1, 0, None, None, 1280, 800, False)


def spread(samples: list[float]) -> dict:
    """Median, min and max of the runs (whatever unit they come in), and how many."""
    values = [s for s in samples if s is not None and not math.isnan(s)]
    if not values:
        return {"runs": 0, "median": math.nan, "min": math.nan, "max": math.nan}
    return {"runs": len(values), "median": statistics.median(values), "min": min(values),
            "max": max(values)}


# What every page records for the harness, from its very start (before its own scripts).
OBSERVERS = """(() => {
  const bench = window.__bench = { cls: 0, shifts: [] };
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.hadRecentInput) continue;
        bench.cls += entry.value;
        bench.shifts.push({ at: Math.round(entry.startTime), value: entry.value,
          nodes: entry.sources.map((s) => (s.node && (s.node.id || s.node.className || s.node.nodeName)) || "?") });
      }
    }).observe({ type: "layout-shift", buffered: true });
  } catch (error) { bench.cls = NaN; }
  // The page may move on right after the mark (mentor.js goes back home): kept for the next.
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.name !== "mentorapp:saved") continue;
        sessionStorage.setItem("bench:saved", JSON.stringify({
          at: performance.timeOrigin + entry.startTime, tap: Number(sessionStorage.getItem("bench:tap")),
          cls: bench.cls, shifts: bench.shifts }));
      }
    }).observe({ type: "mark" });
  } catch (error) { /* about:blank */ }
  addEventListener("pointerdown", (event) => {
    try { sessionStorage.setItem("bench:tap", String(performance.timeOrigin + event.timeStamp)); }
    catch (error) { /* about:blank */ }
  }, { capture: true });
})();"""

TIMES = """(name) => {
  const mark = performance.getEntriesByName(name)[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0] || {};
  const shifts = performance.getEntriesByType("layout-shift").filter((e) => !e.hadRecentInput);
  return { origin: performance.timeOrigin, mark: mark ? mark.startTime : null,
           fcp: paint ? paint.startTime : null, cls: window.__bench ? window.__bench.cls : null,
           tap: Number(sessionStorage.getItem("bench:tap") || "NaN"),
           nav: { workerStart: nav.workerStart, responseStart: nav.responseStart,
                  responseEnd: nav.responseEnd, domInteractive: nav.domInteractive,
                  domContentLoaded: nav.domContentLoadedEventEnd } };
}"""


SHIFTS = "() => window.__bench ? window.__bench.shifts : []"
RESOURCES = """() => performance.getEntriesByType("resource").map((e) => ({
  name: e.name.replace(location.origin, "").split("?")[0], start: Math.round(e.startTime),
  end: Math.round(e.responseEnd), worker: e.workerStart > 0 }))"""


def usable_ms(times: dict) -> float:
    """From the navigation's start to usable: the page's mark, not before its first paint."""
    return max(times["mark"], times["fcp"] or 0.0)


class Chromium:
    """One Chromium with a persistent profile, each page throttled to `profile` through its
    own DevTools session."""

    def __init__(self, playwright, profile: Profile, user_data: Path, base_url: str):
        from tests.support.browser import LAUNCH_ARGS, chromium_path

        executable = chromium_path()
        if executable is None:
            raise RuntimeError("Debian's chromium is needed: apt-get install chromium")
        self.profile = profile
        self.context = playwright.chromium.launch_persistent_context(
            str(user_data), executable_path=executable, args=LAUNCH_ARGS, base_url=base_url,
            locale="nb-NO", timezone_id="Europe/Oslo",
            viewport={"width": profile.width, "height": profile.height},
            device_scale_factor=2 if profile.mobile else 1, is_mobile=profile.mobile,
            has_touch=profile.mobile)
        self.context.add_init_script(OBSERVERS)
        self.sessions: list = []
        self.errors: list[str] = []
        self.workers_throttled = 0
        self._next_id = 0

    def page(self, offline: bool = False):
        page = self.context.pages[0] if self.context.pages else self.context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        session = self.context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", self.profile.network(offline))
        session.send("Emulation.setCPUThrottlingRate", {"rate": self.profile.cpu_rate})
        # The page's conditions do not reach its service worker (measured: see
        # probe_worker_throttling), which fetches the pages and the shell: the worker is
        # attached as well, held at its start until it has the same network conditions.
        session.on("Target.attachedToTarget", lambda event: self._attached(session, event, offline))
        session.on("Target.receivedMessageFromTarget", self._answer)
        session.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True,
                                              "flatten": False})
        self.sessions.append(session)
        if offline:
            # Playwright's own switch as well (it reaches every worker it knows of).
            self.context.set_offline(True)
        return page

    def _attached(self, session, event: dict, offline: bool) -> None:
        try:
            self._configure(session, event, offline)
        except Exception as error:  # the target went away meanwhile (a worker stopped)
            if "No session" not in str(error):
                self.errors.append(f"attaching {event['targetInfo']['type']}: {error}")

    def _configure(self, session, event: dict, offline: bool) -> None:
        target = event["sessionId"]
        messages = []
        if event["targetInfo"]["type"] == "service_worker":
            self.workers_throttled += 1
            messages = [("Network.enable", {}),
                        ("Network.emulateNetworkConditions", self.profile.network(offline))]
        messages.append(("Runtime.runIfWaitingForDebugger", {}))
        for method, params in messages:
            self._next_id += 1
            session.send("Target.sendMessageToTarget", {"sessionId": target, "message": json.dumps(
                {"id": self._next_id, "method": method, "params": params})})

    def _answer(self, event: dict) -> None:
        message = json.loads(event["message"])
        if "error" in message:
            self.errors.append(f"DevTools protocol, service worker: {message['error']}")

    def tap(self, page, selector: str) -> None:
        locator = page.locator(selector).first
        if self.profile.mobile:
            locator.tap()
        else:
            locator.click()

    def close(self) -> None:
        self.context.close()


def wait_usable(page, selector: str, timeout: float = TIMEOUT_MS) -> dict:
    # Polled every 100 ms rather than on every frame: the harness's own script runs on the
    # page's (throttled) main thread too, and must cost the page as little as it can.
    page.wait_for_function("() => document.documentElement.dataset.usable", polling=100,
                           timeout=timeout)
    control = page.locator(selector).first
    if not (control.is_visible() and control.is_enabled()):
        raise RuntimeError(f"{page.url}: marked usable but {selector} is not visible and enabled")
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # Without a paint entry (a page shown before it was timed) the mark alone counts.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("() => performance.getEntriesByName('first-contentful-paint').length",
                               polling=100, timeout=10_000)
    return page.evaluate(TIMES, USABLE)


def settled_cls(page) -> float:
    time.sleep(SETTLE_S)
    return page.evaluate("() => window.__bench ? window.__bench.cls : NaN")


PROBE = """async () => {
  const timed = async (url) => {
    const began = performance.now();
    await (await fetch(url, { cache: "no-store", credentials: "same-origin" })).text();
    return performance.now() - began;
  };
  const nonce = Math.random().toString(36).slice(2);
  return { page: await timed(`/healthz?probe=${nonce}`),
           worker: await timed(`/m/texts.json?lang=probe&v=${nonce}`) };
}"""


def probe_worker_throttling(page) -> dict:
    """Does Network.emulateNetworkConditions on the page also slow what its service worker
    fetches? The same kind of small answer, asked for by the page itself (/healthz, which the
    worker leaves alone) and through the worker (texts.json under a new URL: the worker
    fetches it). Throttled, both take at least the 400 ms round trip."""
    return page.evaluate(PROBE)


def _received_at(database: Path, placement_id: int, day: str) -> str | None:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as conn:
        row = conn.execute(
            "SELECT received_at FROM events WHERE placement_id = ? AND type = 'daily_log' "
            "AND json_extract(payload, '$.date') = ? ORDER BY seq LIMIT 1",
            [placement_id, day]).fetchone()
    return row[0] if row else None


def _epoch_ms(iso: str) -> float:
    from mentorapp.domain import clock

    return clock.parse(iso).timestamp() * 1000


@dataclass
class Mentor:
    email: str
    password: str
    placement_id: int


@contextmanager
def counting_proxy(base_url: str) -> Iterator[tuple[str, object]]:
    from bench import weight

    meter = weight.Meter()
    proxy = weight._proxy(base_url, meter)
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}", meter
    finally:
        proxy.shutdown()


def kept_and_counted(browser: Chromium, page, meter, what: str) -> tuple[float, dict]:
    """A first visit's end, once the page says it is kept for offline use: that moment (on
    the browser's wall clock), then, when the network has gone quiet, what went over it."""
    from bench import weight

    ready_at = page.evaluate("() => performance.timeOrigin + performance.now()")
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    time.sleep(1)
    fetched = weight._summary(meter.take())
    if browser.errors:
        raise RuntimeError(f"script errors on {what}: {browser.errors[:3]}")
    return ready_at, fetched


def first_visit(playwright, address: str, meter, profile: Profile, user_data: Path,
                mentor: Mentor) -> dict:
    """A new phone: the login page, signing in ("keep me signed in", as on one's own phone),
    the home page, and everything until the pages are kept for a day without coverage."""
    browser = Chromium(playwright, profile, user_data, address)
    try:
        page = browser.page()
        meter.take()
        page.goto("/login", wait_until="commit")
        login = wait_usable(page, LOGIN_BUTTON)
        login_cls = page.evaluate("() => window.__bench.cls")
        page.fill("input[name=email]", mentor.email)
        page.fill("input[name=password]", mentor.password)
        page.check("input[name=remember]")
        browser.tap(page, LOGIN_BUTTON)
        page.wait_for_url("**/m/", timeout=TIMEOUT_MS)
        home = wait_usable(page, LOG_TODAY)
        home_cls = settled_cls(page)
        home_shifts = page.evaluate(SHIFTS)
        page.wait_for_selector("html[data-offline-ready=yes]", state="attached", timeout=TIMEOUT_MS)
        ready_at, fetched = kept_and_counted(browser, page, meter, "the first visit")
    finally:
        browser.close()
    return {
        "login_usable_ms": usable_ms(login),
        "login_to_home_ms": home["origin"] + usable_ms(home) - home["tap"],
        "offline_ready_ms": ready_at - login["origin"],
        "bytes": fetched["bytes"], "header_bytes": fetched["header_bytes"],
        "requests": fetched["requests"], "by_kind": fetched["by_kind"],
        "cls": max(login_cls, home_cls), "shifts": home_shifts,
    }


def repeat_open(playwright, address: str, profile: Profile, user_data: Path, offline: bool,
                probe: bool = False) -> dict:
    """The phone's browser started again on the same profile, the home page opened (the
    service worker answers: network first when online, its kept copy offline)."""
    browser = Chromium(playwright, profile, user_data, address)
    try:
        page = browser.page(offline=offline)
        page.goto("/m/", wait_until="commit", timeout=TIMEOUT_MS)
        times = wait_usable(page, LOG_TODAY)
        result = {"usable_ms": usable_ms(times), "cls": settled_cls(page), "nav": times["nav"],
                  "shifts": page.evaluate(SHIFTS),
                  "served_by_worker": page.evaluate(
                      "() => (performance.getEntriesByType('navigation')[0]?.workerStart ?? 0) > 0")}
        result["resources"] = page.evaluate(RESOURCES)
        if probe and not offline:
            result["probe"] = probe_worker_throttling(page)
    finally:
        browser.close()
    return result


def log_day(playwright, address: str, profile: Profile, user_data: Path, offline: bool,
            database: Path, mentor: Mentor, today: str) -> dict:
    """An ordinary day: on the home page, tap "Log today", tap attendance, mastery and
    social (the three fields), tap Save; the confirmation appears."""
    browser = Chromium(playwright, profile, user_data, address)
    try:
        page = browser.page(offline=offline)
        page.goto("/m/", wait_until="commit", timeout=TIMEOUT_MS)
        wait_usable(page, LOG_TODAY)
        time.sleep(0.5)  # the page's own first round with the outbox
        browser.tap(page, f"a.button.big[href='/m/p/{mentor.placement_id}/log']")
        page.wait_for_url(f"**/m/p/{mentor.placement_id}/log", timeout=TIMEOUT_MS)
        form = wait_usable(page, SAVE_BUTTON)
        form_ms = form["origin"] + usable_ms(form) - form["tap"]
        for field in ("attendance", "mastery", "social"):
            browser.tap(page, f"fieldset#{field}-field label")
        browser.tap(page, SAVE_BUTTON)
        page.wait_for_url("**/m/", timeout=TIMEOUT_MS)
        saved = json.loads(page.evaluate("() => sessionStorage.getItem('bench:saved')"))
        result = {"log_page_usable_ms": form_ms, "saved_ms": saved["at"] - saved["tap"],
                  "cls": saved["cls"], "shifts": saved["shifts"]}
        if not offline:
            deadline = time.monotonic() + 60
            received = None
            while received is None and time.monotonic() < deadline:
                received = _received_at(database, mentor.placement_id, today)
                time.sleep(0.05)
            result["server_ms"] = (_epoch_ms(received) - saved["tap"]) if received else math.nan
        if browser.errors:
            raise RuntimeError(f"script errors while logging: {browser.errors[:3]}")
    finally:
        browser.close()
    return result


def mentor_figures(base_url: str, database: Path, mentors: list[Mentor], today: str,
                   runs: int = RUNS, say: Callable[[str], None] = print) -> dict:
    """The mentor's figures on the phone profile: `2 * runs` mentors, each a new phone."""
    from playwright.sync_api import sync_playwright

    if len(mentors) < 2 * runs:
        raise ValueError(f"{2 * runs} mentors needed, {len(mentors)} given")
    first, online, offline, saved_offline, saved_online = [], [], [], [], []
    probes = []
    with tempfile.TemporaryDirectory(prefix="phone-") as folder, \
            counting_proxy(base_url) as (address, meter), sync_playwright() as playwright:
        for index, mentor in enumerate(mentors[:2 * runs]):
            user_data = Path(folder) / f"profile-{index}"
            first.append(first_visit(playwright, address, meter, PHONE, user_data, mentor))
            online.append(repeat_open(playwright, address, PHONE, user_data, offline=False,
                                      probe=index < runs))
            offline.append(repeat_open(playwright, address, PHONE, user_data, offline=True))
            if "probe" in online[-1]:
                probes.append(online[-1].pop("probe"))
            goes_offline = index % 2 == 0
            outcome = log_day(playwright, address, PHONE, user_data, goes_offline, database,
                              mentor, today)
            (saved_offline if goes_offline else saved_online).append(outcome)
            say(f"phone, mentor {index + 1}/{2 * runs}: first visit "
                f"{first[-1]['bytes'] / 1024:.1f} KB, home usable after login "
                f"{first[-1]['login_to_home_ms']:.0f} ms; repeat open "
                f"{online[-1]['usable_ms']:.0f} / {offline[-1]['usable_ms']:.0f} ms; saved "
                f"{outcome['saved_ms']:.0f} ms ({'offline' if goes_offline else 'online'})")
    return {
        "profile": PHONE.__dict__,
        "first_visit": {key: spread([f[key] for f in first]) for key in (
            "bytes", "header_bytes", "requests", "login_usable_ms", "login_to_home_ms",
            "offline_ready_ms", "cls")} | {"by_kind": first[0]["by_kind"]},
        "repeat_online": {key: spread([r[key] for r in online]) for key in ("usable_ms", "cls")}
        | {"served_by_worker": all(r["served_by_worker"] for r in online)},
        "repeat_offline": {key: spread([r[key] for r in offline]) for key in ("usable_ms", "cls")}
        | {"served_by_worker": all(r["served_by_worker"] for r in offline)},
        "log_offline": {key: spread([r[key] for r in saved_offline]) for key in (
            "log_page_usable_ms", "saved_ms", "cls")},
        "log_online": {key: spread([r[key] for r in saved_online]) for key in (
            "log_page_usable_ms", "saved_ms", "server_ms", "cls")},
        "worker_probe": {"page_ms": spread([p["page"] for p in probes]),
                         "worker_ms": spread([p["worker"] for p in probes])},
    }


def caseload_run(playwright, address: str, meter, profile: Profile, user_data: Path,
                 email: str, password: str, runs: int) -> dict:
    """A counsellor signed in once on this profile, then the caseload page opened `runs`
    times (as after a click on "Placements"; the browser's caches as they are by then)."""
    browser = Chromium(playwright, profile, user_data, address)
    usable, cls, sizes = [], [], []
    try:
        page = browser.page()
        page.goto("/login", timeout=TIMEOUT_MS)
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        browser.tap(page, LOGIN_BUTTON)
        page.wait_for_url("**/c/", timeout=TIMEOUT_MS)
        wait_usable(page, CASELOAD_LINK)
        time.sleep(1)
        for _ in range(runs):
            meter.take()
            page.goto("/c/", wait_until="commit", timeout=TIMEOUT_MS)
            times = wait_usable(page, CASELOAD_LINK)
            usable.append(usable_ms(times))
            cls.append(settled_cls(page))
            sizes.append(sum(f.body_bytes for f in meter.take()))
        shown = page.locator("a[href^='/c/p/']").evaluate_all(
            "(links) => new Set(links.map((a) => (/^\\/c\\/p\\/(\\d+)/.exec(a.getAttribute('href')) || [])[1])"
            ".filter(Boolean)).size")
        if browser.errors:
            raise RuntimeError(f"script errors on the caseload: {browser.errors[:3]}")
    finally:
        browser.close()
    return {"usable_ms": spread(usable), "cls": spread(cls), "bytes": spread(sizes),
            "placements_shown": shown}


def caseload_figures(database: Path, folder: Path, email: str, password: str,
                     runs: int = RUNS) -> dict:
    """The counsellor's caseload on a national-scale database, desktop and phone."""
    from playwright.sync_api import sync_playwright

    from bench import caseload

    server, base = caseload.serve(database, folder)
    try:
        with counting_proxy(base) as (address, meter), sync_playwright() as playwright:
            return {profile.name: caseload_run(playwright, address, meter, profile,
                                               folder / f"profile-{profile.name}", email,
                                               password, runs)
                    for profile in (DESKTOP, PHONE)}
    finally:
        server.stop()
