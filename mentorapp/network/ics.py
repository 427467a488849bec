"""A small iCalendar (RFC 5545) writer for network gatherings: enough for every calendar
app to add, update and cancel an event, and nothing more.

Times are written in UTC (the "Z" form), so no VTIMEZONE block is needed; the calendar
shows them in the reader's own zone. Text is escaped (§3.3.11) and lines are folded at
75 octets without splitting a UTF-8 character (§3.1). Lines end in CRLF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

LINE_OCTETS = 75
PRODID = "-//mentorapp//Mentor network gatherings//NB"


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: datetime
    ends_at: datetime
    stamp: datetime
    summary: str
    sequence: int = 0
    location: str | None = None
    description: str | None = None
    url: str | None = None
    cancelled: bool = False


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))


def utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: say which time zone it is in")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, each continuation starting
    with one space, never inside a multi-byte character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line
    pieces: list[str] = []
    current = ""
    limit = LINE_OCTETS
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            pieces.append(current)
            current = ""
            limit = LINE_OCTETS - 1  # the leading space counts
        current += char
    pieces.append(current)
    return "\r\n ".join(pieces)


def calendar(events: list[Event], *, name: str | None = None) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    for event in events:
        lines += _event_lines(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _event_lines(event: Event) -> list[str]:
    lines = ["BEGIN:VEVENT",
             f"UID:{event.uid}",
             f"DTSTAMP:{utc(event.stamp)}",
             f"DTSTART:{utc(event.starts_at)}",
             f"DTEND:{utc(event.ends_at)}",
             f"SEQUENCE:{event.sequence}",
             f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
             f"SUMMARY:{escape(event.summary)}"]
    if event.location:
        lines.append(f"LOCATION:{escape(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape(event.description)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    lines.append("END:VEVENT")
    return lines
