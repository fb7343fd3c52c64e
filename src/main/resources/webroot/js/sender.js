// Sending: a message shows at once as "Sending…", is encrypted first in an encrypted room, and
// is retried with the same cid until acknowledged. A message composed for an encrypted room is
// never sent in plain text behind the user's back, even if the room changed meanwhile.

import * as c from './crypto.js';

const MAX_STALE_RETRIES = 3;

export class Sender {
  constructor({ me, identity, roomKeys, timeline, socket, room, onChange }) {
    Object.assign(this, { me, identity, roomKeys, timeline, socket, room, onChange });
    this.waiting = new Set(); // entries waiting for their room's key
  }

  send(rid, text) {
    const room = this.room(rid);
    if (!room) return;
    const e = this.timeline.addPending(rid, c.newCid(), text, !!room.encrypted);
    this.onChange(e);
    this.deliver(e);
  }

  /** An explicit retry also takes the room's current encryption state: the user chose to resend. */
  retry(e) {
    const room = this.room(e.rid);
    if (!room) return;
    e.encrypted = !!room.encrypted;
    this.deliver(e);
  }

  keyArrived(rid) {
    [...this.waiting].filter((e) => e.rid === rid).forEach((e) => {
      this.waiting.delete(e);
      this.deliver(e);
    });
  }

  update(e, pending, error = null) {
    Object.assign(e, { pending, error });
    this.onChange(e);
  }

  async deliver(e) {
    this.update(e, 'sending');
    try {
      const ack = e.encrypted ? await this.sendEncrypted(e) : await this.socket.send(e.rid, e.cid, { text: e.text });
      if (ack) this.stored(e, ack);
    } catch (err) {
      const room = this.room(e.rid);
      if (err.code === 'plaintext_not_allowed' && room) {
        room.encrypted = true; // the room became encrypted while this was on its way: encrypt it
        e.encrypted = true;
        this.deliver(e);
      } else if (err.code === 'encryption_not_allowed') {
        this.update(e, 'failed', 'This room is no longer encrypted, so the message was not sent. Retry to send it unencrypted.');
      } else {
        this.update(e, 'failed', err.message || 'Not sent.');
      }
    }
  }

  /** Encrypts with the room's current key; on stale_key fetches the newer key and encrypts again (same cid). */
  async sendEncrypted(e) {
    for (let attempt = 0; attempt < MAX_STALE_RETRIES; attempt++) {
      const room = this.room(e.rid);
      if (this.identity.status !== 'ready') {
        this.update(e, 'failed', 'Unlock encryption to send this message.');
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
        sigPrivate: this.identity.keys.sigPrivate, content: { text: e.text } });
      if (e2e.sig && this.identity.ukid) e2e.ukid = this.identity.ukid; // the key version that signed it
      Object.assign(e, { e2e, kid });
      try {
        return await this.socket.send(e.rid, e.cid, { e2e });
      } catch (err) {
        if (err.code !== 'stale_key' || !room) throw err;
        room.e2eKeyId = err.frame.kid; // rotated meanwhile: nothing was stored, the cid may be reused
        await this.roomKeys.refresh(e.rid);
      }
    }
    throw new Error('The room key kept changing. Try again.');
  }

  /** The ack: show the message as stored now; the msg frame that follows is de-duplicated by seq. */
  stored(e, ack) {
    if (!this.timeline.pending(e.rid, e.cid)) return;
    this.timeline.confirm(e, ack);
  }
}
