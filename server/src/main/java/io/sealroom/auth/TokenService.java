package io.sealroom.auth;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.common.Ids;
import io.sealroom.config.Config;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and verifies ES256 JWTs. Claims: sub (user id), name (username), iss, iat, iat_ms, sid
 * and exp. A token has exactly one valid spelling ({@link Es256Jws}: strict base64url, a raw
 * low-S signature) and its header is exactly {@code {"alg":"ES256"}}, with {@code "typ":"JWT"}
 * optional: unsigned tokens (alg none), other algorithms, other spellings, bad signatures,
 * expired tokens, other issuers and claims of another shape than issued ones are refused
 * (whether the user exists is {@link SessionGuard}'s to check). An ECDSA check costs about a
 * millisecond here, and clients present the same token on every request and reconnect: a token
 * that passed is remembered, by its exact string, until it expires (the user and session
 * cut-offs are checked on every use by {@link SessionGuard}, so a remembered token of an ended
 * session or a deleted user is still refused).
 * Thread-safe; verification does not touch the store.
 */
public final class TokenService {
  /** Verified tokens remembered (exact strings: any other spelling is verified in full). */
  static final int MAX_VERIFIED = 20_000;
  /** Seconds a token is still taken after its exp, and may claim an iat ahead of this node's clock. */
  static final long LEEWAY_S = 5;
  private static final byte[] HEADER = "{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.US_ASCII);
  private static final Set<String> HEADER_FIELDS = Set.of("alg", "typ");
  private final Es256Jws jws;
  private final Config.Jwt config;
  private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

  public TokenService(JwtKeys keys, Config.Jwt config) {
    this.config = config;
    this.jws = new Es256Jws(keys);
  }

  /** A signed token for the user; expiresAt is epoch milliseconds. */
  public LoginResult issue(String userId, String username) {
    long nowMs = System.currentTimeMillis();
    long now = nowMs / 1000;
    long exp = now + config.ttlSeconds();
    // iat has whole seconds: iat_ms tells a token issued just after a session cut-off from one just before
    // sid names the login session: a key reset ends every session but the one asking for it
    JsonObject claims = new JsonObject().put("sub", userId).put("name", username).put("iat_ms", nowMs)
        .put("sid", Ids.newId()).put("iat", now).put("exp", exp).put("iss", config.issuer());
    String token = jws.sign(HEADER, claims.encode().getBytes(StandardCharsets.UTF_8));
    return new LoginResult(token, userId, username, exp * 1000);
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
    byte[][] parts = jws.verify(token);
    if (parts == null || !headerIsEs256(parts[0])) {
      return Future.failedFuture(new ApiException(ErrorCode.UNAUTHORIZED, "the token is invalid or expired"));
    }
    JsonObject p = json(parts[1]);
    AuthUser user = p == null ? null : user(p);
    if (user == null) {
      return Future.failedFuture(new ApiException(ErrorCode.UNAUTHORIZED, "the token's claims are not valid"));
    }
    long exp = p.getLong("exp");
    long now = System.currentTimeMillis() / 1000;
    if (now >= exp + LEEWAY_S || p.getLong("iat") > now + LEEWAY_S) {
      return Future.failedFuture(new ApiException(ErrorCode.UNAUTHORIZED, "the token is invalid or expired"));
    }
    remember(token, new Verified(user, exp * 1000));
    return Future.succeededFuture(user);
  }

  /**
   * The caller the claims name when they have the shape of an issued token's, else null: sub a
   * user id, name a non-empty string, iss the configured issuer, iat and exp integers; iat_ms
   * (an integer) and sid (a string) may be missing in tokens of earlier releases.
   */
  private AuthUser user(JsonObject p) {
    Object sub = p.getValue("sub");
    Object name = p.getValue("name");
    Long iat = integer(p, "iat");
    Object iatMs = p.getValue("iat_ms");
    Object sid = p.getValue("sid");
    if (!(sub instanceof String id && Ids.isId(id)) || !(name instanceof String username && !username.isEmpty())
        || !config.issuer().equals(p.getValue("iss")) || iat == null || integer(p, "exp") == null
        || (iatMs != null && integer(p, "iat_ms") == null) || (sid != null && !(sid instanceof String))) {
      return null;
    }
    return new AuthUser(id, username, iatMs != null ? integer(p, "iat_ms") : iat * 1000, sid != null ? (String) sid : "");
  }

  /** True for exactly {"alg":"ES256"} with an optional "typ":"JWT". */
  private static boolean headerIsEs256(byte[] header) {
    JsonObject h = json(header);
    return h != null && HEADER_FIELDS.containsAll(h.fieldNames()) && "ES256".equals(h.getValue("alg"))
        && (!h.containsKey("typ") || "JWT".equals(h.getValue("typ")));
  }

  /** The JSON object of UTF-8 bytes, or null. */
  private static JsonObject json(byte[] bytes) {
    try {
      return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** An integral number claim, or null when it is absent or not an integer. */
  private static Long integer(JsonObject o, String key) {
    Object v = o.getValue(key);
    return v instanceof Integer || v instanceof Long ? ((Number) v).longValue() : null;
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
