package io.sealroom.rooms;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.config.Config;
import io.sealroom.users.UserStore;
import io.sealroom.users.Usernames;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Room rules: who may create, see, rename, convert, join and leave rooms. Every method checks
 * the caller's membership or ownership against the store. Once a change is stored, it is
 * recorded in the room's {@link Timeline} (its history) and told to the members
 * ({@link RoomEvents}); a new member is told to the {@link MembershipEvents} as well, all three
 * given at construction. Stateless and thread-safe; results complete on the caller's context.
 */
public final class RoomService {
  public static final int MAX_NAME = RoomRules.MAX_NAME;
  public static final int MAX_MEMBERS_AT_CREATE = RoomCreation.MAX_MEMBERS_AT_CREATE;

  private final RoomStore rooms;
  private final UserStore users;
  private final Config.E2e e2e;
  private final RoomEvents events;
  private final RoomCreation creation;
  private final Timeline timeline;
  private final MembershipEvents memberships;

  /**
   * {@code events} tells members of changes, {@code timeline} records them in the room's
   * history, {@code memberships} hears of new members.
   */
  public RoomService(RoomStore rooms, UserStore users, Config.E2e e2e, RoomEvents events, Timeline timeline,
      MembershipEvents memberships) {
    this.rooms = rooms;
    this.users = users;
    this.e2e = e2e;
    this.events = events;
    this.timeline = timeline;
    this.memberships = memberships;
    this.creation = new RoomCreation(rooms, users, e2e, events, timeline);
  }

  /** Where room changes are recorded (the room key service records rotations there too). */
  Timeline timeline() {
    return timeline;
  }

  /** Creates a room (or returns the existing DM: {@code created} false). */
  public Future<Created> create(AuthUser caller, CreateRoom req) {
    return creation.create(caller, req);
  }

  /** Result of {@link #create}: the room as the creator sees it, and whether it is new. */
  public record Created(RoomView view, boolean created) {
  }

  /** The caller's rooms with their own membership state. */
  public Future<List<RoomView>> listOwn(AuthUser caller) {
    return rooms.membershipsOfUser(caller.id()).compose(subs -> {
      if (subs.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return rooms.findRooms(subs.stream().map(Membership::rid).toList()).map(found -> {
        List<RoomView> out = new ArrayList<>();
        for (Room r : found) {
          out.add(new RoomView(r, null, subs.stream().filter(s -> s.rid().equals(r.id())).findFirst().orElse(null)));
        }
        out.sort((x, y) -> Long.compare(y.room().createdAt(), x.room().createdAt()));
        return out;
      });
    });
  }

  /** Room info and members: members only, except public channels. */
  public Future<RoomView> get(AuthUser caller, String rid) {
    return loadRoom(rid).compose(room -> rooms.membershipsOfRoom(rid).compose(members -> {
      Membership self = RoomRules.find(members, caller.id());
      if (self == null && room.type() != RoomType.CHANNEL) {
        return Future.failedFuture(notMember());
      }
      return Future.succeededFuture(new RoomView(room, members, self));
    }));
  }

  /** The room, provided the caller is a member (for every message-level operation). */
  public Future<Room> requireMember(String uid, String rid) {
    if (rid == null || rid.isEmpty()) {
      return Future.failedFuture(ApiException.invalid("room", "is required"));
    }
    return Future.all(loadRoom(rid), rooms.findMembership(rid, uid)).compose(cf -> {
      Room room = cf.resultAt(0);
      if (cf.resultAt(1) == null) {
        return Future.failedFuture(notMember());
      }
      return Future.succeededFuture(room);
    });
  }

  /** Rename and/or toggle encryption: owners only. */
  public Future<RoomView> update(AuthUser caller, String rid, String rawName, Boolean encrypted) {
    return requireOwner(caller, rid).compose(room -> {
      String name = null;
      try {
        if (rawName != null) {
          if (room.type() == RoomType.DIRECT) {
            throw ApiException.invalid("name", "a direct message has no name");
          }
          name = RoomRules.checkName(rawName);
        }
        if (encrypted != null) {
          RoomRules.checkEncryptionAllowed(e2e, room.type(), encrypted);
          RoomRules.checkDowngrade(e2e, room, encrypted);
        }
      } catch (ApiException e) {
        return Future.failedFuture(e);
      }
      String newName = name;
      return rooms.update(rid, name, encrypted, null)
          .compose(updated -> updated == null ? Future.succeededFuture((Room) null)
              : recordUpdate(caller, room, newName, encrypted).map(updated))
          .compose(this::notifyMembers);
    });
  }

  /** The events of a rename and of an encryption change, in the room's timeline. */
  private Future<Void> recordUpdate(AuthUser caller, Room before, String name, Boolean encrypted) {
    Future<Void> f = Future.succeededFuture();
    if (name != null && !name.equals(before.name())) {
      f = f.compose(v -> timeline.append(before.id(), caller.id(), caller.username(), TimelineEvent.renamed(name))
          .mapEmpty());
    }
    if (encrypted != null && encrypted != before.encrypted()) {
      TimelineEvent e = TimelineEvent.of(encrypted ? TimelineEvent.ENCRYPTION_ENABLED : TimelineEvent.ENCRYPTION_DISABLED);
      f = f.compose(v -> timeline.append(before.id(), caller.id(), caller.username(), e).mapEmpty());
    }
    return f;
  }

  /** Adds a member: the owner adds anyone to a group; anyone may join a public channel themselves. */
  public Future<RoomView> addMember(AuthUser caller, String rid, String username) {
    String normalized;
    try {
      normalized = Usernames.parse(username);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return loadRoom(rid).compose(room -> rooms.findMembership(rid, caller.id()).compose(self -> {
      boolean selfJoin = normalized.equals(caller.username());
      if (room.type() == RoomType.DIRECT) {
        return Future.failedFuture(new ApiException(ErrorCode.FORBIDDEN, "a direct message has exactly two members"));
      }
      if (!(selfJoin && room.type() == RoomType.CHANNEL)) {
        if (self == null) {
          return Future.failedFuture(notMember());
        }
        if (!self.isOwner()) {
          return Future.failedFuture(notOwner());
        }
      }
      return users.findByUsername(normalized).compose(u -> {
        if (u == null) {
          return Future.failedFuture(ApiException.notFound("user " + normalized));
        }
        Membership sub = new Membership(rid, u.id(), u.username(), Membership.Role.MEMBER,
            System.currentTimeMillis(), null);
        return rooms.findMembership(rid, u.id()).compose(existing -> existing != null
            ? notifyMembers(room) // a member already: nothing changes, nothing to record
            : rooms.upsertMemberships(List.of(sub))
                .compose(v -> timeline.append(rid, caller.id(), caller.username(),
                    TimelineEvent.member(TimelineEvent.MEMBER_ADDED, u.id(), u.username())))
                .compose(v -> notifyMembers(room))
                .onSuccess(v -> memberships.memberAdded(room)));
      });
    }));
  }

  /** Removes a member (owner) or leaves (self). Removing from an encrypted room marks it for key rotation. */
  public Future<Void> removeMember(AuthUser caller, String rid, String uid) {
    return loadRoom(rid).compose(room -> rooms.membershipsOfRoom(rid).compose(members -> {
      Membership self = RoomRules.find(members, caller.id());
      Membership target = RoomRules.find(members, uid);
      if (self == null) {
        return Future.failedFuture(notMember());
      }
      if (room.type() == RoomType.DIRECT) {
        return Future.failedFuture(new ApiException(ErrorCode.FORBIDDEN, "members cannot be removed from a direct message"));
      }
      if (!uid.equals(caller.id()) && !self.isOwner()) {
        return Future.failedFuture(notOwner());
      }
      if (target == null) {
        return Future.failedFuture(ApiException.notFound("member"));
      }
      if (target.isOwner() && members.stream().filter(Membership::isOwner).count() == 1 && members.size() > 1) {
        return Future.failedFuture(new ApiException(ErrorCode.FORBIDDEN,
            "the last owner cannot leave while other members remain"));
      }
      boolean left = uid.equals(caller.id());
      TimelineEvent event = TimelineEvent.member(left ? TimelineEvent.MEMBER_LEFT : TimelineEvent.MEMBER_REMOVED,
          uid, target.username());
      return rooms.deleteMembership(rid, uid)
          .compose(gone -> (room.encrypted() ? rooms.update(rid, null, null, true) : Future.succeededFuture(room))
              // a concurrent removal of the same member records it once: only the one that removed it
              .compose(updated -> gone ? timeline.append(rid, caller.id(), caller.username(), event).map(updated)
                  : Future.succeededFuture(updated)))
          .map(updated -> {
            List<String> notify = new ArrayList<>(members.stream().map(Membership::uid).toList());
            events.roomChanged(updated, notify, new RoomEvents.Removal(uid, caller.id(), caller.username()));
            return null;
          });
    }));
  }

  /** Tells the room's members that it changed (its key id, rotation state, ...). */
  public void announce(Room room) {
    notifyMembers(room);
  }

  private Future<RoomView> notifyMembers(Room room) {
    if (room == null) {
      return Future.failedFuture(ApiException.notFound("room"));
    }
    return rooms.membershipsOfRoom(room.id()).map(members -> {
      events.roomChanged(room, members.stream().map(Membership::uid).toList(), null);
      return new RoomView(room, members, null);
    });
  }

  private Future<Room> requireOwner(AuthUser caller, String rid) {
    return Future.all(loadRoom(rid), rooms.findMembership(rid, caller.id())).compose(cf -> {
      Membership self = cf.resultAt(1);
      if (self == null) {
        return Future.failedFuture(notMember());
      }
      return self.isOwner() ? Future.succeededFuture(cf.resultAt(0)) : Future.failedFuture(notOwner());
    });
  }

  private Future<Room> loadRoom(String rid) {
    return rooms.findRoom(rid).compose(r -> r == null ? Future.failedFuture(ApiException.notFound("room")) : Future.succeededFuture(r));
  }

  private static ApiException notMember() {
    return new ApiException(ErrorCode.NOT_MEMBER, "you are not a member of this room");
  }

  private static ApiException notOwner() {
    return new ApiException(ErrorCode.NOT_OWNER, "only the room owner may do this");
  }
}
