"""A counsellor's pages on a national-scale database: the caseload (GET /c/) and a
placement (GET /c/p/<id>), as served by `mentorapp serve` on the generated file.

Server time is what the app itself logs for each request (the `ms` of its JSON request
log line: from the first before-request hook to the response, which includes the audit
line each of these pages writes). Client time adds the HTTP round trip on loopback.
Whatever is on the branch being measured is measured: the harness only knows the URLs.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import sys
import time
from pathlib import Path

from bench import httpload, national, ours, serving, stats

CASELOAD_ROUTE = "/c/"
PLACEMENT_ROUTE = "/c/p/<int:placement_id>"


def _caseload_ids(database: Path, email: str) -> list[int]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute(
            "SELECT placements.id FROM placements JOIN users ON users.id = placements.counsellor_id "
            "WHERE users.email = ? AND placements.status = 'active' ORDER BY placements.id",
            [email])]


def _server_times(log: Path, offset: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {CASELOAD_ROUTE: [], PLACEMENT_ROUTE: []}
    with log.open("rb") as file:
        file.seek(offset)
        for line in file:
            if not line.startswith(b"{"):
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("route") in times and entry.get("status") == 200:
                times[entry["route"]].append(entry["ms"] / 1000)
    return times


def serve(database: Path, folder: Path) -> tuple[serving.Process, str]:
    """`mentorapp serve` on the national database (request log at INFO), started; returns
    the server and its base URL."""
    folder.mkdir(parents=True, exist_ok=True)
    port = serving.free_port()
    base = f"http://127.0.0.1:{port}"
    server = serving.Process(
        "mentorapp", [sys.executable, "-m", "mentorapp", "serve", "--host", "127.0.0.1",
                      "--port", str(port)],
        folder / "server.log", env={"MENTORAPP_INSTANCE_PATH": str(folder / "instance"),
                                    "MENTORAPP_DATABASE": str(database),
                                    "MENTORAPP_LOG_LEVEL": "INFO"})
    server.start(base + "/healthz", timeout=120)
    return server, base


def measure(database: Path, folder: Path, rounds: int, throughput_seconds: float) -> dict:
    email = national.counsellor_email(0)
    ids = _caseload_ids(database, email)
    server, base = serve(database, folder)
    port = int(base.rsplit(":", 1)[1])
    try:
        session = ours.sign_in(base, email, national.PASSWORD)
        first = session.get(base + "/c/", timeout=60)
        shown = len(set(re.findall(r'href="/c/p/(\d+)"', first.text)))
        for placement_id in ids[:3]:
            session.get(f"{base}/c/p/{placement_id}", timeout=60)
        offset = server.log.stat().st_size
        client = {CASELOAD_ROUTE: [], PLACEMENT_ROUTE: []}
        failures = 0
        order = random.Random(1).sample(ids, len(ids))
        for index in range(rounds):
            began = time.perf_counter()
            answer = session.get(base + "/c/", timeout=60)
            client[CASELOAD_ROUTE].append(time.perf_counter() - began)
            failures += answer.status_code != 200
            began = time.perf_counter()
            answer = session.get(f"{base}/c/p/{order[index % len(order)]}", timeout=60)
            client[PLACEMENT_ROUTE].append(time.perf_counter() - began)
            failures += answer.status_code != 200
        time.sleep(0.3)  # the last log lines reach the file
        server_times = _server_times(server.log, offset)
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        pages_per_second = _throughput(port, cookie, ids, throughput_seconds)
    finally:
        server.stop()
    return {
        "placements_in_caseload": len(ids), "placements_shown": shown, "failures": failures,
        "caseload_server": stats.Latency.of(server_times[CASELOAD_ROUTE]).__dict__,
        "caseload_client": stats.Latency.of(client[CASELOAD_ROUTE]).__dict__,
        "placement_server": stats.Latency.of(server_times[PLACEMENT_ROUTE]).__dict__,
        "placement_client": stats.Latency.of(client[PLACEMENT_ROUTE]).__dict__,
        "pages_per_second_4_clients": pages_per_second,
    }


def _throughput(port: int, cookie: str, ids: list[int], seconds: float) -> float:
    """Counsellor pages per second with four clients alternating caseload and placement
    pages: how many counsellors' clicks one machine answers."""
    if seconds <= 0:
        return float("nan")
    host = f"127.0.0.1:{port}"
    headers = {"Cookie": cookie, "Accept": "text/html"}
    per_client = []
    for client in range(4):
        requests = []
        for index in range(2000):
            path = "/c/" if index % 2 == 0 else f"/c/p/{ids[(index + client) % len(ids)]}"
            requests.append(httpload.request_bytes("GET", path, host, headers))
        per_client.append(requests)
    run = httpload.run("127.0.0.1", port, per_client, seconds, lambda status, _body: status == 200)
    return (run.requests - run.errors) / run.wall
