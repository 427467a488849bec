"""The OpenAPI 3.1 description of the API, built from the same schemas the server checks."""

from __future__ import annotations

import copy

from mentorapp import __version__
from mentorapp.sync import schema


def _error_response(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def document() -> dict:
    payloads = {f"{name.title().replace('_', '')}Payload": copy.deepcopy(payload)
                for name, payload in schema.PAYLOADS.items()}
    event = copy.deepcopy(schema.EVENT)
    event["properties"]["payload"] = {
        "oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in payloads],
        "description": "The payload schema is chosen by `type`.",
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "mentorapp API",
            "version": __version__,
            "description": (
                "Sync for the mentor's and the participant's phone and a feed for NAV systems. Writes from the "
                "browser use the session cookie and the `X-CSRF-Token` header (from "
                "`GET /api/v1/session`)."),
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/session": {
                "get": {
                    "summary": "The signed-in user and their CSRF token",
                    "security": [{"session": []}],
                    "responses": {
                        "200": {"description": "Signed in",
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/Session"}}}},
                        "401": _error_response("Not signed in"),
                    },
                },
            },
            "/api/v1/sync": {
                "post": {
                    "summary": "Send a batch of the phone's events (idempotent)",
                    "description": (
                        "Each event is judged on its own and answered in order: `created` "
                        "(stored now), `duplicate` (this id is stored with the same content), "
                        "`conflict` (this id is stored with other content; nothing changed) or "
                        "`rejected` (with `code` and a translated `reason`). Keep an event on "
                        "the phone until it is answered `created` or `duplicate`. At most "
                        f"{schema.MAX_BATCH} events per request."),
                    "security": [{"session": [], "csrf": []}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/SyncRequest"}}}},
                    "responses": {
                        "200": {"description": "One result per event",
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/SyncResponse"}}}},
                        "400": _error_response("The body is not a JSON object with `events`"),
                        "401": _error_response("Not signed in"),
                        "403": _error_response("Missing or wrong CSRF token"),
                        "404": _error_response("Not a mentor"),
                        "413": _error_response("Too many events or too many bytes"),
                    },
                },
            },
            "/api/v1/placements/{placement_id}": {
                "get": {
                    "summary": "A placement as the phone shows it: period, open flags and calls",
                    "security": [{"session": []}],
                    "parameters": [{"name": "placement_id", "in": "path", "required": True,
                                    "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {"description": "The placement",
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/PlacementSummary"}}}},
                        "401": _error_response("Not signed in"),
                        "404": _error_response("No such placement, or not yours"),
                    },
                },
            },
            "/api/v1/push/subscriptions": {
                "post": {
                    "summary": "Turn alerts on for this device (a browser PushSubscription)",
                    "security": [{"session": [], "csrf": []}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/PushSubscription"}}}},
                    "responses": {
                        "201": {"description": "Subscribed"},
                        "400": _error_response("Not a valid subscription"),
                        "401": _error_response("Not signed in"),
                    },
                },
                "delete": {
                    "summary": "Turn alerts off for this device",
                    "security": [{"session": [], "csrf": []}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"type": "object", "properties": {
                            "endpoint": {"type": "string"}}}}}},
                    "responses": {"200": {"description": "Unsubscribed (or was not)"},
                                  "401": _error_response("Not signed in")},
                },
            },
            "/api/v1/feed": {
                "get": {
                    "summary": "New events of one office's placements, for NAV systems",
                    "description": (
                        "Events in the order they were stored (`seq`). Start with `since=0`, "
                        "then ask again with the `next` cursor of the last answer; while `more` "
                        "is true there is another page at once. Each call writes an audit line "
                        "per placement read. The token (made by an admin for one NAV office on "
                        "/admin/tokens) is sent as `Authorization: Bearer <token>`."),
                    "security": [{"apiToken": []}],
                    "parameters": [
                        {"name": "since", "in": "query", "required": False,
                         "description": "The `next` cursor of the previous answer (0: from the start).",
                         "schema": {"type": "integer", "minimum": 0, "default": 0}},
                        {"name": "limit", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 1, "maximum": 1000,
                                    "default": 500}},
                    ],
                    "responses": {
                        "200": {"description": "The next events",
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/FeedResponse"}}}},
                        "400": _error_response("`since` or `limit` is not a valid number"),
                        "401": _error_response("The token is missing, wrong or revoked"),
                    },
                },
            },
            "/api/v1/received": {
                "post": {
                    "summary": "Which of these event ids the server has stored",
                    "security": [{"session": [], "csrf": []}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"type": "object", "required": ["ids"], "properties": {
                            "ids": {"type": "array", "maxItems": schema.MAX_BATCH,
                                    "items": {"type": "string", "format": "uuid"}}}}}}},
                    "responses": {
                        "200": {"description": "The ids that are stored, with when",
                                "content": {"application/json": {"schema": {
                                    "type": "object", "properties": {"received": {
                                        "type": "array", "items": {
                                            "type": "object", "properties": {
                                                "id": {"type": "string"},
                                                "received_at": {"type": "string",
                                                                "format": "date-time"}}}}}}}}},
                        "401": _error_response("Not signed in"),
                        "403": _error_response("Missing or wrong CSRF token"),
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "mentorapp_session"},
                "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
                "apiToken": {"type": "http", "scheme": "bearer",
                             "description": "A token an admin made for one NAV office."},
            },
            "schemas": {
                "Event": event,
                **payloads,
                "SyncRequest": {
                    "type": "object", "required": ["events"], "additionalProperties": False,
                    "properties": {"events": {"type": "array", "maxItems": schema.MAX_BATCH,
                                              "items": {"$ref": "#/components/schemas/Event"}}},
                },
                "SyncResult": {
                    "type": "object", "required": ["id", "status"],
                    "properties": {
                        "id": {"type": ["string", "null"]},
                        "status": {"type": "string",
                                   "enum": ["created", "duplicate", "conflict", "rejected"]},
                        "code": {"type": "string"},
                        "reason": {"type": "string"},
                        "field": {"type": ["string", "null"]},
                    },
                },
                "SyncResponse": {
                    "type": "object", "required": ["results", "server_time"],
                    "properties": {
                        "results": {"type": "array",
                                    "items": {"$ref": "#/components/schemas/SyncResult"}},
                        "server_time": {"type": "string", "format": "date-time"},
                    },
                },
                "PlacementSummary": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer"}, "participant": {"type": "string"},
                        "workplace": {"type": "string"},
                        "status": {"type": "string", "enum": ["active", "ended"]},
                        "start_date": {"type": "string", "format": "date"},
                        "end_date": {"type": "string", "format": "date"},
                        "days_left": {"type": "integer"},
                        "extension_status": {"type": "string"},
                        "agreed_minutes_per_week": {"type": "integer"},
                        "open_flags": {"type": "array", "items": {"type": "object"}},
                        "open_calls": {"type": "array", "items": {"type": "object"}},
                    },
                },
                "FeedEvent": {
                    "type": "object",
                    "required": ["seq", "id", "type", "placement_id", "occurred_at",
                                 "received_at", "payload"],
                    "properties": {
                        "seq": {"type": "integer", "description": "Order of storage; the cursor."},
                        "id": {"type": "string", "format": "uuid"},
                        "type": {"type": "string", "enum": [*schema.PHONE_TYPES,
                                                            *schema.NAV_TYPES]},
                        "placement_id": {"type": "integer"},
                        "author_id": {"type": "integer"},
                        "author_role": {"type": "string",
                                        "enum": ["mentor", "counsellor", "participant"]},
                        "occurred_at": {"type": "string", "format": "date-time"},
                        "received_at": {"type": "string", "format": "date-time"},
                        "amends": {"type": ["string", "null"], "format": "uuid"},
                        "payload": {"type": "object", "description": (
                            "For mentor events the payload schemas above (by `type`); for "
                            "NAV events the `Nav...Payload` schemas.")},
                    },
                },
                **{f"Nav{name.removeprefix('nav_').title().replace('_', '')}Payload":
                   copy.deepcopy(payload) for name, payload in schema.NAV_PAYLOADS.items()},
                "FeedResponse": {
                    "type": "object", "required": ["events", "next", "more"],
                    "properties": {
                        "events": {"type": "array",
                                   "items": {"$ref": "#/components/schemas/FeedEvent"}},
                        "next": {"type": "integer",
                                 "description": "Send as `since` next time."},
                        "more": {"type": "boolean",
                                 "description": "A full page: ask again at once."},
                        "server_time": {"type": "string", "format": "date-time"},
                    },
                },
                "PushSubscription": schema.PUSH_SUBSCRIPTION,
                "Session": {
                    "type": "object",
                    "properties": {
                        "user": {"type": "object", "properties": {
                            "id": {"type": "integer"}, "role": {"type": "string"},
                            "name": {"type": "string"}, "locale": {"type": "string"}}},
                        "csrf_token": {"type": "string"},
                        "server_time": {"type": "string", "format": "date-time"},
                    },
                },
                "Error": {
                    "type": "object", "required": ["error", "message"],
                    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    }
