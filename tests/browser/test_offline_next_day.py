"""A page kept on the phone may be from yesterday. Opened offline the next morning, the
daily log must be for today (in Oslo), not for the day the page was made."""

from __future__ import annotations

from datetime import datetime, timedelta

from mentorapp.domain import clock
from tests.support.phone import open_as


def test_a_log_form_kept_from_yesterday_logs_today(context, live_server):
    p1 = live_server.world.placements["p1"]
    page = open_as(context, live_server, "mentor_a")
    page.goto(f"/m/p/{p1}/log")
    made_on = page.get_by_label("Dag", exact=True).input_value()
    assert made_on == clock.today().isoformat()

    tomorrow = clock.today() + timedelta(days=1)
    morning = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, 30, tzinfo=clock.OSLO)
    context.set_offline(True)
    page.clock.install(time=morning)
    page.goto("/m/")  # the mentor opens the app: the pages come from the service worker
    page.goto(f"/m/p/{p1}/log")
    field = page.get_by_label("Dag", exact=True)
    # mentor.js (loaded by app.js) moves the date forward as soon as it runs.
    page.wait_for_function(
        "() => document.querySelector('input[name=date]').dataset.today === '{day}'"
        .replace("{day}", tomorrow.isoformat()), timeout=10000)
    assert field.input_value() == tomorrow.isoformat()
    assert field.get_attribute("max") == tomorrow.isoformat()
    context.set_offline(False)


def test_the_scripts_texts_are_kept_with_the_pages(context, live_server):
    # The first page may fetch its texts before the service worker controls it; warming
    # keeps them anyway, or the status line would be empty offline.
    page = open_as(context, live_server, "mentor_b")
    texts = page.evaluate("document.querySelector('[data-texts]').dataset.texts")
    page.wait_for_function(f"async () => Boolean(await caches.match({texts!r}))", timeout=10000)
    context.set_offline(True)
    page.reload()
    page.wait_for_function("() => document.querySelector('#phone-status [data-status-text]')"
                           ".textContent.length > 0", timeout=10000)
    context.set_offline(False)
