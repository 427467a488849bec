"""The `mentorapp` command: clear messages, exit code 2 for wrong arguments, nothing
half-written."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from mentorapp import create_app
from mentorapp.store.db import connect


def mentorapp(instance, *args, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "MENTORAPP_INSTANCE_PATH": str(instance), "MENTORAPP_LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "mentorapp", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.fixture
def instance(tmp_path):
    # Set up in-process by the app's own start (migrations, keys): a subprocess per test
    # only to get here would double these tests' time. init-db has its own test below.
    folder = tmp_path / "instance"
    create_app({"INSTANCE_PATH": str(folder)})
    return folder


def users(instance) -> list[dict]:
    return list(connect(str(instance / "mentorapp.db")).query("SELECT * FROM users"))


def test_init_db_creates_a_current_schema_and_generates_keys(tmp_path):
    instance = tmp_path / "instance"
    first = mentorapp(instance, "init-db")
    assert first.returncode == 0, first.stderr
    assert (instance / "mentorapp.db").exists()
    assert (instance / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (instance / "vapid_private.pem").exists()
    again = mentorapp(instance, "init-db")
    assert again.returncode == 0 and "0 step(s) applied now" in again.stdout


def test_create_user_reads_the_password_from_stdin(instance):
    mentorapp(instance, "seed-demo")
    result = mentorapp(instance, "create-user", "--email", "ny@nav.no", "--name", "Ny Veileder",
                       "--role", "counsellor", "--office", "1", stdin="et langt passord\n")
    assert result.returncode == 0, result.stderr
    created = next(u for u in users(instance) if u["email"] == "ny@nav.no")
    assert created["role"] == "counsellor" and created["password_hash"].startswith("$argon2")


def test_create_user_with_invite_prints_a_one_time_link(instance):
    mentorapp(instance, "seed-demo")
    result = mentorapp(instance, "create-user", "--email", "m@firma.no", "--name", "Mentor M",
                       "--role", "mentor", "--network", "1", "--invite")
    assert result.returncode == 0, result.stderr
    assert re.search(r"http://127\.0\.0\.1:8000/invite/\S+", result.stdout)
    created = next(u for u in users(instance) if u["email"] == "m@firma.no")
    assert created["password_hash"] is None


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["--name", "X", "--role", "admin"], "et langt passord", "Missing option '--email'"),
    (["--email", "x@y.no", "--name", "X", "--role", "boss"], "et langt passord", "Invalid value for '--role'"),
    (["--email", "x@y.no", "--name", "X", "--role", "counsellor"], "et langt passord", "--office"),
    (["--email", "x@y.no", "--name", "X", "--role", "counsellor", "--office", "99"], "et langt passord", "--office"),
    (["--email", "x@y.no", "--name", "X", "--role", "mentor", "--network", "99"], "et langt passord", "--network"),
    (["--email", "x@y.no", "--name", "X", "--role", "admin"], "kort", "--password"),
    (["--email", "x@y.no", "--name", "X", "--role", "counsellor", "--office", "abc"], "et langt passord", "is not a valid integer"),
])
def test_wrong_arguments_exit_2_and_write_nothing(instance, args, stdin, message):
    before = users(instance)
    result = mentorapp(instance, "create-user", *args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert users(instance) == before


def test_an_existing_email_is_refused(instance):
    mentorapp(instance, "seed-demo")
    before = users(instance)
    result = mentorapp(instance, "create-user", "--email", "VEILEDER@demo.mentorapp.no",
                       "--name", "X", "--role", "admin", stdin="et langt passord\n")
    assert result.returncode == 2 and "--email" in result.stderr
    assert users(instance) == before


def test_seed_demo_fills_an_empty_database_once(instance):
    first = mentorapp(instance, "seed-demo")
    assert first.returncode == 0, first.stderr
    assert "veileder@demo.mentorapp.no" in first.stdout and "password for all" in first.stdout
    db = connect(str(instance / "mentorapp.db"))
    counts = {t: db[t].count for t in ("offices", "networks", "workplaces", "users",
                                       "placements", "events")}
    assert counts["offices"] == 1 and counts["networks"] == 1 and counts["workplaces"] == 2
    assert counts["placements"] == 3 and counts["events"] > 40
    roles = sorted(u["role"] for u in users(instance))
    assert roles.count("mentor") == 2 and "coordinator" in roles and "counsellor" in roles

    again = mentorapp(instance, "seed-demo")
    assert again.returncode == 2 and "already has users" in again.stderr
    quiet = mentorapp(instance, "seed-demo", "--if-empty")
    assert quiet.returncode == 0 and "veileder@demo.mentorapp.no" in quiet.stdout
    assert db["events"].count == counts["events"]


def test_vapid_public_key_is_an_uncompressed_p256_point(instance):
    result = mentorapp(instance, "vapid-public-key")
    key = result.stdout.strip()
    assert result.returncode == 0 and re.fullmatch(r"[A-Za-z0-9_-]{87}", key)
    assert mentorapp(instance, "vapid-public-key").stdout.strip() == key  # generated once


def test_serve_rejects_a_bad_port(instance):
    result = mentorapp(instance, "serve", "--port", "70000")
    assert result.returncode == 2 and "--port" in result.stderr


def test_flask_cli_reaches_the_same_commands(instance):
    env = {**os.environ, "MENTORAPP_INSTANCE_PATH": str(instance)}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "mentorapp", "init-db"],
                            capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0 and "schema current" in result.stdout
