package io.sealroom.messages;

import io.vertx.core.Future;

/**
 * Whether a key version an encrypted send names is its sender's current one (implemented by the
 * key service). Completes on the caller's context; must not block.
 */
@FunctionalInterface
public interface KeyVersionCheck {
  /** Succeeds when {@code ukid} is the user's current key version; fails stale_key when it is not. */
  Future<Void> checkCurrent(String uid, String ukid);
}
