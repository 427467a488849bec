// Page start-up: register the service worker (scope /), and load the outbox for the
// mentor's pages and the logout page. Everything on the page works without this file too.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/", type: "module" }).catch((error) => {
    console.warn("service worker not registered", error);
  });
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

if (document.querySelector(".mentor-page")) import("./mentor.js");
if (document.getElementById("logout-form")) import("./logout.js");
