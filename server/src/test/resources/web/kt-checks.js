// Run in the page by IdentityCryptoBrowserIT (executeAsyncScript): checks js/kt.js. The Merkle
// proofs against every vector of kt/merkle-vectors.json (arguments[0], its text) and corrupted
// copies of them; against proofs made here by a small RFC 9162 2.1.3.1/2.1.4.1 generator
// (itself checked against the vectors) on trees of a million leaves and past 2^32, which it
// also times. Answers {failures, checked, timings}. KeyTransparency is kt-log-checks.js.
const done = arguments[arguments.length - 1];
const vectors = JSON.parse(arguments[0]);
(async () => {
  const kt = await import('/js/kt.js');
  const failures = [];
  let checked = 0;
  const check = (ok, what) => { checked += 1; if (!ok) failures.push(what); };
  const hex = (s) => Uint8Array.from(s.match(/../g) || [], (b) => parseInt(b, 16));
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const sameList = (a, b) => a.length === b.length && a.every((x, i) => same(x, b[i]));
  const flip = (h, bit) => { const c = h.slice(); c[(bit >> 3) % c.length] ^= 1 << (bit & 7); return c; };
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
  const sha = async (...parts) => {
    const buf = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { buf.set(p, at); at += p.length; }
    return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
  };

  // ---- a proof generator of RFC 9162 2.1: MTH, PATH, PROOF over leaf hashes given by index.
  // `uniform` trees have one leaf repeated, so a subtree's hash depends only on its size: that
  // makes trees of millions of leaves cheap to prove.
  const split = (n) => { let k = 1; while (k * 2 < n) k *= 2; return k; };
  const makeTree = (leafHashAt, uniform) => {
    const memo = new Map();
    const mth = async (lo, n) => {
      const key = uniform ? n : `${lo}:${n}`;
      if (memo.has(key)) return memo.get(key);
      let h;
      if (n === 0) h = await sha();
      else if (n === 1) h = await leafHashAt(lo);
      else { const k = split(n); h = await sha(Uint8Array.of(1), await mth(lo, k), await mth(lo + k, n - k)); }
      memo.set(key, h);
      return h;
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

  // ---- the vectors: every proof verifies; the generator reproduces them
  const pub = vectors.published;
  const pubLeaves = pub.leavesHex.map(hex);
  const pubRoot = (n) => hex(pub.rootsHex[n - 1]);
  const gen = vectors.generated;
  const genLeaf = (i) => `leaf-${i}`;
  const genRoot = (n) => hex(gen.rootsHex[n]);
  check(same(await kt.emptyRoot(), hex(pub.emptyRootHex)) && same(await kt.emptyRoot(), genRoot(0)), 'empty root');
  check(same(await kt.leafHash('leaf-0'), await kt.leafHash(new TextEncoder().encode('leaf-0'))), 'leafHash of a string is of its UTF-8');
  const pubTree = makeTree((i) => kt.leafHash(pubLeaves[i]), false);
  const genTree = makeTree((i) => kt.leafHash(genLeaf(i)), false);
  for (let n = 1; n <= 8; n++) check(same(await pubTree.root(n), pubRoot(n)), `generator: published root of ${n}`);
  for (let n = 0; n <= gen.leafCount; n++) check(same(await genTree.root(n), genRoot(n)), `generator: root of ${n}`);
  const cases = [];
  for (const v of pub.inclusion) {
    cases.push({ kind: 'inclusion', what: `published inclusion ${v.index}/${v.size}`, index: v.index, size: v.size,
      leaf: await kt.leafHash(pubLeaves[v.index]), path: v.pathHex.map(hex), root: pubRoot, tree: pubTree, max: 8,
      leafAt: (i) => kt.leafHash(pubLeaves[i]) });
  }
  for (const v of gen.inclusion) {
    cases.push({ kind: 'inclusion', what: `inclusion ${v.index}/${v.size}`, index: v.index, size: v.size,
      leaf: await kt.leafHash(genLeaf(v.index)), path: v.pathHex.map(hex), root: genRoot, tree: genTree, max: gen.leafCount,
      leafAt: (i) => kt.leafHash(genLeaf(i)) });
  }
  for (const v of pub.consistency) {
    cases.push({ kind: 'consistency', what: `published consistency ${v.from}->${v.to}`, from: v.from, to: v.to,
      path: v.pathHex.map(hex), root: pubRoot, tree: pubTree, max: 8 });
  }
  for (const v of gen.consistency) {
    cases.push({ kind: 'consistency', what: `consistency ${v.from}->${v.to}`, from: v.from, to: v.to,
      path: v.pathHex.map(hex), root: genRoot, tree: genTree, max: gen.leafCount });
  }
  let n = 0;
  for (const c of cases) {
    if (c.kind === 'inclusion') {
      check(await kt.verifyInclusion(c.index, c.size, c.leaf, c.path, c.root(c.size)), `${c.what} verifies`);
      check(sameList(await c.tree.path(c.index, c.size), c.path), `generator: ${c.what}`);
    } else {
      check(await kt.verifyConsistency(c.from, c.to, c.root(c.from), c.root(c.to), c.path), `${c.what} verifies`);
      check(sameList(await c.tree.proof(c.from, c.to), c.path), `generator: ${c.what}`);
    }
    // corrupted copies of the published proofs and of a sample of the generated ones
    if (!c.what.startsWith('published') && (n++ % 5) !== 0) continue;
    const probes = [];
    const extra = await sha(new TextEncoder().encode('extra'));
    c.path.forEach((_, j) => probes.push([`bit flipped in path[${j}]`, { path: c.path.map((p, i) => (i === j ? flip(p, j * 37 + 5) : p)) }]));
    if (c.path.length) {
      probes.push(['last path entry dropped', { path: c.path.slice(0, -1) }]);
      probes.push(['first path entry dropped', { path: c.path.slice(1) }]);
    }
    probes.push(['path extended', { path: [...c.path, extra] }]);
    probes.push(['path prefixed', { path: [extra, ...c.path] }]);
    if (c.kind === 'inclusion') {
      probes.push(['a wrong root', { root: flip(c.root(c.size), 77) }]);
      probes.push(['another leaf', { leaf: await c.leafAt((c.index + 1) % c.size === c.index ? 0 : (c.index + 1) % c.size), skip: c.size === 1 }]);
      if (c.index > 0) probes.push(['index - 1', { index: c.index - 1 }]);
      probes.push(['index + 1', { index: c.index + 1 }]);
      if (c.size > 1) probes.push(['size - 1 (and its root)', { size: c.size - 1 }]);
      if (c.size < c.max) probes.push(['size + 1 (and its root)', { size: c.size + 1 }]);
      for (const [what, p] of probes) {
        if (p.skip) continue;
        const size = p.size ?? c.size;
        const index = p.index ?? c.index;
        // a wrong size or index only fails for sure where the path really differs
        if ((p.size || p.index !== undefined) && sameList(await c.tree.path(index, size), c.path) && index < size) continue;
        check(!await kt.verifyInclusion(index, size, p.leaf ?? c.leaf, p.path ?? c.path, p.root ?? c.root(size)),
          `${c.what} with ${what} is refused`);
      }
    } else {
      probes.push(['a wrong first root', { root1: flip(c.root(c.from), 3) }]);
      probes.push(['a wrong second root', { root2: flip(c.root(c.to), 9) }]);
      if (c.from > 1) probes.push(['from - 1', { from: c.from - 1 }]);
      if (c.from < c.to) probes.push(['from + 1', { from: c.from + 1 }]);
      if (c.to > c.from) probes.push(['to - 1', { to: c.to - 1 }]);
      if (c.to < c.max) probes.push(['to + 1', { to: c.to + 1 }]);
      for (const [what, p] of probes) {
        const from = p.from ?? c.from;
        const to = p.to ?? c.to;
        if ((p.from || p.to) && sameList(await c.tree.proof(from, to), c.path)) continue;
        check(!await kt.verifyConsistency(from, to, p.root1 ?? c.root(from), p.root2 ?? c.root(to), p.path ?? c.path),
          `${c.what} with ${what} is refused`);
      }
    }
  }
  // the edges of the arguments
  const r3 = genRoot(3);
  const p03 = await genTree.path(0, 3);
  const l0 = await kt.leafHash(genLeaf(0));
  check(!await kt.verifyInclusion(3, 3, l0, p03, r3), 'index = size');
  check(!await kt.verifyInclusion(-1, 3, l0, p03, r3), 'a negative index');
  check(!await kt.verifyInclusion(0.5, 3, l0, p03, r3), 'a fractional index');
  check(!await kt.verifyInclusion(0, 3, l0.slice(1), p03, r3), 'a 31-byte leaf hash');
  check(!await kt.verifyInclusion(0, 3, l0, [p03[0], p03[1].slice(1)], r3), 'a 31-byte path entry');
  check(!await kt.verifyInclusion(0, 3, l0, null, r3), 'no path');
  check(!await kt.verifyInclusion(0, 0, l0, [], genRoot(0)), 'the empty tree has no leaf');
  check(await kt.verifyConsistency(5, 5, genRoot(5), genRoot(5), []), 'equal sizes, equal roots');
  check(!await kt.verifyConsistency(5, 5, genRoot(5), genRoot(6), []), 'equal sizes, other roots');
  check(!await kt.verifyConsistency(5, 5, genRoot(5), genRoot(5), [genRoot(1)]), 'equal sizes with a path');
  check(!await kt.verifyConsistency(6, 5, genRoot(6), genRoot(5), await genTree.proof(5, 6)), 'a first tree larger than the second');
  check(!await kt.verifyConsistency(4, 6, genRoot(4), genRoot(6), []), 'an empty path between different sizes');
  check(await kt.verifyConsistency(0, 6, genRoot(0), genRoot(6), []), 'the empty tree is a prefix of any');
  check(!await kt.verifyConsistency(0, 6, genRoot(1), genRoot(6), []), 'a size-0 tree with another root');

  // ---- a million leaves, and sizes past 2^32 (where bit operators would wrap)
  const big = makeTree(() => kt.leafHash('uid|Gv0cMEZ5MbG2SdzY|1796280000000'), true);
  const timings = {};
  // the clock is coarse (0.1 ms): each sample is the mean of a batch of 20 calls
  const time = async (name, runs, f) => {
    const xs = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      for (let j = 0; j < 20; j++) await f();
      xs.push((performance.now() - t0) / 20);
    }
    timings[name] = Math.round(median(xs) * 1000) / 1000;
  };
  const leafBig = await kt.leafHash('uid|Gv0cMEZ5MbG2SdzY|1796280000000');
  for (const [index, size] of [[123456, 1000000], [999999, 1000000], [0, 1000000], [2 ** 32 + 3, 2 ** 33 + 5], [2 ** 40 - 1, 2 ** 40 + 1]]) {
    const path = await big.path(index, size);
    const root = await big.root(size);
    check(await kt.verifyInclusion(index, size, leafBig, path, root), `inclusion ${index}/${size}`);
    check(!await kt.verifyInclusion(index, size, leafBig, path, await big.root(size - 1)), `inclusion ${index}/${size}, root of size - 1`);
    check(!await kt.verifyInclusion(index, size, leafBig, path.map((p, i) => (i === path.length - 1 ? flip(p, 1) : p)), root),
      `inclusion ${index}/${size}, top entry flipped`);
  }
  for (const [from, to] of [[500000, 1000000], [999999, 1000000], [524288, 1000000], [1, 1000000], [2 ** 32 + 1, 2 ** 33 + 5]]) {
    const proof = await big.proof(from, to);
    const r1 = await big.root(from);
    const r2 = await big.root(to);
    check(await kt.verifyConsistency(from, to, r1, r2, proof), `consistency ${from}->${to}`);
    check(!await kt.verifyConsistency(from, to, r1, r2, proof.slice(0, -1)), `consistency ${from}->${to} truncated`);
    check(!await kt.verifyConsistency(from, to, r1, await big.root(to + 1), proof), `consistency ${from}->${to}, root of to + 1`);
  }
  const inc = await big.path(123456, 1000000);
  const incRoot = await big.root(1000000);
  await time('verifyInclusion_1M', 21, () => kt.verifyInclusion(123456, 1000000, leafBig, inc, incRoot));
  const con = await big.proof(500001, 1000000);
  const conR1 = await big.root(500001);
  await time('verifyConsistency_1M', 21, () => kt.verifyConsistency(500001, 1000000, conR1, incRoot, con));
  timings.inclusionPathLength_1M = inc.length;
  timings.consistencyPathLength_1M = con.length;

  return { failures, checked, timings };
})().then(done, (e) => done({ failures: [`the checks threw: ${e && e.stack ? e.stack : e}`], checked: 0 }));
