// The signed-in chat: rooms and their live state, socket frames, the selected room, sending
// (encrypting first in encrypted rooms), unread counts and search. Rendering is in views/.

import { Socket } from './socket.js';
import { Timeline } from './timeline.js';
import { RoomKeys } from './roomkeys.js';
import { Sender } from './sender.js';
import { Typists } from './typists.js';
import { Files } from './files.js';
import { createRoomView } from './views/roomview.js';
import { searchRooms } from './chatsearch.js';
import { announce } from './views/dom.js';
import { actorName } from './views/events.js';
import { peerVerified, blockedText } from './roomtrust.js';

const REPLAY = 50; // messages replayed per room on first subscription; older ones on demand

export class Chat {
  /**
   * onInfo(room) opens room info; onSessionEnded() when the server refuses the token; trust
   * (trust.js) gates whom room keys are sealed to; onVerify(uid, name) opens a safety number.
   */
  constructor({ api, me, identity, trust, shell, onInfo, onSessionEnded, onVerify }) {
    Object.assign(this, { api, me, identity, trust, shell, onSessionEnded });
    this.rooms = new Map();
    this.activeId = null;
    this.readKey = `sealroom.read.${me.userId}`; // read markers: room ids and seq numbers, nothing secret
    this.read = JSON.parse(localStorage.getItem(this.readKey) || '{}');
    this.lastTyping = 0;
    this.roomKeys = new RoomKeys(api, identity, (rid, kid) => this.keyArrived(rid, kid),
      (rid, text) => { if (rid === this.activeId) this.view.setNotice(text); });
    this.roomKeys.roomOf = (rid) => this.rooms.get(rid);
    this.roomKeys.trust = trust;
    this.timeline = new Timeline({ api, roomKeys: this.roomKeys, me, trust,
      onChange: (rid, e) => { if (rid === this.activeId) this.view.upsert(e); } });
    this.socket = new Socket({
      getToken: () => api.token(),
      onFrame: (f) => this.frame(f),
      onStatus: (s) => this.status(s),
      onAuthFailed: (reason) => onSessionEnded(reason),
    });
    this.files = new Files(api, {
      onAttachment: (att) => { if (att.rid === this.activeId) this.view.attachmentChanged(att); },
      onFile: (fid) => this.view.fileChanged(fid),
    });
    this.sender = new Sender({ api, me, identity, roomKeys: this.roomKeys, timeline: this.timeline, socket: this.socket,
      files: this.files, room: (rid) => this.rooms.get(rid), onChange: (e) => this.sendChanged(e),
      blocked: (rid) => blockedText(this.trust, this.rooms.get(rid)) });
    this.view = createRoomView(shell.roomPane, {
      myId: me.userId,
      files: this.files,
      onSend: (text) => this.send(text),
      onAttach: (list) => this.attach(list),
      onRemoveAttachment: (att) => this.files.remove(att),
      onInfo: () => onInfo(this.rooms.get(this.activeId)),
      onBack: () => shell.setMobilePane('list'),
      onOlder: () => this.older(),
      onTyping: () => this.typing(),
      onRetry: (e) => this.sender.retry(e),
      onDiscard: (e) => this.sender.discard(e),
      isVerified: (uid) => trust.status(uid) === 'verified',
    });
    this.trustActions = { onView: (uid, name) => onVerify(uid, name), onDismiss: (uid) => trust.dismiss(uid) };
    trust.onChange(() => this.trustChanged());
    this.typists = new Typists((text) => this.view.setTyping(text));
    // messages that arrived in the open room while the tab was hidden count as read on return
    this.onVisible = () => {
      if (document.visibilityState === 'visible' && this.activeId) {
        this.markRead(this.activeId);
        this.renderRooms();
      }
    };
    document.addEventListener('visibilitychange', this.onVisible);
  }

  async start() {
    const list = await this.api.rooms();
    await Promise.all(list.map((r) => this.remember(r, r.type === 'd')));
    this.rooms.forEach((r) => this.socket.subscribe(r.id, Math.max(0, (r.head || 0) - REPLAY)));
    this.socket.start();
    this.rooms.forEach((r) => this.roomKeys.ensure(r));
    this.renderRooms();
  }

  /** Whether a message of ours is not stored yet: leaving the page would lose it. */
  hasUnsent() {
    return this.sender.hasUnsent();
  }

  sendChanged(e) {
    if (e.rid === this.activeId) this.view.upsert(e);
    if (e.pending === 'failed') announce(`A message was not sent. ${e.error || ''}`);
  }

  /** Connection state; after a reconnect, catch up on room changes missed while away. */
  status(s) {
    this.shell.setConnection(s);
    this.sender.connection(s === 'online');
    if (s === 'online' && this.wasOnline) this.resync().catch(() => {});
    if (s === 'online') this.wasOnline = true;
  }

  async resync() {
    const list = await this.api.rooms();
    const ids = new Set(list.map((r) => r.id));
    [...this.rooms.keys()].filter((rid) => !ids.has(rid)).forEach((rid) => this.forget(rid));
    for (const r of list) {
      const isNew = !this.rooms.has(r.id);
      const room = await this.remember(r, isNew);
      if (room && isNew) this.socket.subscribe(room.id, Math.max(0, (room.head || 0) - REPLAY));
    }
    this.roomKeys.reconnected();
    this.rooms.forEach((room) => this.roomKeys.ensure(room));
    this.renderRooms();
    if (this.activeId) this.showHeader();
  }

  stop() {
    document.removeEventListener('visibilitychange', this.onVisible);
    this.files.clear();
    this.typists.clear();
    this.socket.stop();
    this.timeline.clear();
    this.roomKeys.clear();
  }

  /** Keeps a room (merging what the server says); details (members, role) come from GET rooms/{rid}. */
  async remember(r, withDetails) {
    // one object per room, updated in place: key handling and sends hold on to it
    const room = this.rooms.get(r.id) || {};
    Object.assign(room, r);
    if (withDetails) {
      try {
        Object.assign(room, await this.api.room(r.id));
      } catch (e) {
        if (e.code === 'not_member' || e.code === 'not_found') return this.forget(r.id);
      }
    }
    this.rooms.set(r.id, room);
    return room;
  }

  forget(rid) {
    this.rooms.delete(rid);
    this.files.take(rid).forEach((a) => this.files.remove(a));
    this.socket.unsubscribe(rid);
    if (this.activeId === rid) this.showEmpty();
    this.renderRooms();
    return null;
  }

  title(room) {
    if (!room) return 'Unknown room';
    if (room.type !== 'd') return room.name;
    const other = (room.members || []).find((m) => m.id !== this.me.userId);
    return other ? other.username : 'Direct message';
  }

  unread(rid) {
    const read = this.read[rid] || 0;
    return this.timeline.list(rid).filter((e) => e.seq > read && e.from.id !== this.me.userId && !e.event).length;
  }

  renderRooms() {
    const items = [...this.rooms.values()]
      .map((room) => ({ room, title: this.title(room), unread: this.unread(room.id), active: room.id === this.activeId,
        verified: peerVerified(this.trust, this.me.userId, room) }))
      .sort((a, b) => a.title.localeCompare(b.title));
    this.shell.setRooms(items);
  }

  markRead(rid) {
    const last = this.timeline.lastSeq(rid);
    if (last > (this.read[rid] || 0)) {
      this.read[rid] = last;
      localStorage.setItem(this.readKey, JSON.stringify(this.read));
    }
  }

  frame(f) {
    switch (f.op) {
      case 'msg': return this.message(f);
      case 'room': return f.removed ? this.removedFrom(f.room, f.removed) : this.roomChanged(f.room);
      case 'key': return this.roomKeys.refresh(f.room);
      case 'keys.needed': return this.roomKeys.onKeysNeeded(f, this.rooms.get(f.room));
      case 'typing': return this.someoneTyping(f);
      default: return undefined;
    }
  }

  message(f) {
    this.socket.seen(f.room, f.seq);
    const ev = f.event;
    if (ev && ev.type === 'user.keys.changed' && ev.user && ev.user.id !== this.me.userId) {
      this.trust.keysChanged(ev.user.id, ev.user.username); // their new version: proven, compared, perhaps blocked
    }
    const e = this.timeline.add(f);
    if (!e) return;
    if (f.room === this.activeId) {
      this.typists.stopped(f.from.id); // what they typed has arrived
      this.view.upsert(e);
      if (e.event && e.event.type.startsWith('encryption.')) this.showHeader();
      if (document.visibilityState === 'visible') this.markRead(f.room);
    }
    this.renderRooms();
  }

  async roomChanged(r) {
    const isNew = !this.rooms.has(r.id);
    const room = await this.remember(r, true);
    if (!room) return;
    if (isNew) {
      this.socket.subscribe(room.id, Math.max(0, (room.head || 0) - REPLAY));
      if (room.ownerId !== this.me.userId) announce(`You were added to ${this.title(room)}`);
    }
    this.renderRooms();
    if (room.id === this.activeId) this.showHeader();
    await this.roomKeys.ensure(room);
    if (room.encrypted) this.timeline.retryAll();
    this.sender.roomChanged(room);
  }

  /** Our membership ended: say why (who removed us, or that we left) and let the room go. */
  removedFrom(r, removed) {
    const room = this.rooms.get(r.id);
    if (!room) return;
    const title = this.title(room);
    const by = removed.by && removed.by.username;
    const text = removed.reason === 'left' ? `You left ${title}.`
      : `${by || 'An owner'} removed you from ${title}.`;
    const wasActive = this.activeId === r.id;
    this.forget(r.id);
    this.timeline.forgetRoom(r.id);
    if (removed.reason !== 'left' || !wasActive) this.shell.notify(text);
    announce(text);
  }

  keyArrived(rid, kid) {
    this.timeline.keyArrived(rid, kid);
    this.sender.keyArrived(rid);
    if (rid === this.activeId) this.view.setNotice('');
  }

  /** Identity unlocked, set up or reset: keys for every encrypted room, then retry what waited. */
  identityChanged(status) {
    if (status === 'ready') {
      this.rooms.forEach((r) => this.roomKeys.ensure(r));
      this.timeline.retryAll();
    }
    if (this.activeId) this.showHeader();
  }

  /** After a key reset: earlier room keys and decrypted text are gone with the old key. */
  afterReset() {
    const replayFrom = new Map([...this.rooms.keys()].map((rid) => [rid, Math.max(0, this.timeline.lastSeq(rid) - REPLAY)]));
    this.roomKeys.clear();
    this.timeline.clear();
    replayFrom.forEach((since, rid) => this.socket.subscribe(rid, since, true));
    this.socket.restart();
    if (this.activeId) this.select(this.activeId);
  }

  select(rid) {
    const room = this.rooms.get(rid);
    if (!room) return;
    this.activeId = rid;
    sessionStorage.setItem('sealroom.active', rid);
    this.shell.searchPane.hidden = true;
    this.shell.empty.hidden = true;
    this.shell.roomPane.hidden = false;
    this.view.setNotice('');
    this.typists.clear();
    this.view.show(room, this.title(room), this.timeline.list(rid), { canOlder: this.timeline.firstSeq(rid) > 1 });
    this.trust.watch(room);
    this.view.setAttachments(this.files.list(rid));
    this.showHeader();
    this.markRead(rid);
    this.renderRooms();
    this.shell.setMobilePane('room');
    this.view.focus();
  }

  /** Updates the header and composer after the room or the encryption state changed. */
  showHeader() {
    const room = this.rooms.get(this.activeId);
    if (!room) return;
    this.view.setHeader(room, this.title(room), peerVerified(this.trust, this.me.userId, room));
    this.view.setDowngrade(this.downgradeText(room));
    this.view.setTrust(this.trust.roomIssues(room), this.trustActions);
    if (!room.encrypted) return this.view.setComposer(true);
    const blocked = blockedText(this.trust, room);
    if (blocked && this.identity.status === 'ready') return this.view.setComposer(false, blocked);
    const why = {
      disabled: 'Encryption is turned off on this server, so this encrypted room cannot be used.',
      none: 'This room is encrypted. Set up encryption (the banner above) to send messages here.',
      locked: 'This room is encrypted. Unlock encryption (the banner above) to send messages here.',
    }[this.identity.status];
    return this.view.setComposer(!why, why);
  }

  /** The verified list, a key version or a proof changed: marks, notices and the composer follow. */
  trustChanged() {
    this.renderRooms();
    this.shell.setAlarm(this.trust.logAlarm && this.trust.logAlarm.message);
    if (!this.activeId) return;
    this.showHeader();
    this.view.markSenders();
  }

  /** After the user resolved a member's issue: hand over the keys that waited, send what waited. */
  trustResolved() {
    this.roomKeys.reconnected();
    this.rooms.forEach((r) => { this.roomKeys.ensure(r); this.sender.keyArrived(r.id); });
  }

  /** An encrypted room turned plain says so at the top until it is encrypted again (no silent downgrade). */
  downgradeText(room) {
    if (room.encrypted) return null;
    const off = this.timeline.list(room.id).filter((e) => e.event && e.event.type.startsWith('encryption.')).pop();
    if (!off || off.event.type !== 'encryption.disabled') return null;
    return `${actorName(off, this.me.userId)} turned off end-to-end encryption in this room. New messages are sent unencrypted and the server can read them.`;
  }

  showEmpty() {
    this.activeId = null;
    this.shell.roomPane.hidden = true;
    this.shell.empty.hidden = false;
    this.shell.setMobilePane('list');
  }

  async older() {
    const rid = this.activeId;
    const first = this.timeline.firstSeq(rid);
    let page;
    try {
      page = await this.api.history(rid, { before: first, limit: REPLAY });
    } catch (e) {
      this.shell.notify(`Earlier messages could not be loaded: ${e.message}`);
      return;
    }
    const added = page.messages.map((m) => this.timeline.add(m)).filter(Boolean);
    if (rid === this.activeId) this.view.prepend(added.reverse(), this.timeline.firstSeq(rid) > 1);
  }

  /** Sends the composer's text and attachments; false when it cannot yet (an upload is still running). */
  send(text) {
    const rid = this.activeId;
    const why = this.files.blocker(rid) || blockedText(this.trust, this.rooms.get(rid));
    if (why) {
      this.view.setAttachNote(why);
      return false;
    }
    const atts = this.files.take(rid);
    if (!text && !atts.length) return false;
    this.sender.send(rid, text, atts);
    this.view.setAttachments([]);
    return true;
  }

  /** Files picked, dropped or pasted: each is uploaded at once (sealed first in an encrypted room). */
  attach(list) {
    const room = this.rooms.get(this.activeId);
    if (!room) return;
    let refused = null;
    try {
      list.forEach((f) => this.files.attach(room.id, f, !!room.encrypted));
    } catch (e) {
      refused = e.message;
    }
    this.view.setAttachments(this.files.list(room.id));
    this.view.setAttachNote(refused);
    if (!refused) announce(`${list.length === 1 ? list[0].name : `${list.length} files`} attached`);
  }

  typing() {
    if (!this.activeId || Date.now() - this.lastTyping < 3000) return;
    this.lastTyping = Date.now();
    this.socket.typing(this.activeId);
  }

  someoneTyping(f) {
    if (f.room === this.activeId && f.user.id !== this.me.userId) this.typists.typing(f.user.id, f.user.username);
  }

  /** Searches the server (plain rooms) and this browser's decrypted messages (chatsearch.js). */
  search(q) {
    return searchRooms(this, q);
  }

  /** Opens a room at a message, loading history back to it when needed. */
  async open(rid, seq) {
    this.select(rid);
    while (seq && this.timeline.firstSeq(rid) > seq && this.activeId === rid) {
      const before = this.timeline.firstSeq(rid);
      await this.older();
      if (this.timeline.firstSeq(rid) === before) break;
    }
    if (seq) this.view.highlight(seq);
  }
}
