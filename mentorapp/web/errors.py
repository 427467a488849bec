"""Error answers: a calm page in the reader's language, or JSON for the API."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from mentorapp.web.pages import is_api

log = logging.getLogger("mentorapp.errors")


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Please go back and try again."),
        403: _("The form had expired. Please go back, reload the page and try again."),
        404: _("We could not find that page. It may have moved, or you may not have access."),
        405: _("That is not possible here."),
        413: _("That was too large to receive."),
        429: _("Too many attempts. Please wait a little and try again."),
        500: _("Something went wrong on our side. Nothing you saved is lost; please try again."),
    }


def _json_code(error: HTTPException) -> str:
    if error.code == 403 and error.description == "csrf":
        return "csrf"
    return {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
            405: "method_not_allowed", 413: "too_large", 429: "too_many_requests"}.get(
        error.code or 500, "error")


def handle_http(error: HTTPException):
    code = error.code or 500
    if is_api():
        response = jsonify(error=_json_code(error),
                           message=_messages().get(code, error.description))
        response.status_code = code
        return response
    return render_template("errors/error.html", code=code,
                           message=_messages().get(code, _messages()[400])), code


def handle_unexpected(error: Exception):
    log.exception("unhandled error", exc_info=error)
    if is_api():
        response = jsonify(error="server_error", message=_messages()[500])
        response.status_code = 500
        return response
    return render_template("errors/error.html", code=500, message=_messages()[500]), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
