package io.sealroom.common;

import java.util.Locale;

/**
 * The stable error codes of the wire contract, each with the HTTP status it maps to.
 * REST bodies and WebSocket error frames carry {@link #code()}; nothing else may.
 */
public enum ErrorCode {
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_MEMBER(403),
  NOT_OWNER(403),
  NOT_FOUND(404),
  INVALID_REQUEST(400),
  USERNAME_TAKEN(409),
  INVALID_CREDENTIALS(400),
  REGISTRATION_CLOSED(403),
  E2E_DISABLED(403),
  KEYS_EXIST(409),
  NO_KEYS(404),
  KEY_ID_EXISTS(409),
  STALE_KEY(409),
  PLAINTEXT_NOT_ALLOWED(400),
  ENCRYPTION_NOT_ALLOWED(400),
  ENCRYPTION_REQUIRED(403),
  TOO_LARGE(413),
  QUOTA_EXCEEDED(413),
  CONFLICT(409),
  RATE_LIMITED(429),
  UNAVAILABLE(503);

  private final int httpStatus;
  private final String code;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
    this.code = name().toLowerCase(Locale.ROOT);
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The snake_case code clients match on. */
  public String code() {
    return code;
  }
}
