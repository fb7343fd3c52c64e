package io.sealroom.client.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;

/**
 * Writes {@code client/src/test/resources/file-vector.json}, the test vector of the chunked file
 * format (docs/protocol.md, "Encrypted files: the chunked format").
 *
 * <p>It is deliberately independent of {@link FileCrypto}: it seals with BouncyCastle's
 * low-level {@link GCMBlockCipher} over {@link AESEngine} and hashes with BouncyCastle's
 * {@link SHA256Digest}, where FileCrypto uses the JDK's {@code Cipher} and {@code MessageDigest},
 * and it builds nonces and AADs with its own code from the protocol text. Everything is
 * deterministic: running it again writes the same file ({@code FileVectorTest} checks that).
 *
 * <pre>java -cp client/target/test-classes:bcprov.jar io.sealroom.client.crypto.FileVectorGenerator OUT</pre>
 */
public final class FileVectorGenerator {
  static final int CHUNK = 65536;
  static final int TAG = 16;
  static final int INLINE_LIMIT = 256;

  private FileVectorGenerator() {
  }

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "client/src/test/resources/file-vector.json");
    Files.writeString(out, generate(), StandardCharsets.UTF_8);
  }

  /** The vector's key: SHA-256 of the UTF-8 text "sealroom file vector: key". */
  static byte[] key() {
    return sha256("sealroom file vector: key".getBytes(StandardCharsets.UTF_8));
  }

  /** The vector's prefix: the first 8 bytes of SHA-256 of "sealroom file vector: prefix". */
  static byte[] prefix() {
    byte[] p = new byte[8];
    System.arraycopy(sha256("sealroom file vector: prefix".getBytes(StandardCharsets.UTF_8)), 0, p, 0, 8);
    return p;
  }

  /** The rule of the larger plaintexts: byte i is i mod 251. */
  static byte[] ruled(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i % 251);
    }
    return b;
  }

  static String generate() {
    byte[] key = key();
    byte[] prefix = prefix();
    StringBuilder j = new StringBuilder();
    j.append("{\n");
    j.append("  \"about\": \"Test vector of the Sealroom chunked file format (docs/protocol.md, Encrypted files).")
        .append(" Made by io.sealroom.client.crypto.FileVectorGenerator with BouncyCastle's GCMBlockCipher;")
        .append(" see file-vector.md.\",\n");
    j.append("  \"chunk\": ").append(CHUNK).append(",\n");
    j.append("  \"key\": \"").append(b64(key)).append("\",\n");
    j.append("  \"keyHex\": \"").append(hex(key)).append("\",\n");
    j.append("  \"prefix\": \"").append(b64(prefix)).append("\",\n");
    j.append("  \"prefixHex\": \"").append(hex(prefix)).append("\",\n");
    j.append("  \"plaintextRule\": \"for cases with \\\"plaintextRule\\\": true, byte i of the plaintext (i from 0) is i mod 251\",\n");
    j.append("  \"valid\": [\n");
    List<String> valid = new ArrayList<>();
    valid.add(validCase("empty", new byte[0], false, key, prefix));
    valid.add(validCase("five-bytes", "hello".getBytes(StandardCharsets.UTF_8), false, key, prefix));
    valid.add(validCase("one-full-chunk", ruled(CHUNK), true, key, prefix));
    valid.add(validCase("one-byte-past-a-chunk", ruled(CHUNK + 1), true, key, prefix));
    valid.add(validCase("three-chunks", ruled(2 * CHUNK + 100), true, key, prefix));
    j.append(String.join(",\n", valid)).append("\n  ],\n");
    j.append("  \"invalid\": [\n");
    j.append(String.join(",\n", invalidCases(key, prefix))).append("\n  ]\n");
    j.append("}\n");
    return j.toString();
  }

  private static String validCase(String name, byte[] plain, boolean ruled, byte[] key, byte[] prefix) {
    List<byte[]> sealed = sealAll(key, prefix, plain);
    byte[] all = concat(sealed);
    StringBuilder c = new StringBuilder();
    c.append("    {\n");
    c.append("      \"name\": \"").append(name).append("\",\n");
    c.append("      \"size\": ").append(plain.length).append(",\n");
    if (ruled) {
      c.append("      \"plaintextRule\": true,\n");
    } else {
      c.append("      \"plaintext\": \"").append(hex(plain)).append("\",\n");
    }
    c.append("      \"plaintextSha256\": \"").append(hex(sha256(plain))).append("\",\n");
    c.append("      \"ciphertextSize\": ").append(all.length).append(",\n");
    c.append("      \"sha256\": \"").append(hex(sha256(all))).append("\",\n");
    if (all.length <= INLINE_LIMIT) {
      c.append("      \"ciphertext\": \"").append(hex(all)).append("\",\n");
    }
    c.append("      \"chunks\": [\n");
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < sealed.size(); i++) {
      byte[] s = sealed.get(i);
      boolean last = i == sealed.size() - 1;
      StringBuilder k = new StringBuilder();
      k.append("        {\"index\": ").append(i).append(", \"last\": ").append(last)
          .append(", \"nonce\": \"").append(hex(nonce(prefix, i))).append("\"")
          .append(", \"aad\": \"").append(new String(aad(i, last), StandardCharsets.UTF_8)).append("\"")
          .append(", \"sealedSize\": ").append(s.length)
          .append(", \"sha256\": \"").append(hex(sha256(s))).append("\"")
          .append(", \"head\": \"").append(hex(slice(s, 0, Math.min(32, s.length)))).append("\"")
          .append(", \"tag\": \"").append(hex(slice(s, s.length - TAG, s.length))).append("\"");
      if (s.length <= INLINE_LIMIT) {
        k.append(", \"hex\": \"").append(hex(s)).append("\"");
      }
      chunks.add(k.append("}").toString());
    }
    c.append(String.join(",\n", chunks)).append("\n      ]\n    }");
    return c.toString();
  }

  /** Small ciphertexts a reader must refuse, each complete, with the category of failure. */
  private static List<String> invalidCases(byte[] key, byte[] prefix) {
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    byte[] good = seal(key, nonce(prefix, 0), aad(0, true), hello);
    List<String> out = new ArrayList<>();
    out.add(invalid("only-chunk-sealed-as-not-last", 5, seal(key, nonce(prefix, 0), aad(0, false), hello), null,
        "truncated", "the only piece was sealed with last = 0: what a file cut at a chunk boundary looks like"));
    out.add(invalid("only-chunk-sealed-with-index-1", 5, seal(key, nonce(prefix, 1), aad(1, true), hello), null,
        "tag", "sealed as chunk 1 (nonce and AAD), read as chunk 0: a reordered piece"));
    byte[] flipped = good.clone();
    flipped[flipped.length - 1] ^= 0x01;
    out.add(invalid("tag-bit-flipped", 5, flipped, null, "tag", "the last bit of the tag is flipped"));
    byte[] ctFlipped = good.clone();
    ctFlipped[0] ^= (byte) 0x80;
    out.add(invalid("ciphertext-bit-flipped", 5, ctFlipped, null, "tag", "the first bit of the ciphertext is flipped"));
    out.add(invalid("three-bytes-appended", 5, concat(List.of(good, new byte[] {1, 2, 3})), null, "tag",
        "three bytes appended to a valid upload: the one piece no longer opens"));
    out.add(invalid("last-three-bytes-cut", 5, slice(good, 0, good.length - 3), null, "tag",
        "the last three bytes of the tag are missing"));
    out.add(invalid("empty-upload", 0, new byte[0], null, "truncated", "no bytes at all: even an empty file has one chunk"));
    out.add(invalid("shorter-than-a-tag", 0, slice(good, 0, 15), null, "malformed",
        "15 bytes: a piece is at least 16 bytes"));
    out.add(invalid("wrong-size", 4, good, null, "size", "a valid upload of 5 bytes, described as 4 bytes"));
    out.add(invalid("wrong-sha256", 5, good, sha256(hello), "sha256",
        "a valid upload whose descriptor names another SHA-256 (that of the plaintext)"));
    return out;
  }

  private static String invalid(String name, long size, byte[] ct, byte[] shaOrNull, String failure, String why) {
    byte[] sha = shaOrNull == null ? sha256(ct) : shaOrNull;
    return "    {\"name\": \"" + name + "\", \"size\": " + size + ", \"sha256\": \"" + hex(sha)
        + "\", \"ciphertext\": \"" + hex(ct) + "\", \"failure\": \"" + failure + "\", \"why\": \"" + why + "\"}";
  }

  static List<byte[]> sealAll(byte[] key, byte[] prefix, byte[] plain) {
    int n = Math.max(1, (plain.length + CHUNK - 1) / CHUNK);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int from = i * CHUNK;
      int to = Math.min(plain.length, from + CHUNK);
      out.add(seal(key, nonce(prefix, i), aad(i, i == n - 1), slice(plain, from, to)));
    }
    return out;
  }

  static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plain) {
    GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
    gcm.init(true, new AEADParameters(new KeyParameter(key), TAG * 8, nonce, aad));
    byte[] out = new byte[gcm.getOutputSize(plain.length)];
    int n = gcm.processBytes(plain, 0, plain.length, out, 0);
    try {
      n += gcm.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException(e);
    }
    if (n != out.length) {
      throw new IllegalStateException("unexpected GCM output length");
    }
    return out;
  }

  /** prefix || i as a 4-byte big-endian unsigned integer. */
  static byte[] nonce(byte[] prefix, long i) {
    byte[] n = new byte[12];
    System.arraycopy(prefix, 0, n, 0, 8);
    n[8] = (byte) (i >>> 24);
    n[9] = (byte) (i >>> 16);
    n[10] = (byte) (i >>> 8);
    n[11] = (byte) i;
    return n;
  }

  static byte[] aad(long i, boolean last) {
    return ("sealroom-file|" + i + "|" + (last ? "1" : "0")).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] sha256(byte[] b) {
    SHA256Digest d = new SHA256Digest();
    d.update(b, 0, b.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  private static byte[] slice(byte[] b, int from, int to) {
    byte[] out = new byte[to - from];
    System.arraycopy(b, from, out, 0, out.length);
    return out;
  }

  static byte[] concat(List<byte[]> parts) {
    int n = parts.stream().mapToInt(p -> p.length).sum();
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static String hex(byte[] b) {
    return Hex.toHexString(b);
  }

  private static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
