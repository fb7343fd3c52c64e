// The file routes of docs/protocol.md "Files", over HTTP with the session's bearer token.
// Uploads go through XMLHttpRequest, the one browser API that reports upload progress (a fetch
// with a streamed body would need HTTP/2, and reports nothing). Downloads are fetched as
// streams, so that the caller can count and check the bytes as they come. Nothing is logged.

import { ApiError } from './api.js';

const UNREACHABLE = { code: 'unavailable', message: 'The server cannot be reached. Check your connection.' };

export function cancelled() {
  return new DOMException('cancelled', 'AbortError');
}

export function isCancel(err) {
  return !!err && err.name === 'AbortError';
}

function parseError(status, text) {
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  return new ApiError(status, json && json.error);
}

/**
 * POST /api/v1/rooms/{rid}/files with a File or Blob as the body; resolves with the server's
 * file object. params: {name, type} for plain rooms only. onProgress(sent, total).
 */
export function uploadFile(rid, body, token, { params = {}, onProgress = () => {}, signal } = {}) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => { if (v) q.set(k, v); });
  const url = `/api/v1/rooms/${encodeURIComponent(rid)}/files${q.toString() ? `?${q}` : ''}`;
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) { reject(cancelled()); return; }
    const xhr = new XMLHttpRequest();
    const onAbort = () => xhr.abort();
    const done = () => { if (signal) signal.removeEventListener('abort', onAbort); };
    xhr.open('POST', url);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (ev) => onProgress(ev.loaded, ev.lengthComputable ? ev.total : body.size);
    xhr.onload = () => {
      done();
      if (xhr.status === 201) {
        try {
          resolve(JSON.parse(xhr.responseText).file);
        } catch (e) {
          reject(new ApiError(502, { code: 'unavailable', message: 'The server answered the upload in a way this page does not understand.' }));
        }
      } else {
        reject(parseError(xhr.status, xhr.responseText));
      }
    };
    // a limit refused while the body streams ends with the connection closed: no answer to read
    xhr.onerror = () => { done(); reject(new ApiError(0, UNREACHABLE)); };
    xhr.onabort = () => { done(); reject(cancelled()); };
    if (signal) signal.addEventListener('abort', onAbort);
    xhr.send(body);
  });
}

/** GET /api/v1/files/{fid}: the Response, whose body the caller reads as a stream. */
export async function fetchFile(fid, token, signal) {
  let res;
  try {
    res = await fetch(`/api/v1/files/${encodeURIComponent(fid)}`, {
      headers: { Authorization: `Bearer ${token}` }, cache: 'no-store', credentials: 'omit', signal });
  } catch (e) {
    if (isCancel(e)) throw e;
    throw new ApiError(0, UNREACHABLE);
  }
  if (!res.ok) throw parseError(res.status, await res.text().catch(() => ''));
  return res;
}

/** DELETE /api/v1/files/{fid}: gives up an upload that no message carries. Never throws. */
export async function deleteFile(fid, token) {
  try {
    await fetch(`/api/v1/files/${encodeURIComponent(fid)}`, {
      method: 'DELETE', headers: { Authorization: `Bearer ${token}` }, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    // the server collects orphaned uploads anyway (files.orphanTtlSeconds)
  }
}

/** Reads a plain file's stream into a Blob, counting bytes; refuses a length other than expected. */
export async function readAll(res, expected, type, onProgress, signal) {
  const reader = res.body.getReader();
  const parts = [];
  const blobs = [];
  let received = 0;
  for (;;) {
    if (signal && signal.aborted) { reader.cancel().catch(() => {}); throw cancelled(); }
    const { done, value } = await reader.read();
    if (done) break;
    received += value.length;
    parts.push(value);
    // hand finished parts to the browser's Blob storage, which may keep them on disk
    if (parts.length >= 64) blobs.push(new Blob(parts.splice(0)));
    onProgress(received, expected);
  }
  if (expected !== undefined && received !== expected) throw new Error('the download ended early');
  return new Blob(blobs.concat(parts.length ? [new Blob(parts)] : []), { type });
}
