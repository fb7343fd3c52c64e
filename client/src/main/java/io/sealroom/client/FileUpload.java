package io.sealroom.client;

import io.sealroom.client.crypto.FileKey;
import java.util.Objects;

/**
 * A file uploaded to a room and not sent yet: pass it to
 * {@link SealroomClient#send(String, String, java.util.List)}. An upload that is not attached to
 * a message within the server's {@code files.orphanTtlSeconds} (a day by default) is deleted.
 *
 * <p>In an encrypted room the upload is ciphertext, and this object keeps the file's key, name
 * and type for the message's descriptor; {@code toString} prints neither. Immutable and
 * thread-safe.
 */
public final class FileUpload {
  private final String roomId;
  private final String id;
  private final String name;
  private final String type;
  private final long size;
  private final long storedSize;
  private final String storedSha256;
  private final FileKey key;
  private final FileUpload thumbnail;
  private final int width;
  private final int height;

  FileUpload(String roomId, String id, String name, String type, long size, long storedSize, String storedSha256,
      FileKey key, FileUpload thumbnail, int width, int height) {
    this.roomId = Objects.requireNonNull(roomId, "roomId");
    this.id = Objects.requireNonNull(id, "id");
    this.name = name;
    this.type = type;
    this.size = size;
    this.storedSize = storedSize;
    this.storedSha256 = storedSha256;
    this.key = key;
    this.thumbnail = thumbnail;
    this.width = width;
    this.height = height;
  }

  /**
   * The same upload with a preview image, uploaded to the same room the same way (in an
   * encrypted room, encrypted with its own key), and its size in pixels. Its id is sent with
   * the message too. A client shows it before the file is downloaded.
   */
  public FileUpload withThumbnail(FileUpload thumb, int widthPx, int heightPx) {
    Objects.requireNonNull(thumb, "thumb");
    if (!thumb.roomId.equals(roomId) || thumb.encrypted() != encrypted() || thumb.thumbnail != null) {
      throw new IllegalArgumentException("a thumbnail is a plain upload to the same room, uploaded the same way");
    }
    if (widthPx <= 0 || heightPx <= 0) {
      throw new IllegalArgumentException("a thumbnail has a positive width and height");
    }
    return new FileUpload(roomId, id, name, type, size, storedSize, storedSha256, key, thumb, widthPx, heightPx);
  }

  /** The room it was uploaded to; it can be sent only there. */
  public String roomId() {
    return roomId;
  }

  /** The server's file id. */
  public String id() {
    return id;
  }

  /** The name given at upload, or null. */
  public String name() {
    return name;
  }

  /** The media type given at upload, or null. */
  public String type() {
    return type;
  }

  /** The file's length (of the plaintext, in an encrypted room). */
  public long size() {
    return size;
  }

  /** Bytes stored by the server (the ciphertext's length, in an encrypted room). */
  public long storedSize() {
    return storedSize;
  }

  /** The SHA-256 of the stored bytes, as the server computed it and the SDK checked it. */
  public String storedSha256() {
    return storedSha256;
  }

  /** True when it was encrypted before the upload (the room is encrypted). */
  public boolean encrypted() {
    return key != null;
  }

  /** The preview attached with {@link #withThumbnail}, or null. */
  public FileUpload thumbnail() {
    return thumbnail;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  FileKey key() {
    return key;
  }

  @Override
  public String toString() {
    return "FileUpload[id=" + id + ", room=" + roomId + ", size=" + size + ", encrypted=" + encrypted() + "]";
  }
}
