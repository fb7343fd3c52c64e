// The encryption password dialogs: showing a new password (setup and change), unlocking with
// it, and resetting the key. The password is shown once and never stored by the page.

import { h, icon } from './dom.js';
import { openDialog, field, buttons } from './dialog.js';
import { WrongPasswordError } from '../crypto.js';

const WRONG = 'That password is not right. Check it and try again.';

async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (e) {
    return false; // no clipboard permission (e.g. an insecure context): the user selects the text
  }
}

/**
 * Shows a new password with a copy button and the warning that the server does not know it.
 * onConfirm() uploads; it runs only once the user says they saved the password. Dismissing
 * asks for confirmation first. Resolves true when confirmed and uploaded.
 */
export function showPasswordDialog({ title, intro, password, dismissText, onConfirm }) {
  return new Promise((resolve) => {
    let confirming = false;
    const d = openDialog({ title, id: 'password-dialog', className: 'password-dialog',
      describedBy: 'password-warning', onCancel: () => { askDismiss(); return false; } });
    const words = h('output.password-words', { id: 'e2e-password', 'aria-label': 'Your encryption password', text: password });
    const copied = h('span.copied', { role: 'status' });
    const copyBtn = h('button.btn', { type: 'button', id: 'copy-password' }, 'Copy');
    copyBtn.addEventListener('click', async () => {
      const ok = await copy(password);
      if (!ok) window.getSelection().selectAllChildren(words);
      copied.textContent = ok ? 'Copied to the clipboard' : 'Selected: press Ctrl+C to copy';
    });
    const saved = h('input', { type: 'checkbox', id: 'password-saved' });
    const done = h('button.btn.primary', { type: 'button', id: 'password-done', disabled: true }, 'I saved it');
    const later = h('button.btn', { type: 'button', id: 'password-later' }, 'Not now');
    saved.addEventListener('change', () => { done.disabled = !saved.checked; });

    d.body.append(
      h('p', { text: intro }),
      h('div.password-box', {}, words, copyBtn), copied,
      h('div.warning', { id: 'password-warning', role: 'note' }, icon('warn'),
        h('p', {}, h('strong', { text: 'The server does not know this password. ' }),
          'Nobody can recover it for you. Without it you cannot read your encrypted messages on another device. '
          + 'Store it in your password manager now.')),
      h('div.check', {}, saved, h('label', { for: 'password-saved', text: 'I have saved this password somewhere safe' })));
    buttons(d.footer, later, done);

    const footerNormal = [later, done];
    function askDismiss() {
      if (confirming) return;
      confirming = true;
      const back = h('button.btn', { type: 'button', id: 'dismiss-back' }, 'Go back');
      const leave = h('button.btn.danger', { type: 'button', id: 'dismiss-confirm' }, 'Close anyway');
      const q = h('p.confirm-text', { id: 'dismiss-question', text: dismissText });
      d.footer.replaceChildren(q, back, leave);
      back.addEventListener('click', () => { confirming = false; d.footer.replaceChildren(...footerNormal); later.focus(); });
      leave.addEventListener('click', () => { d.close(); resolve(false); });
      back.focus();
    }
    later.addEventListener('click', askDismiss);
    done.addEventListener('click', async () => {
      d.error('');
      d.busy(true, 'Saving…');
      try {
        await onConfirm();
        d.close();
        resolve(true);
      } catch (e) {
        d.busy(false, 'I saved it');
        d.error(e.message || 'Saving failed. Try again.');
      }
    });
    d.show();
    copyBtn.focus();
  });
}

/**
 * One password prompt: a form with one password field, Cancel and a submit button that runs
 * the action; a failure keeps the dialog open with the field selected for another try. Resolves
 * with the action's result, or with `cancelled` when the user gives up.
 */
function promptPassword({ dialog, ids, intro, label, hint, autocomplete, submit, busy, submitClass = 'primary',
  cancelled, onSubmit, errorText }) {
  return new Promise((resolve) => {
    const d = openDialog({ ...dialog, onCancel: () => { resolve(cancelled); return true; } });
    const input = h('input', { type: 'password', id: ids.input, autocomplete, spellcheck: 'false', required: true });
    const form = h('form', { id: ids.form }, intro, field(label, input, hint));
    const submitBtn = h(`button.btn.${submitClass}`, { type: 'submit', form: ids.form, id: ids.submit }, submit);
    const cancel = h('button.btn', { type: 'button' }, 'Cancel');
    cancel.addEventListener('click', () => d.cancel());
    d.body.append(form);
    buttons(d.footer, cancel, submitBtn);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      if (!input.value.trim()) return;
      d.error('');
      d.busy(true, busy);
      try {
        const result = await onSubmit(input.value);
        d.close();
        resolve(result);
      } catch (e) {
        d.busy(false, submit);
        d.error(errorText(e));
        input.setAttribute('aria-invalid', 'true');
        input.select();
        input.focus();
      }
    });
    d.show();
    input.focus();
  });
}

/** Asks for the encryption password until it opens the key, or the user gives up. */
export function showUnlockDialog({ onUnlock }) {
  return promptPassword({
    dialog: { title: 'Enter your encryption password', id: 'unlock-dialog' },
    ids: { input: 'unlock-password', form: 'unlock-form', submit: 'unlock-submit' },
    intro: h('p', { text: 'Your encrypted messages are locked on this device. Enter the encryption password you saved when you set up encryption.' }),
    label: 'Encryption password', hint: 'Seven words, separated by spaces.', autocomplete: 'off',
    submit: 'Unlock', busy: 'Unlocking…', cancelled: false,
    onSubmit: async (password) => { await onUnlock(password); return true; },
    errorText: (e) => (e instanceof WrongPasswordError ? WRONG : (e.message || 'Unlocking failed.')),
  });
}

/** Step one of a password change: the current password opens the key once more. */
export function showCurrentPasswordDialog({ onSubmit }) {
  return promptPassword({
    dialog: { title: 'Change your encryption password', id: 'change-dialog' },
    ids: { input: 'current-e2e-password', form: 'change-form', submit: 'change-submit' },
    intro: h('p', { text: 'Enter your current encryption password. Sealroom then makes a new one for you; '
      + 'your messages stay readable, and other devices that are already unlocked keep working.' }),
    label: 'Current encryption password', autocomplete: 'off',
    submit: 'Continue', busy: 'Checking…', cancelled: null, onSubmit,
    errorText: (e) => (e instanceof WrongPasswordError ? WRONG : (e.message || 'That did not work.')),
  });
}

/**
 * Reset: asks the login password and says exactly what happens to history (protocol.md "Key
 * reset"): the current room key comes back from members who still hold it; older room keys,
 * and rooms where nobody else holds the key, stay unreadable.
 */
export function showResetDialog({ onReset }) {
  return promptPassword({
    dialog: { title: 'Reset your encryption key', id: 'reset-dialog', className: 'danger-dialog' },
    ids: { input: 'reset-login-password', form: 'reset-form', submit: 'reset-submit' },
    intro: h('div.warning', { role: 'note', id: 'reset-explained' }, icon('warn'), h('div', {},
      h('p', {}, h('strong', { text: 'You get new keys and a new encryption password. ' }),
        'You are logged out on every other device. Do this only if you lost your encryption password.'),
      h('ul.reset-effects', {},
        h('li', { text: 'In rooms where another member still holds the current room key, they hand it to your new keys: '
          + 'messages sent with that key become readable again.' }),
        h('li', { text: 'Messages sent with earlier room keys, and rooms where nobody else holds the key, stay unreadable '
          + 'for you. Such rooms get a new key, and only new messages can be read.' }),
        h('li', { text: 'Other members keep reading everything. They see a line saying your encryption keys changed; '
          + 'your earlier messages still show as verified.' })))),
    label: 'Your login password', hint: 'To confirm that it is you.', autocomplete: 'current-password',
    submit: 'Reset key', busy: 'Resetting…', submitClass: 'danger', cancelled: false,
    onSubmit: async (password) => { await onReset(password); return true; },
    errorText: (e) => (e.code === 'invalid_credentials' ? 'That login password is not right.' : (e.message || 'The reset failed.')),
  });
}
