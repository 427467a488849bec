// Turning alerts on for this device: subscribe with the browser's push service using the
// server's VAPID key (from the page), then hand the subscription to the server. The page's
// texts come from data attributes, so they are in the reader's language.
const WAIT_MS = 20000;

function keyBytes(base64url) {
  const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function withTimeout(promise) {
  // A browser without a reachable push service never answers; do not wait forever.
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), WAIT_MS))]);
}

function csrfToken() {
  return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"];
}

async function tell(method, body) {
  const response = await fetch("/api/v1/push/subscriptions", {
    method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}

function guessLabel() {
  const ua = navigator.userAgent;
  const system = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Mac/.test(ua) ? "Mac" : /Windows/.test(ua) ? "Windows" : "Linux";
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "";
  return [browser, system].filter(Boolean).join(" – ");
}

async function setUp(section) {
  const state = section.querySelector("#push-state");
  const on = section.querySelector("#push-on");
  const off = section.querySelector("#push-off");
  const labelField = section.querySelector("#push-label-field");
  const label = section.querySelector("#push-label");
  const say = (key) => { state.textContent = section.dataset[key]; };
  const known = JSON.parse(section.dataset.endpoints || "[]");

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("msgUnsupported");
    return;
  }
  if (Notification.permission === "denied") {
    say("msgDenied");
    return;
  }
  let registration;
  try {
    registration = await withTimeout(navigator.serviceWorker.ready);
  } catch {
    say("msgUnsupported");
    return;
  }
  const show = (subscribed) => {
    say(subscribed ? "msgOn" : "msgOff");
    on.hidden = subscribed;
    labelField.hidden = subscribed;
    off.hidden = !subscribed;
  };
  label.value = guessLabel();
  const current = await registration.pushManager.getSubscription();
  if (current && !known.includes(current.endpoint)) {
    // The browser still has a subscription the server forgot (or another user had this
    // device): hand it over again so alerts reach whoever is signed in now.
    try { await tell("POST", { ...current.toJSON(), label: label.value }); } catch { /* shown as off below */ }
  }
  show(Boolean(current));

  on.addEventListener("click", async () => {
    on.disabled = true;
    say("msgWorking");
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say("msgDenied");
        return;
      }
      const subscription = await withTimeout(registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(section.dataset.vapidKey),
      }));
      await tell("POST", { ...subscription.toJSON(), label: label.value.trim().slice(0, 100) });
      window.location.reload();
    } catch {
      say("msgFailed");
    } finally {
      on.disabled = false;
    }
  });

  off.addEventListener("click", async () => {
    off.disabled = true;
    try {
      const subscription = await registration.pushManager.getSubscription();
      if (subscription) {
        await tell("DELETE", { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      window.location.reload();
    } catch {
      say("msgFailed");
      off.disabled = false;
    }
  });
}

const section = document.getElementById("this-device");
if (section) setUp(section);
