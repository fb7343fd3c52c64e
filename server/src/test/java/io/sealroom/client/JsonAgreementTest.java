package io.sealroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The SDK's own JSON tree reads and writes what the server's (Vert.x, Jackson underneath) does:
 * random documents survive server text → SDK → SDK text → server unchanged.
 */
class JsonAgreementTest {
  private static final String CHARS = "aZ09 \"\\/\n\r\t\b\f\u0000\u001f\u007fé€\u2028😀";

  @Test
  void randomDocumentsRoundTripBetweenServerAndSdk() {
    Random r = new Random(42);
    for (int n = 0; n < 2_000; n++) {
      JsonObject doc = object(r, 0);
      String serverText = doc.encode();
      String sdkText = new io.sealroom.client.json.JsonObject(serverText).encode();
      assertEquals(doc, new JsonObject(sdkText), serverText);
    }
  }

  private static JsonObject object(Random r, int depth) {
    JsonObject o = new JsonObject();
    int members = r.nextInt(depth > 3 ? 2 : 6);
    for (int i = 0; i < members; i++) {
      o.put(string(r) + i, value(r, depth + 1));
    }
    return o;
  }

  private static Object value(Random r, int depth) {
    switch (r.nextInt(depth > 3 ? 7 : 9)) {
      case 0:
        return string(r);
      case 1:
        return r.nextInt();
      case 2:
        return r.nextLong();
      case 3:
        return r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
      case 4:
        return r.nextBoolean();
      case 5:
        return null;
      case 6:
        return "";
      case 7:
        return object(r, depth);
      default:
        JsonArray a = new JsonArray();
        for (int i = r.nextInt(5); i > 0; i--) {
          a.add(value(r, depth + 1));
        }
        return a;
    }
  }

  private static String string(Random r) {
    StringBuilder b = new StringBuilder();
    for (int i = r.nextInt(12); i > 0; i--) {
      b.append(CHARS.charAt(r.nextInt(CHARS.length())));
    }
    return b.toString();
  }
}
