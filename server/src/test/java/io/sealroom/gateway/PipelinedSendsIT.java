package io.sealroom.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.sealroom.testing.Api;
import io.sealroom.testing.JarProcess;
import io.sealroom.testing.RawWs;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client pipelines a thousand sends in one write, right behind its auth: while the first send
 * reads its room from the store, up to 255 more wait for it on the connection. Every one is
 * acknowledged, numbered in the order it was made. The packaged node runs with a small thread
 * stack: admitting the waiting sends with one nested call per send overflowed the stack (at about
 * 250 sends on the default stack, 50 on this one), which lost the next send's place without an
 * error and stalled the connection for good.
 */
class PipelinedSendsIT {
  @TempDir
  Path tmp;

  @Test
  void aThousandPipelinedSendsAreAllAcknowledgedInTheirOrder() throws Exception {
    int sends = 1000;
    int port = JarProcess.freePort();
    Map<String, String> env = Map.of("SEALROOM_STORE_DATADIR", "mem:", "JAVA_TOOL_OPTIONS", "-Xss256k");
    try (JarProcess server = JarProcess.start(port, env, tmp.resolve("server.log"))) {
      Api api = new Api(server.baseUrl());
      Api.User user = api.newUser("pipeliner");
      String rid = api.createRoom(user, "p", "pipeline", List.of());
      try (RawWs ws = new RawWs(port, 0, null)) {
        List<String> frames = new ArrayList<>();
        frames.add(new JsonObject().put("op", "auth").put("token", user.token()).encode());
        for (int i = 0; i < sends; i++) {
          frames.add(new JsonObject().put("op", "send").put("room", rid).put("cid", "p" + i)
              .put("text", "pipelined " + i).encode());
        }
        ws.sendTexts(frames);
        Map<String, Long> seqs = new HashMap<>();
        while (seqs.size() < sends) {
          RawWs.Frame f;
          try {
            f = ws.read();
          } catch (java.net.SocketTimeoutException e) {
            fail("stalled: " + seqs.size() + " of " + sends + " sends acknowledged, nothing more for 20 s");
            return;
          }
          if (f.opcode() == 8) {
            fail("closed with " + f.closeCode() + " after " + seqs.size() + " acks");
          }
          JsonObject frame = new JsonObject(f.text());
          if ("error".equals(frame.getString("op"))) {
            fail("error after " + seqs.size() + " acks: " + frame.encode());
          }
          if ("ack".equals(frame.getString("op"))) {
            seqs.put(frame.getString("cid"), frame.getLong("seq"));
          }
        }
        for (int i = 0; i < sends; i++) {
          assertEquals(i + 2L, seqs.get("p" + i), "seq of send " + i + " (room.created is seq 1)");
        }
      }
    }
  }
}
