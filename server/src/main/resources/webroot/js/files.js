// Files in rooms (docs/protocol.md "Files"). Attachments are uploaded as soon as they are
// attached: in a plain room the bytes as they are, with name and type; in an encrypted room
// sealed in the page (filecrypto.js) with nothing about the file in the URL, and a picture gets
// a thumbnail made here on a canvas, sealed and uploaded beside it under a key of its own. A
// message's files become "views" a reader sees (name, size, preview); downloads of encrypted
// files are opened and checked chunk by chunk, and offered only when every check passed.
// File names, keys and contents are never logged.

import * as fc from './filecrypto.js';
import * as t from './transfer.js';

export const MAX_IDS = 10; // file ids per message, thumbnails included
const PREVIEWABLE = /^image\/(png|jpeg|gif|webp)$/;
const PLAIN_PREVIEW_MAX = 10 * 1024 * 1024; // larger pictures of plain rooms show as files
const THUMB_SOURCE_MAX = 50 * 1024 * 1024; // larger pictures get no thumbnail
const THUMB_EDGE = 320;
const THUMB_MAX = 2 * 1024 * 1024; // a larger "thumbnail" is not fetched by itself: only a download fetches much
const KEEP_URL_MS = 5 * 60 * 1000; // a saved download's object URL lives this long
const TYPE = /^[a-z0-9!#$&^_.+-]{1,127}\/[a-z0-9!#$&^_.+-]{1,127}$/;
// embeddings and overrides, isolates, and the LRM, RLM and ALM marks
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
const BYTES = 'application/octet-stream';

export const INTEGRITY = 'This file failed its integrity check and was not downloaded: '
  + 'what the server sent is not what the sender encrypted.';

/**
 * A name safe to show and to save under: no control characters or path separators (each becomes
 * "_"), no bidirectional controls (removed: "invoice" U+202E "fdp.exe" would show as
 * "invoiceexe.pdf"), at most 255 characters.
 */
export function cleanName(name) {
  const n = String(name || '').replace(BIDI, '').replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim().slice(0, 255);
  return n || 'file';
}

export function cleanType(type) {
  const s = String(type || '').toLowerCase();
  return TYPE.test(s) ? s : '';
}

/** The files of a plain room's message: the server's file objects. */
export function plainViews(files) {
  return (files || []).map((f) => ({ id: f.id, name: cleanName(f.name), type: cleanType(f.type), size: f.size,
    encrypted: false, server: f, image: PREVIEWABLE.test(cleanType(f.type)) && f.size <= PLAIN_PREVIEW_MAX }));
}

/**
 * The files of a decrypted message: its descriptors, each beside the server's file object of
 * the same id (which must agree with it on size and sha256, else the file is refused unread).
 */
export function sealedViews(descriptors, serverFiles) {
  const byId = new Map((serverFiles || []).map((f) => [f.id, f]));
  return (Array.isArray(descriptors) ? descriptors : []).map((d) => {
    const view = { id: d && typeof d.id === 'string' ? d.id : '', name: cleanName(d && d.name),
      type: cleanType(d && d.type), size: d && Number.isSafeInteger(d.size) ? d.size : 0, encrypted: true, desc: d };
    try {
      fc.checkDescriptor(d);
    } catch (e) {
      return { ...view, bad: true };
    }
    view.server = byId.get(d.id) || null;
    if (d.thumb && Number.isSafeInteger(d.thumb.size) && d.thumb.size <= THUMB_MAX) {
      try {
        view.thumb = fc.checkDescriptor(d.thumb);
        view.thumbServer = byId.get(d.thumb.id) || null;
        view.image = true;
      } catch (e) {
        view.thumb = null;
      }
    }
    return view;
  });
}

/** Whether the server's file object is the upload a descriptor describes (null: not listed, nothing to compare). */
function agrees(server, desc) {
  return !server || (server.sha256 === desc.sha256 && server.size === fc.sealedSize(desc.size));
}

/** What went wrong with a transfer, in a sentence. */
function failure(err, verb) {
  if (err instanceof fc.FileIntegrityError) return INTEGRITY;
  const why = {
    too_large: 'The file is larger than this server accepts.',
    quota_exceeded: 'Your storage quota on this server is used up.',
    not_found: verb === 'upload' ? 'You are no longer a member of this room.' : 'This file is not available to you any more.',
  }[err && err.code];
  return why || `The ${verb} failed: ${(err && err.message) || 'something went wrong'}`;
}

/**
 * callbacks: onAttachment(att) when an attachment's state changed, onFile(fid) when a download
 * or a preview of that file id changed.
 */
export class Files {
  constructor(api, { onAttachment, onFile }) {
    Object.assign(this, { api, onAttachment, onFile });
    this.attachments = new Map(); // rid -> attachments of the composer, in order
    this.downloads = new Map(); // fid -> {phase: 'downloading'|'done'|'failed'|'cancelled', received, total, error}
    this.previews = new Map(); // fid of the bytes shown -> {url} | {error} | {loading}
  }

  // ---- attachments ---------------------------------------------------------------------------

  list(rid) {
    return this.attachments.get(rid) || [];
  }

  /** Attaches a File to the composer of a room and starts uploading it; throws when the message is full. */
  attach(rid, file, encrypted) {
    const type = cleanType(file.type);
    const ids = encrypted && PREVIEWABLE.test(type) ? 2 : 1;
    const used = this.list(rid).reduce((n, a) => n + a.idCount, 0);
    if (used + ids > MAX_IDS) {
      throw new Error(`A message can carry at most ${MAX_IDS} files${encrypted ? ' (in encrypted rooms a picture counts twice: its preview is a file too)' : ''}.`);
    }
    const att = { lid: `a${Math.random().toString(36).slice(2)}`, rid, encrypted, file, name: cleanName(file.name),
      type, size: file.size, idCount: ids, phase: 'preparing', done: 0, total: file.size, error: null,
      ids: [], uploaded: [], view: null, controller: new AbortController() };
    this.attachments.set(rid, this.list(rid).concat(att));
    this.upload(att);
    return att;
  }

  async upload(att) {
    const { signal } = att.controller;
    let last = 0;
    const step = (phase) => (done, total) => {
      const moved = phase !== att.phase || done === total;
      Object.assign(att, { phase, done, total });
      if (moved || Date.now() - last > 100) { last = Date.now(); this.changed(att); }
    };
    try {
      if (att.encrypted) await this.uploadSealed(att, step, signal);
      else await this.uploadPlain(att, step, signal);
      Object.assign(att, { phase: 'done', done: att.total });
    } catch (err) {
      att.uploaded.forEach((fid) => t.deleteFile(fid, this.api.token()));
      att.uploaded = [];
      if (t.isCancel(err)) return;
      Object.assign(att, { phase: 'failed', error: failure(err, 'upload') });
    }
    this.changed(att);
  }

  async uploadPlain(att, step, signal) {
    step('uploading')(0, att.size);
    const f = await t.uploadFile(att.rid, att.file, this.api.token(),
      { params: { name: att.name, type: att.type }, onProgress: step('uploading'), signal });
    att.uploaded.push(f.id);
    if (signal.aborted) throw t.cancelled();
    if (f.size !== att.size) throw new Error('the server stored a different number of bytes');
    att.ids = [f.id];
    att.view = plainViews([f])[0];
    if (att.view.image) this.previews.set(f.id, { url: URL.createObjectURL(att.file) }); // our own bytes: no download
  }

  async uploadSealed(att, step, signal) {
    step('encrypting')(0, att.size);
    const thumb = att.idCount === 2 ? await makeThumb(att.file) : null;
    const sealed = await fc.sealFile(att.file, { onProgress: step('encrypting'), signal });
    const main = await this.putSealed(att, sealed, step('uploading'), signal);
    const desc = { id: main.id, name: att.name, type: att.type, size: att.size, key: sealed.key, prefix: sealed.prefix,
      chunk: fc.CHUNK, sha256: sealed.sha256 };
    const servers = [main];
    if (thumb) {
      const st = await fc.sealFile(thumb.blob, { signal });
      const ts = await this.putSealed(att, st, () => {}, signal);
      desc.thumb = { id: ts.id, type: 'image/jpeg', size: thumb.blob.size, key: st.key, prefix: st.prefix,
        chunk: fc.CHUNK, sha256: st.sha256, w: thumb.w, h: thumb.h };
      servers.push(ts);
      this.previews.set(ts.id, { url: URL.createObjectURL(thumb.blob) }); // made here: no download
    }
    att.ids = servers.map((f) => f.id);
    att.view = sealedViews([desc], servers)[0];
  }

  /** Uploads sealed bytes (no name, no type: they are in the ciphertext) and checks what the server stored. */
  async putSealed(att, sealed, onProgress, signal) {
    onProgress(0, sealed.blob.size);
    const f = await t.uploadFile(att.rid, sealed.blob, this.api.token(), { onProgress, signal });
    att.uploaded.push(f.id);
    if (signal.aborted) throw t.cancelled();
    if (f.sha256 !== sealed.sha256 || f.size !== sealed.blob.size) throw new Error('the upload was damaged on its way');
    return f;
  }

  /** Cancels an upload under way, or gives up a finished one (DELETE: no message carries it). */
  remove(att) {
    this.attachments.set(att.rid, this.list(att.rid).filter((a) => a !== att));
    if (att.phase === 'done' || att.phase === 'failed') this.release([att]);
    else att.controller.abort(); // upload() deletes whatever was stored
    att.phase = 'removed';
    this.changed(att);
  }

  /** Deletes the uploads of attachments that no message will carry (a discarded message). */
  release(atts) {
    atts.forEach((a) => a.uploaded.forEach((fid) => t.deleteFile(fid, this.api.token())));
    atts.forEach((a) => { a.uploaded = []; });
  }

  /** Whether the composer can send: every attachment uploaded. Returns a reason when not. */
  blocker(rid) {
    const list = this.list(rid);
    if (list.some((a) => a.phase === 'failed')) return 'An attachment could not be uploaded. Remove it to send the message.';
    if (list.some((a) => a.phase !== 'done')) return 'Wait for the upload to finish (or cancel it), then send.';
    return null;
  }

  /** The room's uploaded attachments, taken out of the composer for a message. */
  take(rid) {
    const list = this.list(rid);
    this.attachments.delete(rid);
    return list;
  }

  changed(att) {
    this.onAttachment(att);
  }

  // ---- downloads and previews ----------------------------------------------------------------

  download(view) {
    const cur = this.downloads.get(view.id);
    if (cur && cur.phase === 'downloading') return;
    const controller = new AbortController();
    const state = { phase: 'downloading', received: 0, total: view.encrypted ? fc.sealedSize(view.size) : view.size, controller };
    this.downloads.set(view.id, state);
    this.onFile(view.id);
    let last = 0;
    const onProgress = (received) => {
      state.received = received;
      if (Date.now() - last > 100) { last = Date.now(); this.onFile(view.id); }
    };
    this.fetchBlob(view, view.encrypted ? view.desc : null, onProgress, controller.signal)
      .then((blob) => {
        this.downloads.set(view.id, { phase: 'done' });
        save(blob, view.name);
      }, (err) => {
        this.downloads.set(view.id, t.isCancel(err) ? { phase: 'cancelled' }
          : { phase: 'failed', integrity: err instanceof fc.FileIntegrityError, error: failure(err, 'download') });
      })
      .then(() => this.onFile(view.id));
  }

  cancelDownload(fid) {
    const d = this.downloads.get(fid);
    if (d && d.controller) d.controller.abort();
  }

  /**
   * The bytes of a file: plain as stored; encrypted opened with its descriptor and checked. The
   * Blob is typed as one of the PREVIEWABLE pictures (for a preview's <img>) or as bytes, never
   * with another type a sender gave; save() offers it as bytes in any case.
   */
  async fetchBlob(view, desc, onProgress, signal) {
    if (view.bad) throw new fc.FileIntegrityError('its description is malformed');
    if (!desc) {
      const res = await t.fetchFile(view.id, this.api.token(), signal);
      return t.readAll(res, view.size, PREVIEWABLE.test(view.type) ? view.type : BYTES, onProgress, signal);
    }
    const server = desc === view.desc ? view.server : view.thumbServer;
    if (!agrees(server, desc)) throw new fc.FileIntegrityError('the stored file is not the one described');
    const res = await t.fetchFile(desc.id, this.api.token(), signal);
    return fc.openFile(res.body, desc, { type: desc === view.desc ? BYTES : 'image/jpeg', onProgress, signal });
  }

  /** The id whose bytes a view's preview shows (the thumbnail in encrypted rooms), or null. */
  previewId(view) {
    if (!view.image || view.bad) return null;
    return view.encrypted ? view.thumb.id : view.id;
  }

  /** The preview's state ({url} | {error} | {loading}), or null when it was never asked for. */
  previewState(view) {
    const fid = this.previewId(view);
    return fid ? this.previews.get(fid) || null : null;
  }

  /** Starts fetching a view's preview (once); onFile tells when it is there. */
  loadPreview(view) {
    const fid = this.previewId(view);
    if (fid && !this.previews.has(fid)) {
      this.previews.set(fid, { loading: true });
      this.fetchBlob(view, view.encrypted ? view.thumb : null, () => {}, undefined)
        .then((blob) => ({ url: URL.createObjectURL(blob) }),
          (err) => ({ error: err instanceof fc.FileIntegrityError ? 'The preview failed its integrity check.' : 'The preview cannot be shown.' }))
        .then((p) => { this.previews.set(fid, p); this.onFile(view.id); });
    }
  }

  /** Logout: stop every transfer, give up unsent uploads and free the previews. */
  clear() {
    this.attachments.forEach((list) => list.forEach((a) => this.remove(a)));
    this.downloads.forEach((d) => d.controller && d.controller.abort());
    this.previews.forEach((p) => p.url && URL.revokeObjectURL(p.url));
    this.downloads.clear();
    this.previews.clear();
  }
}

/**
 * Offers a checked Blob as a download under its name, typed as bytes only: the blob: URL is of
 * this page's origin, and the type a sender claims (text/html, image/svg+xml ...) must never make
 * the browser render the file there.
 */
function save(blob, name) {
  const url = URL.createObjectURL(blob.type === BYTES ? blob : new Blob([blob], { type: BYTES }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), KEEP_URL_MS);
}

/** A JPEG of at most THUMB_EDGE pixels a side, drawn on a canvas in the page; null when the picture does not decode. */
async function makeThumb(file) {
  if (file.size > THUMB_SOURCE_MAX) return null;
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (e) {
    return null;
  }
  const scale = Math.min(1, THUMB_EDGE / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff'; // JPEG has no transparency
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.82));
  return blob ? { blob, w, h } : null;
}
