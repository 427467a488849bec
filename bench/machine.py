"""What the figures were measured on: cores, memory, disk, versions, the commit."""

from __future__ import annotations

import os
import platform
import shutil
import sqlite3
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def _disk(path: Path) -> str:
    """The device and file system holding `path` (the longest mount point that contains it)."""
    best = ("", "", "")
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            device, mount, fstype, *_ = line.split()
            if str(path).startswith(mount) and len(mount) >= len(best[1]):
                best = (device, mount, fstype)
    except OSError:
        pass
    total = shutil.disk_usage(path).total / 1024**3
    rotational = ""
    name = Path(best[0]).name
    flag = Path(f"/sys/block/{name}/queue/rotational")
    if flag.exists():
        rotational = ", rotational" if flag.read_text().strip() == "1" else ", non-rotational"
    return f"{best[0]} ({best[2]}, {total:.0f} GiB{rotational})"


def _commit() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def load_average() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f}"


def describe(work_dir: Path) -> dict:
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gib": round(_memory_gib(), 1),
        "disk": _disk(work_dir.resolve()),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "commit": _commit(),
        "load_before": load_average(),
    }


def summary(info: dict) -> str:
    return (f"{info['cores']} cores ({info['cpu']}), {info['memory_gib']} GiB memory, "
            f"disk {info['disk']}; Linux {info['kernel']}, Python {info['python']}, "
            f"SQLite {info['sqlite']}; commit {info['commit']}; "
            f"load average before the run {info['load_before']}")
