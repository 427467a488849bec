"""The daily log form with JavaScript: every field the mentor fills in reaches the outbox, and
then the server, normalised exactly as the server reads the same form without JavaScript
(tasks split and each kept once, texts trimmed, numbers as numbers)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from werkzeug.datastructures import MultiDict

from mentorapp.domain import clock
from mentorapp.mentor.entries import read_daily_log
from mentorapp.web.forms import Form
from tests.browser.conftest import phone_context
from tests.support.phone import (
    ApiClient,
    event,
    open_as,
    outbox_entries,
    stored,
    wait_for_status,
)

# Typed the way mentors type: a task tapped as a chip typed again in other case, commas and
# semicolons mixed, empty pieces, a repeat, stray spaces.
TYPED_TASKS = "Oppvask, Rydding; kasse ;; rydding,  Bord "
NOTE = "  Gikk fint i dag.\nSpurte selv om mer å gjøre.  "


# A server of its own (own_server): the logs written here would otherwise become the next
# tests' defaults (the form offers the last minutes, mastery and tasks again).
@pytest.fixture
def context(browser, own_server):
    context = phone_context(browser, own_server.url)
    yield context
    context.close()


def test_every_field_of_the_log_reaches_the_server_as_the_form_without_javascript_gives_it(
        context, own_server):
    p2 = own_server.world.placements["p2"]
    # Earlier logs teach the form its task chips: one such log, on another day.
    seeded = ApiClient(own_server, "mentor_b").sync([event("daily_log", p2, {
        "date": (clock.today() - timedelta(days=20)).isoformat(), "attendance": "on_time",
        "tasks": ["Kasse", "Oppvask"], "minutes": 30})])
    assert seeded.json()["results"][0]["status"] == "created"
    day = (clock.today() - timedelta(days=9)).isoformat()

    page = open_as(context, own_server, "mentor_b")
    page.goto(f"/m/p/{p2}/log")
    page.wait_for_selector("form[data-entry-form][data-enhanced=yes]", state="attached")
    page.get_by_label("Dag", exact=True).fill(day)
    assert page.locator("[data-correction-notice]").is_hidden()  # a day nobody logged
    page.locator("#attendance-field").get_by_text("Kom i tide", exact=True).click()
    page.locator("#mastery-field").get_by_text("Mestret", exact=True).click()
    page.locator("#social-field").get_by_text("Med i fellesskapet", exact=True).click()
    page.locator("#wellbeing-field").get_by_text("Bra", exact=True).click()
    chip = page.locator("#tasks-field").get_by_label("Kasse", exact=True)
    assert not chip.is_checked()
    page.locator("#tasks-field").get_by_text("Kasse", exact=True).click()
    assert chip.is_checked()
    page.get_by_label("Andre oppgaver (valgfritt)").fill(TYPED_TASKS)
    minutes = page.get_by_label("Tiden din som mentor i dag (minutter)")
    assert minutes.input_value() == "30"  # the last log's, offered again
    minutes.fill("45")
    page.get_by_label("Notat (valgfritt)").fill(NOTE)

    context.set_offline(True)
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(lambda url: url.endswith("/m/"))
    [entry] = [e for e in outbox_entries(page)
               if e["event"]["type"] == "daily_log" and e["event"]["payload"]["date"] == day]
    expected = {"date": day, "attendance": "on_time", "mastery": 3, "social": 3, "wellbeing": 3,
                "tasks": ["Kasse", "Oppvask", "Rydding", "Bord"], "minutes": 45,
                "note": "Gikk fint i dag.\nSpurte selv om mer å gjøre."}
    assert entry["event"]["payload"] == expected
    # The same fields as the browser would post them without JavaScript, read by the
    # server's own form reader: both ways must give one and the same entry.
    posted = MultiDict([("date", day), ("attendance", "on_time"), ("mastery", "3"),
                        ("social", "3"), ("wellbeing", "3"), ("tasks", "Kasse"),
                        ("tasks_other", TYPED_TASKS), ("minutes", "45"), ("note", NOTE)])
    form = Form(posted)
    without_javascript = read_daily_log(form, {"start_date": (clock.today() - timedelta(days=30)).isoformat()})
    assert form.errors == {}
    assert without_javascript == expected

    context.set_offline(False)  # the `online` event sends it
    assert wait_for_status(page, pending=0, rejected=0)["state"] == "ok"
    [row] = stored(own_server.database, [entry["id"]])
    assert json.loads(row["payload"]) == expected
    assert row["amends"] is None
    assert page.js_errors == []


def test_a_log_kept_from_the_participant_travels_the_same_way_with_and_without_javascript(
        context, own_server):
    p2 = own_server.world.placements["p2"]
    day = (clock.today() - timedelta(days=3)).isoformat()
    page = open_as(context, own_server, "mentor_b")
    page.goto(f"/m/p/{p2}/log")
    page.wait_for_selector("form[data-entry-form][data-enhanced=yes]", state="attached")
    box = page.get_by_label("Amina kan lese denne loggen")
    assert box.is_checked()  # visible to the participant unless the mentor says otherwise
    assert "Fjern krysset for å holde denne mellom deg og NAV." in page.content()
    page.get_by_label("Dag", exact=True).fill(day)
    page.locator("#attendance-field").get_by_text("Kom i tide", exact=True).click()
    box.uncheck()
    context.set_offline(True)
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_url(lambda url: url.endswith("/m/"))
    [entry] = [e for e in outbox_entries(page)
               if e["event"]["type"] == "daily_log" and e["event"]["payload"]["date"] == day]
    expected = {"date": day, "attendance": "on_time", "visible_to_participant": False}
    assert entry["event"]["payload"] == expected
    # The same form posted without JavaScript: the unticked box sends nothing, the hidden
    # field says the box was there.
    form = Form(MultiDict([("date", day), ("attendance", "on_time"),
                           ("visibility_asked", "1")]))
    read = read_daily_log(form, {"start_date": (clock.today() - timedelta(days=30)).isoformat()})
    assert form.errors == {}
    assert read == expected
    context.set_offline(False)
    assert wait_for_status(page, pending=0, rejected=0)["state"] == "ok"
    [row] = stored(own_server.database, [entry["id"]])
    assert json.loads(row["payload"])["visible_to_participant"] is False
    assert page.js_errors == []
