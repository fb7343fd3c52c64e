package io.sealroom.client;

/** The server's acknowledgement of a stored message: its id, room sequence number and time. */
public record Ack(String cid, String id, long seq, long ts) {
}
