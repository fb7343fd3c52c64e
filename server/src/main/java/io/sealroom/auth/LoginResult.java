package io.sealroom.auth;

/** A successful login. expiresAt is epoch milliseconds. toString hides the token. */
public record LoginResult(String token, String userId, String username, long expiresAt) {
  @Override
  public String toString() {
    return "LoginResult[userId=" + userId + ", username=" + username + ", token=<redacted>]";
  }
}
