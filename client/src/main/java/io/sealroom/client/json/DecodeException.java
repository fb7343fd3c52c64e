package io.sealroom.client.json;

/**
 * Text that is not the JSON asked for: broken syntax, trailing text, too deep, or (for
 * {@link JsonObject#JsonObject(String)}) a document that is not an object. The message names the
 * offset, never the text (it may hold key material).
 */
public final class DecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DecodeException(String message) {
    super(message);
  }
}
