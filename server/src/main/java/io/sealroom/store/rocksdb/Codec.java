package io.sealroom.store.rocksdb;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The key layout of the embedded store: one key space, each kind of record under a one-byte tag,
 * key parts separated by a zero byte (ids, usernames and cids never contain one), seqs as 8
 * big-endian bytes so that byte order is seq order. Values are the same JSON documents the
 * MongoDB engine stores, so that export and import move them between engines unchanged.
 *
 * <pre>
 * u uid            user document (account, E2E keys, session cut-off)
 * n username       uid
 * r rid            room document
 * d dmKey          rid of the direct message
 * s rid uid        membership document (role, room keys)
 * t uid rid        (empty): the user's memberships
 * m rid seq        message document
 * c uid cid        the message's m key: a retried cid is found without a scan
 * k ...            the key-transparency log (leaves, nodes, index, size, log key: RocksKtStore)
 * </pre>
 * File metadata has tags of its own (RocksFileStore).
 */
final class Codec {
  static final byte USER = 'u';
  static final byte USERNAME = 'n';
  static final byte ROOM = 'r';
  static final byte DM = 'd';
  static final byte MEMBER = 's';
  static final byte MEMBER_OF_USER = 't';
  static final byte MESSAGE = 'm';
  static final byte MESSAGE_BY_CID = 'c';
  static final byte[] EMPTY = new byte[0];

  private Codec() {
  }

  /** tag, then each part followed by a zero byte. */
  static byte[] key(byte tag, String... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    out.write(tag);
    for (String p : parts) {
      out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    return out.toByteArray();
  }

  /** The key of a room's message: "m rid" then the seq as 8 big-endian bytes. */
  static byte[] message(String rid, long seq) {
    byte[] prefix = key(MESSAGE, rid);
    byte[] k = Arrays.copyOf(prefix, prefix.length + 8);
    for (int i = 0; i < 8; i++) {
      k[prefix.length + i] = (byte) (seq >>> (56 - 8 * i));
    }
    return k;
  }

  /** The seq of a message key. */
  static long seqOf(byte[] messageKey) {
    long seq = 0;
    for (int i = messageKey.length - 8; i < messageKey.length; i++) {
      seq = (seq << 8) | (messageKey[i] & 0xff);
    }
    return seq;
  }

  /** The last zero-terminated part of a key (the rid of "t uid rid", the uid of "s rid uid"). */
  static String lastPart(byte[] key) {
    int end = key.length - 1;
    int start = end - 1;
    while (start >= 0 && key[start] != 0) {
      start--;
    }
    return new String(key, start + 1, end - start - 1, StandardCharsets.UTF_8);
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    return Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] bytes(JsonObject doc) {
    return doc.toBuffer().getBytes();
  }

  static JsonObject doc(byte[] value) {
    return new JsonObject(Buffer.buffer(value));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String string(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
