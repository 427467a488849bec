"""The .ics file is valid RFC 5545: CRLF lines of at most 75 octets (folded without
breaking a character), escaped text, the properties calendars need, UTC times."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from mentorapp.domain import clock
from mentorapp.network import ics
from tests.support.network import plan, post

CONTENT_LINE = re.compile(r"^(?P<name>[A-Z][A-Z0-9-]*)(?P<params>(;[^:]*)?):(?P<value>.*)$")


def unfold(text: str) -> list[str]:
    """Check the physical lines and return the logical ones (RFC 5545 §3.1)."""
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line, "bare LF or CR"
        assert len(line.encode("utf-8")) <= 75, f"longer than 75 octets: {line!r}"
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(text: str) -> list[dict]:
    """The VEVENTs of a VCALENDAR, each as {NAME: value}, checking the structure."""
    lines = unfold(text)
    stack: list[str] = []
    events: list[dict] = []
    calendar: dict = {}
    current: dict | None = None
    for line in lines:
        match = CONTENT_LINE.match(line)
        assert match, f"not a content line: {line!r}"
        name, value = match.group("name"), match.group("value")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
            continue
        if name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                events.append(current)
                current = None
            continue
        (current if current is not None else calendar)[name] = value
    assert stack == []
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event, required
        for stamp in ("DTSTAMP", "DTSTART", "DTEND"):
            assert re.fullmatch(r"\d{8}T\d{6}Z", event[stamp]), event[stamp]
        assert event["DTEND"] > event["DTSTART"]
    return events


TITLE = "Samling, del 1; øving \\ med «anførsel»"
AGENDA = ("Velkommen og kaffe\nErfaringsrunde: hva gjør vi når deltakeren ikke kommer? "
          "Æ, ø og å skal overleve brettingen av lange linjer i kalenderfilen.\nAvslutning")


def test_the_calendar_file_is_valid_and_says_what_the_page_says(world, as_coordinator, as_mentor, db):
    day = clock.today() + timedelta(days=5)
    gathering_id = plan(as_coordinator, day=day, start="09:00", end="11:30", title=TITLE,
                        agenda=AGENDA)
    response = as_mentor.get(f"/n/gatherings/{gathering_id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="gathering-{gathering_id}.ics"')
    [event] = parse(response.get_data(as_text=True))
    starts = datetime.combine(day, time(9), tzinfo=clock.OSLO).astimezone(UTC)
    assert event["DTSTART"] == starts.strftime("%Y%m%dT%H%M%SZ")
    assert event["DTEND"] == (starts + timedelta(hours=2, minutes=30)).strftime("%Y%m%dT%H%M%SZ")
    assert unescape(event["SUMMARY"]) == TITLE
    assert unescape(event["LOCATION"]) == "NAV A-by, møterom 2"
    description = unescape(event["DESCRIPTION"])
    assert AGENDA in description and "https://meet.example.no/samling" in description
    assert event["URL"] == f"http://localhost/n/gatherings/{gathering_id}"
    assert event["UID"] == f"gathering-{gathering_id}@localhost"
    assert (event["STATUS"], event["SEQUENCE"]) == ("CONFIRMED", "0")


def test_a_cancelled_gathering_is_a_cancellation_with_a_higher_sequence(world, as_coordinator,
                                                                         as_mentor):
    gathering_id = plan(as_coordinator)
    before = parse(as_mentor.get(f"/n/gatherings/{gathering_id}/calendar.ics")
                   .get_data(as_text=True))[0]
    post(as_coordinator, f"/n/gatherings/{gathering_id}/cancel")
    after = parse(as_mentor.get(f"/n/gatherings/{gathering_id}/calendar.ics")
                  .get_data(as_text=True))[0]
    assert after["UID"] == before["UID"]  # the same event, so calendars update it
    assert after["STATUS"] == "CANCELLED" and int(after["SEQUENCE"]) > int(before["SEQUENCE"])


@pytest.mark.parametrize("text", [
    "a" * 200, "ø" * 200, "€" * 100, "a" + "😀" * 60, "x" * 74, "x" * 75, "x" * 76, "",
])
def test_folding_keeps_lines_short_and_characters_whole(text):
    folded = ics.fold("DESCRIPTION:" + text)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert "".join([pieces[0], *(piece[1:] for piece in pieces[1:])]) == "DESCRIPTION:" + text


@pytest.mark.parametrize(("raw", "escaped"), [
    ("a,b;c\\d", "a\\,b\\;c\\\\d"), ("linje 1\nlinje 2", "linje 1\\nlinje 2"),
    ("windows\r\nlinje", "windows\\nlinje"),
])
def test_text_is_escaped(raw, escaped):
    assert ics.escape(raw) == escaped


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="naive"):
        ics.utc(datetime(2026, 1, 1, 9, 0))
