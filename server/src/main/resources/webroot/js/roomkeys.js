// Room keys without user action: establishing the first key (race-safe: the server keeps exactly
// one kid; a loser waits for the `key` frame), fetching and checking keys against their kid,
// handing the key to waiting members (keys.needed), rotating when rotationDue is set, and
// recovering a room whose current key nobody holds any more (rotation, reason "recovered").
// Raw key bytes exist only for the moment of sealing or checking; at rest a room key is a
// non-extractable CryptoKey in IndexedDB.

import * as c from './crypto.js';
import * as keystore from './keystore.js';
import { KtError } from './kt.js';
import { BlockedError } from './trust.js';

const MISS_TTL_MS = 30000;
const HAND_OVER_BATCH = 500;

export class RoomKeys {
  constructor(api, identity, onKey, onProblem) {
    Object.assign(this, { api, identity, onKey, onProblem });
    this.cache = new Map(); // `${rid}|${kid}` -> CryptoKey
    this.fetching = new Map(); // rid -> Promise of the last fetch
    this.queues = new Map(); // rid -> tail of that room's serialized work
    this.handedOut = new Set(); // `${rid}|${kid}` checked for waiting members this session
    this.misses = new Map(); // `${rid}|${kid}` -> when the server last had no such key for us
    this.generations = new Map(); // rid -> count of `key` frames, to spot answers that are out of date
    this.roomOf = () => null; // rid -> the chat's room object (e2eKeyId, keyHolders)
    this.trust = null; // trust.js: whom a room key may be sealed to
  }

  /**
   * Whether a key of this kid can never come: it is not the room's current key (older keys are
   * never handed over), or it is, and no member holds it any more (the room will be recovered
   * with a new key). Such messages are lost for this user, not waiting.
   */
  isLost(rid, kid) {
    const room = this.roomOf(rid);
    if (!room || !room.encrypted || !room.e2eKeyId || !kid) return false;
    if (kid !== room.e2eKeyId) return true;
    return Array.isArray(room.keyHolders) && room.keyHolders.length === 0;
  }

  get uid() { return this.identity.uid; }

  get usable() { return this.identity.status === 'ready'; }

  /** After a reconnect: keys.needed may have been missed, so ask GET e2e/waiting again. */
  reconnected() {
    this.handedOut.clear();
  }

  clear() {
    this.cache.clear();
    this.fetching.clear();
    this.handedOut.clear();
    this.misses.clear();
    this.generations.clear();
  }

  /** One operation at a time per room, so establish, rotate and fetch never overlap. */
  serial(rid, fn) {
    const run = (this.queues.get(rid) || Promise.resolve()).then(fn, fn);
    this.queues.set(rid, run.catch(() => {}));
    return run;
  }

  /** The key with this kid: memory, then IndexedDB, then the server (one fetch per room at a time). */
  async key(rid, kid) {
    if (!kid || !this.usable) return null;
    const id = `${rid}|${kid}`;
    if (this.cache.has(id)) return this.cache.get(id);
    const stored = await keystore.getRoomKey(this.uid, rid, kid);
    if (stored) {
      this.cache.set(id, stored.key);
      return stored.key;
    }
    // a waiting room's messages would each ask again: ask at most every half minute, unless
    // a `key` frame or a room change says something changed (refresh)
    if (Date.now() - (this.misses.get(id) || 0) < MISS_TTL_MS) return null;
    const generation = this.generations.get(rid) || 0;
    await this.fetch(rid);
    // a refresh while we asked means the answer may be out of date: do not remember the miss
    if (!this.cache.has(id) && (this.generations.get(rid) || 0) === generation) this.misses.set(id, Date.now());
    return this.cache.get(id) || null;
  }

  /**
   * A `key` frame: our copy of a room key was stored; fetch it now. A fetch already on its way
   * may have been answered before the hand-over, so a new one follows it.
   */
  refresh(rid) {
    this.generations.set(rid, (this.generations.get(rid) || 0) + 1);
    [...this.misses.keys()].filter((k) => k.startsWith(`${rid}|`)).forEach((k) => this.misses.delete(k));
    if (!this.usable) return Promise.resolve();
    const before = this.fetching.get(rid) || Promise.resolve();
    return this.track(rid, before.catch(() => {}).then(() => this.fetchNow(rid)))
      .catch((e) => this.onProblem(rid, e.message));
  }

  has(rid, kid) {
    return !!kid && this.cache.has(`${rid}|${kid}`);
  }

  /** One fetch per room at a time: callers share the one on its way. */
  fetch(rid) {
    return this.fetching.get(rid) || this.track(rid, this.fetchNow(rid));
  }

  track(rid, promise) {
    const p = promise.finally(() => { if (this.fetching.get(rid) === p) this.fetching.delete(rid); });
    this.fetching.set(rid, p);
    return p;
  }

  /** GET e2e/key: opens the current and older member keys, refusing any that fails its kid. */
  async fetchNow(rid) {
    let mine;
    try {
      mine = await this.api.roomKey(rid);
    } catch (e) {
      if (e.code === 'no_keys' || e.code === 'not_member' || e.code === 'e2e_disabled') return;
      throw e;
    }
    const all = [...(mine.key ? [mine.key] : []), ...(mine.old || []).map((o) => o.key)];
    for (const mk of all) {
      if (!mk || this.cache.has(`${rid}|${mk.kid}`)) continue;
      try {
        await this.store(rid, mk.kid, await c.openRoomKey(mk, this.identity.keys.rsaPrivate));
      } catch (e) {
        this.onProblem(rid, 'A room key did not match its key id and was refused.');
      }
    }
  }

  async store(rid, kid, raw) {
    try {
      const key = await c.importRoomKey(raw);
      await keystore.putRoomKey(this.uid, rid, kid, key);
      this.cache.set(`${rid}|${kid}`, key);
    } finally {
      raw.fill(0);
    }
    this.onKey(rid, kid);
  }

  /** Brings an encrypted room's key up to date; called for every room change and at start. */
  ensure(room) {
    if (!room.encrypted || !this.usable) return Promise.resolve();
    return this.serial(room.id, async () => {
      if (!room.e2eKeyId) return this.establish(room);
      if (!(await this.key(room.id, room.e2eKeyId))) return this.recoverIfNobodyHolds(room); // else a holder hands it over
      if (room.rotationDue) return this.rotate(room);
      return this.handOutOnce(room.id, room.e2eKeyId);
    }).catch((e) => this.onProblem(room.id, `The room key could not be set up: ${e.message}`));
  }

  async establish(room) {
    const raw = c.newRoomKey();
    const kid = await c.kidOf(raw);
    try {
      const own = await c.sealRoomKey(raw, kid, await c.importRsaPublic(this.identity.publicKey));
      await this.api.establishRoomKey(room.id, kid, own);
      room.e2eKeyId = kid;
      await this.store(room.id, kid, raw);
      await this.handOutOnce(room.id, kid);
    } catch (e) {
      raw.fill(0);
      if (e.code !== 'key_id_exists') throw e;
      room.e2eKeyId = e.details.kid; // someone else won: their client hands us the key (`key` frame)
      await this.fetch(room.id);
    }
  }

  /** rotationDue: a new key that removed members never get. A losing rotation waits for the winner's key. */
  async rotate(room) {
    await new Promise((r) => setTimeout(r, Math.random() * 1500)); // spread out the members who all saw rotationDue
    const fresh = await this.api.room(room.id);
    if (!fresh.rotationDue || fresh.e2eKeyId !== room.e2eKeyId || !fresh.encrypted) return;
    try {
      await this.replaceKey(room, room.e2eKeyId);
    } catch (e) {
      if (e.code !== 'stale_key' && e.code !== 'forbidden' && e.code !== 'not_owner') throw e;
    }
  }

  /**
   * POST e2e/rotate from previousKid to a fresh key sealed to us; then we are its only holder,
   * and hand it to the members waiting. A refusal (another member rotated first) is thrown, with
   * the fresh key zeroed.
   */
  async replaceKey(room, previousKid) {
    const raw = c.newRoomKey();
    const kid = await c.kidOf(raw);
    try {
      const own = await c.sealRoomKey(raw, kid, await c.importRsaPublic(this.identity.publicKey));
      const updated = await this.api.rotate(room.id, previousKid, kid, own);
      Object.assign(room, { e2eKeyId: updated.e2eKeyId, rotationDue: updated.rotationDue, keyHolders: [this.uid] });
      await this.store(room.id, kid, raw);
    } catch (e) {
      raw.fill(0);
      throw e;
    }
    await this.handOutOnce(room.id, kid);
  }

  /**
   * Nobody holds the room's current key (its holders reset their keys or left): rotate to a
   * fresh key without being asked, so the room is usable again. Of members recovering at once
   * one wins; the others get stale_key and wait for the winner's key.
   */
  async recoverIfNobodyHolds(room) {
    const now = await this.api.room(room.id).catch(() => null);
    if (!now) return;
    Object.assign(room, { keyHolders: now.keyHolders, e2eKeyId: now.e2eKeyId, rotationDue: now.rotationDue });
    if (!now.encrypted || !now.e2eKeyId || !Array.isArray(now.keyHolders) || now.keyHolders.length) return;
    await new Promise((r) => setTimeout(r, Math.random() * 500)); // spread out members opening it together
    if (await this.key(room.id, now.e2eKeyId)) return;
    try {
      await this.replaceKey(room, now.e2eKeyId);
    } catch (e) {
      if (e.code !== 'stale_key' && e.code !== 'forbidden') throw e;
      await this.refresh(room.id); // another member recovered it first, or someone still held the key
    }
  }

  /** Once per kid and session: serve members who were waiting while no holder was online. */
  async handOutOnce(rid, kid) {
    const id = `${rid}|${kid}`;
    if (this.handedOut.has(id)) return;
    this.handedOut.add(id);
    const users = await this.api.waiting(rid).catch(() => []);
    if (users.length) await this.handOut(rid, users);
  }

  /** keys.needed: seal the current key for each waiting member with their RSA public key. */
  onKeysNeeded(frame, room) {
    if (!room || !room.encrypted || !this.usable) return Promise.resolve();
    return this.serial(room.id, () => this.handOut(room.id, frame.users))
      .catch((e) => this.onProblem(room.id, `A waiting member could not get the key: ${e.message}`));
  }

  /**
   * Whether a room key may be sealed to this member's public key: it must be their current
   * version, proven in the key log, and not a changed key of a contact the user verified
   * (trust.js). A refusal is shown by the room's warning bar; a user who waits is served once
   * the user resolves it (chat.trustResolved).
   */
  async mayHaveKey(rid, user) {
    if (!this.trust) return false; // never seal without the checks
    try {
      await this.trust.gateSeal(user);
      return true;
    } catch (e) {
      if (!(e instanceof KtError) && !(e instanceof BlockedError)) {
        this.onProblem(rid, `${user.username} could not get the key: ${e.message}`);
      }
      return false;
    }
  }

  async handOut(rid, users) {
    // the server's view of our current key, not the room state here, which may lag a rotation
    const mine = await this.api.roomKey(rid).catch(() => null);
    if (!mine || !mine.key) return;
    const kid = mine.kid;
    const raw = await c.openRoomKey(mine.key, this.identity.keys.rsaPrivate);
    try {
      const keys = [];
      for (const u of users) {
        if (u.id === this.uid || !(await this.mayHaveKey(rid, u))) continue;
        keys.push({ userId: u.id, key: await c.sealRoomKey(raw, kid, await c.importRsaPublic(u.publicKey)) });
      }
      // the body limit (256 KiB) holds about 580 RSA-2048 member keys: send 500 at a time
      for (let i = 0; i < keys.length; i += HAND_OVER_BATCH) await this.api.handOver(rid, keys.slice(i, i + HAND_OVER_BATCH));
    } catch (e) {
      // the key changed or a member left meanwhile: the next keys.needed or room frame retries
      if (e.code !== 'stale_key' && e.code !== 'not_member' && e.code !== 'forbidden') throw e;
    } finally {
      raw.fill(0);
    }
  }
}
