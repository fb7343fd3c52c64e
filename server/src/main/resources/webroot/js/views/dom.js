// Small DOM helpers. Text always goes in through textContent (never innerHTML), so message text
// and usernames cannot inject markup; the CSP forbids inline script besides.

const SVG = 'http://www.w3.org/2000/svg';

/** h('button.btn.primary', {type: 'submit', onclick}, 'Send') */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'text') el.textContent = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

function svg(paths, cls, label) {
  const s = document.createElementNS(SVG, 'svg');
  s.setAttribute('viewBox', '0 0 24 24');
  s.setAttribute('class', `icon ${cls}`);
  s.setAttribute('focusable', 'false');
  if (label) {
    s.setAttribute('role', 'img');
    s.setAttribute('aria-label', label);
    const t = document.createElementNS(SVG, 'title');
    t.textContent = label;
    s.append(t);
  } else {
    s.setAttribute('aria-hidden', 'true');
  }
  for (const d of paths) {
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    s.append(p);
  }
  return s;
}

const KEY = ['M14.5 3a6.5 6.5 0 0 0-6.2 8.5L2.3 17.5a1 1 0 0 0-.3.7V21a1 1 0 0 0 1 1h2.8a1 1 0 0 0 1-1v-1.2h1.3a1 1 0 0 0 1-1v-1.3h1.3a1 1 0 0 0 .7-.3l1.7-1.7A6.5 6.5 0 1 0 14.5 3Zm2 6.2a1.8 1.8 0 1 1 0-3.6 1.8 1.8 0 0 1 0 3.6Z'];

/** The key icon of an encrypted room or message (class key-icon; extra classes say where). */
export function keyIcon(extra = '', label = 'Encrypted') {
  return svg(KEY, `key-icon ${extra}`.trim(), label);
}

const SHIELD = ['M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3Zm-1.3 14.2-3.5-3.5 1.4-1.4 2.1 2.1 4.9-4.9 1.4 1.4-6.3 6.3Z'];

/**
 * The mark by a verified contact's name: a check-shield, and the word "verified" for screen
 * readers (the icon itself is decoration).
 */
export function verifiedMark(extra = '') {
  return h(`span.verified-mark${extra ? `.${extra}` : ''}`, { title: 'Verified' }, svg(SHIELD, 'icon-shield', null),
    h('span.sr-only', { text: ' verified' }));
}

export function icon(name, label) {
  const paths = {
    check: ['M9.5 16.2 5.3 12l-1.4 1.4 5.6 5.6 11-11-1.4-1.4z'],
    warn: ['M1 21h22L12 2 1 21Zm12-3h-2v-2h2v2Zm0-4h-2v-4h2v4Z'],
    hash: ['M10 3 8.6 21h2L12 3h-2Zm5 0-1.4 18h2L17 3h-2ZM3 8v2h18V8H3Zm0 6v2h18v-2H3Z'],
    lock: ['M17 9h-1V7a4 4 0 0 0-8 0v2H7a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-9a2 2 0 0 0-2-2Zm-7-2a2 2 0 1 1 4 0v2h-4V7Z'],
    person: ['M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9Zm0 2c-4 0-8 2-8 5v2h16v-2c0-3-4-5-8-5Z'],
    info: ['M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-6h2v6Zm0-8h-2V7h2v2Z'],
    plus: ['M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6z'],
    back: ['M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20z'],
    close: ['M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z'],
    send: ['M3 20.5 21 12 3 3.5v6.6l12.5 1.9L3 13.9z'],
    clip: ['M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5Z'],
    file: ['M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8l-6-6Zm-1 7V3.5L18.5 9H13Z'],
    download: ['M5 20h14v-2H5v2Zm14-9h-4V3H9v8H5l7 7 7-7Z'],
    shield: SHIELD,
    search: ['M15.5 14h-.8l-.3-.3A6.5 6.5 0 1 0 14 15.5l.3.3v.8l5 5 1.5-1.5-5-5Zm-6 0a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9Z'],
  }[name];
  return svg(paths, `icon-${name}`, label);
}

/** "12:04", or "Mon 12:04" / "3 Mar 12:04" for older messages. */
export function timeLabel(ts) {
  const d = new Date(ts);
  const now = new Date();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  if (now - d < 6 * 864e5) return `${d.toLocaleDateString([], { weekday: 'short' })} ${time}`;
  return `${d.toLocaleDateString([], { day: 'numeric', month: 'short' })} ${time}`;
}

/** Reads a user's attention to a change without moving focus (screen readers). */
export function announce(text) {
  const live = document.getElementById('announcer');
  if (!live) return;
  live.textContent = '';
  setTimeout(() => { live.textContent = text; }, 50);
}
