"""Answering a request with a page or, for htmx, with the part of it that changed.

The partial is its own template file that the page includes, so both answers come from
one source (the contact app of Hypermedia Systems).
"""

from __future__ import annotations

from flask import Response, make_response, redirect, render_template, request, url_for


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
