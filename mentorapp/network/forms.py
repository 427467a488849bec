"""Reading the network's forms: resources, gatherings, topics, feedback, notes, messages.

Each reader takes a mentorapp.web.forms.Form, records translated errors beside the fields
and returns clean values; the view re-renders the form (422) when `form.ok` is false.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _

from mentorapp.domain import clock, vocabulary
from mentorapp.web.forms import CONTROL, Form

MAX_TAGS = 8
MAX_TAG_LENGTH = 30
MAX_URL_LENGTH = 2000
MAX_GATHERING_HOURS = 12
TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9\u00a1-\uffff]([a-z0-9\u00a1-\uffff-]{0,61}"
                      r"[a-z0-9\u00a1-\uffff])?)(\.[a-z0-9\u00a1-\uffff]([a-z0-9\u00a1-\uffff-]"
                      r"{0,61}[a-z0-9\u00a1-\uffff])?)*$", re.IGNORECASE)


def web_address(form: Form, name: str, *, required: bool) -> str | None:
    """An http or https address with a host: nothing that could run script or open a
    file or an app (javascript:, data:, file:...)."""
    value = form.text(name, required=required, max_length=MAX_URL_LENGTH)
    if not value or form.errors.get(name):
        return value
    problem = _("Write a full web address starting with https:// (or http://).")
    if any(ch.isspace() for ch in value) or CONTROL.search(value):
        form.error(name, problem)
        return value
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        form.error(name, problem)
        return value
    if parts.scheme.lower() not in ("http", "https") or not host or not (
            HOSTNAME.match(host) or _is_ip(host)) or parts.username or parts.password:
        form.error(name, problem)
    return value


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def tags(form: Form, name: str = "tags") -> list[str]:
    """Comma-separated topic tags, trimmed, each once (ignoring case)."""
    raw = form.text(name, required=False, max_length=400) or ""
    found: dict[str, str] = {}
    for tag in (part.strip() for part in raw.replace(";", ",").split(",")):
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            form.error(name, _("A tag can be at most %(count)d characters.",
                               count=MAX_TAG_LENGTH))
        found.setdefault(tag.casefold(), tag)
    if len(found) > MAX_TAGS:
        form.error(name, _("At most %(count)d tags, please.", count=MAX_TAGS))
    return list(found.values())


def clock_time(form: Form, name: str) -> time | None:
    raw = (form.data.get(name) or "").strip()
    if not raw:
        form.error(name, _("Please write a time, e.g. 09:30."))
        return None
    match = TIME.match(raw)
    if not match:
        form.error(name, _("Please write the time as HH:MM, e.g. 09:30."))
        return None
    value = time(int(match.group(1)), int(match.group(2)))
    form.values[name] = value.strftime("%H:%M")
    return value


# Resources ------------------------------------------------------------------------------

@dataclass
class ResourceFields:
    kind: str | None
    title: str | None
    description: str
    language: str | None
    tags: list[str]
    url: str | None


def resource(form: Form, *, editing_kind: str | None = None) -> ResourceFields:
    kind = editing_kind or form.choice("kind", vocabulary.RESOURCE_KINDS)
    title = form.text("title", max_length=120)
    description = form.text("description", required=False, max_length=1000,
                            multiline=True) or ""
    language = form.choice("language", vocabulary.RESOURCE_LANGUAGES)
    url = web_address(form, "url", required=True) if kind == "link" else None
    return ResourceFields(kind, title, description, language, tags(form), url)


# Gatherings -----------------------------------------------------------------------------

@dataclass
class GatheringFields:
    title: str | None
    starts_at: str | None
    ends_at: str | None
    place: str | None
    video_url: str | None
    agenda: str


def gathering(form: Form, *, now: datetime, current_start: str | None = None
              ) -> GatheringFields:
    title = form.text("title", max_length=120)
    day = form.date("date", earliest=clock.today(now), latest=clock.today(now) + timedelta(days=730))
    start = clock_time(form, "start_time")
    end = clock_time(form, "end_time")
    place = form.text("place", required=False, max_length=200)
    video_url = web_address(form, "video_url", required=False)
    agenda = form.text("agenda", required=False, max_length=4000, multiline=True) or ""
    if not place and not video_url and "place" not in form.errors:
        form.error("place", _("Write where it is, or give a video link, or both."))
    starts_at = ends_at = None
    if isinstance(day, date) and start and end:
        begins = datetime.combine(day, start, tzinfo=clock.OSLO)
        finishes = datetime.combine(day, end, tzinfo=clock.OSLO)
        if finishes <= begins:
            form.error("end_time", _("The end must be after the start."))
        elif finishes - begins > timedelta(hours=MAX_GATHERING_HOURS):
            form.error("end_time", _("A gathering can last at most %(hours)d hours.",
                                     hours=MAX_GATHERING_HOURS))
        starts_at, ends_at = clock.iso(begins), clock.iso(finishes)
        if begins <= now and starts_at != current_start:
            form.error("start_time", _("The start has already passed. Choose a later time."))
    return GatheringFields(title, starts_at, ends_at, place, video_url, agenda)


def gathering_defaults(gathering: dict | None = None) -> Form:
    if gathering is None:
        soon = clock.today() + timedelta(days=14)
        return Form({"date": soon.isoformat(), "start_time": "09:00", "end_time": "11:30"})
    starts, ends = clock.local(gathering["starts_at"]), clock.local(gathering["ends_at"])
    return Form({"title": gathering["title"], "date": starts.date().isoformat(),
                 "start_time": starts.strftime("%H:%M"), "end_time": ends.strftime("%H:%M"),
                 "place": gathering["place"] or "", "video_url": gathering["video_url"] or "",
                 "agenda": gathering["agenda"]})


def feedback(form: Form) -> tuple[int | None, str, str]:
    rating = form.choice("rating", vocabulary.GATHERING_RATINGS)
    useful = form.text("useful", required=False, max_length=500, multiline=True) or ""
    wish = form.text("wish", required=False, max_length=500, multiline=True) or ""
    return rating, useful, wish


# The mentors' voice and messages --------------------------------------------------------

def topic(form: Form) -> tuple[str | None, str]:
    title = form.text("title", max_length=120)
    description = form.text("description", required=False, max_length=500,
                            multiline=True) or ""
    return title, description


def note(form: Form, gathering_ids: list[int]) -> tuple[str | None, str | None, int | None]:
    title = form.text("title", max_length=120)
    body = form.text("body", max_length=2000, multiline=True)
    gathering_id = form.choice("gathering_id", gathering_ids, required=False)
    return title, body, gathering_id


def broadcast(form: Form) -> str | None:
    return form.text("body", max_length=500, multiline=True)
