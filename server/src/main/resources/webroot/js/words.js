// Generated E2E passwords: words drawn uniformly from the 2048-word list at /words.txt (the
// same list the Java SDK ships), joined by single spaces. 2048 = 2^11, so masking 11 random
// bits picks a word without bias; 7 words carry 77 bits, above the 72 DESIGN.md requires.

export const WORDS = 7;
const LIST_SIZE = 2048;
let list = null;

async function load() {
  if (!list) {
    const res = await fetch('/words.txt', { cache: 'no-cache' });
    if (!res.ok) throw new Error('the word list cannot be loaded');
    const words = (await res.text()).split('\n').map((w) => w.trim()).filter((w) => w);
    // a damaged list would silently weaken every password: refuse to use one
    if (words.length !== LIST_SIZE || new Set(words).size !== LIST_SIZE || !words.every((w) => /^[a-z]{3,8}$/.test(w))) {
      throw new Error('the word list is damaged');
    }
    list = words;
  }
  return list;
}

/** A new password: secret, shown to its owner once, never stored or logged. */
export async function generatePassword(count = WORDS) {
  const words = await load();
  const picks = crypto.getRandomValues(new Uint16Array(count));
  return Array.from(picks, (v) => words[v & (LIST_SIZE - 1)]).join(' ');
}
