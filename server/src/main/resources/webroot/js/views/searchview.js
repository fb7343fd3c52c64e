// Search results, grouped by what each room is now: plain rooms, then encrypted rooms. Matches
// come from the server's search (it stores no text of encrypted messages) and from the messages
// this browser decrypted, searched locally. A room converted since keeps its older plain
// messages on the server, and a room that stopped being encrypted has decrypted ones here: each
// result goes under its room's current state, with a key icon when the message was encrypted.

import { h, keyIcon, icon, timeLabel } from './dom.js';

const BEFORE = 'Sent before the room was encrypted';

/**
 * results: {q, server: [msg], local: [entry], serverError}; titleOf(rid); encryptedNow(rid);
 * onOpen(rid, seq); onClose().
 */
export function renderSearch(pane, { q, server, local, serverError }, { titleOf, encryptedNow, onOpen, onClose }) {
  const close = h('button.icon-btn', { type: 'button', id: 'search-close', 'aria-label': 'Close search' }, icon('close'));
  close.addEventListener('click', onClose);
  const ridOf = (m) => m.rid || m.room;
  const all = server.map((m) => ({ m, encrypted: false })).concat(local.map((m) => ({ m, encrypted: true })))
    .sort((a, b) => b.m.ts - a.m.ts);
  const plain = all.filter((r) => !encryptedNow(ridOf(r.m)));
  const sealed = all.filter((r) => encryptedNow(ridOf(r.m)));

  const item = ({ m, encrypted }, inEncryptedRoom) => {
    const b = h('button.result', { type: 'button', dataset: { roomId: ridOf(m), seq: m.seq } },
      h('span.result-meta', {}, h('span.result-room', { text: titleOf(ridOf(m)) }),
        h('span.result-user', { text: m.from.username }), encrypted ? keyIcon('msg-key', 'Encrypted message') : null,
        h('time', { text: timeLabel(m.ts) }),
        inEncryptedRoom && !encrypted ? h('span.result-note', { text: BEFORE }) : null),
      h('span.result-text', { text: m.text }));
    b.addEventListener('click', () => onOpen(ridOf(m), m.seq));
    return h('li', {}, b);
  };
  const section = (id, heading, hints, items, inEncryptedRoom, emptyText) => h('section.result-group',
    { id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, text: heading }), h('p.hint', { text: hints.filter(Boolean).join(' ') }),
    items.length ? h('ul.results', {}, items.map((r) => item(r, inEncryptedRoom))) : h('p.none', { text: emptyText }));

  pane.replaceChildren(
    h('header.search-head', {}, h('h1', { id: 'search-title', text: `Results for “${q}”` }), close),
    section('plain-results', 'Plain rooms', ['Searched on the server.',
      plain.some((r) => r.encrypted) ? 'Messages sent while a room was encrypted are searched on this device.' : null],
    plain, false, serverError || 'No plain messages match.'),
    section('encrypted-results', 'Encrypted rooms', ['Searched on this device, among the messages it has decrypted. '
      + 'Encrypted messages never go to the server’s search.',
    sealed.some((r) => !r.encrypted) ? 'Messages sent before a room was encrypted come from the server’s search.' : null],
    sealed, true, 'No decrypted messages match.'));
  close.focus();
}
