// The chunked file format of docs/protocol.md "Encrypted files": AES-256-GCM per 64 KiB chunk,
// nonce = 8-byte prefix || uint32 BE chunk index, AAD = "sealroom-file|<i>|<1 if last else 0>".
// Both directions work a chunk at a time: sealing reads 64 KiB slices of the File, opening
// reads the download's stream, and the SHA-256 of the ciphertext is computed as the bytes pass
// (sha256.js). Finished parts are handed to the browser as Blobs every GROUP chunks, which the
// browser may keep on disk, so the page itself holds a bounded number of chunks at a time.
// Nothing here logs or stores anything; keys exist only in the callers' descriptors.

import { Sha256 } from './sha256.js';
import { b64u, unb64u, randomBytes } from './crypto.js';

export const CHUNK = 65536;
export const TAG = 16;
export const SEALED = CHUNK + TAG;
const GROUP = 64; // chunks (4 MiB) per Blob part
const MAX_CHUNKS = 2 ** 32;
const enc = new TextEncoder();

/** A file that does not open: tampered, truncated, reordered, extended, or not the one described. */
export class FileIntegrityError extends Error {
  constructor(why) {
    super(`This file failed its integrity check (${why}).`);
    this.name = 'FileIntegrityError';
    this.why = why;
  }
}

/** The number of chunks a writer makes for a plaintext of this size. */
export function chunkCount(size) {
  return Math.max(1, Math.ceil(size / CHUNK));
}

/** The size of the upload (the sealed chunks) for a plaintext of this size. */
export function sealedSize(size) {
  return size + chunkCount(size) * TAG;
}

function nonceOf(prefix, i) {
  const n = new Uint8Array(12);
  n.set(prefix, 0);
  new DataView(n.buffer).setUint32(8, i);
  return n;
}

function aadOf(i, last) {
  return enc.encode(`sealroom-file|${i}|${last ? 1 : 0}`);
}

function importKey(raw, usage) {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, [usage]);
}

function aborted(signal) {
  if (signal && signal.aborted) throw new DOMException('cancelled', 'AbortError');
}

/** Collects parts into Blobs of GROUP parts each, so no more than GROUP chunks stay in the page. */
class Parts {
  constructor(type) {
    this.type = type;
    this.blobs = [];
    this.open = [];
  }

  add(bytes) {
    this.open.push(bytes);
    if (this.open.length >= GROUP) this.flush();
  }

  flush() {
    if (this.open.length) this.blobs.push(new Blob(this.open));
    this.open = [];
  }

  blob() {
    this.flush();
    return new Blob(this.blobs, { type: this.type });
  }
}

/**
 * Encrypts a File or Blob chunk by chunk with a fresh key and prefix. Resolves with
 * {blob (the upload), key, prefix (base64url), sha256 (hex of the upload), size (plaintext)}.
 * onProgress(done, total) after each chunk; an aborted signal stops it with an AbortError.
 */
export async function sealFile(file, { onProgress = () => {}, signal, rawKey, rawPrefix } = {}) {
  const raw = rawKey || randomBytes(32);
  const prefix = rawPrefix || randomBytes(8);
  const key = await importKey(raw, 'encrypt');
  const size = file.size;
  const n = chunkCount(size);
  const hash = new Sha256();
  const parts = new Parts('application/octet-stream');
  for (let i = 0; i < n; i++) {
    aborted(signal);
    const plain = await file.slice(i * CHUNK, Math.min(size, (i + 1) * CHUNK)).arrayBuffer();
    const sealed = new Uint8Array(await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: nonceOf(prefix, i), additionalData: aadOf(i, i === n - 1) }, key, plain));
    hash.update(sealed);
    parts.add(sealed);
    onProgress(Math.min(size, (i + 1) * CHUNK), size);
  }
  const out = { blob: parts.blob(), key: b64u(raw), prefix: b64u(prefix), sha256: hash.hex(), size };
  if (!rawKey) raw.fill(0);
  return out;
}

/** Checks the crypto fields of a descriptor (or thumb); throws FileIntegrityError when one is malformed. */
export function checkDescriptor(d) {
  const ok = d && typeof d === 'object'
    && Number.isSafeInteger(d.size) && d.size >= 0
    && d.chunk === CHUNK
    && typeof d.key === 'string' && /^[A-Za-z0-9_-]{43}$/.test(d.key)
    && typeof d.prefix === 'string' && /^[A-Za-z0-9_-]{11}$/.test(d.prefix)
    && typeof d.sha256 === 'string' && /^[0-9a-f]{64}$/.test(d.sha256)
    && typeof d.id === 'string' && /^[A-Za-z0-9]{20}$/.test(d.id);
  if (!ok) throw new FileIntegrityError('its description is malformed');
  return d;
}

/** Reads a stream's reader as Uint8Arrays, honouring an abort signal. */
async function* bytesOf(reader, signal) {
  for (;;) {
    aborted(signal);
    const { done, value } = await reader.read();
    if (done) return;
    if (value && value.length) yield value;
  }
}

/**
 * Opens the stored bytes of an encrypted file (a ReadableStream) with its descriptor
 * {size, key, prefix, chunk, sha256}: cuts it into SEALED-byte pieces, the piece ending the
 * stream being the last, opens each with the AAD that implies, and checks the total size and
 * the SHA-256 of the ciphertext. Resolves with the plaintext Blob (of `type`) only when every
 * check passed; otherwise rejects with FileIntegrityError (nothing of the plaintext escapes)
 * and cancels the stream, so that a download stops at the first failure (an abort too).
 * onProgress(received, expected) counts ciphertext bytes.
 */
export async function openFile(stream, desc, options = {}) {
  const reader = stream.getReader();
  try {
    return await openRead(reader, desc, options);
  } catch (e) {
    reader.cancel(e).catch(() => {}); // a stream that ended or failed has nothing to cancel
    throw e;
  } finally {
    reader.releaseLock();
  }
}

async function openRead(reader, desc, { type = 'application/octet-stream', onProgress = () => {}, signal } = {}) {
  checkDescriptor(desc);
  const expected = sealedSize(desc.size);
  const key = await importKey(unb64u(desc.key), 'decrypt');
  const prefix = unb64u(desc.prefix);
  const hash = new Sha256();
  const parts = new Parts(type);
  const state = { index: 0, plain: 0 };
  let held = new Uint8Array(0); // bytes not opened yet: at most one piece and what came after it
  let received = 0;
  const open = async (piece, last) => {
    if (state.index >= MAX_CHUNKS) throw new FileIntegrityError('it has too many chunks');
    let plain;
    try {
      plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonceOf(prefix, state.index),
        additionalData: aadOf(state.index, last) }, key, piece);
    } catch (e) {
      throw new FileIntegrityError(`chunk ${state.index} does not open`);
    }
    state.index += 1;
    state.plain += plain.byteLength;
    parts.add(new Uint8Array(plain));
  };
  for await (const value of bytesOf(reader, signal)) {
    received += value.length;
    if (received > expected) throw new FileIntegrityError('it is longer than described');
    hash.update(value);
    held = concat(held, value);
    // a full piece is known not to be the last once a byte follows it
    let at = 0;
    while (held.length - at > SEALED) {
      await open(held.subarray(at, at + SEALED), false);
      at += SEALED;
    }
    if (at) held = held.slice(at);
    onProgress(received, expected);
  }
  aborted(signal);
  if (held.length < TAG) throw new FileIntegrityError('it is truncated');
  await open(held, true);
  if (state.plain !== desc.size || received !== expected) throw new FileIntegrityError('its size is not the one described');
  if (hash.hex() !== desc.sha256) throw new FileIntegrityError('its SHA-256 is not the one described');
  return parts.blob();
}

function concat(a, b) {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
