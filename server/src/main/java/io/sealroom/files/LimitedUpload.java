package io.sealroom.files;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * An upload's body on its way to storage: passes the bytes on while they keep within the file
 * size limit and the uploader's quota, hashing them (SHA-256) and reserving what they add to the
 * uploader's usage. At the first byte past a limit it stops: the refusal goes to
 * {@code onLimit} at once (the caller answers while the client is still sending), and the bytes'
 * consumer gets it as the stream's failure (so the store keeps nothing). Confined to the event
 * loop of the request it reads.
 */
final class LimitedUpload implements ReadStream<Buffer> {
  private final ReadStream<Buffer> source;
  private final long maxBytes;
  /** Bytes the uploader may still add: quota minus stored usage minus other uploads under way. */
  private final LongSupplier quotaLeft;
  private final Consumer<Long> reserve;
  private final Consumer<ApiException> onLimit;
  private final MessageDigest sha256;
  private Handler<Buffer> dataHandler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Void> endHandler;
  private long count;
  private boolean refused;
  /** Why the stream stopped before the end (a limit, or the client gone), kept for a consumer that comes later. */
  private Throwable failure;

  LimitedUpload(ReadStream<Buffer> source, long maxBytes, LongSupplier quotaLeft, Consumer<Long> reserve,
      Consumer<ApiException> onLimit) {
    this.source = source;
    this.maxBytes = maxBytes;
    this.quotaLeft = quotaLeft;
    this.reserve = reserve;
    this.onLimit = onLimit;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  long count() {
    return count;
  }

  /** Lowercase hex of the bytes passed on (call once, after the end). */
  String sha256() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  private void onData(Buffer b) {
    if (refused) {
      return;
    }
    int n = b.length();
    if (count + n > maxBytes) {
      refuse(new ApiException(ErrorCode.TOO_LARGE, "the file is larger than " + maxBytes + " bytes"));
      return;
    }
    if (n > quotaLeft.getAsLong()) {
      refuse(new ApiException(ErrorCode.QUOTA_EXCEEDED, "your stored files would pass your quota"));
      return;
    }
    count += n;
    reserve.accept((long) n);
    sha256.update(b.getBytes());
    Handler<Buffer> h = dataHandler;
    if (h != null) {
      h.handle(b);
    }
  }

  private void refuse(ApiException e) {
    refused = true;
    failure = e;
    onLimit.accept(e);
    Handler<Throwable> h = exceptionHandler;
    if (h != null) {
      h.handle(e);
    }
  }

  /**
   * The upload ends without its body (the connection closed or failed): its consumer gets the
   * failure now, or when it sets its exception handler.
   */
  void abort(Throwable t) {
    if (refused) {
      return;
    }
    refused = true;
    failure = t;
    Handler<Throwable> h = exceptionHandler;
    if (h != null) {
      h.handle(t);
    }
  }

  // Once stopped, handler changes stay here: the request's own handlers then belong to whoever
  // answers it (a refused upload's rest is read and dropped, see the gateway's refuseUpload).

  @Override
  public LimitedUpload exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    if (refused) {
      if (handler != null && failure != null) {
        handler.handle(failure);
      }
      return this;
    }
    source.exceptionHandler(handler == null ? null : t -> {
      if (!refused) {
        refused = true;
        failure = t;
        handler.handle(t);
      }
    });
    return this;
  }

  @Override
  public LimitedUpload handler(Handler<Buffer> handler) {
    this.dataHandler = handler;
    if (!refused) {
      source.handler(handler == null ? null : this::onData);
    }
    return this;
  }

  @Override
  public LimitedUpload pause() {
    if (!refused) {
      source.pause();
    }
    return this;
  }

  @Override
  public LimitedUpload resume() {
    if (!refused) {
      source.resume();
    }
    return this;
  }

  @Override
  public LimitedUpload fetch(long amount) {
    if (!refused) {
      source.fetch(amount);
    }
    return this;
  }

  @Override
  public LimitedUpload endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    if (refused) {
      return this;
    }
    source.endHandler(handler == null ? null : v -> {
      if (!refused && endHandler != null) {
        endHandler.handle(null);
      }
    });
    return this;
  }
}
