package io.sealroom.auth;

import io.sealroom.config.Config;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing (BouncyCastle), encoded in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>} so that a hash made with
 * older parameters still verifies after the configuration raises them. CPU- and memory-heavy:
 * call only from a worker thread. Thread-safe.
 */
public final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private final Config.Argon2 params;
  private final SecureRandom random = new SecureRandom();

  public PasswordHasher(Config.Argon2 params) {
    this.params = params;
  }

  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    byte[] out = derive(password, salt, params.memoryKb(), params.iterations(), params.parallelism(), HASH_BYTES);
    return "$argon2id$v=19$m=" + params.memoryKb() + ",t=" + params.iterations() + ",p=" + params.parallelism()
        + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
  }

  /** True when the password matches the encoded hash; false for a malformed hash. */
  public boolean verify(String password, String encoded) {
    try {
      String[] parts = encoded.split("\\$");
      // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
      if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
        return false;
      }
      int m = 0;
      int t = 0;
      int p = 0;
      for (String kv : parts[3].split(",")) {
        int v = Integer.parseInt(kv.substring(2));
        switch (kv.charAt(0)) {
          case 'm': m = v; break;
          case 't': t = v; break;
          case 'p': p = v; break;
          default: return false;
        }
      }
      byte[] salt = B64D.decode(parts[4]);
      byte[] expected = B64D.decode(parts[5]);
      byte[] actual = derive(password, salt, m, t, p, expected.length);
      return MessageDigest.isEqual(expected, actual);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** True when the hash was made with weaker parameters than the configuration asks for now. */
  public boolean needsRehash(String encoded) {
    return !encoded.startsWith("$argon2id$v=19$m=" + params.memoryKb() + ",t=" + params.iterations()
        + ",p=" + params.parallelism() + "$");
  }

  private static byte[] derive(String password, byte[] salt, int m, int t, int p, int len) {
    Argon2Parameters ap = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(m).withIterations(t).withParallelism(p).withSalt(salt).build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(ap);
    byte[] out = new byte[len];
    gen.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
