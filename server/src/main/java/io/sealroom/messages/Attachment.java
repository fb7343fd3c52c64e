package io.sealroom.messages;

import io.vertx.core.json.JsonObject;

/**
 * A file attached to a message, as messages carry it (docs/protocol.md, "The file object"):
 * stored with the message, so history and replay need no other read. {@code name} and
 * {@code type} are null in an encrypted room (they are inside the message's ciphertext).
 */
public record Attachment(String id, String rid, long size, String sha256, String name, String type, long createdAt) {

  /** The file object of the protocol. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("id", id).put("room", rid).put("size", size).put("sha256", sha256);
    if (name != null) {
      o.put("name", name);
    }
    if (type != null) {
      o.put("type", type);
    }
    return o.put("createdAt", createdAt);
  }

  public static Attachment fromJson(JsonObject o) {
    return new Attachment(o.getString("id"), o.getString("room"), o.getLong("size", 0L), o.getString("sha256"),
        o.getString("name"), o.getString("type"), o.getLong("createdAt", 0L));
  }

  @Override
  public String toString() {
    return "Attachment[" + id + ", " + size + " bytes]"; // the name may be private
  }
}
