// The bar at the top of a room about one member's keys (trust.js issues):
//   notice   an unverified contact's safety number changed: a quiet line with View and Dismiss
//   changed  a VERIFIED contact's keys changed: a blocking warning until the user looks
//   kt       the key log could not prove the contact's keys: a blocking warning, nothing to do
//            in the page but to stop (the composer stays closed, nothing is sealed to them)

import { h, icon } from './dom.js';

/** The composer's explanation while an issue blocks the room (null: it does not block). */
export function blockingText(issue) {
  if (issue.why === 'kt') return `Sending is paused: the server could not prove that these are ${issue.name}'s keys.`;
  if (issue.why === 'changed') {
    return `Sending is paused: ${issue.name}'s safety number changed. Open it (“View safety number” above) `
      + 'and mark it verified or accept it.';
  }
  return null;
}

/** actions: {onView(uid, name), onDismiss(uid)} */
export function trustBar(issue, actions) {
  const { uid, name, why } = issue;
  const view = (label) => {
    const b = h('button.link-btn.trust-view', { type: 'button', dataset: { uid }, 'aria-label': `${label}: ${name}` }, label);
    b.addEventListener('click', () => actions.onView(uid, name));
    return b;
  };
  if (why === 'notice') {
    const dismiss = h('button.icon-btn.trust-dismiss', { type: 'button', dataset: { uid },
      'aria-label': `Dismiss the notice about ${name}'s safety number` }, icon('close'));
    dismiss.addEventListener('click', () => actions.onDismiss(uid));
    return h('div.trust-notice', { role: 'status', dataset: { uid, why } },
      h('p', {}, `${name}'s safety number changed. `, view('View')), dismiss);
  }
  const text = why === 'kt'
    ? [h('strong', { text: issue.text || `The server could not prove that these are ${name}'s keys.` }),
      ` Nothing is encrypted to ${name} and ${name}'s signatures are not trusted. The server may be handing out keys `
        + `that are not ${name}'s: tell ${name} and your administrator.`]
    : [h('strong', { text: `${name}'s safety number changed.` }),
      ` You verified ${name} before. Nothing is encrypted to ${name} until you look at the new number and mark it `
        + 'verified or accept it. ', view('View safety number')];
  return h('div.trust-alert', { role: 'alert', dataset: { uid, why } }, icon('warn'), h('p', {}, text));
}
