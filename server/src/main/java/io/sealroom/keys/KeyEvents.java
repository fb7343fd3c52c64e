package io.sealroom.keys;

import io.vertx.core.Future;

/**
 * What the key service tells the rest of the server about users' keys, once they are stored
 * (implemented by the room key service). Called on the context of the upload that stored them;
 * an implementation must not block.
 */
public interface KeyEvents {
  /**
   * A user who had no keys stored some: their first, or their first after a reset. They may now
   * be handed the keys of their encrypted rooms. The upload does not wait for this.
   */
  Future<Void> keysCreated(String uid);

  /**
   * A user who had keys before, and reset them, stored a new key set: version {@code ukid}. The
   * upload is answered once the returned future completes. Follows {@link #keysCreated}.
   */
  Future<Void> newVersion(String uid, String ukid);
}
