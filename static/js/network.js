// Network pages: "Keep on this phone" for resource files. Shows whether each file is
// kept in the service worker's cache and asks the worker (static/js/sw-network.js) to
// keep or drop it. Without a service worker the buttons stay hidden and the files open
// as usual. The words come from data- attributes, translated by the server.
const RESOURCE_CACHE = "mentorapp-resources";
const ANSWER_WAIT_MS = 60000;

async function isKept(url) {
  if (!("caches" in self)) return false;
  const cache = await caches.open(RESOURCE_CACHE);
  return Boolean(await cache.match(url, { ignoreSearch: true, ignoreVary: true }));
}

async function ask(message) {
  const registration = await navigator.serviceWorker.ready;
  const worker = registration.active;
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => reject(new Error("no answer from the service worker")), ANSWER_WAIT_MS);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.postMessage(message, [channel.port2]);
  });
}

function show(box, state) {
  const kept = state === "kept";
  box.dataset.state = state;
  box.querySelector(".keep-label").textContent = kept ? box.dataset.labelDrop : box.dataset.labelKeep;
  box.querySelector(".keep-state").textContent = {
    kept: box.dataset.kept, "not-kept": box.dataset.notKept,
    working: box.dataset.working, failed: box.dataset.failed,
  }[state];
}

async function setUp(box) {
  if (box.dataset.ready) return;
  box.dataset.ready = "1";
  const url = box.dataset.keepUrl;
  const button = box.querySelector(".keep-button");
  show(box, (await isKept(url)) ? "kept" : "not-kept");
  box.hidden = false;
  // Announce changes from now on, not the state every file has when the page opens.
  box.querySelector(".keep-state").setAttribute("role", "status");
  button.addEventListener("click", async () => {
    const wasKept = box.dataset.state === "kept";
    button.disabled = true;
    show(box, "working");
    try {
      const answer = await ask({ type: wasKept ? "drop-resource" : "keep-resource", url });
      if (!answer.ok) throw new Error(answer.error || "refused");
      show(box, answer.kept ? "kept" : "not-kept");
    } catch (error) {
      console.warn("keeping the resource failed", error);
      show(box, "failed");
      setTimeout(async () => show(box, (await isKept(url)) ? "kept" : "not-kept"), 4000);
    } finally {
      button.disabled = false;
    }
  });
}

function start() {
  if (!("serviceWorker" in navigator) || !("caches" in self)) return;
  for (const box of document.querySelectorAll(".keep[data-keep-url]")) {
    setUp(box).catch((error) => console.warn("resource state unknown", error));
  }
}

start();
document.addEventListener("htmx:afterSwap", start);
