// Wiring: sign-in, the session, the encryption banner and dialogs, My Account, rooms.
//
// The session token lives in sessionStorage: it survives a reload of this tab but not the tab
// itself, and never reaches localStorage. Private keys live in IndexedDB as non-extractable
// CryptoKeys until "Log out", which removes them from this device.

import { createApi } from './api.js';
import { Identity } from './identity.js';
import { Chat } from './chat.js';
import { Trust } from './trust.js';
import { renderAuth } from './views/auth.js';
import { renderShell } from './views/shell.js';
import { showPasswordDialog, showUnlockDialog, showCurrentPasswordDialog, showResetDialog } from './views/keydialogs.js';
import { showCreateRoomDialog, showRoomInfoDialog } from './views/roomdialogs.js';
import { showAccountDialog } from './views/account.js';
import { showVerifyDialog } from './views/verifydialog.js';
import { announce } from './views/dom.js';

const TOKEN = 'sealroom.token';
const root = document.getElementById('app');
let token = sessionStorage.getItem(TOKEN);
let session = null; // {me, identity, trust, chat, shell}
let resetting = false;

const api = createApi(() => token, (err) => { if (!resetting) sessionEnded(err && err.details.reason); });

// a message not stored yet exists only in this page: leaving it would lose the message
window.addEventListener('beforeunload', (ev) => {
  if (session && session.chat.hasUnsent()) {
    ev.preventDefault();
    ev.returnValue = ''; // older browsers ask only when this is set
  }
});

function setToken(t) {
  token = t;
  if (t) sessionStorage.setItem(TOKEN, t);
  else sessionStorage.removeItem(TOKEN);
}

async function boot() {
  root.removeAttribute('aria-busy');
  if (!token) return showAuth();
  try {
    return await startSession(await api.me());
  } catch (e) {
    setToken(null);
    return showAuth(e.code === 'unauthorized' ? endedText(e.details.reason) : e.message);
  }
}

// Web Crypto exists only in secure contexts (HTTPS, or http://localhost)
const NO_CRYPTO = 'This page is not served over HTTPS (or from localhost), so the browser offers no Web Crypto '
  + 'and encrypted rooms cannot work here. Serve Sealroom over HTTPS.';

function showAuth(notice) {
  document.title = 'Sealroom';
  renderAuth(root, {
    notice: notice || (crypto.subtle ? null : NO_CRYPTO),
    onSubmit: async (mode, username, password) => {
      if (mode === 'register') await api.register(username, password);
      const r = await api.login(username, password);
      setToken(r.token);
      await startSession(await api.me());
    },
  });
}

async function startSession(me) {
  const identity = new Identity(api, me);
  const shell = renderShell(root, me, {
    onAccount: () => account(),
    onLogout: () => logout(),
    onSearch: (q) => session.chat.search(q),
    onNewRoom: (type) => createRoom(type),
    onSelect: (rid) => session.chat.select(rid),
    onBanner: () => (identity.status === 'none' ? setup() : unlock()),
  });
  const trust = new Trust({ api, me, identity });
  const chat = new Chat({ api, me, identity, trust, shell, onInfo: (room) => roomInfo(room),
    onSessionEnded: (reason) => { if (!resetting) sessionEnded(reason); }, onVerify: (uid, name) => verifyContact(uid, name) });
  session = { me, identity, trust, chat, shell };
  document.title = `Sealroom · ${me.username}`;
  identity.onChange((status) => {
    shell.setBanner(status === 'none' || status === 'locked' ? status : null);
    if (status === 'ready') startTrust(trust);
    else trust.stop();
    chat.identityChanged(status);
  });
  try {
    await identity.init();
  } catch (e) {
    shell.setBanner(null); // keys could not be checked now; encrypted rooms say why they wait
  }
  await chat.start();
  const last = sessionStorage.getItem('sealroom.active');
  if (last && chat.rooms.has(last)) chat.select(last);
  else shell.setMobilePane('list');
}

/** The key log's check of the own keys and the verified list, once the keys are unlocked here. */
function startTrust(trust) {
  trust.start().catch((e) => { if (session) session.shell.notify(`Your verified contacts could not be loaded: ${e.message}`); });
}

// another device may have verified someone meanwhile: read the list again when the user comes back
window.addEventListener('focus', () => { if (session) session.trust.reload(); });

/**
 * "Verify <name>": both key versions are proven in the log before the number shows. Opening a
 * changed number settles the quiet notice; a verified contact's change needs a decision.
 */
function verifyContact(uid, name) {
  const { identity, trust, chat, shell } = session;
  if (identity.status !== 'ready') {
    shell.notify('Unlock encryption on this device first (the banner above): safety numbers are made from your keys.');
    return;
  }
  const resolved = (fn) => async (ukid) => { await fn(uid, ukid); chat.trustResolved(); };
  showVerifyDialog({
    contact: { uid, name },
    actions: {
      load: async () => {
        const r = await trust.safetyNumberWith(uid, name);
        const status = trust.status(uid);
        if (status !== 'changed') trust.dismiss(uid);
        return { ...r, status };
      },
      mark: resolved((u, k) => trust.markVerified(u, k)),
      unmark: (ukid) => trust.unverify(uid, ukid),
      accept: resolved((u, k) => trust.accept(u, k)),
    },
  });
}

/** Why a session ended, in words: the only thing that ends sessions is a key reset elsewhere. */
function endedText(reason) {
  return reason === 'key_reset'
    ? 'You were signed out because your encryption keys were reset on another device. Log in again.'
    : 'Your session has ended. Log in again.';
}

function sessionEnded(reason) {
  if (!session) return;
  session.chat.stop();
  session = null;
  setToken(null);
  showAuth(endedText(reason));
}

async function logout() {
  const s = session;
  session = null;
  s.chat.stop();
  await s.identity.forgetHere().catch(() => {});
  setToken(null);
  sessionStorage.removeItem('sealroom.active');
  showAuth('You are logged out. Your keys were removed from this browser.');
}

async function setup() {
  const { identity, shell } = session;
  shell.setBanner('working');
  let prepared;
  try {
    prepared = await identity.prepareSetup();
  } catch (e) {
    shell.setBanner('none');
    shell.notify(`Encryption could not be set up in this browser: ${e.message}`);
    return;
  }
  shell.setBanner('none');
  const ok = await showPasswordDialog({
    title: 'Save your encryption password',
    intro: 'This password unlocks your encrypted messages on your other devices and browsers. '
      + 'Sealroom shows it only now.',
    password: prepared.password,
    dismissText: 'Close without saving it? Encryption stays off for you until you set it up.',
    onConfirm: async () => {
      try {
        await prepared.commit();
      } catch (e) {
        if (e.code !== 'keys_exist') throw e;
        await identity.init();
        throw new Error('Encryption was set up from another device meanwhile. Close this and enter that password.');
      }
    },
  });
  if (ok) announce('Encryption is set up. Your encrypted rooms are ready.');
}

function unlock() {
  return showUnlockDialog({ onUnlock: (password) => session.identity.unlock(password) })
    .then((ok) => { if (ok) announce('Unlocked. Encrypted messages are readable on this device.'); });
}

async function changePassword() {
  const prepared = await showCurrentPasswordDialog({ onSubmit: (current) => session.identity.prepareChange(current) });
  if (!prepared) return;
  const ok = await showPasswordDialog({
    title: 'Your new encryption password',
    intro: 'From now on, this password unlocks your encrypted messages on new devices. The old one stops working.',
    password: prepared.password,
    dismissText: 'Close without saving it? Your encryption password stays as it was.',
    onConfirm: prepared.commit,
  });
  if (ok) announce('Your encryption password was changed.');
}

function resetKey() {
  return showResetDialog({
    onReset: async (password) => {
      resetting = true;
      try {
        const r = await session.identity.reset(password);
        setToken(r.token);
        session.chat.afterReset();
        session.identity.set('none');
      } finally {
        resetting = false;
      }
    },
  }).then((ok) => { if (ok) announce('Your encryption key was reset. Set up encryption again to use encrypted rooms.'); });
}

function account() {
  const { me, identity } = session;
  showAccountDialog({ me, status: identity.status },
    { onSetup: setup, onUnlock: unlock, onChange: changePassword, onReset: resetKey });
}

function settings() {
  const e2e = session.me.e2e || {};
  const defaults = e2e.defaultEncrypted || {};
  return { e2eEnabled: !!e2e.enabled, defaultPrivate: !!defaults.private, defaultDirect: !!defaults.direct,
    allowDisable: !!e2e.allowDisable };
}

function createRoom(type) {
  const { chat } = session;
  showCreateRoomDialog({
    type,
    settings: settings(),
    onCreate: async (body) => {
      const room = await api.createRoom(body);
      const isNew = !chat.rooms.has(room.id);
      await chat.remember(room, false);
      if (isNew) chat.socket.subscribe(room.id, 0);
      chat.roomKeys.ensure(chat.rooms.get(room.id));
      chat.select(room.id);
    },
  });
}

async function roomInfo(room) {
  if (!room) return;
  const { chat, me, shell } = session;
  let full;
  try {
    full = await chat.remember(room, true);
  } catch (e) {
    shell.notify(`Room info could not be loaded: ${e.message}`);
    return;
  }
  if (!full) return;
  const { identity, trust } = session;
  showRoomInfoDialog({
    room: full, me, title: chat.title(full), settings: settings(),
    verify: identity.status === 'ready' ? {
      status: (uid) => trust.status(uid),
      onVerify: (m) => verifyContact(m.id, m.username),
    } : null,
    onSave: async (patch) => {
      const updated = await api.updateRoom(room.id, patch);
      await chat.roomChanged(updated);
    },
    onAddMember: async (username) => {
      const updated = await api.addMember(room.id, username);
      await chat.roomChanged(updated);
    },
    onRemoveMember: async (member) => {
      await api.removeMember(room.id, member.id);
      // the room frame follows too; this shows the change (and starts the key rotation) at once
      await chat.roomChanged(await api.room(room.id));
      return chat.rooms.get(room.id) || full;
    },
    onLeave: async () => {
      await api.removeMember(room.id, me.userId);
      chat.forget(room.id);
    },
  });
}

boot();
