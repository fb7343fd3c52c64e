// Sending: a message shows at once as pending, is encrypted first in an encrypted room, and is
// retried with the same cid until acknowledged. A message composed for an encrypted room is
// never sent in plain text behind the user's back, even if the room changed meanwhile.
//
// A send never waits silently: its state says why it is not sent yet (no connection, the server
// busy, no room key yet) or why it failed, with Retry. The text of a pending message lives in
// this page's memory only; a reload loses it, so the page asks before unloading (app.js).

import * as c from './crypto.js';

const MAX_STALE_RETRIES = 3;

/**
 * Entry states (entry.pending): 'sending', 'offline' (waits for the connection), 'busy' (the
 * server asked to retry), 'waiting' (no room key yet), 'failed' (entry.error says why).
 */
export class Sender {
  /** blocked(rid) says why nothing may be encrypted in a room now (trust.js), or null. */
  constructor({ me, identity, roomKeys, timeline, socket, files, room, onChange, blocked = () => null }) {
    Object.assign(this, { me, identity, roomKeys, timeline, socket, files, room, onChange, blocked });
    this.waiting = new Set(); // entries waiting for their room's key
  }

  /** Sends text and uploaded attachments (files.js), either of which may be empty. */
  send(rid, text, attachments = []) {
    const room = this.room(rid);
    if (!room) return;
    const e = this.timeline.addPending(rid, c.newCid(), text, !!room.encrypted, attachments);
    this.onChange(e);
    this.deliver(e);
  }

  /** An explicit retry also takes the room's current encryption state: the user chose to resend. */
  retry(e) {
    const room = this.room(e.rid);
    if (!room || !this.timeline.pending(e.rid, e.cid)) return;
    e.encrypted = !!room.encrypted;
    this.deliver(e);
  }

  /** Gives up a message that was never stored: one that failed, or still waits for a key. */
  discard(e) {
    if (e.pending !== 'failed' && e.pending !== 'waiting') return false;
    this.waiting.delete(e);
    this.timeline.dropPending(e.rid, e.cid);
    if (e.attachments && this.files) this.files.release(e.attachments); // no message carries them now
    return true;
  }

  /** Whether any message of ours is not acknowledged yet (a reload would lose it). */
  hasUnsent() {
    return this.timeline.allPending().length > 0;
  }

  keyArrived(rid) {
    [...this.waiting].filter((e) => e.rid === rid).forEach((e) => {
      this.waiting.delete(e);
      this.deliver(e);
    });
  }

  /** The room changed: messages waiting for a key of a room that is no longer encrypted fail. */
  roomChanged(room) {
    if (room.encrypted) return this.keyArrived(room.id); // sends that waited for a key id may go now
    [...this.waiting].filter((e) => e.rid === room.id).forEach((e) => {
      this.waiting.delete(e);
      this.update(e, 'failed', NO_LONGER_ENCRYPTED);
    });
    return undefined;
  }

  /** The connection came or went: what is on its way says whether it waits for it. */
  connection(online) {
    this.timeline.allPending().forEach((e) => {
      if (!online && (e.pending === 'sending' || e.pending === 'busy')) this.update(e, 'offline');
      if (online && e.pending === 'offline') this.update(e, 'sending');
    });
  }

  update(e, pending, error = null) {
    const state = pending === 'sending' && !this.socket.ready ? 'offline' : pending;
    Object.assign(e, { pending: state, error });
    if (this.timeline.pending(e.rid, e.cid)) this.onChange(e);
  }

  async deliver(e) {
    this.update(e, 'sending');
    const onBusy = () => this.update(e, 'busy');
    try {
      // a file uploaded for a plain room has its name on the server; one sealed for an encrypted room is unreadable in a plain one
      if ((e.attachments || []).some((a) => a.encrypted !== e.encrypted)) {
        this.update(e, 'failed', FILES_CHANGED);
        return;
      }
      const ack = e.encrypted ? await this.sendEncrypted(e, onBusy)
        : await this.socket.send(e.rid, e.cid, plainBody(e), onBusy);
      if (ack) this.stored(e, ack);
    } catch (err) {
      const room = this.room(e.rid);
      if (err.code === 'plaintext_not_allowed' && room) {
        room.encrypted = true; // the room became encrypted while this was on its way: encrypt it
        e.encrypted = true;
        this.deliver(e);
      } else {
        this.update(e, 'failed', failure(err));
      }
    }
  }

  /** Encrypts with the room's current key; on stale_key fetches the newer key and encrypts again (same cid). */
  async sendEncrypted(e, onBusy) {
    for (let attempt = 0; attempt < MAX_STALE_RETRIES; attempt++) {
      const room = this.room(e.rid);
      if (this.identity.status !== 'ready') {
        this.update(e, 'failed', 'Not sent: encryption is locked on this device. Unlock it (the banner above), then retry.');
        return null;
      }
      if (room && !room.encrypted) {
        this.update(e, 'failed', NO_LONGER_ENCRYPTED);
        return null;
      }
      const paused = this.blocked(e.rid);
      if (paused) {
        this.update(e, 'failed', `Not sent. ${paused}`);
        return null;
      }
      const kid = room && room.e2eKeyId;
      const key = kid ? await this.roomKeys.key(e.rid, kid) : null;
      if (!key) {
        this.waiting.add(e);
        this.update(e, 'waiting');
        if (room && !kid) this.roomKeys.ensure(room);
        return null;
      }
      const e2e = await c.encryptMessage({ rid: e.rid, uid: this.me.userId, cid: e.cid, kid, key,
        sigPrivate: this.identity.keys.sigPrivate, content: sealedContent(e) });
      if (e2e.sig && this.identity.ukid) e2e.ukid = this.identity.ukid; // the key version that signed it
      Object.assign(e, { e2e, kid });
      try {
        return await this.socket.send(e.rid, e.cid, withFiles({ e2e }, e), onBusy);
      } catch (err) {
        if (err.code !== 'stale_key' || !room) throw err;
        room.e2eKeyId = err.frame.kid; // rotated meanwhile: nothing was stored, the cid may be reused
        await this.roomKeys.refresh(e.rid);
      }
    }
    throw new Error('Not sent: the room key kept changing. Retry to send it with the newest key.');
  }

  /** The ack: show the message as stored now; the msg frame that follows is de-duplicated by seq. */
  stored(e, ack) {
    if (!this.timeline.pending(e.rid, e.cid)) return;
    this.timeline.confirm(e, ack);
  }
}

const NO_LONGER_ENCRYPTED = 'Not sent: this room is no longer encrypted. Retry to send it unencrypted.';
const FILES_CHANGED = 'Not sent: the room\'s encryption changed after the files were attached. Discard it and attach them again.';

/** The ids of every upload the message keeps (pictures' thumbnails too), in order. */
function withFiles(body, e) {
  const ids = (e.attachments || []).flatMap((a) => a.ids);
  return ids.length ? { ...body, files: ids } : body;
}

function plainBody(e) {
  return withFiles(e.text ? { text: e.text } : {}, e);
}

/** The plaintext of an encrypted message: its text, and the descriptors (keys included) of its files. */
function sealedContent(e) {
  const files = (e.attachments || []).map((a) => a.view.desc);
  const content = {};
  if (e.text || !files.length) content.text = e.text || '';
  if (files.length) content.files = files;
  return content;
}

// why a send failed, in words (the server's message for anything not listed)
const FAILURES = {
  encryption_not_allowed: NO_LONGER_ENCRYPTED,
  not_member: 'Not sent: you are no longer a member of this room.',
  not_found: 'Not sent: this room no longer exists.',
  too_large: 'Not sent: the message is too long.',
  forbidden: 'Not sent: you may not write in this room.',
  closed: 'Not sent: you logged out.',
};

function failure(err) {
  return FAILURES[err.code] || `Not sent: ${err.message || 'something went wrong'}.`.replace(/\.\.$/, '.');
}
