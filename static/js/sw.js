import "/static/js/sw-network.js";
import { drain } from "/static/js/outbox.js";

// The service worker. /sw.js serves this file with the version placeholder replaced by the hash of
// the static files and the precache list filled in, so every deploy installs a new
// worker and new caches.
//
//  - static files: cache first, precached at install (the shell: CSS, scripts, icons);
//  - the mentor's pages (/m/...) and the participant's (/p/...): the network is given a short
//    head start (PAGE_PATIENCE_MS); if the fresh page is not there by then and a kept copy
//    is, the kept copy is shown at once, the fresh one is still fetched and kept, and the
//    page learns whether it says something new (message "page-news": mentor.js then offers
//    to show it). Without a kept copy: the network, or the offline page. The mentor's pages
//    are warmed after sign-in (message "warm"); logout.js deletes them;
//  - /n/resources/<id>/file is left to sw-network.js;
//  - Background Sync ("mentorapp-outbox") drains the outbox with the same drain() as the
//    pages; push shows an alert and a click opens the page it points at.
// Every cache name starts with "mentorapp-".

const VERSION = "__VERSION__";
const PREFIX = "mentorapp-";
const STATIC = `${PREFIX}static-${VERSION}`;
const PAGES = `${PREFIX}pages`;
const OWN_VERSIONED = [`${PREFIX}static-`, `${PREFIX}shell-`];
const PRECACHE = /*PRECACHE*/[];
const OFFLINE = "/offline";
const TEXTS = ["/m/texts.json", "/p/texts.json"];
const RESOURCE_FILE = /^\/n\/resources\/\d+\/file$/;
// How long a case page waits for the network before its kept copy is shown. 300 ms: on Wi-Fi or
// 4G (round trip 20-100 ms, the server's answer in tens of milliseconds) the fresh page comes
// well within it and wins, so the mentor sees NAV's latest without a cue; on one bar of 3G
// the round trip alone is 400 ms or more, so waiting longer only delays a page the phone has
// already, whose fresh copy follows anyway. (It was 4 s: a second or more on every opening.)
const PAGE_PATIENCE_MS = 300;
const SYNC_TAG = "mentorapp-outbox";
const ICON = "/static/icons/icon-192.png";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(STATIC);
    await cache.addAll(PRECACHE);
    // Fetched without cookies: the offline page must not carry anyone's name.
    const offline = await fetch(new Request(OFFLINE, { credentials: "omit" }));
    if (offline.ok) await cache.put(OFFLINE, offline);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (OWN_VERSIONED.some((prefix) => name.startsWith(prefix)) && name !== STATIC) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

function isCasePage(url) {
  return ["/m", "/p"].some((prefix) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
}

function keepable(response) {
  return response.ok && response.status === 200 && response.type === "basic" && !response.redirected
    && (response.headers.get("Content-Type") || "").startsWith("text/html");
}

async function fromStatic(request) {
  const cache = await caches.open(STATIC);
  // Pages name files with ?v=<hash>; modules import each other without it. The cache is
  // per version, so whatever it holds under the path is the right file.
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

// The scripts' texts: their URL carries the language and a fingerprint of the texts, so
// a kept copy is right for as long as the URL is the same.
async function fromCacheFirst(request) {
  const cache = await caches.open(STATIC);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(request, response.clone());
  return response;
}

async function offlinePage() {
  return (await caches.match(OFFLINE, { ignoreVary: true })) || Response.error();
}

async function cachedPage(url) {
  const cache = await caches.open(PAGES);
  return cache.match(url.href, { ignoreVary: true });
}

function timeout(ms) {
  return new Promise((resolve) => { setTimeout(() => resolve(null), ms); });
}

// Bumped at logout: a page still on its way then is not kept for the next person.
let generation = 0;

async function keep(url, response, started) {
  if (started !== generation || !keepable(response)) return false;
  const cache = await caches.open(PAGES);
  await cache.put(url, response);
  return true;
}

// Pages shown from the cache while their fresh copy was on its way: the id of the page's
// client → a promise of whether the fresh copy says something new. The page asks once
// ("page-news"), which takes its entry out; a page that never asks leaves a few bytes
// until the worker stops.
const news = new Map();

// "Something new" cannot be a byte comparison: no two answers are the same (the session's
// CSRF token, the id a form's entry will get, the time the page was made). The server
// sends X-Page-State, a hash of the page without those (mentorapp/web/pagestate.py). A
// copy kept without one (by an older version) counts as changed: we cannot tell.
function saysSomethingNew(kept, fresh) {
  const before = kept.headers.get("X-Page-State");
  return !before || before !== fresh.headers.get("X-Page-State");
}

async function casePage(event, url) {
  const started = generation;
  let stored = false;
  const network = fetch(event.request).then(async (response) => {
    stored = await keep(url.href, response.clone(), started);
    return response;
  });
  event.waitUntil(network.catch(() => null));
  const cached = await cachedPage(url);
  if (!cached) return network.catch(offlinePage);
  // The network's head start; offline, the fetch fails at once and the kept copy shows.
  const first = await Promise.race([network.catch(() => null), timeout(PAGE_PATIENCE_MS)]);
  if (first) return first;
  // The kept copy goes first. The fresh one is kept when it arrives (so "Show" finds it)
  // and counts as news only then: an error page or a redirect to the login is not kept.
  if (event.resultingClientId) {
    news.set(event.resultingClientId, network.then(
      (response) => stored && saysSomethingNew(cached, response), () => false));
  }
  return cached;
}

async function otherPage(event, url) {
  try {
    return await fetch(event.request);
  } catch {
    // The start URL (/) leads a signed-in mentor or participant to their home page (the
    // kept pages are one person's: app.js removes them when someone else signs in).
    if (url.pathname === "/") {
      for (const path of ["/m/", "/p/"]) {
        const home = await cachedPage(new URL(path, url));
        if (home) return home;
      }
    }
    return offlinePage();
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (RESOURCE_FILE.test(url.pathname)) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(fromStatic(request));
  } else if (TEXTS.includes(url.pathname)) {
    event.respondWith(fromCacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(isCasePage(url) ? casePage(event, url) : otherPage(event, url));
  }
});

// The mentor's pages, fetched after sign-in so that they open without coverage; and the
// scripts' texts, which the first page may have fetched before this worker controlled it.
async function warm(urls) {
  const started = generation;
  let kept = 0;
  await Promise.all(urls.map(async (path) => {
    const url = new URL(path, self.location.origin);
    if (url.origin !== self.location.origin) return;
    if (TEXTS.includes(url.pathname)) {
      await fromCacheFirst(new Request(url.href, { credentials: "same-origin" })).catch(() => null);
      return;
    }
    if (!isCasePage(url)) return;
    try {
      const response = await fetch(url.href, { credentials: "same-origin", cache: "no-store", redirect: "manual" });
      if (await keep(url.href, response, started)) kept += 1;
    } catch {
      // Kept at the next visit instead.
    }
  }));
  return kept;
}

// Logging out: the case pages go, and none still on their way is kept afterwards.
async function forget() {
  generation += 1;
  for (const name of await caches.keys()) {
    if (name.startsWith(PAGES)) await caches.delete(name);
  }
}

self.addEventListener("message", (event) => {
  if (event.data?.type === "forget") {
    event.waitUntil(forget().then(() => event.ports[0]?.postMessage({ type: "forgotten" })));
  } else if (event.data?.type === "page-news") {
    // Answered when the fresh page is in (at once when the page came from the network).
    const id = event.source?.id;
    const pending = news.get(id);
    news.delete(id);
    event.waitUntil(Promise.resolve(pending || false).then((changed) => {
      event.ports[0]?.postMessage({ type: "page-news", changed });
    }));
  } else if (event.data?.type === "warm" && Array.isArray(event.data.urls)) {
    event.waitUntil(warm(event.data.urls).then((kept) => {
      event.ports[0]?.postMessage({ type: "warmed", kept });
    }));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== SYNC_TAG) return;
  event.waitUntil(drain({ force: true }).then((result) => {
    // A failed round rejects, so that the browser tries again later by itself.
    if (result.state === "failed") throw new Error(`outbox not sent (${result.kind})`);
  }));
});

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const title = data.title || "mentorapp";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "",
    icon: ICON,
    badge: ICON,
    tag: `${data.kind || "alert"}:${data.ref || ""}`,
    data: { url: data.url || "/", id: data.id, kind: data.kind, ref: data.ref },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const client of windows) {
      if (new URL(client.url).origin !== self.location.origin) continue;
      let window = client;
      try {
        window = (await client.focus()) || client;
      } catch {
        // Some platforms refuse focus(); the page should still show what the alert is about.
      }
      try {
        return await window.navigate(target.href);
      } catch {
        // Not controlled by this worker yet: open a window instead.
      }
      break;
    }
    return self.clients.openWindow(target.href);
  })());
});
