"""Every setting the app reads from the environment, with its safe embedded default.

This list is the one place settings are declared; docs/configuration.md documents each
of them and a test keeps the two in step.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a yes/no value: {text!r}")


def _days(text: str) -> int:
    days = int(text)
    if days < 1:
        raise ValueError(f"must be at least 1 day, got {days}")
    return days


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise ValueError(f"must be at least 1, got {number}")
    return number


def _issuer(text: str) -> str:
    value = text.strip().rstrip("/")
    local = value.startswith(("http://127.0.0.1:", "http://localhost:"))
    if not (value.startswith("https://") or local) or " " in value:
        raise ValueError(f"an issuer is an https:// address: {text!r}")
    return value


def _scopes(text: str) -> str:
    scopes = text.split()
    if "openid" not in scopes:
        raise ValueError(f"the scopes must include openid: {text!r}")
    return " ".join(scopes)


ROLES = ("mentor", "counsellor", "coordinator", "admin")


def _roles(text: str) -> tuple[str, ...]:
    roles = tuple(part.strip() for part in text.split(",") if part.strip())
    if not roles or set(roles) - set(ROLES):
        raise ValueError(f"roles are a comma-separated choice of {', '.join(ROLES)}: {text!r}")
    return roles


def _acr(text: str) -> str:
    value = text.strip().lower()
    if value not in {"substantial", "high"}:
        raise ValueError(f"substantial or high: {text!r}")
    return value


def _leeway(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 300:
        raise ValueError(f"between 0 and 300 seconds: {text!r}")
    return value


@dataclass(frozen=True)
class Setting:
    env: str
    key: str
    default: Any
    parse: Callable[[str], Any]
    help: str


def _provider(name: str, issuer_example: str, scopes: str,
              roles: tuple[str, ...]) -> tuple[Setting, ...]:
    """The settings each OpenID provider has (mentorapp.auth.oidc)."""
    env, key = f"MENTORAPP_OIDC_{name.upper()}_", f"OIDC_{name.upper()}_"
    return (
        Setting(env + "ISSUER", key + "ISSUER", None, _issuer,
                f"Issuer of the {name} provider ({issuer_example}). Empty: off."),
        Setting(env + "CLIENT_ID", key + "CLIENT_ID", None, str,
                f"The app's client id at the {name} provider."),
        Setting(env + "CLIENT_SECRET", key + "CLIENT_SECRET", None, str,
                f"The app's client secret at the {name} provider."),
        Setting(env + "SCOPES", key + "SCOPES", scopes, _scopes,
                f"Scopes asked of the {name} provider (`openid` is required)."),
        Setting(env + "ROLES", key + "ROLES", roles, _roles,
                f"Roles of the accounts that may sign in through the {name} provider."),
    )


SETTINGS: tuple[Setting, ...] = (
    Setting("MENTORAPP_INSTANCE_PATH", "INSTANCE_PATH", None, str,
            "Folder for the database, generated keys and uploads. Default: `instance/` "
            "beside the package in a checkout, Flask's instance folder when installed."),
    Setting("MENTORAPP_DATABASE", "DATABASE", None, str,
            "Path of the SQLite database file. Default: `<instance>/mentorapp.db`."),
    Setting("MENTORAPP_SECRET_KEY", "SECRET_KEY", None, str,
            "Key that signs session cookies. Default: generated once into "
            "`<instance>/secret_key`."),
    Setting("MENTORAPP_BASE_URL", "BASE_URL", "http://127.0.0.1:8000", str,
            "The address users reach the app at; used for links made outside a request "
            "(invitation links printed by `mentorapp create-user --invite`)."),
    Setting("MENTORAPP_CALENDAR_DOMAIN", "CALENDAR_DOMAIN", None, str,
            "Domain that names this deployment in calendar event UIDs "
            "(`gathering-<id>@<domain>`), so that a change or a cancellation finds the copy "
            "already in a calendar. Default: the host of `MENTORAPP_BASE_URL`. Keep it fixed "
            "once calendars hold events; never taken from a request's `Host`."),
    Setting("MENTORAPP_HTTPS", "HTTPS", False, _bool,
            "Set to `true` when served over HTTPS: cookies become `Secure` with the "
            "`__Host-` prefix and HSTS is sent."),
    Setting("MENTORAPP_PROXY_COUNT", "PROXY_COUNT", 0, int,
            "Number of reverse proxies in front of the app whose `X-Forwarded-*` headers "
            "are trusted (for client addresses in login throttling)."),
    Setting("MENTORAPP_IDLE_TIMEOUT_MINUTES", "IDLE_TIMEOUT_MINUTES", 30, int,
            "Idle minutes after which a counsellor, coordinator or admin session ends."),
    Setting("MENTORAPP_REMEMBER_DAYS", "REMEMBER_DAYS", 90, int,
            "How long \"remember me\" keeps a mentor signed in on their phone."),
    Setting("MENTORAPP_ARGON2_TIME_COST", "ARGON2_TIME_COST", 3, int,
            "argon2id passes per password hash. Raise it on a fast server; hashes made with "
            "other costs are renewed at the next sign-in."),
    Setting("MENTORAPP_ARGON2_MEMORY_KIB", "ARGON2_MEMORY_KIB", 65536, int,
            "argon2id memory per password hash, in KiB (64 MiB by default)."),
    Setting("MENTORAPP_INVITATION_DAYS", "INVITATION_DAYS", 7, int,
            "How long a one-time invitation link stays valid."),
    Setting("MENTORAPP_VAPID_SUBJECT", "VAPID_SUBJECT", "mailto:drift@mentorapp.invalid", str,
            "Contact address sent to push services in the VAPID `sub` claim."),
    Setting("MENTORAPP_PUSH_TTL_SECONDS", "PUSH_TTL_SECONDS", 24 * 3600, int,
            "How long a push service keeps an undelivered alert."),
    Setting("MENTORAPP_PUSH_POLL_SECONDS", "PUSH_POLL_SECONDS", 2.0, float,
            "How often `mentorapp send-notifications` looks for work."),
    Setting("MENTORAPP_ESCALATION_WORK_HOURS", "ESCALATION_WORK_HOURS", 2.0, float,
            "Working hours without acknowledgement before the backup counsellor is alerted."),
    Setting("MENTORAPP_STALE_LOG_WORKDAYS", "STALE_LOG_WORKDAYS", 3, int,
            "Working days without a daily log before a placement is marked as quiet."),
    Setting("MENTORAPP_UPLOAD_MAX_BYTES", "UPLOAD_MAX_BYTES", 10 * 1024 * 1024, int,
            "Largest resource file a coordinator may upload."),
    Setting("MENTORAPP_RETENTION_DAYS", "RETENTION_DAYS", 84, _days,
            "Days a placement's case data is kept after the placement ends (its end date, or "
            "the day it was ended); then `mentorapp purge` deletes it and its mentor's access "
            "ends. Default 84 (12 weeks, NAV's rule for mentors' access). At least 1."),
    Setting("MENTORAPP_PURGE_BATCH_ROWS", "PURGE_BATCH_ROWS", 500, _positive,
            "Rows `mentorapp purge` and an erasure delete per transaction: the longest the "
            "write lock is held while they run (docs/performance.md)."),
    Setting("MENTORAPP_PURGE_PAUSE_SECONDS", "PURGE_PAUSE_SECONDS", 0.005, float,
            "Pause between two deletion transactions, so that the app's own writers get the "
            "write lock in between."),
    Setting("MENTORAPP_PURGE_WITH_SENDER", "PURGE_WITH_SENDER", True, _bool,
            "Whether `mentorapp send-notifications` also runs the daily purge (once per day, "
            "at its start and then after midnight, Oslo time). Set to `false` where a timer "
            "runs `mentorapp purge` instead."),
    Setting("MENTORAPP_LITESTREAM_CONFIG", "LITESTREAM_CONFIG", None, str,
            "Path of the Litestream config that replicates the database: `mentorapp doctor` "
            "checks its replica answers, `mentorapp restore --litestream` restores from it."),
    Setting("MENTORAPP_WORKERS", "WORKERS", None, int,
            "Gunicorn worker processes for `mentorapp serve`. Default: 2 × cores + 1 (at most 9)."),
    Setting("MENTORAPP_LOG_LEVEL", "LOG_LEVEL", "INFO", str,
            "Level of the structured request log on standard error."),
    Setting("MENTORAPP_PASSWORD_LOGIN", "PASSWORD_LOGIN", True, _bool,
            "Set to `false` once everybody signs in with an OpenID provider: the password "
            "form goes from the log in and invitation pages, and passwords are refused."),
    # OpenID Connect (docs/configuration.md, "Signing in with OpenID Connect"). A provider
    # is on when its issuer is set; with neither, the app signs people in with passwords only.
    *_provider("staff", "Entra ID: `https://login.microsoftonline.com/<tenant id>/v2.0`",
               "openid profile email", ("counsellor", "coordinator", "admin")),
    Setting("MENTORAPP_OIDC_STAFF_TENANT", "OIDC_STAFF_TENANT", None, str,
            "The `tid` (tenant id) every staff ID token must carry. Empty: not checked."),
    Setting("MENTORAPP_OIDC_STAFF_REQUIRED_GROUP", "OIDC_STAFF_REQUIRED_GROUP", None, str,
            "A group object id or app role that must be in the staff ID token's `groups` or "
            "`roles` claim to enter at all. Empty: not required."),
    *_provider("citizen", "ID-porten: `https://idporten.no`, test: `https://test.idporten.no`",
               "openid profile", ("mentor",)),
    Setting("MENTORAPP_OIDC_CITIZEN_ACR", "OIDC_CITIZEN_ACR", "substantial", _acr,
            "Lowest assurance level (`acr`) accepted from the citizen provider: `substantial` "
            "or `high` (ID-porten's `idporten-loa-substantial` / `idporten-loa-high`)."),
    Setting("MENTORAPP_OIDC_LEEWAY_SECONDS", "OIDC_LEEWAY_SECONDS", 60, _leeway,
            "Clock skew allowed when checking an ID token's `exp`, `iat` and `nbf` (0–300)."),
    Setting("MENTORAPP_DEMO_PASSWORD", "DEMO_PASSWORD", None, str,
            "Password `seed-demo` gives the demo accounts. Default: generated and written to "
            "`<instance>/demo-logins.txt`."),
)


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read the settings; a malformed value stops the app with a message naming it."""
    environ = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is None or raw == "":
            config[setting.key] = setting.default
            continue
        try:
            config[setting.key] = setting.parse(raw)
        except ValueError as error:
            raise SystemExit(f"{setting.env}: {error}") from None
    return config


def calendar_domain(settings: Mapping[str, Any]) -> str:
    """The domain in calendar UIDs: the configured one, else BASE_URL's host (without a
    port; an IPv6 address without its brackets, which are not allowed after the @)."""
    if settings.get("CALENDAR_DOMAIN"):
        return settings["CALENDAR_DOMAIN"].strip().lower()
    host = urlsplit(settings["BASE_URL"]).hostname
    if not host:
        raise SystemExit("MENTORAPP_BASE_URL: no host in it, so no calendar domain either; "
                         "set MENTORAPP_CALENDAR_DOMAIN")
    return host


def read_or_create_secret(path: Path, make: Callable[[], bytes]) -> bytes:
    """Return the file's bytes, creating it once; several workers starting at once agree."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    temporary.write_bytes(make())
    temporary.chmod(0o600)
    try:
        # link() fails if another worker won the race; then its key is the key.
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_bytes()
