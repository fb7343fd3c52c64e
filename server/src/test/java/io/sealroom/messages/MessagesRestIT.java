package io.sealroom.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sending over REST, idempotent cids, history paging, search and membership checks. */
class MessagesRestIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().build();
  static final Api api = node.api();

  static Api.Res send(Api.User u, String rid, String cid, String text) {
    return api.post("/api/v1/rooms/" + rid + "/messages", u.token(), new JsonObject().put("cid", cid).put("text", text));
  }

  /** A new room's history starts with its room.created event. */
  static final long C = 1;

  static JsonObject history(Api.User u, String rid, String query) {
    Api.Res r = api.get("/api/v1/rooms/" + rid + "/messages" + query, u.token());
    assertEquals(200, r.status(), r.raw());
    return r.json();
  }

  static List<Long> seqs(JsonObject history) {
    return history.getJsonArray("messages").stream().map(o -> ((JsonObject) o).getLong("seq")).collect(Collectors.toList());
  }

  static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  static void assertError(Api.Res r, int status, String code) {
    assertEquals(status, r.status(), r.raw());
    assertEquals(code, r.errorCode(), r.raw());
  }

  @Test
  void sendAnswers201WithTheAckAndStoresTheMessage() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(alice, "p", "team", List.of(bob.username()));
    long before = System.currentTimeMillis();
    Api.Res r = send(alice, rid, "c-1", "hello bob");
    assertEquals(201, r.status(), r.raw());
    JsonObject ack = r.json();
    assertEquals("c-1", ack.getString("cid"));
    assertNotNull(ack.getString("id"));
    assertEquals(C + 1, ack.getLong("seq"));
    assertTrue(ack.getLong("ts") >= before - 1000 && ack.getLong("ts") <= System.currentTimeMillis() + 1000);
    assertEquals(C + 2, send(bob, rid, "c-1", "hi alice").json().getLong("seq"), "cids are per user");
    JsonObject h = history(bob, rid, "");
    assertEquals(C + 2, h.getLong("head"));
    JsonObject m = h.getJsonArray("messages").getJsonObject((int) C);
    assertEquals(rid, m.getString("room"));
    assertEquals(ack.getString("id"), m.getString("id"));
    assertEquals(C + 1, m.getLong("seq"));
    assertEquals(ack.getLong("ts"), m.getLong("ts"));
    assertEquals("c-1", m.getString("cid"));
    assertEquals("hello bob", m.getString("text"));
    assertEquals(new JsonObject().put("id", alice.id()).put("username", alice.username()), m.getJsonObject("from"));
  }

  @Test
  void retriedCidReturnsTheSameAckAndStoresOnce() {
    Api.User alice = api.newUser("alice");
    String rid = api.createRoom(alice, "p", "team", List.of());
    JsonObject first = send(alice, rid, "retry-1", "once").json();
    Api.Res again = send(alice, rid, "retry-1", "once");
    assertEquals(201, again.status(), again.raw());
    assertEquals(first, again.json());
    assertEquals(first, send(alice, rid, "retry-1", "changed text").json(), "the original is kept");
    JsonObject h = history(alice, rid, "");
    assertEquals(C + 1, h.getLong("head"));
    assertEquals(range(1, C + 1), seqs(h));
    assertEquals("once", h.getJsonArray("messages").getJsonObject((int) C).getString("text"));
    assertEquals(C + 2, send(alice, rid, "retry-2", "next").json().getLong("seq"));
  }

  @Test
  void concurrentRetriesOfOneCidStoreOneMessage() throws Exception {
    Api.User alice = api.newUser("alice");
    String rid = api.createRoom(alice, "p", "team", List.of());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Api.Res>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> send(alice, rid, "race", "raced")));
      }
      Set<String> ids = new java.util.HashSet<>();
      for (Future<Api.Res> f : results) {
        Api.Res r = f.get();
        assertEquals(201, r.status(), r.raw());
        ids.add(r.json().getString("id"));
      }
      assertEquals(1, ids.size());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(C + 1, history(alice, rid, "").getLong("head"));
    assertEquals(range(1, C + 1), seqs(history(alice, rid, "")));
  }

  @Test
  void concurrentSendersGetGapFreeDistinctSeqs() throws Exception {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    String rid = api.createRoom(alice, "p", "busy", List.of(bob.username()));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<Long>> seqs = new ArrayList<>();
    try {
      for (int i = 0; i < 120; i++) {
        Api.User who = i % 2 == 0 ? alice : bob;
        String cid = "busy-" + i;
        seqs.add(pool.submit(() -> {
          Api.Res r = send(who, rid, cid, "message " + cid);
          assertEquals(201, r.status(), r.raw());
          return r.json().getLong("seq");
        }));
      }
      Set<Long> got = new java.util.TreeSet<>();
      for (Future<Long> f : seqs) {
        got.add(f.get());
      }
      assertEquals(new java.util.TreeSet<>(range(C + 1, C + 120)), got);
    } finally {
      pool.shutdownNow();
    }
    JsonObject h = history(alice, rid, "?after=0&limit=200");
    assertEquals(C + 120, h.getLong("head"));
    assertEquals(range(1, C + 120), seqs(h));
  }

  @Test
  void aCidAlreadyUsedInAnotherRoomIsRefused() {
    Api.User alice = api.newUser("alice");
    String r1 = api.createRoom(alice, "p", "one", List.of());
    String r2 = api.createRoom(alice, "p", "two", List.of());
    assertEquals(201, send(alice, r1, "shared-cid", "first").status());
    assertError(send(alice, r2, "shared-cid", "second"), 400, "invalid_request");
    assertEquals(C, history(alice, r2, "").getLong("head"));
    assertEquals(C, history(alice, r2, "").getJsonArray("messages").size(), "the creation events only");
  }

  @Test
  void historyPagesBySeqAscending() {
    Api.User alice = api.newUser("alice");
    String rid = api.createRoom(alice, "p", "team", List.of());
    for (int i = 2; i <= 7; i++) { // seq 1 is room.created
      assertEquals(i, send(alice, rid, "h" + i, "message " + i).json().getLong("seq"));
    }
    JsonObject all = history(alice, rid, "");
    assertEquals(7L, all.getLong("head"));
    assertEquals(range(1, 7), seqs(all));
    assertEquals(range(3, 7), seqs(history(alice, rid, "?after=2")));
    assertEquals(range(1, 2), seqs(history(alice, rid, "?before=3")));
    assertEquals(range(3, 5), seqs(history(alice, rid, "?after=2&before=6")));
    assertEquals(range(1, 3), seqs(history(alice, rid, "?after=0&limit=3")));
    assertEquals(range(5, 7), seqs(history(alice, rid, "?limit=3")), "without after: the newest page, ascending");
    assertEquals(range(3, 4), seqs(history(alice, rid, "?before=5&limit=2")));
    JsonObject past = history(alice, rid, "?after=7");
    assertEquals(List.of(), seqs(past));
    assertEquals(7L, past.getLong("head"));
    for (String bad : new String[] {"limit=abc", "after=-1", "before=x", "after=1.5"}) {
      Api.Res r = api.get("/api/v1/rooms/" + rid + "/messages?" + bad, alice.token());
      assertError(r, 400, "invalid_request");
      String field = bad.substring(0, bad.indexOf('='));
      assertTrue(r.json().getJsonObject("error").getString("message").contains(field), r.raw());
    }
  }

  @Test
  void historyLimitIsCappedAt200() {
    Api.User alice = api.newUser("alice");
    String rid = api.createRoom(alice, "p", "long", List.of());
    for (int i = 2; i <= 205; i++) { // seq 1 is room.created
      assertEquals(201, send(alice, rid, "cap" + i, "m" + i).status());
    }
    assertEquals(range(1, 200), seqs(history(alice, rid, "?after=0&limit=1000")));
    JsonObject newest = history(alice, rid, "?limit=100000");
    assertEquals(range(6, 205), seqs(newest));
    assertEquals(205L, newest.getLong("head"));
  }

  @Test
  void nonMembersCanNeitherSendNorRead() {
    Api.User alice = api.newUser("alice");
    Api.User eve = api.newUser("eve");
    String p = api.createRoom(alice, "p", "private", List.of());
    String c = api.createRoom(alice, "c", "public", List.of());
    send(alice, p, "m1", "secret plans");
    for (String rid : new String[] {p, c}) {
      assertError(send(eve, rid, "e1", "let me in"), 403, "not_member");
      assertError(api.get("/api/v1/rooms/" + rid + "/messages", eve.token()), 403, "not_member");
    }
    assertError(send(alice, "NoSuchRoom0000000000", "m2", "hello?"), 404, "not_found");
    assertError(api.get("/api/v1/rooms/NoSuchRoom0000000000/messages", alice.token()), 404, "not_found");
    assertEquals(C + 1, history(alice, p, "").getLong("head"));
    assertEquals(C, history(alice, c, "").getLong("head"));
    // the refused cid was not taken: eve can use it once she has joined the channel
    assertEquals(200, api.post("/api/v1/rooms/" + c + "/members", eve.token(),
        new JsonObject().put("username", eve.username())).status());
    assertEquals(C + 2, send(eve, c, "e1", "joined").json().getLong("seq"), "after room.created and member.added");
  }

  @Test
  void searchFindsCaseInsensitiveSubstringsInOwnRoomsOnly() {
    Api.User alice = api.newUser("alice");
    Api.User bob = api.newUser("bob");
    Api.User eve = api.newUser("eve");
    String shared = api.createRoom(alice, "p", "shared", List.of(bob.username()));
    String evesRoom = api.createRoom(eve, "c", "eve's", List.of());
    send(alice, shared, "s1", "Hello World");
    send(bob, shared, "s2", "say HELLO again");
    send(alice, shared, "s3", "nothing to see");
    send(alice, shared, "s4", "is 1+1 (two)?");
    send(alice, shared, "s5", "11 two");
    send(eve, evesRoom, "s6", "hello from eve");
    assertEquals(Set.of("s1", "s2"), searchCids(alice, "hello"));
    assertEquals(Set.of("s1"), searchCids(bob, "wORLD"));
    assertEquals(Set.of("s4"), searchCids(alice, "1+1 (T"), "regex characters are literal");
    assertEquals(Set.of(), searchCids(alice, ".*"));
    assertEquals(Set.of("s6"), searchCids(eve, "hello"), "eve is in no room of alice's");
    JsonObject hit = api.get("/api/v1/search?q=world", alice.token()).json().getJsonArray("messages").getJsonObject(0);
    assertEquals(shared, hit.getString("room"));
    assertEquals("Hello World", hit.getString("text"));
    // after leaving, the room's messages are no longer searchable
    assertEquals(200, api.delete("/api/v1/rooms/" + shared + "/members/" + bob.id(), bob.token()).status());
    assertEquals(Set.of(), searchCids(bob, "hello"));
    assertError(api.get("/api/v1/search", alice.token()), 400, "invalid_request");
    assertError(api.get("/api/v1/search?q=", alice.token()), 400, "invalid_request");
  }

  @Test
  void searchIsCaseInsensitiveBeyondAscii() {
    Api.User alice = api.newUser("alice");
    String rid = api.createRoom(alice, "p", "intl", List.of());
    send(alice, rid, "u1", "Grüße aus Köln");
    send(alice, rid, "u2", "ΚΑΛΗΜΕΡΑ κόσμε");
    assertEquals(Set.of("u1"), searchCids(alice, "GRÜße"));
    assertEquals(Set.of("u1"), searchCids(alice, "KÖLN"));
    assertEquals(Set.of("u2"), searchCids(alice, "καλημερα"));
  }

  static Set<String> searchCids(Api.User u, String q) {
    Api.Res r = api.get("/api/v1/search?q=" + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8),
        u.token());
    assertEquals(200, r.status(), r.raw());
    JsonArray msgs = r.json().getJsonArray("messages");
    return msgs.stream().map(o -> ((JsonObject) o).getString("cid")).collect(Collectors.toSet());
  }
}
