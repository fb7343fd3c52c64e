package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sealroom.testing.Api;
import io.sealroom.testing.NodeExtension;
import io.sealroom.testing.RawWs;
import io.sealroom.testing.WsClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A subscriber that stops reading is closed with 4008 once its queue passes ws.maxQueuedBytes; the others keep receiving. */
class SlowConsumerIT {
  @RegisterExtension
  static final NodeExtension node = NodeExtension.builder().config("ws.maxQueuedBytes", 65536).build();
  static final Api api = node.api();

  @Test
  void aReaderThatStopsReadingIsClosedWith4008AndOthersGetEverything() throws Exception {
    Api.User owner = api.newUser("slow");
    Api.User fast = api.newUser("fast");
    String rid = api.createRoom(owner, "p", "firehose", List.of(fast.username()));
    int messages = 1200;
    String text = "y".repeat(8000);
    try (RawWs stalled = new RawWs(node.port(), 4096, null);
        WsClient quick = WsClient.authed(node, fast);
        WsClient sender = WsClient.authed(node, owner)) {
      stalled.sendText(new JsonObject().put("op", "auth").put("token", owner.token()).encode());
      stalled.read(); // ready
      stalled.sendText(new JsonObject().put("op", "sub").put("room", rid).encode());
      stalled.read(); // subbed; from here on it reads nothing
      quick.send(new JsonObject().put("op", "sub").put("room", rid));
      long head = quick.awaitOp("subbed", 5).getLong("head"); // room.created
      for (int i = 0; i < messages; i++) {
        sender.send(new JsonObject().put("op", "send").put("room", rid).put("cid", "f" + i).put("text", text));
      }
      Map<Long, Integer> seen = FanoutIT.collect(quick, head, head + messages, 60);
      FanoutIT.assertExactlyOnce(seen, head, head + messages);
      assertEquals(4008, stalled.readUntilClose());
    }
  }
}
