// Safety numbers (docs/protocol.md "Safety numbers"), modelled on Signal's displayable
// fingerprint: two people compare 60 digits, read aloud or as a QR code, to check that the
// server handed each of them the other's real signing key. The 5200 rounds of SHA-512 make it
// costly to search for a different key whose digits look the same.

import { unb64u } from './crypto.js';

const subtle = crypto.subtle;
const enc = new TextEncoder();

/** The number of SHA-512 computations per half, fixed by the protocol. */
export const ITERATIONS = 5200;
/** What the QR code of a safety number holds before the 60 digits. */
export const QR_PREFIX = 'sealroom-sn:1:';

const SIXTY = /^[0-9]{60}$/;

/**
 * One user's 30 digits: h = SHA-512(0x00 0x00 || x || uid), then 5199 times
 * h = SHA-512(h || x); the first 30 bytes as six 5-byte big-endian numbers, each mod 100000.
 * x is the unpadded base64url Ed25519 public key (32 bytes). Web Crypto's digest is
 * asynchronous, so the rounds never hold the page's thread for long.
 */
export async function safetyHalf(uid, x) {
  if (typeof uid !== 'string' || uid.length === 0) throw new Error('a safety number needs a user id');
  const key = unb64u(x);
  if (key.length !== 32) throw new Error('a signing key is 32 bytes');
  const u = enc.encode(uid);
  const first = new Uint8Array(2 + key.length + u.length);
  first.set(key, 2);
  first.set(u, 2 + key.length);
  let h = new Uint8Array(await subtle.digest('SHA-512', first));
  // one buffer for every later round: the previous hash, then the key
  const round = new Uint8Array(64 + key.length);
  round.set(key, 64);
  for (let i = 1; i < ITERATIONS; i++) {
    round.set(h, 0);
    h = new Uint8Array(await subtle.digest('SHA-512', round));
  }
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let n = 0;
    // 40 bits fit exactly in a double, so plain arithmetic is exact here
    for (let b = 0; b < 5; b++) n = n * 256 + h[chunk * 5 + b];
    digits += String(n % 100000).padStart(5, '0');
  }
  return digits;
}

/**
 * The 60 digits of two users, each `{uid, x}`: both halves in ascending string order, so both
 * people see the same number whoever computes it.
 */
export async function safetyNumber(a, b) {
  if (!a || !b || !a.x || !b.x) throw new Error('a user without a signing key has no safety number');
  const [ha, hb] = await Promise.all([safetyHalf(a.uid, a.x), safetyHalf(b.uid, b.x)]);
  return ha <= hb ? ha + hb : hb + ha;
}

/** The digits as groups of five, for display: 60 digits give 12 groups. */
export function groups(digits) {
  if (typeof digits !== 'string' || !/^([0-9]{5})+$/.test(digits)) {
    throw new Error('safety number digits come in groups of five');
  }
  return digits.match(/[0-9]{5}/g);
}

/** The text of the QR code of a safety number: `sealroom-sn:1:` and the 60 digits. */
export function qrPayload(digits) {
  if (typeof digits !== 'string' || !SIXTY.test(digits)) throw new Error('a safety number has 60 digits');
  return QR_PREFIX + digits;
}

/**
 * Whether what the user scanned or typed is this safety number: either the exact QR payload,
 * or the 60 digits with any spaces or line breaks between them (as read out or copied from the
 * grouped display). Anything else, including a payload of another version, is not a match.
 */
export function matchesScanned(text, digits) {
  if (typeof text !== 'string' || typeof digits !== 'string' || !SIXTY.test(digits)) return false;
  if (text.startsWith(QR_PREFIX)) return text === QR_PREFIX + digits;
  const typed = text.replace(/[ \t\r\n]+/g, '');
  return SIXTY.test(typed) && typed === digits;
}
