// Run in the page by IdentityCryptoBrowserIT (executeAsyncScript): checks js/kt.js's
// KeyTransparency against a log scripted here. Its heads are signed in the page with Ed25519
// keys made here, its proofs come from a small RFC 9162 generator (kt-checks.js checks the same
// generator against the vectors), and it forks in every way the protocol names: a smaller head,
// another root at the kept size, another log key, a bad signature, a rewritten history.
// Answers {failures, checked, timings}.
const done = arguments[arguments.length - 1];
(async () => {
  const kt = await import('/js/kt.js');
  const { b64u } = await import('/js/crypto.js');
  const { KeyTransparency, KtError } = kt;
  const failures = [];
  let checked = 0;
  const check = (ok, what) => { checked += 1; if (!ok) failures.push(what); };
  const enc = new TextEncoder();
  const sha = async (...parts) => {
    const buf = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { buf.set(p, at); at += p.length; }
    return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
  };
  const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };
  // RFC 9162 2.1.1-2.1.4.1 over a list of leaf strings
  const treeOf = (leaves) => {
    const mth = async (lo, n) => {
      if (n === 0) return sha();
      if (n === 1) return sha(Uint8Array.of(0), enc.encode(leaves[lo]));
      const k = split(n);
      return sha(Uint8Array.of(1), await mth(lo, k), await mth(lo + k, n - k));
    };
    const path = async (m, lo, n) => {
      if (n <= 1) return [];
      const k = split(n);
      return m < k ? [...await path(m, lo, k), await mth(lo + k, n - k)] : [...await path(m - k, lo + k, n - k), await mth(lo, k)];
    };
    const sub = async (m, lo, n, b) => {
      if (m === n) return b ? [] : [await mth(lo, n)];
      const k = split(n);
      return m <= k ? [...await sub(m, lo, k, b), await mth(lo + k, n - k)]
        : [...await sub(m - k, lo + k, n - k, false), await mth(lo, k)];
    };
    return { root: (n) => mth(0, n), path: (m, n) => path(m, 0, n), proof: (m, n) => sub(m, 0, n, true) };
  };
  const ukidOf = (i) => `ukid${String(i).padStart(12, '0')}`;
  const honest = Array.from({ length: 40 }, (_, i) => `u${i}|${ukidOf(i)}|${1796280000000 + i}`);
  // the same history with leaf 2 rewritten: what a server that swapped u2's key would serve
  const forked = honest.map((l, i) => (i === 2 ? `u2|${ukidOf(99)}|1796280000002` : l));
  const ED = { name: 'Ed25519' };
  const logKey = await crypto.subtle.generateKey(ED, true, ['sign', 'verify']);
  const otherKey = await crypto.subtle.generateKey(ED, true, ['sign', 'verify']);
  const xOf = async (pair) => b64u(await crypto.subtle.exportKey('raw', pair.publicKey));
  let ts = 1796280000000;
  const signedHead = async (leaves, size, { key = logKey, tamper } = {}) => {
    ts += 1000;
    const root = b64u(await treeOf(leaves).root(size));
    const sig = b64u(await crypto.subtle.sign(ED, key.privateKey, enc.encode(`sealroom-kt|${size}|${root}|${ts}`)));
    const h = { size, root, ts, sig, logKey: { kty: 'OKP', crv: 'Ed25519', x: await xOf(key) } };
    if (tamper) tamper(h);
    return h;
  };

  // ---- the scripted server: `serve` decides what each route answers
  const calls = [];
  const serve = { head: null, leaves: honest, proofSize: null, failHead: false, failConsistency: false, consistency: null, proof: null };
  const notFound = () => Object.assign(new Error('not found'), { code: 'not_found', status: 404 });
  const fetchJson = async (path) => {
    calls.push(path);
    const url = new URL(path, location.origin);
    const q = (k) => url.searchParams.get(k);
    if (url.pathname === '/api/v1/kt/head') {
      if (serve.failHead) throw Object.assign(new Error('down'), { code: 'unavailable', status: 0 });
      return JSON.parse(JSON.stringify(serve.head));
    }
    if (url.pathname === '/api/v1/kt/consistency') {
      if (serve.failConsistency) throw Object.assign(new Error('down'), { code: 'unavailable', status: 503 });
      if (!(Number(q('from')) <= Number(q('to')))) throw Object.assign(new Error('from > to'), { code: 'invalid_request', status: 400 });
      const path2 = serve.consistency || (await treeOf(serve.leaves).proof(Number(q('from')), Number(q('to')))).map(b64u);
      return { from: Number(q('from')), to: Number(q('to')), path: path2 };
    }
    if (url.pathname === '/api/v1/kt/proof') {
      const size = Number(q('size'));
      const index = serve.leaves.slice(0, size).findIndex((l) => l.startsWith(`${q('uid')}|${q('ukid')}|`));
      if (index < 0) throw notFound();
      const answer = { index, leaf: serve.leaves[index], size,
        path: (await treeOf(serve.leaves).path(index, serve.proofSize || size)).map(b64u) };
      return serve.proof ? serve.proof(answer) : answer;
    }
    throw notFound();
  };
  const memory = () => {
    const m = new Map();
    return { getItem: (k) => (m.has(k) ? m.get(k) : null), setItem: (k, v) => m.set(k, String(v)), map: m };
  };
  const fails = async (f, why, what, user) => {
    try {
      await f();
      check(false, `${what}: no error`);
    } catch (e) {
      const ok = e instanceof KtError && e.why === why;
      check(ok, `${what}: ${e && e.name} ${e && e.why} (${e && e.message}), wanted ${why}`);
      if (ok && user) {
        check(e.uid === user.uid && e.username === user.username
          && e.message === `The server could not prove that these are ${user.username}'s keys (${why}).`, `${what}: names the user`);
      } else if (ok) {
        check(e.message === `The server's key log is inconsistent (${why}).`, `${what}: the head message`);
      }
    }
  };

  // ---- pinning and growing
  const storage = memory();
  const log = new KeyTransparency({ fetchJson, storage });
  check(log.lastHead() === null, 'no head before the first');
  serve.head = await signedHead(honest, 5);
  const h5 = await log.head();
  check(h5.size === 5 && h5.root === serve.head.root, 'the first head is taken');
  check(log.lastHead().size === 5 && log.lastHead().logKey.x === await xOf(logKey), 'the first head and its log key are kept');
  check(JSON.parse(storage.map.get('sealroom.kt')).sig === serve.head.sig, 'kept in storage under sealroom.kt');
  serve.head = await signedHead(honest, 9);
  calls.length = 0;
  check((await log.head()).size === 9 && calls.includes('/api/v1/kt/consistency?from=5&to=9'), 'a newer head is proved consistent');
  check(log.lastHead().size === 9, 'the newer head is kept');
  calls.length = 0;
  const [c1, c2] = await Promise.all([log.head(), log.head()]);
  check(c1 === c2 && calls.filter((p) => p === '/api/v1/kt/head').length === 1, 'concurrent calls share one request');
  check(!calls.some((p) => p.includes('consistency')), 'the same size needs no proof');

  // ---- a reload keeps the pin
  const reloaded = new KeyTransparency({ fetchJson, storage });
  check(reloaded.lastHead().size === 9 && reloaded.lastHead().root === log.lastHead().root, 'the kept head survives a reload');
  const kept9 = JSON.stringify(reloaded.lastHead());

  // ---- forks and bad heads: each is a KtError, and the kept head stays as it was
  serve.head = await signedHead(honest, 7);
  await fails(() => reloaded.head(), 'fork', 'a smaller head');
  serve.head = await signedHead(forked, 9);
  await fails(() => reloaded.head(), 'fork', 'another root at the kept size');
  serve.head = await signedHead(honest, 12, { key: otherKey });
  await fails(() => reloaded.head(), 'logkey', 'another log key');
  serve.head = await signedHead(honest, 12, { tamper: (h) => { h.sig = b64u(new Uint8Array(64).fill(7)); } });
  await fails(() => reloaded.head(), 'signature', 'a signature that does not verify');
  serve.head = await signedHead(honest, 12, { tamper: (h) => { h.ts += 1; } });
  await fails(() => reloaded.head(), 'signature', 'a head changed after signing');
  serve.head = await signedHead(honest, 12, { tamper: (h) => { h.size = 13; } });
  await fails(() => reloaded.head(), 'signature', 'a size changed after signing');
  serve.head = await signedHead(honest, 12, { tamper: (h) => { h.root = h.root.slice(1); } });
  await fails(() => reloaded.head(), 'signature', 'a malformed root');
  serve.head = await signedHead(honest, 12, { tamper: (h) => { delete h.logKey; } });
  await fails(() => reloaded.head(), 'signature', 'a head without a log key');
  serve.head = await signedHead(forked, 12);
  serve.leaves = forked;
  await fails(() => reloaded.head(), 'consistency', 'a rewritten history');
  serve.leaves = honest;
  serve.head = await signedHead(honest, 12);
  const good = await treeOf(honest).proof(9, 12);
  serve.consistency = good.slice(1).map(b64u);
  await fails(() => reloaded.head(), 'consistency', 'a consistency proof missing its first entry');
  serve.consistency = [];
  await fails(() => reloaded.head(), 'consistency', 'an empty consistency proof');
  serve.consistency = ['not a hash'];
  await fails(() => reloaded.head(), 'consistency', 'a consistency proof that is not base64url hashes');
  serve.consistency = null;
  serve.failConsistency = true;
  await fails(() => reloaded.head(), 'unavailable', 'no consistency proof to be had');
  serve.failConsistency = false;
  serve.failHead = true;
  await fails(() => reloaded.head(), 'unavailable', 'no head to be had');
  serve.failHead = false;
  check(JSON.stringify(reloaded.lastHead()) === kept9, 'after every failure the kept head is unchanged');
  check((await reloaded.head()).size === 12 && reloaded.lastHead().size === 12, 'the honest head is taken after all');

  // ---- inclusion of versions
  const carol = { uid: 'u3', username: 'carol' };
  calls.length = 0;
  const proved = await reloaded.checkVersion('u3', ukidOf(3), 'carol');
  check(proved.index === 3 && proved.size === 12 && proved.leaf === honest[3], 'a logged version is proved');
  check(calls.includes(`/api/v1/kt/proof?uid=u3&ukid=${ukidOf(3)}&size=12`), 'the proof is asked at the head size');
  calls.length = 0;
  await reloaded.checkVersion('u3', ukidOf(3), 'carol');
  check(calls.length === 0, 'a proved version is remembered for the page');
  await fails(() => reloaded.checkVersion('u3', ukidOf(50), 'carol'), 'inclusion', 'a version not in the log', carol);
  // a valid proof, of the wrong leaf: only the leaf's prefix tells
  serve.proof = async (a) => ({ ...a, index: 3, leaf: honest[3], path: (await treeOf(honest).path(3, a.size)).map(b64u) });
  await fails(() => reloaded.checkVersion('u4', ukidOf(4), 'dave'), 'leaf', 'a valid proof of another user\'s leaf', { uid: 'u4', username: 'dave' });
  serve.proof = (a) => ({ ...a, leaf: `u5|${ukidOf(5)}|` });
  await fails(() => reloaded.checkVersion('u5', ukidOf(5), 'erin'), 'leaf', 'a leaf without its time', { uid: 'u5', username: 'erin' });
  serve.proof = (a) => ({ ...a, leaf: `u5|${ukidOf(5)}|1796280000009` });
  await fails(() => reloaded.checkVersion('u5', ukidOf(5), 'erin'), 'inclusion', 'a leaf the path does not lead from', { uid: 'u5', username: 'erin' });
  serve.proof = (a) => ({ ...a, index: a.index + 1 });
  await fails(() => reloaded.checkVersion('u5', ukidOf(5), 'erin'), 'inclusion', 'a wrong index', { uid: 'u5', username: 'erin' });
  serve.proof = (a) => ({ ...a, path: [...a.path.slice(0, -1), b64u(new Uint8Array(32))] });
  await fails(() => reloaded.checkVersion('u5', ukidOf(5), 'erin'), 'inclusion', 'a path with a wrong entry', { uid: 'u5', username: 'erin' });
  serve.proof = (a) => ({ ...a, size: 11 });
  await fails(() => reloaded.checkVersion('u5', ukidOf(5), 'erin'), 'inclusion', 'a proof at another size', { uid: 'u5', username: 'erin' });
  serve.proof = null;
  serve.proofSize = 11;
  await fails(() => reloaded.checkVersion('u6', ukidOf(6), 'frank'), 'inclusion', 'a path of a smaller tree', { uid: 'u6', username: 'frank' });
  serve.proofSize = null;
  check((await reloaded.checkVersion('u5', ukidOf(5), 'erin')).index === 5, 'a failure is not remembered: an honest answer passes later');
  serve.head = await signedHead(forked, 12);
  await fails(() => reloaded.checkVersion('u7', ukidOf(7), 'gina'), 'fork', 'a forked head while checking', { uid: 'u7', username: 'gina' });
  serve.head = await signedHead(honest, 12);
  serve.failHead = true;
  await fails(() => reloaded.checkVersion('u7', ukidOf(7), 'gina'), 'unavailable', 'no head while checking', { uid: 'u7', username: 'gina' });
  serve.failHead = false;

  // ---- an empty log, then growth without a proof; the page's localStorage by default
  const fresh = new KeyTransparency({ fetchJson, storage: memory() });
  serve.head = await signedHead(honest, 0);
  check((await fresh.head()).size === 0, 'an empty log is pinned');
  await fails(() => fresh.checkVersion('u1', ukidOf(1), 'bob'), 'inclusion', 'nothing is in an empty log', { uid: 'u1', username: 'bob' });
  serve.head = await signedHead(honest, 3);
  check((await fresh.head()).size === 3, 'an empty log grows without a proof');
  const key = `sealroom.kt.check.${Date.now()}`;
  try {
    const local = new KeyTransparency({ fetchJson, storageKey: key });
    await local.head();
    check(JSON.parse(localStorage.getItem(key)).size === 3, 'localStorage by default');
  } finally {
    localStorage.removeItem(key);
  }

  // ---- timing: a whole checkVersion (head, consistency, proof) against the scripted log
  const xs = [];
  for (let i = 0; i < 15; i++) {
    const page = new KeyTransparency({ fetchJson, storage: memory() });
    serve.head = await signedHead(honest, 20);
    await page.head();
    serve.head = await signedHead(honest, 40);
    const t0 = performance.now();
    await page.checkVersion(`u${i}`, ukidOf(i), 'x');
    xs.push(performance.now() - t0);
  }
  xs.sort((a, b) => a - b);
  return { failures, checked, timings: { checkVersionScriptedMs: xs[7] } };
})().then(done, (e) => done({ failures: [`the checks threw: ${e && e.stack ? e.stack : e}`], checked: 0 }));
