package io.sealroom.common;

import io.vertx.core.json.JsonObject;

/**
 * The one error type of the domain: a stable code plus a human sentence. Services fail their
 * futures with it; the gateway maps it to an HTTP status or an error frame in one place.
 * Messages never contain secrets.
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final transient JsonObject details;

  public ApiException(ErrorCode code, String message) {
    this(code, message, null);
  }

  public ApiException(ErrorCode code, String message, JsonObject details) {
    super(message, null, false, false);
    this.code = code;
    this.details = details;
  }

  public ErrorCode code() {
    return code;
  }

  /** Extra machine-readable fields merged into the error object (e.g. the winning kid). */
  public JsonObject details() {
    return details;
  }

  public static ApiException invalid(String field, String problem) {
    return new ApiException(ErrorCode.INVALID_REQUEST, field + ": " + problem,
        new JsonObject().put("field", field));
  }

  public static ApiException notFound(String what) {
    return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
  }

  public static ApiException unavailable() {
    return new ApiException(ErrorCode.UNAVAILABLE, "the store is unavailable, retry later");
  }

  /** The failure as an ApiException: domain errors pass through, anything else is unavailable. */
  public static ApiException from(Throwable t) {
    if (t instanceof ApiException) {
      return (ApiException) t;
    }
    return unavailable();
  }
}
