// Run in the page by FileCryptoBrowserIT (executeAsyncScript): checks js/sha256.js and
// js/filecrypto.js in Web Crypto against FIPS vectors, Web Crypto's own SHA-256 and the written
// vector client/src/test/resources/file-vector.json (arguments[0], its text). Answers
// {failures: [..], checked: n}: every failure is a sentence; none means everything passed.
const done = arguments[arguments.length - 1];
const vector = JSON.parse(arguments[0]);
(async () => {
  const { Sha256, toHex } = await import('/js/sha256.js');
  const fc = await import('/js/filecrypto.js');
  const failures = [];
  let checked = 0;
  const check = (ok, what) => { checked += 1; if (!ok) failures.push(what); };
  const hex = (s) => Uint8Array.from(s.match(/../g) || [], (b) => parseInt(b, 16));
  const enc = new TextEncoder();
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const bytesOf = async (blob) => new Uint8Array(await blob.arrayBuffer());
  const random = (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
    return out;
  };
  const webSha = async (u8) => toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', u8)));
  // a stream that hands the bytes over in pieces of `piece` bytes, as a network would
  const streamOf = (u8, piece) => {
    let at = 0;
    return new ReadableStream({ pull(c) {
      if (at >= u8.length) { c.close(); return; }
      c.enqueue(u8.slice(at, at + piece));
      at += piece;
    } });
  };
  const jsSha = (u8, piece) => {
    const s = new Sha256();
    for (let i = 0; i < u8.length; i += piece) s.update(u8.subarray(i, i + piece));
    return s.hex();
  };

  // ---- SHA-256: FIPS 180-4 examples, and Web Crypto on lengths around the block edges
  check(jsSha(enc.encode(''), 1) === 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'sha256 of ""');
  check(jsSha(enc.encode('abc'), 1) === 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'sha256 of "abc"');
  check(jsSha(enc.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), 7)
    === '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1', 'sha256 of the 448-bit FIPS message');
  check(jsSha(new Uint8Array(1000000).fill(0x61), 4099) === 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
    'sha256 of a million "a"');
  for (const n of [1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 65552, 200003]) {
    const u8 = random(n);
    const want = await webSha(u8);
    for (const piece of [1, 13, 64, 65, 4096, n]) check(jsSha(u8, piece) === want, `sha256 of ${n} random bytes in pieces of ${piece}`);
  }

  // ---- the written vector: sealing makes exactly its upload, opening gives back its plaintext
  const key = hex(vector.keyHex);
  const prefix = hex(vector.prefixHex);
  check(fc.CHUNK === vector.chunk, 'chunk size');
  const plaintextOf = (c) => (c.plaintextRule ? Uint8Array.from({ length: c.size }, (_, i) => i % 251) : hex(c.plaintext));
  for (const c of vector.valid) {
    const plain = plaintextOf(c);
    check(await webSha(plain) === c.plaintextSha256, `${c.name}: the plaintext`);
    const sealed = await fc.sealFile(new Blob([plain]), { rawKey: key.slice(), rawPrefix: prefix });
    const upload = await bytesOf(sealed.blob);
    check(upload.length === c.ciphertextSize && fc.sealedSize(c.size) === c.ciphertextSize, `${c.name}: upload size`);
    check(sealed.sha256 === c.sha256, `${c.name}: upload sha256 (${sealed.sha256})`);
    check(await webSha(upload) === c.sha256, `${c.name}: Web Crypto agrees on the upload's sha256`);
    check(sealed.key === vector.key && sealed.prefix === vector.prefix, `${c.name}: key and prefix in base64url`);
    if (c.ciphertext !== undefined) check(same(upload, hex(c.ciphertext)), `${c.name}: upload bytes`);
    let at = 0;
    for (const k of c.chunks) {
      const piece = upload.subarray(at, at + k.sealedSize);
      check(await webSha(piece) === k.sha256, `${c.name}: chunk ${k.index} (last ${k.last})`);
      check(same(piece.subarray(piece.length - 16), hex(k.tag)), `${c.name}: tag of chunk ${k.index}`);
      at += k.sealedSize;
    }
    check(at === upload.length, `${c.name}: the chunks make the upload`);
    const desc = { id: 'vectorfile0123456789', size: c.size, key: vector.key, prefix: vector.prefix, chunk: vector.chunk, sha256: c.sha256 };
    for (const piece of [1, 16, 1000, 65552, 65553, upload.length || 1]) {
      try {
        const opened = await bytesOf(await fc.openFile(streamOf(upload, piece), desc));
        check(same(opened, plain), `${c.name}: opens to its plaintext (pieces of ${piece})`);
      } catch (e) {
        check(false, `${c.name}: does not open in pieces of ${piece}: ${e.message}`);
      }
    }
  }
  const refused = async (name, bytes, desc) => {
    try {
      await fc.openFile(streamOf(bytes, 7777), desc);
      check(false, `${name}: opened, but it must be refused`);
    } catch (e) {
      check(e instanceof fc.FileIntegrityError, `${name}: refused with ${e.name} (${e.message}), not an integrity error`);
    }
  };
  for (const c of vector.invalid) {
    await refused(`invalid ${c.name}`, hex(c.ciphertext),
      { id: 'vectorfile0123456789', size: c.size, key: vector.key, prefix: vector.prefix, chunk: vector.chunk, sha256: c.sha256 });
  }

  // ---- a three-chunk file of our own, tampered in every way the format must catch; each case
  // gets a descriptor whose sha256 and size match the tampered bytes, so only the chunk checks can tell
  const plain = random(2 * 65536 + 1000);
  const s = await fc.sealFile(new Blob([plain]));
  const up = await bytesOf(s.blob);
  const base = { id: 'ownfile0123456789abc', size: plain.length, key: s.key, prefix: s.prefix, chunk: 65536, sha256: s.sha256 };
  const opened = await bytesOf(await fc.openFile(streamOf(up, 65536), base));
  check(same(opened, plain), 'a three-chunk file opens');
  const as = async (bytes, size) => ({ ...base, size, sha256: await webSha(bytes) });
  const P = fc.SEALED;
  const truncated = up.slice(0, 2 * P);
  await refused('truncated after two chunks', truncated, await as(truncated, 2 * 65536));
  const reordered = new Uint8Array(up.length);
  reordered.set(up.subarray(P, 2 * P), 0);
  reordered.set(up.subarray(0, P), P);
  reordered.set(up.subarray(2 * P), 2 * P);
  await refused('chunks 0 and 1 swapped', reordered, await as(reordered, plain.length));
  const extended = new Uint8Array(up.length + P);
  extended.set(up, 0);
  extended.set(up.subarray(P, 2 * P), up.length);
  await refused('a chunk appended', extended, await as(extended, plain.length + 65536));
  const flipped = up.slice();
  flipped[P + 100] ^= 0x01;
  await refused('one bit flipped in chunk 1', flipped, await as(flipped, plain.length));
  await refused('the right bytes under another sha256', up, { ...base, sha256: '0'.repeat(64) });
  await refused('the right bytes under another size', up, { ...base, size: plain.length - 1 });

  // ---- a failure stops the download there: the stream is cancelled (and released), not left
  // to run; an honest file is read to its end and never cancelled. Each failure here comes early
  // (in chunk 0, or before any chunk), so a stream read to its end would be a failure too
  const watched = (u8) => {
    const w = { pulled: 0, cancelled: false };
    w.stream = new ReadableStream({
      pull(c) {
        if (w.pulled >= u8.length) { c.close(); return; }
        c.enqueue(u8.slice(w.pulled, w.pulled + 7777));
        w.pulled = Math.min(u8.length, w.pulled + 7777);
      },
      cancel() { w.cancelled = true; },
    });
    return w;
  };
  const stops = async (name, bytes, desc, options = {}, error = fc.FileIntegrityError) => {
    const w = watched(bytes);
    try {
      await fc.openFile(w.stream, desc, options);
      check(false, `${name}: opened, but it must be refused`);
    } catch (e) {
      check(typeof error === 'string' ? e.name === error : e instanceof error, `${name}: refused with ${e.name} (${e.message})`);
    }
    check(w.cancelled, `${name}: the stream was not cancelled`);
    check(w.pulled < bytes.length, `${name}: the stream was read to its end (${w.pulled} of ${bytes.length} bytes)`);
    check(!w.stream.locked, `${name}: the stream is still locked`);
  };
  await stops('chunks 0 and 1 swapped', reordered, await as(reordered, plain.length));
  const flipped0 = up.slice();
  flipped0[100] ^= 0x01;
  await stops('one bit flipped in chunk 0', flipped0, await as(flipped0, plain.length));
  await stops('longer than described', up, await as(up, 65536));
  await stops('a malformed descriptor', up, { ...base, key: 'short' });
  const ac = new AbortController();
  await stops('aborted', up, base, { signal: ac.signal, onProgress: () => ac.abort() }, 'AbortError');
  const honest = watched(up);
  check(same(await bytesOf(await fc.openFile(honest.stream, base)), plain), 'an honest file opens from a watched stream');
  check(!honest.cancelled && honest.pulled === up.length && !honest.stream.locked, 'an honest file is read to its end, not cancelled');
  done({ failures, checked });
})().catch((e) => done({ failures: [`the checks threw: ${e && e.stack ? e.stack : e}`], checked: 0 }));
