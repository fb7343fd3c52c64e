// QR codes for safety numbers. The encoding itself is Kazuhiko Arase's qrcode-generator
// (MIT, vendored unmodified in ./vendor/qrcode-generator with its licence); this module only
// feeds it UTF-8 bytes and draws the result as SVG with DOM calls, so it works under the
// page's Content-Security-Policy (no inline styles, no data: images, no innerHTML).

import qrcode from './vendor/qrcode-generator/qrcode.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const LEVELS = ['L', 'M', 'Q', 'H'];

/**
 * The modules of the smallest QR code (version 1 to 40) that holds `text` as UTF-8 bytes in byte
 * mode, at error correction level `ecl`: `{size, modules, isDark(row, col)}`, where `modules`
 * is `size` rows of `size` booleans (true = dark). Throws when the text does not fit.
 */
export function qrMatrix(text, ecl = 'M') {
  if (typeof text !== 'string') throw new Error('a QR code holds a string');
  if (!LEVELS.includes(ecl)) throw new Error(`unknown error correction level ${ecl}`);
  // The library's byte mode takes each char code & 0xff as a byte: hand it one char per UTF-8
  // byte, so non-ASCII text is encoded as UTF-8 (what scanners assume) without patching it.
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const qr = qrcode(0, ecl);
  qr.addData(binary, 'Byte');
  try {
    qr.make();
  } catch (e) {
    // the library throws plain strings ("code length overflow ...")
    throw new Error(`the text does not fit in a QR code (${String(e)})`);
  }
  const size = qr.getModuleCount();
  const modules = [];
  for (let r = 0; r < size; r++) {
    const row = new Array(size);
    for (let c = 0; c < size; c++) row[c] = qr.isDark(r, c) === true;
    modules.push(row);
  }
  return { size, modules, isDark: (row, col) => modules[row][col] };
}

/**
 * The QR code of `text` as an `<svg role="img" aria-label=label>`: `margin` light modules of
 * quiet zone on every side (4 is what the standard asks for), each module `scale` CSS pixels.
 * Dark modules are one path of horizontal runs, so a code of version 5 is a single element.
 */
export function qrSvg(text, { scale = 4, margin = 4, label, ecl = 'M' } = {}) {
  const m = qrMatrix(text, ecl);
  const span = m.size + 2 * margin;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('viewBox', `0 0 ${span} ${span}`);
  svg.setAttribute('width', String(span * scale));
  svg.setAttribute('height', String(span * scale));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label || 'QR code');
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.classList.add('qr-code');
  const light = document.createElementNS(SVG_NS, 'rect');
  light.setAttribute('width', String(span));
  light.setAttribute('height', String(span));
  light.setAttribute('fill', '#ffffff');
  svg.appendChild(light);
  const dark = document.createElementNS(SVG_NS, 'path');
  dark.setAttribute('d', darkRuns(m, margin));
  dark.setAttribute('fill', '#000000');
  svg.appendChild(dark);
  return svg;
}

/** Path data with one rectangle per horizontal run of dark modules. */
function darkRuns(m, margin) {
  const parts = [];
  for (let r = 0; r < m.size; r++) {
    let c = 0;
    while (c < m.size) {
      if (!m.modules[r][c]) { c++; continue; }
      const start = c;
      while (c < m.size && m.modules[r][c]) c++;
      parts.push(`M${start + margin} ${r + margin}h${c - start}v1h${start - c}z`);
    }
  }
  return parts.join('');
}
