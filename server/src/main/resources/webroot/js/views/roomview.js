// One room: header (name, key icon, info), the message list (key icon by the username of each
// encrypted message, a mark when its signature verifies, "waiting for the room key"), and the
// composer with its attachments (the paperclip button, dropping files on the room, pasting a
// picture). Messages are updated in place, so decrypting later does not jump the scroll.

import { h, keyIcon, icon, timeLabel, clear, verifiedMark } from './dom.js';
import { trustBar } from './trustbar.js';
import { renderEvent } from './events.js';
import { linkify } from './linkify.js';
import { fileList, updateCard, attachmentRow, updateRow } from './filecards.js';

const COLORS = 8;
const WAITING = {
  key: 'Waiting for the room key…',
  none: 'Waiting for the room key… Set up encryption to receive it.',
  locked: 'Waiting for the room key… Unlock encryption on this device to read it.',
  disabled: 'Encrypted. Encryption is turned off on this server.',
};

// a key nobody can hand over any more: say so plainly instead of waiting for ever
const LOST = 'This message cannot be read: it was encrypted with a room key that is no longer available to you '
  + '(it was replaced or reset before you got it).';
// what a message of ours waits for (sender.js states)
const PENDING = {
  sending: 'Sending…',
  offline: 'Not sent yet: no connection. It is sent as soon as the connection is back.',
  busy: 'Not sent yet: the server is busy. Trying again…',
  waiting: 'Not sent yet: waiting for the room key. A member who has it must be online to share it with you.',
};

function colorOf(name) {
  let n = 0;
  for (const ch of name) n = (n * 31 + ch.charCodeAt(0)) % 9973;
  return n % COLORS;
}

/**
 * handlers: {onSend(text) -> bool (false: nothing was sent), onInfo(), onBack(), onOlder(), onTyping(),
 * onRetry(entry), onDiscard(entry) -> bool, onAttach(File[]), onRemoveAttachment(att), files (files.js)}
 */
export function createRoomView(pane, handlers) {
  const title = h('h1.room-title', { id: 'room-title' });
  const headKey = h('span.head-key', { id: 'room-head-key' });
  const headVerified = h('span.head-verified', { id: 'room-head-verified' });
  const isVerified = handlers.isVerified || (() => false);
  const sub = h('p.room-sub', { id: 'room-sub' });
  const back = h('button.icon-btn.back-btn', { type: 'button', id: 'back-btn', 'aria-label': 'Back to rooms' }, icon('back'));
  const info = h('button.icon-btn', { type: 'button', id: 'room-info-btn', 'aria-label': 'Room info' }, icon('info'));
  back.addEventListener('click', handlers.onBack);
  info.addEventListener('click', handlers.onInfo);
  const notice = h('p.room-notice', { id: 'room-notice', role: 'status', hidden: true });
  // key changes and key-log failures of the room's members (trustbar.js)
  const trust = h('div.trust-bar', { id: 'trust-bar', hidden: true });
  let trustShown = '';
  // a room that was encrypted and is not any more says so at the top, for as long as it lasts
  const downgrade = h('p.room-downgrade', { id: 'room-downgrade', role: 'status', hidden: true });
  const older = h('button.link-btn.older', { type: 'button', id: 'load-older', hidden: true }, 'Load earlier messages');
  older.addEventListener('click', handlers.onOlder);
  const emptyNote = h('p.no-messages', { id: 'no-messages', hidden: true });
  // the log role goes on a wrapper: on the <ol> itself it would hide the list from its items
  const list = h('ol.messages', { id: 'messages', 'aria-labelledby': 'room-title' });
  const log = h('div.messages-log', { id: 'messages-log', role: 'log', 'aria-relevant': 'additions', 'aria-labelledby': 'room-title' }, list);
  const scroller = h('div.messages-wrap', { id: 'messages-wrap', tabindex: '0', 'aria-label': 'Message history' }, older, emptyNote, log);
  const input = h('textarea', { id: 'composer-input', rows: '1', maxlength: '16384' });
  const label = h('label.sr-only', { for: 'composer-input', id: 'composer-label' });
  const send = h('button.btn.primary.send-btn', { type: 'submit', id: 'send-btn' }, icon('send'), h('span', { text: 'Send' }));
  const note = h('p.composer-note', { id: 'composer-note', hidden: true });
  const typingLine = h('p.typing', { id: 'typing', 'aria-live': 'polite' });
  const attach = h('button.icon-btn.attach-btn', { type: 'button', id: 'attach-btn', 'aria-label': 'Attach files', title: 'Attach files' },
    icon('clip'));
  // the button opens the picker; the input itself stays out of the tab order and of the accessibility tree
  const picker = h('input.sr-only', { type: 'file', id: 'attach-input', multiple: true, tabindex: '-1', 'aria-hidden': 'true' });
  attach.addEventListener('click', () => picker.click());
  picker.addEventListener('change', () => {
    const chosen = [...picker.files];
    picker.value = '';
    if (chosen.length) handlers.onAttach(chosen);
  });
  const attachments = h('ul.attachments', { id: 'attachments', 'aria-label': 'Attachments', hidden: true });
  const attachNote = h('p.attach-note', { id: 'attach-note', role: 'status' });
  const dropHint = h('div.drop-hint', { id: 'drop-hint', hidden: true }, h('p', { text: 'Drop files to attach them' }));
  const form = h('form.composer', { id: 'composer' }, attach, picker, label, input, send);
  pane.replaceChildren(h('header.room-head', {}, back, h('div.room-head-text', {},
    h('div.title-row', {}, title, headVerified, headKey), sub), info), trust, downgrade, notice, scroller, typingLine, note,
  attachments, attachNote, form, dropHint);

  const nodes = new Map(); // key (seq or cid) -> li
  const keyOf = (e) => (e.seq ? `s${e.seq}` : `c${e.cid}`);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (input.disabled || !handlers.onSend(text)) return;
    input.value = '';
    grow();
  });
  // a picture (or any file) pasted into the composer is attached; pasted text stays text
  input.addEventListener('paste', (ev) => {
    const pasted = [...((ev.clipboardData && ev.clipboardData.files) || [])];
    if (!pasted.length || input.disabled) return;
    ev.preventDefault();
    handlers.onAttach(pasted);
  });
  // files dragged over the room show where they go; dropped anywhere on it, they are attached
  let dragDepth = 0;
  const dragsFiles = (ev) => ev.dataTransfer && [...ev.dataTransfer.types].includes('Files');
  pane.addEventListener('dragenter', (ev) => {
    if (!dragsFiles(ev) || input.disabled) return;
    dragDepth += 1;
    dropHint.hidden = false;
  });
  pane.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) dropHint.hidden = true;
  });
  pane.addEventListener('dragover', (ev) => {
    if (!dragsFiles(ev) || input.disabled) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = 'copy';
  });
  pane.addEventListener('drop', (ev) => {
    dragDepth = 0;
    dropHint.hidden = true;
    if (!dragsFiles(ev) || input.disabled) return;
    ev.preventDefault();
    const dropped = [...ev.dataTransfer.files];
    if (dropped.length) handlers.onAttach(dropped);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', () => { grow(); handlers.onTyping(); });
  // grow with the text up to a limit; scrollHeight excludes the borders, so add them back
  function grow() {
    input.style.height = 'auto';
    const borders = input.offsetHeight - input.clientHeight;
    const wanted = input.scrollHeight + borders;
    input.style.height = `${Math.min(wanted, 180)}px`;
    input.style.overflowY = wanted > 180 ? 'auto' : 'hidden';
  }

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  const toBottom = () => { scroller.scrollTop = scroller.scrollHeight; };
  // a preview that loads after its message grows the list: a reader at the bottom stays there
  let stuck = true;
  scroller.addEventListener('scroll', () => { stuck = nearBottom(); });
  list.addEventListener('load', () => { if (stuck) toBottom(); }, true);

  function render(e) {
    if (e.event) return renderEvent(e, handlers.myId);
    const mine = e.from.id === handlers.myId;
    const li = h(`li.msg${mine ? '.mine' : ''}${e.encrypted ? '.encrypted' : ''}${e.pending ? '.pending' : ''}`,
      { dataset: { seq: e.seq || '', cid: e.cid || '', state: e.state, pending: e.pending || '' } });
    const head = h('div.msg-head', {}, h('span.msg-user', { text: e.from.username, dataset: { uid: e.from.id } }));
    if (!mine && isVerified(e.from.id)) head.append(verifiedMark('msg-verified-user'));
    if (e.encrypted) head.append(keyIcon('msg-key', 'Encrypted message'));
    if (e.verified === true) head.append(h('span.msg-verified', { title: 'Signature verified' }, icon('check', 'Signature verified')));
    if (e.unproven && e.state === 'decrypted') {
      // the signature checks out, but the log could not prove the key that made it: not "verified"
      head.append(h('span.msg-unproven', { title: e.unproven }, icon('warn', 'Could not verify the sender'),
        h('span', { text: 'could not verify' })));
    }
    if (e.verified === false && e.state === 'decrypted') {
      head.append(h('span.msg-unverified', { title: 'The signature does not match this sender' }, icon('warn', 'Signature not verified')));
    }
    head.append(h('time.msg-time', { datetime: new Date(e.ts).toISOString(), text: timeLabel(e.ts) }));
    let body;
    if (e.state === 'waiting') body = h('p.msg-waiting', { text: WAITING[e.hint] || WAITING.key });
    else if (e.state === 'decrypting') body = h('p.msg-waiting', { text: 'Decrypting…' });
    else if (e.state === 'lost') body = h('p.msg-lost', { text: LOST });
    else if (e.state === 'failed') body = h('p.msg-failed', { text: 'This message cannot be decrypted.' });
    else {
      body = [e.text ? h('p.msg-text', {}, linkify(e.text)) : null,
        e.files && e.files.length ? fileList(e.files, handlers.files) : null];
    }
    li.append(h('div.avatar', { 'aria-hidden': 'true', dataset: { color: colorOf(e.from.username) },
      text: e.from.username.slice(0, 1).toUpperCase() }), h('div.msg-main', {}, head, body, pendingLine(e)));
    return li;
  }

  function removeNode(key) {
    const li = nodes.get(key);
    if (li) li.remove();
    nodes.delete(key);
  }

  /** Why a message of ours is not stored yet, with Retry and Discard where they apply. */
  function pendingLine(e) {
    if (!e.pending) return null;
    const actions = [];
    if (e.pending === 'failed') actions.push(action('Retry', 'msg-retry', () => handlers.onRetry(e)));
    if (e.pending === 'failed' || e.pending === 'waiting') {
      actions.push(action('Discard', 'msg-discard', () => {
        if (!handlers.onDiscard(e)) return;
        removeNode(keyOf(e));
        input.focus(); // the button is gone with its message
      }));
    }
    const text = e.pending === 'failed' ? (e.error || 'Not sent.') : PENDING[e.pending] || PENDING.sending;
    return h(`p.msg-state${e.pending === 'failed' ? '.failed' : ''}`, {}, text, actions.map((b) => [' ', b]));
  }

  function action(label, cls, fn) {
    const b = h(`button.link-btn.${cls}`, { type: 'button' }, label);
    b.addEventListener('click', fn);
    return b;
  }

  return {
    /** Shows a room: header and every entry. */
    show(room, name, entries, { canOlder }) {
      this.setHeader(room, name);
      older.hidden = !canOlder;
      grow();
      nodes.clear();
      list.replaceChildren(...entries.map((e) => { const li = render(e); nodes.set(keyOf(e), li); return li; }));
      emptyNote.hidden = entries.length > 0;
      toBottom();
    },
    /** The header and composer labels, after a rename or an encryption change; messages stay. */
    setHeader(room, name, verified = false) {
      title.textContent = name;
      headVerified.replaceChildren(verified ? verifiedMark('head-verified-mark') : '');
      clear(headKey);
      if (room.encrypted) headKey.append(keyIcon('room-key head-key-icon', 'Encrypted room'));
      const typeLabel = { c: 'Public channel', p: 'Private group', d: 'Direct message' }[room.type];
      sub.textContent = room.encrypted ? `${typeLabel} · end-to-end encrypted` : typeLabel;
      label.textContent = `Message ${name}`;
      input.placeholder = room.encrypted ? `Encrypted message to ${name}` : `Message ${name}`;
      emptyNote.textContent = room.encrypted
        ? 'No messages yet. What you write here is encrypted in your browser before it is sent.'
        : 'No messages yet. Say hello!';
    },
    /** Inserts or refreshes one entry in seq order (unacknowledged ones stay last). */
    upsert(e) {
      const stick = nearBottom();
      const li = render(e);
      const key = keyOf(e);
      const old = nodes.get(key);
      const sending = e.seq && e.cid ? nodes.get(`c${e.cid}`) : null; // our message, now stored
      if (sending) {
        sending.remove();
        nodes.delete(`c${e.cid}`);
      }
      nodes.set(key, li);
      emptyNote.hidden = true;
      if (old) old.replaceWith(li);
      else if (!e.seq) list.append(li);
      else {
        const after = [...list.children].find((n) => !n.dataset.seq || Number(n.dataset.seq) > e.seq);
        list.insertBefore(li, after || null);
      }
      if (stick || (e.pending && !old)) toBottom();
    },
    remove: removeNode,
    prepend(entries, canOlder) {
      const before = scroller.scrollHeight;
      const first = list.firstChild;
      for (const e of entries) {
        if (nodes.has(keyOf(e))) continue;
        const li = render(e);
        nodes.set(keyOf(e), li);
        list.insertBefore(li, first);
      }
      older.hidden = !canOlder;
      scroller.scrollTop += scroller.scrollHeight - before;
    },
    /** Composer state: enabled, or disabled with a reason (e.g. locked encryption). */
    setComposer(enabled, reason) {
      input.disabled = !enabled;
      send.disabled = !enabled;
      attach.disabled = !enabled;
      note.hidden = !reason;
      note.textContent = reason || '';
    },
    setTyping(text) {
      typingLine.textContent = text;
    },
    /** The standing notice that encryption was turned off (null: none). */
    setDowngrade(text) {
      downgrade.hidden = !text;
      downgrade.textContent = text || '';
    },
    /**
     * The members' key issues (trust.js roomIssues), blocking ones first; the same list is not
     * drawn again, so that a screen reader does not hear it again on every refresh.
     */
    setTrust(issues, actions) {
      const id = JSON.stringify(issues.map((i) => [i.uid, i.why, i.text || '']));
      if (id === trustShown) return;
      trustShown = id;
      trust.replaceChildren(...issues.map((i) => trustBar(i, actions)));
      trust.hidden = !issues.length;
    },
    /** Verified marks by senders' names, after the verified list changed. */
    markSenders() {
      list.querySelectorAll('.msg-user[data-uid]').forEach((u) => {
        const had = u.parentNode.querySelector('.msg-verified-user');
        const want = u.dataset.uid !== handlers.myId && isVerified(u.dataset.uid);
        if (had && !want) had.remove();
        if (!had && want) u.after(verifiedMark('msg-verified-user'));
      });
    },
    setNotice(text) {
      notice.hidden = !text;
      notice.textContent = text || '';
    },
    highlight(seq) {
      const li = nodes.get(`s${seq}`);
      if (!li) return;
      li.scrollIntoView({ block: 'center' });
      li.classList.add('flash');
      setTimeout(() => li.classList.remove('flash'), 2000);
    },
    focus() { if (!input.disabled) input.focus(); },
    /** The composer's attachments (those of the open room). */
    setAttachments(atts) {
      attachments.replaceChildren(...atts.map((a) => attachmentRow(a, handlers.onRemoveAttachment)));
      attachments.hidden = !atts.length;
      attachNote.textContent = '';
    },
    attachmentChanged(att) {
      const row = [...attachments.children].find((r) => r.dataset.lid === att.lid);
      if (att.phase === 'removed') {
        if (row && row.contains(document.activeElement)) input.focus(); // its button is gone
        if (row) row.remove();
        attachments.hidden = !attachments.children.length;
      } else if (row) {
        updateRow(row);
      }
    },
    /** Why the composer did not send (uploads still running), read out. */
    setAttachNote(text) {
      attachNote.textContent = text || '';
    },
    /** A download or preview of this file moved: its cards follow. */
    fileChanged(fid) {
      list.querySelectorAll('li.file-card').forEach((card) => { if (card.dataset.fid === fid) updateCard(card, handlers.files); });
    },
  };
}
