package io.sealroom.auth;

/**
 * The caller as a verified token says: user id, username, when the token was issued (epoch
 * milliseconds) and the login session it belongs to ("" for tokens without one).
 */
public record AuthUser(String id, String username, long issuedAtMs, String sid) {
}
