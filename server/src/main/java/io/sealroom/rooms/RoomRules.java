package io.sealroom.rooms;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.config.Config;
import java.util.List;

/** Checks shared by creating and changing rooms: names and who may encrypt what. */
final class RoomRules {
  static final int MAX_NAME = 64;

  private RoomRules() {
  }

  static boolean encryptionAtCreate(Config.E2e e2e, RoomType type, Boolean requested) {
    if (requested != null) {
      checkEncryptionAllowed(e2e, type, requested);
      return requested;
    }
    if (!e2e.enabled()) {
      return false;
    }
    return (type == RoomType.PRIVATE && e2e.defaultEncryptedPrivate())
        || (type == RoomType.DIRECT && e2e.defaultEncryptedDirect());
  }

  static void checkEncryptionAllowed(Config.E2e e2e, RoomType type, boolean encrypted) {
    if (!encrypted) {
      return;
    }
    if (type == RoomType.CHANNEL) {
      throw new ApiException(ErrorCode.ENCRYPTION_NOT_ALLOWED, "public channels cannot be encrypted");
    }
    if (!e2e.enabled()) {
      throw new ApiException(ErrorCode.E2E_DISABLED, "end-to-end encryption is disabled on this server");
    }
  }

  /** Turning encryption off in an encrypted room needs e2e.allowDisable: no silent downgrade. */
  static void checkDowngrade(Config.E2e e2e, Room room, boolean encrypted) {
    if (!encrypted && room.encrypted() && !e2e.allowDisable()) {
      throw new ApiException(ErrorCode.ENCRYPTION_REQUIRED,
          "this room stays encrypted: this server does not allow turning encryption off");
    }
  }

  static String checkName(String raw) {
    String name = raw == null ? "" : raw.strip();
    if (name.isEmpty() || name.length() > MAX_NAME) {
      throw ApiException.invalid("name", "must be 1 to " + MAX_NAME + " characters");
    }
    return name;
  }

  static Membership find(List<Membership> subs, String uid) {
    return subs.stream().filter(s -> s.uid().equals(uid)).findFirst().orElse(null);
  }
}
