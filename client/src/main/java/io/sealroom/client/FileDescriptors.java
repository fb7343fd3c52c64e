package io.sealroom.client;

import io.sealroom.client.crypto.FileCrypto;
import io.sealroom.client.crypto.FileKey;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Files of the wire contract (docs/protocol.md, "Files"): the server's file objects of a plain
 * room's message, the descriptors inside an encrypted message's plaintext, and the ids a send
 * carries. A descriptor that is not well formed (an id that is not 20 letters and digits, a key
 * that is not 32 bytes, another chunk size, a SHA-256 that is not hex ...) is left out: it could
 * not be downloaded. The names read lose their bidirectional controls, which could make a name
 * read as another ("invoice", U+202E, "fdp.exe" shows as "invoiceexe.pdf"). Stateless.
 */
final class FileDescriptors {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{20}");
  /** The bidirectional embeddings, overrides, isolates and marks (regex escapes: no such character in the source). */
  private static final Pattern BIDI = Pattern.compile("[\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C]");

  private FileDescriptors() {
  }

  /** The server's file objects of a message ({@code files}), as plain-room attachments. */
  static List<Attachment> plain(JsonArray files) {
    List<Attachment> out = new ArrayList<>();
    for (JsonObject f : objects(files)) {
      String id = string(f, "id");
      Long size = integer(f, "size");
      String sha = string(f, "sha256");
      if (id != null && size != null && size >= 0 && FileCrypto.isSha256(sha)) {
        out.add(new Attachment(id, name(f), string(f, "type"), size, sha, null, null, null, 0, 0));
      }
    }
    return out;
  }

  /**
   * The descriptors of a decrypted plaintext's {@code files}, with the SHA-256 of the server's
   * file object of the same id where the message carried one (a download compares them).
   */
  static List<Attachment> encrypted(JsonArray descriptors, JsonArray serverFiles) {
    Map<String, String> serverSha = new HashMap<>();
    for (JsonObject f : objects(serverFiles)) {
      String id = string(f, "id");
      if (id != null) {
        serverSha.put(id, string(f, "sha256"));
      }
    }
    List<Attachment> out = new ArrayList<>();
    for (JsonObject d : objects(descriptors)) {
      Attachment a = descriptor(d, serverSha, true);
      if (a != null) {
        out.add(a);
      }
    }
    return out;
  }

  private static Attachment descriptor(JsonObject d, Map<String, String> serverSha, boolean withThumb) {
    String id = string(d, "id");
    Long size = integer(d, "size");
    Long chunk = integer(d, "chunk");
    String sha = string(d, "sha256");
    String key = string(d, "key");
    String prefix = string(d, "prefix");
    if (id == null || !ID.matcher(id).matches() || size == null || size < 0 || chunk == null
        || chunk != FileCrypto.CHUNK || !FileCrypto.isSha256(sha) || key == null || prefix == null) {
      return null;
    }
    FileKey k;
    try {
      k = FileKey.fromBase64(key, prefix);
    } catch (IllegalArgumentException e) {
      return null;
    }
    Attachment thumb = null;
    Object t = d.getValue("thumb");
    if (withThumb && t instanceof JsonObject) {
      thumb = descriptor((JsonObject) t, serverSha, false);
    }
    int w = withThumb ? 0 : dimension(d, "w");
    int h = withThumb ? 0 : dimension(d, "h");
    return new Attachment(id, withThumb ? name(d) : null, string(d, "type"), size, sha, k,
        serverSha.get(id), thumb, w, h);
  }

  /** The descriptors of an encrypted message's plaintext. */
  static JsonArray descriptors(List<FileUpload> files) {
    JsonArray out = new JsonArray();
    for (FileUpload u : files) {
      JsonObject d = descriptor(u);
      if (u.name() != null) {
        d.put("name", u.name());
      }
      if (u.thumbnail() != null) {
        d.put("thumb", descriptor(u.thumbnail()).put("w", u.width()).put("h", u.height()));
      }
      out.add(d);
    }
    return out;
  }

  private static JsonObject descriptor(FileUpload u) {
    JsonObject d = new JsonObject().put("id", u.id());
    if (u.type() != null) {
      d.put("type", u.type());
    }
    return d.put("size", u.size()).put("key", u.key().keyBase64()).put("prefix", u.key().prefixBase64())
        .put("chunk", FileCrypto.CHUNK).put("sha256", u.storedSha256());
  }

  /** The ids a send carries: every file and every thumbnail, in order. */
  static JsonArray ids(List<FileUpload> files) {
    JsonArray out = new JsonArray();
    for (FileUpload u : files) {
      out.add(u.id());
      if (u.thumbnail() != null) {
        out.add(u.thumbnail().id());
      }
    }
    return out;
  }

  private static List<JsonObject> objects(JsonArray a) {
    List<JsonObject> out = new ArrayList<>();
    if (a != null) {
      for (Object o : a) {
        if (o instanceof JsonObject) {
          out.add((JsonObject) o);
        }
      }
    }
    return out;
  }

  private static String string(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof String ? (String) v : null;
  }

  /** The name, without bidirectional controls; null when none is given or nothing is left. */
  private static String name(JsonObject o) {
    String n = string(o, "name");
    if (n == null) {
      return null;
    }
    n = BIDI.matcher(n).replaceAll("");
    return n.isEmpty() ? null : n;
  }

  private static Long integer(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof Integer || v instanceof Long ? ((Number) v).longValue() : null;
  }

  private static int dimension(JsonObject o, String key) {
    Long v = integer(o, key);
    return v == null || v < 0 || v > Integer.MAX_VALUE ? 0 : v.intValue();
  }
}
