package io.sealroom.client;

import io.sealroom.client.crypto.Envelope;
import io.sealroom.client.json.JsonArray;
import io.sealroom.client.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** JSON of the wire contract to and from the SDK's records. Stateless. */
final class Wire {
  private Wire() {
  }

  static User user(JsonObject o) {
    return new User(o.getString("id", o.getString("userId")), o.getString("username"));
  }

  static Room room(JsonObject o) {
    List<Member> members = new ArrayList<>();
    JsonArray ms = o.getJsonArray("members");
    if (ms != null) {
      for (int i = 0; i < ms.size(); i++) {
        JsonObject m = ms.getJsonObject(i);
        members.add(new Member(m.getString("id"), m.getString("username"), m.getString("role")));
      }
    }
    return new Room(o.getString("id"), RoomType.of(o.getString("type")), o.getString("name"),
        o.getString("ownerId"), o.getBoolean("encrypted", false), o.getString("e2eKeyId"),
        o.getBoolean("rotationDue", false), o.getLong("head", 0L), o.getString("role"), o.getBoolean("hasKey"),
        members, strings(o.getJsonArray("keyHolders")));
  }

  private static List<String> strings(JsonArray a) {
    if (a == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      out.add(a.getString(i));
    }
    return out;
  }

  static List<Room> rooms(JsonObject o) {
    List<Room> out = new ArrayList<>();
    JsonArray rs = o.getJsonArray("rooms", new JsonArray());
    for (int i = 0; i < rs.size(); i++) {
      out.add(room(rs.getJsonObject(i)));
    }
    return out;
  }

  static JsonObject newRoom(NewRoom r) {
    JsonObject o = new JsonObject().put("type", r.type().code()).put("members", new JsonArray(r.members()));
    if (r.name() != null) {
      o.put("name", r.name());
    }
    if (r.encrypted() != null) {
      o.put("encrypted", r.encrypted());
    }
    return o;
  }

  static Ack ack(JsonObject o) {
    return new Ack(o.getString("cid"), o.getString("id"), o.getLong("seq"), o.getLong("ts"));
  }

  /** A plain-text message or a timeline event (msg frame or history entry) as the handler sees it. */
  static ChatMessage plain(JsonObject m) {
    RoomEvent event = event(m.getJsonObject("event"));
    if (event != null) {
      return new ChatMessage(m.getString("room"), m.getString("id"), m.getLong("seq"), m.getLong("ts"), null,
          user(m.getJsonObject("from")), null, false, null, ChatMessage.State.EVENT, event, List.of());
    }
    String text = m.getString("text");
    return new ChatMessage(m.getString("room"), m.getString("id"), m.getLong("seq"), m.getLong("ts"),
        m.getString("cid"), user(m.getJsonObject("from")), text, false, null,
        text == null ? ChatMessage.State.NO_TEXT : ChatMessage.State.TEXT, null,
        FileDescriptors.plain(m.getJsonArray("files")));
  }

  /**
   * A decrypted message with its text (null when the plaintext carries none), its files (the
   * plaintext's descriptors) and its verification.
   */
  static ChatMessage opened(JsonObject m, String text, List<Attachment> files, Envelope.Verification v) {
    return new ChatMessage(m.getString("room"), m.getString("id"), m.getLong("seq"), m.getLong("ts"),
        m.getString("cid"), user(m.getJsonObject("from")), text, true, v,
        text == null ? ChatMessage.State.NO_TEXT : ChatMessage.State.TEXT, null, files);
  }

  /** An encrypted message that cannot be read, and why (KEY_LOST or UNDECRYPTABLE). */
  static ChatMessage unreadable(JsonObject m, ChatMessage.State why) {
    return new ChatMessage(m.getString("room"), m.getString("id"), m.getLong("seq"), m.getLong("ts"),
        m.getString("cid"), user(m.getJsonObject("from")), null, true, null, why, null, List.of());
  }

  /** The {@code removed} member of a room frame ({@code {reason, by}}), or null. */
  static Removal removal(JsonObject o) {
    if (o == null) {
      return null;
    }
    JsonObject by = o.getJsonObject("by");
    return new Removal("left".equals(o.getString("reason")) ? Removal.Reason.LEFT : Removal.Reason.REMOVED,
        by == null || by.getString("id") == null ? null : user(by));
  }

  /** The {@code event} member of a msg frame, or null. */
  static RoomEvent event(JsonObject e) {
    if (e == null || e.getString("type") == null) {
      return null;
    }
    JsonObject u = e.getJsonObject("user");
    return new RoomEvent(e.getString("type"), u == null || u.getString("id") == null ? null : user(u),
        e.getString("name"), e.getString("kid"), e.getString("reason"), e.getString("ukid"));
  }
}
