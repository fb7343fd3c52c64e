package io.sealroom.gateway;

import io.sealroom.auth.AuthService;
import io.sealroom.auth.SessionGuard;
import io.sealroom.auth.TokenService;
import io.sealroom.keys.KeyService;
import io.sealroom.keys.VerifiedLists;
import io.sealroom.rooms.RoomKeyService;

/**
 * What the E2E routes ({@link E2eHandlers}) use: users' keys and room keys, and for a key reset
 * the password check, the end of the user's other sessions and a fresh token; and the
 * key-transparency log ({@link KtHandlers}). Built once per
 * node by Node and shared by every gateway instance; every component is thread-safe.
 */
public record E2eDeps(KeyService keys, RoomKeyService roomKeys, AuthService auth, SessionGuard sessions,
    TokenService tokens, io.sealroom.kt.KtService kt, VerifiedLists verified) {
}
