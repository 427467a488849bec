"""Health check for the operator; the web app manifest and service worker for the phone."""

from __future__ import annotations

import json
import sqlite3

from flask import Response, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from mentorapp.domain import access
from mentorapp.ops import bp
from mentorapp.paths import STATIC_DIR
from mentorapp.store import health, migrations
from mentorapp.store.db import get_db
from mentorapp.web import assets, i18n


@bp.route("/healthz")
@access.public
def healthz():
    """200 when the database answers and its schema is current; 503 otherwise."""
    try:
        db = get_db()
        health.ping(db)
        pending = migrations.pending(db)
    except sqlite3.Error as error:
        response = jsonify(status="error", database="unreachable", detail=type(error).__name__)
        response.status_code = 503
        return response
    if pending:
        response = jsonify(status="error", database="ok", schema="behind", pending=pending)
        response.status_code = 503
        return response
    return jsonify(status="ok", database="ok", schema=migrations.names()[-1],
                   version=assets.version())


@bp.route("/manifest.webmanifest")
@access.public
def manifest():
    locale = i18n.current_locale()
    icons = [
        {"src": assets.asset_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png",
         "purpose": "any"},
        {"src": assets.asset_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png",
         "purpose": "any"},
        {"src": assets.asset_url("icons/maskable-512.png"), "sizes": "512x512",
         "type": "image/png", "purpose": "maskable"},
    ]
    body = {
        "id": "/",
        "name": _("mentorapp – follow-up at work"),
        "short_name": "mentorapp",
        "description": _("Daily log, problems and calls between mentors and NAV."),
        "lang": i18n.BCP47[locale],
        "start_url": url_for("auth.home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#f6f7f4",
        "theme_color": "#1d4f5e",
        "icons": icons,
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


@bp.route("/sw.js")
@access.public
def service_worker():
    """The service worker, stamped with the version of the static files, at scope /."""
    source = (STATIC_DIR / "js" / "sw.js").read_text(encoding="utf-8")
    body = source.replace("__VERSION__", assets.version()).replace(
        "/*PRECACHE*/[]", json.dumps(precache_urls()))
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    # The browser checks for a new worker on later visits: unchanged, it gets a 304 and
    # no body (3 KB less on one bar of signal). Weak: the same tag for the gzipped body.
    response.add_etag(weak=True)
    return response.make_conditional(request)


# The shell the service worker keeps from its installation on: what the mentor's pages
# (and the offline page) load, so that a page kept for offline use finds its styles and
# scripts. Other pages' files (htmx, the counsellor's and the network's) are kept the first
# time a page asks for them: a mentor's first visit, on one bar of signal, fetches only
# what the mentor uses. Each file under the URL the pages ask for: stylesheets and app.js
# versioned (?v=), the modules under the plain path their `import`s use (the server
# answers those with an ETag, so the copy the browser already fetched for the page or for
# this worker is revalidated, not sent again).
SHELL_VERSIONED = ("css/app.css", "css/mentor.css", "js/app.js")
SHELL_MODULES = ("js/mentor.js", "js/entries.js", "js/outbox.js", "js/idb.js", "js/logout.js")


def precache_urls() -> list[str]:
    return ([assets.asset_url(name) for name in SHELL_VERSIONED]
            + [url_for("static", filename=name) for name in SHELL_MODULES])


@bp.route("/offline")
@access.public
def offline():
    """Shown by the service worker for a page it has not kept."""
    return render_template("offline.html")


@bp.app_context_processor
def app_context() -> dict:
    return {"app_version": assets.version(),
            "vapid_public_key": vapid_key()}


def vapid_key() -> str:
    from mentorapp.push import vapid

    return vapid.public_key(current_app.config["VAPID_PRIVATE_KEY_FILE"])
