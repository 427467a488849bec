"""The coordinator's overview: anonymised figures over the network's placements, with no
figure built from fewer than 5 placements and no free text from any case."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from mentorapp.domain import clock
from mentorapp.network import figures
from mentorapp.store import aggregates
from tests.support.clients import signed_in
from tests.support.events import daily_log, event, sync
from tests.support.network import add_placements

SECRETS = ("Jonas", "Amina", "Siri", "Jonas var sliten i dag", "Hemmelig notat", "Privat tema",
           "Møte presis", "Ahmed Mentor", "Ekstra Mentor", "Lager 1 AS")


def main_of(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def last_week(today=None):
    today = today or clock.today()
    return today - timedelta(days=today.weekday()) - timedelta(weeks=1)


def compute(app, db, world, network="network_1"):
    with app.test_request_context():
        return figures.overview(db, world.ids[network], clock.today())


def test_with_few_placements_nothing_is_shown(app, world, as_mentor, as_coordinator, db):
    # Two placements in the network, both logging: every figure rests on fewer than 5.
    monday = last_week()
    sync(as_mentor, [daily_log(world.placements["p1"], monday + timedelta(days=d), note="Jonas var sliten i dag")
                     for d in range(5)])
    sync(as_mentor, [event("flag", world.placements["p1"], {"category": "conflict",
                                                            "severity": "attention",
                                                            "note": "Hemmelig notat"})])
    page = main_of(as_coordinator.get("/n/").get_data(as_text=True))
    assert "Vises ikke: færre enn 5 forløp" in page
    assert '<p class="stat-value">2</p>' not in page
    assert "Vises ikke: forespørslene om å ringe kom fra færre enn 5 forløp" in page
    assert '<rect class="chart-bar"' not in page  # not a single bar
    for secret in SECRETS:
        assert secret not in page
    numbers = compute(app, db, world)
    assert not numbers["active_placements"].shown
    assert not any(v.shown for v in numbers["logs"] + numbers["flags"] + numbers["hours"])


@pytest.mark.parametrize(("extra", "shown"), [(4, False), (5, True)])
def test_a_figure_is_shown_from_exactly_five_placements(app, world, db, extra, shown):
    add_placements(app, db, world, extra, weeks=2)
    numbers = compute(app, db, world)
    logs = {v.extra["monday"]: v for v in numbers["logs"]}
    week = logs[last_week()]
    assert week.placements == extra and week.value == 5 * extra
    assert week.shown is shown
    [absence] = [v for v in numbers["flags"] if v.extra["code"] == "absence"]
    assert (absence.value, absence.shown) == (extra, shown)
    assert numbers["response"]["shown"] is shown
    # The network has the world's two placements besides: 6 or 7 active, always enough.
    assert numbers["active_placements"].value == 2 + extra and numbers["active_placements"].shown


def test_the_overview_page_shows_figures_with_tables_and_no_case_text(app, world, as_coordinator, db):
    add_placements(app, db, world, 5, weeks=4)
    page = main_of(as_coordinator.get("/n/").get_data(as_text=True))
    for secret in SECRETS:
        assert secret not in page
    assert '<p class="stat-value">7</p>' in page  # 2 + 5 active placements
    # logs per week: 5 placements × 5 working days in each of the last 4 weeks
    week = last_week()
    assert f"<th scope=\"row\">Uke {week.isocalendar().week}</th>" in page
    assert '<td class="num">25</td>' in page
    assert page.count('role="img"') == 4  # logs, flags, response times, hours
    assert page.count("<table>") == 4
    # response times: 1..5 working hours → median 3, 90th percentile 4.6
    assert "<td class=\"num\">3 t</td>" in page and "<td class=\"num\">4,6 t</td>" in page


def test_response_times_median_and_90th_percentile(app, world, db):
    add_placements(app, db, world, 6, weeks=3)  # answered after 1, 2, 3, 4, 5, 1 working hours
    response = compute(app, db, world)["response"]
    assert response["shown"]
    assert response["median"].value == pytest.approx(2.5)
    assert response["p90"].value == pytest.approx(4.5)
    assert (response["answered"].value, response["waiting"].value) == (6, 0)


def test_an_unanswered_call_counts_as_waiting(app, world, db):
    made = add_placements(app, db, world, 5, weeks=3)
    db.execute("UPDATE call_requests SET status = 'sent', seen_at = NULL WHERE placement_id = ?",
               [made[0]])
    db.conn.commit()
    response = compute(app, db, world)["response"]
    assert (response["answered"].value, response["waiting"].value) == (4, 1)


def test_hours_logged_against_agreed(app, world, db):
    add_placements(app, db, world, 5, weeks=2, minutes=30)
    hours = {v.extra["monday"]: v for v in compute(app, db, world)["hours"]}
    week = hours[last_week()]
    # 5 placements log 30 min a day; 7 placements (2 of the world's) agreed 2 h a week.
    assert week.shown and week.placements == 7
    assert week.value == pytest.approx(12.5) and week.extra["agreed"] == pytest.approx(14)
    long_ago = hours[last_week() - timedelta(weeks=10)]
    assert not long_ago.shown and long_ago.placements == 0


def test_a_placement_counts_for_the_network_of_its_workplace(app, world, db):
    add_placements(app, db, world, 5, workplace="w3", weeks=2)  # in network 2
    first, second = compute(app, db, world, "network_1"), compute(app, db, world, "network_2")
    assert not first["active_placements"].shown and first["active_placements"].value == 2
    assert second["active_placements"].value == 6 and second["active_placements"].shown


def test_each_coordinator_sees_their_own_network(app, world, db):
    add_placements(app, db, world, 5, weeks=2)
    other = signed_in(app, world, "coordinator_b")
    page = main_of(other.get("/n/").get_data(as_text=True))
    assert '<rect class="chart-bar"' not in page and '<p class="stat-value">7</p>' not in page


def test_ended_placements_are_not_active(app, world, db):
    made = add_placements(app, db, world, 5, weeks=2)
    db.execute("UPDATE placements SET status = 'ended', ended_at = ? WHERE id = ?",
               [clock.now_iso(), made[0]])
    db.conn.commit()
    assert compute(app, db, world)["active_placements"].value == 6


def test_the_aggregate_queries_use_indexes_only(app, world, db):
    """No full scan of a case table: the cost follows the network, not the whole app."""
    add_placements(app, db, world, 5, weeks=2)
    captured: list[tuple[str, object]] = []
    with db.tracer(lambda sql, params: captured.append((sql, params))), app.test_request_context():
        figures.overview(db, world.ids["network_1"], clock.today())
    queries = [(sql, params) for sql, params in captured if "workplaces" in sql]
    assert len(queries) == 6
    for sql, params in queries:
        plan = " | ".join(row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params or []))
        for table in ("placements", "day_logs", "flags", "call_requests", "mentor_time"):
            assert f"SCAN {table}" not in plan, plan
        assert "workplaces_network" in plan, plan


def test_only_coordinators_open_the_overview(as_mentor, as_counsellor, as_admin):
    for client in (as_mentor, as_counsellor, as_admin):
        assert client.get("/n/").status_code == 404


def test_aggregates_return_counts_only(app, world, db):
    add_placements(app, db, world, 5, weeks=2)
    span = figures.window(clock.today())
    start, end = span.utc()
    rows = aggregates.call_requests(db, world.ids["network_1"], start, end)
    assert set(rows[0]) == {"placement_id", "requested_at", "answered_at"}
    assert set(aggregates.logs_per_week(db, world.ids["network_1"], span.start.isoformat(),
                                        span.end.isoformat())[0]) == {"week", "logs", "placements"}


def section(page: str, heading_id: str) -> str:
    return page.split(f'aria-labelledby="{heading_id}"', 1)[1].split("</section>", 1)[0]


def test_many_flags_and_calls_from_two_placements_are_not_shown(app, world, as_mentor, as_coordinator, db):
    # Enough placements in the network for its head counts, but every flag and call request
    # comes from the world's two: six rows each, from fewer than 5 placements. Counting rows
    # instead of distinct placements would show them, and the coordinator could then tell
    # which participant had trouble.
    add_placements(app, db, world, 5, weeks=2, flag_category=None, calls=False)
    as_mentor_b = signed_in(app, world, "mentor_b")
    at = datetime.combine(last_week() + timedelta(days=1), time(10), tzinfo=clock.OSLO)
    calls = []
    for client, key in ((as_mentor, "p1"), (as_mentor_b, "p2")):
        placement = world.placements[key]
        batch = [event("flag", placement, {"category": "conflict", "severity": "attention",
                                           "note": "Hemmelig notat"}, at=at + timedelta(minutes=n))
                 for n in range(3)]
        asked = [event("call_request", placement, {"urgency": "two_days", "topic": "Privat tema"},
                       at=at + timedelta(minutes=n)) for n in range(3)]
        results = sync(client, batch + asked).get_json()["results"]
        assert {r["status"] for r in results} == {"created"}, results
        calls += asked
    # Answered, so that the response times are hidden for the rule and not for want of data.
    for call in calls:
        db.execute("UPDATE call_requests SET status = 'seen', seen_at = ? WHERE event_id = ?",
                   [clock.iso(at + timedelta(hours=2)), call["id"]])
    db.conn.commit()

    numbers = compute(app, db, world)
    assert numbers["active_placements"].shown  # 7: the network as a whole is big enough
    [conflict] = [v for v in numbers["flags"] if v.extra["code"] == "conflict"]
    assert (conflict.value, conflict.placements, conflict.shown) == (6, 2, False)
    response = numbers["response"]
    assert (response["answered"].value, response["answered"].placements) == (6, 2)
    assert response["shown"] is False and not response["median"].shown

    page = main_of(as_coordinator.get("/n/").get_data(as_text=True))
    flags = section(page, "flags-h")
    assert "flags-chart" not in flags and "<table>" not in flags
    assert "Vises ikke: hvert tall her bygger på færre enn 5 forløp." in flags
    calls_part = section(page, "calls-h")
    assert "calls-chart" not in calls_part and " t</td>" not in calls_part
    assert "Vises ikke: forespørslene om å ringe kom fra færre enn 5 forløp" in calls_part
    for secret in SECRETS:
        assert secret not in page


def test_the_mentors_figure_counts_distinct_mentors(app, world, as_coordinator, db):
    made = add_placements(app, db, world, 5, weeks=2)
    # One mentor follows two placements: 7 active placements, 6 mentors following them.
    db.execute("UPDATE placements SET mentor_id = ? WHERE id = ?", [world.ids["mentor_a"], made[0]])
    db.conn.commit()
    numbers = compute(app, db, world)
    assert (numbers["active_placements"].value, numbers["mentors"].value) == (7, 6)
    assert numbers["mentors"].shown
    page = main_of(as_coordinator.get("/n/").get_data(as_text=True))
    following = page.split("Mentorer som følger dem</p>", 1)[1].split("</div>", 1)[0]
    assert '<p class="stat-value">6</p>' in following


def test_the_mentors_figure_is_hidden_with_fewer_than_five_placements(app, world, as_coordinator):
    page = main_of(as_coordinator.get("/n/").get_data(as_text=True))
    following = page.split("Mentorer som følger dem</p>", 1)[1].split("</div>", 1)[0]
    assert "stat-value" not in following and "Vises ikke: færre enn 5 forløp" in following
