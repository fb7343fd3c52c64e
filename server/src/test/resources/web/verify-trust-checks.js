// Run in the page by VerifyTrustBrowserIT (executeAsyncScript): js/trust.js, the gate of the
// web client between contacts' keys and room keys, with the real verified list (RSA-OAEP and
// AES-GCM in Web Crypto) over a fake api, and a fake key log whose answers each check picks.
// Answers {failures: [..], checked: n}: every failure is a sentence; none means all passed.
const done = arguments[arguments.length - 1];
(async () => {
  const c = await import('/js/crypto.js');
  const { Trust, BlockedError } = await import('/js/trust.js');
  const { KtError } = await import('/js/kt.js');
  const failures = [];
  let checked = 0;
  const check = (ok, what) => { checked += 1; if (!ok) failures.push(what); };
  const throwsAs = async (p, test, what) => {
    try {
      await p;
      check(false, `${what}: did not throw`);
    } catch (e) {
      check(test(e), `${what}: threw ${e && e.name} ${e && e.message}`);
    }
  };
  const run = Math.random().toString(36).slice(2, 8);
  const me = { userId: `me-${run}`, username: 'alice' };

  // ---- the user's own keys: a real RSA pair, so that the verified list really is sealed
  const rsa = await crypto.subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['encrypt', 'decrypt']);
  const pub = await crypto.subtle.exportKey('jwk', rsa.publicKey);
  const identity = { status: 'ready', uid: me.userId, ukid: 'ownVersion000000',
    publicKey: { kty: 'RSA', alg: 'RSA-OAEP-256', n: pub.n, e: pub.e },
    keys: { rsaPrivate: rsa.privateKey, signingX: c.b64u(c.randomBytes(32)) } };

  // ---- a fake server: contacts' current keys, the verified list with revisions
  const contacts = new Map(); // uid -> {publicKey, signingKey, ukid}
  const version = async (uid, tag) => {
    const publicKey = { kty: 'RSA', alg: 'RSA-OAEP-256', n: `n-${tag}`, e: 'AQAB' };
    const signingKey = { kty: 'OKP', crv: 'Ed25519', x: c.b64u(c.randomBytes(32)) };
    const v = { publicKey, signingKey, ukid: await c.ukidOf(publicKey, signingKey.x) };
    contacts.set(uid, v);
    return v;
  };
  let stored = { rev: 0, blob: null };
  let listReadable = true;
  const apiError = (code) => Object.assign(new Error(code), { code });
  const api = {
    userKeys: async (uid) => ({ ...contacts.get(uid) }),
    get: async (path) => {
      if (path !== '/api/v1/me/verified') throw apiError('not_found');
      if (!listReadable) throw apiError('unavailable');
      return { ...stored };
    },
    put: async (path, body) => {
      if (body.rev !== stored.rev) throw apiError('conflict');
      stored = { rev: stored.rev + 1, blob: body.blob };
      return { ok: true, rev: stored.rev };
    },
    publicGet: async () => { throw apiError('not_found'); },
  };
  // the key log: proves every version but those listed in `unproven`
  const unproven = new Set();
  const fakeKt = {
    head: async () => ({}),
    checkVersion: async (uid, ukid, username) => {
      if (!unproven.has(`${uid}|${ukid}`)) return;
      const e = Object.assign(new Error(`The server could not prove that these are ${username}'s keys (inclusion).`),
        { uid, username, why: 'inclusion', name: 'KtError' });
      throw Object.setPrototypeOf(e, KtError.prototype);
    },
  };
  const newTrust = () => {
    const t = new Trust({ api, me, identity });
    t.kt = fakeKt;
    return t;
  };
  const user = (uid, name) => ({ id: uid, username: name, publicKey: contacts.get(uid).publicKey });
  const room = (...members) => ({ id: 'r1', encrypted: true,
    members: [{ id: me.userId, username: 'alice' }, ...members.map(([id, username]) => ({ id, username }))] });

  const bob = `bob-${run}`;
  const carol = `carol-${run}`;
  await version(bob, 'bob1');
  await version(carol, 'carol1');

  // ---- no seal before the verified list was read: the gate waits for start()
  let trust = newTrust();
  let sealed = false;
  const early = trust.gateSeal(user(bob, 'bob')).then(() => { sealed = true; });
  await new Promise((r) => setTimeout(r, 50));
  check(!sealed, 'a seal waits until the verified list was read');
  await trust.start();
  await early;
  check(sealed, 'after start(), an unverified contact with logged keys may get a room key');
  check(trust.status(bob) === 'unverified', 'bob starts unverified');
  await trust.peer(carol, 'carol'); // this device saw carol's first version

  // ---- verified: the mark, and it is in the sealed list on the server
  const bobV1 = contacts.get(bob).ukid;
  await trust.markVerified(bob, bobV1);
  check(trust.status(bob) === 'verified', 'bob is verified after markVerified');
  check(stored.rev === 1 && stored.blob && stored.blob.ukid === identity.ukid, 'the list was written sealed to the own version');
  check(!JSON.stringify(stored.blob).includes(bob), 'the stored list does not name bob');
  const other = newTrust();
  await other.start();
  await other.peer(bob, 'bob');
  check(other.status(bob) === 'verified', 'another device reads bob as verified');

  // ---- a verified contact's key changes: blocked (issue, gate) until verified again or accepted
  await version(bob, 'bob2');
  await version(carol, 'carol2');
  trust.keysChanged(bob, 'bob');
  trust.keysChanged(carol, 'carol');
  await throwsAs(trust.gateSeal(user(bob, 'bob')), (e) => e instanceof BlockedError && e.why === 'changed',
    'a verified contact\'s new key is not sealed to');
  await trust.gateSeal(user(carol, 'carol'));
  check(true, 'an unverified contact\'s new key may be sealed to');
  const issues = trust.roomIssues(room([bob, 'bob'], [carol, 'carol']));
  check(issues.length === 2 && issues[0].why === 'changed' && issues[0].uid === bob,
    `bob's change blocks first: ${JSON.stringify(issues)}`);
  check(issues[1] && issues[1].why === 'notice' && issues[1].uid === carol, 'carol\'s change is a quiet notice');
  await other.reload();
  other.keysChanged(bob, 'bob');
  await other.peer(bob, 'bob');
  check(other.status(bob) === 'changed', 'the other device sees the change as blocking too');

  trust.dismiss(carol);
  check(!trust.issue(carol), 'dismissing ends carol\'s notice');
  const bobV2 = contacts.get(bob).ukid;
  await trust.accept(bob, bobV2);
  check(trust.status(bob) === 'unverified' && !trust.issue(bob), 'accepting unblocks without verifying');
  await trust.gateSeal(user(bob, 'bob'));
  check(true, 'accepted keys may be sealed to');
  check(stored.rev === 2, `each decision was one write, dismissing none (rev ${stored.rev})`);

  // ---- the other device wrote meanwhile: its stale write merges instead of losing ours
  await other.markVerified(carol, contacts.get(carol).ukid);
  check(stored.rev === 3, `a stale revision was re-read, merged and written (rev ${stored.rev})`);
  await trust.reload();
  check(trust.status(carol) === 'verified' && trust.status(bob) === 'unverified', 'both writes survive the conflict');

  // ---- the key log cannot prove a key: a named, remembered failure, never a seal
  await version(bob, 'bob3');
  trust.keysChanged(bob, 'bob');
  unproven.add(`${bob}|${contacts.get(bob).ukid}`);
  await throwsAs(trust.gateSeal(user(bob, 'bob')), (e) => e instanceof KtError && e.uid === bob,
    'an unproven key is not sealed to');
  const kt = trust.issue(bob);
  check(kt && kt.why === 'kt' && kt.text.includes('bob'), `the failure names bob: ${JSON.stringify(kt)}`);
  await throwsAs(trust.checkSigner(bob, contacts.get(bob).ukid, 'bob'), (e) => e instanceof KtError,
    'signatures under an unproven key are not trusted');

  // ---- the server offers a key that is not the contact's current one
  await version(carol, 'carol3');
  const offered = { id: carol, username: 'carol', publicKey: { kty: 'RSA', alg: 'RSA-OAEP-256', n: 'n-mallory', e: 'AQAB' } };
  await throwsAs(trust.gateSeal(offered), (e) => e instanceof KtError, 'a key other than the current version is refused');

  // ---- a server that says the version is one the keys do not hash to
  const dave = `dave-${run}`;
  await version(dave, 'dave1');
  contacts.get(dave).ukid = 'AAAAAAAAAAAAAAAA';
  await throwsAs(trust.gateSeal(user(dave, 'dave')), (e) => e instanceof KtError, 'a ukid that is not the keys\' hash is refused');

  // ---- an unreadable list: nothing sealed, with a reason
  listReadable = false;
  const locked = newTrust();
  await locked.start();
  await throwsAs(locked.gateSeal(user(carol, 'carol')), (e) => /verified contacts/.test(e.message),
    'no seal while the verified list cannot be read');

  // ---- the own version unproven: the global alarm, and no seal to anyone
  listReadable = true;
  unproven.add(`${me.userId}|${identity.ukid}`);
  const alarmed = newTrust();
  await alarmed.start();
  check(alarmed.logAlarm instanceof KtError, 'an unproven own version raises the alarm');
  await throwsAs(alarmed.gateSeal(user(carol, 'carol')), (e) => e instanceof KtError, 'no seal under the alarm');

  // ---- the safety number needs both versions proven
  unproven.delete(`${me.userId}|${identity.ukid}`);
  const fresh = newTrust();
  await fresh.start();
  const sn = await fresh.safetyNumberWith(carol, 'carol');
  check(/^\d{60}$/.test(sn.digits) && sn.ukid === contacts.get(carol).ukid, 'a safety number with carol');
  unproven.add(`${carol}|${contacts.get(carol).ukid}`);
  const fresh2 = newTrust();
  await fresh2.start();
  await throwsAs(fresh2.safetyNumberWith(carol, 'carol'), (e) => e instanceof KtError, 'no number for an unproven key');
  return { failures, checked };
})().then(done, (e) => done({ failures: [`the checks stopped: ${e && e.stack}`], checked: 0 }));
