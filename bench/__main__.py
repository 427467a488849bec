"""`python -m bench`: every benchmark, one table. See docs/performance.md.

    python -m bench            the full run (about 7 minutes on 2 cores, plus about 4 the
                               first time: the national databases are generated once and
                               cached in bench/results/)
    python -m bench --quick    a short run to check the harness (figures are rough)
    python -m bench --only cpu the sync request's CPU in-process (bench/sync_cpu.py, about
                               5 minutes with callgrind's instruction counts)
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    floor,
    httpload,
    kinto_peer,
    machine,
    national,
    ours,
    phone,
    procs,
    stats,
    sync_cpu,
    workload,
)
from bench.table import Table, ms, number, times
from mentorapp.domain import clock
from mentorapp.server import default_workers

RESULTS = Path(__file__).resolve().parent / "results"
RATE_CAP = 1500  # requests/s a client plan is sized for; past it a run ends early, and says so
TARGET_CLIENTS = 16  # where the targets apply
SECTIONS = ("ingest", "kinto", "floor", "cpu", "locks", "caseload", "network", "weight", "phone")


def say(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="short runs and small databases: checks the harness, rough figures")
    parser.add_argument("--clients", default="1,4,16,32",
                        help="concurrent clients for the ingest runs (default 1,4,16,32)")
    parser.add_argument("--duration", type=float,
                        help="seconds per ingest run (default 20, quick 3)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections among {', '.join(SECTIONS)}")
    parser.add_argument("--placements", default=None,
                        help="sizes of the national databases (default 1000,12000; quick 1000,3000)")
    parser.add_argument("--keep", action="store_true", help="keep the run's temporary folder")
    args = parser.parse_args(argv)
    args.levels = [int(n) for n in args.clients.split(",")]
    args.duration = args.duration or (3.0 if args.quick else 20.0)
    args.sections = set(args.only.split(","))
    unknown = args.sections - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    sizes = args.placements or ("1000,3000" if args.quick else "1000,12000")
    args.sizes = [int(n) for n in sizes.split(",")]
    return args


# Ingest ----------------------------------------------------------------------------------

def plan(phones: list[workload.Phone], clients: int, duration: float) -> list[list[list[dict]]]:
    per_client = math.ceil(RATE_CAP * duration / clients)
    return [[phones[i].batch() for _ in range(per_client)] for i in range(clients)]


def ingest_runs(system, mentors: list[workload.Mentor], levels: list[int], duration: float,
                today, server_pids) -> list[dict]:
    """Each concurrency level in turn, on the same server; the same events for every system
    (the phones are re-made from the same seeds)."""
    phones = [workload.Phone(m, today, seed=1000 + m.index) for m in mentors]
    results = []
    for clients in levels:
        batches = plan(phones, clients, duration)
        requests = [system.requests_for(mentors[i], batches[i]) for i in range(clients)]
        pids = server_pids()
        reader = None
        if clients == TARGET_CLIENTS and hasattr(system, "start_reader"):
            reader = system.start_reader()
        cpu_before = procs.cpu_seconds(pids)
        run = httpload.run("127.0.0.1", system.port, requests, duration, system.accepted)
        server_cpu = procs.cpu_seconds(pids) - cpu_before
        counsellor = reader() if reader else None
        for i in range(clients):
            system.record(batches[i][:len(run.clients[i].latencies)], run.clients[i].acknowledged)
        check = system.count_check()
        events = sum(len(batches[i][j]) for i in range(clients) for j in run.clients[i].acknowledged)
        latency = stats.Latency.of(run.latencies)
        result = {
            "clients": clients, "requests": run.requests, "errors": run.errors,
            "error_samples": run.error_samples, "wall": run.wall,
            "requests_per_second": run.requests / run.wall, "events_per_second": events / run.wall,
            "latency": latency.__dict__, "client_cpu_share": run.client_cpu / run.wall / machine_cores(),
            "server_cpu_ms_per_request": server_cpu * 1000 / max(run.requests, 1),
            "count_check": check, "exhausted": run.exhausted,
            "counsellor_during": counsellor,
        }
        say(f"{system.name} {clients} clients: {result['requests_per_second']:.0f} req/s, "
            f"p99 {latency.p99:.1f} ms, {run.errors} errors, lost {check['lost']}")
        results.append(result)
    return results


def machine_cores() -> int:
    import os

    return os.cpu_count() or 1


def count_ok(check: dict) -> bool:
    return (check["lost"] == 0 and check["duplicated"] == 0 and check["unexpected"] == 0
            and check["derived_ok"])


def phone_runs(args) -> int:
    return 2 if args.quick else phone.RUNS


def run_ours(args, folder: Path, today, report: dict) -> Path | None:
    mentors_needed = max(args.levels)
    # The phone's mentors come after the ingest runs' (which use the first ones), so that
    # each logs an ordinary day on a placement nothing else has touched.
    phone_mentors = 2 * phone_runs(args) if "phone" in args.sections else 0
    system = ours.Ours(folder / "ours", mentors_needed + phone_mentors, today)
    report["mentors"] = [m.__dict__ | {"start": m.start.isoformat()} for m in system.mentors]
    try:
        system.start()
        workers = system.workers()
        report["workers"] = len(workers)
        say(f"mentorapp serving with {len(workers)} workers on {system.base_url}")
        if "ingest" in args.sections:
            report["ours"] = ingest_runs(system, system.mentors, args.levels, args.duration,
                                         today, lambda: procs.tree(system.server.pid))
            report["memory"] = system.memory()
        if "weight" in args.sections:
            report["weight"] = run_weight(system)
        if phone_mentors:
            report["phone"] = run_phone(system, system.mentors[mentors_needed:], today,
                                        phone_runs(args))
    finally:
        system.stop()
    return system.pristine


def _mentors(report: dict) -> list[workload.Mentor]:
    return [workload.Mentor(m["index"], m["user_id"], m["placement_id"], m["email"],
                            datetime.fromisoformat(m["start"]).date()) for m in report["mentors"]]


def run_kinto(args, folder: Path, today, report: dict, workers: int) -> None:
    reason = kinto_peer.available()
    if reason:
        report["kinto_unavailable"] = reason
        say(f"Kinto skipped: {reason}")
        return
    mentors = _mentors(report)  # the same mentors, placements and days as ours
    system = kinto_peer.Kinto(folder / "kinto", mentors, workers)
    try:
        system.start()
        say(f"Kinto serving with {len(system.workers())} workers on {system.base_url}")
        report["kinto"] = ingest_runs(system, mentors, args.levels, args.duration, today,
                                      system.server_pids)
        report["kinto_memory"] = system.memory()
    except (OSError, RuntimeError, ValueError) as error:
        # The peer failing must not cost our own figures; the table says why it is missing.
        report["kinto_unavailable"] = f"failed: {error}".splitlines()[0][:200]
        say(f"Kinto failed: {error}")
    finally:
        system.stop()


def run_floor(args, folder: Path, today, pristine: Path, report: dict) -> None:
    phones = [workload.Phone(m, today, seed=5000 + m.index) for m in _mentors(report)]
    now = clock.now_iso()
    count = int(3000 * args.duration)
    prepared = []
    for index in range(count):
        phone = phones[index % len(phones)]
        prepared.append(floor.rows_of(phone.batch(), phone.mentor.user_id, now))
    report["floor"] = floor.run(pristine, folder, prepared, args.duration)
    say(f"floor: {report['floor']['requests_per_second']:.0f} commits/s")


def run_weight(system: ours.Ours) -> dict | None:
    try:
        from bench import weight  # written on another branch; measured when present
    except ImportError:
        return None
    mentor = system.mentors[0]
    say("mentor page weight in Chromium")
    try:
        return weight.measure(system.base_url, mentor.email, ours.PASSWORD)
    except Exception as error:  # a missing browser must not cost the other figures
        say(f"weight failed: {error!r}")
        return {"not measured": f"{type(error).__name__}: {error}"[:200]}


def run_phone(system: ours.Ours, mentors: list[workload.Mentor], today, runs: int) -> dict:
    say(f"the mentor's phone in Chromium (CPU x{phone.PHONE.cpu_rate:g}, slow 3G), "
        f"{runs} runs of each")
    try:
        return phone.mentor_figures(
            system.base_url, system.database,
            [phone.Mentor(m.email, ours.PASSWORD, m.placement_id) for m in mentors],
            today.isoformat(), runs=runs, say=say)
    except Exception as error:  # a missing browser must not cost the other figures
        say(f"phone failed: {error!r}")
        return {"not measured": f"{type(error).__name__}: {error}"[:300]}


def run_enketo(args, report: dict) -> None:
    """The peer of the phone figures: Enketo's web form on the same profile, same run."""
    from bench import enketo_peer

    say("the peer: Enketo's web form on the phone profile")
    try:
        report["enketo"] = enketo_peer.figures(phone_runs(args), say=say)
    except enketo_peer.Unavailable as error:
        say(f"Enketo peer not run: {error}")
        report["enketo"] = {"not run": str(error)}


def run_phone_caseload(args, folder: Path, report: dict) -> None:
    """The counsellor's caseload (75 placements) in the largest national database, opened
    in Chromium on a desktop and on the phone profile."""
    size = max(args.sizes)
    scale = national.Scale(size, days=365 if args.quick and size > 1000 else 730)
    path, meta, _made = national.cached(RESULTS, scale, progress=lambda fraction, events: say(
        f"generating {size} placements: {fraction:.0%}, {events:,} events"))
    say(f"caseload in Chromium, desktop and phone, on {path.name}")
    try:
        figures = phone.caseload_figures(path, folder / "phone-caseload",
                                         national.counsellor_email(0), national.PASSWORD,
                                         runs=phone_runs(args))
        report["phone_caseload"] = {"placements": size, "database": meta, **figures}
    except Exception as error:
        say(f"phone caseload failed: {error!r}")
        report["phone_caseload"] = {"not measured": f"{type(error).__name__}: {error}"[:300]}


# Caseload --------------------------------------------------------------------------------

def run_caseload(args, folder: Path, report: dict) -> None:
    report["caseload"] = []
    rounds = 30 if args.quick else 150
    for size in args.sizes:
        scale = national.Scale(size, days=365 if args.quick and size > 1000 else 730)
        started = time.monotonic()

        def progress(fraction: float, events: int, size=size) -> None:
            say(f"generating {size} placements: {fraction:.0%}, {events:,} events")

        path, meta, made = national.cached(RESULTS, scale, progress=progress)
        say(f"national database {path.name}: {meta['events']:,} events, "
            f"{meta['bytes'] / 1e9:.2f} GB ({'made in' if made else 'cached;'} "
            f"{time.monotonic() - started:.0f} s)")
        figures = national_figures(path, folder / f"caseload-{size}", rounds,
                                   0 if args.quick else 10.0)
        report["caseload"].append({"placements": size, "days": scale.days, "database": meta,
                                   "generated_now": made, "backup_seconds": backup_time(path, folder),
                                   **figures})


def backup_time(path: Path, folder: Path) -> float:
    """Seconds for an online backup (the sqlite3 backup API, what `.backup` does) of the
    database to a file on the same disk, flushed: the daily snapshot in scaling.md."""
    import os
    import sqlite3

    target = folder / "backup.db"
    began = time.perf_counter()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy, pages=65536)
    finally:
        copy.close()
        source.close()
    with target.open("rb") as file:
        os.fsync(file.fileno())
    seconds = time.perf_counter() - began
    target.unlink()
    return seconds


def national_figures(path: Path, folder: Path, rounds: int, seconds: float) -> dict:
    from bench import caseload

    return caseload.measure(path, folder, rounds, seconds)


# The table -------------------------------------------------------------------------------

def mark(ok: bool) -> str:
    return "✓" if ok else "✗ missed"


def build_table(report: dict) -> Table:
    table = Table(["area", "measure", "mentorapp", "Kinto / reference", "ratio", "target"])
    kinto_by_level = {r["clients"]: r for r in report.get("kinto", [])}
    floor_rps = report.get("floor", {}).get("requests_per_second", math.nan)
    for result in report.get("ours", []):
        c = result["clients"]
        k = kinto_by_level.get(c)
        area = f"ingest, {c} client{'s' if c > 1 else ''}"
        lat, klat = result["latency"], (k or {}).get("latency", {})
        at_target = c == TARGET_CLIENTS
        table.add(area, "requests/s (5 events each)", number(result["requests_per_second"])
                  + (" (ran out of prepared requests)" if result["exhausted"] else ""),
                  number(k["requests_per_second"]) if k else "–",
                  times(stats.ratio(result["requests_per_second"], k["requests_per_second"]))
                  if k else "–",
                  (f"≥ 400 {mark(result['requests_per_second'] >= 400)}" if at_target else ""))
        if k and at_target:
            ok = stats.ratio(result["requests_per_second"], k["requests_per_second"]) >= 4
            table.rows[-1][5] += f"; ≥ 4× Kinto {mark(ok)}"
        table.add(area, "events/s", number(result["events_per_second"]),
                  number(k["events_per_second"]) if k else "–",
                  times(stats.ratio(result["events_per_second"], k["events_per_second"]))
                  if k else "–", "")
        table.add(area, "latency p50 / p95 / p99 ms",
                  f"{ms(lat['p50'])} / {ms(lat['p95'])} / {ms(lat['p99'])}",
                  f"{ms(klat['p50'])} / {ms(klat['p95'])} / {ms(klat['p99'])}" if k else "–",
                  f"p99 {times(stats.ratio(lat['p99'], klat['p99']))}" if k else "–",
                  f"p99 < 100 {mark(lat['p99'] < 100)}" if at_target else "")
        check = result["count_check"]
        table.add(area, "errors · count check after the run",
                  f"{result['errors']} · {'ok' if count_ok(check) else 'MISMATCH'} "
                  f"({number(check['stored'])} stored, {check['lost']} lost, "
                  f"{check['duplicated']} duplicated)",
                  (f"{k['errors']} · {'ok' if count_ok(k['count_check']) else 'MISMATCH'} "
                   f"({number(k['count_check']['stored'])} stored)") if k else "–",
                  "", f"zero errors {mark(result['errors'] == 0)}" if at_target else "")
        table.add(area, "server CPU ms/request · load client's CPU share",
                  f"{result['server_cpu_ms_per_request']:.1f} · "
                  f"{result['client_cpu_share'] * 100:.0f} %",
                  (f"{k['server_cpu_ms_per_request']:.1f} (incl. PostgreSQL) · "
                   f"{k['client_cpu_share'] * 100:.0f} %") if k else "–",
                  "", "")
        if result.get("counsellor_during"):
            during = result["counsellor_during"]
            table.add(area, "meanwhile, a counsellor's caseload page: p50 / p95 / p99 ms",
                      f"{ms(during['latency']['p50'])} / {ms(during['latency']['p95'])} / "
                      f"{ms(during['latency']['p99'])} ({during['latency']['count']} pages, "
                      f"{during['failures']} failed)", "", "", "")
        table.add(area, "bare sqlite3 floor, one commit per request: requests/s",
                  number(result["requests_per_second"]), number(floor_rps),
                  f"ours ÷ floor {times(stats.ratio(result['requests_per_second'], floor_rps))}",
                  "")
    if report.get("kinto_unavailable"):
        table.add("ingest", "Kinto", "", f"not run: {report['kinto_unavailable']}", "", "")
    if "locks" in report:
        busy, flock = report["locks"]["busy_handler"], report["locks"]["flock"]
        after = report["locks"]["flock_flush_after"]
        table.add("writers' queue (5 processes)",
                  "transactions/s · latency p50 / p99 / max ms: SQLite's busy handler alone",
                  f"{number(busy['transactions_per_second'])} · {ms(busy['latency']['p50'])} / "
                  f"{ms(busy['latency']['p99'])} / {ms(busy['latency']['max'])}", "", "", "")
        table.add("writers' queue (5 processes)",
                  "the same, queueing on flock() first",
                  f"{number(flock['transactions_per_second'])} · {ms(flock['latency']['p50'])} / "
                  f"{ms(flock['latency']['p99'])} / {ms(flock['latency']['max'])}", "",
                  f"p99 {times(stats.ratio(flock['latency']['p99'], busy['latency']['p99']))}", "")
        table.add("writers' queue (5 processes)",
                  "the same, the WAL flushed after the lock is released (what store.db.write does)",
                  f"{number(after['transactions_per_second'])} · {ms(after['latency']['p50'])} / "
                  f"{ms(after['latency']['p99'])} / {ms(after['latency']['max'])}", "",
                  f"{times(stats.ratio(after['transactions_per_second'], flock['transactions_per_second']))} "
                  "transactions/s", "")
    add_cpu_rows(table, report)
    if "memory" in report:
        peaks = [w.get("VmHWM", 0) for w in report["memory"]["workers"]]
        now = [w.get("VmRSS", 0) for w in report["memory"]["workers"]]
        kinto_peaks = [w.get("VmHWM", 0) for w in report.get("kinto_memory", {}).get("workers", [])]
        table.add("memory", f"peak resident per worker (VmHWM; {len(peaks)} workers)",
                  f"{number(max(peaks) / 1024)} MiB (resident after the runs: "
                  f"{number(max(now) / 1024)} MiB)",
                  f"{number(max(kinto_peaks) / 1024)} MiB" if kinto_peaks else "–",
                  "", "")
    for case in report.get("caseload", []):
        area = f"caseload, {number(case['placements'])} placements"
        db = case["database"]
        table.add(area, "database: events · size",
                  f"{number(db['events'])} events · {db['bytes'] / 1e9:.2f} GB", "", "", "")
        for page, label in (("caseload", f"caseload page ({case['placements_shown']} shown)"),
                            ("placement", "placement page")):
            server, client = case[f"{page}_server"], case[f"{page}_client"]
            table.add(area, f"{label}: server p50 / p95 ms (client p50)",
                      f"{ms(server['p50'])} / {ms(server['p95'])} ({ms(client['p50'])})",
                      "", "", "")
        table.add(area, "online backup of the database (sqlite3 backup API, same disk)",
                  f"{case['backup_seconds']:.1f} s", "", "", "")
        if not math.isnan(case["pages_per_second_4_clients"]):
            table.add(area, "counsellor pages/s, 4 clients", number(case["pages_per_second_4_clients"]),
                      "", "", "")
    cases = report.get("caseload", [])
    if len(cases) >= 2:
        small, large = cases[0], cases[-1]
        for page in ("caseload", "placement"):
            growth = stats.ratio(large[f"{page}_server"]["p50"], small[f"{page}_server"]["p50"])
            table.add("caseload scaling",
                      f"{page} page p50, {number(large['placements'])} ÷ "
                      f"{number(small['placements'])} placements",
                      times(growth), "", "", f"follows the caseload {mark(growth < 1.5)}")
    if "network" in report:
        net = report["network"]
        table.add("network overview",
                  f"one network of {number(net['placements_per_network'])} placements "
                  f"({number(net['events'])} events in the database): cold / warm p50 ms",
                  f"{ms(net['cold_ms'])} / {ms(net['warm_median_ms'])}", "", "", "")
    if "weight" in report:
        weight = report["weight"]
        area = "mentor page weight"
        if weight is None:
            table.add(area, "(weight: not available)", "", "", "", "")
        else:
            first = weight["first_load"]
            parts = ", ".join(f"{kind} {number(v['bytes'] / 1024)} KB ({v['requests']})"
                              for kind, v in first["by_kind"].items())
            table.add(area, "first load, compressed bodies (requests): sign-in, home, the "
                      "service worker's shell and the pages it keeps",
                      f"{number(first['bytes'] / 1024)} KB ({first['requests']}): {parts}", "",
                      "", f"≤ {number(weight['target_bytes'] / 1024)} KB "
                      f"{mark(weight['within_target'])}")
            table.add(area, "repeat load online: requests that reach the network",
                      f"{weight['repeat_load_requests']} ({', '.join(weight['repeat_load_paths'])}"
                      f", network first for fresh NAV answers); static files: "
                      f"{weight['repeat_load_static_requests']}", "", "", "")
            table.add(area, "reload with no network: opens, requests from the pages",
                      f"{'yes' if weight['offline_reload_ok'] else 'NO'}, "
                      f"{weight['offline_requests']}", "", "",
                      f"repeat load needs no network {mark(weight['offline_reload_ok'] and weight['offline_requests'] == 0)}")
    add_phone_rows(table, report)
    return table


def add_cpu_rows(table: Table, report: dict) -> None:
    """The sync request's CPU in-process (bench/sync_cpu.py) beside a minimal Flask app's."""
    result = report.get("sync_cpu")
    if result is None:
        return
    area = "sync request, in-process"
    rounds = ", ".join(f"{x:.2f}" for x in result["ours"]["cpu_ms_rounds"])
    table.add(area, f"CPU ms per request (median of {result['rounds']} rounds of "
              f"{result['requests_per_round']}: {rounds}); reference: a minimal Flask app, "
              "one INSERT and COMMIT", f"{result['ours']['cpu_ms']:.2f}",
              f"{result['floor']['cpu_ms']:.2f}", f"ours ÷ floor {times(result['ratio_cpu'])}",
              "")
    if "ratio_instructions" in result:
        table.add(area, "instructions per request (callgrind, whatever the load)",
                  f"{result['ours']['instructions'] / 1e6:.1f} M",
                  f"{result['floor']['instructions'] / 1e6:.1f} M",
                  f"ours ÷ floor {times(result['ratio_instructions'])}", "")
    else:
        table.add(area, "instructions per request",
                  f"not measured: {result['callgrind']['not measured']}", "", "", "")


def spread_ms(figure: dict) -> str:
    """median (min–max, n runs) of a phone figure in milliseconds."""
    if not figure.get("runs"):
        return "–"
    return (f"{ms(figure['median'])} ({ms(figure['min'])}–{ms(figure['max'])}, "
            f"{figure['runs']} runs)")


def add_phone_rows(table: Table, report: dict) -> None:
    targets = phone.TARGETS
    result = report.get("phone")
    area = f"phone (CPU ×{phone.PHONE.cpu_rate:g}, slow 3G, {phone.PHONE.width}×{phone.PHONE.height})"
    if result is not None and "not measured" in result:
        table.add(area, "the mentor's phone", f"not measured: {result['not measured']}", "", "", "")
    elif result is not None:
        first = result["first_visit"]
        kb = first["bytes"]["median"] / 1024
        table.add(area, "first visit, bytes over the wire: bodies (requests) · with headers",
                  f"{kb:.1f} KB ({number(first['requests']['median'])}) · "
                  f"{(first['bytes']['median'] + first['header_bytes']['median']) / 1024:.1f} KB",
                  "", "", f"≤ {targets['first_visit_bytes'] // 1024} KB "
                  f"{mark(first['bytes']['median'] <= targets['first_visit_bytes'])}")
        table.add(area, "first visit: login page usable, ms from navigation", spread_ms(first["login_usable_ms"]),
                  "", "", "")
        table.add(area, "first visit: tap \"log in\" → home usable, ms", spread_ms(first["login_to_home_ms"]),
                  "", "", "")
        table.add(area, "first visit: until the pages are kept for offline use, ms",
                  spread_ms(first["offline_ready_ms"]), "", "", "")
        for key, label in (("repeat_online", "online"), ("repeat_offline", "offline")):
            figure = result[key]["usable_ms"]
            table.add(area, f"repeat open {label} (browser restarted): home usable, ms",
                      spread_ms(figure), "", "",
                      f"≤ {targets['repeat_open_ms']} {mark(figure['median'] <= targets['repeat_open_ms'])}")
        for key, label in (("log_offline", "offline"), ("log_online", "online")):
            figure = result[key]
            table.add(area, f"log an ordinary day {label}: tap \"Log today\" → form usable, ms",
                      spread_ms(figure["log_page_usable_ms"]), "", "", "")
            table.add(area, f"log an ordinary day {label}: tap Save → shown as saved, ms",
                      spread_ms(figure["saved_ms"]), "", "",
                      f"≤ {targets['saved_ms']} {mark(figure['saved_ms']['max'] <= targets['saved_ms'])} (slowest run)")
        table.add(area, "log an ordinary day online: tap Save → the server has it, ms",
                  spread_ms(result["log_online"]["server_ms"]), "", "", "")
        worst = max(result[key]["cls"]["max"] for key in (
            "first_visit", "repeat_online", "repeat_offline", "log_offline", "log_online"))
        table.add(area, "layout shift: the largest CLS of any page in any run",
                  f"{worst:.3f}", "", "", f"< {targets['cls']} {mark(worst < targets['cls'])}")
        probe = result["worker_probe"]
        table.add(area, "the network emulation reaches the service worker's fetches: a small answer "
                  "asked by the page · through the worker, ms",
                  f"{spread_ms(probe['page_ms'])} · {spread_ms(probe['worker_ms'])}", "", "",
                  "")
    cases = report.get("phone_caseload")
    if cases is not None and "not measured" in cases:
        table.add("caseload in Chromium", "75 placements", f"not measured: {cases['not measured']}",
                  "", "", "")
    elif cases is not None:
        for profile in ("desktop", "phone"):
            figure = cases[profile]
            target = ""
            if profile == "phone":
                target = (f"≤ {targets['caseload_ms']} "
                          f"{mark(figure['usable_ms']['median'] <= targets['caseload_ms'])}")
            table.add(f"caseload in Chromium, {number(cases['placements'])} placements",
                      f"{profile}: the caseload ({figure['placements_shown']} shown) usable, ms "
                      f"({number(figure['bytes']['median'] / 1024)} KB); CLS {figure['cls']['max']:.3f}",
                      spread_ms(figure["usable_ms"]), "", "", target)
    if "enketo" in report:
        add_enketo_rows(table, report)


def add_enketo_rows(table: Table, report: dict) -> None:
    """The same phone-profile figures for Enketo's web form (bench/enketo_peer.py) beside
    mentorapp's: the peer's column holds Enketo's, the ratio is mentorapp ÷ Enketo."""
    enketo, ours_result = report["enketo"], report.get("phone")
    area = "phone: mentorapp beside Enketo (peer column)"
    if "not run" in enketo:
        table.add(area, "three-field daily form offline", "", f"not run: {enketo['not run']}",
                  "", "")
        return
    versions = ", ".join(f"{name} {version}" for name, version in enketo["versions"].items())
    table.add(area, f"the peer: Enketo's web form ({versions}), built and served by the benchmark",
              "", f"bundle {enketo['bundle_bytes'] / 1024:.0f} KB, theme "
              f"{enketo['theme_bytes'] / 1024:.0f} KB (uncompressed)", "", "")
    if ours_result is None or "first_visit" not in ours_result:
        ours_result = None

    def side(measure: str, ours: dict | None, theirs: dict, kb: bool = False) -> None:
        show = (lambda f: f"{f['median'] / 1024:.1f} KB") if kb else spread_ms
        table.add(area, measure, show(ours) if ours else "–", show(theirs),
                  times(stats.ratio(ours["median"], theirs["median"])) if ours else "–", "")

    first = ours_result["first_visit"] if ours_result else None
    side("first visit, bytes over the wire (bodies): mentorapp login + home + offline pages · "
         "Enketo's form page and its files", first and first["bytes"], enketo["first_visit"]["bytes"],
         kb=True)
    side("first visit: the first page usable, ms from navigation (mentorapp: the login page; "
         "Enketo: the form)", first and first["login_usable_ms"],
         enketo["first_visit"]["first_usable_ms"])
    side("first visit: until kept for offline use, ms", first and first["offline_ready_ms"],
         enketo["first_visit"]["offline_ready_ms"])
    side("repeat open online (browser restarted), ms (mentorapp: the home page; Enketo: the form)",
         ours_result and ours_result["repeat_online"]["usable_ms"], enketo["repeat_online_ms"])
    side("repeat open offline (browser restarted), ms (mentorapp: the home page; Enketo: the form)",
         ours_result and ours_result["repeat_offline"]["usable_ms"], enketo["repeat_offline_ms"])
    side("offline: the daily form usable, ms (mentorapp: tap \"Log today\" → log form; Enketo: "
         "repeat open)", ours_result and ours_result["log_offline"]["log_page_usable_ms"],
         enketo["repeat_offline_ms"])
    side("tap Save → shown as saved, offline, ms", ours_result and ours_result["log_offline"]["saved_ms"],
         enketo["saved_offline_ms"])
    side("tap Save → shown as saved, online, ms", ours_result and ours_result["log_online"]["saved_ms"],
         enketo["saved_online_ms"])
    table.add(area, "layout shift: largest CLS of a run", "", f"{enketo['cls']['max']:.3f}", "",
              f"< {phone.TARGETS['cls']}")


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    RESULTS.mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=RESULTS))
    today = clock.today()
    report: dict = {"started": datetime.now(UTC).isoformat(timespec="seconds"),
                    "command": "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv),
                    "machine": machine.describe(RESULTS), "quick": args.quick,
                    "duration": args.duration}
    began = time.monotonic()
    try:
        pristine = None
        if args.sections & {"ingest", "weight", "floor", "phone"}:
            pristine = run_ours(args, folder, today, report)
        if "kinto" in args.sections and "ingest" in args.sections:
            run_kinto(args, folder, today, report, report.get("workers") or default_workers())
        if "floor" in args.sections and pristine is not None:
            run_floor(args, folder, today, pristine, report)
        if "cpu" in args.sections:
            say("the sync request's CPU in-process, and a minimal Flask app's (bench/sync_cpu.py)")
            report["sync_cpu"] = sync_cpu.measure(
                requests=100 if args.quick else sync_cpu.REQUESTS,
                rounds=3 if args.quick else sync_cpu.ROUNDS,
                callgrind=not args.quick)
        if "locks" in args.sections:
            from bench import locking

            say("writers' queue: SQLite's busy handler, flock(), flushing after the lock")
            report["locks"] = locking.run(folder, 100 if args.quick else 400)
        if "caseload" in args.sections:
            run_caseload(args, folder, report)
        if "phone" in args.sections:
            run_phone_caseload(args, folder, report)
            run_enketo(args, report)
        if "network" in args.sections:
            from bench import network_overview

            say("coordinator's network overview on a large database")
            report["network"] = (network_overview.measure(3, 300, 14, 5) if args.quick
                                 else network_overview.measure())
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    report["seconds"] = round(time.monotonic() - began)
    table = build_table(report)
    heading = (f"mentorapp benchmarks{' (quick run: rough figures)' if args.quick else ''}, "
               f"{report['started']}, {report['seconds']} s\n"
               f"Machine: {machine.summary(report['machine'])}\n"
               f"Command: {report['command']}; {args.duration:g} s per ingest run; "
               f"{report.get('workers', '?')} gunicorn workers for each server\n")
    output = heading + "\n" + table.render() + "\n"
    print(output)
    (RESULTS / "latest.md").write_text(output)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
