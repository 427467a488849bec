"""The app is installable: Chromium itself finds no installability error (CDP
Page.getInstallabilityErrors, in a persistent context as an installed app would have)."""

from __future__ import annotations

import pytest

from tests.support.browser import LAUNCH_ARGS


@pytest.fixture
def persistent_context(playwright_instance, browser_executable, live_server, tmp_path):
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=browser_executable, args=LAUNCH_ARGS,
        base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo", viewport={"width": 390, "height": 844})
    yield context
    context.close()


def test_chromium_finds_the_app_installable(persistent_context):
    page = persistent_context.pages[0] if persistent_context.pages else persistent_context.new_page()
    page.goto("/login")
    scope = page.evaluate("""async () => {
        const registration = await navigator.serviceWorker.ready;
        return registration.scope;
    }""")
    assert scope.endswith("/")
    page.reload()  # now under the service worker's control, as on a second visit
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    cdp = persistent_context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == [], errors


def test_the_manifest_is_what_the_home_screen_shows(persistent_context):
    page = persistent_context.new_page()
    page.goto("/login")
    manifest = page.evaluate("""async () => {
        const link = document.querySelector('link[rel=manifest]');
        return (await fetch(link.href)).json();
    }""")
    assert manifest["name"] and manifest["short_name"] == "mentorapp"
    assert manifest["lang"] == "nb-NO" and manifest["theme_color"]
    for icon in manifest["icons"]:
        size = page.evaluate("""async (src) => {
            const bitmap = await createImageBitmap(await (await fetch(src)).blob());
            return `${bitmap.width}x${bitmap.height}`;
        }""", icon["src"])
        assert size == icon["sizes"], icon
