package io.sealroom.client;

import io.sealroom.client.crypto.FileKey;
import java.util.Objects;

/**
 * A file attached to a received message ({@link ChatMessage#files()}); download it with
 * {@link SealroomClient#download(Attachment, java.nio.file.Path)}.
 *
 * <p>In a plain room it is the server's file object: the name and type given at upload (either
 * may be null) and the SHA-256 of the bytes. In an encrypted room it is the sender's descriptor
 * from inside the message's ciphertext: name, type and size of the plaintext, the SHA-256 of the
 * upload (the ciphertext), and the file's key, which stays inside this object: no accessor gives
 * it out and {@code toString} prints neither it nor the name. Immutable and thread-safe.
 */
public final class Attachment {
  private final String id;
  private final String name;
  private final String type;
  private final long size;
  private final String storedSha256;
  private final FileKey key;
  private final String serverSha256;
  private final Attachment thumbnail;
  private final int width;
  private final int height;

  Attachment(String id, String name, String type, long size, String storedSha256, FileKey key,
      String serverSha256, Attachment thumbnail, int width, int height) {
    this.id = Objects.requireNonNull(id, "id");
    this.name = name;
    this.type = type;
    this.size = size;
    this.storedSha256 = Objects.requireNonNull(storedSha256, "storedSha256");
    this.key = key;
    this.serverSha256 = serverSha256;
    this.thumbnail = thumbnail;
    this.width = width;
    this.height = height;
  }

  /** The server's file id. */
  public String id() {
    return id;
  }

  /** The file name, or null when none was given. In an encrypted room it came encrypted. */
  public String name() {
    return name;
  }

  /** The media type (e.g. {@code image/png}), or null when none was given. */
  public String type() {
    return type;
  }

  /** The file's length in bytes (of the plaintext, in an encrypted room). */
  public long size() {
    return size;
  }

  /**
   * The SHA-256 (lowercase hex) of the bytes the server stores: of the file itself in a plain
   * room, of its ciphertext in an encrypted room. A download checks it.
   */
  public String storedSha256() {
    return storedSha256;
  }

  /** True when the file is end-to-end encrypted (it came with an encrypted message). */
  public boolean encrypted() {
    return key != null;
  }

  /** The preview image the sender attached (encrypted rooms), or null. */
  public Attachment thumbnail() {
    return thumbnail;
  }

  /** A thumbnail's width in pixels as its sender gave it; 0 when not known. */
  public int width() {
    return width;
  }

  /** A thumbnail's height in pixels as its sender gave it; 0 when not known. */
  public int height() {
    return height;
  }

  FileKey key() {
    return key;
  }

  /** The SHA-256 of the server's file object for this id (encrypted rooms), or null. */
  String serverSha256() {
    return serverSha256;
  }

  @Override
  public String toString() {
    // the name and the key stay out of logs
    return "Attachment[id=" + id + ", size=" + size + ", encrypted=" + encrypted()
        + (thumbnail != null ? ", thumbnail=" + thumbnail.id : "") + "]";
  }
}
