// IndexedDB holding a user's unwrapped keys as NON-extractable CryptoKeys (structured clone keeps
// them non-extractable), so a reload does not ask for the encryption password again, while no
// script can ever read the key bytes. Nothing secret goes to localStorage; the password is
// never stored anywhere.
//
// Stores:
//   identity  uid -> {uid, modulus, signingX, rsaPrivate, sigPrivate}
//   roomKeys  [uid, rid, kid] -> {uid, rid, kid, key}

const DB_NAME = 'sealroom';
const VERSION = 1;
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        if (!db.objectStoreNames.contains('identity')) db.createObjectStore('identity', { keyPath: 'uid' });
        if (!db.objectStoreNames.contains('roomKeys')) {
          const s = db.createObjectStore('roomKeys', { keyPath: ['uid', 'rid', 'kid'] });
          s.createIndex('byUser', 'uid');
        }
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => { opening = null; reject(req.error); };
    });
  }
  return opening;
}

/** Runs fn(stores) in one transaction; resolves with what fn's last request produced. */
async function tx(names, mode, fn) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(names, mode);
    let result;
    const stores = names.map((n) => t.objectStore(n));
    const req = fn(...stores);
    if (req) req.onsuccess = () => { result = req.result; };
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

export function getIdentity(uid) {
  return tx(['identity'], 'readonly', (s) => s.get(uid));
}

export function putIdentity(record) {
  return tx(['identity'], 'readwrite', (s) => s.put(record));
}

export function getRoomKey(uid, rid, kid) {
  return tx(['roomKeys'], 'readonly', (s) => s.get([uid, rid, kid]));
}

export function putRoomKey(uid, rid, kid, key) {
  return tx(['roomKeys'], 'readwrite', (s) => s.put({ uid, rid, kid, key }));
}

/** Forgets everything of this user on this device: identity and every room key. */
export function forgetUser(uid) {
  return tx(['identity', 'roomKeys'], 'readwrite', (ids, rooms) => {
    ids.delete(uid);
    const cursor = rooms.index('byUser').openKeyCursor(IDBKeyRange.only(uid));
    cursor.onsuccess = () => {
      const c = cursor.result;
      if (c) {
        rooms.delete(c.primaryKey);
        c.continue();
      }
    };
    return null;
  });
}
