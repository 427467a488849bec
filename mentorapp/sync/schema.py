"""The shape of the events a mentor's or a participant's phone sends, as JSON Schema.

The same dicts are served in the OpenAPI document and compiled here with fastjsonschema,
so the published contract and the checks cannot drift apart: the server refuses exactly
what the document calls invalid. Where JSON Schema's words are looser than we want (a
"date" that Python would also read as a week date, a blank comment), the schema itself
says so with a pattern, never a check of our own on the side.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import fastjsonschema

from mentorapp.domain import vocabulary

MAX_NOTE = 2000
MAX_BATCH = 500
# The largest integer SQLite stores: no id or cursor above it can exist (nor be looked up).
MAX_ID = 2**63 - 1
# Checked with fullmatch: `$` in a Python pattern also matches before a final newline.
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# RFC 3339: a full-date is YYYY-MM-DD and nothing else (no week or ordinal dates, no
# basic format); a date-time is a full-date, "T", a time and a zone.
FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?"
                       r"([Zz]|[+-][0-9]{2}:[0-9]{2})")
# Published patterns are anchored at both ends; fastjsonschema reads a final `$` as the
# end of the text (as JSON Schema's ECMA-262 patterns do), so "91234567\n" is no phone.
PHONE_PATTERN = r"^\+?[0-9 ]{8,20}$"
# Text that must say something: at least one character that is not a space, a tab or a
# line break. Published in the schema, so a client sees the same rule the server applies;
# spelt out because `\S` means other things in Python (where \x1c-\x1f are white space)
# and in the ECMA-262 patterns JSON Schema speaks (where U+FEFF is).
NOT_BLANK = r"[^ \t\n\r\f\v]"

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


def _text(max_length: int, required: bool = False) -> dict:
    """Free text; a required one must hold more than white space."""
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
    if required:
        schema["minLength"] = 1
        schema["pattern"] = NOT_BLANK
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
                      "items": _text(60, required=True)},
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
        "properties": {"text": _text(MAX_NOTE, required=True)},
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
        "properties": {"text": _text(1000, required=True)},
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
        "placement_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
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
    "nav_comment": _nav(["text"], text=_text(MAX_NOTE, required=True)),
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
        "endpoint": {"type": "string", "maxLength": 2000, "pattern": r"^https?://[!-~]+$"},
        "expirationTime": {"type": ["number", "null"]},
        "keys": {"type": "object", "required": ["p256dh", "auth"], "properties": {
            "p256dh": {"type": "string", "maxLength": 200, "pattern": r"^[A-Za-z0-9_=-]+$"},
            "auth": {"type": "string", "maxLength": 100, "pattern": r"^[A-Za-z0-9_=-]+$"}}},
        "label": {"type": "string", "maxLength": 100},
    },
}
# What DELETE /api/v1/push/subscriptions takes: the endpoint to forget.
PUSH_UNSUBSCRIBE = {"type": "object", "required": ["endpoint"],
                    "properties": {"endpoint": {"type": "string"}}}


class Problem:
    """One thing wrong with a value: where, what kind, and the numbers to explain it."""

    def __init__(self, path: str, code: str, **params: Any):
        self.path, self.code, self.params = path, code, params

    def __repr__(self) -> str:
        return f"Problem({self.path!r}, {self.code!r}, {self.params!r})"


def is_date(value: str) -> bool:
    """A calendar day written YYYY-MM-DD (RFC 3339 full-date), nothing else."""
    if not FULL_DATE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_date_time(value: str) -> bool:
    """An RFC 3339 date-time with its zone, that Python can also read (no leap second)."""
    if not DATE_TIME.fullmatch(value) or not is_date(value[:10]):
        return False
    try:
        # In UTC too: that is how it is stored (0001-01-01T00:00:00+01:00 is no year in UTC).
        datetime.fromisoformat(value.upper().replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True


FORMATS = {"date": is_date, "date-time": is_date_time,
           "uuid": lambda value: bool(UUID.fullmatch(value))}


_VALIDATORS: dict[int, tuple[dict, Callable[[Any], Any]]] = {}


def _validator(schema: dict) -> Callable[[Any], Any]:
    """The schema compiled to Python once (the schemas are module constants, so their id
    is a key; the dict is kept beside its code so that a reused id is never mistaken)."""
    found = _VALIDATORS.get(id(schema))
    if found is None or found[0] is not schema:
        found = _VALIDATORS[id(schema)] = (schema, fastjsonschema.compile(schema,
                                                                          formats=FORMATS))
    return found[1]


def validate(value: Any, schema: dict, path: str = "") -> list[Problem]:
    """Problems with `value` against `schema`; an empty list means it is valid. The check
    stops at the first problem, which is the one a mentor is told about."""
    try:
        _validator(schema)(value)
    except fastjsonschema.JsonSchemaValueException as error:
        return [_problem(error, path)]
    return []


def _problem(error: fastjsonschema.JsonSchemaValueException, prefix: str) -> Problem:
    where = prefix + error.name.removeprefix("data")
    if prefix == "":
        where = where.removeprefix(".")
    definition = error.definition or {}
    rule, value = error.rule, error.value

    def inside(name: str) -> str:
        return f"{where}.{name}" if where else name

    if rule == "required":
        missing = next(name for name in definition["required"] if name not in value)
        return Problem(inside(missing), "missing")
    if rule == "additionalProperties":
        known = definition.get("properties", {})
        return Problem(inside(next(name for name in value if name not in known)), "unknown")
    if rule == "type":
        kinds = definition["type"]
        return Problem(where, "type", expected=" | ".join([kinds] if isinstance(kinds, str)
                                                          else kinds))
    if rule == "enum":
        return Problem(where, "enum", choices=", ".join(str(c) for c in definition["enum"]
                                                        if c is not None))
    if rule in ("minimum", "maximum"):
        return Problem(where, "range", low=definition.get("minimum"),
                       high=definition.get("maximum"))
    if rule == "maxLength":
        return Problem(where, "too_long", max=definition["maxLength"])
    if rule == "minLength" or (rule == "pattern" and definition["pattern"] == NOT_BLANK):
        return Problem(where, "too_short", min=1)
    if rule == "maxItems":
        return Problem(where, "too_many", max=definition["maxItems"])
    if rule == "uniqueItems":
        return Problem(where, "repeated")
    return Problem(where, "format")


def canonical(value: Any, schema: dict) -> Any:
    """The stored form of a valid value: a whole number as an integer (JSON Schema lets
    60.0 be one), a day as YYYY-MM-DD. Two ways of writing the same entry store alike."""
    # Most values are text or whole numbers already in their one form: they are returned
    # before the schema's type is looked at (this runs for every field of every event).
    if isinstance(value, str):
        return date.fromisoformat(value).isoformat() if schema.get("format") == "date" else value
    if isinstance(value, dict):
        properties = schema.get("properties")
        if properties is None:
            return value
        return {name: canonical(item, properties[name]) if name in properties else item
                for name, item in value.items()}
    if isinstance(value, list):
        return [canonical(item, schema["items"]) for item in value] if "items" in schema else value
    if isinstance(value, float) and value.is_integer():
        kinds = schema.get("type")
        if "integer" in ([kinds] if isinstance(kinds, str) else (kinds or [])):
            return int(value)
    return value
