"""Structured request logs: one JSON line per request, with no personal data in it.

Only the route's pattern is logged (never the query string or a body), with the
role, not the identity, of whoever asked.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, request
from flask_login import current_user

log = logging.getLogger("mentorapp.requests")

# A request id from a proxy in front is kept, so that its logs and ours can be joined; it
# is the client's text, so only a short plain token is: anything else is replaced by ours,
# never written to the log or echoed back.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                 "logger": record.name}
        fields = getattr(record, "fields", None)
        if fields:
            entry.update(fields)
        else:
            entry["message"] = record.getMessage()
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry, ensure_ascii=False)


def _start() -> None:
    g.request_started = time.perf_counter()
    sent = request.headers.get("X-Request-Id", "")
    g.request_id = sent if REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex[:16]


def _finish(response: Response) -> Response:
    started = g.get("request_started")
    if started is None:
        return response
    rule = request.url_rule.rule if request.url_rule else "(no route)"
    user = current_user._get_current_object()
    role = user.role if getattr(user, "is_authenticated", False) else None
    log.info("request", extra={"fields": {
        "request_id": g.request_id, "method": request.method, "route": rule,
        "status": response.status_code, "ms": round((time.perf_counter() - started) * 1000, 1),
        "role": role, "bytes": response.calculate_content_length(),
    }})
    response.headers["X-Request-Id"] = g.request_id
    return response


def init_app(app: Flask) -> None:
    root = logging.getLogger("mentorapp")
    if not any(getattr(h, "_mentorapp", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonLines())
        handler._mentorapp = True
        root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"].upper())
    root.propagate = False
    app.before_request(_start)
    app.after_request(_finish)
