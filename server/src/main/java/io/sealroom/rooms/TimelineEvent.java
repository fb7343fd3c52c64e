package io.sealroom.rooms;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Something that happened to a room, kept in its history like a message (docs/protocol.md,
 * "Timeline events"). Which fields are set depends on the type: {@code user} (id and
 * username) for member and key-change events, {@code name} for a rename, {@code kid} and
 * {@code reason} for a rotation, {@code ukid} for a key change. Never carries message content.
 */
public record TimelineEvent(String type, String userId, String username, String name, String kid, String reason,
    String ukid) {

  public static final String ROOM_CREATED = "room.created";
  public static final String MEMBER_ADDED = "member.added";
  public static final String MEMBER_REMOVED = "member.removed";
  public static final String MEMBER_LEFT = "member.left";
  public static final String ROOM_RENAMED = "room.renamed";
  public static final String ENCRYPTION_ENABLED = "encryption.enabled";
  public static final String ENCRYPTION_DISABLED = "encryption.disabled";
  public static final String KEY_ROTATED = "key.rotated";
  public static final String USER_KEYS_CHANGED = "user.keys.changed";
  public static final Set<String> TYPES = Set.of(ROOM_CREATED, MEMBER_ADDED, MEMBER_REMOVED, MEMBER_LEFT,
      ROOM_RENAMED, ENCRYPTION_ENABLED, ENCRYPTION_DISABLED, KEY_ROTATED, USER_KEYS_CHANGED);

  /** Reasons of key.rotated. */
  public static final String REASON_MEMBER_REMOVED = "member_removed";
  public static final String REASON_OWNER = "owner";
  public static final String REASON_RECOVERED = "recovered";

  public static TimelineEvent of(String type) {
    return new TimelineEvent(type, null, null, null, null, null, null);
  }

  public static TimelineEvent member(String type, String userId, String username) {
    return new TimelineEvent(type, userId, username, null, null, null, null);
  }

  public static TimelineEvent renamed(String name) {
    return new TimelineEvent(ROOM_RENAMED, null, null, name, null, null, null);
  }

  public static TimelineEvent rotated(String kid, String reason) {
    return new TimelineEvent(KEY_ROTATED, null, null, null, kid, reason, null);
  }

  public static TimelineEvent keysChanged(String userId, String username, String ukid) {
    return new TimelineEvent(USER_KEYS_CHANGED, userId, username, null, null, null, ukid);
  }

  /** The wire and stored shape: {@code {"type", "user"?:{"id","username"}, "name"?, "kid"?, "reason"?, "ukid"?}}. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("type", type);
    if (userId != null) {
      o.put("user", new JsonObject().put("id", userId).put("username", username));
    }
    if (name != null) {
      o.put("name", name);
    }
    if (kid != null) {
      o.put("kid", kid);
    }
    if (reason != null) {
      o.put("reason", reason);
    }
    if (ukid != null) {
      o.put("ukid", ukid);
    }
    return o;
  }

  /** Reads {@link #toJson()}'s shape back (null for null). */
  public static TimelineEvent fromJson(JsonObject o) {
    if (o == null) {
      return null;
    }
    JsonObject u = o.getJsonObject("user");
    return new TimelineEvent(o.getString("type"), u == null ? null : u.getString("id"),
        u == null ? null : u.getString("username"), o.getString("name"), o.getString("kid"), o.getString("reason"),
        o.getString("ukid"));
  }
}
