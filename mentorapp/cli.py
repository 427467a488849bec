"""The `mentorapp` command (also `flask --app mentorapp ...`).

Wrong arguments end with a clear message and exit code 2, having written nothing.
"""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from mentorapp.store import migrations
from mentorapp.store.db import get_db


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database, or bring its schema up to date."""
    db = get_db()
    applied = migrations.migrate(db)
    click.echo(f"Database {current_app.config['DATABASE']}: schema current at "
               f"{migrations.names()[-1]} ({len(applied)} step(s) applied now).")


@click.command("create-user")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--name", required=True, help="Name shown to others.")
@click.option("--role", required=True,
              type=click.Choice(["mentor", "counsellor", "coordinator", "admin"]))
@click.option("--office", "office_id", type=int, help="NAV office id (counsellors).")
@click.option("--network", "network_id", type=int, help="Mentor network id (coordinators, mentors).")
@click.option("--workplace", "workplace_id", type=int, help="Workplace id (mentors).")
@click.option("--phone", help="Phone number.")
@click.option("--invite", is_flag=True,
              help="Print a one-time invitation link instead of reading a password from stdin.")
@with_appcontext
def create_user(email, name, role, office_id, network_id, workplace_id, phone, invite) -> None:
    """Create an account. The password is read from standard input unless --invite."""
    from mentorapp.admin import accounts
    from mentorapp.auth import invitations

    password = None
    if not invite:
        if sys.stdin.isatty():
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        else:
            password = sys.stdin.readline().rstrip("\r\n")
    try:
        user_id, token = accounts.create(
            get_db(), email=email, name=name, role=role, office_id=office_id,
            network_id=network_id, workplace_id=workplace_id, phone=phone,
            password=password, invite=invite)
    except accounts.AccountError as error:
        raise click.UsageError(f"--{error.field}: {error}") from None
    click.echo(f"Created {role} {email} (id {user_id}).")
    if token:
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            click.echo(f"Invitation link (works once): {invitations.link(token)}")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if there are users already.")
@with_appcontext
def seed_demo(if_empty: bool) -> None:
    """Fill an empty database with a demo office, network, people and a few weeks of logs."""
    from mentorapp import demo

    db = get_db()
    if db["users"].count:
        if if_empty:
            demo.print_logins(current_app)
            return
        raise click.UsageError("The database already has users; seed-demo only fills an "
                               "empty one (use --if-empty to skip quietly).")
    demo.seed(db, current_app)
    demo.print_logins(current_app)


@click.command("vapid-public-key")
@with_appcontext
def vapid_public_key() -> None:
    """Print the public VAPID key (the application server key for Web Push)."""
    from mentorapp.push import vapid

    click.echo(vapid.public_key(current_app.config["VAPID_PRIVATE_KEY_FILE"]))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", type=click.IntRange(1, 64), help="Default: MENTORAPP_WORKERS or 2×cores+1.")
def serve(host: str, port: int, workers: int | None) -> None:
    """Serve the app with gunicorn (production settings)."""
    from mentorapp import server

    server.run(host=host, port=port, workers=workers)


@click.command("send-notifications")
@click.option("--once", is_flag=True, help="Work through what is due now, then stop.")
@with_appcontext
def send_notifications(once: bool) -> None:
    """Send queued Web Push alerts (retries, backoff, escalation). Runs beside the server."""
    from mentorapp.push import sender

    sender.run_worker(current_app._get_current_object(), once=once)


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Print what would be deleted; delete nothing.")
@click.option("--days", type=click.IntRange(min=1),
              help="Days kept after a placement ends (default: MENTORAPP_RETENTION_DAYS, 84).")
@click.option("--compact", is_flag=True,
              help="Afterwards rewrite the whole file (VACUUM), so that no copy of a deleted "
                   "row is left in the unused space of a page. Holds the write lock for the "
                   "whole rewrite: weekly, in a quiet hour.")
@with_appcontext
def purge(dry_run: bool, days: int | None, compact: bool) -> None:
    """Delete the case data of placements that ended longer ago than the retention time.
    Runs daily (the push sender does it; or a timer). Safe to run again at any time."""
    from mentorapp.privacy import retention

    if dry_run and compact:
        raise click.UsageError("--compact changes the file; it cannot go with --dry-run.")
    retention_days = days or current_app.config["RETENTION_DAYS"]
    app = current_app._get_current_object()
    report = retention.run(app, dry_run=dry_run, retention_days=retention_days, say=click.echo)
    if dry_run:
        click.echo(f"Dry run: {len(report.due)} placement(s) would be deleted "
                   f"(retention {retention_days} days); nothing was changed.")
        return
    rows = sum(done.total for done in report.deleted)
    click.echo(f"Deleted {len(report.deleted)} placement(s), {rows:,} rows, in "
               f"{report.transactions} transactions (longest {report.longest_lock_ms:.1f} ms); "
               f"{report.tallies_dropped} old tallies dropped; {report.pages_freed} pages "
               "given back.")
    if compact:
        took = retention.compact(app)
        click.echo(f"Compacted the database file in {took:.1f} s.")


@click.command("doctor")
@with_appcontext
def doctor() -> None:
    """Check this deployment (keys, database, disk, Litestream, clock); exit 1 on a problem."""
    from mentorapp.privacy.doctor import run as run_checks

    findings = run_checks(current_app._get_current_object())
    for finding in findings:
        state = "FAIL" if not finding.ok else "WARN" if finding.warning else "ok  "
        click.echo(f"{state}  {finding.check}: {finding.message}")
    problems = [f for f in findings if not f.ok]
    if problems:
        click.echo(f"{len(problems)} problem(s): this deployment is not ready.", err=True)
        sys.exit(1)
    click.echo("Every check passed.")


@click.command("backup")
@click.option("--to", "target", required=True, type=click.Path(dir_okay=False),
              help="The new file to write the snapshot to (must not exist).")
@with_appcontext
def backup(target: str) -> None:
    """Write a consistent snapshot of the running database and check it (integrity_check)."""
    from pathlib import Path

    from mentorapp.privacy.backup import BackupError, snapshot

    try:
        made = snapshot(current_app.config["DATABASE"], Path(target))
    except BackupError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"Snapshot {made.path}: {made.bytes:,} bytes in {made.seconds:.1f} s, "
               f"integrity {made.integrity}.")


@click.command("restore")
@click.option("--from", "source", type=click.Path(dir_okay=False),
              help="A snapshot made by `mentorapp backup`.")
@click.option("--litestream", "from_replica", is_flag=True,
              help="Restore the newest state from the Litestream replica instead "
                   "(MENTORAPP_LITESTREAM_CONFIG).")
@click.option("--to", "folder", required=True, type=click.Path(file_okay=False),
              help="A new, empty instance folder to restore into.")
@with_appcontext
def restore(source: str | None, from_replica: bool, folder: str) -> None:
    """Restore a backup into a new instance folder (never over the running one)."""
    from pathlib import Path

    from mentorapp.privacy.backup import BackupError, restore_litestream, restore_snapshot

    if bool(source) == from_replica:
        raise click.UsageError("Give exactly one of --from FILE and --litestream.")
    try:
        if source:
            target = restore_snapshot(Path(source), Path(folder))
        else:
            config = current_app.config["LITESTREAM_CONFIG"]
            if not config:
                raise BackupError("--litestream needs MENTORAPP_LITESTREAM_CONFIG.")
            target = restore_litestream(Path(config), current_app.config["DATABASE"],
                                                Path(folder))
    except BackupError as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"Restored into {target} (integrity ok). Start the app on it with "
               f"MENTORAPP_INSTANCE_PATH={Path(folder)}; copy the keys and uploads/ beside it.")


app_commands = [init_db, create_user, seed_demo, vapid_public_key, serve, send_notifications,
                purge, doctor, backup, restore]


def _create_app():
    from mentorapp import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, add_version_option=True, load_dotenv=False,
                  set_debug_flag=False, help="mentorapp: run and look after the app.")
