"""Security headers and CSRF protection for every state-changing request.

The CSRF token lives in the signed session; forms send it as a hidden field, htmx and
the JSON API as the X-CSRF-Token header. Requests whose Origin is another site are
refused as well. Only routes marked `exempt` (token-authenticated machine APIs) skip it.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable

from flask import Flask, Response, abort, current_app, request, session
from flask_login import current_user

from mentorapp.web.pages import is_api

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

def policy(form_action: tuple[str, ...] = ()) -> str:
    """The Content-Security-Policy; `form_action` adds origins a form may lead to (the
    OpenID providers' sign-out, reached by the logout form's redirect)."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        " ".join(("form-action 'self'", *form_action)),
        "frame-ancestors 'none'",
    ])


CSP = policy()


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def exempt(view: Callable) -> Callable:
    view.csrf_exempt = True
    return view


def _same_origin(origin: str) -> bool:
    return origin.rstrip("/") == request.host_url.rstrip("/")


def check_csrf() -> None:
    if request.method in SAFE_METHODS:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "csrf_exempt", False):
        return
    if is_api() and not current_user.is_authenticated:
        # Nothing to forge without a session; the route answers 401 so the phone knows
        # to sign in again rather than fetch a new token.
        return
    origin = request.headers.get("Origin")
    if origin and origin != "null" and not _same_origin(origin):
        abort(403, description="csrf")
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
    expected = session.get("csrf")
    if not expected or not sent or not hmac.compare_digest(str(sent), str(expected)):
        abort(403, description="csrf")


def set_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config["HTTPS"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Case pages hold personal data: never in a shared cache; the service worker keeps
    # what the mentor needs offline itself.
    if "Cache-Control" not in headers and request.endpoint != "static":
        headers["Cache-Control"] = "no-store" if is_api() else "private, no-cache"
    return response


def init_app(app: Flask) -> None:
    https = app.config["HTTPS"]
    app.config.update(
        SESSION_COOKIE_NAME="__Host-session" if https else "mentorapp_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=https,
        REMEMBER_COOKIE_NAME="__Host-remember" if https else "mentorapp_remember",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=https,
        REMEMBER_COOKIE_PATH="/",
    )
    app.before_request(check_csrf)
    app.after_request(set_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
