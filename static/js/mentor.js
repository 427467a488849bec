// The phone's pages with JavaScript (the mentor's, and the participant's, which share the
// outbox and these rules): forms go into the phone's outbox first and are sent
// from there; the mentor always sees what waits on the phone and what NAV has received;
// the pages are kept for a day without coverage. Without this file every form still
// posts to the server directly.

import * as entries from "./entries.js";
import * as outbox from "./outbox.js";

const userId = document.body.dataset.user;
const root = document.querySelector(".mentor-page");
// The texts come from the service worker's cache (or, the first time, the network); the
// forms are taken over at once, so a quick tap never bypasses the outbox.
let texts = {};
const textsReady = loadTexts().then((loaded) => { texts = loaded; });
const FLASH = "mentorapp-flash";
const WARMED = "mentorapp-warmed";
const WARM_EVERY_MS = 5 * 60 * 1000;
const SYNC_TAG = "mentorapp-outbox";

async function loadTexts() {
  try {
    const response = await fetch(root.dataset.texts, { credentials: "same-origin" });
    if (response.ok) return await response.json();
  } catch {
    // Offline before the texts were ever kept: the counts still show in the page's data.
  }
  return {};
}

function t(key, values = {}) {
  return (texts[key] || "").replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

// Date formats are made when first needed: making one costs tens of milliseconds on a slow
// phone, and the page is usable before it shows any time.
const lang = document.documentElement.lang || "nb";
const formats = new Map();
function format(key, locale, options) {
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(locale, options));
  return formats.get(key);
}
const clockTime = (moment) => format("clock", lang, { hour: "2-digit", minute: "2-digit" }).format(moment);
const at = (moment) => (moment ? format("day", lang, {
  day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(new Date(moment)) : "");

// Sending ------------------------------------------------------------------------------------

let timer = null;
let sending = false;

async function send(force) {
  sending = true;
  render();
  let result;
  try {
    result = await outbox.drain({ force, userHint: userId });
  } catch (error) {
    console.warn("outbox: drain failed", error);
    result = { state: "failed", nextAt: Date.now() + outbox.backoff(1) };
  } finally {
    sending = false;
  }
  clearTimeout(timer);
  if (result.nextAt) timer = setTimeout(() => send(false), Math.max(1000, result.nextAt - Date.now()));
  await render();
  // The time of the last round, for whoever needs to know the phone has looked (tests, support).
  document.getElementById("phone-status")?.setAttribute("data-checked", new Date().toISOString());
  return result;
}

async function askForBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register(SYNC_TAG);
  } catch {
    // Not every browser has Background Sync: `online` and page loads send instead.
  }
}

// What the mentor sees ------------------------------------------------------------------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function render() {
  if (!userId) return;
  await textsReady;
  const [rows, sentRows, status] = await Promise.all([
    outbox.entries(userId), outbox.sent(userId), outbox.state()]);
  const pending = rows.filter((e) => e.state === "pending");
  const rejected = rows.filter((e) => e.state === "rejected");
  renderStatus(pending, rejected, status);
  renderLists(pending, rejected, sentRows);
  renderToday(pending, sentRows);
  renderLocal(rows);
}

function renderStatus(pending, rejected, status) {
  const box = document.getElementById("phone-status");
  if (!box) return;
  const text = box.querySelector("[data-status-text]");
  const parts = [];
  let state = "ok";
  if (status.login && (pending.length || rejected.length)) {
    state = "login";
    parts.push(t("login"));
  }
  if (rejected.length) {
    state = state === "ok" ? "rejected" : state;
    parts.push(rejected.length === 1 ? t("rejected_one") : t("rejected_many", { n: rejected.length }));
  }
  if (pending.length) {
    if (state === "ok") state = navigator.onLine ? "waiting" : "offline";
    parts.push(pending.length === 1 ? t("pending_one") : t("pending_many", { n: pending.length }));
    if (sending) parts.push(t("sending"));
    else if (!navigator.onLine) parts.push(t("offline"));
    else if (status.retry.nextAt > Date.now()) parts.push(t("retry_at", { time: clockTime(new Date(status.retry.nextAt)) }));
  }
  if (!parts.length) parts.push(t("all_sent"));
  const rendered = root?.dataset.renderedAt;
  if (!navigator.onLine && rendered && Date.now() - Date.parse(rendered) > 60000) {
    parts.push(t("cached_page", { time: at(rendered) }));
  }
  text.textContent = parts.join(" ");
  if (status.login && (pending.length || rejected.length)) {
    const link = element("a", "", t("login_link"));
    link.href = root?.dataset.login || `/login?next=${encodeURIComponent(location.pathname)}`;
    text.append(" ", link);
  }
  box.dataset.state = state;
  box.dataset.pending = String(pending.length);
  box.dataset.rejected = String(rejected.length);
  // The outbox page has its own Send button and list: one of each on a screen is enough.
  const onOutbox = location.pathname === box.querySelector("[data-outbox-link]")?.getAttribute("href");
  box.querySelector("[data-outbox-send]").hidden = onOutbox || !pending.length;
  // Always there elsewhere: the outbox page also shows what NAV has received from this phone.
  box.querySelector("[data-outbox-link]").hidden = onOutbox;
  box.hidden = false;
}

function entryItem(entry, kind) {
  const item = element("li");
  item.dataset.entry = entry.id;
  const summary = entry.summary || { title: entry.type, lines: [] };
  const head = element("p");
  head.append(element("strong", "", summary.title));
  item.append(head);
  for (const line of summary.lines || []) item.append(element("p", "small", line));
  if (kind === "sent") {
    item.append(element("p", "small muted", entry.receivedAt
      ? t("received_at", { time: at(entry.receivedAt) }) : t("sent_at", { time: at(entry.sentAt) })));
    return item;
  }
  item.append(element("p", "small muted", t("written_at", { time: at(entry.createdAt) })));
  if (kind === "pending" && entry.attempts) {
    item.append(element("p", "small muted", t("attempts", { n: entry.attempts })));
  }
  if (kind === "rejected") {
    item.append(element("p", "entry-reason", t("reason", { reason: entry.rejection?.reason || t("reason_unknown") })));
    const actions = element("div", "entry-actions");
    if (entry.editPath) {
      const edit = element("a", "button secondary", t("edit"));
      edit.href = `${entry.editPath}#edit=${entry.id}`;
      actions.append(edit);
    }
    const discard = element("button", "button secondary", t("discard"));
    discard.type = "button";
    discard.dataset.discard = entry.id;
    actions.append(discard);
    item.append(actions);
  }
  return item;
}

function renderLists(pending, rejected, sentRows) {
  const lists = { pending, rejected, sent: sentRows };
  for (const [kind, rows] of Object.entries(lists)) {
    const list = document.querySelector(`[data-outbox-list="${kind}"]`);
    if (!list) continue;
    list.replaceChildren(...rows.map((entry) => entryItem(entry, kind)));
    const empty = document.querySelector(`[data-outbox-empty="${kind}"]`);
    if (empty) empty.hidden = rows.length > 0;
  }
  const section = document.querySelector('[data-outbox-section="rejected"]');
  if (section) section.hidden = !rejected.length;
}

function logsOf(rows, placementId, day) {
  return rows.filter((row) => {
    const event = row.event || { type: row.type, placement_id: row.placementId, payload: row.payload || {} };
    return event.type === "daily_log" && String(event.placement_id) === String(placementId)
      && event.payload.date === day;
  });
}

function renderToday(pending, sentRows) {
  for (const badge of document.querySelectorAll("[data-local-today]")) {
    const placementId = badge.dataset.localToday;
    const day = badge.dataset.date;
    const waiting = logsOf(pending, placementId, day).length > 0;
    const sentToday = logsOf(sentRows, placementId, day).length > 0;
    const notLogged = document.querySelector(`[data-not-logged="${placementId}"]`);
    if (waiting || sentToday) {
      badge.textContent = waiting ? t("logged_waiting") : t("logged_sent");
      badge.className = waiting ? "badge attention" : "badge ok";
      badge.hidden = false;
      if (notLogged) notLogged.hidden = true;
    } else {
      badge.hidden = true;
      if (notLogged) notLogged.hidden = false;
    }
  }
}

function renderLocal(rows) {
  for (const section of document.querySelectorAll("[data-local-entries]")) {
    const mine = rows.filter((e) => String(e.event.placement_id) === section.dataset.localEntries);
    section.querySelector("[data-local-list]").replaceChildren(
      ...mine.map((entry) => entryItem(entry, entry.state === "rejected" ? "rejected" : "pending")));
    section.hidden = !mine.length;
  }
}

// Beside the Save button the mentor just tapped (the page's own notice may be scrolled away).
function showSaved(form, key) {
  let note = form.querySelector("[data-saved-note]");
  if (!note) {
    note = element("p", "notice ok");
    note.setAttribute("role", "status");
    note.dataset.savedNote = "";
    form.append(note);
  }
  note.textContent = t(key);
  performance.mark("mentorapp:saved");
}

async function showFlash() {
  await textsReady;
  const key = sessionStorage.getItem(FLASH);
  if (!key) return;
  sessionStorage.removeItem(FLASH);
  const flash = document.getElementById("flash");
  if (!flash) return;
  flash.textContent = t(key);
  flash.hidden = false;
}

// Entry forms ------------------------------------------------------------------------------

function editTarget() {
  const match = /^#edit=([0-9a-f-]{36})$/i.exec(location.hash);
  return match ? match[1] : null;
}

function knownDays(form) {
  try {
    return JSON.parse(form.dataset.days || "{}");
  } catch {
    return {};
  }
}

// The day's original entry (what a correction points at) and the version now in effect,
// from what the server knew when the page was made and what this phone did since.
async function dayLog(form, placementId, day, excluding) {
  const [rows, sentRows] = await Promise.all([outbox.entries(userId), outbox.sent(userId)]);
  const local = [...logsOf(rows.filter((e) => e.state === "pending"), placementId, day)
    .map((e) => ({ root: e.rootId || e.id, payload: e.event.payload, at: e.createdAt, id: e.id })),
  ...logsOf(sentRows, placementId, day)
    .map((s) => ({ root: s.rootId || s.id, payload: s.payload, at: s.createdAt || s.sentAt, id: s.id }))]
    .filter((e) => e.id !== excluding)
    .sort((a, b) => a.at - b.at);
  const server = knownDays(form)[day];
  if (!server && !local.length) return null;
  return {
    original: server ? server.id : local[0].root,
    current: local.length ? local[local.length - 1].payload : server.payload,
  };
}

function toggleAtWork(form) {
  const atWork = form.querySelector("[data-at-work]");
  if (!atWork) return;
  const attendance = form.querySelector("input[name=attendance]:checked")?.value;
  atWork.hidden = attendance === "absent" || attendance === "day_off";
}

// Shows whether the chosen day is logged already (saving then makes a correction) and
// opens the form with that day's entry in effect. Never overwrites what the mentor has
// typed meanwhile, nor a day chosen while the phone was looking.
async function showDay(form, placementId, { initial = false } = {}) {
  const field = form.elements.namedItem("date");
  const day = field?.value;
  const notice = document.querySelector("[data-correction-notice]");
  if (!day || !notice) return;
  const known = await dayLog(form, placementId, day, editTarget());
  if (field.value !== day) return;
  notice.hidden = !known;
  if (!known || !known.current || editTarget() || (initial && form.dataset.touched)) return;
  entries.fill(form, "daily_log", { ...known.current, date: day });
  toggleAtWork(form);
}

async function setUpForm(form) {
  // First of all: a quick tap on Save while the rest is set up must still go to the
  // outbox, not to a server that may be out of reach.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save(form).catch((error) => console.error("saving failed", error));
  });
  form.dataset.enhanced = "yes";
  const type = form.dataset.type;
  const placementId = form.dataset.placement;
  const editing = editTarget();
  const notice = document.querySelector("[data-edit-notice]");
  if (editing) {
    await textsReady;
    const entry = await outbox.get(userId, editing);
    if (notice) {
      notice.textContent = entry
        ? t("editing", { reason: entry.rejection?.reason || t("reason_unknown") }) : t("editing_gone");
      notice.hidden = false;
    }
    if (entry) entries.fill(form, type, entry.event.payload);
  }
  if (type === "daily_log") {
    const date = form.elements.namedItem("date");
    date?.addEventListener("change", () => showDay(form, placementId));
    for (const radio of form.querySelectorAll("input[name=attendance]")) {
      radio.addEventListener("change", () => toggleAtWork(form));
    }
    form.elements.namedItem("tasks_other")?.addEventListener("input", (event) => event.target.setCustomValidity(""));
    form.addEventListener("input", () => { form.dataset.touched = "yes"; });
    if (!editing) await showDay(form, placementId, { initial: true });
    toggleAtWork(form);
  }
}

let saving = false;

async function save(form) {
  if (saving) return;
  saving = true;
  const type = form.dataset.type;
  const placementId = Number(form.dataset.placement);
  const button = form.querySelector("button[type=submit]");
  if (button) button.disabled = true;
  try {
    await textsReady;
    if (type === "daily_log" && !entries.checkTasks(form, texts)) return;
    const payload = entries.payloadOf(type, form);
    const editing = editTarget();
    // The phone's reads side by side: between the tap and "saved" every round trip to
    // IndexedDB counts on a slow phone.
    const [offset, known] = await Promise.all([outbox.clockOffset(),
      type === "daily_log" ? dayLog(form, placementId, payload.date, editing) : null]);
    const event = {
      id: entries.newId(), type, placement_id: placementId,
      occurred_at: entries.occurredAt(offset), payload,
    };
    let rootId = event.id;
    if (known) {
      event.amends = known.original;
      rootId = known.original;
    }
    const extra = { summary: entries.summaryOf(form, type, payload), editPath: form.getAttribute("action"), rootId };
    try {
      const previous = editing ? await outbox.get(userId, editing) : null;
      if (previous) await outbox.replace(editing, userId, event, extra);
      else await outbox.add(userId, event, extra);
    } catch (error) {
      // The phone refused to keep it (private mode, a full disk): the form goes to the
      // server directly, as without JavaScript.
      console.error("could not keep the entry on the phone", error);
      form.submit();
      return;
    }
    // Kept on the phone: say so now, whatever the network does next.
    showSaved(form, navigator.onLine ? "saved_sending" : "saved_local");
    askForBackgroundSync();
    // Give the network a moment: most days the entry reaches NAV before the next page.
    await Promise.race([send(true), new Promise((resolve) => { setTimeout(resolve, 3000); })]);
    const stillHere = await outbox.get(userId, event.id);
    sessionStorage.setItem(FLASH, stillHere ? "saved_local" : "saved_sent");
    location.assign(form.dataset.return || "/");
  } finally {
    saving = false;
    if (button) button.disabled = false;
  }
}

// Keeping pages for a day without coverage ------------------------------------------------

async function warm() {
  if (!navigator.serviceWorker || !navigator.onLine || !root?.dataset.warm) return;
  const key = `${WARMED}:${userId}`;
  const lastWarm = Number(sessionStorage.getItem(key) || 0);
  if (Date.now() - lastWarm < WARM_EVERY_MS) {
    document.documentElement.dataset.offlineReady = "yes";
    return;
  }
  const registration = await navigator.serviceWorker.ready;
  // This page is kept already if the service worker served it. A worker that claimed the
  // page after it loaded controls it without having seen it, so ask the navigation itself.
  const navigation = performance.getEntriesByType("navigation")[0];
  const served = Boolean(navigator.serviceWorker.controller) && (navigation?.workerStart ?? 0) > 0;
  const urls = root.dataset.warm.split(" ").filter((url) => url && !(served && url === location.pathname));
  if (root.dataset.texts) urls.push(root.dataset.texts);
  const channel = new MessageChannel();
  channel.port1.onmessage = (message) => {
    if (message.data?.type !== "warmed") return;
    sessionStorage.setItem(key, String(Date.now()));
    document.documentElement.dataset.offlineReady = "yes";
  };
  registration.active?.postMessage({ type: "warm", urls }, [channel.port2]);
}

async function keepStorage() {
  if (!navigator.storage?.persist) return;
  let kept = await navigator.storage.persisted();
  if (!kept) kept = await navigator.storage.persist();
  // The browser may answer before the texts are loaded: an empty line would show nothing.
  await textsReady;
  const line = document.querySelector("[data-storage-state]");
  if (line && kept) {
    line.textContent = t("storage_kept");
    line.hidden = false;
  }
}

// A page kept on the phone may be from yesterday: "today" is the phone's date in Oslo,
// where every workplace in the app is, never the date the page was made.
function bringDatesForward() {
  const today = entries.osloToday();
  for (const input of document.querySelectorAll("input[type=date][data-today]")) {
    const madeOn = input.dataset.today;
    if (today <= madeOn) continue;
    if (input.max === madeOn) input.max = today;
    if (input.value === madeOn) input.value = today;
    input.dataset.today = today;
  }
  for (const badge of document.querySelectorAll("[data-local-today][data-date]")) {
    if (today > badge.dataset.date) badge.dataset.date = today;
  }
}

// A page the service worker showed from the phone while the fresh one was on its way (it
// waits only briefly: sw.js). If the fresh one says something new (a call NAV scheduled, a
// problem it answered), a calm line says so, and "Show" loads it (the worker has kept it).
// The line is in the page from the start (role=status), fixed to the bottom of the screen:
// screen readers announce it, and nothing on the page moves when it appears.
async function askForNews() {
  const worker = navigator.serviceWorker?.controller;
  const line = document.getElementById("page-news");
  if (!worker || !line) return;
  const changed = await new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (message) => resolve(message.data?.type === "page-news" && message.data.changed);
    worker.postMessage({ type: "page-news" }, [channel.port2]);
  });
  // What the worker said, for whoever needs to know it has (tests, support).
  line.dataset.checked = changed ? "changed" : "same";
  if (!changed) return;
  await textsReady;
  const show = element("button", "button", t("page_changed_show"));
  show.type = "button";
  show.addEventListener("click", () => location.reload());
  line.replaceChildren(element("p", "", t("page_changed")), show);
}

// Start --------------------------------------------------------------------------------------

// Resolves when every entry form on the page is taken over and shows what it will save
// (app.js then marks the page usable).
function start() {
  if (!userId || !root) return Promise.resolve();
  bringDatesForward();
  document.addEventListener("click", async (event) => {
    const target = event.target.closest("[data-outbox-send], [data-discard]");
    if (!target) return;
    if (target.matches("[data-outbox-send]")) {
      send(true);
    } else if (window.confirm(t("discard_confirm"))) {
      await outbox.discard(userId, target.dataset.discard);
      render();
    }
  });
  const forms = [...document.querySelectorAll("form[data-entry-form]")].map((form) => setUpForm(form)
    .catch((error) => console.error("form not set up", error)));
  window.addEventListener("online", () => send(true));
  window.addEventListener("offline", () => render());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") send(false);
  });
  outbox.listen(() => render());
  showFlash();
  send(false);
  warm().catch((error) => console.warn("pages not kept for offline use", error));
  askForNews().catch((error) => console.warn("could not ask whether the page is new", error));
  keepStorage().catch(() => {});
  return Promise.all(forms);
}

export const ready = start();
