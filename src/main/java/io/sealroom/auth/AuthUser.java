package io.sealroom.auth;

/** The caller as a verified token says: user id, username and when the token was issued (epoch milliseconds). */
public record AuthUser(String id, String username, long issuedAtMs) {
}
