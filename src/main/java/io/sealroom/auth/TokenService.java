package io.sealroom.auth;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * Issues and verifies ES256 JWTs (vertx-auth-jwt). Claims: sub (user id), name (username),
 * iss, iat, exp. Verification refuses unsigned (alg none), other algorithms, bad signatures,
 * expired tokens and other issuers. An ECDSA check costs about a millisecond here, and clients
 * present the same token on every request and reconnect: a token that passed is remembered,
 * by its exact string, until it expires (session cut-offs are checked on every use by
 * {@link SessionGuard}, so a remembered token of an ended session is still refused).
 * Thread-safe; verification does not touch the store.
 */
public final class TokenService {
  private static final String ALG = "ES256";
  /** Verified tokens remembered (exact strings: any other spelling is verified in full). */
  static final int MAX_VERIFIED = 20_000;
  private final JWTAuth jwt;
  private final Config.Jwt config;
  private final java.util.concurrent.ConcurrentHashMap<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();

  public TokenService(Vertx vertx, JwtKeys keys, Config.Jwt config) {
    this.config = config;
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALG).setBuffer(keys.privatePem()))
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALG).setBuffer(keys.publicPem()))
        .setJWTOptions(new JWTOptions().setIssuer(config.issuer()).setLeeway(5)));
  }

  /** A signed token for the user; expiresAt is epoch milliseconds. */
  public LoginResult issue(String userId, String username) {
    long nowMs = System.currentTimeMillis();
    long now = nowMs / 1000;
    // iat has whole seconds: iat_ms tells a token issued just after a session cut-off from one just before
    // sid names the login session: a key reset ends every session but the one asking for it
    String token = jwt.generateToken(new JsonObject().put("sub", userId).put("name", username).put("iat_ms", nowMs)
            .put("sid", io.sealroom.common.Ids.newId()),
        new JWTOptions().setAlgorithm(ALG).setIssuer(config.issuer()).setExpiresInSeconds(config.ttlSeconds()));
    return new LoginResult(token, userId, username, (now + config.ttlSeconds()) * 1000);
  }

  /** The verified caller, or a failed future with {@code unauthorized}. */
  public Future<AuthUser> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > 8192) {
      return Future.failedFuture(new ApiException(ErrorCode.UNAUTHORIZED, "a valid bearer token is required"));
    }
    Verified known = verified.get(token);
    if (known != null) {
      if (System.currentTimeMillis() < known.expiresAtMs()) {
        return Future.succeededFuture(known.user());
      }
      verified.remove(token);
    }
    return jwt.authenticate(new TokenCredentials(token))
        .transform(ar -> {
          if (ar.failed()) {
            return Future.failedFuture(new ApiException(ErrorCode.UNAUTHORIZED, "the token is invalid or expired"));
          }
          JsonObject p = ar.result().principal();
          String sub = p.getString("sub");
          String name = p.getString("name");
          // vertx-auth-jwt moves iat and exp from the principal into the user's attributes
          Long iat = ar.result().attributes().getLong("iat");
          if (sub == null || name == null || iat == null || !config.issuer().equals(p.getString("iss"))) {
            return Future.failedFuture(new ApiException(ErrorCode.UNAUTHORIZED, "the token is missing claims"));
          }
          Long iatMs = p.getLong("iat_ms");
          String sid = p.getString("sid", "");
          AuthUser user = new AuthUser(sub, name, iatMs != null ? iatMs : iat * 1000, sid);
          Long exp = ar.result().attributes().getLong("exp");
          if (exp != null) {
            remember(token, new Verified(user, exp * 1000));
          }
          return Future.succeededFuture(user);
        });
  }

  /** A token verified before: its user, and until when it may be trusted without checking its signature again. */
  private record Verified(AuthUser user, long expiresAtMs) {
  }

  private void remember(String token, Verified v) {
    if (verified.size() >= MAX_VERIFIED) {
      verified.clear(); // crude but bounded: a burst of new tokens costs a signature check each, as without the cache
    }
    verified.put(token, v);
  }
}
