"""What the server hands the phone for offline use: the service worker with its version
and shell, the scripts it imports, the manifest."""

from __future__ import annotations

import json
import re

from mentorapp.web import assets


def test_the_service_worker_starts_with_the_network_import_and_is_stamped(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.get_data(as_text=True)
    assert source.startswith('import "/static/js/sw-network.js";\n')
    assert f'const VERSION = "{assets.version()}";' in source
    assert 'const PREFIX = "mentorapp-";' in source


def test_the_shell_it_keeps_is_what_the_mentors_pages_load_under_their_urls(as_mentor):
    source = as_mentor.get("/sw.js").get_data(as_text=True)
    shell = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", source).group(1))
    paths = {url.split("?")[0] for url in shell}
    assert paths == {"/static/css/app.css", "/static/css/mentor.css", "/static/js/app.js",
                     "/static/js/outbox.js", "/static/js/mentor.js", "/static/js/entries.js",
                     "/static/js/idb.js", "/static/js/logout.js"}
    # Nothing the mentor's pages do not load (htmx, the counsellor's files): fetched and
    # kept when a page first asks for them.
    page = as_mentor.get("/m/").get_data(as_text=True)
    assert "htmx" not in page
    for url in shell:
        path = url.split("?")[0]
        if path.startswith("/static/css/") or path == "/static/js/app.js":
            # As the pages name them: versioned.
            assert re.search(r"\?v=[0-9a-f]{12}$", url), url
            assert url in page, url
        else:
            # Modules, as `import` names them (and as the page preloads them).
            assert url == path, url
        assert as_mentor.get(url).status_code == 200, url
    for module in ("mentor", "entries", "outbox", "idb"):
        assert f'<link rel="modulepreload" href="/static/js/{module}.js">' in page


def test_the_scripts_it_imports_are_served(client):
    placeholder = client.get("/static/js/sw-network.js")
    assert placeholder.status_code == 200
    for module in ("outbox.js", "idb.js"):
        assert client.get(f"/static/js/{module}").status_code == 200


def test_the_offline_page_carries_nobodys_name(client, world, as_mentor):
    page = client.get("/offline").get_data(as_text=True)
    assert "Ahmed" not in page and "Ingen forbindelse" in page


def test_the_manifest_makes_the_app_installable(client):
    manifest = client.get("/manifest.webmanifest").get_json()
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone" and manifest["lang"] == "nb-NO"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_an_unchanged_service_worker_is_not_sent_again(client):
    first = client.get("/sw.js")
    tag = first.headers["ETag"]
    again = client.get("/sw.js", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["Cache-Control"] == "no-cache"


def test_the_scripts_texts_are_kept_by_the_browser_under_their_fingerprinted_url(as_mentor):
    page = as_mentor.get("/m/").get_data(as_text=True)
    url = re.search(r'data-texts="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "v=" in url
    kept = as_mentor.get(url)
    assert kept.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    assert kept.get_json()["saved_sending"]
    # Without its fingerprint the answer may change: asked for again each time.
    assert "max-age" not in as_mentor.get("/m/texts.json").headers["Cache-Control"]
