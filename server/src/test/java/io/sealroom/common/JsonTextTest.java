package io.sealroom.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.gateway.Frames;
import io.sealroom.messages.Ack;
import io.sealroom.messages.E2ePayload;
import io.sealroom.messages.Message;
import io.sealroom.store.Docs;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written JSON of the per-message shapes reads back as what a JsonObject encodes. */
class JsonTextTest {
  private static final List<String> TRICKY = List.of("plain", "", "quote \" and \\ backslash", "line\nbreak\ttab\r\b\f",
      "\u0000\u0001\u001f control", "é ü 日本語 emoji \uD83D\uDE00", "lone \uD800 high", "lone \uDC00 low",
      "end high \uD83D", "</script> & <b>", "\u2028\u2029");

  @Test
  void stringsReadBackUnchanged() {
    for (String s : TRICKY) {
      String text = new JsonText(16).field("v", s).close();
      assertEquals(s, new JsonObject(text).getString("v"), "for " + JsonObject.of("v", s).encode());
    }
  }

  @Test
  void nestedObjectsAndNumbers() {
    String text = new JsonText(16).field("a", 1).object("b").field("c", "d").field("e", Long.MIN_VALUE).end()
        .field("f", (String) null).close();
    assertEquals(new JsonObject().put("a", 1).put("b", new JsonObject().put("c", "d").put("e", Long.MIN_VALUE))
        .putNull("f"), new JsonObject(text));
  }

  @Test
  void storedMessageIsTheDocumentBothEnginesStore() {
    for (String s : TRICKY) {
      Message plain = new Message("m1", "r1", 7, "u1", "alice", 123L, "c-1", s, null);
      assertEquals(Docs.message(plain), new JsonObject(new String(Docs.messageBytes(plain), StandardCharsets.UTF_8)));
    }
    Message enc = new Message("m2", "r1", 8, "u1", "alice", 124L, "c-2", null, new E2ePayload("k", "iv", "ct", "sig"));
    assertEquals(Docs.message(enc), new JsonObject(new String(Docs.messageBytes(enc), StandardCharsets.UTF_8)));
  }

  @Test
  void msgAndAckFramesAreByteForByteWhatJsonObjectEncodes() {
    Message plain = new Message("m1", "r1", 7, "u1", "alice", 123L, "c-1", "hello, world", null);
    assertArrayEquals(new JsonObject().put("op", "msg").mergeIn(Frames.message(plain)).toBuffer().getBytes(),
        Frames.msg(plain).getBytes());
    Message enc = new Message("m2", "r1", 8, "u1", "alice", 124L, "c-2", null, new E2ePayload("k", "iv", "ct", null));
    assertArrayEquals(new JsonObject().put("op", "msg").mergeIn(Frames.message(enc)).toBuffer().getBytes(),
        Frames.msg(enc).getBytes());
    for (String s : TRICKY) {
      Message m = new Message("m3", "r1", 9, "u1", "alice", 125L, "c-3", s, null);
      assertEquals(new JsonObject().put("op", "msg").mergeIn(Frames.message(m)), new JsonObject(Frames.msg(m)));
    }
    Ack a = new Ack("c-1", "m1", 7, 123L);
    assertEquals(new JsonObject().put("op", "ack").put("cid", "c-1").put("id", "m1").put("seq", 7).put("ts", 123L)
        .put("ref", "r-9").encode(), Frames.ack(a, "r-9").toString());
    assertEquals(new JsonObject().put("op", "ack").put("cid", "c-1").put("id", "m1").put("seq", 7).put("ts", 123L)
        .put("ref", 5).encode(), Frames.ack(a, 5).toString(), "other refs go the general way");
  }
}
