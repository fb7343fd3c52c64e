// Messages per room, ordered and de-duplicated by seq (protocol.md "Client duty"), with the
// decrypt pipeline of encrypted rooms: decrypt with the key of the message's kid, verify the
// sender's Ed25519 signature, or wait for the room key and retry when it arrives. Decrypted
// text lives in memory only (it feeds the local search) and is never persisted.

import * as c from './crypto.js';
import { plainViews, sealedViews } from './files.js';

/**
 * An entry: {rid, seq, id, cid, ts, from, encrypted, kid, state, text, files, verified, pending, error, event}
 *   files: what a reader sees of the message's files (files.js views): the server's file objects
 *     in a plain room, the decrypted descriptors in an encrypted one
 *   state: 'plain' | 'decrypting' | 'decrypted' | 'waiting' (its key may still come) |
 *          'lost' (encrypted under a room key nobody can give us any more) | 'failed' | 'event'
 *   verified: true (signature checks against the sender's key version that made it, and the key
 *     log proves that version), false (it does not: a real warning), null (not signed / not
 *     checked yet / version unknown / not proven: then `unproven` says why)
 *   pending: a message of ours not yet acknowledged (sender.js: 'sending' | 'offline' | 'busy' |
 *   'waiting' | 'failed'); its text is in memory only, like every decrypted text
 *   event: for state 'event', the timeline event {type, user?, name?, kid?, reason?, ukid?}
 */
export class Timeline {
  constructor({ api, roomKeys, me, onChange, trust }) {
    Object.assign(this, { api, roomKeys, me, onChange, trust });
    this.rooms = new Map(); // rid -> {bySeq: Map, pending: Map cid -> entry}
    this.versions = new Map(); // uid -> Promise of that user's key versions, oldest first
    this.verifiers = new Map(); // `${uid}|${ukid}` -> Promise<CryptoKey|null>
  }

  room(rid) {
    if (!this.rooms.has(rid)) this.rooms.set(rid, { bySeq: new Map(), pending: new Map() });
    return this.rooms.get(rid);
  }

  /** Entries of a room in seq order, our unacknowledged messages last. */
  list(rid) {
    const r = this.room(rid);
    const stored = [...r.bySeq.values()].sort((a, b) => a.seq - b.seq);
    return stored.concat([...r.pending.values()]);
  }

  lastSeq(rid) {
    let max = 0;
    this.room(rid).bySeq.forEach((e, seq) => { if (seq > max) max = seq; });
    return max;
  }

  firstSeq(rid) {
    let min = Infinity;
    this.room(rid).bySeq.forEach((e, seq) => { if (seq < min) min = seq; });
    return min === Infinity ? 0 : min;
  }

  /** A msg frame or a history message; returns the entry, or null when that seq is known. */
  add(m) {
    const r = this.room(m.room);
    if (r.bySeq.has(m.seq)) return null;
    if (m.event) return this.addEvent(r, m);
    const e = {
      rid: m.room, seq: m.seq, id: m.id, cid: m.cid, ts: m.ts, from: m.from,
      encrypted: !!m.e2e, e2e: m.e2e || null, kid: m.e2e ? m.e2e.kid : null,
      state: m.e2e ? 'decrypting' : 'plain', text: m.e2e ? null : m.text || '', verified: null,
      files: m.e2e ? [] : plainViews(m.files), serverFiles: m.files || [],
    };
    r.bySeq.set(m.seq, e);
    const mine = m.from.id === this.me.userId ? r.pending.get(m.cid) : null;
    if (mine) r.pending.delete(m.cid);
    if (mine && e.encrypted && mine.text !== null) {
      e.text = mine.text; // we wrote it: no need to decrypt our own words again
      e.files = sealedViews(mine.descs, m.files);
      e.state = 'decrypted';
      this.verifyLater(e);
    } else if (e.encrypted) {
      this.decrypt(e);
    }
    return e;
  }

  /** An event: a quiet line of the timeline; a key change makes us fetch that user's versions again. */
  addEvent(r, m) {
    const e = { rid: m.room, seq: m.seq, id: m.id, ts: m.ts, from: m.from, encrypted: false, text: null,
      state: 'event', event: m.event, verified: null };
    r.bySeq.set(m.seq, e);
    if (m.event.type === 'user.keys.changed' && m.event.user) this.versions.delete(m.event.user.id);
    return e;
  }

  /** The ack of a pending message of ours: it is stored now, with its seq. */
  confirm(p, ack) {
    const r = this.room(p.rid);
    r.pending.delete(p.cid);
    if (r.bySeq.has(ack.seq)) return;
    const e = { ...p, seq: ack.seq, id: ack.id, ts: ack.ts, pending: null, error: null, verified: null };
    r.bySeq.set(ack.seq, e);
    if (e.encrypted) this.verifyLater(e);
    this.onChange(e.rid, e);
  }

  verifyLater(e) {
    this.verify(e).then((v) => { e.verified = v; this.onChange(e.rid, e); }, () => {});
  }

  async decrypt(e) {
    try {
      const key = await this.roomKeys.key(e.rid, e.kid);
      if (!key) {
        // a key nobody holds any more never comes: say so, do not keep the reader waiting
        e.state = this.roomKeys.usable && this.roomKeys.isLost(e.rid, e.kid) ? 'lost' : 'waiting';
        e.hint = this.roomKeys.usable ? null : this.roomKeys.identity.status; // 'none' or 'locked': say what helps
      } else {
        const content = await c.decryptMessage({ rid: e.rid, uid: e.from.id, cid: e.cid, e2e: e.e2e, key });
        e.text = content.text || '';
        e.files = sealedViews(content.files, e.serverFiles);
        e.state = 'decrypted';
        e.verified = await this.verify(e);
      }
    } catch (err) {
      e.state = 'failed';
    }
    this.onChange(e.rid, e);
  }

  /**
   * Checks the signature with the sender's key version that made it: the one named by e2e.ukid,
   * or, without one, the version current at the message's time. A message signed before its
   * sender reset their keys still verifies; null when the version cannot be found.
   */
  async verify(e) {
    if (!e.e2e.sig) return null;
    const uid = e.from.id;
    let version = pickVersion(await this.versionsOf(uid), e);
    if (!version && e.e2e.ukid) {
      this.versions.delete(uid); // a version newer than what we know: ask once more
      version = pickVersion(await this.versionsOf(uid), e);
    }
    if (!version || !version.signingKey) return null;
    const id = `${uid}|${version.ukid}`;
    if (!this.verifiers.has(id)) this.verifiers.set(id, c.importSigningPublic(version.signingKey).catch(() => null));
    const verifyKey = await this.verifiers.get(id);
    if (!verifyKey) return null;
    if (!(await c.verifyMessage({ rid: e.rid, uid, cid: e.cid, e2e: e.e2e, verifyKey }))) return false;
    return this.proven(e, uid, version.ukid);
  }

  /**
   * A good signature counts as verified only once the key log proves the version that made it;
   * otherwise the message says "could not verify" (e.unproven, the reason) and never "verified".
   */
  async proven(e, uid, ukid) {
    try {
      await this.trust.checkSigner(uid, ukid, e.from.username);
      e.unproven = null;
      return true;
    } catch (err) {
      e.unproven = err.message || 'The key log could not prove the signer\'s key.';
      return null;
    }
  }

  versionsOf(uid) {
    if (!this.versions.has(uid)) {
      this.versions.set(uid, this.api.userKeyHistory(uid).catch(() => { this.versions.delete(uid); return []; }));
    }
    return this.versions.get(uid);
  }

  /** A room key arrived: decrypt what waited for it, without a reload. */
  keyArrived(rid, kid) {
    this.room(rid).bySeq.forEach((e) => {
      if (e.encrypted && (e.state === 'waiting' || e.state === 'lost' || e.state === 'failed') && e.kid === kid) {
        e.state = 'decrypting';
        this.decrypt(e);
      }
    });
  }

  /** Retry decrypting every waiting message (identity unlocked, keys fetched). */
  retryAll() {
    this.rooms.forEach((r) => r.bySeq.forEach((e) => {
      if (e.encrypted && e.state !== 'decrypted' && e.state !== 'decrypting') {
        e.state = 'decrypting';
        this.decrypt(e);
      }
    }));
  }

  /** Forgets a room we are no longer a member of, decrypted text included. */
  forgetRoom(rid) {
    this.rooms.delete(rid);
  }

  /** Forgets decrypted text (logout, key reset): it must not outlive the keys. */
  clear() {
    this.rooms.clear();
    this.versions.clear();
    this.verifiers.clear();
  }

  /** A message of ours on its way; attachments are the uploads it carries (files.js). */
  addPending(rid, cid, text, encrypted, attachments = []) {
    const e = { rid, seq: null, cid, ts: Date.now(), from: { id: this.me.userId, username: this.me.username },
      encrypted, text, state: encrypted ? 'decrypted' : 'plain', verified: null, pending: 'sending', attachments,
      files: attachments.map((a) => a.view), descs: attachments.map((a) => a.view.desc).filter(Boolean) };
    this.room(rid).pending.set(cid, e);
    return e;
  }

  pending(rid, cid) {
    return this.room(rid).pending.get(cid) || null;
  }

  dropPending(rid, cid) {
    this.room(rid).pending.delete(cid);
  }

  /** Every message of ours not acknowledged yet, over all rooms. */
  allPending() {
    const out = [];
    this.rooms.forEach((r) => r.pending.forEach((e) => out.push(e)));
    return out;
  }

  /** Local search over what this browser decrypted: encrypted messages never reach the server's search. */
  searchLocal(q) {
    const needle = q.trim().toLowerCase();
    const out = [];
    if (!needle) return out;
    this.rooms.forEach((r) => r.bySeq.forEach((e) => {
      if (e.encrypted && e.state === 'decrypted' && e.text.toLowerCase().includes(needle)) out.push(e);
    }));
    return out.sort((a, b) => b.ts - a.ts).slice(0, 50);
  }
}

/** The key version of a message's signer: by its ukid, else the one current at its time. */
function pickVersion(versions, e) {
  if (e.e2e.ukid) return versions.find((v) => v.ukid === e.e2e.ukid) || null;
  if (!versions.length) return null;
  // before the first recorded version (keys set before versions were kept): that first one
  return versions.find((v) => v.createdAt <= e.ts && (v.endedAt === undefined || e.ts < v.endedAt))
    || (e.ts < versions[0].createdAt ? versions[0] : null);
}
