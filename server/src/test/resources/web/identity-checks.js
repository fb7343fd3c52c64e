// Run in the page by IdentityCryptoBrowserIT (executeAsyncScript): checks js/safetynumber.js
// against the shared vector (arguments[0], the text of safety-number-vector.json) and
// js/qr.js by handing back QR codes for Java to decode with ZXing: each code's module matrix
// (rows of '0'/'1') and the rendered <svg> rasterised through a canvas (one luminance byte per
// pixel, base64). Answers {failures, checked, timings, codes}.
const done = arguments[arguments.length - 1];
const vector = JSON.parse(arguments[0]);
(async () => {
  const sn = await import('/js/safetynumber.js');
  const { qrMatrix, qrSvg } = await import('/js/qr.js');
  const failures = [];
  let checked = 0;
  const check = (ok, what) => { checked += 1; if (!ok) failures.push(what); };
  const throws = async (f, what) => {
    try { await f(); check(false, `${what}: did not throw`); } catch (e) { check(true, what); }
  };
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

  // ---- safety numbers: the shared vector, both orders
  check(sn.ITERATIONS === vector.iterations, 'iterations');
  for (const c of vector.cases) {
    check(await sn.safetyHalf(c.a.uid, c.a.x) === c.a.digits, `half of ${c.a.uid}`);
    check(await sn.safetyHalf(c.b.uid, c.b.x) === c.b.digits, `half of ${c.b.uid}`);
    check(await sn.safetyNumber(c.a, c.b) === c.safetyNumber, `number of ${c.a.uid} and ${c.b.uid}`);
    check(await sn.safetyNumber(c.b, c.a) === c.safetyNumber, `number of ${c.b.uid} and ${c.a.uid}`);
    const g = sn.groups(c.safetyNumber);
    check(g.length === 12 && g.every((x) => /^[0-9]{5}$/.test(x)) && g.join('') === c.safetyNumber, 'twelve groups of five');
  }
  const first = vector.cases[0];
  // another uid, or one bit of the key, gives other digits
  check(await sn.safetyHalf(first.a.uid + 'x', first.a.x) !== first.a.digits, 'the uid counts');
  check(await sn.safetyHalf(first.a.uid, 'AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8') !== first.a.digits, 'every key bit counts');
  await throws(() => sn.safetyHalf('u1', 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh'), 'a 31-byte key is refused');
  await throws(() => sn.safetyHalf('u1', 'not base64url!'), 'a key that is not base64url is refused');
  await throws(() => sn.safetyHalf('', first.a.x), 'an empty uid is refused');
  await throws(() => sn.safetyNumber(first.a, { uid: 'nokey' }), 'a user without a signing key has no number');
  await throws(async () => sn.groups('1234'), 'groups of a partial group');
  await throws(async () => sn.groups('12345abcde'), 'groups of letters');

  // ---- what the QR code holds, and what counts as the same number
  const digits = first.safetyNumber;
  const payload = sn.qrPayload(digits);
  check(sn.QR_PREFIX === 'sealroom-sn:1:' && payload === `sealroom-sn:1:${digits}`, 'the QR payload');
  await throws(async () => sn.qrPayload(digits.slice(1)), 'qrPayload of 59 digits');
  const grouped = sn.groups(digits).join(' ');
  const lines = [grouped.slice(0, 23), grouped.slice(24, 47), grouped.slice(48)].join('\n');
  for (const [text, ok, what] of [
    [payload, true, 'the payload'],
    [digits, true, 'the bare digits'],
    [grouped, true, 'the grouped digits'],
    [`${lines}\n`, true, 'the digits on three lines'],
    [`  ${grouped}\r\n`, true, 'the digits with spaces around'],
    [`${digits.slice(0, 59)}${(Number(digits[59]) + 1) % 10}`, false, 'one digit off'],
    [digits.slice(0, 59), false, '59 digits'],
    [`${digits}0`, false, '61 digits'],
    [`sealroom-sn:2:${digits}`, false, 'another payload version'],
    [`${payload} `, false, 'the payload with a trailing space'],
    [`sealroom-sn:1:${grouped}`, false, 'a payload with spaces'],
    [sn.groups(digits).join('-'), false, 'digits with dashes'],
    [digits.slice(30) + digits.slice(0, 30), false, 'the halves swapped'],
    [`x${digits}`, false, 'a letter before the digits'],
    ['', false, 'nothing'],
  ]) check(sn.matchesScanned(text, digits) === ok, `matchesScanned: ${what}`);
  check(sn.matchesScanned(null, digits) === false && sn.matchesScanned(digits, null) === false, 'matchesScanned of null');
  check(sn.matchesScanned(payload, payload) === false, 'matchesScanned against a non-number');

  // ---- QR codes: matrices and rendered images for ZXing
  const codes = [];
  const raster = async (svg) => {
    const text = new XMLSerializer().serializeToString(svg);
    const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
      const lum = new Uint8Array(canvas.width * canvas.height);
      for (let i = 0; i < lum.length; i++) lum[i] = Math.round((px[4 * i] + px[4 * i + 1] + px[4 * i + 2]) / 3);
      let s = '';
      for (let i = 0; i < lum.length; i += 0x8000) s += String.fromCharCode(...lum.subarray(i, i + 0x8000));
      return { width: canvas.width, height: canvas.height, lum: btoa(s) };
    } finally {
      URL.revokeObjectURL(url);
    }
  };
  const payloads = [
    ['M', payload], ['M', sn.qrPayload(vector.cases[1].safetyNumber)], ['M', sn.qrPayload(vector.cases[2].safetyNumber)],
    ['L', 'a'], ['H', 'https://sealroom.example/verify?u=alice'], ['Q', 'grüße, ünïcödé — ✓'],
    ['M', 'x'.repeat(300)], ['L', Array.from({ length: 120 }, (_, i) => String(i % 10)).join('')],
  ];
  for (const [ecl, text] of payloads) {
    const m = qrMatrix(text, ecl);
    check(m.size >= 21 && (m.size - 17) % 4 === 0 && m.modules.length === m.size, `QR size of ${text.length} chars`);
    check(m.isDark(0, 0) && m.isDark(6, 6) && !m.isDark(7, 7), 'finder pattern in the corner');
    const svg = qrSvg(text, { scale: 4, margin: 4, label: `QR code ${codes.length}`, ecl });
    check(svg instanceof SVGSVGElement && svg.getAttribute('role') === 'img'
      && svg.getAttribute('aria-label') === `QR code ${codes.length}`, 'svg element, role and label');
    check(svg.getAttribute('width') === String((m.size + 8) * 4), 'svg size with scale and margin');
    check(!svg.outerHTML.includes('style'), 'no inline styles in the svg');
    codes.push({ ecl, text, size: m.size, rows: m.modules.map((r) => r.map((d) => (d ? '1' : '0')).join('')),
      image: await raster(svg) });
  }
  check(qrMatrix(payload).size === 37, 'a safety number payload fits version 5 at level M');
  check(qrSvg('x', {}).getAttribute('aria-label') === 'QR code', 'a default label');
  await throws(async () => qrMatrix('x'.repeat(3000), 'H'), 'text too long for any version');
  await throws(async () => qrMatrix('x', 'Z'), 'an unknown level');

  // ---- timing: a whole safety number (two halves of 5200 SHA-512s)
  const runs = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await sn.safetyNumber(vector.cases[2].a, vector.cases[2].b);
    runs.push(performance.now() - t0);
  }
  const t1 = performance.now();
  for (let i = 0; i < 5; i++) qrSvg(payload, { label: 'x' });
  const timings = { safetyNumberMs: median(runs), qrSvgMs: (performance.now() - t1) / 5 };
  return { failures, checked, timings, codes };
})().then(done, (e) => done({ failures: [`the checks threw: ${e && e.stack ? e.stack : e}`], checked: 0 }));
