// The verified list (docs/protocol.md "The verified list"): which contacts' safety numbers the
// user checked, sealed so that only devices holding the user's private key can read it, and
// stored on the server as one opaque blob with a revision. Two devices writing at once are
// reconciled here: the later `at` of each contact wins.

import { b64u, unb64u, randomBytes } from './crypto.js';

const subtle = crypto.subtle;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });
const RSA = { name: 'RSA-OAEP', hash: 'SHA-256' };
const PATH = '/api/v1/me/verified';
const PAD_BLOCK = 1024;
/** How many times a write re-reads, merges and tries again after a 409 `conflict`. */
export const MAX_WRITE_ATTEMPTS = 5;

/** Thrown when a stored list does not open: it was altered, or sealed for another user. */
export class VerifiedListError extends Error {
  constructor(message) {
    super(message);
    this.name = 'VerifiedListError';
    this.code = 'tampered';
  }
}

export function emptyList() {
  return { v: 1, contacts: {} };
}

const aadOf = (uid, ukid) => enc.encode(`sealroom-verified|${uid}|${ukid}`);

function isEntry(e) {
  return !!e && typeof e === 'object' && typeof e.ukid === 'string' && typeof e.verified === 'boolean'
    && Number.isSafeInteger(e.at);
}

/** Only well-formed entries, with only the contract's fields. */
function cleanContacts(contacts) {
  const out = {};
  if (!contacts || typeof contacts !== 'object') return out;
  for (const [uid, e] of Object.entries(contacts)) {
    if (isEntry(e)) out[uid] = { ukid: e.ukid, verified: e.verified, at: e.at };
  }
  return out;
}

/** The UTF-8 JSON plaintext, padded with spaces in `pad` to a multiple of 1024 bytes. */
export function paddedPlaintext(list) {
  const contacts = cleanContacts(list && list.contacts);
  const bare = enc.encode(JSON.stringify({ v: 1, contacts, pad: '' })).length;
  // spaces need no escaping in JSON: each adds exactly one byte
  const pad = ' '.repeat((PAD_BLOCK - (bare % PAD_BLOCK)) % PAD_BLOCK);
  return enc.encode(JSON.stringify({ v: 1, contacts, pad }));
}

/**
 * The stored form `{v:1, ukid, key:{alg, ct}, iv, ct}` of a list: a fresh 32-byte AES-256-GCM
 * key per call, wrapped with RSA-OAEP-256 to `rsaPublic` (the user's own current key, version
 * `ukid`), and the AAD `sealroom-verified|<uid>|<ukid>` binding the blob to its owner.
 */
export async function sealList(list, { uid, ukid, rsaPublic }) {
  const raw = randomBytes(32);
  const iv = randomBytes(12);
  try {
    const key = await subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt']);
    const ct = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aadOf(uid, ukid) }, key, paddedPlaintext(list));
    const wrapped = await subtle.encrypt(RSA, rsaPublic, raw);
    return { v: 1, ukid, key: { alg: 'RSA-OAEP-256', ct: b64u(wrapped) }, iv: b64u(iv), ct: b64u(ct) };
  } finally {
    raw.fill(0);
  }
}

/**
 * The list `{v:1, contacts}` in a stored blob. No blob, or one sealed for another key version
 * of the user (readable only with keys that ended), is the empty list. A blob that does not
 * open or parse throws a VerifiedListError: the caller must not overwrite it blindly.
 */
export async function openList(blob, { uid, ukid, rsaPrivate }) {
  if (!blob || blob.ukid !== ukid) return emptyList();
  if (blob.v !== 1 || !blob.key || blob.key.alg !== 'RSA-OAEP-256') {
    throw new VerifiedListError('the verified list has an unknown format');
  }
  let raw;
  try {
    raw = new Uint8Array(await subtle.decrypt(RSA, rsaPrivate, unb64u(blob.key.ct)));
    if (raw.length !== 32) throw new Error('a list key is 32 bytes');
    const key = await subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['decrypt']);
    const pt = await subtle.decrypt({ name: 'AES-GCM', iv: unb64u(blob.iv), additionalData: aadOf(uid, ukid) },
      key, unb64u(blob.ct));
    const doc = JSON.parse(dec.decode(pt));
    if (!doc || doc.v !== 1 || typeof doc.contacts !== 'object' || doc.contacts === null) throw new Error('not a list');
    return { v: 1, contacts: cleanContacts(doc.contacts) };
  } catch (e) {
    throw new VerifiedListError('the verified list does not open: it was altered or is not yours');
  } finally {
    if (raw) raw.fill(0);
  }
}

/** The later of two entries; equal times pick by content, so merging in either order agrees. */
function later(x, y) {
  if (!x) return y;
  if (!y) return x;
  if (x.at !== y.at) return x.at > y.at ? x : y;
  return JSON.stringify(x) >= JSON.stringify(y) ? x : y;
}

/** Both lists' contacts; for a contact in both, the entry with the later `at`. */
export function mergeLists(a, b) {
  const ca = cleanContacts(a && a.contacts);
  const cb = cleanContacts(b && b.contacts);
  const contacts = {};
  for (const uid of new Set([...Object.keys(ca), ...Object.keys(cb)])) contacts[uid] = { ...later(ca[uid], cb[uid]) };
  return { v: 1, contacts };
}

/**
 * 'verified' when the user verified the contact's current version, 'changed' when they
 * verified an earlier one (the blocking case), 'unverified' otherwise.
 */
export function statusOf(list, uid, currentUkid) {
  const e = list && list.contacts ? list.contacts[uid] : undefined;
  if (!isEntry(e) || !e.verified) return 'unverified';
  return e.ukid === currentUkid ? 'verified' : 'changed';
}

/**
 * The signed-in user's list, kept in step with the server. `api.get(path)` and
 * `api.put(path, body)` answer parsed JSON and reject with an error carrying the contract's
 * `code`. Writes run one at a time; each seals the whole list afresh and names the revision it
 * read, and a 409 `conflict` re-reads, merges and tries again (at most MAX_WRITE_ATTEMPTS).
 */
export class VerifiedList {
  constructor({ api, uid, ukid, rsaPublic, rsaPrivate }) {
    this.api = api;
    this.own = { uid, ukid, rsaPublic, rsaPrivate };
    this.list = emptyList();
    this.rev = 0;
    this.listeners = new Set();
    this.queue = Promise.resolve();
  }

  /** Reads the stored list (the empty one when there is none); throws VerifiedListError on tamper. */
  async load() {
    await this.read();
    this.emit();
    return this.list;
  }

  async read() {
    const r = await this.api.get(PATH);
    const list = await openList(r && r.blob, this.own);
    this.rev = r && Number.isSafeInteger(r.rev) ? r.rev : 0;
    this.list = list;
    return list;
  }

  status(uid, currentUkid) {
    return statusOf(this.list, uid, currentUkid);
  }

  /** A copy of the contact's entry `{ukid, verified, at}`, or null. */
  entry(uid) {
    const e = this.list.contacts[uid];
    return e ? { ...e } : null;
  }

  /** The user compared the safety number of version `ukid` of `uid` and marked it verified. */
  markVerified(uid, ukid) {
    return this.set(uid, ukid, true);
  }

  /** The user accepted a changed key without verifying it: no longer verified, warning acknowledged. */
  accept(uid, ukid) {
    return this.set(uid, ukid, false);
  }

  /** The user withdrew a verification. */
  unverify(uid, ukid) {
    return this.set(uid, ukid, false);
  }

  /** Calls `cb(this)` after each load and write; returns a function that stops it. */
  onChange(cb) {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  emit() {
    for (const cb of this.listeners) {
      try { cb(this); } catch (e) { /* one listener's failure must not stop the others */ }
    }
  }

  set(uid, ukid, verified) {
    const run = this.queue.then(() => this.write(uid, { ukid, verified }));
    this.queue = run.catch(() => {});
    return run;
  }

  async write(uid, change) {
    const before = this.list.contacts[uid];
    // later than anything this device saw for the contact, so that the change wins a merge
    const entry = { ...change, at: Math.max(Date.now(), before ? before.at + 1 : 0) };
    let local = mergeLists(this.list, { contacts: { [uid]: entry } });
    for (let attempt = 1; ; attempt++) {
      const blob = await sealList(local, this.own);
      try {
        const r = await this.api.put(PATH, { rev: this.rev, blob });
        this.rev = r.rev;
        this.list = local;
        this.emit();
        return this.entry(uid);
      } catch (e) {
        if (!e || e.code !== 'conflict' || attempt >= MAX_WRITE_ATTEMPTS) throw e;
      }
      // another device wrote meanwhile: take its list and put this change on top
      local = mergeLists(await this.read(), local);
    }
  }
}
