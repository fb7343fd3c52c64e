package io.sealroom.rooms;

import java.util.List;

/** A room creation request as received; {@link RoomService#create} validates it. */
public record CreateRoom(String type, String name, List<String> members, Boolean encrypted) {
}
