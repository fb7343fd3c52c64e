package io.sealroom.client;

/**
 * A request the server refused, or one that could not be completed. {@link #code()} is the
 * server's stable snake_case code ("not_member", "stale_key" ...) or one of the client's own:
 * "timeout", "closed", "io", "session_ended", "e2e_locked", "bad_key".
 */
public class SealroomException extends RuntimeException {
  private final int status;
  private final String code;
  private final String kid;
  private final String reason;

  public SealroomException(int status, String code, String message, String kid) {
    this(status, code, message, kid, null);
  }

  SealroomException(int status, String code, String message, String kid, String reason) {
    super(message);
    this.status = status;
    this.code = code;
    this.kid = kid;
    this.reason = reason;
  }

  public SealroomException(String code, String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
    this.code = code;
    this.kid = null;
    this.reason = null;
  }

  public SealroomException(String code, String message) {
    this(0, code, message, null);
  }

  /** The HTTP status of a refused REST call; 0 for WebSocket errors and client-side failures. */
  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** On "stale_key": the room's current key id (may be null). */
  public String kid() {
    return kid;
  }

  /** The server's reason detail, when it gave one: "key_reset" on an {@code unauthorized} session ended by a key reset. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "SealroomException[" + code + (status > 0 ? " " + status : "") + "]: " + getMessage();
  }
}
