// Links in message text: http and https URLs become <a target="_blank" rel="noopener noreferrer">;
// every other scheme (javascript:, data:, file:, ...) stays text. Built from DOM nodes: message
// text never passes through innerHTML.

import { h } from './dom.js';

// a candidate starts with http:// or https:// at a word boundary and runs to white space or a
// character that never belongs to a URL written in text
const CANDIDATE = /\bhttps?:\/\/[^\s<>"`{}|\\^]+/gi;
const TRAILING = /[.,;:!?'*_~]$/;
const PAIRS = { ')': '(', ']': '[' };

/** Drops what usually ends a sentence rather than the URL: punctuation, an unopened bracket. */
function trim(url) {
  let u = url;
  for (;;) {
    const last = u.slice(-1);
    if (TRAILING.test(last)) {
      u = u.slice(0, -1);
    } else if (PAIRS[last] && count(u, PAIRS[last]) < count(u, last)) {
      u = u.slice(0, -1);
    } else {
      return u;
    }
  }
}

function count(s, ch) {
  return s.split(ch).length - 1;
}

/** The URL as an http(s) href with a host, or null. */
export function safeHref(text) {
  let parsed;
  try {
    parsed = new URL(text);
  } catch (e) {
    return null;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.hostname) return null;
  return parsed.href;
}

/** The text as text nodes and links, to append to an element. */
export function linkify(text) {
  const out = [];
  let at = 0;
  for (const m of text.matchAll(CANDIDATE)) {
    const url = trim(m[0]);
    const href = safeHref(url);
    if (!href) continue;
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(h('a.msg-link', { href, target: '_blank', rel: 'noopener noreferrer', text: url }));
    at = m.index + url.length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
