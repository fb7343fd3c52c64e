package io.sealroom.client;

import io.sealroom.client.crypto.KeyWrap;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Tunables of a {@link SealroomClient}. Start from {@link #defaults()} and change what you
 * need with the {@code with...} methods; every field has a sensible default.
 *
 * @param requestTimeout how long one REST call or the first connection may take
 * @param sendTimeout how long {@code send} keeps retrying (same cid) before it gives up
 * @param keyTimeout how long a send into an encrypted room waits for the room key
 * @param kdfIterations PBKDF2 iterations when wrapping the private keys (the server refuses
 *     fewer than its {@code e2e.minKdfIterations}, 600,000 by default)
 * @param reconnectMin first delay before reconnecting after the socket dropped
 * @param reconnectMax the delays double up to this
 * @param gapTimeout how long a missing seq may stay missing before history is consulted and,
 *     if it is absent there, skipped (the server may lose a number when it crashes)
 * @param pingInterval how often an idle socket is pinged; no answer within two intervals
 *     counts as a dropped connection
 * @param listener connection and room events; may be null
 * @param keyTransparencyState a file that keeps the last verified key-transparency head and the
 *     log key across restarts (written atomically); null keeps them in memory only, so a new
 *     client trusts the first head it sees
 */
public record ClientOptions(Duration requestTimeout, Duration sendTimeout, Duration keyTimeout, int kdfIterations,
    Duration reconnectMin, Duration reconnectMax, Duration gapTimeout, Duration pingInterval,
    ClientListener listener, Path keyTransparencyState) {

  public ClientOptions {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(sendTimeout, "sendTimeout");
    Objects.requireNonNull(keyTimeout, "keyTimeout");
    Objects.requireNonNull(reconnectMin, "reconnectMin");
    Objects.requireNonNull(reconnectMax, "reconnectMax");
    Objects.requireNonNull(gapTimeout, "gapTimeout");
    Objects.requireNonNull(pingInterval, "pingInterval");
    if (kdfIterations < 1) {
      throw new IllegalArgumentException("kdfIterations must be positive");
    }
    if (reconnectMin.isNegative() || reconnectMin.isZero() || reconnectMax.compareTo(reconnectMin) < 0) {
      throw new IllegalArgumentException("need 0 < reconnectMin <= reconnectMax");
    }
  }

  public static ClientOptions defaults() {
    return new ClientOptions(Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofSeconds(30),
        KeyWrap.DEFAULT_ITERATIONS, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofSeconds(5),
        Duration.ofSeconds(25), null, null);
  }

  public ClientOptions withRequestTimeout(Duration d) {
    return new ClientOptions(d, sendTimeout, keyTimeout, kdfIterations, reconnectMin, reconnectMax, gapTimeout,
        pingInterval, listener, keyTransparencyState);
  }

  public ClientOptions withSendTimeout(Duration d) {
    return new ClientOptions(requestTimeout, d, keyTimeout, kdfIterations, reconnectMin, reconnectMax, gapTimeout,
        pingInterval, listener, keyTransparencyState);
  }

  public ClientOptions withKeyTimeout(Duration d) {
    return new ClientOptions(requestTimeout, sendTimeout, d, kdfIterations, reconnectMin, reconnectMax, gapTimeout,
        pingInterval, listener, keyTransparencyState);
  }

  public ClientOptions withKdfIterations(int n) {
    return new ClientOptions(requestTimeout, sendTimeout, keyTimeout, n, reconnectMin, reconnectMax, gapTimeout,
        pingInterval, listener, keyTransparencyState);
  }

  public ClientOptions withReconnect(Duration min, Duration max) {
    return new ClientOptions(requestTimeout, sendTimeout, keyTimeout, kdfIterations, min, max, gapTimeout,
        pingInterval, listener, keyTransparencyState);
  }

  public ClientOptions withGapTimeout(Duration d) {
    return new ClientOptions(requestTimeout, sendTimeout, keyTimeout, kdfIterations, reconnectMin, reconnectMax, d,
        pingInterval, listener, keyTransparencyState);
  }

  public ClientOptions withPingInterval(Duration d) {
    return new ClientOptions(requestTimeout, sendTimeout, keyTimeout, kdfIterations, reconnectMin, reconnectMax,
        gapTimeout, d, listener, keyTransparencyState);
  }

  public ClientOptions withListener(ClientListener l) {
    return new ClientOptions(requestTimeout, sendTimeout, keyTimeout, kdfIterations, reconnectMin, reconnectMax,
        gapTimeout, pingInterval, l, keyTransparencyState);
  }

  /** Keeps the key-transparency state (last verified head, log key) in this file; see the record doc. */
  public ClientOptions withKeyTransparencyState(Path file) {
    return new ClientOptions(requestTimeout, sendTimeout, keyTimeout, kdfIterations, reconnectMin, reconnectMax,
        gapTimeout, pingInterval, listener, file);
  }
}
