// Web Crypto primitives in the exact formats of DESIGN.md "E2E key formats". Nothing here
// keeps state, logs, or stores anything: callers decide where (non-extractable) keys live.

const subtle = crypto.subtle;
const enc = new TextEncoder();
const dec = new TextDecoder();

export const DEFAULT_KDF_ITERATIONS = 600000;
const RSA = { name: 'RSA-OAEP', hash: 'SHA-256' };
const ED = { name: 'Ed25519' };

/** Unpadded base64url, as every binary value on the wire. */
export function b64u(bytes) {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function unb64u(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function randomBytes(n) {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** A client id for a send: unique per user, and part of an encrypted message's AAD. */
export function newCid() {
  return 'w' + b64u(randomBytes(15));
}

/** Thrown when a wrapped private key does not open: the password is wrong (or the blob damaged). */
export class WrongPasswordError extends Error {
  constructor() { super('wrong encryption password'); this.name = 'WrongPasswordError'; }
}

/**
 * Generated passwords are words joined by single spaces; a person retyping one may add spaces
 * or line breaks, so runs of white space count as one space (a generated password is unchanged).
 */
export function normalizePassword(p) {
  return String(p).trim().split(/\s+/).join(' ');
}

// ---- user key pairs -------------------------------------------------------------------------

/** A fresh RSA-OAEP-2048/SHA-256 pair and Ed25519 pair, extractable only so they can be wrapped once. */
export async function generateIdentity() {
  const rsa = await subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true, ['encrypt', 'decrypt']);
  const sig = await subtle.generateKey(ED, true, ['sign', 'verify']);
  return { rsa, sig };
}

/** The published parts: publicKey {kty, alg, n, e} and signingKey {kty, crv, x}. */
export async function publicJwks({ rsa, sig }) {
  const p = await subtle.exportKey('jwk', rsa.publicKey);
  const s = await subtle.exportKey('jwk', sig.publicKey);
  return {
    publicKey: { kty: 'RSA', alg: 'RSA-OAEP-256', n: p.n, e: p.e },
    signingKey: { kty: 'OKP', crv: 'Ed25519', x: s.x },
  };
}

/** The UTF-8 JSON {"enc": private RSA JWK, "sig": private Ed25519 JWK} that the password protects. */
export async function privateKeysJson({ rsa, sig }) {
  const r = await subtle.exportKey('jwk', rsa.privateKey);
  const s = await subtle.exportKey('jwk', sig.privateKey);
  const encJwk = { kty: 'RSA', alg: 'RSA-OAEP-256', n: r.n, e: r.e, d: r.d, p: r.p, q: r.q, dp: r.dp, dq: r.dq, qi: r.qi };
  return JSON.stringify({ enc: encJwk, sig: { kty: 'OKP', crv: 'Ed25519', x: s.x, d: s.d } });
}

async function passwordKey(password, salt, iter) {
  const base = await subtle.importKey('raw', enc.encode(normalizePassword(password)), 'PBKDF2', false, ['deriveKey']);
  return subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: iter }, base,
    { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** {v:1, kdf:"PBKDF2-SHA256", iter, salt, alg:"A256GCM", iv, ct}: AES-256-GCM under PBKDF2(password). */
export async function wrapPrivateKeys(json, password, iter) {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await passwordKey(password, salt, iter);
  const ct = await subtle.encrypt({ name: 'AES-GCM', iv }, key, enc.encode(json));
  return { v: 1, kdf: 'PBKDF2-SHA256', iter, salt: b64u(salt), alg: 'A256GCM', iv: b64u(iv), ct: b64u(ct) };
}

/** The private keys JSON; WrongPasswordError when the GCM tag does not verify. */
export async function unwrapPrivateKeys(w, password) {
  if (!w || w.v !== 1 || w.kdf !== 'PBKDF2-SHA256' || w.alg !== 'A256GCM'
      || !Number.isInteger(w.iter) || w.iter < 1 || w.iter > 10000000) {
    throw new Error('the stored private key has an unknown format');
  }
  const key = await passwordKey(password, unb64u(w.salt), w.iter);
  try {
    return dec.decode(await subtle.decrypt({ name: 'AES-GCM', iv: unb64u(w.iv) }, key, unb64u(w.ct)));
  } catch (e) {
    throw new WrongPasswordError();
  }
}

/**
 * The unwrapped private keys as NON-extractable CryptoKeys: from here on the page can decrypt
 * and sign with them, but no script can read them out again.
 */
export async function importPrivateKeys(json) {
  const { enc: r, sig: s } = JSON.parse(json);
  const rsaPrivate = await subtle.importKey('jwk',
    { kty: 'RSA', alg: 'RSA-OAEP-256', n: r.n, e: r.e, d: r.d, p: r.p, q: r.q, dp: r.dp, dq: r.dq, qi: r.qi },
    RSA, false, ['decrypt']);
  const sigPrivate = s ? await subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: s.x, d: s.d }, ED, false, ['sign']) : null;
  return { rsaPrivate, sigPrivate, modulus: r.n, signingX: s ? s.x : null };
}

/** ukid = first 16 characters of base64url(SHA-256(UTF-8 of `<n>|<e>|<signing x or empty>`)). */
export async function ukidOf(publicKey, signingX) {
  const text = `${publicKey.n}|${publicKey.e}|${signingX || ''}`;
  return b64u(await subtle.digest('SHA-256', enc.encode(text))).slice(0, 16);
}

export function importRsaPublic(jwk) {
  return subtle.importKey('jwk', { kty: 'RSA', alg: 'RSA-OAEP-256', n: jwk.n, e: jwk.e }, RSA, false, ['encrypt']);
}

export function importSigningPublic(jwk) {
  return subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, ED, false, ['verify']);
}

// ---- room keys ------------------------------------------------------------------------------

export function newRoomKey() {
  return randomBytes(32);
}

/** kid = first 16 characters of base64url(SHA-256(raw key)). */
export async function kidOf(raw) {
  return b64u(await subtle.digest('SHA-256', raw)).slice(0, 16);
}

/** A room key for encrypting and decrypting messages; never extractable. */
export function importRoomKey(raw) {
  return subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

/** A member key {kid, alg:"RSA-OAEP-256", ct}: the raw room key under a member's public key. */
export async function sealRoomKey(raw, kid, rsaPublic) {
  return { kid, alg: 'RSA-OAEP-256', ct: b64u(await subtle.encrypt(RSA, rsaPublic, raw)) };
}

/**
 * Opens a member key and checks it against its kid: a key that does not hash to its kid is
 * refused, so no member can slip a different key under a room's key id.
 */
export async function openRoomKey(memberKey, rsaPrivate) {
  const raw = new Uint8Array(await subtle.decrypt(RSA, rsaPrivate, unb64u(memberKey.ct)));
  if (raw.length !== 32 || await kidOf(raw) !== memberKey.kid) {
    raw.fill(0);
    throw new Error('a room key does not match its key id');
  }
  return raw;
}

// ---- messages -------------------------------------------------------------------------------

const aadOf = (rid, uid, cid) => enc.encode(`${rid}|${uid}|${cid}`);
const signedOf = (rid, uid, cid, e) => enc.encode(`${rid}|${uid}|${cid}|${e.kid}|${e.iv}|${e.ct}`);

/** The e2e envelope {kid, iv, ct, sig} of a message: AES-GCM with AAD rid|uid|cid, signed with Ed25519. */
export async function encryptMessage({ rid, uid, cid, kid, key, sigPrivate, content }) {
  const iv = randomBytes(12);
  const ct = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aadOf(rid, uid, cid) }, key,
    enc.encode(JSON.stringify(content)));
  const e2e = { kid, iv: b64u(iv), ct: b64u(ct) };
  if (sigPrivate) e2e.sig = b64u(await subtle.sign(ED, sigPrivate, signedOf(rid, uid, cid, e2e)));
  return e2e;
}

/** The plaintext JSON object; throws when the key, the AAD or the ciphertext do not match. */
export async function decryptMessage({ rid, uid, cid, e2e, key }) {
  const pt = await subtle.decrypt({ name: 'AES-GCM', iv: unb64u(e2e.iv), additionalData: aadOf(rid, uid, cid) },
    key, unb64u(e2e.ct));
  const content = JSON.parse(dec.decode(pt));
  // text, files or both (protocol.md "Encrypted files": text is optional when files are present)
  const hasText = content && typeof content.text === 'string';
  const hasFiles = content && Array.isArray(content.files) && content.files.length > 0;
  if (!hasText && !hasFiles) throw new Error('no text in the message');
  if (content.text !== undefined && !hasText) throw new Error('the text of the message is not a string');
  return content;
}

export async function verifyMessage({ rid, uid, cid, e2e, verifyKey }) {
  if (!e2e.sig || !verifyKey) return false;
  try {
    return await subtle.verify(ED, verifyKey, unb64u(e2e.sig), signedOf(rid, uid, cid, e2e));
  } catch (e) {
    return false;
  }
}
