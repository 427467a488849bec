// The peer's service worker, as Enketo Express's offline mode works: the form page and its
// resources precached at install, then served from the cache first, so the form opens
// without a network. __VERSION__ and the list are filled in by the build.
const CACHE = "enketo-peer-__VERSION__";
const PRECACHE = /*PRECACHE*/[];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(self.clients.claim());
});
self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  event.respondWith(caches.match(event.request, { ignoreSearch: true }).then(
    (cached) => cached || fetch(event.request)));
});
