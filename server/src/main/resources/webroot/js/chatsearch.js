// Search from the sidebar: the server's search over plain rooms, and this browser's own search
// over what it decrypted (encrypted messages never reach the server's index).

import { renderSearch } from './views/searchview.js';

/** Shows the results of q in the search pane of the chat (chat.js). */
export async function searchRooms(chat, q) {
  let server = [];
  let serverError = null;
  try {
    server = (await chat.api.search(q)).filter((m) => typeof m.text === 'string');
  } catch (e) {
    serverError = e.message;
  }
  const local = chat.timeline.searchLocal(q);
  chat.shell.roomPane.hidden = true;
  chat.shell.empty.hidden = true;
  chat.shell.searchPane.hidden = false;
  chat.shell.setMobilePane('room');
  renderSearch(chat.shell.searchPane, { q, server, local, serverError }, {
    titleOf: (rid) => chat.title(chat.rooms.get(rid)),
    encryptedNow: (rid) => !!(chat.rooms.get(rid) || {}).encrypted,
    onOpen: (rid, seq) => chat.open(rid, seq),
    onClose: () => (chat.activeId ? chat.select(chat.activeId) : chat.showEmpty()),
  });
}
