package io.sealroom.client;

import io.sealroom.client.crypto.KeyVersions;
import io.sealroom.client.crypto.PrivateKeys;
import io.sealroom.client.crypto.VerifiedBlob;
import io.sealroom.client.json.JsonObject;
import java.security.GeneralSecurityException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The user's verified list as stored on the server ({@code GET/PUT /api/v1/me/verified}),
 * encrypted with {@link VerifiedBlob} to the user's own current key version. A write names the
 * revision it read; on 409 {@code conflict} (another device wrote meanwhile) it reads again,
 * merges (the later {@code at} wins per contact) and writes again. A blob sealed for another
 * version than the own current one (left from before a key reset) reads as empty. A blob that
 * names the current version but does not open is an error, never an empty list: treating it as
 * empty would silently drop every verification.
 *
 * <p>Thread-safe (one operation at a time). Blocks on REST calls and RSA.
 */
final class VerifiedContacts {
  private static final int MAX_WRITES = 5;

  /** The REST calls it needs: GET and PUT of the list. */
  interface Store {
    JsonObject read();

    JsonObject write(JsonObject body);
  }

  private final Store store;
  private final Supplier<PrivateKeys> own;
  private final Supplier<String> uid;
  private VerifiedList list = VerifiedList.EMPTY;
  private long rev;

  VerifiedContacts(Store store, Supplier<PrivateKeys> own, Supplier<String> uid) {
    this.store = store;
    this.own = own;
    this.uid = uid;
  }

  static VerifiedContacts over(Rest rest, Supplier<PrivateKeys> own, Supplier<String> uid) {
    return new VerifiedContacts(new Store() {
      @Override
      public JsonObject read() {
        return rest.get("/api/v1/me/verified");
      }

      @Override
      public JsonObject write(JsonObject body) {
        return rest.put("/api/v1/me/verified", body);
      }
    }, own, uid);
  }

  /** The list as last read or written. */
  synchronized VerifiedList list() {
    return list;
  }

  /** Reads the list from the server (on connect, after unlocking, before showing an identity). */
  synchronized VerifiedList load() {
    PrivateKeys k = keys();
    JsonObject res = store.read();
    rev = res.getLong("rev", 0L);
    list = open(res.getValue("blob"), k);
    return list;
  }

  /**
   * Sets one contact's entry and stores the list, merging with writes of other devices.
   *
   * @throws SealroomException {@code conflict} when other devices kept writing, {@code stale_key}
   *     when the own keys changed meanwhile
   */
  synchronized VerifiedList put(String contact, VerifiedList.Entry entry) {
    PrivateKeys k = keys();
    String ukid = KeyVersions.ukid(k);
    for (int attempt = 1; ; attempt++) {
      VerifiedList next = VerifiedList.EMPTY.with(contact, entry).merge(list);
      String blob = VerifiedBlob.seal(next.encode(), uid.get(), ukid, k.rsaPublic());
      try {
        JsonObject res = store.write(new JsonObject().put("rev", rev).put("blob", new JsonObject(blob)));
        rev = res.getLong("rev", rev + 1);
        list = next;
        return list;
      } catch (SealroomException e) {
        if (!"conflict".equals(e.code()) || attempt >= MAX_WRITES) {
          throw e;
        }
        // another device wrote first: read its list; the next round keeps our entry if it is the later one
        load();
      }
    }
  }

  private VerifiedList open(Object blob, PrivateKeys k) {
    if (!(blob instanceof JsonObject)) {
      return VerifiedList.EMPTY;
    }
    String ukid = KeyVersions.ukid(k);
    if (!ukid.equals(((JsonObject) blob).getString("ukid"))) {
      return VerifiedList.EMPTY; // written under keys that ended with a reset: unreadable by design
    }
    try {
      return VerifiedList.parse(VerifiedBlob.open(((JsonObject) blob).encode(), uid.get(), ukid, k.rsaPrivate()));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new SealroomException("bad_verified_list",
          "the stored verified list does not open with this user's keys: it was altered", e);
    }
  }

  private PrivateKeys keys() {
    PrivateKeys k = own.get();
    if (k == null) {
      throw new SealroomException("e2e_locked", "unlock E2E to read or change the verified list");
    }
    return k;
  }
}
