// Whom the user can trust with a room key: the key-transparency log proves that the keys the
// server hands out are the ones it logged (js/kt.js), the verified list says which contacts the
// user checked in person (js/verifiedlist.js), and this device remembers the key version it last
// saw of each contact so that a change is noticed even for contacts nobody verified.
//
// Everything here is a gate, never a silent fallback: a contact whose keys the log cannot prove,
// or a verified contact whose key changed, is "blocked" until the user acts, and roomkeys.js
// seals no room key to them, chat.js keeps the composer closed in their rooms, and timeline.js
// does not call their signatures verified.

import * as c from './crypto.js';
import { KeyTransparency, KtError } from './kt.js';
import { VerifiedList } from './verifiedlist.js';
import { safetyNumber } from './safetynumber.js';

// the reasons (kt.js) that come from the log's signed head, not from one user's proof
const HEAD_FAILURES = new Set(['signature', 'fork', 'consistency', 'logkey']);

/** A member whose keys may not be used now: `why` is 'kt' (the log failed) or 'changed'. */
export class BlockedError extends Error {
  constructor(uid, username, why, message) {
    super(message);
    Object.assign(this, { name: 'BlockedError', uid, username, why });
  }
}

export class Trust {
  constructor({ api, me, identity }) {
    Object.assign(this, { api, me, identity });
    this.kt = new KeyTransparency({ fetchJson: (path) => api.publicGet(path) });
    this.list = null; // VerifiedList once unlocked
    this.peers = new Map(); // uid -> Promise<{uid, ukid, publicKey, signingKey}> of the current version
    this.names = new Map(); // uid -> username
    this.failures = new Map(); // uid -> KtError for the version in use
    this.current = new Map(); // uid -> ukid of the contact's current version, once fetched
    this.logAlarm = null; // KtError of the log itself (head, fork, own keys): blocks everything
    this.seenKey = `sealroom.seen.${me.userId}`; // uid -> ukid last acknowledged on this device (public ids only)
    this.seen = JSON.parse(localStorage.getItem(this.seenKey) || '{}');
    this.listeners = new Set();
    this.resetStarted();
  }

  /** started resolves once the verified list was read (or failed to be): seals wait for it. */
  resetStarted() {
    this.loaded = false;
    this.started = new Promise((resolve) => { this.markStarted = resolve; });
  }

  onChange(fn) { this.listeners.add(fn); }

  emit() { this.listeners.forEach((fn) => fn()); }

  /**
   * After unlock: proves the own version in the log and opens the verified list. A failure of
   * the own check or of the log's head is the global alarm.
   */
  async start() {
    if (this.identity.status !== 'ready') return;
    try {
      await this.checkOwn();
      const { identity } = this;
      const list = new VerifiedList({ api: this.api, uid: this.me.userId, ukid: identity.ukid,
        rsaPublic: await c.importRsaPublic(identity.publicKey), rsaPrivate: identity.keys.rsaPrivate });
      list.onChange(() => this.emit());
      this.list = list;
      await this.reload();
    } finally {
      this.markStarted();
    }
  }

  /** The log's head, then the own version in it; a failure of either is the global alarm. */
  async checkOwn() {
    try {
      await this.kt.head();
      await this.kt.checkVersion(this.me.userId, this.identity.ukid, this.me.username);
      this.logAlarm = null;
    } catch (e) {
      if (!(e instanceof KtError)) throw e;
      this.logAlarm = HEAD_FAILURES.has(e.why) ? new KtError(e.why) : e;
      this.emit();
    }
  }

  /** Reads the verified list again (another device may have changed it). */
  async reload() {
    if (!this.list) return;
    try {
      await this.list.load();
      this.loaded = true;
    } catch (e) {
      // the list stays as it was; until it was read once, nothing is sealed to anyone (gateSeal)
    }
    this.emit();
  }

  stop() {
    this.markStarted();
    this.resetStarted();
    this.list = null;
    this.peers.clear();
    this.failures.clear();
  }

  /**
   * user.keys.changed: forget what we know of their keys and look again; the verified list is
   * read again too, since another device of the user may have decided about them meanwhile.
   */
  keysChanged(uid, username) {
    if (username) this.names.set(uid, username);
    this.peers.delete(uid);
    this.failures.delete(uid);
    Promise.all([this.reload(), this.peer(uid)]).then(() => this.check(uid).catch(() => {}), () => {})
      .finally(() => this.emit());
  }

  /**
   * The contact's current version, its ukid computed here from the keys (the log entry names
   * the ukid, and only a ukid derived from the keys themselves ties the log to these keys).
   */
  peer(uid, username) {
    if (username) this.names.set(uid, username);
    if (!this.peers.has(uid)) {
      const p = this.api.userKeys(uid).then(async (k) => {
        const ukid = await c.ukidOf(k.publicKey, k.signingKey && k.signingKey.x);
        if (k.ukid && k.ukid !== ukid) throw new KtError('leaf', { uid, username: this.name(uid) });
        if (!this.seen[uid]) this.acknowledge(uid, ukid); // the first version seen here is not a change
        if (this.current.get(uid) !== ukid) {
          this.current.set(uid, ukid);
          setTimeout(() => this.emit(), 0);
        }
        return { uid, ukid, publicKey: k.publicKey, signingKey: k.signingKey || null };
      });
      p.catch(() => { if (this.peers.get(uid) === p) this.peers.delete(uid); });
      this.peers.set(uid, p);
    }
    return this.peers.get(uid);
  }

  name(uid) { return this.names.get(uid) || 'this contact'; }

  acknowledge(uid, ukid) {
    this.seen[uid] = ukid;
    localStorage.setItem(this.seenKey, JSON.stringify(this.seen));
  }

  currentUkid(uid) { return this.current.get(uid) || null; }

  /** Proves the contact's current version in the log; a failure is remembered and thrown. */
  async check(uid, username) {
    const v = await this.peer(uid, username);
    try {
      await this.kt.checkVersion(uid, v.ukid, this.name(uid));
      if (this.failures.delete(uid)) this.emit();
    } catch (e) {
      if (!(e instanceof KtError)) throw e;
      this.remember(uid, e);
      throw e;
    }
    return v;
  }

  remember(uid, e) {
    // a head that fails (fork, signature, log key, consistency) concerns everyone, whoever was checked
    if (!e.uid || HEAD_FAILURES.has(e.why)) this.logAlarm = e.uid ? new KtError(e.why) : e;
    else this.failures.set(uid, e);
    this.emit();
  }

  /**
   * Looks at every other member of a room: their current version, its proof, so that the room
   * can show notices and warnings. Results arrive through onChange.
   */
  watch(room) {
    (room.members || []).filter((m) => m.id !== this.me.userId)
      .forEach((m) => this.check(m.id, m.username).then(() => this.emit(), () => this.emit()));
  }

  /**
   * 'verified' | 'unverified' | 'changed' for the contact's current version (unverified while
   * that version is not known yet or the list is locked).
   */
  status(uid) {
    const ukid = this.currentUkid(uid);
    if (!this.list || !ukid) return 'unverified';
    return this.list.status(uid, ukid);
  }

  /** What stands between the user and this contact now: {why: 'kt'|'changed'|'notice', text} or null. */
  issue(uid) {
    const name = this.name(uid);
    const failure = this.failures.get(uid);
    if (failure) return { uid, name, why: 'kt', text: failure.message };
    const status = this.status(uid);
    if (status === 'changed') return { uid, name, why: 'changed' };
    const ukid = this.currentUkid(uid);
    if (ukid && this.seen[uid] && this.seen[uid] !== ukid) return { uid, name, why: 'notice' };
    return null;
  }

  /** The issues of a room's other members, blocking ones first. */
  roomIssues(room) {
    const order = { kt: 0, changed: 1, notice: 2 };
    return (room.members || []).filter((m) => m.id !== this.me.userId).map((m) => {
      this.names.set(m.id, m.username);
      return this.issue(m.id);
    }).filter(Boolean).sort((a, b) => order[a.why] - order[b.why]);
  }

  /**
   * Before sealing a room key to a member (keys.needed, waiting list): the key must be their
   * logged current version, and not a changed key of a verified contact. Throws otherwise.
   */
  async gateSeal(user) {
    await this.started;
    if (this.logAlarm) throw this.logAlarm;
    if (!this.loaded) throw new Error('your verified contacts could not be read, so their keys cannot be checked');
    let v = await this.check(user.id, user.username);
    if (v.publicKey.n !== user.publicKey.n || v.publicKey.e !== user.publicKey.e) {
      this.peers.delete(user.id); // the offered key is newer than ours, or not theirs: ask once more
      v = await this.check(user.id, user.username);
      if (v.publicKey.n !== user.publicKey.n || v.publicKey.e !== user.publicKey.e) {
        const e = new KtError('leaf', { uid: user.id, username: user.username });
        this.remember(user.id, e);
        throw e;
      }
    }
    if (this.status(user.id) === 'changed') {
      throw new BlockedError(user.id, user.username, 'changed',
        `${user.username}'s safety number changed. Nothing is encrypted to them until you look at the new number.`);
    }
    return v;
  }

  /** Before a signature counts as verified: the signer's version must be in the log. */
  async checkSigner(uid, ukid, username) {
    if (username) this.names.set(uid, username);
    try {
      await this.kt.checkVersion(uid, ukid, this.name(uid));
    } catch (e) {
      if (e instanceof KtError) this.remember(uid, e);
      throw e;
    }
  }

  /** The 60 digits with a contact, after proving both current versions in the log. */
  async safetyNumberWith(uid, username) {
    const v = await this.check(uid, username);
    await this.kt.checkVersion(this.me.userId, this.identity.ukid, this.me.username);
    if (!v.signingKey || !this.identity.keys || !this.identity.keys.signingX) return { digits: null, ukid: v.ukid };
    const digits = await safetyNumber({ uid: this.me.userId, x: this.identity.keys.signingX }, { uid, x: v.signingKey.x });
    return { digits, ukid: v.ukid };
  }

  async markVerified(uid, ukid) {
    await this.list.markVerified(uid, ukid);
    this.acknowledge(uid, ukid);
    this.emit();
  }

  async unverify(uid, ukid) {
    await this.list.unverify(uid, ukid);
    this.acknowledge(uid, ukid);
    this.emit();
  }

  async accept(uid, ukid) {
    await this.list.accept(uid, ukid);
    this.acknowledge(uid, ukid);
    this.emit();
  }

  /** The quiet notice of an unverified contact's change, dismissed. */
  dismiss(uid) {
    const ukid = this.currentUkid(uid);
    if (ukid) this.acknowledge(uid, ukid);
    this.emit();
  }
}
