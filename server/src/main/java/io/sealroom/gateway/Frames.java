package io.sealroom.gateway;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ApiException;
import io.sealroom.common.JsonText;
import io.sealroom.messages.Ack;
import io.sealroom.messages.E2ePayload;
import io.sealroom.messages.Message;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomView;
import io.sealroom.rooms.Membership;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The wire shapes of the contract (docs/protocol.md): WebSocket frames and the REST objects
 * they share. The only place domain records become JSON. Field order follows the contract
 * ({@code op} first).
 */
public final class Frames {
  private Frames() {
  }

  public static JsonObject message(Message m) {
    JsonObject o = new JsonObject()
        .put("room", m.rid())
        .put("id", m.id())
        .put("seq", m.seq())
        .put("ts", m.ts());
    if (m.event() != null) {
      // an event has no cid (its stored one is internal)
      return o.put("from", new JsonObject().put("id", m.uid()).put("username", m.username()))
          .put("event", m.event().toJson());
    }
    o.put("cid", m.cid())
        .put("from", new JsonObject().put("id", m.uid()).put("username", m.username()));
    if (m.e2e() != null) {
      o.put("e2e", e2e(m.e2e()));
    } else if (m.text() != null) {
      o.put("text", m.text());
    }
    if (!m.files().isEmpty()) {
      JsonArray files = new JsonArray();
      m.files().forEach(f -> files.add(f.toJson()));
      o.put("files", files);
    }
    return o;
  }

  private static JsonObject e2e(E2ePayload e) {
    JsonObject o = new JsonObject().put("kid", e.kid()).put("iv", e.iv()).put("ct", e.ct());
    if (e.sig() != null) {
      o.put("sig", e.sig());
    }
    if (e.ukid() != null) {
      o.put("ukid", e.ukid());
    }
    return o;
  }

  /** The msg frame, encoded once per message for every subscriber (the fields of {@link #message}, op first). */
  public static Buffer msg(Message m) {
    if (m.event() != null || !m.files().isEmpty()) {
      return new JsonObject().put("op", "msg").mergeIn(message(m)).toBuffer(); // rarer: the general path
    }
    JsonText t = new JsonText(256 + (m.text() != null ? m.text().length() : m.e2e().ct().length()))
        .field("op", "msg").field("room", m.rid()).field("id", m.id()).field("seq", m.seq()).field("ts", m.ts())
        .field("cid", m.cid()).object("from").field("id", m.uid()).field("username", m.username()).end();
    if (m.e2e() != null) {
      E2ePayload e = m.e2e();
      t.object("e2e").field("kid", e.kid()).field("iv", e.iv()).field("ct", e.ct());
      if (e.sig() != null) {
        t.field("sig", e.sig());
      }
      if (e.ukid() != null) {
        t.field("ukid", e.ukid());
      }
      t.end();
    } else {
      t.field("text", m.text());
    }
    return t.buffer();
  }

  public static JsonObject room(Room r) {
    return new JsonObject()
        .put("id", r.id())
        .put("type", r.type().wire())
        .put("name", r.name())
        .put("ownerId", r.ownerId())
        .put("encrypted", r.encrypted())
        .put("e2eKeyId", r.e2eKeyId())
        .put("rotationDue", r.rotationDue())
        .put("head", r.seq());
  }

  /** A room as its caller sees it: own role and key state, members when present. */
  public static JsonObject roomView(RoomView v) {
    JsonObject o = room(v.room());
    if (v.self() != null) {
      o.put("role", v.self().role().name().toLowerCase(Locale.ROOT));
      o.put("hasKey", v.self().keyId() != null && v.self().keyId().equals(v.room().e2eKeyId()));
    }
    if (v.members() != null) {
      JsonArray members = new JsonArray();
      for (Membership s : v.members()) {
        members.add(new JsonObject().put("id", s.uid()).put("username", s.username())
            .put("role", s.role().name().toLowerCase(Locale.ROOT)));
      }
      o.put("members", members);
      // who holds the current room key (members only ever see this view)
      JsonArray holders = new JsonArray();
      String kid = v.room().e2eKeyId();
      for (Membership s : v.members()) {
        if (kid != null && kid.equals(s.keyId())) {
          holders.add(s.uid());
        }
      }
      o.put("keyHolders", holders);
    }
    return o;
  }

  public static Buffer roomEvent(Room r) {
    return new JsonObject().put("op", "room").put("room", room(r)).toBuffer();
  }

  /** The room frame to a user whose membership ended: {@code removed} says whether they left or who removed them. */
  public static Buffer roomRemoved(Room r, io.sealroom.rooms.RoomEvents.Removal removal) {
    return new JsonObject().put("op", "room").put("room", room(r))
        .put("removed", new JsonObject().put("reason", removal.left() ? "left" : "removed")
            .put("by", new JsonObject().put("id", removal.byId()).put("username", removal.byUsername())))
        .toBuffer();
  }

  public static Buffer keysNeeded(String rid, java.util.List<io.sealroom.rooms.Waiting> waiting) {
    JsonArray users = new JsonArray();
    for (io.sealroom.rooms.Waiting w : waiting) {
      users.add(waitingUser(w));
    }
    return new JsonObject().put("op", "keys.needed").put("room", rid).put("users", users).toBuffer();
  }

  /** A waiting member as keys.needed and GET e2e/waiting show it. */
  public static JsonObject waitingUser(io.sealroom.rooms.Waiting w) {
    return new JsonObject().put("id", w.uid()).put("username", w.username()).put("publicKey", publicJwk(w.publicKey()));
  }

  public static JsonObject publicJwk(io.sealroom.keys.RsaPublicJwk k) {
    return new JsonObject().put("kty", "RSA").put("alg", "RSA-OAEP-256").put("n", k.n()).put("e", k.e());
  }

  public static Buffer key(String rid, String kid) {
    return new JsonObject().put("op", "key").put("room", rid).put("kid", kid).toBuffer();
  }

  public static Buffer ready(AuthUser u, Object ref) {
    return withRef(new JsonObject().put("op", "ready")
        .put("user", new JsonObject().put("id", u.id()).put("username", u.username())), ref).toBuffer();
  }

  public static Buffer subbed(String rid, long head, Object ref) {
    return withRef(new JsonObject().put("op", "subbed").put("room", rid).put("head", head), ref).toBuffer();
  }

  public static Buffer unsubbed(String rid, Object ref) {
    return withRef(new JsonObject().put("op", "unsubbed").put("room", rid), ref).toBuffer();
  }

  public static Buffer ack(Ack a, Object ref) {
    if (ref == null || ref instanceof String) {
      JsonText t = new JsonText(128).field("op", "ack").field("cid", a.cid()).field("id", a.id()).field("seq", a.seq())
          .field("ts", a.ts());
      return (ref == null ? t : t.field("ref", (String) ref)).buffer();
    }
    return withRef(new JsonObject().put("op", "ack").put("cid", a.cid()).put("id", a.id()).put("seq", a.seq())
        .put("ts", a.ts()), ref).toBuffer();
  }

  public static Buffer pong(Object ref) {
    return withRef(new JsonObject().put("op", "pong"), ref).toBuffer();
  }

  public static Buffer typing(String rid, AuthUser u) {
    return new JsonObject().put("op", "typing").put("room", rid)
        .put("user", new JsonObject().put("id", u.id()).put("username", u.username())).toBuffer();
  }

  /** The error object shared by REST bodies ({"error": ...}) and error frames. */
  public static JsonObject errorObject(ApiException e) {
    JsonObject o = new JsonObject().put("code", e.code().code()).put("message", e.getMessage());
    if (e.details() != null) {
      o.mergeIn(e.details());
    }
    return o;
  }

  public static Buffer error(ApiException e, Object ref, String cid) {
    JsonObject o = new JsonObject().put("op", "error").mergeIn(errorObject(e));
    if (cid != null) {
      o.put("cid", cid);
    }
    return withRef(o, ref).toBuffer();
  }

  private static JsonObject withRef(JsonObject o, Object ref) {
    return ref == null ? o : o.put("ref", ref);
  }
}
