"""Weight of the mentor's pages on a phone: compressed bytes of the first load, and
whether a repeat load needs the network.

    python -m bench.weight      starts its own gunicorn with the demo data and prints figures

`measure(base_url, email, password)` does the measuring against a running server (the
benchmark runner calls it). Real Chromium (Debian's) loads the pages through a small
counting proxy in front of the server, so every byte is counted as it travels, from the
pages and from the service worker alike (precache, pages kept for offline use): the
"first load" is everything a new phone fetches from opening the login page until the
mentor's pages are kept for a day without coverage. Target: at most 100 KB.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import requests

TARGET_BYTES = 100 * 1024
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te",
              "trailer", "upgrade"}
DEMO_MENTOR = "mentor@demo.mentorapp.no"
CHROMIUM = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
# Root needs --no-sandbox; the rest keep Chromium from calling home (which would count).
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-default-apps",
               "--disable-features=Translate,OptimizationHints,MediaRouter"]


@dataclass
class Fetch:
    method: str
    path: str
    status: int
    body_bytes: int
    header_bytes: int
    encoding: str
    started: float = 0.0


@dataclass
class Meter:
    """What went through the proxy since the last reset."""
    fetches: list[Fetch] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, fetch: Fetch) -> None:
        with self.lock:
            self.fetches.append(fetch)

    def take(self, before: float | None = None) -> list[Fetch]:
        """What was asked for (before `before`, if given): the rest stays for later."""
        with self.lock:
            limit = time.monotonic() if before is None else before
            taken = [f for f in self.fetches if f.started < limit]
            self.fetches = [f for f in self.fetches if f.started >= limit]
        return taken


def _proxy(upstream: str, meter: Meter) -> ThreadingHTTPServer:
    target = urlsplit(upstream)

    class Forward(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # the figures are the output
            pass

        def _forward(self) -> None:
            started = time.monotonic()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                # http.client never decodes Content-Encoding: these are the bytes on the wire.
                data = answer.read()
                self.send_response_only(answer.status, answer.reason)
                header_bytes = 0
                for name, value in answer.getheaders():
                    if name.lower() in HOP_BY_HOP or name.lower() == "content-length":
                        continue
                    self.send_header(name, value)
                    header_bytes += len(name) + len(value) + 4
                if self.command != "HEAD":
                    self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                meter.add(Fetch(self.command, self.path, answer.status, len(data), header_bytes,
                                answer.getheader("Content-Encoding") or "identity", started))
            finally:
                connection.close()

        do_GET = do_POST = do_HEAD = do_DELETE = do_PUT = _forward

    class Quiet(ThreadingHTTPServer):
        def handle_error(self, request, client_address) -> None:
            # The browser drops connections it no longer needs (a page left mid-load).
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    server = Quiet(("127.0.0.1", 0), Forward)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _update_check(fetch: Fetch) -> bool:
    """The browser's own check for a new service worker (its script and, revalidated, the
    scripts it imports). Chromium's offline emulation does not cover it; a phone without
    network would simply not reach the server."""
    return fetch.path == "/sw.js" or (fetch.status == 304 and fetch.path.startswith("/static/"))


def _kind(fetch: Fetch) -> str:
    path = fetch.path.split("?")[0]
    if path.startswith("/static/"):
        return "static files"
    if path.startswith("/api/"):
        return "sync API"
    if path in ("/sw.js", "/manifest.webmanifest"):
        return "service worker, manifest"
    return "pages"


def _summary(fetches: list[Fetch]) -> dict:
    by_kind: dict[str, dict] = {}
    for fetch in fetches:
        kind = by_kind.setdefault(_kind(fetch), {"requests": 0, "bytes": 0})
        kind["requests"] += 1
        kind["bytes"] += fetch.body_bytes
    return {"requests": len(fetches), "bytes": sum(f.body_bytes for f in fetches),
            "header_bytes": sum(f.header_bytes for f in fetches), "by_kind": by_kind,
            "uncompressed_text": sum(1 for f in fetches if f.encoding == "identity"
                                     and f.body_bytes > 1024
                                     and not f.path.split("?")[0].endswith(".png"))}


def _chromium() -> str:
    for candidate in CHROMIUM:
        if Path(candidate).is_file():
            return candidate
    raise SystemExit("Debian's chromium is needed: apt-get install chromium")


def measure(base_url: str, email: str, password: str) -> dict:
    """Load the mentor's pages in a fresh Chromium profile and count what travels."""
    from playwright.sync_api import sync_playwright

    meter = Meter()
    proxy = _proxy(base_url, meter)
    address = f"http://127.0.0.1:{proxy.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=_chromium(), args=LAUNCH_ARGS)
            context = browser.new_context(base_url=address, locale="nb-NO", timezone_id="Europe/Oslo",
                                          viewport={"width": 390, "height": 844})
            page = context.new_page()
            page.goto("/login")
            page.fill("input[name=email]", email)
            page.fill("input[name=password]", password)
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_url("**/m/")
            page.wait_for_selector("html[data-offline-ready=yes]", state="attached",
                                   timeout=30000)
            page.wait_for_load_state("networkidle")
            time.sleep(1)
            first = meter.take()

            page.reload()
            page.wait_for_load_state("networkidle")
            time.sleep(1)
            cut_off = time.monotonic()
            context.set_offline(True)
            time.sleep(1)  # answers to what was asked before going offline arrive
            repeat = meter.take(before=cut_off)

            page.reload()
            offline_ok = page.locator(".mentor-page h1").inner_text().strip() != ""
            for path in page.locator(".mentor-page").get_attribute("data-warm").split():
                page.goto(path)
                offline_ok = offline_ok and page.locator(".mentor-page").count() == 1
            offline = meter.take()
            context.close()
            browser.close()
    finally:
        proxy.shutdown()
    summary = _summary(first)
    repeat_static = [f for f in repeat if _kind(f) == "static files" and not _update_check(f)]
    reached = [f for f in offline if not _update_check(f)]
    return {
        "first_load": summary,
        "first_load_bytes": summary["bytes"],
        "target_bytes": TARGET_BYTES,
        "within_target": summary["bytes"] <= TARGET_BYTES,
        "repeat_load_requests": len([f for f in repeat if not _update_check(f)]),
        "repeat_load_paths": sorted(Counter(f.path.split("?")[0] for f in repeat
                                            if not _update_check(f))),
        "repeat_load_static_requests": len(repeat_static),
        "offline_reload_ok": offline_ok and not reached,
        "offline_requests": len(reached),
        "offline_update_checks": len(offline) - len(reached),
    }


def _requests(count: int) -> str:
    return f"{count:4d} request{'' if count == 1 else 's'}"


def report(result: dict) -> str:
    kb = lambda n: f"{n / 1024:6.1f} KB"  # noqa: E731
    first = result["first_load"]
    lines = ["Mentor pages, first load on a new phone (login → today's page → pages kept for "
             "offline use), bytes as sent (gzip):"]
    for kind, figures in sorted(first["by_kind"].items()):
        lines.append(f"  {kind:<26}{_requests(figures['requests']):<14}{kb(figures['bytes'])}")
    verdict = "OK" if result["within_target"] else "OVER"
    lines.append(f"  {'total':<26}{_requests(first['requests']):<14}{kb(first['bytes'])}"
                 f"   target ≤ {kb(result['target_bytes']).strip()}: {verdict}")
    lines.append(f"  (headers add {kb(first['header_bytes']).strip()}; text sent uncompressed: "
                 f"{first['uncompressed_text']} responses over 1 KB)")
    lines.append(f"Repeat load online: {_requests(result['repeat_load_requests']).strip()} "
                 f"({', '.join(result['repeat_load_paths'])}); static files from the network: "
                 f"{result['repeat_load_static_requests']} (the page itself is network-first, "
                 f"so NAV's answers are fresh)")
    lines.append("Repeat load offline: " + (
        "every mentor page opens from the service worker, 0 requests from the pages: OK"
        if result["offline_reload_ok"] else
        f"FAILED ({result['offline_requests']} requests reached the network)"))
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _demo_server(folder: Path, password: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "MENTORAPP_INSTANCE_PATH": str(folder / "instance"),
           "MENTORAPP_DEMO_PASSWORD": password, "MENTORAPP_LOG_LEVEL": "WARNING"}
    subprocess.run([sys.executable, "-m", "mentorapp", "seed-demo", "--if-empty"], env=env,
                   check=True, capture_output=True)
    port = _free_port()
    log = (folder / "server.log").open("ab")
    server = subprocess.Popen([sys.executable, "-m", "mentorapp", "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", "2"], env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                return server, url
        except requests.RequestException:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the demo server did not start")


def main() -> dict:
    password = secrets.token_urlsafe(12)
    with tempfile.TemporaryDirectory() as folder:
        server, url = _demo_server(Path(folder), password)
        try:
            result = measure(url, DEMO_MENTOR, password)
        finally:
            server.terminate()
            server.wait(timeout=15)
    print(report(result))
    return result


if __name__ == "__main__":
    outcome = main()
    sys.exit(0 if outcome["within_target"] and outcome["offline_reload_ok"] else 1)
