package io.sealroom.testing;

import io.vertx.core.json.JsonObject;

/** Response bodies for assertion messages, with any token redacted: test output never shows one. */
public final class Bodies {
  private Bodies() {
  }

  public static String safe(Api.Res r) {
    String raw = r.raw();
    if (raw == null || !raw.contains("token")) {
      return raw;
    }
    try {
      JsonObject o = new JsonObject(raw);
      if (o.containsKey("token")) {
        o.put("token", "<redacted>");
      }
      return o.encode();
    } catch (RuntimeException e) {
      return "<" + raw.length() + " characters mentioning a token, not shown>";
    }
  }
}
