// Run in the page by IdentityCryptoBrowserIT (executeAsyncScript): checks js/verifiedlist.js
// with RSA keys made here: sealing and opening, padding to 1024-byte blocks, every tampering
// refused, merging, the status table of docs/protocol.md, and VerifiedList against a scripted
// server that keeps a revision and answers 409 `conflict` to stale writes. Answers
// {failures, checked, timings, interop}; interop is a sealed list and its private key (made
// for this check only) for Java to open with the JDK.
const done = arguments[arguments.length - 1];
(async () => {
  const vl = await import('/js/verifiedlist.js');
  const { b64u, unb64u } = await import('/js/crypto.js');
  const failures = [];
  let checked = 0;
  const check = (ok, what) => { checked += 1; if (!ok) failures.push(what); };
  const refuses = async (f, what) => {
    try { await f(); check(false, `${what}: opened`); } catch (e) { check(e instanceof vl.VerifiedListError, `${what}: ${e}`); }
  };
  const RSA = { name: 'RSA-OAEP', hash: 'SHA-256' };
  const rsa = await crypto.subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true, ['encrypt', 'decrypt']);
  const otherRsa = await crypto.subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    false, ['encrypt', 'decrypt']);
  const uid = 'ali\u00e7e-uid-0123456789';
  const ukid = 'Gv0cMEZ5MbG2SdzY';
  const own = { uid, ukid, rsaPublic: rsa.publicKey, rsaPrivate: rsa.privateKey };
  const entry = (u, verified, at) => ({ ukid: u, verified, at });
  const listOf = (n) => {
    const contacts = {};
    for (let i = 0; i < n; i++) contacts[`contact-${i}-\u00fc`] = entry(`ukid${String(i).padStart(12, '0')}`, i % 3 !== 0, 1796280000000 + i);
    return { v: 1, contacts };
  };
  // the plaintext as stored, opened by hand
  const plaintextOf = async (blob, aadUid = uid, aadUkid = ukid) => {
    const raw = await crypto.subtle.decrypt(RSA, rsa.privateKey, unb64u(blob.key.ct));
    const key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64u(blob.iv),
      additionalData: new TextEncoder().encode(`sealroom-verified|${aadUid}|${aadUkid}`) }, key, unb64u(blob.ct)));
  };

  // ---- round trips, the stored form and the padding
  for (const n of [0, 1, 7, 40, 200]) {
    const list = listOf(n);
    const blob = await vl.sealList(list, own);
    check(blob.v === 1 && blob.ukid === ukid && blob.key.alg === 'RSA-OAEP-256' && Object.keys(blob).sort().join() === 'ct,iv,key,ukid,v',
      `${n} contacts: the stored form`);
    check(unb64u(blob.iv).length === 12 && unb64u(blob.key.ct).length === 256, `${n} contacts: iv and wrapped key sizes`);
    const opened = await vl.openList(blob, own);
    check(JSON.stringify(opened) === JSON.stringify(list), `${n} contacts: round trip`);
    const plain = await plaintextOf(blob);
    const doc = JSON.parse(new TextDecoder().decode(plain));
    check(plain.length % 1024 === 0 && plain.length > 0, `${n} contacts: plaintext of ${plain.length} bytes is whole 1024-byte blocks`);
    check(/^ *$/.test(doc.pad) && doc.pad.length < 1024,
      `${n} contacts: pad is spaces, less than a block`);
    check(unb64u(blob.ct).length === plain.length + 16, `${n} contacts: ciphertext is plaintext and tag`);
    const again = await vl.sealList(list, own);
    check(again.key.ct !== blob.key.ct && again.iv !== blob.iv && again.ct !== blob.ct, `${n} contacts: a fresh key and iv per write`);
  }
  check((await vl.openList(null, own)).v === 1 && Object.keys((await vl.openList(null, own)).contacts).length === 0, 'no blob: the empty list');
  const sizes = new Set();
  for (const n of [0, 1, 2, 3]) sizes.add(unb64u((await vl.sealList(listOf(n), own)).ct).length);
  check(sizes.size === 1, 'a few contacts more or less do not change the stored size');

  // ---- tampering
  const blob = await vl.sealList(listOf(5), own);
  const flipB64 = (s, at) => { const b = unb64u(s); b[at % b.length] ^= 1; return b64u(b); };
  for (const at of [0, 100, 1023, 1040]) await refuses(() => vl.openList({ ...blob, ct: flipB64(blob.ct, at) }, own), `ct byte ${at} flipped`);
  await refuses(() => vl.openList({ ...blob, ct: blob.ct.slice(0, -4) }, own), 'ct truncated');
  await refuses(() => vl.openList({ ...blob, iv: flipB64(blob.iv, 3) }, own), 'iv flipped');
  await refuses(() => vl.openList({ ...blob, key: { ...blob.key, ct: flipB64(blob.key.ct, 9) } }, own), 'wrapped key flipped');
  await refuses(() => vl.openList(blob, { ...own, uid: 'mallory' }), 'another user\'s blob (AAD uid)');
  await refuses(() => vl.openList({ ...blob, ukid: 'AAAAAAAAAAAAAAAA' }, { ...own, ukid: 'AAAAAAAAAAAAAAAA' }), 'a relabelled version (AAD ukid)');
  await refuses(() => vl.openList(blob, { ...own, rsaPrivate: otherRsa.privateKey }), 'another private key');
  await refuses(() => vl.openList({ ...blob, v: 2 }, own), 'an unknown format');
  await refuses(() => vl.openList({ ...blob, key: { ...blob.key, alg: 'RSA-OAEP' } }, own), 'another key algorithm');
  check(Object.keys((await vl.openList(blob, { ...own, ukid: 'OlderVersion0000' })).contacts).length === 0,
    'a list of another key version of the user reads as empty');

  // ---- merging and status
  const a = { v: 1, contacts: { b: entry('k1', true, 10), c: entry('k2', true, 20), d: entry('k3', false, 5) } };
  const b = { v: 1, contacts: { b: entry('k9', false, 11), c: entry('k2', false, 19), e: entry('k4', true, 1) } };
  const m1 = vl.mergeLists(a, b);
  const m2 = vl.mergeLists(b, a);
  check(JSON.stringify(m1.contacts.b) === JSON.stringify(entry('k9', false, 11)), 'merge: the later entry wins (second list)');
  check(JSON.stringify(m1.contacts.c) === JSON.stringify(entry('k2', true, 20)), 'merge: the later entry wins (first list)');
  check(m1.contacts.d && m1.contacts.e && Object.keys(m1.contacts).length === 4, 'merge: the union of contacts');
  check(JSON.stringify(Object.entries(m1.contacts).sort()) === JSON.stringify(Object.entries(m2.contacts).sort()), 'merge: either order agrees');
  const tie1 = vl.mergeLists({ contacts: { x: entry('k1', true, 5) } }, { contacts: { x: entry('k2', false, 5) } });
  const tie2 = vl.mergeLists({ contacts: { x: entry('k2', false, 5) } }, { contacts: { x: entry('k1', true, 5) } });
  check(JSON.stringify(tie1) === JSON.stringify(tie2), 'merge: a tie is decided the same in either order');
  check(Object.keys(vl.mergeLists({ contacts: { x: { ukid: 'k' } } }, null).contacts).length === 0, 'merge: malformed entries are dropped');
  const table = { v: 1, contacts: { ver: entry('K', true, 1), old: entry('J', true, 1), acc: entry('K', false, 1), accOld: entry('J', false, 1) } };
  for (const [who, want] of [['ver', 'verified'], ['old', 'changed'], ['acc', 'unverified'], ['accOld', 'unverified'], ['none', 'unverified']]) {
    check(vl.statusOf(table, who, 'K') === want, `status of ${who}: ${want}`);
  }
  check(vl.statusOf(null, 'ver', 'K') === 'unverified', 'status with no list');

  // ---- VerifiedList against a scripted server with revisions
  const server = { rev: 0, blob: null, puts: 0, gets: 0, conflictsLeft: 0, fail: null };
  const apiFor = () => ({
    get: async (path) => {
      check(path === '/api/v1/me/verified', 'GET path');
      server.gets += 1;
      return JSON.parse(JSON.stringify({ rev: server.rev, blob: server.blob }));
    },
    put: async (path, body) => {
      check(path === '/api/v1/me/verified', 'PUT path');
      server.puts += 1;
      if (server.fail) throw Object.assign(new Error(server.fail), { code: server.fail, status: 409 });
      if (server.conflictsLeft > 0 || body.rev !== server.rev) {
        server.conflictsLeft = Math.max(0, server.conflictsLeft - 1);
        throw Object.assign(new Error('conflict'), { code: 'conflict', status: 409, details: { rev: server.rev } });
      }
      server.rev += 1;
      server.blob = JSON.parse(JSON.stringify(body.blob));
      return { ok: true, rev: server.rev };
    },
  });
  const phone = new vl.VerifiedList({ api: apiFor(), ...own });
  const laptop = new vl.VerifiedList({ api: apiFor(), ...own });
  let changes = 0;
  const stop = phone.onChange(() => { changes += 1; });
  check(Object.keys((await phone.load()).contacts).length === 0 && changes === 1, 'load of nothing stored: empty, and a change event');
  await laptop.load();
  const e1 = await phone.markVerified('bob', 'kB1');
  check(e1.verified === true && e1.ukid === 'kB1' && server.rev === 1, 'markVerified writes');
  check(phone.status('bob', 'kB1') === 'verified' && phone.status('bob', 'kB2') === 'changed', 'status after markVerified');
  check(changes === 2, 'a write is a change event');
  // the laptop read rev 0: its write meets a conflict, re-reads, merges and wins the retry
  const putsBefore = server.puts;
  await laptop.markVerified('carol', 'kC1');
  check(server.puts === putsBefore + 2 && server.rev === 2, 'a stale write is retried once after a conflict');
  check(laptop.status('bob', 'kB1') === 'verified' && laptop.status('carol', 'kC1') === 'verified', 'the retry kept the other device\'s entry');
  const stored = await vl.openList(server.blob, own);
  check(stored.contacts.bob && stored.contacts.carol, 'the server holds both entries');
  await phone.load();
  check(phone.status('carol', 'kC1') === 'verified', 'the other device sees the merged list after load');
  await phone.accept('bob', 'kB2');
  check(phone.status('bob', 'kB2') === 'unverified' && phone.entry('bob').verified === false && phone.entry('bob').ukid === 'kB2', 'accept');
  check(phone.entry('bob').at > e1.at, 'a later change has a later time');
  await phone.unverify('carol', 'kC1');
  check(phone.status('carol', 'kC1') === 'unverified', 'unverify');
  check(phone.entry('nobody') === null, 'entry of an unknown contact');
  const copy = phone.entry('carol');
  copy.verified = true;
  check(phone.status('carol', 'kC1') === 'unverified', 'entry answers a copy');
  // writes of one device run one after another, each naming the revision the last one got
  await Promise.all([phone.markVerified('d1', 'k'), phone.markVerified('d2', 'k'), phone.markVerified('d3', 'k')]);
  check(['d1', 'd2', 'd3'].every((u) => phone.status(u, 'k') === 'verified'), 'queued writes all land');
  // a conflict that never clears gives up after a bounded number of tries
  server.conflictsLeft = 100;
  const p0 = server.puts;
  try { await phone.markVerified('eve', 'kE'); check(false, 'an endless conflict: no error'); } catch (e) {
    check(e.code === 'conflict' && server.puts - p0 === vl.MAX_WRITE_ATTEMPTS, `an endless conflict gives up after ${server.puts - p0} tries`);
  }
  server.conflictsLeft = 0;
  server.fail = 'stale_key';
  try { await phone.markVerified('eve', 'kE'); check(false, 'stale_key: no error'); } catch (e) {
    check(e.code === 'stale_key', 'other errors are not retried');
  }
  server.fail = null;
  check(phone.status('eve', 'kE') === 'unverified', 'a failed write changes nothing');
  await phone.markVerified('eve', 'kE');
  check(phone.status('eve', 'kE') === 'verified', 'the queue goes on after failures');
  stop();
  const before = changes;
  await phone.markVerified('zed', 'kZ');
  check(changes === before, 'onChange stops');
  server.blob = { ...server.blob, ct: flipB64(server.blob.ct, 5) };
  try { await laptop.load(); check(false, 'a tampered stored list: no error'); } catch (e) {
    check(e instanceof vl.VerifiedListError, 'load refuses a tampered stored list');
  }

  // ---- for Java: a list sealed here and the key to open it
  const interopList = listOf(12);
  const privateJwk = await crypto.subtle.exportKey('jwk', rsa.privateKey);
  const interop = { uid, ukid, blob: await vl.sealList(interopList, own), privateJwk, contacts: 12 };
  const t0 = performance.now();
  for (let i = 0; i < 10; i++) await vl.openList(await vl.sealList(listOf(200), own), own);
  return { failures, checked, timings: { sealAndOpen200ContactsMs: (performance.now() - t0) / 10 }, interop };
})().then(done, (e) => done({ failures: [`the checks threw: ${e && e.stack ? e.stack : e}`], checked: 0 }));
