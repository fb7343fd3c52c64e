package io.sealroom.messages;

import java.util.List;

/** A page of history, ascending by seq, and the room's head (last assigned seq). */
public record History(List<Message> messages, long head) {
}
