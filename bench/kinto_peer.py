"""The peer: Kinto (Mozilla's store-sync-share JSON service) with its PostgreSQL backends.

Set up the way Kinto's own deployment docs do it: `kinto init --backend postgresql
--cache-backend postgresql` writes kinto.ini, we point its three URLs at a PostgreSQL
from Debian's packages (initialised here in a temporary folder, as the `postgres` user
when we are root since initdb refuses root, listening on a loopback port only), switch
authentication to Kinto's basicauth policy (no per-request password hashing, the
cheapest choice for Kinto), lower logging to WARNING, apply the production settings its
docs recommend, and run `kinto migrate`. Gunicorn serves it with the same number of
sync workers as mentorapp. Each simulated mentor writes to its own collection in one
bucket, created before the clock starts, and sends its events through /v1/batch.
"""

from __future__ import annotations

import base64
import json
import os
import pwd
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

from bench import httpload, procs, serving, workload

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("BENCH_KINTO_VENV", ROOT / ".venv-kinto"))
BUCKET = "mentorapp"
PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def available() -> str | None:
    """Why Kinto cannot run here, or None if it can."""
    if not (VENV / "bin" / "kinto").exists():
        return f"Kinto is not installed in {VENV} (make bench installs it)"
    if _pg_bin() is None:
        return "PostgreSQL is not installed (make bench installs Debian's postgresql as root)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no postgres user to run initdb as"
    return None


def _pg_bin() -> Path | None:
    for folder in PG_BIN_CANDIDATES:
        if (folder / "initdb").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str], cwd: Path | None = None) -> None:
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd,
                          stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout[-1500:]}{done.stderr[-1500:]}")


def _auth(user: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:not-a-secret-{user}".encode()).decode()


def collection_of(mentor: workload.Mentor) -> str:
    return f"mentor-{mentor.index}"


class PostgreSQL:
    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = serving.free_port()
        self.bin = _pg_bin()
        self.log = folder / "postgresql.log"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            # The postgres user must be able to pass through the run's (private) folders
            # to reach its data folder: traverse (not read) rights on each of them.
            for folder in self.folder.parents:
                mode = folder.stat().st_mode
                if not mode & 0o001:
                    os.chmod(folder, mode | 0o011)  # noqa: S103 (traverse only)
        _run(_as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                           "--auth=trust", "-E", "UTF8", "--no-locale"]))
        _run(_as_postgres([
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "start",
            "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"]))

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.data / "postmaster.pid").read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m",
                                         "fast", "-w", "stop"]), check=False, capture_output=True)


def write_ini(path: Path, database_url: str) -> None:
    """kinto.ini as `kinto init` writes it, then adjusted (see `configure`)."""
    _run([str(VENV / "bin" / "kinto"), "init", "--ini", str(path), "--backend", "postgresql",
          "--cache-backend", "postgresql", "--host", "127.0.0.1"])
    path.write_text(configure(path.read_text(), database_url))


def configure(text: str, database_url: str) -> str:
    """Our PostgreSQL for the three backends, basicauth, WARNING logs, and the settings
    Kinto's "Running in production" page recommends."""
    text = text.replace("postgresql://postgres:postgres@localhost/postgres", database_url)
    text = re.sub(r"^kinto\.includes = .*?\n(?=\S)",
                  "kinto.includes = kinto.plugins.default_bucket\n", text, flags=re.S | re.M)
    text = re.sub(r"^multiauth\.policies = .*\n", "multiauth.policies = basicauth\n", text,
                  flags=re.M)
    text = re.sub(r"^multiauth\.policy\.account\.use = .*\n", "", text, flags=re.M)
    text = re.sub(r"^kinto\.account_\w+ = .*\n", "", text, flags=re.M)
    text = re.sub(r"^kinto\.bucket_create_principals = .*\n",
                  "kinto.bucket_create_principals = system.Authenticated\n"
                  "kinto.flush_endpoint_enabled = false\n"
                  "kinto.paginate_by = 100\n"
                  "kinto.batch_max_requests = 25\n", text, flags=re.M)
    return re.sub(r"(\[logger_(?:root|kinto)\]\nlevel = )\w+", r"\1WARNING", text)


class Kinto:
    name = "Kinto"

    def __init__(self, folder: Path, mentors: list[workload.Mentor], workers: int):
        self.folder = folder
        self.mentors = mentors
        self.workers_count = workers
        self.postgres = PostgreSQL(folder / "postgresql")
        self.ini = folder / "kinto.ini"
        self.port = serving.free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.server = serving.Process(
            "Kinto", [str(VENV / "bin" / "gunicorn"), "--paste", str(self.ini),
                      "--workers", str(workers), "--worker-class", "sync",
                      "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
                      "--timeout", "30"],
            folder / "kinto.log", cwd=folder)
        self.acknowledged = 0

    def start(self) -> None:
        self.postgres.start()
        write_ini(self.ini, self.postgres.url)
        _run([str(VENV / "bin" / "kinto"), "migrate", "--ini", str(self.ini)], cwd=self.folder)
        self.server.start(self.base_url + "/__heartbeat__")
        self._call("PUT", f"/buckets/{BUCKET}", "admin",
                   {"permissions": {"collection:create": ["system.Authenticated"]}})
        for mentor in self.mentors:
            self._call("PUT", f"/buckets/{BUCKET}/collections/{collection_of(mentor)}",
                       mentor.email, {"data": {}})

    def _call(self, method: str, path: str, user: str, body: dict | None = None):
        request = urllib.request.Request(
            self.base_url + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": _auth(user), "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), answer.read()

    def requests_for(self, mentor: workload.Mentor, batches: list[list[dict]]) -> list[bytes]:
        host = f"127.0.0.1:{self.port}"
        headers = {"Authorization": _auth(mentor.email), "Content-Type": "application/json",
                   "Accept": "application/json"}
        return [httpload.request_bytes("POST", "/v1/batch", host, headers,
                                       workload.kinto_body(batch, BUCKET, collection_of(mentor)))
                for batch in batches]

    @staticmethod
    def accepted(status: int, body: bytes) -> bool:
        if status != 200:
            return False
        return all(r["status"] == 201 for r in json.loads(body)["responses"])

    def record(self, batches: list[list[dict]], acknowledged: list[int]) -> None:
        self.acknowledged += sum(len(batches[i]) for i in acknowledged)

    def count_check(self) -> dict:
        stored = 0
        for mentor in self.mentors:
            _status, headers, _body = self._call(
                "HEAD", f"/buckets/{BUCKET}/collections/{collection_of(mentor)}/records",
                mentor.email)
            stored += int(headers.get("Total-Objects") or headers.get("Total-Records") or 0)
        return {"acknowledged": self.acknowledged, "stored": stored,
                "lost": max(0, self.acknowledged - stored),
                "duplicated": 0,  # each record id is a primary key in Kinto's table
                "unexpected": max(0, stored - self.acknowledged), "derived_ok": True}

    def server_pids(self) -> list[int]:
        pids = procs.tree(self.server.pid)
        postmaster = self.postgres.postmaster_pid()
        if postmaster:
            pids += procs.tree(postmaster)
        return pids

    def workers(self) -> list[int]:
        return procs.children(self.server.pid)

    def memory(self) -> dict:
        return {"master": procs.memory_kib(self.server.pid),
                "workers": [procs.memory_kib(pid) for pid in self.workers()]}

    def stop(self) -> None:
        try:
            self.server.stop()
        finally:
            self.postgres.stop()
