// "Verify <name>": the safety number of the user and a contact (60 digits in 12 groups, and as
// a QR code), a field to paste or type the number from the contact's screen, and the buttons
// that record the result in the verified list. The number is shown only after both key
// versions were proven in the key-transparency log; otherwise the dialog says, plainly, that
// the server could not prove the keys, and offers nothing to mark.

import { h, icon, verifiedMark, announce } from './dom.js';
import { openDialog, field, buttons } from './dialog.js';
import { groups, qrPayload, matchesScanned } from '../safetynumber.js';
import { qrSvg } from '../qr.js';

const STATUS = {
  verified: (n) => `You verified ${n}. Messages in your encrypted rooms go only to the keys you compared.`,
  unverified: (n) => `${n} is not verified. Compare the numbers to make sure nobody, not even the server, `
    + `stands between you.`,
  changed: (n) => `You verified ${n} before, but ${n}'s keys have changed since, so this is a new number. `
    + `Until you mark it verified or accept it, nothing is encrypted to ${n}.`,
};

/**
 * contact: {uid, name}; actions: {load() -> {digits, ukid, status}, mark(ukid), unmark(ukid),
 * accept(ukid)}. load() rejects with the KtError that stops the number from being shown.
 */
export function showVerifyDialog({ contact, actions }) {
  const name = contact.name;
  const d = openDialog({ title: `Verify ${name}`, id: 'verify-dialog', className: 'verify-dialog' });
  const close = h('button.btn', { type: 'button', id: 'verify-close' }, 'Close');
  close.addEventListener('click', () => d.close());
  d.body.append(h('p.verify-loading', { id: 'verify-loading', role: 'status',
    text: `Checking ${name}'s keys and yours in the server's key log…` }));
  buttons(d.footer, close);
  d.show();
  close.focus();

  actions.load().then((r) => { if (!d.closed) render(r); }, (e) => { if (!d.closed) refused(e); });

  function refused(e) {
    d.body.replaceChildren(h('div.warning.trust-warning', { id: 'verify-refused', role: 'alert' }, icon('warn'),
      h('div', {}, h('p', {}, h('strong', { text: e.message || `The server could not prove that these are ${name}'s keys.` })),
        h('p', { text: `No safety number is shown, and nothing is encrypted to ${name}. The server may be handing out `
          + `keys that are not ${name}'s. Tell ${name} and your administrator, and do not send anything confidential.` }))));
  }

  function render({ digits, ukid, status }) {
    if (!digits) {
      d.body.replaceChildren(h('p', { id: 'verify-no-number',
        text: `${name} has no signing key, so there is no safety number to compare.` }));
      return;
    }
    const parts = groups(digits);
    const number = h('p.safety-number', { id: 'safety-number', role: 'group',
      'aria-label': `Safety number, 12 groups of 5 digits: ${parts.join(', ')}` },
    parts.map((g, i) => [i ? ' ' : null, h('span.safety-group', { text: g })]));
    const qr = h('div.safety-qr', { id: 'safety-qr' },
      qrSvg(qrPayload(digits), { scale: 4, margin: 4, label: `QR code of your safety number with ${name}` }));
    const input = h('textarea', { id: 'safety-compare', rows: '2', spellcheck: 'false', autocomplete: 'off' });
    const result = h('p.compare-result', { id: 'safety-compare-result', role: 'status' });
    input.addEventListener('input', () => {
      const text = input.value.trim();
      const same = text && matchesScanned(text, digits);
      result.dataset.match = !text ? '' : same ? 'yes' : 'no';
      result.textContent = !text ? '' : same ? 'Match: the numbers are the same.'
        : `No match: these numbers differ. Do not mark ${name} as verified.`;
    });
    const statusLine = h('p.verify-status', { id: 'verify-status', dataset: { status } },
      status === 'verified' ? verifiedMark() : null, status === 'verified' ? ' ' : null, STATUS[status](name));
    d.body.replaceChildren(
      h('p', { text: `Compare these digits with the ones on ${name}'s screen, in person or on a call where you know `
        + `their voice, or scan ${name}'s code. If they are the same, your messages reach ${name}'s keys and nobody else's.` }),
      h('div.safety-box', {}, number, qr),
      field(`Paste or type the number from ${name}'s screen`, input,
        'The digits, with or without spaces, or the text of their QR code.'),
      result, statusLine);
    const act = (id, label, cls, fn, done) => {
      const b = h(`button.btn${cls}`, { type: 'button', id }, label);
      b.addEventListener('click', async () => {
        d.error('');
        d.busy(true);
        try {
          await fn(ukid);
          d.close();
          announce(done);
        } catch (e) {
          d.busy(false);
          d.error(`That did not work: ${e.message}`);
        }
      });
      return b;
    };
    const list = [];
    if (status === 'changed') {
      list.push(act('verify-accept', 'Accept without verifying', '', actions.accept,
        `You accepted ${name}'s new keys without verifying them.`));
    }
    if (status === 'verified') {
      list.push(act('verify-unmark', 'Mark as unverified', '', actions.unmark, `${name} is no longer verified.`));
    } else {
      list.push(act('verify-mark', 'Mark as verified', '.primary', actions.mark, `${name} is verified.`));
    }
    d.footer.replaceChildren(close, ...list);
  }
}
