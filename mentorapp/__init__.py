"""mentorapp: daily follow-up of place-train work inclusion, for mentors and NAV counsellors."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import jinja2
from flask import Flask

from mentorapp.paths import STATIC_DIR

__version__ = "0.1.0"


class _SharedBytecode(jinja2.BytecodeCache):
    """Compiled templates, shared by every app this process makes: gunicorn's workers
    inherit the master's, and the tests (hundreds of apps) compile each template once.
    Jinja checks each entry against the template's source before using it."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED_TEMPLATES = _SharedBytecode()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints.

    It also brings the database to the current schema and makes the secret key and VAPID
    keys on first start, on purpose: a deploy of a new version must never serve requests
    against an older schema (migrations are small, recorded and idempotent, so a start
    with nothing pending costs one read), and the embedded defaults must give a working
    app with nothing configured. `mentorapp init-db` does the same explicitly, and
    `make run` and the tests call it. A production deployment sets MENTORAPP_SECRET_KEY
    and its own VAPID key; `mentorapp doctor` is where a deployer is told if it did not.
    """
    from mentorapp import config
    from mentorapp.auth import oidc
    from mentorapp.auth.sessions import login_manager
    from mentorapp.push import vapid
    from mentorapp.store import db, migrations
    from mentorapp.web import assets, errors, i18n, pagestate, requestlog, security

    settings = config.from_environment()
    if test_config:
        settings.update(test_config)

    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static",
                instance_path=settings.get("INSTANCE_PATH") or None,
                instance_relative_config=False)
    app.config.update(settings)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config["INSTANCE_PATH"] = str(instance)
    app.config["DATABASE"] = app.config["DATABASE"] or str(instance / "mentorapp.db")
    app.config["SECRET_KEY"] = app.config["SECRET_KEY"] or config.read_or_create_secret(
        instance / "secret_key", lambda: secrets.token_hex(32).encode()).decode()
    app.config["VAPID_PRIVATE_KEY_FILE"] = str(vapid.ensure_key(instance))
    app.config["UPLOAD_DIR"] = str(instance / "uploads")
    app.config["CALENDAR_DOMAIN"] = config.calendar_domain(app.config)
    app.config["MAX_CONTENT_LENGTH"] = app.config["UPLOAD_MAX_BYTES"] + 1024 * 1024
    app.config["PERMANENT_SESSION_LIFETIME"] = 86400 * app.config["REMEMBER_DAYS"]
    app.json.sort_keys = False
    app.jinja_env.bytecode_cache = _COMPILED_TEMPLATES

    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    with app.app_context():
        database = db.connect(app.config["DATABASE"])
        try:
            with db.write(database):
                migrations.migrate(database)
        finally:
            db.close(database)

    db.init_app(app)
    login_manager.init_app(app)
    oidc.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    # After assets: Flask runs after_request functions last-registered first, and the page's
    # state is taken from its HTML before assets compresses it.
    pagestate.init_app(app)
    requestlog.init_app(app)
    errors.init_app(app)
    _register_blueprints(app)
    _register_commands(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from mentorapp import admin, api, auth, counsellor, mentor, network, ops, participant
    from mentorapp.privacy.views import bp as privacy_pages

    for package in (ops, auth, mentor, participant, counsellor, network, api, admin):
        app.register_blueprint(package.bp)
    app.register_blueprint(privacy_pages)


def _register_commands(app: Flask) -> None:
    from mentorapp import cli

    for command in cli.app_commands:
        app.cli.add_command(command)


def wsgi_app() -> Flask:
    """The app gunicorn serves (`mentorapp:wsgi_app()`), configured from the environment."""
    return create_app()

