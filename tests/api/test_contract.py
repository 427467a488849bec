"""The published contract, tested by Schemathesis from the document itself: requests
generated from /api/v1/openapi.json, valid and invalid, sent over HTTP to the real app
(gunicorn, a real SQLite file), with a signed-in mentor and a feed token.

Every documented operation is checked for server errors, for answers (status, headers,
body) that the document does not describe, for documented-valid input refused and for
invalid input accepted. The sync endpoint answers each event inside a 200 (an invalid
event must never stop its valid siblings), so for it the last two checks are made per
event instead: `sync_answers_follow_the_schema` below judges every event in the request
with an independent JSON Schema validator (jsonschema-rs, which Schemathesis ships) and
requires the server's answer to agree.

Bounded: MAX_EXAMPLES per operation and mode, no shrinking, a fixed seed, so the run is
the same each time and takes about a minute.
"""

from __future__ import annotations

import re
import uuid

import jsonschema_rs
import pytest
import requests
import schemathesis
from schemathesis import GenerationMode

from mentorapp.api import openapi
from mentorapp.domain import clock
from tests.support.server import LiveServer

MAX_EXAMPLES = 40

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("contract"), workers=2)
    live.start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def credentials(server):
    """A signed-in mentor (session cookie and CSRF token) and a feed token for office A."""
    from mentorapp.store import api_tokens
    from mentorapp.store.db import close, connect, write
    from tests.support.world import PASSWORD

    session = requests.Session()
    page = session.get(f"{server.url}/login", timeout=30).text
    form_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = session.post(f"{server.url}/login", allow_redirects=False, timeout=30, data={
        "csrf_token": form_token, "email": server.world.users["mentor_a"]["email"],
        "password": PASSWORD})
    assert answer.status_code == 303
    csrf = session.get(f"{server.url}/api/v1/session", timeout=30).json()["csrf_token"]
    feed_token = f"contract-{uuid.uuid4().hex}"
    db = connect(server.database)
    try:
        with write(db):
            api_tokens.create(db, office_id=server.world.ids["office_a"], name="Kontrakt",
                              token=feed_token, created_by=None)
    finally:
        close(db)
    return {"cookie": session.cookies.get("mentorapp_session"), "csrf": csrf,
            "feed": feed_token, "placement": server.world.placements["p1"]}


# The document as the app serves it (built from code, so it is at hand when the tests are
# collected); the requests go to the real server, whose document test_openapi.py checks
# is this one.
schema = schemathesis.openapi.from_dict(openapi.document())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE], max_examples=MAX_EXAMPLES,
    no_shrink=True, deterministic=True, database="none",
    # The credentials are real ones, set below; generated ones would only be refused.
    with_security_parameters=False)
# 413 is how this API refuses too many items or bytes (documented where it can happen).
schema.config.checks.negative_data_rejection.expected_statuses = [
    *schema.config.checks.negative_data_rejection.expected_statuses, "413"]


def _payload_validators(document: dict) -> tuple[jsonschema_rs.Validator, dict]:
    components = document["components"]["schemas"]
    event = {**components["Event"], "properties": {**components["Event"]["properties"],
                                                   "payload": {"type": "object"}}}
    by_type = {kind: f"{kind.title().replace('_', '')}Payload"
               for kind in components["Event"]["properties"]["type"]["enum"]}
    validators = {kind: jsonschema_rs.validator_for(components[name], validate_formats=True)
                  for kind, name in by_type.items()}
    return jsonschema_rs.validator_for(event, validate_formats=True), validators


@schemathesis.check
def sync_answers_follow_the_schema(ctx, response, case):
    """POST /api/v1/sync: an event the document calls valid is never rejected as invalid;
    one it calls invalid is always rejected as invalid (and so stored nowhere)."""
    if (case.operation.label != "POST /api/v1/sync" or response.request.method != "POST"
            or response.status_code != 200):
        return None
    events = case.body.get("events") if isinstance(case.body, dict) else None
    assert response.headers.get("content-type", [""])[0].startswith("application/json"), (
        response.status_code, response.text[:200])
    results = response.json()["results"]
    assert isinstance(events, list) and len(results) == len(events)
    event_validator, payload_validators = _payload_validators(case.operation.schema.raw_schema)
    for sent, result in zip(events, results, strict=True):
        valid = event_validator.is_valid(sent) and payload_validators[sent["type"]].is_valid(
            sent["payload"])
        judged_invalid = result["status"] == "rejected" and result.get("code") == "invalid"
        if valid:
            assert not judged_invalid, f"a valid event was refused: {sent!r} -> {result!r}"
        else:
            assert judged_invalid, f"an invalid event was not refused: {sent!r} -> {result!r}"
    return True


def _aim_at_real_data(case, credentials) -> None:
    """Generated ids rarely name anything: in valid cases, point half the events (and the
    placement path) at the mentor's own placement, at a time that is allowed, so that the
    storing path is exercised and not only the refusals. Still valid by the schema."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    if case.operation.label == "GET /api/v1/placements/{placement_id}":
        case.path_parameters["placement_id"] = credentials["placement"]
    if case.operation.label == "POST /api/v1/sync" and isinstance(case.body, dict):
        for index, event in enumerate(case.body.get("events", [])[::2]):
            event["placement_id"] = credentials["placement"]
            event["occurred_at"] = clock.now_iso()
            if "date" in event.get("payload", {}):
                event["payload"]["date"] = clock.today().isoformat()
            if index % 2:
                event.pop("amends", None)


@schema.parametrize()
def test_every_operation_keeps_the_published_contract(case, server, credentials):
    _aim_at_real_data(case, credentials)
    headers = {"X-CSRF-Token": credentials["csrf"]}
    if case.operation.label == "GET /api/v1/feed":
        headers["Authorization"] = f"Bearer {credentials['feed']}"
    else:
        headers["Cookie"] = f"mentorapp_session={credentials['cookie']}"
    excluded = []
    if case.operation.label == "POST /api/v1/sync":
        # Per event instead (sync_answers_follow_the_schema): an invalid event is answered
        # "rejected" inside a 200, by design, and never stops its valid siblings.
        from schemathesis.specs.openapi.checks import (
            negative_data_rejection,
            positive_data_acceptance,
        )

        excluded = [negative_data_rejection, positive_data_acceptance]
    case.call_and_validate(base_url=server.url, headers=headers, timeout=60, excluded_checks=excluded,
                           additional_checks=[sync_answers_follow_the_schema])
