"""The shape of the events a mentor's or a participant's phone sends, as JSON Schema.

The same dicts are served in the OpenAPI document and checked here by a small
validator covering just the keywords they use, so the published contract and the
checks cannot drift apart.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from mentorapp.domain import vocabulary

MAX_NOTE = 2000
MAX_BATCH = 500
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
PHONE_PATTERN = r"^\+?[0-9 ]{8,20}$"

MENTOR_TYPES = ("daily_log", "flag", "call_request", "time", "comment")
# What a participant writes on their own phone: "how was my day / week", their own goals
# in their own words, and "I want to talk to my counsellor".
PARTICIPANT_TYPES = ("participant_checkin", "participant_goals", "talk_request")
PHONE_TYPES = (*MENTOR_TYPES, *PARTICIPANT_TYPES)
CORRECTABLE = ("daily_log", "time")
MAX_PARTICIPANT_TEXT = 500


def _enum(choices: dict, nullable: bool = False) -> dict:
    values = list(choices)
    kind = "integer" if isinstance(values[0], int) else "string"
    schema: dict[str, Any] = {"type": [kind, "null"] if nullable else kind, "enum": values}
    if nullable:
        schema["enum"] = [*values, None]
    return schema


def _text(max_length: int, min_length: int = 0) -> dict:
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    return schema


DATE = {"type": "string", "format": "date"}

PAYLOADS: dict[str, dict] = {
    "daily_log": {
        "type": "object",
        "required": ["date", "attendance"],
        "additionalProperties": False,
        "properties": {
            "date": DATE,
            "attendance": _enum(vocabulary.ATTENDANCE),
            "mastery": _enum(vocabulary.MASTERY, nullable=True),
            "social": _enum(vocabulary.SOCIAL, nullable=True),
            "wellbeing": _enum(vocabulary.WELLBEING, nullable=True),
            "tasks": {"type": "array", "maxItems": 12, "uniqueItems": True,
                      "items": _text(60, min_length=1)},
            "minutes": {"type": "integer", "minimum": 0, "maximum": 720},
            "note": _text(MAX_NOTE),
            "visible_to_participant": {
                "type": "boolean",
                "description": "Whether the participant (with an account) may read this "
                               "log on their own page. Missing means true."},
        },
    },
    "flag": {
        "type": "object",
        "required": ["category", "severity"],
        "additionalProperties": False,
        "properties": {
            "category": _enum(vocabulary.FLAG_CATEGORIES),
            "severity": _enum(vocabulary.SEVERITY),
            "note": _text(MAX_NOTE),
        },
    },
    "call_request": {
        "type": "object",
        "required": ["urgency"],
        "additionalProperties": False,
        "properties": {
            "urgency": _enum(vocabulary.URGENCY),
            "windows": {"type": "array", "maxItems": len(vocabulary.CALL_WINDOWS),
                        "uniqueItems": True, "items": _enum(vocabulary.CALL_WINDOWS)},
            "phone": {"type": "string", "pattern": PHONE_PATTERN},
            "topic": _text(500),
        },
    },
    "time": {
        "type": "object",
        "required": ["date", "minutes"],
        "additionalProperties": False,
        "properties": {
            "date": DATE,
            "minutes": {"type": "integer", "minimum": 1, "maximum": 720},
            "note": _text(500),
        },
    },
    "comment": {
        "type": "object",
        "required": ["text"],
        "additionalProperties": False,
        "properties": {"text": _text(MAX_NOTE, min_length=1)},
    },
    "participant_checkin": {
        "type": "object",
        "required": ["period", "date", "mood"],
        "additionalProperties": False,
        "properties": {
            "period": _enum(vocabulary.CHECKIN_PERIODS),
            "date": DATE,
            "mood": _enum(vocabulary.MOODS),
            "text": _text(MAX_PARTICIPANT_TEXT),
        },
    },
    "participant_goals": {
        "type": "object",
        "required": ["text"],
        "additionalProperties": False,
        "properties": {"text": _text(1000, min_length=1)},
    },
    "talk_request": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"text": _text(MAX_PARTICIPANT_TEXT)},
    },
}

EVENT: dict = {
    "type": "object",
    "required": ["id", "type", "placement_id", "occurred_at", "payload"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "string", "format": "uuid",
               "description": "Made by the phone (UUID); the same id twice is one event."},
        "type": {"type": "string", "enum": list(PHONE_TYPES)},
        "placement_id": {"type": "integer", "minimum": 1},
        "occurred_at": {"type": "string", "format": "date-time", "maxLength": 40,
                        "description": "When the entry was made on the phone, with a time zone."},
        "amends": {"type": ["string", "null"], "format": "uuid",
                   "description": "For a correction: the id of the entry it corrects."},
        "payload": {"type": "object",
                    "description": "Depends on `type`; see the schemas named after each type."},
    },
}


# What the NAV side writes on a placement's timeline (counsellor.casework.record_nav_event): the server
# makes these itself, so they are not checked on the way in; they are published so that
# NAV systems reading the feed know their shape.
def _nav(required: list[str], **properties: dict) -> dict:
    return {"type": "object", "required": required, "properties": properties}


EVENT_ID = {"type": "string", "format": "uuid"}
NAV_PAYLOADS: dict[str, dict] = {
    "placement_created": _nav(["start_date", "end_date"], start_date=DATE, end_date=DATE),
    "mentor_changed": _nav(["to_mentor_id"], from_mentor_id={"type": ["integer", "null"]},
                           to_mentor_id={"type": "integer"}),
    "placement_extended": _nav(["from", "to"], **{"from": DATE, "to": DATE}),
    "extension_decided": _nav(["decision"], decision=_enum(vocabulary.EXTENSION_STATUS)),
    "placement_ended": _nav(["outcome"], outcome=_enum(vocabulary.OUTCOMES)),
    "flag_acknowledged": _nav(["flag"], flag=EVENT_ID),
    "flag_resolved": _nav(["flag", "note"], flag=EVENT_ID, note=_text(MAX_NOTE)),
    "call_seen": _nav(["call"], call=EVENT_ID),
    "call_scheduled": _nav(["call", "at"], call=EVENT_ID,
                           at={"type": "string", "format": "date-time"}),
    "call_done": _nav(["call"], call=EVENT_ID, note=_text(MAX_NOTE)),
    "nav_comment": _nav(["text"], text=_text(MAX_NOTE, min_length=1)),
    "talk_done": _nav(["talk"], talk=EVENT_ID),
    "participant_invited": _nav([]),
    "participant_account_closed": _nav(["entries"], entries={"type": "string",
                                                             "enum": ["kept", "deleted"]}),
}
NAV_TYPES = tuple(NAV_PAYLOADS)

# A browser's PushSubscription, as POST /api/v1/push/subscriptions takes it.
PUSH_SUBSCRIPTION = {
    "type": "object",
    "required": ["endpoint", "keys"],
    "properties": {
        "endpoint": {"type": "string", "maxLength": 2000, "pattern": r"^https?://"},
        "expirationTime": {"type": ["number", "null"]},
        "keys": {"type": "object", "required": ["p256dh", "auth"], "properties": {
            "p256dh": {"type": "string", "maxLength": 200, "pattern": r"^[A-Za-z0-9_=-]+$"},
            "auth": {"type": "string", "maxLength": 100, "pattern": r"^[A-Za-z0-9_=-]+$"}}},
        "label": {"type": "string", "maxLength": 100},
    },
}


class Problem:
    """One thing wrong with a value: where, what kind, and the numbers to explain it."""

    def __init__(self, path: str, code: str, **params: Any):
        self.path, self.code, self.params = path, code, params

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.code!r}, {self.params!r})"


_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def _format_ok(kind: str, value: str) -> bool:
    try:
        if kind == "uuid":
            return bool(UUID.match(value))
        if kind == "date":
            return len(value) == 10 and bool(date.fromisoformat(value))
        if kind == "date-time":
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return moment.tzinfo is not None and "T" in value
    except ValueError:
        return False
    return True


def validate(value: Any, schema: dict, path: str = "") -> list[Problem]:
    """Problems with `value` against `schema`; an empty list means it is valid."""
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_TYPES[k](value) for k in kinds):
            return [Problem(path, "type", expected=" | ".join(kinds))]
    if value is None:
        return []
    if "enum" in schema and value not in schema["enum"]:
        return [Problem(path, "enum", choices=", ".join(str(c) for c in schema["enum"]
                                                         if c is not None))]
    if isinstance(value, str):
        return _validate_string(value, schema, path)
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            return [Problem(path, "range", low=low, high=high)]
        return []
    if isinstance(value, list):
        return _validate_array(value, schema, path)
    if isinstance(value, dict):
        return _validate_object(value, schema, path)
    return []


def _validate_string(value: str, schema: dict, path: str) -> list[Problem]:
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        return [Problem(path, "too_long", max=schema["maxLength"])]
    if "minLength" in schema and len(value.strip()) < schema["minLength"]:
        return [Problem(path, "too_short", min=schema["minLength"])]
    if "pattern" in schema and not re.match(schema["pattern"], value):
        return [Problem(path, "format")]
    if "format" in schema and not _format_ok(schema["format"], value):
        return [Problem(path, "format")]
    return []


def _validate_array(value: list, schema: dict, path: str) -> list[Problem]:
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        return [Problem(path, "too_many", max=schema["maxItems"])]
    if schema.get("uniqueItems") and len({repr(v) for v in value}) != len(value):
        return [Problem(path, "repeated")]
    problems: list[Problem] = []
    for index, item in enumerate(value):
        problems += validate(item, schema.get("items", {}), f"{path}[{index}]")
    return problems


def _validate_object(value: dict, schema: dict, path: str) -> list[Problem]:
    prefix = f"{path}." if path else ""
    problems = [Problem(f"{prefix}{name}", "missing")
                for name in schema.get("required", []) if name not in value]
    properties = schema.get("properties", {})
    for name, item in value.items():
        if name not in properties:
            if schema.get("additionalProperties") is False:
                problems.append(Problem(f"{prefix}{name}", "unknown"))
            continue
        problems += validate(item, properties[name], f"{prefix}{name}")
    return problems
