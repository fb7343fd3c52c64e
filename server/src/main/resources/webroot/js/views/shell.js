// The signed-in layout: sidebar (brand, account, search, new room, room list with key icons and
// unread counts), the encryption banner, the offline indicator, and the main pane slots.

import { h, keyIcon, icon, clear, verifiedMark } from './dom.js';

/** Builds the layout; handlers: {onAccount, onLogout, onSearch(q), onNewRoom(type), onSelect(rid), onBanner()}. */
export function renderShell(root, me, handlers) {
  const searchInput = h('input', { type: 'search', id: 'search-input', placeholder: 'Search messages', autocomplete: 'off',
    maxlength: '128' });
  const searchForm = h('form.search', { id: 'search-form', role: 'search' },
    h('label.sr-only', { for: 'search-input', text: 'Search messages' }), searchInput,
    h('button.icon-btn', { type: 'submit', 'aria-label': 'Search' }, icon('search')));
  searchForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (searchInput.value.trim()) handlers.onSearch(searchInput.value.trim());
  });
  const groups = h('ul.rooms', { id: 'rooms-groups' });
  const dms = h('ul.rooms', { id: 'rooms-dms' });
  const btn = (id, label, fn, ...kids) => {
    const b = h(`button.${id === 'new-room' ? 'btn.primary' : 'btn'}`, { type: 'button', id }, ...kids, label);
    b.addEventListener('click', fn);
    return b;
  };
  const account = h('button.icon-btn', { type: 'button', id: 'account-btn', 'aria-label': 'My account' }, icon('person'));
  account.addEventListener('click', handlers.onAccount);
  const logout = h('button.link-btn', { type: 'button', id: 'logout' }, 'Log out');
  logout.addEventListener('click', handlers.onLogout);

  // a section, not an aside: it sits in <main> with the room, because at phone width it is the
  // only pane shown, and the page must keep one main landmark and a level-one heading
  const sidebar = h('section.sidebar', { id: 'sidebar', 'aria-label': 'Rooms and search' },
    h('div.side-head', {}, h('h1.brand', {}, keyIcon('brand-key', null), h('span', { text: 'Sealroom' })), account),
    searchForm,
    h('div.side-actions', {}, btn('new-room', 'New room', () => handlers.onNewRoom('p'), icon('plus')),
      btn('new-dm', 'Direct message', () => handlers.onNewRoom('d'), icon('plus'))),
    h('nav.room-list', { id: 'room-list', 'aria-label': 'Your rooms' },
      h('h2.side-title', { id: 'groups-title', text: 'Rooms' }), groups,
      h('h2.side-title', { id: 'dms-title', text: 'Direct messages' }), dms),
    h('div.side-foot', {}, h('span.me', {}, 'Signed in as ', h('strong', { id: 'me-name', text: me.username })), logout));

  // Up and Down move between rooms, as in any list; Tab still leaves the list
  sidebar.querySelector('#room-list').addEventListener('keydown', (ev) => {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    const items = [...sidebar.querySelectorAll('.room-item')];
    const i = items.indexOf(document.activeElement);
    if (i < 0) return;
    ev.preventDefault();
    const next = items[(i + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
    next.focus();
  });
  const banner = h('div', { id: 'banner-slot' });
  // the key log itself failed a check (a fork, a bad head, the own keys): everyone must know
  const alarm = h('div.kt-alarm', { id: 'kt-alarm', role: 'alert', hidden: true });
  const status = h('div.conn', { id: 'conn-status', role: 'status', hidden: true });
  const toast = h('div.toast', { id: 'toast', role: 'alert', hidden: true });
  let toastTimer = null;
  const roomPane = h('section.room-pane', { id: 'room-pane', hidden: true, 'aria-labelledby': 'room-title' });
  const searchPane = h('section.search-pane', { id: 'search-pane', hidden: true, 'aria-labelledby': 'search-title' });
  const empty = h('div.empty-pane', { id: 'empty-pane' }, keyIcon('empty-key'),
    h('p', { text: 'Pick a room on the left, or start a new one.' }));
  // #main is the pane beside the room list (the room, search, or nothing chosen yet)
  const pane = h('div.main', { id: 'main' }, status, toast, roomPane, searchPane, empty);
  const shell = h('div.shell', { id: 'shell' }, h('a.skip-link', { href: '#composer-input', text: 'Skip to the message box' }),
    h('div.top-slots', {}, alarm, banner), h('main.panes', { id: 'panes' }, sidebar, pane), h('div.sr-only', { id: 'announcer', 'aria-live': 'polite' }));
  root.replaceChildren(shell);

  return {
    shell, roomPane, searchPane, empty, searchInput,
    /** rooms: [{room, title, unread, active}] */
    setRooms(items) {
      fill(groups, items.filter((i) => i.room.type !== 'd'), handlers.onSelect, 'No rooms yet.');
      fill(dms, items.filter((i) => i.room.type === 'd'), handlers.onSelect, 'No direct messages yet.');
    },
    setBanner(kind) { renderBanner(banner, kind, handlers.onBanner); },
    /** The global key-log warning (text), or none (null). */
    setAlarm(text) {
      if ((alarm.dataset.text || '') === (text || '')) return;
      alarm.dataset.text = text || '';
      alarm.replaceChildren(...(text ? [icon('warn'), h('p', {}, h('strong', { text }),
        ' Sealroom stopped encrypting to anyone until this is resolved: the server may be showing you keys that are '
        + 'not your contacts\'. Tell your administrator; reloading the page checks again.')] : []));
      alarm.hidden = !text;
    },
    setConnection(state) {
      status.hidden = state === 'online';
      status.className = `conn conn-${state}`;
      status.textContent = state === 'connecting' ? 'Connecting…' : state === 'offline' ? 'Offline. Reconnecting…' : '';
    },
    /** A short message that something did not work; it goes away by itself. */
    notify(text) {
      toast.textContent = text;
      toast.hidden = false;
      clearTimeout(toastTimer);
      toastTimer = setTimeout(() => { toast.hidden = true; }, 8000);
    },
    /** Phone width shows one pane at a time: the list, or the room. */
    setMobilePane(pane) { shell.dataset.pane = pane; },
  };
}

function fill(ul, items, onSelect, emptyText) {
  clear(ul);
  if (!items.length) ul.append(h('li.none', { text: emptyText }));
  for (const { room, title, unread, active, verified } of items) {
    const count = unread > 99 ? '99+' : String(unread);
    // the name starts with what the button shows (WCAG 2.5.3): the title, then the count
    const label = [title, verified ? 'verified' : null, unread ? `${count} unread` : null, room.encrypted ? 'encrypted' : null]
      .filter(Boolean).join(', ');
    const b = h('button.room-item', { type: 'button', dataset: { roomId: room.id }, 'aria-label': label,
      'aria-current': active ? 'page' : null },
    h('span.room-glyph', { 'aria-hidden': 'true', text: room.type === 'c' ? '#' : room.type === 'd' ? '@' : '•' }),
    h('span.room-name', { text: title }),
    verified ? verifiedMark('room-verified') : null,
    room.encrypted ? keyIcon('room-key', null) : null, // the label says "encrypted"
    unread ? ' ' : null, unread ? h('span.badge', { 'aria-hidden': 'true', text: count }) : null);
    b.addEventListener('click', () => onSelect(room.id));
    ul.append(h('li', {}, b));
  }
}

/** kind: 'none' (set up), 'locked' (unlock), 'working', or null. */
function renderBanner(slot, kind, onClick) {
  clear(slot);
  if (!kind) return;
  const text = {
    none: ['Save your encryption password', 'Encryption is on. Set it up to read and send encrypted messages.'],
    locked: ['Enter your encryption password', 'Your encrypted messages are locked on this device.'],
    working: ['Preparing your keys…', 'This takes a moment.'],
  }[kind];
  const b = h('button.banner', { type: 'button', id: 'e2e-banner', dataset: { kind }, disabled: kind === 'working' },
    keyIcon('banner-key'), h('span.banner-title', { text: text[0] }), h('span.banner-text', { text: text[1] }));
  b.addEventListener('click', onClick);
  slot.append(h('div.banner-wrap', { role: 'region', 'aria-label': 'Encryption' }, b));
}
