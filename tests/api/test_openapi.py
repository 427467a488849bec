"""The OpenAPI document against the app itself: every API route and method is in it and
nothing else is, its session cookie is the one the app sets, and the answers a route
really gives to a stranger, to a write without its CSRF token and to a wrong method are
answers the document lists. (tests/api/test_contract.py sends it generated requests.)"""

from __future__ import annotations

import re

import pytest

from mentorapp import create_app

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
IMPLIED = {"HEAD", "OPTIONS"}  # Flask answers these for every route by itself


def documented(document: dict) -> set[tuple[str, str]]:
    return {(path, method.upper()) for path, item in document["paths"].items()
            for method in item if method in HTTP_METHODS}


def routes(app) -> set[tuple[str, str]]:
    return {(re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule), method)
            for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")
            for method in rule.methods - IMPLIED}


def test_every_api_route_and_method_is_documented_and_nothing_else(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert routes(app) == documented(document)


@pytest.mark.parametrize(("https", "cookie"), [(False, "mentorapp_session"),
                                              (True, "__Host-session")])
def test_the_session_scheme_names_the_cookie_the_app_sets(tmp_path, https, cookie):
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "HTTPS": https,
                      "LOG_LEVEL": "WARNING"})
    client = app.test_client()
    base = "https://localhost" if https else "http://localhost"
    set_cookie = client.get("/login", base_url=base).headers["Set-Cookie"]
    assert set_cookie.startswith(f"{cookie}=")
    document = client.get("/api/v1/openapi.json", base_url=base).get_json()
    assert document["components"]["securitySchemes"]["session"]["name"] == cookie


def _operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path.replace("{placement_id}", "1"), method.upper(), operation


def _error_shaped(response) -> bool:
    body = response.get_json(silent=True)
    return isinstance(body, dict) and isinstance(body.get("error"), str) and isinstance(
        body.get("message"), str)


def test_a_stranger_gets_a_documented_refusal_from_every_protected_operation(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, method, operation in _operations(document):
        if not operation["security"]:
            continue
        response = client.open(path, method=method, json={})
        assert str(response.status_code) in operation["responses"], (method, path,
                                                                    response.status_code)
        assert response.status_code in (401, 403) and _error_shaped(response), (method, path)


def test_a_write_without_its_csrf_token_gets_the_documented_403(world, as_mentor):
    document = as_mentor.get("/api/v1/openapi.json").get_json()
    writes = [(path, method, operation) for path, method, operation in _operations(document)
              if any("csrf" in rule for rule in operation["security"])]
    assert {(path, method) for path, method, _ in writes} == {
        ("/api/v1/sync", "POST"), ("/api/v1/received", "POST"),
        ("/api/v1/push/subscriptions", "POST"), ("/api/v1/push/subscriptions", "DELETE")}
    for path, method, operation in writes:
        response = as_mentor.open(path, method=method, json={})
        assert response.status_code == 403 and response.get_json()["error"] == "csrf"
        assert "403" in operation["responses"], (method, path)


def test_a_wrong_method_is_a_json_405_that_names_the_right_ones(client):
    response = client.put("/api/v1/sync")
    assert response.status_code == 405 and _error_shaped(response)
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"POST"}


def test_the_push_routes_document_their_400(world, as_mentor):
    document = as_mentor.get("/api/v1/openapi.json").get_json()
    item = document["paths"]["/api/v1/push/subscriptions"]
    headers = {"X-CSRF-Token": as_mentor.csrf_token}
    for method, body in (("POST", {"endpoint": "ftp://x", "keys": {}}), ("DELETE", [1]),
                         ("DELETE", {"endpoint": 5})):
        response = as_mentor.open("/api/v1/push/subscriptions", method=method, json=body,
                                  headers=headers)
        assert response.status_code == 400 and _error_shaped(response), (method, body)
        assert "400" in item[method.lower()]["responses"]


def test_a_placement_id_past_sqlites_integers_is_a_404_not_a_500(world, as_mentor):
    # The document says 1 to 2**63 - 1; SQLite cannot even be asked for a larger one.
    for placement_id in (2**63, 10**30, 0):
        response = as_mentor.get(f"/api/v1/placements/{placement_id}")
        assert response.status_code == 404 and _error_shaped(response), placement_id
    assert as_mentor.get(f"/api/v1/placements/{world.placements['p1']}").status_code == 200
