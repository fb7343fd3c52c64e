package io.sealroom.client;

import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted {@link Trust} for unit tests of the code that asks it: records every question and
 * refuses the (uid, ukid) pairs listed in {@link #unproven}.
 */
final class FakeTrust implements Trust {
  final List<String> asked = new CopyOnWriteArrayList<>();
  final Set<String> unproven = ConcurrentHashMap.newKeySet();

  @Override
  public void proveVersion(String uid, String username, String ukid) {
    asked.add(uid + "|" + ukid);
    if (unproven.contains(uid + "|" + ukid)) {
      throw new KeyTransparencyException(uid, username, "scripted failure");
    }
  }

  @Override
  public RSAPublicKey keyForMember(String uid, String username, Object relayedJwk) {
    asked.add("member " + uid);
    return MemberKeysAccess.parse(relayedJwk);
  }

  @Override
  public void checkMembers(Room room, String selfId) {
    asked.add("room " + room.id());
  }
}
