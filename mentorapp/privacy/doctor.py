"""`mentorapp doctor`: is this deployment fit to hold real people's data? Each check says
what is wrong in a sentence an operator can act on; any problem makes the command exit 1.

Checked: the secret key and VAPID key are there, strong, and not left from a demo; the
database is writable, in WAL mode, with its schema current; there is room on its disk;
Litestream (when configured) reaches its replica; the clock is not behind the data; the
SQLite library is one without a known corruption bug (a warning: it does not fail).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask

from mentorapp import demo
from mentorapp.domain import clock
from mentorapp.privacy.backup import litestream_binary, replica_listing
from mentorapp.store import health, lifecycle, migrations
from mentorapp.store.db import close, connect

MIN_SECRET_CHARS = 32
WEAK_SECRETS = {"dev", "secret", "changeme", "change-me", "test", "mentorapp"}
DEFAULT_VAPID_SUBJECT = "mailto:drift@mentorapp.invalid"
MIN_FREE_BYTES = 1 << 30
CLOCK_SLACK = timedelta(minutes=5)


@dataclass
class Finding:
    check: str
    ok: bool
    message: str
    warning: bool = False  # passes, but the operator should know and act (not a failure)


# SQLite's WAL-reset bug (sqlite.org/wal.html#walresetbug): a race between two connections'
# checkpoints and a third's commit can corrupt the database. In every release from 3.7.0
# to 3.51.2; fixed in 3.51.3 and after, and in the 3.50.7 and 3.44.6 patch releases.
WAL_RESET_FIXED = ((3, 51, 3), (3, 50, 7), (3, 44, 6))


def run(app: Flask) -> list[Finding]:
    config = app.config
    findings = [_secret_key(config), _vapid(config), _demo(app)]
    findings += _database(config["DATABASE"])
    findings.append(_disk(config["DATABASE"]))
    findings.append(_litestream(config))
    findings.append(_https(config))
    findings.append(sqlite_library(sqlite3.sqlite_version_info))
    return findings


def sqlite_library(version: tuple[int, int, int]) -> Finding:
    """A warning, not a failure: the app's own writers and their checkpoints are queued
    under one lock (store/db.py), so two of its connections never checkpoint at once; the
    race needs another connection checkpointing beside them, as Litestream's does."""
    shown = ".".join(map(str, version))
    newest, *patches = WAL_RESET_FIXED
    fixed = version >= newest or any(version[:2] == patch[:2] and version >= patch
                                     for patch in patches)
    if fixed or version < (3, 7, 0):
        return Finding("SQLite library", True, f"{shown}, without the WAL-reset bug")
    return Finding("SQLite library", True, f"{shown} has SQLite's WAL-reset corruption bug "
                   "(fixed in 3.51.3, 3.50.7, 3.44.6): run the app on a Python whose sqlite3 "
                   "is fixed (docs/operations.md).", warning=True)


def _secret_key(config) -> Finding:
    key = config.get("SECRET_KEY") or ""
    if len(key) < MIN_SECRET_CHARS or key.lower() in WEAK_SECRETS:
        return Finding("secret key", False, f"The secret key is missing or weak (under "
                       f"{MIN_SECRET_CHARS} characters): set MENTORAPP_SECRET_KEY or delete "
                       "<instance>/secret_key to have one generated.")
    return Finding("secret key", True, "present and long enough")


def _vapid(config) -> Finding:
    path = Path(config["VAPID_PRIVATE_KEY_FILE"])
    try:
        from mentorapp.push import vapid

        vapid.public_key(str(path))
    except (OSError, ValueError) as error:
        return Finding("VAPID key", False, f"The VAPID key {path} cannot be read ({error}).")
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        return Finding("VAPID key", False, f"The VAPID key {path} can be read by others: "
                       "chmod 600 it.")
    if config["VAPID_SUBJECT"] == DEFAULT_VAPID_SUBJECT:
        return Finding("VAPID key", False, "MENTORAPP_VAPID_SUBJECT is still the example "
                       "address: set NAV's operations contact (mailto:…).")
    return Finding("VAPID key", True, "present, private, with a real contact")


def _demo(app: Flask) -> Finding:
    if (Path(app.instance_path) / demo.LOGINS_FILE).exists():
        return Finding("demo data", False, "This instance was seeded with demo data "
                       f"({demo.LOGINS_FILE} exists): use a fresh instance folder in production.")
    db = connect(app.config["DATABASE"])
    try:
        demo_users = health.users_in_domain(db, demo.DOMAIN)
    finally:
        close(db)
    if demo_users:
        return Finding("demo data", False, f"{demo_users} demo account(s) ({demo.DOMAIN}) "
                       "are in the database: this is a demo, not a deployment.")
    return Finding("demo data", True, "none")


def _database(path: str) -> list[Finding]:
    found = []
    try:
        db = connect(path)
    except Exception as error:
        return [Finding("database", False, f"The database {path} cannot be opened: {error}")]
    try:
        problem = health.can_write(db)
        found.append(Finding("database", problem is None, f"{path} is writable" if problem
                             is None else f"The database {path} is not writable: {problem}"))
        mode = health.journal_mode(db)
        found.append(Finding("WAL mode", mode == "wal",
                             "on" if mode == "wal" else f"journal_mode is {mode}, not wal"))
        pending = migrations.pending(db)
        found.append(Finding("schema", not pending, "current" if not pending else
                             f"{len(pending)} migration(s) pending: run `mentorapp init-db`."))
        space = lifecycle.space(db)
        found.append(Finding("space given back", space["auto_vacuum"] == 2,
                             "incremental vacuum on" if space["auto_vacuum"] == 2 else
                             "deleted pages are not given back: convert once with the app "
                             "stopped (docs/operations.md)."))
        covered = set(lifecycle.CASE_TABLES) | set(lifecycle.KEPT_TABLES)
        unknown = lifecycle.tables_with_placement_column(db) - covered
        found.append(Finding("retention", not unknown, "every table with case data is purged"
                             if not unknown else "tables the purge does not know hold "
                             f"placement data: {', '.join(sorted(unknown))}"))
        latest = health.newest_received(db)
        if latest and clock.parse(latest) > clock.now() + CLOCK_SLACK:
            found.append(Finding("clock", False, f"The clock ({clock.now_iso()}) is behind "
                                 f"the newest stored event ({latest}): fix the time (NTP)."))
        else:
            found.append(Finding("clock", True, f"{clock.now_iso()}, not behind the data"))
    finally:
        close(db)
    return found


def _disk(path: str) -> Finding:
    folder = os.path.dirname(os.path.abspath(path))
    free = shutil.disk_usage(folder).free
    size = os.path.getsize(path) if os.path.exists(path) else 0
    needed = max(MIN_FREE_BYTES, 2 * size)
    if free < needed:
        return Finding("disk space", False, f"Only {free >> 20} MiB free beside the database "
                       f"(need {needed >> 20} MiB: twice its size, at least 1 GiB).")
    return Finding("disk space", True, f"{free >> 20} MiB free")


def _litestream(config) -> Finding:
    path = config.get("LITESTREAM_CONFIG")
    if not path:
        return Finding("Litestream", False, "No continuous backup: set "
                       "MENTORAPP_LITESTREAM_CONFIG to the Litestream config (docs/deploy.md).")
    binary = litestream_binary()
    try:
        result = subprocess.run([binary, replica_listing(binary), "-config", path,  # noqa: S603
                                 config["DATABASE"]],
                                capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Finding("Litestream", False, f"Litestream could not be run: {error}")
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no answer"]
        return Finding("Litestream", False, f"Litestream cannot reach the replica: {reason[0]}")
    return Finding("Litestream", True, "the replica answers")


def _https(config) -> Finding:
    if not config["HTTPS"]:
        return Finding("HTTPS", False, "MENTORAPP_HTTPS is off: behind the TLS proxy, set it "
                       "to true (secure cookies, HSTS).")
    return Finding("HTTPS", True, "on")
