package io.sealroom.client;

/**
 * A file that was downloaded and passed every check.
 *
 * @param size bytes written (the plaintext's length, in an encrypted room)
 * @param sha256 SHA-256 of the bytes written, lowercase hex (of the plaintext, in an encrypted
 *     room; compare {@link Attachment#storedSha256()}, which is of the ciphertext there)
 */
public record Downloaded(long size, String sha256) {
}
