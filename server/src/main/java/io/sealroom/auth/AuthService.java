package io.sealroom.auth;

import io.sealroom.common.ClientAddress;

import io.sealroom.common.ApiException;
import io.sealroom.common.ErrorCode;
import io.sealroom.common.Ids;
import io.sealroom.config.Config;
import io.sealroom.limits.Limits;
import io.sealroom.limits.RateLimiter;
import io.sealroom.logging.SecurityLog;
import io.sealroom.users.User;
import io.sealroom.users.UserStore;
import io.sealroom.users.Usernames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Registration and login. Password hashing runs on worker threads, never on an event loop, and
 * every hash is behind a rate limit (fixed one-minute windows, this node's or the cluster's):
 * <ul>
 *   <li>registrations per client address, successful or not;
 *   <li>failed logins per username and per client address: once either is over its limit,
 *       logins are refused with rate_limited until the window passes, even with the right password;
 *   <li>successful logins per account: a login costs a password hash, so one account logging in
 *       over and over would take the node's CPU.
 * </ul>
 * Every limit is checked, and the attempt counted, before the password is hashed, so a burst of
 * parallel requests cannot pass the check together, and a refusal costs no hashing. An unknown
 * username costs the same hashing work as a wrong password. Refusals are security events
 * ({@code login_limited}, {@code registration_limited}), logged at most once a minute per
 * limit and username or address. Usernames follow {@link Usernames}. Thread-safe.
 */
public final class AuthService {
  public static final int MIN_PASSWORD = 8;
  public static final int MAX_PASSWORD = 1024;
  private static final long MINUTE_MS = 60_000;

  private final Vertx vertx;
  private final UserStore users;
  private final TokenService tokens;
  private final PasswordHasher hasher;
  private final boolean registrationOpen;
  private final Limits.Windows perUsername;
  private final Limits.Windows perAddress;
  private final Limits.Windows successesPerAccount;
  private final Limits.Windows registrationsPerAddress;
  /** One security line per limit and key per minute: a flood of refusals is not a flood of lines. */
  private final RateLimiter logged = new RateLimiter(1, MINUTE_MS, System::currentTimeMillis);
  private final String dummyHash;

  public AuthService(Vertx vertx, UserStore users, TokenService tokens, Config.Auth config) {
    this(vertx, users, tokens, config, Limits.local());
  }

  /** Failed logins are counted in {@code limits}: this node's memory, or the cluster's. */
  public AuthService(Vertx vertx, UserStore users, TokenService tokens, Config.Auth config, Limits limits) {
    this.vertx = vertx;
    this.users = users;
    this.tokens = tokens;
    this.hasher = new PasswordHasher(config.argon2());
    this.registrationOpen = config.registrationOpen();
    this.perUsername = limits.windows("loginsPerUsername", config.loginRate().perUsername(), MINUTE_MS);
    this.perAddress = limits.windows("loginsPerAddress", config.loginRate().perAddress(), MINUTE_MS);
    this.successesPerAccount = limits.windows("loginSuccessesPerAccount", config.loginRate().successPerAccount(), MINUTE_MS);
    this.registrationsPerAddress = limits.windows("registrationsPerAddress", config.registrationsPerAddress(), MINUTE_MS);
    this.dummyHash = hasher.hash("not a password of anyone");
  }

  /**
   * Creates an account. Every well-formed registration counts for the client address, whether
   * it succeeds or not (a taken username also cost a hash); one over the limit is refused
   * before the password is hashed.
   */
  public Future<User> register(String rawUsername, String password, String clientAddress) {
    if (!registrationOpen) {
      return Future.failedFuture(new ApiException(ErrorCode.REGISTRATION_CLOSED, "registration is closed on this server"));
    }
    String username;
    try {
      username = Usernames.parse(rawUsername);
      checkPassword(password);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return registrationsPerAddress.tryAcquire(ClientAddress.limitKey(clientAddress)).compose(ok -> {
      if (!ok) {
        limited("registration_limited", "registrations_per_address", null, clientAddress);
        return Future.failedFuture(new ApiException(ErrorCode.RATE_LIMITED, "too many registrations, wait a minute"));
      }
      return vertx.executeBlocking(() -> hasher.hash(password), false)
          .compose(hash -> {
            User user = new User(Ids.newId(), username, hash, List.of("user"), System.currentTimeMillis());
            return users.insert(user).map(user);
          });
    });
  }

  public Future<LoginResult> login(String rawUsername, String password, String clientAddress) {
    if (rawUsername == null || password == null) {
      return Future.failedFuture(ApiException.invalid(rawUsername == null ? "username" : "password", "is required"));
    }
    String username = Usernames.normalize(rawUsername);
    // a name no account can have is still a failed attempt of this address, but not a limiter key
    String userKey = Usernames.isWellFormed(username) ? username : null;
    // counted as failed up front (atomically with the check), forgiven on success: a burst of
    // parallel guesses cannot pass the check together
    return perAddress.tryAcquire(ClientAddress.limitKey(clientAddress)).compose(addressOk -> {
      if (!addressOk) {
        limited("login_limited", "failed_per_address", userKey, clientAddress);
        return Future.failedFuture(new ApiException(ErrorCode.RATE_LIMITED, "too many failed logins, wait a minute"));
      }
      if (userKey == null) {
        return Future.failedFuture(invalidCredentials());
      }
      return perUsername.tryAcquire(userKey).compose(userOk -> {
        if (!userOk) {
          perAddress.forgive(ClientAddress.limitKey(clientAddress));
          limited("login_limited", "failed_per_username", userKey, clientAddress);
          return Future.failedFuture(new ApiException(ErrorCode.RATE_LIMITED, "too many failed logins, wait a minute"));
        }
        if (password.length() > MAX_PASSWORD) {
          return Future.failedFuture(invalidCredentials());
        }
        // counted as a success up front too (an account is its username: usernames never change),
        // taken back when the password turns out wrong
        return successesPerAccount.tryAcquire(userKey).compose(accountOk -> {
          if (!accountOk) {
            // not a failed login: the attempt is taken back from the failed-login counts
            perAddress.forgive(ClientAddress.limitKey(clientAddress));
            perUsername.forgive(userKey);
            limited("login_limited", "successes_per_account", userKey, clientAddress);
            return Future.failedFuture(new ApiException(ErrorCode.RATE_LIMITED, "too many logins for this account, wait a minute"));
          }
          return verifyLogin(userKey, password, clientAddress);
        });
      });
    });
  }

  private Future<LoginResult> verifyLogin(String userKey, String password, String clientAddress) {
    return users.findByUsername(userKey)
        .compose(user -> vertx.executeBlocking(() -> verifyOrBurn(user, password), false))
        .transform(ar -> {
          User user = ar.succeeded() ? ar.result() : null;
          if (user == null) {
            successesPerAccount.forgive(userKey);
            return ar.failed() ? Future.failedFuture(ar.cause()) : Future.failedFuture(invalidCredentials());
          }
          perAddress.forgive(ClientAddress.limitKey(clientAddress));
          perUsername.forgive(userKey);
          upgradeHash(user, password);
          return Future.succeededFuture(tokens.issue(user.id(), user.username()));
        });
  }

  /** Logs a refusal over a limit, once a minute per limit and username or address. */
  private void limited(String event, String limit, String username, String address) {
    if (logged.tryAcquire(limit + ":" + (limit.endsWith("_address") ? address : username))) {
      SecurityLog.event(event).with("limit", limit).with("username", username).with("address", address).log();
    }
  }

  /** Re-hashes with the configured parameters when they were raised since the hash was made (best effort). */
  private void upgradeHash(User user, String password) {
    if (hasher.needsRehash(user.passwordHash())) {
      vertx.executeBlocking(() -> hasher.hash(password), false)
          .compose(hash -> users.updatePasswordHash(user.id(), user.passwordHash(), hash));
    }
  }

  /** The user when the password matches, else null; an unknown user costs the same hashing work (no probing by timing). */
  private User verifyOrBurn(User user, String password) {
    if (user == null) {
      hasher.verify(password, dummyHash);
      return null;
    }
    return hasher.verify(password, user.passwordHash()) ? user : null;
  }

  /** Re-checks a user's login password (for sensitive operations); fails invalid_credentials. */
  public Future<Void> checkPassword(String userId, String password) {
    if (password == null) {
      return Future.failedFuture(ApiException.invalid("password", "is required"));
    }
    // the same failed-login budget as login: a stolen token must not allow unlimited password guesses
    return perUsername.tryAcquire("uid:" + userId).compose(ok -> ok ? verifyPassword(userId, password)
        : Future.failedFuture(new ApiException(ErrorCode.RATE_LIMITED, "too many failed attempts, wait a minute")));
  }

  private Future<Void> verifyPassword(String userId, String password) {
    return users.findById(userId)
        .compose(user -> vertx.executeBlocking(() -> user != null && hasher.verify(password, user.passwordHash()), false))
        .compose(ok -> {
          if (!ok) {
            return Future.failedFuture(invalidCredentials());
          }
          perUsername.forgive("uid:" + userId);
          return Future.<Void>succeededFuture();
        });
  }

  private static void checkPassword(String password) {
    if (password == null) {
      throw ApiException.invalid("password", "is required");
    }
    if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw ApiException.invalid("password", "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
  }

  private static ApiException invalidCredentials() {
    return new ApiException(ErrorCode.INVALID_CREDENTIALS, "wrong username or password");
  }
}
