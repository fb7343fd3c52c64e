// Key transparency, the client's side (docs/protocol.md "The key-transparency log" and "What
// clients check"): RFC 9162 section 2.1 Merkle proofs, signed tree heads pinned in
// localStorage, and the inclusion check every peer key version passes before the page encrypts
// to it or trusts it. A failed check is a KtError; nothing here falls back silently.

import { b64u, unb64u } from './crypto.js';

const subtle = crypto.subtle;
const enc = new TextEncoder();
const ED = { name: 'Ed25519' };

/**
 * A check the server could not pass. `why` is a short code: 'signature', 'inclusion',
 * 'consistency', 'fork', 'logkey', 'leaf' or 'unavailable'. With a user (uid or username) it
 * is about that user's keys; without, about the log's heads.
 */
export class KtError extends Error {
  constructor(why, { uid = null, username = null, cause } = {}) {
    const who = username || uid;
    super(who ? `The server could not prove that these are ${who}'s keys (${why}).`
      : `The server's key log is inconsistent (${why}).`);
    this.name = 'KtError';
    this.why = why;
    this.uid = uid;
    this.username = username;
    if (cause !== undefined) this.cause = cause;
  }
}

// ---- RFC 9162 section 2.1 ---------------------------------------------------------------------

async function sha256(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const buf = new Uint8Array(n);
  let at = 0;
  for (const p of parts) { buf.set(p, at); at += p.length; }
  return new Uint8Array(await subtle.digest('SHA-256', buf));
}

const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);
const nodeHash = (left, right) => sha256(NODE, left, right);

/** SHA-256(0x00 || leaf): the hash of a log leaf, given as its string (UTF-8) or its bytes. */
export function leafHash(leaf) {
  return sha256(LEAF, typeof leaf === 'string' ? enc.encode(leaf) : leaf);
}

/** The root of the empty tree, SHA-256 of nothing. */
export function emptyRoot() {
  return sha256();
}

function equalBytes(a, b) {
  if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

const isHash = (h) => h instanceof Uint8Array && h.length === 32;
const isSize = (n) => Number.isSafeInteger(n) && n >= 0;
// Tree sizes go past 2^32, where JavaScript's bit operators stop working: halve with division.
const odd = (n) => n % 2 === 1;
const half = (n) => Math.floor(n / 2);

/**
 * RFC 9162 section 2.1.3.2: whether `path` (sibling first, up to the root's child) proves that
 * the leaf with this hash is leaf `index` of the tree of `size` leaves whose root is `root`.
 * Malformed arguments give false, not an exception.
 */
export async function verifyInclusion(index, size, leafHashBytes, path, root) {
  if (!isSize(index) || !isSize(size) || index >= size || !isHash(leafHashBytes) || !isHash(root)
      || !Array.isArray(path) || !path.every(isHash)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHashBytes;
  for (const p of path) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      // skip the levels where this node has no right sibling
      while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

/**
 * RFC 9162 section 2.1.4.2: whether `path` proves that the tree of `size1` leaves with root
 * `root1` is a prefix of the tree of `size2` leaves with root `root2`. Equal sizes need an empty
 * path and equal roots; the empty tree (size1 0, whose root is SHA-256("")) is a prefix of any.
 */
export async function verifyConsistency(size1, size2, root1, root2, path) {
  if (!isSize(size1) || !isSize(size2) || size1 > size2 || !isHash(root1) || !isHash(root2)
      || !Array.isArray(path) || !path.every(isHash)) return false;
  if (size1 === size2) return path.length === 0 && equalBytes(root1, root2);
  if (size1 === 0) return path.length === 0 && equalBytes(root1, await emptyRoot());
  if (path.length === 0) return false;
  // a first tree that is a complete subtree is its own first node of the proof
  const nodes = isPowerOfTwo(size1) ? [root1, ...path] : path;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) { fn = half(fn); sn = half(sn); }
  let fr = nodes[0];
  let sr = nodes[0];
  for (let i = 1; i < nodes.length; i++) {
    const c = nodes[i];
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, root1) && equalBytes(sr, root2);
}

function isPowerOfTwo(n) {
  let m = n;
  while (m > 1 && !odd(m)) m = half(m);
  return m === 1;
}

// ---- signed heads and the client's checks -----------------------------------------------------

const HEAD_PATH = '/api/v1/kt/head';

/** The bytes of a canonical unpadded base64url value of `length` bytes, or null. */
function bytesOf(text, length) {
  try {
    const b = unb64u(text);
    return b.length === length && b64u(b) === text ? b : null;
  } catch (e) {
    return null;
  }
}

/** The head's fields in canonical form, or null when any is missing or malformed. */
function wellFormed(h) {
  if (!h || typeof h !== 'object' || !isSize(h.size) || !Number.isSafeInteger(h.ts)) return null;
  const k = h.logKey;
  if (!k || k.kty !== 'OKP' || k.crv !== 'Ed25519' || !bytesOf(k.x, 32)) return null;
  if (!bytesOf(h.root, 32) || !bytesOf(h.sig, 64)) return null;
  return { size: h.size, root: h.root, ts: h.ts, sig: h.sig, logKey: { kty: 'OKP', crv: 'Ed25519', x: k.x } };
}

async function signatureHolds(h) {
  try {
    const key = await subtle.importKey('raw', unb64u(h.logKey.x), ED, false, ['verify']);
    return await subtle.verify(ED, key, unb64u(h.sig), enc.encode(`sealroom-kt|${h.size}|${h.root}|${h.ts}`));
  } catch (e) {
    return false;
  }
}

function pathOf(list) {
  if (!Array.isArray(list)) return null;
  const out = list.map((p) => bytesOf(p, 32));
  return out.every((p) => p !== null) ? out : null;
}

/**
 * The page's view of the log. Keeps the last verified head and the log key (pinned on first
 * use) in `storage` under `storageKey`, so a reload or a new tab keeps them, and checks every
 * newer head against it. `fetchJson(path)` answers the parsed JSON of a GET of that path and
 * rejects with an error whose `code` is the contract's (the UI passes its API).
 *
 * Concurrent calls share one head request; successful version checks are remembered for the
 * life of the page (a version in a verified head stays in every consistent later head).
 */
export class KeyTransparency {
  constructor({ fetchJson, storage = globalThis.localStorage, storageKey = 'sealroom.kt' }) {
    this.fetchJson = fetchJson;
    this.storage = storage;
    this.storageKey = storageKey;
    this.pendingHead = null;
    this.versions = new Map();
  }

  /** The last verified head `{logKey, size, root, ts, sig}`, or null before the first one. */
  lastHead() {
    let kept;
    try {
      const text = this.storage.getItem(this.storageKey);
      kept = text ? wellFormed(JSON.parse(text)) : null;
    } catch (e) {
      kept = null;
    }
    return kept;
  }

  /** The server's current head, once verified against the kept one; KtError otherwise. */
  head() {
    if (!this.pendingHead) {
      this.pendingHead = this.fetchHead().finally(() => { this.pendingHead = null; });
    }
    return this.pendingHead;
  }

  async fetchHead() {
    let answer;
    try {
      answer = await this.fetchJson(HEAD_PATH);
    } catch (e) {
      throw new KtError('unavailable', { cause: e });
    }
    const h = wellFormed(answer);
    if (!h) throw new KtError('signature');
    const kept = this.lastHead();
    if (kept && kept.logKey.x !== h.logKey.x) throw new KtError('logkey');
    if (!await signatureHolds(h)) throw new KtError('signature');
    if (kept) await this.checkExtends(kept, h);
    this.keep(h);
    return h;
  }

  /** A newer head must extend the kept tree; the same size must have the same root. */
  async checkExtends(kept, h) {
    if (h.size < kept.size) throw new KtError('fork');
    if (h.size === kept.size) {
      if (h.root !== kept.root) throw new KtError('fork');
      return;
    }
    let path = [];
    if (kept.size > 0) {
      let proof;
      try {
        proof = await this.fetchJson(`/api/v1/kt/consistency?from=${kept.size}&to=${h.size}`);
      } catch (e) {
        throw new KtError('unavailable', { cause: e });
      }
      path = pathOf(proof && proof.path);
    }
    if (!path || !await verifyConsistency(kept.size, h.size, unb64u(kept.root), unb64u(h.root), path)) {
      throw new KtError('consistency');
    }
  }

  keep(h) {
    try {
      this.storage.setItem(this.storageKey, JSON.stringify(h));
    } catch (e) {
      // a full storage only costs the pin across reloads; this page keeps checking
    }
  }

  /**
   * Resolves with `{index, leaf, size}` once version `ukid` of user `uid` is proved to be in the
   * current verified head; throws a KtError naming `username` otherwise (a head that fails its
   * own checks keeps its `why`).
   */
  checkVersion(uid, ukid, username) {
    const key = `${uid}|${ukid}`;
    let check = this.versions.get(key);
    if (!check) {
      check = this.proveVersion(uid, ukid, username);
      this.versions.set(key, check);
      // a failure is not remembered: the next use asks again, and fails loudly again
      check.catch(() => this.versions.delete(key));
    }
    return check;
  }

  async proveVersion(uid, ukid, username) {
    const who = { uid, username };
    if (typeof uid !== 'string' || typeof ukid !== 'string' || !uid || !ukid) throw new KtError('leaf', who);
    let head;
    try {
      head = await this.head();
    } catch (e) {
      throw new KtError(e instanceof KtError ? e.why : 'unavailable', { ...who, cause: e });
    }
    if (head.size === 0) throw new KtError('inclusion', who);
    let proof;
    try {
      proof = await this.fetchJson(`/api/v1/kt/proof?uid=${encodeURIComponent(uid)}&ukid=${
        encodeURIComponent(ukid)}&size=${head.size}`);
    } catch (e) {
      throw new KtError(e && e.code === 'not_found' ? 'inclusion' : 'unavailable', { ...who, cause: e });
    }
    const prefix = `${uid}|${ukid}|`;
    if (!proof || typeof proof.leaf !== 'string' || !proof.leaf.startsWith(prefix)
        || !/^[0-9]+$/.test(proof.leaf.slice(prefix.length))) {
      throw new KtError('leaf', who);
    }
    const path = pathOf(proof.path);
    const sizeNamed = proof.size === undefined || proof.size === head.size;
    if (!path || !sizeNamed || !await verifyInclusion(proof.index, head.size, await leafHash(proof.leaf), path,
      unb64u(head.root))) {
      throw new KtError('inclusion', who);
    }
    return { index: proof.index, leaf: proof.leaf, size: head.size };
  }
}
