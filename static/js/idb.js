// The phone's own database (IndexedDB), shared by the pages and the service worker.
//   outbox  entries not yet acknowledged by the server (key: the event's UUID)
//   sent    entries the server acknowledged lately, to show what NAV has received
//   meta    small facts: retry schedule, "log in again", the phone clock's offset
// Every entry carries the id of the user who wrote it: a shared phone keeps each
// person's entries apart, and only the signed-in user's are ever sent or shown.

const NAME = "mentorapp";
const VERSION = 1;

let opening = null;

export function openDb() {
  if (opening) return opening;
  opening = new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("outbox")) {
        db.createObjectStore("outbox", { keyPath: "id" }).createIndex("userId", "userId");
      }
      if (!db.objectStoreNames.contains("sent")) {
        db.createObjectStore("sent", { keyPath: "id" }).createIndex("userId", "userId");
      }
      if (!db.objectStoreNames.contains("meta")) {
        db.createObjectStore("meta", { keyPath: "key" });
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading (a new version of the app) must not be blocked by this one.
      db.onversionchange = () => { db.close(); opening = null; };
      // The browser can close the connection itself (storage cleared, disk trouble): the
      // next call must open a new one instead of failing on the closed one for good.
      db.onclose = () => { opening = null; };
      resolve(db);
    };
    request.onerror = () => { opening = null; reject(request.error); };
    request.onblocked = () => console.warn("IndexedDB upgrade waits for another tab");
  });
  return opening;
}

export function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Runs `work(stores)` in one transaction; resolves with its result once it is committed.
export async function transaction(names, mode, work) {
  let db = await openDb();
  let tx;
  try {
    tx = db.transaction(names, mode);
  } catch (error) {
    // Closed under us before its close event arrived: open a new connection, once.
    if (error.name !== "InvalidStateError") throw error;
    opening = null;
    db = await openDb();
    tx = db.transaction(names, mode);
  }
  return new Promise((resolve, reject) => {
    const stores = Object.fromEntries([].concat(names).map((name) => [name, tx.objectStore(name)]));
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
    Promise.resolve(work(stores)).then((value) => { result = value; }, (error) => {
      try { tx.abort(); } catch { /* already finished */ }
      reject(error);
    });
  });
}

export function byUser(store, userId) {
  return done(store.index("userId").getAll(String(userId)));
}

export async function getMeta(key) {
  return transaction("meta", "readonly", async ({ meta }) => (await done(meta.get(key)))?.value);
}

export async function setMeta(key, value) {
  return transaction("meta", "readwrite", ({ meta }) => done(meta.put({ key, value })));
}
