package io.sealroom.client;

import io.sealroom.client.crypto.B64;
import io.sealroom.client.crypto.Envelope;
import io.sealroom.client.crypto.KeyVersions;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Outgoing messages until their ack. Each gets a fresh cid that every retry reuses, so the
 * server stores it once: after a reconnect, after {@code unavailable} or {@code rate_limited},
 * and after {@code stale_key} (re-encrypted under the room's new key, or re-signed with the
 * user's new keys; nothing was stored). An encrypted send waits for the room key and names the
 * user's key version that signed it (e2e.ukid). A send with files names their ids; in an
 * encrypted room the files' descriptors (with their keys) go inside the ciphertext, next to the
 * text. Nothing is encrypted into a room where a member's identity changed
 * ({@link Trust#checkMembers}) unless the send allows it. Acks and errors are matched by cid.
 * Engine-confined.
 */
final class Sender {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_STALE_RETRIES = 5;
  private static final long RETRY_DELAY_MS = 500;

  private final ScheduledExecutorService engine;
  private final Link link;
  private final RoomDirectory rooms;
  private final KeyAgent keys;
  private final Supplier<PrivateKeys> own;
  private final Supplier<User> self;
  private final Trust trust;
  private final long timeoutMs;
  private final long keyTimeoutMs;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private PrivateKeys ukidOf;
  private String ukid;

  private static final class Pending {
    final String rid;
    final String cid;
    final String text;
    final List<FileUpload> files;
    final CompletableFuture<Ack> future;
    final boolean allowChanged;
    ScheduledFuture<?> timer;
    ScheduledFuture<?> keyTimer;
    JsonObject frame;
    int staleRetries;
    boolean reread;

    Pending(String rid, String cid, String text, List<FileUpload> files, CompletableFuture<Ack> future,
        boolean allowChanged) {
      this.rid = rid;
      this.cid = cid;
      this.text = text;
      this.files = files;
      this.future = future;
      this.allowChanged = allowChanged;
    }
  }

  Sender(ScheduledExecutorService engine, Link link, RoomDirectory rooms, KeyAgent keys, Supplier<PrivateKeys> own,
      Supplier<User> self, Trust trust, long timeoutMs, long keyTimeoutMs) {
    this.engine = engine;
    this.trust = trust;
    this.link = link;
    this.rooms = rooms;
    this.keys = keys;
    this.own = own;
    this.self = self;
    this.timeoutMs = timeoutMs;
    this.keyTimeoutMs = keyTimeoutMs;
  }

  static String newCid() {
    byte[] b = new byte[12];
    RANDOM.nextBytes(b);
    return "sdk-" + B64.encode(b);
  }

  /**
   * Sends a text (null with files only) and files (empty for none) until acked or failed. In an
   * encrypted room it fails with IdentityChangedException when a member's identity changed,
   * unless {@code allowChanged}.
   */
  void submit(String rid, String text, List<FileUpload> files, CompletableFuture<Ack> future, boolean allowChanged) {
    Pending p = new Pending(rid, newCid(), text, files, future, allowChanged);
    pending.put(p.cid, p);
    p.timer = engine.schedule(() -> fail(p, new SealroomException("timeout", "no ack within " + timeoutMs + " ms")),
        timeoutMs, TimeUnit.MILLISECONDS);
    prepare(p);
  }

  /** Builds the frame (encrypting when the room is encrypted) and sends it if the socket is up. */
  private void prepare(Pending p) {
    try {
      Room room = rooms.get(p.rid);
      checkFiles(p, room);
      if (!room.encrypted()) {
        p.frame = new JsonObject().put("op", "send").put("room", p.rid).put("cid", p.cid);
        if (p.text != null) {
          p.frame.put("text", p.text);
        }
        withFiles(p.frame, p).put("ref", p.cid);
      } else {
        p.frame = seal(p);
      }
    } catch (SealroomException e) {
      fail(p, e);
      return;
    }
    if (p.frame == null) {
      awaitKey(p);
      return;
    }
    if (p.keyTimer != null) {
      p.keyTimer.cancel(false);
      p.keyTimer = null;
    }
    if (link.isReady()) {
      link.send(p.frame);
    }
  }

  private void awaitKey(Pending p) {
    if (p.keyTimer == null) {
      p.keyTimer = engine.schedule(() -> {
        if (p.frame == null) {
          fail(p, new SealroomException("key_timeout", "the room key did not arrive within " + keyTimeoutMs + " ms"));
        }
      }, keyTimeoutMs, TimeUnit.MILLISECONDS);
    }
  }

  private JsonObject seal(Pending p) {
    PrivateKeys k = own.get();
    if (k == null) {
      throw new SealroomException("e2e_locked", "set up or unlock E2E before sending into an encrypted room");
    }
    if (!p.allowChanged) {
      Room room = rooms.get(p.rid);
      trust.checkMembers(room.members().isEmpty() ? rooms.refresh(p.rid) : room, self.get().id());
    }
    byte[] key = keys.current(p.rid);
    if (key == null) {
      keys.ensure(p.rid);
      key = keys.current(p.rid);
      if (key == null) {
        return null;
      }
    }
    JsonObject content = new JsonObject();
    if (p.text != null) {
      content.put("text", p.text);
    }
    if (!p.files.isEmpty()) {
      content.put("files", FileDescriptors.descriptors(p.files));
    }
    String plaintext = content.encode();
    Envelope.Sealed s;
    try {
      s = Envelope.seal(key, p.rid, self.get().id(), p.cid, plaintext, k.signingPrivate());
    } catch (RuntimeException e) {
      throw new SealroomException("bad_key", "could not encrypt", e);
    }
    JsonObject frame = new JsonObject().put("op", "send").put("room", p.rid).put("cid", p.cid)
        .put("e2e", new JsonObject(s.toJson()).put("ukid", ukid(k)));
    return withFiles(frame, p).put("ref", p.cid);
  }

  /** Files uploaded while the room was plain cannot go into it encrypted, nor the other way round. */
  private static void checkFiles(Pending p, Room room) {
    for (FileUpload f : p.files) {
      if (f.encrypted() != room.encrypted()) {
        throw new SealroomException("encryption_changed",
            "the room's encryption changed since the file was uploaded: upload it again");
      }
    }
  }

  private static JsonObject withFiles(JsonObject frame, Pending p) {
    return p.files.isEmpty() ? frame : frame.put("files", FileDescriptors.ids(p.files));
  }

  /** The key version of these keys (they change only with a reset and a new setup). */
  private String ukid(PrivateKeys k) {
    if (k != ukidOf) {
      ukid = KeyVersions.ukid(k);
      ukidOf = k;
    }
    return ukid;
  }

  /** The room's keys changed: sends that waited for a key are encrypted and sent now. */
  void onKeys(String rid) {
    for (Pending p : new ArrayList<>(pending.values())) {
      if (p.rid.equals(rid) && p.frame == null) {
        prepare(p);
      }
    }
  }

  /** Sends every prepared message again after a (re)connect; the cid makes this safe. */
  void onReady() {
    for (Pending p : new ArrayList<>(pending.values())) {
      if (p.frame != null) {
        link.send(p.frame);
      }
    }
  }

  /** An ack frame; true when it answered one of ours. */
  boolean onAck(JsonObject f) {
    Pending p = pending.remove(f.getString("cid", ""));
    if (p == null) {
      return false;
    }
    p.timer.cancel(false);
    if (p.keyTimer != null) {
      p.keyTimer.cancel(false);
    }
    p.future.complete(Wire.ack(f));
    return true;
  }

  /** An error frame; true when it answered one of our sends. */
  boolean onError(JsonObject f) {
    Object cid = f.getValue("cid", f.getValue("ref"));
    Pending p = cid instanceof String ? pending.get(cid) : null;
    if (p == null) {
      return false;
    }
    SealroomException e = Rest.error(0, f, "send");
    switch (e.code()) {
      case "unavailable":
      case "rate_limited":
        engine.schedule(() -> resend(p), RETRY_DELAY_MS, TimeUnit.MILLISECONDS);
        break;
      case "stale_key":
        if (++p.staleRetries > MAX_STALE_RETRIES || f.containsKey("ukid") && !keysChangedSince(p)) {
          // a ukid refusal for the keys this client holds: the user's keys were reset elsewhere
          fail(p, e);
          break;
        }
        rooms.keyId(p.rid, e.kid());
        p.frame = null;
        prepare(p);
        break;
      case "plaintext_not_allowed":
      case "encryption_not_allowed":
        // the room was converted since it was last read: read it again, once
        if (p.reread) {
          fail(p, e);
          break;
        }
        p.reread = true;
        try {
          rooms.refresh(p.rid);
        } catch (SealroomException x) {
          fail(p, x);
          break;
        }
        p.frame = null;
        prepare(p);
        break;
      default:
        fail(p, e);
    }
    return true;
  }

  /** Whether the frame was signed with keys other than the ones this client holds now. */
  private boolean keysChangedSince(Pending p) {
    PrivateKeys k = own.get();
    JsonObject e2e = p.frame == null ? null : p.frame.getJsonObject("e2e");
    return k != null && e2e != null && !ukid(k).equals(e2e.getString("ukid"));
  }

  private void resend(Pending p) {
    if (pending.get(p.cid) == p && p.frame != null && link.isReady()) {
      link.send(p.frame);
    }
  }

  private void fail(Pending p, SealroomException e) {
    if (pending.remove(p.cid) == p) {
      if (p.timer != null) {
        p.timer.cancel(false);
      }
      if (p.keyTimer != null) {
        p.keyTimer.cancel(false);
      }
      p.future.completeExceptionally(e);
    }
  }

  /** Fails everything still pending (the client closed or the session ended). */
  void failAll(SealroomException e) {
    for (Pending p : new ArrayList<>(pending.values())) {
      fail(p, e);
    }
  }
}
