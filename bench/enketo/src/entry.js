// The peer's page script: Enketo's form engine (enketo-core) on the three-field daily form,
// saved offline the way Enketo Express's offline mode keeps a record: into IndexedDB, and a
// confirmation on screen. Marks the same two moments the benchmark reads on mentorapp's
// pages: "mentorapp:usable" (the form initialised, a tap does what it means) and
// "mentorapp:saved" (IndexedDB committed the record, the confirmation shown).
import { Form } from "enketo-core";

const DB = "enketo-peer";
const STORE = "records";

function openStore() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "instanceId" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function keep(record) {
  const db = await openStore();
  await new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, "readwrite");
    tx.objectStore(STORE).put(record);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

const formElement = document.querySelector("form.or");
const modelStr = document.getElementById("model").textContent;
const form = new Form(formElement, { modelStr }, {});
const loadErrors = form.init();
if (loadErrors.length) console.error("form load errors", loadErrors);

const save = document.getElementById("save");
const saved = document.getElementById("saved");
save.addEventListener("click", async (event) => {
  event.preventDefault();
  if (!(await form.validate())) return;
  await keep({ instanceId: form.instanceID, name: "Dagslogg", xml: form.getDataStr(),
               draft: false, created: Date.now() });
  saved.hidden = false;
  requestAnimationFrame(() => performance.mark("mentorapp:saved"));
});

performance.mark("mentorapp:usable");
document.documentElement.dataset.usable = "yes";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch((error) => console.warn("no service worker", error));
}
