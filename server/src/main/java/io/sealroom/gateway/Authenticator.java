package io.sealroom.gateway;

import io.sealroom.auth.AuthUser;
import io.sealroom.auth.SessionGuard;
import io.sealroom.auth.TokenService;
import io.vertx.core.Future;

/**
 * Who a bearer token names, for the WebSocket's auth frame and the REST API's Authorization
 * header alike: the token must verify and its session must not have been ended. Built once per
 * node and shared by every gateway instance; thread-safe (so are both services it asks).
 */
public final class Authenticator {
  private final TokenService tokens;
  private final SessionGuard sessions;

  public Authenticator(TokenService tokens, SessionGuard sessions) {
    this.tokens = tokens;
    this.sessions = sessions;
  }

  /** The caller the token names, provided the token is valid and its session was not ended. */
  Future<AuthUser> authenticate(String token) {
    return tokens.verify(token).compose(sessions::check);
  }
}
