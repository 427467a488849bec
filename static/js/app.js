// Page start-up: register the service worker (scope /), and load the outbox for the
// mentor's pages and the logout page. Everything on the page works without this file too.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/", type: "module" }).catch((error) => {
    console.warn("service worker not registered", error);
  });
}

// "Usable": the page's script has attached its handlers, so a tap does what the page
// means (on the mentor's pages: an entry goes into the outbox). The benchmark
// (bench/phone.py) reads this mark; nothing in the app depends on it.
// Module scripts run before DOMContentLoaded, and deferred scripts (htmx, counsellor.js)
// by the time it fires, having set up their own handlers then.
const parsed = new Promise((resolve) => {
  if (document.readyState === "complete") resolve();
  else document.addEventListener("DOMContentLoaded", resolve, { once: true });
});
function markUsable() {
  if (document.documentElement.dataset.usable) return;
  performance.mark("mentorapp:usable");
  document.documentElement.dataset.usable = "yes";
}

// Cached case pages belong to the person who opened them: when someone else signs in on
// this phone, the pages kept for the previous person go before anything else happens.
const user = document.body.dataset.user;
const OWNER = "mentorapp-pages-owner";
if (user && "caches" in window) {
  const owner = localStorage.getItem(OWNER);
  if (owner !== null && owner !== user) await caches.delete("mentorapp-pages");
  localStorage.setItem(OWNER, user);
}

// A participant who closed their app account: what this phone kept of them goes now (the
// pages, and entries that can no longer be sent), as at logout.
if (document.querySelector("[data-forget-phone]") && "caches" in window) {
  await caches.delete("mentorapp-pages");
  const owner = localStorage.getItem(OWNER);
  if (owner) await (await import("./outbox.js")).forget(owner);
  localStorage.removeItem(OWNER);
}

let pageScript = null;
if (document.querySelector(".mentor-page")) pageScript = import("./mentor.js").then((module) => module.ready);
else if (document.getElementById("logout-form")) pageScript = import("./logout.js");
Promise.all([parsed, pageScript]).then(markUsable, (error) => console.error("page script failed", error));
