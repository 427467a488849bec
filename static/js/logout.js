// Logging out on a shared phone. Entries still waiting are shown first, with "send now"
// and "discard"; logging out then removes the cached case pages and what the phone keeps
// of this user, so the next person to pick up the phone sees nothing of the case. Entries
// the mentor neither sent nor discarded stay (hidden, never sent for anyone else) until
// the same mentor signs in again: nothing is lost by a hurried logout.

import * as outbox from "./outbox.js";

const userId = document.body.dataset.user;
const form = document.getElementById("logout-form");
const warning = document.getElementById("logout-outbox");
const offline = document.getElementById("logout-offline");
const countText = warning?.querySelector("[data-outbox-count-text]");
const sendButton = warning?.querySelector("[data-outbox-send]");
const discardButton = warning?.querySelector("[data-outbox-discard]");
const sendingText = warning?.querySelector("[data-outbox-sending]");
// Cache names of the pages that hold case data (see static/js/sw.js).
const CASE_CACHES = "mentorapp-pages";

async function waiting() {
  if (!userId) return 0;
  const { pending, rejected } = await outbox.counts(userId);
  return pending + rejected;
}

async function showWaiting() {
  const count = await waiting();
  if (warning) warning.hidden = count === 0;
  if (countText && count) {
    countText.textContent = count === 1 ? countText.dataset.one : countText.dataset.many.replace("{n}", count);
  }
  return count;
}

async function online() {
  try {
    const response = await fetch("/api/v1/session", { credentials: "same-origin", cache: "no-store" });
    return response.ok || response.status === 401;
  } catch {
    return false;
  }
}

// The service worker first (so that no page on its way is kept after this), then the
// caches themselves, in case there is no service worker to ask.
async function askWorkerToForget() {
  const worker = navigator.serviceWorker?.controller;
  if (!worker) return;
  const channel = new MessageChannel();
  const answered = new Promise((resolve) => { channel.port1.onmessage = resolve; });
  worker.postMessage({ type: "forget" }, [channel.port2]);
  await Promise.race([answered, new Promise((resolve) => { setTimeout(resolve, 3000); })]);
}

async function clearCasePages() {
  await askWorkerToForget();
  if (!("caches" in window)) return;
  for (const name of await caches.keys()) {
    if (name.startsWith(CASE_CACHES)) await caches.delete(name);
  }
}

async function logOut({ discard = false } = {}) {
  if (!(await online())) {
    offline.hidden = false;
    offline.focus?.();
    return;
  }
  const count = discard ? 0 : await waiting();
  await clearCasePages();
  if (userId) await outbox.forget(userId, { keepWaiting: count > 0 && !discard });
  localStorage.removeItem("mentorapp-pages-owner");
  form.submit();
}

if (form) {
  let warned = false;
  showWaiting().then((count) => { warned = count > 0; });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const count = await showWaiting();
    if (count && !warned) {
      warned = true;
      warning.scrollIntoView({ block: "center" });
      return;
    }
    await logOut();
  });
  sendButton?.addEventListener("click", async () => {
    sendingText.hidden = false;
    sendButton.disabled = true;
    try {
      await outbox.drain({ force: true });
    } finally {
      sendingText.hidden = true;
      sendButton.disabled = false;
    }
    await showWaiting();
  });
  discardButton?.addEventListener("click", async () => {
    if (userId) await outbox.forget(userId);
    await logOut({ discard: true });
  });
}
