// Page start-up: register the service worker (scope /). The outbox and push modules
// hook in from here; everything on the page works without this file too.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/", type: "module" }).catch((error) => {
    console.warn("service worker not registered", error);
  });
}
