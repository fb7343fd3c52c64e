package io.sealroom.messages;

import java.util.List;

/**
 * A message as a client sends it (REST or WebSocket): cid, text or e2e, and the ids of files
 * to attach (empty for none).
 */
public record SendRequest(String rid, String cid, String text, E2ePayload e2e, List<String> files) {

  public SendRequest {
    files = files == null ? List.of() : files;
  }

  public SendRequest(String rid, String cid, String text, E2ePayload e2e) {
    this(rid, cid, text, e2e, List.of());
  }
}
