// The user's own E2E key pairs: first setup, unlocking on another device or profile, changing
// the encryption password and resetting the key. The private keys leave this module only as
// non-extractable CryptoKeys; the password is used for one derivation and then dropped.

import * as c from './crypto.js';
import * as keystore from './keystore.js';
import { generatePassword } from './words.js';

/**
 * status:
 *   'disabled'  the server has E2E turned off
 *   'none'      the user has no keys yet: offer setup ("Save your encryption password")
 *   'locked'    keys exist on the server but not on this device: ask for the password
 *   'ready'     the private keys are here
 */
export class Identity {
  constructor(api, me) {
    this.api = api;
    this.uid = me.userId;
    // without Web Crypto (not a secure context) there is nothing to offer: no banner, no keys
    this.enabled = !!(me.e2e && me.e2e.enabled) && !!crypto.subtle;
    // never below DESIGN's 600,000; an admin may require more (GET /api/v1/me reports the floor)
    this.iterations = Math.max(c.DEFAULT_KDF_ITERATIONS, (me.e2e && me.e2e.minKdfIterations) || 0);
    this.status = 'disabled';
    this.keys = null; // {rsaPrivate, sigPrivate, modulus, signingX}
    this.publicKey = null; // own RSA public JWK, to seal room keys for myself
    this.listeners = new Set();
  }

  onChange(fn) { this.listeners.add(fn); }

  set(status) {
    this.status = status;
    this.listeners.forEach((fn) => fn(status));
  }

  /** Compares the keys on this device with the server's: a reset elsewhere makes local keys stale. */
  async init() {
    if (!this.enabled) return this.set('disabled');
    const server = await this.serverKeys();
    const local = await keystore.getIdentity(this.uid);
    if (!server) {
      if (local) await keystore.forgetUser(this.uid);
      return this.set('none');
    }
    this.publicKey = server.publicKey;
    if (local && local.modulus === server.publicKey.n) {
      this.keys = local;
      this.ukid = await c.ukidOf(this.publicKey, local.signingX);
      return this.set('ready');
    }
    if (local) await keystore.forgetUser(this.uid);
    return this.set('locked');
  }

  async serverKeys() {
    try {
      return await this.api.ownKeys();
    } catch (e) {
      if (e.code === 'no_keys') return null;
      throw e;
    }
  }

  /**
   * Generates both key pairs and a password. Nothing is uploaded until commit() (called once
   * the user confirms they saved the password): abandoning the dialog leaves no trace.
   */
  async prepareSetup() {
    const pairs = await c.generateIdentity();
    const password = await generatePassword();
    const json = await c.privateKeysJson(pairs);
    const publics = await c.publicJwks(pairs);
    const commit = async () => {
      const privateKey = await c.wrapPrivateKeys(json, password, this.iterations);
      await this.api.putKeys({ ...publics, privateKey });
      await this.adopt(json, publics.publicKey);
    };
    return { password, commit };
  }

  /** Opens the wrapped key from the server; WrongPasswordError when the password is not right. */
  async unlock(password) {
    const server = await this.serverKeys();
    if (!server) {
      await this.init();
      throw new Error('Your encryption key was reset meanwhile. Set up encryption again.');
    }
    const json = await c.unwrapPrivateKeys(server.privateKey, password);
    await this.adopt(json, server.publicKey);
  }

  /**
   * Re-wraps the same key pair under a new generated password. The private keys here are not
   * extractable, so the current password opens the server's copy once more.
   */
  async prepareChange(currentPassword) {
    const server = await this.serverKeys();
    if (!server) throw new Error('You have no encryption key yet.');
    const json = await c.unwrapPrivateKeys(server.privateKey, currentPassword);
    const password = await generatePassword();
    const commit = async () => {
      const privateKey = await c.wrapPrivateKeys(json, password, this.iterations);
      const body = { publicKey: server.publicKey, privateKey };
      if (server.signingKey) body.signingKey = server.signingKey;
      await this.api.putKeys(body);
      if (this.status !== 'ready') await this.adopt(json, server.publicKey);
    };
    return { password, commit };
  }

  /** Drops the key on the server (needs the login password) and here; answers the new token. */
  async reset(loginPassword) {
    const r = await this.api.resetKeys(loginPassword);
    await keystore.forgetUser(this.uid);
    this.keys = null;
    this.publicKey = null;
    this.ukid = null;
    return r;
  }

  async forgetHere() {
    await keystore.forgetUser(this.uid);
  }

  async adopt(json, publicKey) {
    const keys = await c.importPrivateKeys(json);
    if (keys.modulus !== publicKey.n) throw new Error('the private key does not match your public key');
    await keystore.putIdentity({ uid: this.uid, ...keys });
    this.keys = keys;
    this.publicKey = publicKey;
    this.ukid = await c.ukidOf(publicKey, keys.signingX); // named in every message signed here
    this.set('ready');
  }
}
