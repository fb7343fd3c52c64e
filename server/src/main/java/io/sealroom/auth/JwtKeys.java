package io.sealroom.auth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;

/**
 * The ES256 (P-256) token signing key as PEM: read from a file, or generated once and written
 * there (owner-only permissions). A file with only the PKCS#8 private key is enough: the public
 * key is derived from it. Blocking file I/O: call at start-up. The PEM text is a secret.
 */
public final class JwtKeys {
  private static final Pattern PRIVATE_PEM =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private final String privatePem;
  private final String publicPem;

  private JwtKeys(String privatePem, String publicPem) {
    this.privatePem = privatePem;
    this.publicPem = publicPem;
  }

  public String privatePem() {
    return privatePem;
  }

  public String publicPem() {
    return publicPem;
  }

  @Override
  public String toString() {
    return "JwtKeys[<redacted>]";
  }

  /** Loads the key from the file, or generates and writes one when the file does not exist. */
  public static JwtKeys loadOrCreate(Path file) throws IOException, GeneralSecurityException {
    if (Files.exists(file)) {
      return parse(Files.readString(file, StandardCharsets.US_ASCII));
    }
    JwtKeys keys = generate();
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".jwt", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the default permissions
    }
    Files.writeString(tmp, keys.privatePem + keys.publicPem, StandardCharsets.US_ASCII);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return keys;
  }

  public static JwtKeys generate() throws GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = gen.generateKeyPair();
    return new JwtKeys(pem("PRIVATE KEY", kp.getPrivate().getEncoded()), pem("PUBLIC KEY", kp.getPublic().getEncoded()));
  }

  /** Parses PEM text holding a PKCS#8 P-256 private key (a PUBLIC KEY block after it is ignored: derived again). */
  public static JwtKeys parse(String text) throws GeneralSecurityException {
    Matcher m = PRIVATE_PEM.matcher(text);
    if (!m.find()) {
      throw new GeneralSecurityException("no -----BEGIN PRIVATE KEY----- block (PKCS#8) found");
    }
    ECPrivateKey priv;
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(1).trim());
      priv = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | ClassCastException | GeneralSecurityException e) {
      throw new GeneralSecurityException("the private key is not an EC key in PKCS#8");
    }
    if (priv.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new GeneralSecurityException("the key is not on P-256 (ES256 needs secp256r1)");
    }
    return new JwtKeys(pem("PRIVATE KEY", priv.getEncoded()), pem("PUBLIC KEY", derivePublic(priv).getEncoded()));
  }

  private static PublicKey derivePublic(ECPrivateKey priv) throws GeneralSecurityException {
    ECNamedCurveParameterSpec spec = ECNamedCurveTable.getParameterSpec("secp256r1");
    org.bouncycastle.math.ec.ECPoint q = spec.getG().multiply(priv.getS()).normalize();
    ECPoint w = new ECPoint(new BigInteger(1, q.getAffineXCoord().getEncoded()),
        new BigInteger(1, q.getAffineYCoord().getEncoded()));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, priv.getParams()));
  }

  private static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }
}
