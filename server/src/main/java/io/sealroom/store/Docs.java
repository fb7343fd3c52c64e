package io.sealroom.store;

import io.sealroom.keys.RsaPublicJwk;
import io.sealroom.keys.SigningJwk;
import io.sealroom.keys.UserKeys;
import io.sealroom.keys.WrappedPrivateKey;
import io.sealroom.messages.E2ePayload;
import io.sealroom.messages.Message;
import io.sealroom.rooms.MemberKey;
import io.sealroom.rooms.Room;
import io.sealroom.rooms.RoomType;
import io.sealroom.rooms.Membership;
import io.sealroom.rooms.TimelineEvent;
import io.sealroom.users.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The stored shape of each record, the same in both engines (MongoDB documents, RocksDB values),
 * so that export and import move documents between engines unchanged. See the data model in
 * docs/configuration.md ("Moving data").
 */
public final class Docs {
  private Docs() {
  }

  public static JsonObject user(User u) {
    return new JsonObject()
        .put("_id", u.id())
        .put("username", u.username())
        .put("passwordHash", u.passwordHash())
        .put("roles", new JsonArray(u.roles()))
        .put("e2eFp", "") // no E2E keys yet: uploads are conditional on this fingerprint
        .put("createdAt", u.createdAt());
  }

  public static User toUser(JsonObject d) {
    List<String> roles = new ArrayList<>();
    d.getJsonArray("roles", new JsonArray()).forEach(r -> roles.add(String.valueOf(r)));
    return new User(d.getString("_id"), d.getString("username"), d.getString("passwordHash"), roles,
        d.getLong("createdAt", 0L));
  }

  /** A user's keys as the {@code e2e} field of their document. */
  public static JsonObject e2e(UserKeys k) {
    JsonObject e2e = new JsonObject()
        .put("publicKey", new JsonObject().put("kty", "RSA").put("alg", "RSA-OAEP-256")
            .put("n", k.publicKey().n()).put("e", k.publicKey().e()))
        .put("privateKey", new JsonObject().put("v", k.privateKey().v()).put("kdf", k.privateKey().kdf())
            .put("iter", k.privateKey().iter()).put("salt", k.privateKey().salt()).put("alg", k.privateKey().alg())
            .put("iv", k.privateKey().iv()).put("ct", k.privateKey().ct()))
        .put("updatedAt", k.updatedAt());
    if (k.signingKey() != null) {
      e2e.put("signingKey", new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", k.signingKey().x()));
    }
    return e2e;
  }

  public static UserKeys toKeys(JsonObject e) {
    if (e == null) {
      return null;
    }
    JsonObject pub = e.getJsonObject("publicKey");
    JsonObject priv = e.getJsonObject("privateKey");
    JsonObject sig = e.getJsonObject("signingKey");
    return new UserKeys(new RsaPublicJwk(pub.getString("n"), pub.getString("e")),
        new WrappedPrivateKey(priv.getInteger("v"), priv.getString("kdf"), priv.getInteger("iter"),
            priv.getString("salt"), priv.getString("alg"), priv.getString("iv"), priv.getString("ct")),
        sig == null ? null : new SigningJwk(sig.getString("x")), e.getLong("updatedAt", 0L));
  }

  public static JsonObject room(Room r) {
    JsonObject doc = new JsonObject()
        .put("_id", r.id())
        .put("type", r.type().wire())
        .put("name", r.name())
        .put("ownerId", r.ownerId())
        .put("encrypted", r.encrypted())
        .put("e2eKeyId", r.e2eKeyId())
        .put("rotationDue", r.rotationDue())
        .put("seq", r.seq())
        .put("createdAt", r.createdAt());
    if (r.dmKey() != null) {
      doc.put("dmKey", r.dmKey());
    }
    return doc;
  }

  public static Room toRoom(JsonObject d) {
    return new Room(d.getString("_id"), RoomType.fromWire(d.getString("type")), d.getString("name"),
        d.getString("ownerId"), d.getBoolean("encrypted", false), d.getString("e2eKeyId"),
        d.getBoolean("rotationDue", false), d.getLong("seq", 0L), d.getLong("createdAt", 0L), d.getString("dmKey"));
  }

  /** A new membership: no room key yet. */
  public static JsonObject subscription(Membership s) {
    return new JsonObject()
        .put("_id", s.rid() + ":" + s.uid())
        .put("rid", s.rid())
        .put("uid", s.uid())
        .put("username", s.username())
        .put("role", s.role().name().toLowerCase(Locale.ROOT))
        .put("joinedAt", s.joinedAt())
        .putNull("e2eKey")
        .put("oldE2eKeys", new JsonArray());
  }

  public static Membership toMembership(JsonObject d) {
    JsonObject key = d.getJsonObject("e2eKey");
    return new Membership(d.getString("rid"), d.getString("uid"), d.getString("username"),
        "owner".equals(d.getString("role")) ? Membership.Role.OWNER : Membership.Role.MEMBER,
        d.getLong("joinedAt", 0L), key == null ? null : key.getString("kid"));
  }

  public static JsonObject memberKey(MemberKey k) {
    return new JsonObject().put("kid", k.kid()).put("alg", k.alg()).put("ct", k.ct());
  }

  public static MemberKey toMemberKey(JsonObject o) {
    return o == null ? null : new MemberKey(o.getString("kid"), o.getString("alg"), o.getString("ct"));
  }

  /** The member's older keys, as stored in {@code oldE2eKeys}. */
  public static List<MemberKey> oldMemberKeys(JsonObject sub) {
    List<MemberKey> old = new ArrayList<>();
    for (Object o : sub.getJsonArray("oldE2eKeys", new JsonArray())) {
      if (o instanceof JsonObject) {
        old.add(toMemberKey((JsonObject) o));
      }
    }
    return old;
  }

  /** "rid:seq", a message's _id. */
  public static String messageId(String rid, long seq) {
    return rid + ":" + seq;
  }

  /** Encrypted messages carry no text field, so text search can never match them. */
  public static JsonObject message(Message m) {
    JsonObject doc = new JsonObject()
        .put("_id", messageId(m.rid(), m.seq()))
        .put("mid", m.id())
        .put("rid", m.rid())
        .put("seq", m.seq())
        .put("uid", m.uid())
        .put("username", m.username())
        .put("ts", m.ts())
        .put("cid", m.cid());
    if (m.event() != null) {
      doc.put("t", "event").put("event", m.event().toJson());
    } else if (m.e2e() != null) {
      JsonObject e2e = new JsonObject().put("kid", m.e2e().kid()).put("iv", m.e2e().iv()).put("ct", m.e2e().ct());
      if (m.e2e().sig() != null) {
        e2e.put("sig", m.e2e().sig());
      }
      if (m.e2e().ukid() != null) {
        e2e.put("ukid", m.e2e().ukid());
      }
      doc.put("t", "e2e").put("e2e", e2e);
    } else if (m.text() != null) {
      doc.put("text", m.text());
    }
    if (!m.files().isEmpty()) {
      io.vertx.core.json.JsonArray files = new io.vertx.core.json.JsonArray();
      m.files().forEach(f -> files.add(f.toJson()));
      doc.put("files", files);
    }
    return doc;
  }

  /** {@link #message(Message)} as UTF-8 JSON text, written directly (the stored value of every message). */
  public static byte[] messageBytes(Message m) {
    if (m.event() != null || !m.files().isEmpty()) {
      return message(m).toBuffer().getBytes(); // events and files are rarer: the general path
    }
    io.sealroom.common.JsonText t = new io.sealroom.common.JsonText(
        256 + (m.text() != null ? m.text().length() : m.e2e().ct().length()))
        .field("_id", messageId(m.rid(), m.seq())).field("mid", m.id()).field("rid", m.rid()).field("seq", m.seq())
        .field("uid", m.uid()).field("username", m.username()).field("ts", m.ts()).field("cid", m.cid());
    if (m.e2e() != null) {
      t.field("t", "e2e").object("e2e").field("kid", m.e2e().kid()).field("iv", m.e2e().iv()).field("ct", m.e2e().ct());
      if (m.e2e().sig() != null) {
        t.field("sig", m.e2e().sig());
      }
      if (m.e2e().ukid() != null) {
        t.field("ukid", m.e2e().ukid());
      }
      t.end();
    } else {
      t.field("text", m.text());
    }
    return t.utf8();
  }

  public static Message toMessage(JsonObject d) {
    JsonObject e = d.getJsonObject("e2e");
    E2ePayload e2e = e == null ? null
        : new E2ePayload(e.getString("kid"), e.getString("iv"), e.getString("ct"), e.getString("sig"),
            e.getString("ukid"));
    TimelineEvent event = TimelineEvent.fromJson(d.getJsonObject("event"));
    long seq = d.getLong("seq", 0L);
    io.vertx.core.json.JsonArray fs = d.getJsonArray("files");
    List<io.sealroom.messages.Attachment> files = new java.util.ArrayList<>();
    if (fs != null) {
      for (int i = 0; i < fs.size(); i++) {
        files.add(io.sealroom.messages.Attachment.fromJson(fs.getJsonObject(i)));
      }
    }
    return new Message(d.getString("mid"), d.getString("rid"), Math.max(seq, 0), d.getString("uid"),
        d.getString("username"), d.getLong("ts"), d.getString("cid"),
        e2e == null && event == null ? d.getString("text") : null, e2e, event, files);
  }
}
