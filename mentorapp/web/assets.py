"""Static files: versioned URLs, long caching, gzip for the one-bar-of-signal phone.

Every asset URL carries a hash of the file, so a deploy changes the URL and the browser
(and the service worker) can keep each version forever.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import cache

from flask import Flask, Response, request, url_for

from mentorapp.paths import STATIC_DIR

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/manifest+json",
                "image/svg+xml", "text/calendar", "application/xml")
MIN_COMPRESS = 512


@cache
def file_hash(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def asset_url(path: str) -> str:
    return url_for("static", filename=path, v=file_hash(path))


@cache
def version() -> str:
    """One hash over every static file: the service worker's cache version."""
    digest = hashlib.sha256()
    for file in sorted(p for p in STATIC_DIR.rglob("*") if p.is_file()):
        digest.update(str(file.relative_to(STATIC_DIR)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


@cache
def _gzipped_static(path: str, etag: str) -> bytes:
    return gzip.compress((STATIC_DIR / path).read_bytes(), 9, mtime=0)


def compress(response: Response) -> Response:
    if (response.status_code != 200 or "Content-Encoding" in response.headers
            or "gzip" not in request.headers.get("Accept-Encoding", "")
            or not (response.mimetype or "").startswith(COMPRESSIBLE)
            or request.method == "HEAD"):
        return response
    if request.endpoint == "static":
        filename = request.view_args.get("filename", "")
        etag, _weak = response.get_etag()
        response.direct_passthrough = False
        body = _gzipped_static(filename, etag or "")
    else:
        data = response.get_data()
        if len(data) < MIN_COMPRESS:
            return response
        body = gzip.compress(data, 6, mtime=0)
    response.set_data(body)
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset"] = asset_url
    app.after_request(compress)

    @app.after_request
    def cache_versioned(response: Response) -> Response:
        if request.endpoint == "static" and request.args.get("v"):
            response.cache_control.public = True
            response.cache_control.max_age = 365 * 24 * 3600
            response.cache_control.immutable = True
        return response
