// My Account: the profile, and Encryption (set up, unlock, change the password, reset the key).

import { h, keyIcon } from './dom.js';
import { openDialog } from './dialog.js';

const STATUS = {
  disabled: 'End-to-end encryption is turned off on this server.',
  none: 'Not set up yet. Set it up to read and send encrypted messages.',
  locked: 'Your key is locked on this device. Enter your encryption password to unlock it.',
  ready: 'Your key is unlocked on this device. Encrypted messages are decrypted here, in your browser.',
};

/** actions: {onSetup, onUnlock, onChange, onReset}; each closes this dialog first. */
export function showAccountDialog({ me, status }, actions) {
  const d = openDialog({ title: 'My account', id: 'account-dialog' });
  const act = (id, label, fn, cls = '') => {
    const b = h(`button.btn${cls}`, { type: 'button', id }, label);
    b.addEventListener('click', () => { d.close(); fn(); });
    return b;
  };
  const buttons = [];
  if (status === 'none') buttons.push(act('account-setup', 'Set up encryption', actions.onSetup, '.primary'));
  if (status === 'locked') buttons.push(act('account-unlock', 'Unlock', actions.onUnlock, '.primary'));
  if (status === 'ready' || status === 'locked') {
    buttons.push(act('change-e2e-password', 'Change encryption password', actions.onChange));
  }
  const reset = status === 'ready' || status === 'locked'
    ? h('div.danger-zone', {}, h('h4', { text: 'Lost your encryption password?' }),
      h('p.hint', { text: 'Resetting makes new keys. Messages under room keys that no other member still holds '
        + 'stay unreadable for you.' }),
      act('reset-e2e-key', 'Reset encryption key', actions.onReset, '.subtle-danger'))
    : null;
  d.body.append(
    h('section.account-section', { 'aria-labelledby': 'account-profile' },
      h('h3', { id: 'account-profile', text: 'Profile' }),
      h('dl.info', {}, h('dt', { text: 'Username' }), h('dd', { text: me.username }))),
    h('section.account-section', { id: 'encryption-section', 'aria-labelledby': 'account-encryption' },
      h('h3', { id: 'account-encryption' }, keyIcon('section-key'), ' Encryption'),
      h('p', { id: 'encryption-status', dataset: { status }, text: STATUS[status] }),
      buttons.length ? h('div.button-row', {}, buttons) : null, reset));
  const close = h('button.btn', { type: 'button' }, 'Close');
  close.addEventListener('click', () => d.close());
  d.footer.append(close);
  d.show();
}
