"""Push alerts reach the service worker: it shows the alert with its title, text, icon and
tag, and keeps the link the alert opens (CDP ServiceWorker.deliverPushMessage)."""

from __future__ import annotations

import json

from tests.support.phone import wait_until


def _registration_id(page, cdp, scope: str) -> str:
    found: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: found.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    registration = wait_until(lambda: next((r for r in found if r["scopeURL"] == scope
                                            and not r["isDeleted"]), None), page=page)
    return registration["registrationId"]


def test_a_push_message_shows_an_alert_that_links_to_the_placement(context, live_server):
    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/login")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    cdp = context.new_cdp_session(page)
    registration = _registration_id(page, cdp, live_server.url + "/")
    payload = {"kind": "call_scheduled", "ref": "3f1c2a9e-0000-4000-8000-000000000001",
               "url": "/m/p/1", "id": 41, "title": "NAV vil ringe deg",
               "body": "Åpne mentorapp for å se tidspunktet."}
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": live_server.url, "registrationId": registration, "data": json.dumps(payload)})
    shown = wait_until(lambda: page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        return (await registration.getNotifications()).map((n) => ({
            title: n.title, body: n.body, tag: n.tag, icon: n.icon, data: n.data}));
    }"""), page=page)
    assert len(shown) == 1
    alert = shown[0]
    assert alert["title"] == "NAV vil ringe deg"
    assert alert["body"] == "Åpne mentorapp for å se tidspunktet."
    assert alert["tag"] == f"call_scheduled:{payload['ref']}"
    assert alert["icon"].endswith("/static/icons/icon-192.png")
    assert alert["data"]["url"] == "/m/p/1"
    assert errors == []


def test_clicking_the_alert_opens_the_page_it_points_at(context, live_server):
    from tests.browser.conftest import sign_in

    context.grant_permissions(["notifications"], origin=live_server.url)
    page = context.new_page()
    sign_in(page, live_server, "mentor_a")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    p1 = live_server.world.placements["p1"]
    worker = wait_until(lambda: next(iter(context.service_workers), None), page=page)
    # Chromium offers no way to click a system notification, so the worker gets the same
    # event a click gives: show a real notification, then hand its click to the handler.
    worker.evaluate(f"""async () => {{
        await self.registration.showNotification("NAV vil ringe deg", {{
            tag: "call_scheduled:test", data: {{url: "/m/p/{p1}"}}}});
        const [notification] = await self.registration.getNotifications({{tag: "call_scheduled:test"}});
        self.dispatchEvent(new NotificationEvent("notificationclick", {{notification}}));
    }}""")
    page.wait_for_url(f"**/m/p/{p1}")
    assert page.locator("h1").inner_text()
    remaining = page.evaluate("""async () => (await (await navigator.serviceWorker.ready)
        .getNotifications({tag: "call_scheduled:test"})).length""")
    assert remaining == 0  # the click closed it
