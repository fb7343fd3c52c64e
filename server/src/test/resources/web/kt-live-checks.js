// Run in the page by IdentityCryptoBrowserIT (executeAsyncScript) against the live node:
// js/kt.js's KeyTransparency over the node's /api/v1/kt routes and js/verifiedlist.js's
// VerifiedList over /api/v1/me/verified. arguments[0] is JSON {phase, users, token, storageKey}:
// phase "setup" uploads keys made here for the page's own user (token) and answers its ukid;
// phase "check" proves every user's version (users: [{uid, ukid, username}]), pins the head
// under storageKey, writes the verified list from two devices at once and times checkVersion;
// phase "grow" checks that the node's newer head extends the pinned one.
// Answers {failures, checked, timings, ...}.
const done = arguments[arguments.length - 1];
const args = JSON.parse(arguments[0]);
(async () => {
  const { KeyTransparency, KtError } = await import('/js/kt.js');
  const vl = await import('/js/verifiedlist.js');
  const c = await import('/js/crypto.js');
  const failures = [];
  let checked = 0;
  const check = (ok, what) => { checked += 1; if (!ok) failures.push(what); };
  const call = async (method, path, body) => {
    const headers = { Authorization: `Bearer ${args.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw Object.assign(new Error(`${method} ${path}: ${res.status}`), { status: res.status, code: json && json.error && json.error.code });
    return json;
  };
  const fetchJson = (path) => call('GET', path);
  const api = { get: (path) => call('GET', path), put: (path, body) => call('PUT', path, body) };
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const memory = () => { const m = new Map(); return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)) }; };

  if (args.phase === 'setup') {
    // the page's own user: keys made here, so that the page can read its verified list
    const id = await c.generateIdentity();
    const pub = await c.publicJwks(id);
    const privateKeyWrapped = await c.wrapPrivateKeys(await c.privateKeysJson(id), 'correct horse battery staple', args.iterations);
    const answer = await call('PUT', '/api/v1/e2e/keys', { ...pub, privateKey: privateKeyWrapped });
    check(answer.ukid === await c.ukidOf(pub.publicKey, pub.signingKey.x), 'the node names the ukid the page computes');
    globalThis.liveIdentity = { rsaPublic: id.rsa.publicKey, rsaPrivate: id.rsa.privateKey, ukid: answer.ukid };
    return { failures, checked, ukid: answer.ukid };
  }

  const log = new KeyTransparency({ fetchJson, storageKey: args.storageKey });
  if (args.phase === 'grow') {
    const before = log.lastHead();
    const head = await log.head();
    check(before && head.size > before.size && log.lastHead().size === head.size, `a newer head (${before && before.size} -> ${head.size}) is proved consistent`);
    for (const u of args.users) check((await log.checkVersion(u.uid, u.ukid, u.username)).size === head.size, `${u.username}'s version in the newer head`);
    return { failures, checked, timings: {} };
  }

  // phase "check"
  const head = await log.head();
  check(head.size >= args.users.length && log.lastHead().root === head.root, `the node's head (${head.size}) is pinned`);
  for (const u of args.users) {
    const p = await log.checkVersion(u.uid, u.ukid, u.username);
    check(p.size === head.size && p.leaf.startsWith(`${u.uid}|${u.ukid}|`), `${u.username}'s version is proved`);
  }
  try {
    await log.checkVersion(args.users[0].uid, 'AAAAAAAAAAAAAAAA', args.users[0].username);
    check(false, 'a version the node never logged: no error');
  } catch (e) {
    check(e instanceof KtError && e.why === 'inclusion' && e.username === args.users[0].username, `a version never logged: ${e.message}`);
  }
  const xs = [];
  for (let i = 0; i < 11; i++) {
    const fresh = new KeyTransparency({ fetchJson, storage: memory() });
    const u = args.users[i % args.users.length];
    const t0 = performance.now();
    await fresh.checkVersion(u.uid, u.ukid, u.username);
    xs.push(performance.now() - t0);
  }
  const pinned = new KeyTransparency({ fetchJson, storageKey: args.storageKey });
  const ys = [];
  for (let i = 0; i < 11; i++) {
    pinned.versions.clear();
    const u = args.users[i % args.users.length];
    const t0 = performance.now();
    await pinned.checkVersion(u.uid, u.ukid, u.username);
    ys.push(performance.now() - t0);
  }

  // the verified list of the page's own user, from two devices that read the same revision
  const me = globalThis.liveIdentity;
  const own = { uid: args.uid, ukid: me.ukid, rsaPublic: me.rsaPublic, rsaPrivate: me.rsaPrivate };
  const phone = new vl.VerifiedList({ api, ...own });
  const laptop = new vl.VerifiedList({ api, ...own });
  check(Object.keys((await phone.load()).contacts).length === 0 && phone.rev === 0, 'nothing stored yet');
  await laptop.load();
  const [a, b] = args.users;
  await phone.markVerified(a.uid, a.ukid);
  await laptop.markVerified(b.uid, b.ukid);
  check(laptop.status(a.uid, a.ukid) === 'verified' && laptop.status(b.uid, b.ukid) === 'verified', 'the node\'s conflict was merged and retried');
  const third = new vl.VerifiedList({ api, ...own });
  await third.load();
  check(third.rev === 2 && third.status(a.uid, a.ukid) === 'verified' && third.status(b.uid, b.ukid) === 'verified'
    && third.status(b.uid, 'BBBBBBBBBBBBBBBB') === 'changed', 'a third device reads both entries');
  try {
    await api.put('/api/v1/me/verified', { rev: third.rev, blob: await vl.sealList({ contacts: {} }, { ...own, ukid: 'AAAAAAAAAAAAAAAA' }) });
    check(false, 'a list sealed to another version: accepted');
  } catch (e) {
    check(e.code === 'stale_key', `a list sealed to another version: ${e.code}`);
  }
  return { failures, checked, timings: { checkVersionLiveFreshMs: median(xs), checkVersionLivePinnedMs: median(ys), headSize: head.size } };
})().then(done, (e) => done({ failures: [`the checks threw: ${e && e.stack ? e.stack : e}`], checked: 0 }));
