package io.sealroom.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The safety number of this user and a contact (docs/protocol.md "Safety numbers"): 60 digits
 * both of them see, shown as 12 groups of 5, or as a QR code of {@link #qrPayload()}. Two people
 * who compare them (in person, or over a channel they trust) and find them equal know that the
 * server handed each of them the other's real keys. Immutable.
 */
public final class SafetyNumber {
  /** The prefix of the QR code's text; the 60 digits follow it. */
  public static final String QR_PREFIX = "sealroom-sn:1:";
  public static final int DIGITS = 60;
  private static final int GROUP = 5;

  private final String digits;

  /** @param digits exactly 60 ASCII digits */
  public SafetyNumber(String digits) {
    Objects.requireNonNull(digits, "digits");
    if (digits.length() != DIGITS || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("a safety number is 60 digits");
    }
    this.digits = digits;
  }

  /** The 60 digits, no spaces. */
  public String digits() {
    return digits;
  }

  /** The 12 groups of 5 digits, in order. */
  public List<String> groups() {
    List<String> out = new ArrayList<>(DIGITS / GROUP);
    for (int i = 0; i < DIGITS; i += GROUP) {
      out.add(digits.substring(i, i + GROUP));
    }
    return out;
  }

  /** The groups joined by spaces, as people read them out: {@code 52761 31430 ...}. */
  public String display() {
    return String.join(" ", groups());
  }

  /** The text of the QR code (error correction level M): {@code sealroom-sn:1:} and the digits. */
  public String qrPayload() {
    return QR_PREFIX + digits;
  }

  /**
   * Whether a scanned QR text, or digits typed from the other person's screen, equal this
   * number. Typed digits may carry spaces (or other separators) between the groups; a QR text
   * must be exactly {@link #qrPayload()}. Anything else (another version prefix, 59 or 61
   * digits, letters) does not match.
   */
  public boolean matches(String scannedOrTyped) {
    if (scannedOrTyped == null) {
      return false;
    }
    String s = scannedOrTyped.strip();
    if (s.startsWith("sealroom-sn:")) {
      return s.equals(qrPayload());
    }
    String only = s.replaceAll("[\\s\\-.]", "");
    return only.equals(digits);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SafetyNumber && ((SafetyNumber) o).digits.equals(digits);
  }

  @Override
  public int hashCode() {
    return digits.hashCode();
  }

  @Override
  public String toString() {
    return display();
  }
}
