package io.sealroom.rooms;

import java.util.List;

/**
 * A room as one caller sees it: the room, its members when asked for (else null) and the
 * caller's own membership (null for a non-member looking at a public channel).
 */
public record RoomView(Room room, List<Membership> members, Membership self) {
}
