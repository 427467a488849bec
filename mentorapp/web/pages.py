"""Answering a request with a page or, for htmx, with the part of it that changed.

The partial is its own template file that the page includes, so both answers come from
one source (the contact app of Hypermedia Systems).
"""

from __future__ import annotations

from flask import (
    Response,
    current_app,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)


def is_api() -> bool:
    """A request to the JSON API: answered in JSON, errors and refusals included."""
    return request.path.startswith("/api/")


def path_for(endpoint: str, anchor: str | None = None, **values) -> str:
    """The path of a page, also where there is no request (the push sender's rounds): what
    a push alert links to is built from the routes like every other link."""
    if has_request_context():
        return url_for(endpoint, _anchor=anchor, **values)
    path = current_app.url_map.bind("").build(endpoint, values)
    return f"{path}#{anchor}" if anchor else path


def is_htmx() -> bool:
    return (request.headers.get("HX-Request") == "true"
            and request.headers.get("HX-History-Restore-Request") != "true")


def render(template: str, *, partial: str | None = None, status: int = 200,
           **context) -> Response:
    name = partial if partial and is_htmx() else template
    response = make_response(render_template(name, **context), status)
    if partial:
        response.vary.add("HX-Request")
    return response


def invalid(template: str, *, partial: str | None = None, **context) -> Response:
    """A form with errors: shown again with the messages beside the fields (422)."""
    return render(template, partial=partial, status=422, **context)


def see_other(endpoint: str, **values) -> Response:
    """After a change, 303 to a page that shows it (a reload never posts twice)."""
    return redirect(url_for(endpoint, **values), code=303)


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths as a place to go after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default
