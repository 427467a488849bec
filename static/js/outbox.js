// The outbox: every entry the mentor makes waits here until the server has acknowledged
// it, and is sent by ONE function, drain(), whatever the trigger (page load, `online`,
// the "send now" button, after saving, Background Sync in the service worker).
//
// Rules (docs/api.md):
//  - an entry leaves the outbox only when the server answered "created" or "duplicate";
//  - "rejected" and "conflict" are final for that entry: it stays, with the reason, until
//    the mentor changes and resends it or discards it; other 4xx answers to a batch too;
//  - network errors and 5xx are retried with backoff (5 s, 10 s, 20 s, ... at most 5 min);
//  - 401: the session ended; the entries stay and the mentor is asked to log in again;
//  - 403 "csrf": the token rotated (a new sign-in); fetch it again and retry once.
// Only the signed-in user's entries are sent: the user comes from the server's session,
// not from anything stored on the phone.
// This module has no DOM: the service worker imports it too.

import { byUser, done, getMeta, setMeta, transaction } from "./idb.js";

export const BATCH = 100;
export const FIRST_RETRY_MS = 5000;
export const MAX_RETRY_MS = 5 * 60 * 1000;
const SENT_KEEP_MS = 14 * 24 * 3600 * 1000;
const SENT_KEEP = 200;
const CHANNEL = "mentorapp-outbox";
const LOCK = "mentorapp-outbox";

export function backoff(failures, random = Math.random) {
  const base = FIRST_RETRY_MS * 2 ** Math.max(failures - 1, 0);
  // A little jitter, so that phones coming back together do not all knock at once.
  return Math.min(MAX_RETRY_MS, Math.round(Math.min(base, MAX_RETRY_MS) * (0.8 + 0.4 * random())));
}

function announce(message) {
  try {
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage(message);
    channel.close();
  } catch {
    // Without BroadcastChannel the other tabs catch up at their next load.
  }
}

export function listen(callback) {
  if (typeof BroadcastChannel === "undefined") return null;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (message) => callback(message.data);
  return channel;
}

function newEntry(userId, event, extra) {
  return {
    ...extra, id: event.id, userId: String(userId), event, state: "pending",
    createdAt: Date.now(), attempts: 0, lastError: null, rejection: null,
  };
}

export async function add(userId, event, extra = {}) {
  const entry = newEntry(userId, event, extra);
  await transaction("outbox", "readwrite", ({ outbox }) => done(outbox.add(entry)));
  announce({ type: "changed" });
  return entry;
}

// A rejected entry changed by the mentor: the old one goes and the new one (with a new id,
// since the old id may be taken on the server) comes, in one step.
export async function replace(oldId, userId, event, extra = {}) {
  const entry = newEntry(userId, event, extra);
  await transaction("outbox", "readwrite", async ({ outbox }) => {
    const old = await done(outbox.get(oldId));
    if (old && old.userId === String(userId)) await done(outbox.delete(oldId));
    await done(outbox.add(entry));
  });
  announce({ type: "changed" });
  return entry;
}

export async function discard(userId, id) {
  const removed = await transaction("outbox", "readwrite", async ({ outbox }) => {
    const entry = await done(outbox.get(id));
    if (!entry || entry.userId !== String(userId)) return false;
    await done(outbox.delete(id));
    return true;
  });
  announce({ type: "changed" });
  return removed;
}

export async function get(userId, id) {
  const entry = await transaction("outbox", "readonly", ({ outbox }) => done(outbox.get(id)));
  return entry && entry.userId === String(userId) ? entry : null;
}

export async function entries(userId) {
  const rows = await transaction("outbox", "readonly", ({ outbox }) => byUser(outbox, userId));
  return rows.sort((a, b) => a.createdAt - b.createdAt);
}

export async function sent(userId) {
  const rows = await transaction("sent", "readonly", ({ sent: store }) => byUser(store, userId));
  return rows.sort((a, b) => b.sentAt - a.sentAt);
}

export async function counts(userId) {
  const rows = await entries(userId);
  return {
    pending: rows.filter((e) => e.state === "pending").length,
    rejected: rows.filter((e) => e.state === "rejected").length,
  };
}

// Logging out: what the phone holds of this user goes (what they sent, and their waiting
// entries unless they chose to keep them for their next sign-in).
export async function forget(userId, { keepWaiting = false } = {}) {
  await transaction(["outbox", "sent", "meta"], "readwrite", async ({ outbox, sent: store, meta }) => {
    if (!keepWaiting) {
      for (const entry of await byUser(outbox, userId)) await done(outbox.delete(entry.id));
    }
    for (const entry of await byUser(store, userId)) await done(store.delete(entry.id));
    await done(meta.delete("retry"));
    await done(meta.delete("login"));
  });
  announce({ type: "changed" });
}

export async function state() {
  return {
    retry: (await getMeta("retry")) || { failures: 0, nextAt: 0 },
    login: Boolean(await getMeta("login")),
  };
}

// The phone's clock against the server's, so an entry made offline on a phone whose clock
// runs fast is not refused as "in the future". Zero when they agree within a minute.
export async function clockOffset() {
  return (await getMeta("clockOffset")) || 0;
}

// Sending ---------------------------------------------------------------------------------

class Unreachable extends Error {}

// One bar of signal can hold a request open for minutes: give up and try again later (the
// server may have stored a batch whose answer was lost; resending it is answered "duplicate").
const SESSION_TIMEOUT_MS = 15000;
const SEND_TIMEOUT_MS = 45000;
const CLOCK_CHECK_EVERY_MS = 3600 * 1000;

function timeout(ms) {
  return typeof AbortSignal !== "undefined" && AbortSignal.timeout ? AbortSignal.timeout(ms) : undefined;
}

async function session() {
  let response;
  try {
    response = await fetch("/api/v1/session", {
      credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" },
      signal: timeout(SESSION_TIMEOUT_MS),
    });
  } catch (error) {
    throw new Unreachable(String(error));
  }
  if (response.status === 401) return { signedOut: true };
  if (!response.ok) throw new Unreachable(`session: ${response.status}`);
  const body = await response.json();
  const offset = Date.parse(body.server_time) - Date.now();
  await setMeta("clockOffset", Math.abs(offset) > 60000 ? offset : 0);
  await setMeta("clockCheckedAt", Date.now());
  return { userId: String(body.user.id), csrf: body.csrf_token,
    placements: Array.isArray(body.placements) ? body.placements.map(String) : null };
}

async function post(path, body, who) {
  try {
    return await fetch(path, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": who.csrf },
      body: JSON.stringify(body), signal: timeout(SEND_TIMEOUT_MS),
    });
  } catch (error) {
    throw new Unreachable(String(error));
  }
}

async function errorOf(response) {
  try {
    return await response.clone().json();
  } catch {
    return {};
  }
}

function sentRecord(entry, now) {
  const { event } = entry;
  return {
    id: entry.id, userId: entry.userId, type: event.type, placementId: event.placement_id,
    date: event.payload.date || null, payload: event.payload, amends: event.amends || null,
    rootId: entry.rootId || event.amends || entry.id, summary: entry.summary || null,
    occurredAt: event.occurred_at, createdAt: entry.createdAt, sentAt: now, receivedAt: null,
  };
}

// One transaction per answered batch: acknowledged entries move to "sent", refused ones
// are marked with their reason. Entries the answer does not mention stay as they were.
async function settle(batch, results) {
  const byId = new Map(batch.map((entry) => [entry.id, entry]));
  const now = Date.now();
  let acknowledged = 0;
  let refused = 0;
  await transaction(["outbox", "sent"], "readwrite", async ({ outbox, sent: store }) => {
    for (const result of results || []) {
      const entry = byId.get(result.id);
      if (!entry) continue;
      byId.delete(result.id);
      if (result.status === "created" || result.status === "duplicate") {
        await done(store.put(sentRecord(entry, now)));
        await done(outbox.delete(entry.id));
        acknowledged += 1;
      } else {
        const current = await done(outbox.get(entry.id));
        if (!current) continue;
        current.state = "rejected";
        current.rejection = {
          status: result.status, code: result.code || result.status,
          reason: result.reason || null, field: result.field || null, at: now,
        };
        await done(outbox.put(current));
        refused += 1;
      }
    }
  });
  return { acknowledged, refused };
}

async function refuseAll(batch, status, body) {
  const now = Date.now();
  await transaction("outbox", "readwrite", async ({ outbox }) => {
    for (const entry of batch) {
      const current = await done(outbox.get(entry.id));
      if (!current) continue;
      current.state = "rejected";
      current.rejection = { status: "rejected", code: body.error || String(status), reason: body.message || null, field: null, at: now };
      await done(outbox.put(current));
    }
  });
}

async function noteAttempt(batch, kind) {
  const now = Date.now();
  await transaction("outbox", "readwrite", async ({ outbox }) => {
    for (const entry of batch) {
      const current = await done(outbox.get(entry.id));
      if (!current) continue;
      current.attempts = (current.attempts || 0) + 1;
      current.lastError = { kind, at: now };
      await done(outbox.put(current));
    }
  });
}

async function failed(kind) {
  const previous = (await getMeta("retry")) || { failures: 0 };
  const failures = (previous.failures || 0) + 1;
  const nextAt = Date.now() + backoff(failures);
  await setMeta("retry", { failures, nextAt, kind });
  announce({ type: "changed" });
  return { state: "failed", kind, nextAt };
}

async function signedOut() {
  await setMeta("login", true);
  announce({ type: "changed" });
  return { state: "login" };
}

async function trim(userId) {
  const cutoff = Date.now() - SENT_KEEP_MS;
  await transaction("sent", "readwrite", async ({ sent: store }) => {
    const rows = (await byUser(store, userId)).sort((a, b) => b.sentAt - a.sentAt);
    for (const [index, row] of rows.entries()) {
      if (index >= SENT_KEEP || row.sentAt < cutoff) await done(store.delete(row.id));
    }
  });
}

// Asks the server which sent entries it holds, to show "received by NAV" with its time.
async function confirmReceived(who) {
  const unconfirmed = (await sent(who.userId)).filter((row) => !row.receivedAt).slice(0, 500);
  if (!unconfirmed.length) return;
  const response = await post("/api/v1/received", { ids: unconfirmed.map((row) => row.id) }, who);
  if (!response.ok) return;
  const { received } = await response.json();
  const when = new Map(received.map((row) => [row.id, row.received_at]));
  await transaction("sent", "readwrite", async ({ sent: store }) => {
    for (const row of unconfirmed) {
      if (!when.has(row.id)) continue;
      row.receivedAt = when.get(row.id);
      await done(store.put(row));
    }
  });
}

// Nothing to send, nothing to confirm, and the clock checked lately: no need for the network.
async function idle(userId) {
  if (!userId) return false;
  const rows = await entries(userId);
  if (rows.some((entry) => entry.state === "pending")) return false;
  if ((await sent(userId)).some((row) => !row.receivedAt)) return false;
  if ((await getMeta("login"))) return false;
  return Date.now() - ((await getMeta("clockCheckedAt")) || 0) < CLOCK_CHECK_EVERY_MS;
}

async function sendAll(force, userHint) {
  const retry = (await getMeta("retry")) || { failures: 0, nextAt: 0 };
  if (!force && retry.nextAt > Date.now()) return { state: "waiting", nextAt: retry.nextAt };
  if (!force && await idle(userHint)) return { state: "done", acknowledged: 0, refused: 0 };
  let who;
  try {
    who = await session();
  } catch {
    return failed("offline");
  }
  if (who.signedOut) return signedOut();
  await setMeta("login", false);

  const waiting = (await entries(who.userId)).filter((entry) => entry.state === "pending");
  let acknowledged = 0;
  let refused = 0;
  for (let start = 0; start < waiting.length; start += BATCH) {
    const batch = waiting.slice(start, start + BATCH);
    const body = { events: batch.map((entry) => entry.event) };
    let response;
    try {
      response = await post("/api/v1/sync", body, who);
      if (response.status === 403 && (await errorOf(response)).error === "csrf") {
        who = await session();
        if (who.signedOut) return signedOut();
        response = await post("/api/v1/sync", body, who);
      }
    } catch {
      await noteAttempt(batch, "offline");
      return failed("offline");
    }
    if (response.status === 401) return signedOut();
    if (response.status >= 500 || [403, 408, 429].includes(response.status)) {
      await noteAttempt(batch, "server");
      return failed("server");
    }
    if (!response.ok) {
      await refuseAll(batch, response.status, await errorOf(response));
      refused += batch.length;
      continue;
    }
    let answer;
    try {
      answer = await response.json();
    } catch {
      await noteAttempt(batch, "server");
      return failed("server");
    }
    const outcome = await settle(batch, answer.results);
    acknowledged += outcome.acknowledged;
    refused += outcome.refused;
  }
  await setMeta("retry", { failures: 0, nextAt: 0 });
  try {
    await confirmReceived(who);
    await trim(who.userId);
  } catch {
    // Only the "received by NAV" ticks wait for the next round.
  }
  if (who.placements) await dropGone(who.userId, who.placements);
  announce({ type: "changed" });
  return { state: "done", acknowledged, refused };
}

const PAGES = "mentorapp-pages";
const PLACEMENT_PAGE = /^\/m\/p\/(\d+)(\/|$)/;

// A placement the mentor may no longer open (its time after the end is over, or it was
// erased) leaves the phone: its kept pages, what was sent for it, and entries the server
// refused for it (they could never be sent). An entry refused for a placement that is
// still the mentor's stays, with its reason, as always; one made just before a change of
// mentor was accepted before it got here. If anything went, the other kept pages (which
// may name the participant) go too, and are kept anew at the next visit.
async function dropGone(userId, placements) {
  const keep = new Set(placements);
  const gone = (id) => id !== undefined && id !== null && !keep.has(String(id));
  let dropped = false;
  await transaction(["outbox", "sent"], "readwrite", async ({ outbox, sent: store }) => {
    for (const entry of await byUser(outbox, userId)) {
      if (entry.state === "rejected" && gone(entry.event.placement_id)) {
        await done(outbox.delete(entry.id));
        dropped = true;
      }
    }
    for (const row of await byUser(store, userId)) {
      if (gone(row.placementId)) {
        await done(store.delete(row.id));
        dropped = true;
      }
    }
  });
  if (!globalThis.caches) return;
  const cache = await caches.open(PAGES);
  const requests = await cache.keys();
  const stale = requests.filter((request) => {
    const match = PLACEMENT_PAGE.exec(new URL(request.url).pathname);
    return match && gone(match[1]);
  });
  if (!stale.length && !dropped) return;
  for (const request of requests) await cache.delete(request);
}

// One drain at a time across the tabs and the service worker (Web Locks); a second
// trigger waits for the first and then sends what is still due.
// `userHint` (the page's user) only lets a round with nothing to do skip the network; what
// is sent, and for whom, is always decided by the server's session.
export function drain({ force = false, userHint = null } = {}) {
  const locks = globalThis.navigator && globalThis.navigator.locks;
  if (locks) return locks.request(LOCK, () => sendAll(force, userHint));
  return sendAll(force, userHint);
}
