package io.sealroom.users;

import io.sealroom.common.ApiException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The username rules, in one place for every feature that takes a username from a client
 * (registration and login, room members, the user lookup): a username is compared and stored in
 * its normal form, trimmed and lower-case, and a well-formed one is 2-64 characters of a-z, 0-9,
 * '.', '_' or '-', starting with a letter or digit. There are no reserved names. Pure functions:
 * stateless and thread-safe.
 */
public final class Usernames {
  private static final Pattern WELL_FORMED = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");

  private Usernames() {
  }

  /**
   * The normal form of a username a client sent, checked: fails invalid_request (field
   * {@code username}) when it is missing or not well-formed.
   */
  public static String parse(String raw) {
    if (raw == null) {
      throw ApiException.invalid("username", "is required");
    }
    String u = normalize(raw);
    if (!isWellFormed(u)) {
      throw ApiException.invalid("username",
          "must be 2-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
    return u;
  }

  /** The normal form, unchecked: trimmed and lower-case ({@code raw} is not null). */
  public static String normalize(String raw) {
    return raw.trim().toLowerCase(Locale.ROOT);
  }

  /** Whether a username in normal form is one an account can have. */
  public static boolean isWellFormed(String normalized) {
    return WELL_FORMED.matcher(normalized).matches();
  }
}
