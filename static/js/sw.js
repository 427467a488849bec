import "/static/js/sw-network.js";

// The service worker. /sw.js serves this file with __VERSION__ replaced by the hash of
// the static files, so every deploy installs a new worker and new caches.
const VERSION = "__VERSION__";
const PREFIX = "mentorapp-";
const SHELL = `${PREFIX}shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.add("/offline")).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      // mentorapp-resources holds what mentors chose to keep (sw-network.js): never dropped here.
      if (name.startsWith(PREFIX) && name !== SHELL && name !== `${PREFIX}resources`) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.mode !== "navigate") return;
  if (/^\/n\/resources\/\d+\/file$/.test(new URL(request.url).pathname)) return; // sw-network.js
  event.respondWith(fetch(request).catch(async () => (await caches.match("/offline")) || Response.error()));
});
