"""`python -m bench.sync_cpu`: the CPU one sync request costs the server, in-process, beside
a minimal Flask app's, measured so that the machine's load moves it as little as possible.

    python -m bench.sync_cpu                   CPU per request (median of 5 rounds of 500)
                                               and instructions per request (callgrind)
    python -m bench.sync_cpu --no-callgrind    CPU only (about 20 s)
    python -m bench.sync_cpu --only ours       ours alone (before/after a change)
    python -m bench.sync_cpu --profile out.prof   cProfile of one round of ours

Ours: the app made by `create_app` with the production settings (what `mentorapp serve`
runs: no TESTING, the request log at INFO, written to a file) on a temporary SQLite file,
one mentor signed in through the real login form, posting batches of 5 events (the
served benchmark's batches, bench/workload.py) to POST /api/v1/sync with the session
cookie and X-CSRF-Token, through Flask's test client (so without gunicorn's share).
The floor: a minimal Flask app in the same harness, on the same disk, taking the same
bodies: it parses the JSON, stores the body with one INSERT and one COMMIT (WAL,
synchronous=FULL: one flush per request, as ours) and answers with JSON.

CPU is `time.process_time()` (user + system of this process) over a round, median over
rounds: waiting for the disk is not counted, another process's load only through the
cache and the clock. Instructions per request come from `valgrind --tool=callgrind`,
which counts the same instructions whatever else the machine runs: the process is run
twice with a different number of requests, and the difference divided by the difference
in requests (so start-up does not count). The floor is measured the same ways.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, jsonify, request

from bench import ours, workload
from mentorapp.domain import clock

REQUESTS = 500  # per round
ROUNDS = 5
WARM_UP = 50  # first requests of each app, not counted (connection, caches)
CALLGRIND_REQUESTS = (40, 240)  # the two runs whose difference is counted
SEED = 4242


@dataclass
class Mentor:
    """The signed-in mentor: who, which placement, and what the phone sends with a batch."""
    mentor: workload.Mentor
    cookies: list[tuple[str, str]]
    csrf_token: str


def _sign_in(instance: Path) -> Mentor:
    """The world and the sign-in, in a child process (see ours.build_world): one mentor,
    signed in through the login form, the way a phone does it."""
    from mentorapp import create_app

    [mentor] = ours.make_world(instance, 1, clock.today())
    app = create_app({"INSTANCE_PATH": str(instance), "LOG_LEVEL": "WARNING"})
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"email": mentor.email, "password": ours.PASSWORD,
                                         "remember": "on", "csrf_token": token})
    if answer.status_code != 303:
        raise RuntimeError(f"sign-in answered {answer.status_code}")
    csrf = client.get("/api/v1/session").get_json()["csrf_token"]
    cookies = [(name, client.get_cookie(name).value)
               for name in (app.config["SESSION_COOKIE_NAME"], app.config["REMEMBER_COOKIE_NAME"])
               if client.get_cookie(name) is not None]
    with sqlite3.connect(instance / "mentorapp.db") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Mentor(mentor, cookies, csrf)


def prepare(instance: Path) -> Mentor:
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_sign_in, (instance,))


def bodies(mentor: workload.Mentor, count: int) -> list[bytes]:
    """The same batches every run: a seeded phone (bench/workload.py)."""
    phone = workload.Phone(mentor, clock.today(), seed=SEED)
    return [workload.ours_body(phone.batch()) for _ in range(count)]


# The two apps ------------------------------------------------------------------------------

def ours_poster(folder: Path, signed_in: Mentor) -> tuple[Callable[[bytes], bytes], Callable]:
    """A function posting one body to our app and returning the answer, and a check."""
    from mentorapp import create_app

    instance = folder / "instance"
    app = create_app({"INSTANCE_PATH": str(instance)})
    # The request log as production writes it (a line per request to a file), not here.
    log_file = (folder / "requests.log").open("a")
    for handler in logging.getLogger("mentorapp").handlers:
        if getattr(handler, "_mentorapp", False):
            handler.setStream(log_file)
    client = app.test_client()
    for name, value in signed_in.cookies:
        client.set_cookie(name, value)
    headers = {"X-CSRF-Token": signed_in.csrf_token, "Content-Type": "application/json",
               "Accept": "application/json"}

    def post(body: bytes) -> bytes:
        answer = client.post("/api/v1/sync", data=body, headers=headers)
        if answer.status_code != 200:
            raise RuntimeError(f"sync answered {answer.status_code}: {answer.get_data()[:300]!r}")
        return answer.get_data()

    def check(answer: bytes) -> bool:
        return all(r["status"] == "created" for r in json.loads(answer)["results"])

    return post, check


def floor_app(path: Path) -> Flask:
    """The least a Flask sync endpoint can do durably: parse, one INSERT, one COMMIT."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS batches (id INTEGER PRIMARY KEY, body TEXT)")
    app = Flask("floor")

    @app.post("/api/v1/sync")
    def sync():
        events = request.get_json()["events"]
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO batches (body) VALUES (?)", [request.get_data()])
        conn.execute("COMMIT")
        return jsonify(stored=len(events))

    return app


def floor_poster(folder: Path) -> tuple[Callable[[bytes], bytes], Callable]:
    client = floor_app(folder / "floor.db").test_client()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}

    def post(body: bytes) -> bytes:
        answer = client.post("/api/v1/sync", data=body, headers=headers)
        if answer.status_code != 200:
            raise RuntimeError(f"floor answered {answer.status_code}")
        return answer.get_data()

    return post, lambda answer: json.loads(answer)["stored"] == workload.BATCH


# Measuring ---------------------------------------------------------------------------------

def cpu_rounds(post: Callable[[bytes], bytes], check: Callable, batches: list[bytes],
               rounds: int) -> list[float]:
    """CPU ms per request of each round (the first WARM_UP bodies warm up, uncounted)."""
    for body in batches[:WARM_UP]:
        post(body)
    per_round = (len(batches) - WARM_UP) // rounds
    figures = []
    for index in range(rounds):
        chunk = batches[WARM_UP + index * per_round:WARM_UP + (index + 1) * per_round]
        began = time.process_time()
        answers = [post(body) for body in chunk]
        figures.append((time.process_time() - began) * 1000 / len(chunk))
        if not all(check(answer) for answer in answers):
            raise RuntimeError("a batch was not stored in full")
    return figures


def system(which: str, folder: Path, count: int) -> tuple[Callable, Callable, list[bytes]]:
    signed_in = prepare(folder / "instance")
    batches = bodies(signed_in.mentor, count)
    if which == "ours":
        post, check = ours_poster(folder, signed_in)
    else:
        post, check = floor_poster(folder)
    return post, check, batches


def measure_cpu(which: str, requests: int, rounds: int, profile: str | None = None) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix=f"sync-cpu-{which}-"))
    try:
        post, check, batches = system(which, folder, WARM_UP + requests * rounds)
        if profile:
            import cProfile

            with cProfile.Profile() as profiler:
                figures = cpu_rounds(post, check, batches, rounds)
            profiler.dump_stats(profile)
            return figures
        return cpu_rounds(post, check, batches, rounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _raw(which: str, requests: int) -> None:
    """The process callgrind counts: set up, then `requests` posts after the warm-up."""
    folder = Path(tempfile.mkdtemp(prefix=f"sync-cpu-{which}-"))
    try:
        post, check, batches = system(which, folder, WARM_UP + requests)
        cpu_rounds(post, check, batches, 1)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def callgrind_count(which: str, requests: int) -> int:
    """Instructions of one whole run of `_raw` under callgrind (children not traced: the
    spawned sign-in runs natively and is not counted)."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
         sys.executable, "-m", "bench.sync_cpu", "--raw", which, "--requests", str(requests)],
        env=env, capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parents[1])
    found = COLLECTED.findall(done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"callgrind run failed ({done.returncode}): {done.stderr[-1500:]}")
    return int(found[-1])


def instructions_per_request(which: str) -> float:
    """Two runs side by side (the counts do not depend on what else runs)."""
    from concurrent.futures import ThreadPoolExecutor

    low, high = CALLGRIND_REQUESTS
    with ThreadPoolExecutor(2) as pool:
        counts = list(pool.map(lambda n: callgrind_count(which, n), (low, high)))
    return (counts[1] - counts[0]) / (high - low)


def callgrind_unavailable() -> str | None:
    if shutil.which("valgrind") is None:
        return "valgrind is not installed (apt-get install valgrind)"
    return None


def measure(requests: int = REQUESTS, rounds: int = ROUNDS, callgrind: bool = True,
            systems: tuple[str, ...] = ("ours", "floor")) -> dict:
    """Every figure, for the command below and for `python -m bench --only cpu`."""
    result: dict = {"requests_per_round": requests, "rounds": rounds}
    for which in systems:
        figures = measure_cpu(which, requests, rounds)
        result[which] = {"cpu_ms_rounds": figures, "cpu_ms": statistics.median(figures)}
    reason = callgrind_unavailable() if callgrind else "skipped (--quick or --no-callgrind)"
    if reason:
        result["callgrind"] = {"not measured": reason}
    else:
        for which in systems:
            result[which]["instructions"] = instructions_per_request(which)
    if len(systems) == 2:
        result["ratio_cpu"] = result["ours"]["cpu_ms"] / result["floor"]["cpu_ms"]
        if not reason:
            result["ratio_instructions"] = (result["ours"]["instructions"]
                                            / result["floor"]["instructions"])
    return result


NAMES = {"ours": "mentorapp    ", "floor": "minimal Flask"}


def report(result: dict) -> str:
    systems = [which for which in NAMES if which in result]
    lines = [f"CPU per sync request, in-process (median of {result['rounds']} rounds of "
             f"{result['requests_per_round']}; every round in brackets):"]
    lines += [f"  {NAMES[which]}  {result[which]['cpu_ms']:.3f} ms  "
              f"({', '.join(f'{x:.3f}' for x in result[which]['cpu_ms_rounds'])})"
              for which in systems]
    if "ratio_cpu" in result:
        lines.append(f"  ours ÷ floor   {result['ratio_cpu']:.2f}×")
    if "callgrind" in result:
        lines.append(f"Instructions: {result['callgrind']['not measured']}")
        return "\n".join(lines)
    low, high = CALLGRIND_REQUESTS
    lines.append(f"Instructions per sync request (callgrind: runs of {high} and {low} requests, "
                 f"the difference ÷ {high - low}):")
    lines += [f"  {NAMES[which]}  {result[which]['instructions'] / 1e6:.2f} M"
              for which in systems]
    if "ratio_instructions" in result:
        lines.append(f"  ours ÷ floor   {result['ratio_instructions']:.2f}×")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sync_cpu", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=REQUESTS, help="requests per round")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--no-callgrind", action="store_true", help="skip the instruction count")
    parser.add_argument("--only", choices=("ours", "floor"), help="one of the two alone")
    parser.add_argument("--profile", metavar="FILE", help="cProfile ours into FILE")
    parser.add_argument("--raw", choices=("ours", "floor"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.raw:
        _raw(args.raw, args.requests)
        return 0
    if args.profile:
        figures = measure_cpu("ours", args.requests, args.rounds, args.profile)
        print(f"ours: {statistics.median(figures):.3f} ms CPU per request "
              f"({', '.join(f'{x:.3f}' for x in figures)}), profile in {args.profile}")
        return 0
    result = measure(args.requests, args.rounds, callgrind=not args.no_callgrind,
                     systems=(args.only,) if args.only else ("ours", "floor"))
    print(report(result))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
