// Resources kept for offline reading. Imported by the service worker (static/js/sw.js),
// whose own fetch handler leaves the file URLs below to this one.
//
// A mentor taps "Keep on this phone" on a resource file: the page sends
// {type: "keep-resource", url} (or "drop-resource") and this worker fetches the file into
// the cache "mentorapp-resources", answering on the message port. Afterwards the file is
// answered from that cache first, so it opens without coverage.
const RESOURCE_CACHE = "mentorapp-resources";
const RESOURCE_FILE = /^\/n\/resources\/\d+\/file$/;

function resourcePath(url) {
  const parsed = new URL(url, self.location.origin);
  if (parsed.origin !== self.location.origin || !RESOURCE_FILE.test(parsed.pathname)) return null;
  return parsed.pathname;
}

async function fromCacheFirst(request) {
  const cache = await caches.open(RESOURCE_CACHE);
  const kept = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  // Not kept: straight from the server, and not stored (only what the mentor chose is).
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET" || !resourcePath(event.request.url)) return;
  event.respondWith(fromCacheFirst(event.request));
});

async function keep(path) {
  const response = await fetch(path, { credentials: "same-origin", cache: "no-store" });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  const cache = await caches.open(RESOURCE_CACHE);
  await cache.put(path, response);
}

async function drop(path) {
  const cache = await caches.open(RESOURCE_CACHE);
  await cache.delete(path, { ignoreSearch: true, ignoreVary: true });
}

async function isKept(path) {
  const cache = await caches.open(RESOURCE_CACHE);
  return Boolean(await cache.match(path, { ignoreSearch: true, ignoreVary: true }));
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep-resource" && data.type !== "drop-resource") return;
  const path = resourcePath(String(data.url || ""));
  const reply = (answer) => {
    const message = { type: `${data.type}-done`, url: data.url, ...answer };
    if (event.ports && event.ports[0]) event.ports[0].postMessage(message);
    else if (event.source) event.source.postMessage(message);
  };
  if (!path) {
    reply({ ok: false, error: "not a resource file" });
    return;
  }
  const work = (data.type === "keep-resource" ? keep(path) : drop(path))
    .then(async () => reply({ ok: true, kept: await isKept(path) }))
    .catch(async (error) => reply({ ok: false, kept: await isKept(path), error: String(error) }));
  event.waitUntil(work);
});
