package io.sealroom.rooms;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ApiException;
import io.sealroom.common.Ids;
import io.sealroom.config.Config;
import io.sealroom.users.User;
import io.sealroom.users.UserStore;
import io.sealroom.users.Usernames;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Creating rooms: groups and channels with their first members, and direct messages, which
 * exist once per pair (a unique key on the two user ids makes a concurrent second creation
 * return the first). Stateless and thread-safe.
 */
final class RoomCreation {
  static final int MAX_MEMBERS_AT_CREATE = 500;

  private final RoomStore rooms;
  private final UserStore users;
  private final Config.E2e e2e;
  private final RoomEvents events;
  private final Timeline timeline;

  RoomCreation(RoomStore rooms, UserStore users, Config.E2e e2e, RoomEvents events, Timeline timeline) {
    this.rooms = rooms;
    this.users = users;
    this.timeline = timeline;
    this.e2e = e2e;
    this.events = events;
  }

  /** Creates a room (or returns the existing DM: {@code created} false). */
  Future<RoomService.Created> create(AuthUser caller, CreateRoom req) {
    RoomType type = RoomType.fromWire(req.type());
    if (type == null) {
      return Future.failedFuture(ApiException.invalid("type", "must be \"c\", \"p\" or \"d\""));
    }
    boolean encrypted;
    String name;
    try {
      encrypted = RoomRules.encryptionAtCreate(e2e, type, req.encrypted());
      name = type == RoomType.DIRECT ? null : RoomRules.checkName(req.name());
      checkMemberList(type, req.members());
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return resolveUsers(req.members(), caller).compose(others -> {
      if (type != RoomType.DIRECT) {
        return createGroup(caller, type, name, encrypted, others);
      }
      return others.isEmpty()
          ? Future.failedFuture(ApiException.invalid("members", "a direct message needs another user than yourself"))
          : createDirect(caller, others.get(0), encrypted);
    });
  }

  private Future<RoomService.Created> createGroup(AuthUser caller, RoomType type, String name, boolean encrypted, List<User> others) {
    long now = System.currentTimeMillis();
    Room room = new Room(Ids.newId(), type, name, caller.id(), encrypted, null, false, 0, now, null);
    List<Membership> subs = new ArrayList<>();
    subs.add(new Membership(room.id(), caller.id(), caller.username(), Membership.Role.OWNER, now, null));
    for (User u : others) {
      subs.add(new Membership(room.id(), u.id(), u.username(), Membership.Role.MEMBER, now, null));
    }
    return rooms.insertRoom(room)
        .compose(v -> rooms.upsertMemberships(subs))
        .compose(v -> recordCreated(caller, room))
        .map(headed -> {
          events.roomChanged(headed, subs.stream().map(Membership::uid).toList(), null);
          return new RoomService.Created(new RoomView(headed, subs, subs.get(0)), true);
        });
  }

  /**
   * room.created, then encryption.enabled for a room created encrypted; the room with its head
   * at the last of them, so that the creator's answer and the members' room frame count them.
   */
  private Future<Room> recordCreated(AuthUser caller, Room room) {
    Future<Long> f = timeline.append(room.id(), caller.id(), caller.username(), TimelineEvent.of(TimelineEvent.ROOM_CREATED));
    if (room.encrypted()) {
      f = f.compose(v -> timeline.append(room.id(), caller.id(), caller.username(), TimelineEvent.of(TimelineEvent.ENCRYPTION_ENABLED)));
    }
    return f.map(room::withSeqAtLeast);
  }

  private Future<RoomService.Created> createDirect(AuthUser caller, User other, boolean encrypted) {
    String a = caller.id().compareTo(other.id()) < 0 ? caller.id() : other.id();
    String dmKey = a + ":" + (a.equals(caller.id()) ? other.id() : caller.id());
    long now = System.currentTimeMillis();
    Room room = new Room(Ids.newId(), RoomType.DIRECT, null, caller.id(), encrypted, null, false, 0, now, dmKey);
    // both participants own a DM: either may convert it
    List<Membership> subs = List.of(
        new Membership(room.id(), caller.id(), caller.username(), Membership.Role.OWNER, now, null),
        new Membership(room.id(), other.id(), other.username(), Membership.Role.OWNER, now, null));
    return rooms.findDm(dmKey).compose(existing -> {
      if (existing != null) {
        return existingDm(caller, existing);
      }
      return rooms.insertRoom(room)
          .compose(v -> rooms.upsertMemberships(subs))
          .compose(v -> recordCreated(caller, room))
          .map(headed -> {
            events.roomChanged(headed, List.of(caller.id(), other.id()), null);
            return new RoomService.Created(new RoomView(headed, subs, subs.get(0)), true);
          })
          .recover(t -> t instanceof RoomStore.DmExists
              ? rooms.findDm(dmKey).compose(r -> existingDm(caller, r))
              : Future.failedFuture(t));
    });
  }

  private Future<RoomService.Created> existingDm(AuthUser caller, Room room) {
    return rooms.membershipsOfRoom(room.id()).map(members -> new RoomService.Created(
        new RoomView(room, members, RoomRules.find(members, caller.id())), false));
  }

  private Future<List<User>> resolveUsers(List<String> usernames, AuthUser caller) {
    Set<String> names = new LinkedHashSet<>();
    try {
      for (String n : usernames == null ? List.<String>of() : usernames) {
        String u = Usernames.parse(n);
        if (!u.equals(caller.username())) {
          names.add(u);
        }
      }
    } catch (ApiException e) {
      return Future.failedFuture(ApiException.invalid("members", e.getMessage()));
    }
    List<Future<User>> lookups = names.stream().map(users::findByUsername).toList();
    return Future.all(lookups).compose(cf -> {
      List<User> out = new ArrayList<>();
      int i = 0;
      for (String n : names) {
        User u = cf.resultAt(i++);
        if (u == null) {
          return Future.failedFuture(ApiException.notFound("user " + n));
        }
        out.add(u);
      }
      return Future.succeededFuture(out);
    });
  }

  private static void checkMemberList(RoomType type, List<String> members) {
    int n = members == null ? 0 : members.size();
    if (type == RoomType.DIRECT && n != 1) {
      throw ApiException.invalid("members", "a direct message needs exactly one other username");
    }
    if (n > MAX_MEMBERS_AT_CREATE) {
      throw ApiException.invalid("members", "at most " + MAX_MEMBERS_AT_CREATE + " at creation");
    }
  }
}
