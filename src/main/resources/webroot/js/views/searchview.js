// Search results: the server's matches (plain rooms only: it stores no text of encrypted
// messages), then the matches among messages this browser decrypted, searched locally.

import { h, keyIcon, icon, timeLabel } from './dom.js';

/** results: {q, server: [msg], local: [entry], serverError}; titleOf(rid); onOpen(rid, seq); onClose(). */
export function renderSearch(pane, { q, server, local, serverError }, { titleOf, onOpen, onClose }) {
  const close = h('button.icon-btn', { type: 'button', id: 'search-close', 'aria-label': 'Close search' }, icon('close'));
  close.addEventListener('click', onClose);
  const item = (m, encrypted) => {
    const b = h('button.result', { type: 'button', dataset: { roomId: m.rid || m.room, seq: m.seq } },
      h('span.result-meta', {}, h('span.result-room', { text: titleOf(m.rid || m.room) }),
        h('span.result-user', { text: m.from.username }), encrypted ? keyIcon('msg-key', 'Encrypted message') : null,
        h('time', { text: timeLabel(m.ts) })),
      h('span.result-text', { text: m.text }));
    b.addEventListener('click', () => onOpen(m.rid || m.room, m.seq));
    return h('li', {}, b);
  };
  const section = (id, heading, hint, items, encrypted, emptyText) => h('section.result-group', { id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title`, text: heading }), h('p.hint', { text: hint }),
    items.length ? h('ul.results', {}, items.map((m) => item(m, encrypted))) : h('p.none', { text: emptyText }));
  pane.replaceChildren(
    h('header.search-head', {}, h('h1', { id: 'search-title', text: `Results for “${q}”` }), close),
    section('server-results', 'Plain rooms', 'Searched on the server.', server, false,
      serverError || 'No plain messages match.'),
    section('local-results', 'Encrypted rooms', 'Searched on this device, among the messages it has decrypted. '
      + 'Encrypted messages never go to the server’s search.', local, true, 'No decrypted messages match.'));
  close.focus();
}
