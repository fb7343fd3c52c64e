package io.sealroom.kt;

/**
 * A signed tree head: the tree of the first {@code size} leaves has {@code root}; {@code sig} is
 * the log key's Ed25519 signature of {@link Heads#signedText}; {@code logKeyX} the log key's raw
 * public key (base64url).
 */
public record SignedHead(long size, byte[] root, long ts, byte[] sig, String logKeyX) {
}
