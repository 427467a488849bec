"""A mentor keeps a resource on the phone and reads it without coverage: the service
worker (static/js/sw-network.js) caches the file on request and answers it offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.support import network_live
from tests.support.network import PDF, png


@pytest.fixture(scope="module")
def network_server(tmp_path_factory):
    server = network_live.start(tmp_path_factory.mktemp("network-offline"))
    yield server
    server.stop()


@pytest.fixture
def context(browser, network_server):
    context = browser.new_context(base_url=network_server.url, locale="nb-NO", timezone_id="Europe/Oslo",
                                  viewport={"width": 390, "height": 844})
    yield context
    context.close()


def keep_box(page, title: str):
    return page.locator(".resource", has_text=title).locator(".keep")


def read_offline(page, url: str) -> dict:
    return page.evaluate("""async (url) => {
        try {
            const response = await fetch(url);
            const bytes = new Uint8Array(await response.arrayBuffer());
            return {status: response.status, type: response.headers.get('content-type'),
                    head: Array.from(bytes.slice(0, 8))};
        } catch (error) { return {error: String(error)}; }
    }""", url)


def test_a_kept_resource_can_be_read_offline(context, network_server):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, network_server, "mentor_a")
    page.goto("/n/resources")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    ids = network_server.ids
    png_url, pdf_url = f"/n/resources/{ids['png']}/file", f"/n/resources/{ids['pdf']}/file"

    image = keep_box(page, "Skjema for oppfølging")
    expect(image).to_be_visible()  # shown where a service worker can keep files
    expect(image.locator(".keep-state")).to_have_text("Ikke lagret på denne telefonen.")
    image.get_by_role("button", name="Lagre på denne telefonen").click()
    expect(image.locator(".keep-state")).to_have_text(
        "Lagret på denne telefonen: du kan lese den uten dekning.")
    document = keep_box(page, "Sjekkliste for første uke")
    document.get_by_role("button", name="Lagre på denne telefonen").click()
    expect(document.locator(".keep-state")).to_contain_text("Lagret på denne telefonen")

    page.reload()  # the page remembers what is kept on this phone
    expect(keep_box(page, "Skjema for oppfølging").locator(".keep-state")).to_contain_text(
        "Lagret på denne telefonen")
    expect(keep_box(page, "Skjema for oppfølging").get_by_role(
        "button", name="Fjern fra denne telefonen")).to_be_visible()

    context.set_offline(True)
    try:
        kept = read_offline(page, pdf_url)
        assert kept["status"] == 200 and kept["type"] == "application/pdf"
        assert bytes(kept["head"]) == PDF[:8]
        response = page.goto(png_url)  # opened as a page, the way a mentor taps it
        assert response.status == 200 and response.headers["content-type"] == "image/png"
        assert page.evaluate("document.images[0].naturalWidth") == 40
        assert response.body() == png(40, 30)
    finally:
        context.set_offline(False)

    page.goto("/n/resources")
    image = keep_box(page, "Skjema for oppfølging")
    image.get_by_role("button", name="Fjern fra denne telefonen").click()
    expect(image.locator(".keep-state")).to_have_text("Ikke lagret på denne telefonen.")
    context.set_offline(True)
    try:
        assert "error" in read_offline(page, png_url)  # dropped: no longer on the phone
        assert read_offline(page, pdf_url)["status"] == 200  # the other is still kept
    finally:
        context.set_offline(False)
    assert errors == []


def test_only_resource_files_can_be_kept(context, network_server):
    page = context.new_page()
    sign_in(page, network_server, "mentor_a")
    page.goto("/n/resources")
    answer = page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        return new Promise((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = (event) => resolve(event.data);
            registration.active.postMessage({type: 'keep-resource', url: '/m/'}, [channel.port2]);
        });
    }""")
    assert answer["ok"] is False
    assert page.evaluate("caches.open('mentorapp-resources').then(c => c.keys()).then(k => k.length)") == 0
