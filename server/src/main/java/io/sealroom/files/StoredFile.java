package io.sealroom.files;

import io.sealroom.messages.Attachment;
import io.vertx.core.json.JsonObject;

/**
 * A stored file's metadata, as both engines keep it. {@code cid} is the client id of the message
 * that claimed it (null while unclaimed); {@code attached} is set once that message is stored.
 * A file claimed but never attached (its send failed and was not retried) is collected like an
 * unclaimed one, unless its message turns out to exist.
 */
public record StoredFile(String id, String rid, String uid, long size, String sha256, String name, String type,
    long createdAt, String cid, boolean attached) {

  public Attachment attachment() {
    return new Attachment(id, rid, size, sha256, name, type, createdAt);
  }

  public StoredFile claimedBy(String claimCid) {
    return new StoredFile(id, rid, uid, size, sha256, name, type, createdAt, claimCid, attached);
  }

  public StoredFile confirmed() {
    return new StoredFile(id, rid, uid, size, sha256, name, type, createdAt, cid, true);
  }

  /** The stored document (the same fields on both engines; {@code _id} is the file id). */
  public JsonObject toDoc() {
    JsonObject d = new JsonObject().put("_id", id).put("rid", rid).put("uid", uid).put("size", size)
        .put("sha256", sha256).put("createdAt", createdAt).put("attached", attached);
    if (name != null) {
      d.put("name", name);
    }
    if (type != null) {
      d.put("type", type);
    }
    if (cid != null) {
      d.put("cid", cid);
    }
    return d;
  }

  public static StoredFile fromDoc(JsonObject d) {
    return new StoredFile(d.getString("_id"), d.getString("rid"), d.getString("uid"), d.getLong("size", 0L),
        d.getString("sha256"), d.getString("name"), d.getString("type"), d.getLong("createdAt", 0L),
        d.getString("cid"), d.getBoolean("attached", false));
  }

  @Override
  public String toString() {
    return "StoredFile[" + id + ", room " + rid + ", " + size + " bytes]"; // never the name
  }
}
