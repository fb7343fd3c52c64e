package io.sealroom.client;

import java.security.interfaces.RSAPublicKey;

/**
 * What the key and message code asks before it relies on someone's keys (docs/protocol.md "What
 * clients check"): is this key version in the key-transparency log, may a room key be wrapped to
 * this member, may a message be encrypted into this room. {@link Identities} is the real one.
 */
interface Trust {
  /**
   * Returns when the log proves version {@code ukid} of {@code uid}.
   *
   * @throws KeyTransparencyException otherwise
   */
  void proveVersion(String uid, String username, String ukid);

  /**
   * The RSA key to wrap a room key to for a member waiting for it, whose public key the server
   * relayed as {@code relayedJwk}: it must be the member's current version, in the log, and not
   * a changed identity.
   *
   * @throws KeyTransparencyException, IdentityChangedException, or SealroomException {@code bad_key}
   */
  RSAPublicKey keyForMember(String uid, String username, Object relayedJwk);

  /**
   * Returns when no member of the room (other than this user) has a changed identity.
   *
   * @throws IdentityChangedException naming the first such member
   */
  void checkMembers(Room room, String selfId);
}
