"""The caseload: every placement where the counsellor is responsible or backup, ordered
by need, each row saying why; filters; a list that refreshes itself only when it changed."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from mentorapp.counsellor import caseload
from mentorapp.domain import clock, worktime
from tests.support.counsellor import call_request, flag, log_today, new_placement, send, version_of
from tests.support.events import daily_log, event

NAMES = re.compile(r'class="case-link" href="/c/p/\d+">([^<]+)</a>')


def names(page: str) -> list[str]:
    return NAMES.findall(page)


def rows_of(page: str) -> dict[str, str]:
    """Each row's participant and the text of the row (its reasons)."""
    parts = page.split('<li class="case ')[1:]
    return {NAMES.search(part).group(1): part for part in parts}


@pytest.fixture
def seeded(app, world, as_mentor):
    """counsellor_a's caseload with one placement for each reason, in a shuffled order of
    creation; mentor_a follows them all."""
    today = clock.today()
    ids = {"Jonas": world.placements["p1"]}
    for name, kwargs in [
        ("Rolig", {}),
        ("Timer", {"agreed_minutes": 60}),
        ("Melding", {}),
        ("Slutter", {"end": today + timedelta(days=7)}),
        ("Stille", {}),
        ("Flagg", {}),
        ("Ringer", {}),
    ]:
        ids[name] = new_placement(app, world, name, **kwargs)
    for name in ("Jonas", "Rolig", "Timer", "Melding", "Slutter", "Flagg", "Ringer"):
        log_today(as_mentor, ids[name], minutes=0)
    # Stille: the last log two weeks ago (at least 3 working days, whatever today is).
    send(as_mentor, daily_log(ids["Stille"], today - timedelta(days=14), minutes=0))
    flag(as_mentor, ids["Jonas"], severity="urgent", category="conflict")
    call_request(as_mentor, ids["Ringer"], urgency="today")
    flag(as_mentor, ids["Flagg"], severity="attention")
    send(as_mentor, *[event("time", ids["Timer"], {"date": (today - timedelta(days=d)).isoformat(),
                                                    "minutes": 120}) for d in range(1, 8)])
    send(as_mentor, event("comment", ids["Melding"], {"text": "Kan vi snakkes?"}))
    return ids


def test_caseload_is_ordered_by_need_and_each_row_says_why(seeded, as_counsellor):
    page = as_counsellor.get("/c/").get_data(as_text=True)
    assert names(page) == ["Jonas", "Ringer", "Flagg", "Stille", "Slutter", "Timer", "Melding",
                           "Rolig"]
    rows = rows_of(page)
    assert "Utfordring som haster meldt" in rows["Jonas"] and "ikke sett" in rows["Jonas"]
    assert "Ber om å bli ringt (I dag), sendt for" in rows["Ringer"]
    assert "1 utfordring å følge opp (Fravær)" in rows["Flagg"]
    assert "Ingen dagslogg på" in rows["Stille"] and "arbeidsdager" in rows["Stille"]
    assert "Avtalen slutter om 7 dager, ingen beslutning om forlengelse" in rows["Slutter"]
    assert "Mentortimer" in rows["Timer"] and "% av avtalen" in rows["Timer"]
    assert "1 ny melding fra mentor" in rows["Melding"]
    assert "Ingenting trenger deg nå." in rows["Rolig"]
    assert "8 forløp" in page and "7 trenger deg nå" in page


def test_a_call_request_shows_its_age(app, world, seeded, as_mentor, as_counsellor):
    three_hours_ago = clock.now() - timedelta(hours=3, minutes=5)
    call_request(as_mentor, seeded["Rolig"], urgency="this_week", at=three_hours_ago)
    as_counsellor.post("/language", data={"csrf_token": as_counsellor.csrf_token, "locale": "en"})
    rows = rows_of(as_counsellor.get("/c/").get_data(as_text=True))
    assert "Asks to be called (This week), asked 3 hours ago" in rows["Rolig"]


def test_among_call_requests_the_most_urgent_then_the_oldest_comes_first(
        app, world, as_mentor, as_counsellor):
    older = new_placement(app, world, "Eldre")
    newer = new_placement(app, world, "Nyere")
    today_ = new_placement(app, world, "Idag")
    call_request(as_mentor, older, urgency="this_week", at=clock.now() - timedelta(hours=5))
    call_request(as_mentor, newer, urgency="this_week", at=clock.now() - timedelta(hours=1))
    call_request(as_mentor, today_, urgency="today", at=clock.now() - timedelta(minutes=5))
    order = names(as_counsellor.get("/c/").get_data(as_text=True))
    assert order.index("Idag") < order.index("Eldre") < order.index("Nyere")


def test_answering_moves_a_placement_down(seeded, as_counsellor, db):
    flag_id = db.execute("SELECT event_id FROM flags WHERE placement_id = ?",
                         [seeded["Jonas"]]).fetchone()[0]
    as_counsellor.post(f"/c/p/{seeded['Jonas']}/flags/{flag_id}/acknowledge",
                       data={"csrf_token": as_counsellor.csrf_token})
    page = as_counsellor.get("/c/").get_data(as_text=True)
    # An acknowledged urgent flag still needs following up: tier 3, before the younger Flagg.
    assert names(page)[:3] == ["Ringer", "Jonas", "Flagg"]
    assert "utfordring å følge opp (Konflikt)" in rows_of(page)["Jonas"]


def test_opening_a_placement_reads_its_new_messages(seeded, as_counsellor):
    as_counsellor.get(f"/c/p/{seeded['Melding']}")
    rows = rows_of(as_counsellor.get("/c/").get_data(as_text=True))
    assert "ny melding" not in rows["Melding"]


def test_backup_sees_the_placements_they_back_up_and_is_told_so(world, as_mentor, as_backup):
    flag(as_mentor, world.placements["p1"], severity="urgent")
    page = as_backup.get("/c/").get_data(as_text=True)
    rows = rows_of(page)
    assert set(rows) == {"Jonas", "Amina"}
    assert "Du er reserve" in rows["Jonas"] and "Du er reserve" not in rows["Amina"]
    assert names(page)[0] == "Jonas"


@pytest.mark.parametrize(("query", "expected"), [
    ("reason=stale", ["Stille"]),
    ("reason=urgent_flag", ["Jonas"]),
    ("reason=call_request", ["Ringer"]),
    ("reason=ending", ["Slutter"]),
    ("reason=hours", ["Timer"]),
    ("reason=message", ["Melding"]),
    ("reason=none", ["Rolig"]),
    ("role=backup", []),
    ("status=ended", []),
    ("reason=nonsense", ["Jonas", "Ringer", "Flagg", "Stille", "Slutter", "Timer", "Melding",
                         "Rolig"]),
])
def test_filters(seeded, as_counsellor, query, expected):
    page = as_counsellor.get(f"/c/?{query}")
    assert page.status_code == 200
    assert names(page.get_data(as_text=True)) == expected


def test_filter_by_workplace_and_mentor(app, world, seeded, as_counsellor):
    other = new_placement(app, world, "Kafe", mentor="mentor_b", workplace="w2")
    page = as_counsellor.get(f"/c/?workplace={world.ids['w2']}").get_data(as_text=True)
    assert names(page) == ["Kafe"]
    page = as_counsellor.get(f"/c/?mentor={world.ids['mentor_b']}").get_data(as_text=True)
    assert names(page) == ["Kafe"]
    page = as_counsellor.get("/c/").get_data(as_text=True)
    assert f'<option value="{world.ids["w2"]}">Kafé 2</option>' in page
    assert other in [int(i) for i in re.findall(r'href="/c/p/(\d+)"', page)]


def test_ended_placements_are_listed_under_their_filter(world, seeded, as_counsellor):
    as_counsellor.post(f"/c/p/{seeded['Rolig']}/end", data={
        "csrf_token": as_counsellor.csrf_token, "outcome": "employed"})
    assert "Rolig" not in names(as_counsellor.get("/c/").get_data(as_text=True))
    assert names(as_counsellor.get("/c/?status=ended").get_data(as_text=True)) == ["Rolig"]
    assert "Rolig" in names(as_counsellor.get("/c/?status=all").get_data(as_text=True))


def test_filters_with_htmx_answer_only_the_list(seeded, as_counsellor):
    response = as_counsellor.get("/c/?reason=stale", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert page.lstrip().startswith('<div id="caseload-rows"') and "<html" not in page
    assert names(page) == ["Stille"]
    assert 'hx-get="/c/?status=active&amp;reason=stale"' in page


def test_the_list_refreshes_only_when_something_changed(world, seeded, as_mentor,
                                                         as_counsellor, db):
    page = as_counsellor.get("/c/").get_data(as_text=True)
    version = version_of(page)
    assert 'hx-trigger="every 30s, refresh"' in page
    audit_lines = db["audit_log"].count
    poll = as_counsellor.get(f"/c/?status=active&v={version}", headers={"HX-Request": "true"})
    assert poll.status_code == 204 and poll.data == b""
    assert db["audit_log"].count == audit_lines  # nothing was shown, nothing to audit
    flag(as_mentor, seeded["Rolig"], severity="urgent")
    poll = as_counsellor.get(f"/c/?status=active&v={version}", headers={"HX-Request": "true"})
    assert poll.status_code == 200
    fresh = poll.get_data(as_text=True)
    assert names(fresh)[:2] == ["Jonas", "Rolig"] and version_of(fresh) != version


def test_the_caseload_leaves_an_audit_line(world, as_counsellor, db):
    as_counsellor.get("/c/?reason=stale")
    line = next(db.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1"))
    assert line["action"] == "caseload" and line["user_id"] == world.ids["counsellor_a"]
    assert "reason=stale" in line["detail"]


def test_the_caseload_in_english(seeded, as_counsellor):
    as_counsellor.post("/language", data={"csrf_token": as_counsellor.csrf_token, "locale": "en"})
    rows = rows_of(as_counsellor.get("/c/").get_data(as_text=True))
    assert "The agreement ends in 7 days, no decision on extension" in rows["Slutter"]
    assert "1 new message from the mentor" in rows["Melding"]


# The rules on their own, with a fixed clock ------------------------------------------------

def _placement(**changes) -> dict:
    placement = {"id": 1, "status": "active", "start_date": "2026-11-02",
                 "end_date": "2027-02-01", "extension_status": "undecided",
                 "agreed_minutes_per_week": 120}
    placement.update(changes)
    return placement


@pytest.mark.parametrize(("last_log", "today", "stale"), [
    ("2026-11-19", date(2026, 11, 23), False),  # Thu → Mon: only Friday missed
    ("2026-11-19", date(2026, 11, 25), True),   # Thu → Wed: Fri, Mon, Tue missed
    ("2026-11-20", date(2026, 11, 25), False),  # Fri → Wed: Mon, Tue
    (None, date(2026, 11, 4), False),           # started Monday, nothing yet: Mon, Tue
    (None, date(2026, 11, 5), True),            # Mon, Tue, Wed
    ("2026-03-31", date(2026, 4, 7), False),    # over Easter only Wed 1 Apr was a working day
    ("2026-03-31", date(2026, 4, 10), True),    # Wed 1, Tue 7, Wed 8, Thu 9
])
def test_no_log_counts_whole_working_days(app, last_log, today, stale):
    with app.test_request_context():
        placement = _placement(start_date="2026-11-02" if last_log is None else "2026-01-05")
        reason = caseload._stale_reason(placement, last_log, today, 3)
    assert (reason is not None) == stale


@pytest.mark.parametrize(("end", "decision", "expected"), [
    ("2026-12-07", "undecided", "ending"),
    ("2026-12-10", "undecided", None),        # 15 days: not yet
    ("2026-12-07", "extending", None),        # decided
    ("2026-11-20", "extending", "ending"),    # past the end and still running
])
def test_agreement_ending(app, end, decision, expected):
    with app.test_request_context():
        reason = caseload._ending_reason(_placement(end_date=end, extension_status=decision),
                                        date(2026, 11, 23))
    assert (reason.code if reason else None) == expected


@pytest.mark.parametrize(("minutes", "far_above"), [(480, False), (719, False), (720, True),
                                                    (2000, True)])
def test_mentor_hours_far_above_the_agreement(app, minutes, far_above):
    # 2 h a week agreed, four weeks in the window: 8 h expected, far above from 12 h (150 %).
    with app.test_request_context():
        reason = caseload._hours_reason(_placement(start_date="2026-01-05"), minutes,
                                       date(2026, 11, 23))
    assert (reason is not None) == far_above


def test_assess_with_a_given_clock(app, world, as_mentor, db):
    now = clock.now()
    p1 = world.placements["p1"]
    flag(as_mentor, p1, severity="urgent", at=now - timedelta(hours=1))
    with app.test_request_context():
        from mentorapp.store import placements

        class User:
            id = world.ids["counsellor_a"]

        [row] = caseload.assess(db, User, [placements.get(db, p1)], now=now)
    assert row.tier == caseload.URGENT
    assert row.reasons[0].text == "Utfordring som haster meldt for 1 time siden, ikke sett"


def test_the_list_counts_each_reason_and_links_to_its_filter(seeded, as_counsellor):
    page = as_counsellor.get("/c/").get_data(as_text=True)
    counts = page.split('<ul class="reason-counts"')[1].split("</ul>")[0]
    assert '<a href="/c/?status=active&amp;reason=stale">Ingen dagslogg i det siste: 1</a>' in counts
    assert "Utfordring som haster: 1" in counts and "Ingenting trenger deg" not in counts


@pytest.mark.parametrize(("text", "expected"), [
    ("maj", []), ("STILLE", ["Stille"]), ("lager 1", None), ("Ahmed", None), ("  ", None),
])
def test_filter_by_name(seeded, as_counsellor, text, expected):
    everyone = names(as_counsellor.get("/c/").get_data(as_text=True))
    shown = names(as_counsellor.get("/c/", query_string={"q": text}).get_data(as_text=True))
    assert shown == (everyone if expected is None else expected)


# The "no log" default at page level: the rules above take the limit as an argument, so only
# the page shows that the app's default is 3 whole working days.

def _working_day_before_today(n: int) -> date:
    """The n-th working day before today (1: the last one), by the Norwegian calendar."""
    day, found = clock.today(), 0
    while found < n:
        day -= timedelta(days=1)
        if worktime.is_working_day(day):
            found += 1
    return day


def test_no_log_is_flagged_after_three_whole_working_days_missed(app, world, as_mentor,
                                                                 as_counsellor):
    # Logged 3 working days ago: two whole working days missed since (today does not count
    # until it is over), not yet a reason. 4 working days ago: three missed, flagged.
    assert app.config["STALE_LOG_WORKDAYS"] == 3
    for name, working_days_ago in (("Tre", 3), ("Fire", 4)):
        placement = new_placement(app, world, name)
        send(as_mentor, daily_log(placement, _working_day_before_today(working_days_ago),
                                  minutes=0))
    rows = rows_of(as_counsellor.get("/c/").get_data(as_text=True))
    assert "Ingen dagslogg" not in rows["Tre"]
    assert "Ingen dagslogg på 3 arbeidsdager" in rows["Fire"]
    stale = names(as_counsellor.get("/c/?reason=stale").get_data(as_text=True))
    assert "Fire" in stale and "Tre" not in stale


def test_the_flag_filter_shows_problems_to_follow_up_but_not_unseen_urgent_ones(seeded,
                                                                                 as_counsellor):
    # Jonas's urgent flag is not acknowledged: it is "urgent_flag", not yet "flag".
    assert names(as_counsellor.get("/c/?reason=flag").get_data(as_text=True)) == ["Flagg"]


def test_the_role_filter_separates_backup_from_responsible(world, as_backup):
    # counsellor_a2 is backup on Jonas (p1) and responsible for Amina (p2).
    assert names(as_backup.get("/c/?role=backup").get_data(as_text=True)) == ["Jonas"]
    assert names(as_backup.get("/c/?role=responsible").get_data(as_text=True)) == ["Amina"]
