package io.sealroom.files;

import io.sealroom.common.ApiException;
import java.util.Locale;
import java.util.regex.Pattern;

/** The shape of what an upload names: file names, media types and file ids (docs/protocol.md, "Files"). */
final class FileRules {
  static final int MAX_NAME = 255;
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9!#$&^_.+-]{1,63}/[A-Za-z0-9!#$&^_.+-]{1,63}");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{20}");
  /** A plain room's images that are served inline; everything else is an attachment. */
  private static final java.util.Set<String> INLINE = java.util.Set.of("image/png", "image/jpeg", "image/gif",
      "image/webp");

  private FileRules() {
  }

  /** The name as given, or null; invalid_request (field name) unless 1-255 characters without controls, / or \. */
  static String name(String name) {
    if (name == null) {
      return null;
    }
    if (name.isEmpty() || name.length() > MAX_NAME) {
      throw ApiException.invalid("name", "must be 1 to " + MAX_NAME + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '/' || c == '\\' || c == '\u2028' || c == '\u2029') {
        throw ApiException.invalid("name", "must not contain control characters, / or \\");
      }
      if (c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u200e' || c == '\u200f'
          || c == '\u061c') {
        // a right-to-left override makes "gpj.exe" look like "exe.jpg"
        throw ApiException.invalid("name", "must not contain bidirectional control characters");
      }
    }
    if (name.isBlank() || name.equals(".") || name.equals("..")) {
      throw ApiException.invalid("name", "must name a file");
    }
    return name;
  }

  /** The media type in lower case, or null; invalid_request (field type) unless type/subtype. */
  static String type(String type) {
    if (type == null) {
      return null;
    }
    if (type.length() > 127 || !TYPE.matcher(type).matches()) {
      throw ApiException.invalid("type", "must be a media type like image/png");
    }
    return type.toLowerCase(Locale.ROOT);
  }

  static boolean isId(String fid) {
    return fid != null && ID.matcher(fid).matches();
  }

  /** Whether a plain room's file of this type is shown inline (an image a browser renders safely). */
  static boolean inline(String type) {
    return type != null && INLINE.contains(type);
  }
}
