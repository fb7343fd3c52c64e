package io.sealroom.rooms;

import io.sealroom.keys.RsaPublicJwk;

/** A member who has a public key but not the room's current key. */
public record Waiting(String uid, String username, RsaPublicJwk publicKey) {
}
