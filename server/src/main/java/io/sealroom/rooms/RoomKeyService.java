package io.sealroom.rooms;

import io.sealroom.auth.AuthUser;
import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.keys.KeyEvents;
import io.sealroom.keys.KeyService;
import io.sealroom.keys.KeyShapes;
import io.sealroom.keys.UserKeys;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Room keys: establishing the first key (one atomic conditional update: exactly one caller
 * wins), handing it to waiting members, rotation, and the keys.needed / key notices that make
 * clients act without polling. The server only stores and routes the encrypted copies; it
 * checks kids, membership and who holds what. It reacts to users' keys ({@link KeyEvents}: new
 * keys make a user one that members can hand room keys to; a new key version is recorded in
 * each of their rooms) and to new members ({@link MembershipEvents}: they may be waiting for the
 * key). Stateless and thread-safe.
 */
public final class RoomKeyService implements KeyEvents, MembershipEvents {
  static final int MAX_KEYS_PER_CALL = 1000;

  private final RoomStore rooms;
  private final RoomKeyStore keys;
  private final KeyService userKeys;
  private final RoomService roomService;
  private final RoomEvents events;

  public RoomKeyService(RoomStore rooms, RoomKeyStore keys, KeyService userKeys, RoomService roomService,
      RoomEvents events) {
    this.rooms = rooms;
    this.keys = keys;
    this.userKeys = userKeys;
    this.roomService = roomService;
    this.events = events;
  }

  public Future<Room> establish(AuthUser caller, String rid, String kid, MemberKey key) {
    try {
      checkKey(key, kid, "key");
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    // the caller's copy is stored before the room names its kid: whatever fails in between, the
    // room never has a key id that nobody holds (a losing copy only sits unused in its history)
    return encryptedRoom(caller, rid)
        .compose(room -> userKeys.own(caller.id()).map(k -> room))
        .compose(room -> room.e2eKeyId() != null ? Future.succeededFuture((Room) null)
            : keys.setKey(rid, caller.id(), key).compose(v -> keys.establish(rid, kid)))
        .compose(room -> room != null ? Future.succeededFuture(room) : rooms.findRoom(rid).compose(r ->
            Future.failedFuture(new ApiException(ErrorCode.KEY_ID_EXISTS, "the room key was established already",
                new JsonObject().put("kid", r.e2eKeyId())))))
        .onSuccess(room -> {
          roomService.announce(room);
          notifyWaiting(room);
        });
  }

  /** The caller's key for the room's current kid, and their older keys. */
  public Future<RoomKeyStore.MemberKeys> mine(AuthUser caller, String rid) {
    return userKeys.requireEnabled().compose(v -> roomService.requireMember(caller.id(), rid))
        .compose(room -> keys.memberKeys(rid, caller.id()).compose(mk -> {
          if (mk == null) {
            return Future.failedFuture(new ApiException(ErrorCode.NOT_MEMBER, "you are not a member of this room"));
          }
          List<MemberKey> old = new ArrayList<>(mk.old());
          MemberKey current = mk.current();
          if (current != null && !current.kid().equals(room.e2eKeyId())) {
            old.add(current); // a rotation that did not finish moving it
            current = null;
          }
          if (current == null && old.isEmpty()) {
            return Future.failedFuture(new ApiException(ErrorCode.NO_KEYS, "no key of this room is stored for you yet"));
          }
          return Future.succeededFuture(new RoomKeyStore.MemberKeys(current, old));
        }));
  }

  /** Members with a public key and without the current key; the caller must hold it. */
  public Future<List<Waiting>> waiting(AuthUser caller, String rid) {
    return holder(caller, rid).compose(this::waitingOf);
  }

  /** Stores the current room key for waiting members; returns how many were stored (holders are skipped). */
  public Future<Integer> handOver(AuthUser caller, String rid, List<Grant> grants) {
    if (grants == null || grants.isEmpty() || grants.size() > MAX_KEYS_PER_CALL) {
      return Future.failedFuture(ApiException.invalid("keys", "must hold 1 to " + MAX_KEYS_PER_CALL + " keys"));
    }
    return holder(caller, rid).compose(room -> rooms.membershipsOfRoom(rid).compose(members -> {
      List<Grant> todo = new ArrayList<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int i = 0; i < grants.size(); i++) {
        Grant g = grants.get(i);
        checkKey(g.key(), g.key() == null ? null : g.key().kid(), "keys[" + i + "].key");
        if (!g.key().kid().equals(room.e2eKeyId())) {
          throw staleKey(room);
        }
        Membership target = members.stream().filter(s -> s.uid().equals(g.userId())).findFirst().orElse(null);
        if (target == null) {
          throw new ApiException(ErrorCode.NOT_MEMBER, "keys[" + i + "].userId is not a member of this room");
        }
        if (!room.e2eKeyId().equals(target.keyId()) && seen.add(g.userId())) {
          todo.add(g);
        }
      }
      List<Future<Void>> writes = todo.stream().map(g -> keys.setKey(rid, g.userId(), g.key())).toList();
      return Future.all(writes).map(v -> {
        events.keyStored(rid, room.e2eKeyId(), todo.stream().map(Grant::userId).toList());
        return todo.size();
      });
    }));
  }

  /** A new room key: conditional on previousKid; every member's key moves to their history. */
  public Future<Room> rotate(AuthUser caller, String rid, String previousKid, String kid, MemberKey key) {
    try {
      KeyShapes.checkKid(previousKid, "previousKid");
      checkKey(key, kid, "key");
      if (kid.equals(previousKid)) {
        throw ApiException.invalid("kid", "a rotation needs a new key");
      }
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return encryptedRoom(caller, rid).compose(room -> userKeys.own(caller.id()).map(room))
        .compose(room -> rooms.membershipsOfRoom(rid).compose(members -> {
          if (!previousKid.equals(room.e2eKeyId())) {
            return Future.failedFuture(staleKey(room)); // someone rotated first: fetch the new key
          }
          String reason;
          try {
            reason = rotationReason(room, members, RoomRules.find(members, caller.id()));
          } catch (ApiException e) {
            return Future.failedFuture(e);
          }
          // as in establish: the rotator holds the new key before the room names it
          return keys.setKey(rid, caller.id(), key)
              .compose(v -> keys.rotate(rid, previousKid, kid))
              .compose(rotated -> rotated == null
                  ? rooms.findRoom(rid).compose(r -> Future.failedFuture(staleKey(r)))
                  : keys.retire(rid, previousKid).map(rotated))
              .compose(rotated -> roomService.timeline().append(rid, caller.id(), caller.username(),
                  TimelineEvent.rotated(kid, reason)).map(rotated));
        })).onSuccess(room -> {
          roomService.announce(room);
          notifyWaiting(room);
        });
  }

  /**
   * Who may rotate, and why it happens: a holder of the current key who owns the room
   * ({@code owner}) or while a rotation is due after a removal ({@code member_removed}); or, when
   * no member holds the current key any more, any member with keys ({@code recovered}).
   */
  private static String rotationReason(Room room, List<Membership> members, Membership self) {
    if (self == null) {
      throw new ApiException(ErrorCode.NOT_MEMBER, "you are not a member of this room");
    }
    if (!room.e2eKeyId().equals(self.keyId())) {
      boolean anyHolder = members.stream().anyMatch(m -> room.e2eKeyId().equals(m.keyId()));
      if (anyHolder) {
        throw new ApiException(ErrorCode.FORBIDDEN, "you do not hold this room's current key");
      }
      return TimelineEvent.REASON_RECOVERED;
    }
    if (room.rotationDue()) {
      return TimelineEvent.REASON_MEMBER_REMOVED;
    }
    if (!self.isOwner()) {
      throw new ApiException(ErrorCode.NOT_OWNER, "only an owner may rotate the key unless a rotation is due");
    }
    return TimelineEvent.REASON_OWNER;
  }

  /** A member joined: the room's key holders hear that they are waiting, if they have keys. */
  @Override
  public Future<Void> memberAdded(Room room) {
    return notifyWaiting(room);
  }

  /** Tells the room's key holders who is waiting (after a join, a key upload or a new key). */
  private Future<Void> notifyWaiting(Room room) {
    if (!room.encrypted() || room.e2eKeyId() == null) {
      return Future.succeededFuture();
    }
    return waitingOf(room).compose(waiting -> {
      if (waiting.isEmpty()) {
        return Future.succeededFuture();
      }
      return rooms.membershipsOfRoom(room.id()).map(members -> {
        List<String> holders = members.stream().filter(s -> room.e2eKeyId().equals(s.keyId()))
            .map(Membership::uid).toList();
        if (!holders.isEmpty()) {
          events.keysNeeded(room.id(), holders, waiting);
        }
        return null;
      });
    });
  }

  /** A user got keys: every encrypted room of theirs with a key they lack now has them waiting. */
  @Override
  public Future<Void> keysCreated(String uid) {
    return rooms.membershipsOfUser(uid).compose(subs -> rooms.findRooms(subs.stream().map(Membership::rid).toList()))
        .compose(list -> Future.all(list.stream().map(this::notifyWaiting).toList()).mapEmpty());
  }

  /** A user set new keys after a reset: user.keys.changed in every room of theirs. */
  @Override
  public Future<Void> newVersion(String uid, String ukid) {
    return rooms.membershipsOfUser(uid).compose(subs -> Future.all(subs.stream()
        .map(s -> roomService.timeline().append(s.rid(), uid, s.username(),
            TimelineEvent.keysChanged(uid, s.username(), ukid)))
        .toList()).mapEmpty());
  }

  private Future<List<Waiting>> waitingOf(Room room) {
    return rooms.membershipsOfRoom(room.id()).compose(members -> {
      List<Membership> without = members.stream().filter(s -> !room.e2eKeyId().equals(s.keyId())).toList();
      if (without.isEmpty()) {
        return Future.succeededFuture(List.<Waiting>of());
      }
      return userKeys.publicKeys(without.stream().map(Membership::uid).toList()).map(found -> {
        List<Waiting> out = new ArrayList<>();
        for (Membership s : without) {
          UserKeys k = found.get(s.uid());
          if (k != null) {
            out.add(new Waiting(s.uid(), s.username(), k.publicKey()));
          }
        }
        return out;
      });
    });
  }

  private Future<Room> encryptedRoom(AuthUser caller, String rid) {
    return userKeys.requireEnabled().compose(v -> roomService.requireMember(caller.id(), rid)).compose(room ->
        room.encrypted() ? Future.succeededFuture(room)
            : Future.failedFuture(new ApiException(ErrorCode.ENCRYPTION_NOT_ALLOWED, "this room is not encrypted")));
  }

  /** The room, provided the caller holds its current key. */
  private Future<Room> holder(AuthUser caller, String rid) {
    return encryptedRoom(caller, rid).compose(room -> rooms.findMembership(rid, caller.id()).compose(self ->
        room.e2eKeyId() != null && room.e2eKeyId().equals(self.keyId()) ? Future.succeededFuture(room)
            : Future.failedFuture(new ApiException(ErrorCode.FORBIDDEN, "you do not hold this room's current key"))));
  }

  private static void checkKey(MemberKey key, String kid, String field) {
    KeyShapes.checkKid(kid, "kid");
    if (key == null) {
      throw ApiException.invalid(field, "is required");
    }
    if (!kid.equals(key.kid())) {
      throw ApiException.invalid(field + ".kid", "must equal kid");
    }
    if (!KeyShapes.RSA_ALG.equals(key.alg())) {
      throw ApiException.invalid(field + ".alg", "must be " + KeyShapes.RSA_ALG);
    }
    int n = io.sealroom.common.Base64Url.decodedLength(key.ct());
    if (n < 128 || n > 2048) {
      throw ApiException.invalid(field + ".ct", "must be an RSA-OAEP ciphertext in unpadded base64url");
    }
  }

  private static ApiException staleKey(Room room) {
    return new ApiException(ErrorCode.STALE_KEY, "the room's current key id is another one",
        new JsonObject().put("kid", room.e2eKeyId()));
  }

  /** One member key to hand over. */
  public record Grant(String userId, MemberKey key) {
  }
}
