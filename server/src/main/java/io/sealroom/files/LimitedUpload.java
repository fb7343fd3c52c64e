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
    onLimit.accept(e);
    Handler<Throwable> h = exceptionHandler;
    if (h != null) {
      h.handle(e);
    }
  }

  @Override
  public LimitedUpload exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler == null ? null : t -> {
      if (!refused) {
        refused = true;
        handler.handle(t);
      }
    });
    return this;
  }

  @Override
  public LimitedUpload handler(Handler<Buffer> handler) {
    this.dataHandler = handler;
    source.handler(handler == null ? null : this::onData);
    return this;
  }

  @Override
  public LimitedUpload pause() {
    source.pause();
    return this;
  }

  @Override
  public LimitedUpload resume() {
    source.resume();
    return this;
  }

  @Override
  public LimitedUpload fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public LimitedUpload endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    source.endHandler(handler == null ? null : v -> {
      if (!refused && endHandler != null) {
        endHandler.handle(null);
      }
    });
    return this;
  }
}
