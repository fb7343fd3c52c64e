package io.sealroom.client;

/**
 * Progress of an upload or a download, called after every piece (64 KiB or less) from the thread
 * that moves the bytes: keep it quick and do not call the client from it.
 */
@FunctionalInterface
public interface TransferProgress {
  /**
   * @param done bytes of the file moved so far (of the plaintext, in an encrypted room)
   * @param total the file's length, or -1 when it is not known (an upload from a stream)
   */
  void onProgress(long done, long total);
}
