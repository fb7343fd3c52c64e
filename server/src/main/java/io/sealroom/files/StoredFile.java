package io.sealroom.files;

import io.sealroom.messages.Attachment;
import io.vertx.core.json.JsonObject;

/**
 * A stored file's metadata, as both engines keep it. {@code cid} is the client id of the message
 * that claimed it (null while unclaimed), {@code claimedAt} when (0 while unclaimed);
 * {@code attached} is set once that message is stored.
 * A file claimed but never attached (its send failed and was not retried) is collected like an
 * unclaimed one, unless its message turns out to exist.
 */
public record StoredFile(String id, String rid, String uid, long size, String sha256, String name, String type,
    long createdAt, String cid, boolean attached, long claimedAt) {

  /** A file as an upload records it (or one whose claim time does not matter). */
  public StoredFile(String id, String rid, String uid, long size, String sha256, String name, String type,
      long createdAt, String cid, boolean attached) {
    this(id, rid, uid, size, sha256, name, type, createdAt, cid, attached, 0);
  }

  public Attachment attachment() {
    return new Attachment(id, rid, size, sha256, name, type, createdAt);
  }

  /** Claimed by the message with this cid now (a retry of the same cid keeps the first claim's time). */
  public StoredFile claimedBy(String claimCid) {
    long at = claimCid.equals(cid) && claimedAt > 0 ? claimedAt : System.currentTimeMillis();
    return new StoredFile(id, rid, uid, size, sha256, name, type, createdAt, claimCid, attached, at);
  }

  public StoredFile unclaimed() {
    return new StoredFile(id, rid, uid, size, sha256, name, type, createdAt, null, attached, 0);
  }

  public StoredFile confirmed() {
    return new StoredFile(id, rid, uid, size, sha256, name, type, createdAt, cid, true, claimedAt);
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
      d.put("cid", cid).put("claimedAt", claimedAt);
    }
    return d;
  }

  public static StoredFile fromDoc(JsonObject d) {
    return new StoredFile(d.getString("_id"), d.getString("rid"), d.getString("uid"), d.getLong("size", 0L),
        d.getString("sha256"), d.getString("name"), d.getString("type"), d.getLong("createdAt", 0L),
        d.getString("cid"), d.getBoolean("attached", false), d.getLong("claimedAt", 0L));
  }

  @Override
  public String toString() {
    return "StoredFile[" + id + ", room " + rid + ", " + size + " bytes]"; // never the name
  }
}
