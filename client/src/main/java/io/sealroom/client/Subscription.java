package io.sealroom.client;

import java.util.function.Consumer;

/**
 * A live subscription to one room, returned by {@link SealroomClient#subscribe}. It survives
 * reconnects: the client resubscribes with the last seq it delivered. Thread-safe.
 */
public final class Subscription implements AutoCloseable {
  private final String roomId;
  private final Consumer<Subscription> closer;
  private volatile long lastSeq;
  private volatile boolean active = true;

  Subscription(String roomId, long lastSeq, Consumer<Subscription> closer) {
    this.roomId = roomId;
    this.lastSeq = lastSeq;
    this.closer = closer;
  }

  public String roomId() {
    return roomId;
  }

  /**
   * The seq up to which every message of the room has been received (delivered, or held
   * while its key is on the way); -1 until the server confirmed the subscription of a live-only
   * subscription. Pass it as {@code since} to pick up later where this one stopped.
   */
  public long lastSeq() {
    return lastSeq;
  }

  /** False once closed, or once the server ended it (the user left or was removed). */
  public boolean isActive() {
    return active;
  }

  /** Stops delivery and unsubscribes; idempotent. */
  @Override
  public void close() {
    if (active) {
      active = false;
      closer.accept(this);
    }
  }

  void lastSeq(long seq) {
    lastSeq = seq;
  }

  void ended() {
    active = false;
  }
}
