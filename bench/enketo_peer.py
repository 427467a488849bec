"""The peer of the phone benchmark: Enketo's web form on an equivalent three-field daily
form, offline, measured on the same phone profile in the same run (issue 14, point 4).

What is measured, and how it differs from Enketo Express (docs/performance.md, "The peer"):
`enketo-express` is not published on npm, and its source cannot be set up here (its
dependencies include GitHub git URLs, which this machine cannot reach, and it needs Redis
and an OpenRosa form server). What Express serves to a phone is, in the main, Enketo's
form engine: `enketo-core` with a form that `enketo-transformer` made from an XForm, in
a page with Enketo's theme, kept offline by a service worker, records saved in IndexedDB.
That is what this builds from the npm registry (bench/enketo/package.json, pinned in its
package-lock.json):
- the XForm bench/enketo/form.xml (attendance, mastery, social: the same questions and
  answers as mentorapp's log form), transformed once by enketo-transformer's web build in
  Chromium (its Node build needs the native libxslt, which does not build here): as
  Express serves a form from its Redis cache, no transform on the phone;
- enketo-core 8.1.0 (9.0.1, the newest, names a dependency version that is not on npm),
  bundled and minified by esbuild, with every widget, as Express's default build has them;
  one dependency (`leaflet-draw`, for map questions, which this form has none of) comes
  from npm instead of Enketo's GitHub fork (package.json "overrides");
- the formhub theme compiled by sass;
- a cache-first service worker that precaches the page and its files (Express's offline
  mode), and a save that validates the form and puts the record into IndexedDB, then
  shows "Lagret" (as Express's offline queue does).
Served gzip-compressed with long-lived caching for the versioned files (as Express's
compression and static middleware do), through the same counting proxy as mentorapp.

    python -m bench --only phone          (the peer runs beside mentorapp's phone figures)
    python -m bench.enketo_peer           (the peer alone)
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import json
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import ClassVar

from bench import phone

HERE = Path(__file__).resolve().parent / "enketo"
DIST = HERE / "dist"
TRANSFORMER = "node_modules/enketo-transformer/dist/enketo-transformer/web/transformer.js"
SAVE = "#save"
ANSWERS = (("oppmote", "on_time"), ("mestring", "3"), ("sosialt", "2"))

PAGE = """<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dagslogg</title>
<link rel="stylesheet" href="/formhub.css?v={version}">
<script type="module" src="/enketo.js?v={version}"></script>
</head>
<body class="clearfix">
<div class="main">
<article class="paper">
{form}
<section class="form-footer end">
<button id="save" class="btn btn-primary" type="button">Lagre</button>
<p id="saved" role="status" hidden>Lagret på telefonen</p>
</section>
</article>
</div>
<script type="application/xml" id="model">{model}</script>
</body>
</html>
"""


class Unavailable(Exception):
    """The peer cannot be set up here; the message says why."""


def _run(command: list[str]) -> None:
    result = subprocess.run(command, cwd=HERE, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise Unavailable(f"{' '.join(command)} failed: "
                          f"{(result.stderr or result.stdout).strip()[-400:]}")


def install() -> None:
    """npm ci when node_modules is missing or older than the lock file."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        raise Unavailable("Node and npm are needed (apt-get install npm)")
    marker = HERE / "node_modules" / ".package-lock.json"
    if not marker.exists() or marker.stat().st_mtime < (HERE / "package-lock.json").stat().st_mtime:
        _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"])


class _Files(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser accepts it; versioned files cached for
    a year, the page and the worker revalidated (no-cache)."""

    root: Path = DIST
    compressed: ClassVar[dict[str, bytes]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.root), **kwargs)

    def log_message(self, *_args) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/":
            path = "/index.html"
        file = self.root / path.lstrip("/")
        if not file.is_file() or self.root not in file.resolve().parents:
            self.send_error(404)
            return
        body = file.read_bytes()
        kind = {".html": "text/html; charset=utf-8", ".js": "text/javascript",
                ".css": "text/css", ".xml": "application/xml"}.get(file.suffix,
                                                                   "application/octet-stream")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        versioned = "?v=" in self.path
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if versioned
                         else "no-cache")
        if "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 1024:
            if path not in self.compressed:
                self.compressed[path] = gzip.compress(body, 6)
            body = self.compressed[path]
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = type("Files", (_Files,), {"root": root, "compressed": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def _transform(playwright) -> dict:
    """The XForm through enketo-transformer's web build, in Chromium."""
    from tests.support.browser import LAUNCH_ARGS, chromium_path

    (HERE / "build-page.html").write_text("<!doctype html><title>transform</title>", "utf-8")
    server, base = serve(HERE)
    try:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/build-page.html")
            return page.evaluate("""async ([module, xform]) => {
                const { transform } = await import(module);
                const result = await transform({ xform });
                return { form: result.form, model: result.model,
                         version: result.transformerVersion };
            }""", [f"/{TRANSFORMER}", (HERE / "form.xml").read_text("utf-8")])
        finally:
            browser.close()
    finally:
        server.shutdown()
        (HERE / "build-page.html").unlink(missing_ok=True)


def build(playwright) -> dict:
    """dist/: the page with the transformed form, the bundle, the theme and the worker."""
    install()
    _run(["node", "build.mjs"])
    made = _transform(playwright)
    bundle, theme = (DIST / "enketo.js").read_bytes(), (DIST / "formhub.css").read_bytes()
    version = hashlib.sha256(bundle + theme + made["form"].encode()).hexdigest()[:12]
    model = made["model"].replace("</script", "<\\/script")
    (DIST / "index.html").write_text(PAGE.format(version=version, form=made["form"],
                                                 model=model), "utf-8")
    precache = ["/", f"/formhub.css?v={version}", f"/enketo.js?v={version}"]
    worker = (HERE / "src" / "sw.js").read_text("utf-8")
    worker = worker.replace("__VERSION__", version).replace("/*PRECACHE*/[]", json.dumps(precache))
    (DIST / "sw.js").write_text(worker, "utf-8")
    versions = {name: json.loads((HERE / "node_modules" / name / "package.json").read_text(
        "utf-8"))["version"] for name in ("enketo-core", "enketo-transformer", "esbuild", "sass")}
    return {"versions": versions, "bundle_bytes": len(bundle), "theme_bytes": len(theme)}


def _save_a_day(browser, page) -> dict:
    """Tap the three answers, then Save; the harness's record of the tap and the save."""
    for name, value in ANSWERS:
        browser.tap(page, f"label:has(input[name='/daglogg/{name}'][value='{value}'])")
    browser.tap(page, SAVE)
    page.wait_for_selector("#saved", state="visible", timeout=phone.TIMEOUT_MS)
    page.wait_for_function("() => sessionStorage.getItem('bench:saved')", polling=50,
                           timeout=phone.TIMEOUT_MS)
    saved = json.loads(page.evaluate("() => sessionStorage.getItem('bench:saved')"))
    stored = page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open("enketo-peer");
        open.onsuccess = () => {
            const tx = open.result.transaction("records");
            const all = tx.objectStore("records").getAll();
            all.onsuccess = () => resolve(all.result.map((r) => r.xml));
        };
    })""")
    if not any("<oppmote>on_time</oppmote>" in xml for xml in stored):
        raise RuntimeError(f"the peer's record was not stored: {stored[:1]}")
    return saved


def one_phone(playwright, address: str, meter, user_data: Path, offline_save: bool) -> dict:
    """A new phone: the form's first visit (until it is kept offline), the browser restarted
    and the form opened online, again offline, then an ordinary day saved."""
    browser = phone.Chromium(playwright, phone.PHONE, user_data, address)
    try:
        page = browser.page()
        meter.take()
        page.goto("/", wait_until="commit", timeout=phone.TIMEOUT_MS)
        first = phone.wait_usable(page, SAVE)
        first_cls = phone.settled_cls(page)
        # Kept offline: the worker is active and its cache holds the page and its files.
        page.wait_for_function("""async () => {
            const registration = await navigator.serviceWorker.getRegistration();
            if (!registration || !registration.active) return false;
            const names = (await caches.keys()).filter((name) => name.startsWith("enketo-peer-"));
            return names.length > 0 && (await (await caches.open(names[0])).keys()).length === 3;
        }""", polling=100, timeout=phone.TIMEOUT_MS)
        ready_at, fetched = phone.kept_and_counted(browser, page, meter, "the peer's first visit")
    finally:
        browser.close()
    result = {"bytes": fetched["bytes"], "header_bytes": fetched["header_bytes"],
              "requests": fetched["requests"], "first_usable_ms": phone.usable_ms(first),
              "offline_ready_ms": ready_at - first["origin"], "cls": first_cls}
    for key, offline in (("repeat_online_ms", False), ("repeat_offline_ms", True)):
        browser = phone.Chromium(playwright, phone.PHONE, user_data, address)
        try:
            page = browser.page(offline=offline)
            page.goto("/", wait_until="commit", timeout=phone.TIMEOUT_MS)
            times = phone.wait_usable(page, SAVE)
            result[key] = phone.usable_ms(times)
            result["cls"] = max(result["cls"], phone.settled_cls(page))
            if offline and offline_save:
                saved = _save_a_day(browser, page)
            if browser.errors:
                raise RuntimeError(f"script errors on the peer: {browser.errors[:3]}")
        finally:
            browser.close()
    if not offline_save:
        browser = phone.Chromium(playwright, phone.PHONE, user_data, address)
        try:
            page = browser.page()
            page.goto("/", wait_until="commit", timeout=phone.TIMEOUT_MS)
            phone.wait_usable(page, SAVE)
            saved = _save_a_day(browser, page)
        finally:
            browser.close()
    result["saved_ms"] = saved["at"] - saved["tap"]
    result["saved_offline"] = offline_save
    return result


def figures(runs: int = phone.RUNS, say=print) -> dict:
    """The peer's phone figures: `2 * runs` new phones, half saving offline."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        built = build(playwright)
        server, base = serve(DIST)
        try:
            with tempfile.TemporaryDirectory(prefix="enketo-") as folder, \
                    phone.counting_proxy(base) as (address, meter):
                results = []
                for index in range(2 * runs):
                    results.append(one_phone(playwright, address, meter,
                                             Path(folder) / f"profile-{index}",
                                             offline_save=index % 2 == 0))
                    last = results[-1]
                    say(f"Enketo peer, phone {index + 1}/{2 * runs}: first visit "
                        f"{last['bytes'] / 1024:.1f} KB, form usable {last['first_usable_ms']:.0f} ms; "
                        f"repeat open {last['repeat_online_ms']:.0f} / "
                        f"{last['repeat_offline_ms']:.0f} ms; saved {last['saved_ms']:.0f} ms")
        finally:
            server.shutdown()
    spread = phone.spread
    return {
        **built,
        "first_visit": {key: spread([r[key] for r in results]) for key in (
            "bytes", "header_bytes", "requests", "first_usable_ms", "offline_ready_ms")},
        "repeat_online_ms": spread([r["repeat_online_ms"] for r in results]),
        "repeat_offline_ms": spread([r["repeat_offline_ms"] for r in results]),
        "saved_offline_ms": spread([r["saved_ms"] for r in results if r["saved_offline"]]),
        "saved_online_ms": spread([r["saved_ms"] for r in results if not r["saved_offline"]]),
        "cls": spread([r["cls"] for r in results]),
    }


def main() -> None:
    print(json.dumps(figures(), indent=2))


if __name__ == "__main__":
    main()
