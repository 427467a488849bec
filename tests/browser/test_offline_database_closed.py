"""The phone's database after the browser closed it: clearing site data (or a disk
problem) closes the IndexedDB connection under the page; the next write must open a new
connection instead of failing on the closed one until the page is reloaded."""

from __future__ import annotations

from tests.support.phone import open_as

WRITE_AND_READ = """async (value) => {
    const idb = await import('/static/js/idb.js');
    try {
        await idb.setMeta('probe', value);
        return await idb.getMeta('probe');
    } catch (error) {
        return `${error.name}: ${error.message}`;
    }
}"""


def test_the_outbox_database_reopens_after_the_browser_closes_it(context, live_server):
    page = open_as(context, live_server, "mentor_a")
    assert page.evaluate(WRITE_AND_READ, 1) == 1
    # What "clear site data" does: the browser deletes the databases and closes every
    # connection to them (firing `close`, not `versionchange`).
    cdp = context.new_cdp_session(page)
    cdp.send("Storage.clearDataForOrigin", {"origin": live_server.url,
                                            "storageTypes": "indexeddb"})
    assert page.evaluate(WRITE_AND_READ, 2) == 2
    page.wait_for_timeout(200)  # let the close event arrive, then once more
    assert page.evaluate(WRITE_AND_READ, 3) == 3
    assert page.js_errors == []
