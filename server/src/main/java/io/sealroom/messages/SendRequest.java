package io.sealroom.messages;

/** A message as a client sends it (REST or WebSocket): cid and exactly one of text and e2e. */
public record SendRequest(String rid, String cid, String text, E2ePayload e2e) {
}
