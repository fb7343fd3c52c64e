// The WebSocket of docs/protocol.md: auth frame first, then every room subscribed with since =
// the last seq seen, so a reconnect resumes each room without gaps or duplicates. Reconnects
// by itself with capped, jittered backoff; sends are retried with the same cid until acked.

const PING_EVERY_MS = 25000;
const PONG_WITHIN_MS = 10000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15000;
// errors after which a send is worth retrying with the same cid (protocol.md "Idempotent sends")
const RETRYABLE = new Set(['unavailable', 'rate_limited']);

export class SendError extends Error {
  constructor(frame) {
    super(frame.message || frame.code);
    this.name = 'SendError';
    this.code = frame.code;
    this.frame = frame;
  }
}

/**
 * options: getToken(), onFrame(frame) for msg/room/key/keys.needed/typing frames,
 * onStatus('connecting'|'online'|'offline'), onAuthFailed(reason) when the token is refused ('key_reset' or null).
 */
export class Socket {
  constructor({ getToken, onFrame, onStatus, onAuthFailed }) {
    Object.assign(this, { getToken, onFrame, onStatus, onAuthFailed });
    this.ws = null;
    this.ready = false;
    this.stopped = true;
    this.attempt = 0;
    this.rooms = new Map(); // rid -> since (last seq delivered to the app)
    this.pending = new Map(); // cid -> {frame, resolve, reject}
    this.timers = {};
    this.onOnline = () => this.reconnectNow();
    this.onVisible = () => { if (document.visibilityState === 'visible') this.reconnectNow(); };
  }

  start() {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    document.addEventListener('visibilitychange', this.onVisible);
    this.connect();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    document.removeEventListener('visibilitychange', this.onVisible);
    Object.values(this.timers).forEach(clearTimeout);
    if (this.ws) this.ws.close(1000, 'bye');
    this.ws = null;
    this.pending.forEach((p) => p.reject(new SendError({ code: 'closed', message: 'logged out' })));
    this.pending.clear();
  }

  /**
   * Follow a room from seq `since` (history after it is replayed, then live messages). A known
   * room keeps the later of the two positions unless `restart` asks to replay again.
   */
  subscribe(rid, since, restart = false) {
    if (restart || !this.rooms.has(rid) || since > this.rooms.get(rid)) this.rooms.set(rid, since);
    if (this.ready) this.raw({ op: 'sub', room: rid, since: this.rooms.get(rid) });
  }

  unsubscribe(rid) {
    this.rooms.delete(rid);
    if (this.ready) this.raw({ op: 'unsub', room: rid });
  }

  /** The app saw this seq: a resubscription starts after it. */
  seen(rid, seq) {
    if (this.rooms.has(rid) && seq > this.rooms.get(rid)) this.rooms.set(rid, seq);
  }

  /**
   * Sends a message; resolves with the ack, retrying across reconnects with the same cid.
   * onBusy() runs when the server asks to retry (unavailable, rate_limited) and a retry is due.
   */
  send(room, cid, body, onBusy = () => {}) {
    return new Promise((resolve, reject) => {
      const frame = { op: 'send', room, cid, ...body };
      this.pending.set(cid, { frame, resolve, reject, onBusy });
      if (this.ready) this.raw(frame);
    });
  }

  typing(room) {
    if (this.ready) this.raw({ op: 'typing', room });
  }

  /** After the token changed (a key reset answers a new one): start over with it. */
  restart() {
    if (this.stopped) return;
    if (this.ws) this.ws.close(1000, 'new token');
    this.ws = null;
    this.reconnectNow();
  }

  reconnectNow() {
    if (this.stopped || (this.ws && this.ws.readyState <= WebSocket.OPEN)) return;
    clearTimeout(this.timers.retry);
    this.attempt = 0;
    this.connect();
  }

  raw(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  connect() {
    if (this.stopped) return;
    this.onStatus(this.attempt === 0 ? 'connecting' : 'offline');
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const ws = new WebSocket(url);
    const token = this.getToken();
    this.ws = ws;
    this.ready = false;
    ws.onopen = () => ws.send(JSON.stringify({ op: 'auth', token }));
    ws.onmessage = (ev) => this.receive(ws, ev.data);
    ws.onclose = (ev) => this.closed(ws, ev, token);
    ws.onerror = () => { /* onclose follows and decides */ };
  }

  receive(ws, data) {
    if (ws !== this.ws) return;
    let f;
    try { f = JSON.parse(data); } catch (e) { return; }
    this.heartbeat();
    switch (f.op) {
      case 'ready':
        this.ready = true;
        this.attempt = 0;
        this.onStatus('online');
        this.rooms.forEach((since, rid) => this.raw({ op: 'sub', room: rid, since }));
        this.pending.forEach((p) => this.raw(p.frame));
        break;
      case 'ack': this.settle(f.cid, (p) => p.resolve(f)); break;
      case 'error':
        if (f.cid && this.pending.has(f.cid)) {
          if (!RETRYABLE.has(f.code)) this.settle(f.cid, (p) => p.reject(new SendError(f)));
          else this.retryLater(f.cid);
        } else if (f.code === 'unavailable' && !f.ref) {
          this.rooms.forEach((since, rid) => this.raw({ op: 'sub', room: rid, since })); // a replay failed: resume it
        }
        break;
      case 'pong': break;
      default: this.onFrame(f);
    }
  }

  retryLater(cid) {
    const p = this.pending.get(cid);
    if (p) p.onBusy();
    this.timers[`retry-${cid}`] = setTimeout(() => { const again = this.pending.get(cid); if (again) this.raw(again.frame); }, 2000);
  }

  settle(cid, fn) {
    const p = this.pending.get(cid);
    if (p) {
      this.pending.delete(cid);
      fn(p);
    }
  }

  // a silent network (no close event) shows up as a missing pong: close and reconnect
  heartbeat() {
    clearTimeout(this.timers.ping);
    clearTimeout(this.timers.pong);
    this.timers.ping = setTimeout(() => {
      this.raw({ op: 'ping' });
      this.timers.pong = setTimeout(() => { if (this.ws) this.ws.close(4000, 'no pong'); }, PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  closed(ws, ev, token) {
    if (ws !== this.ws) return;
    this.ws = null;
    this.ready = false;
    clearTimeout(this.timers.ping);
    clearTimeout(this.timers.pong);
    if (this.stopped) return;
    if (ev.code === 4001 && token === this.getToken()) {
      this.onStatus('offline');
      this.onAuthFailed(/key_reset|keys were reset/.test(ev.reason || '') ? 'key_reset' : null);
      return;
    }
    this.onStatus('offline');
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempt);
    this.attempt += 1;
    this.timers.retry = setTimeout(() => this.connect(), delay / 2 + Math.random() * delay / 2);
  }
}
